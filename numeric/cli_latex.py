"""The `latex` subcommand(s) of backprop-verify (placeholder: being written)."""

from __future__ import annotations


def register(sub) -> None:
    """Add the `latex` parser(s) to the subparsers sub."""
