"""The `check` subcommand(s) of backprop-verify (placeholder: being written)."""

from __future__ import annotations


def register(sub) -> None:
    """Add the `check` parser(s) to the subparsers sub."""
