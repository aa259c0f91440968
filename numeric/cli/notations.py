"""The `notations` subcommand: the notation profiles the checker reads, and one profile's symbols.

``backprop-verify notations`` lists every profile (name, aliases, whose notes it follows);
``backprop-verify notations nielsen`` prints that profile's conventions and symbol table (the
section of docs/notations.md); ``--notation-file my.toml`` shows a user's profile the same way.
"""

from __future__ import annotations

import argparse

from derivations import get_notation, load_notation, notation_names, profile_section

__all__ = ["register", "run"]


def register(sub) -> None:
    """Add the `notations` parser to the subparsers ``sub``."""
    p = sub.add_parser("notations", description=__doc__.split("\n\n")[0],
                       help="list the notation profiles, or show one profile's symbols")
    p.add_argument("name", nargs="?", help="a profile name or alias (default: list them all)")
    p.add_argument("--notation-file", metavar="TOML", default=None, help="show a user-defined profile in TOML")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the list, or one profile (UnsupportedNotationError for an unknown name)."""
    if args.notation_file or args.name:
        prof = load_notation(args.notation_file) if args.notation_file else get_notation(args.name)
        print(profile_section(prof), end="")
        return 0
    for name in notation_names():
        prof = get_notation(name)
        aliases = f" (also {', '.join(prof.aliases)})" if prof.aliases else ""
        print(f"{name}{aliases}: {prof.description}")
    return 0
