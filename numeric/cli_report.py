"""The `report` subcommand: the paper's verification report (placeholder: being written)."""

from __future__ import annotations


def register(sub) -> None:
    """Add the `report` parser."""
