"""The `latex` subcommand: a step-by-step LaTeX derivation for one architecture.

``backprop-verify latex --widths 3,2,1 --activations tanh,sigmoid --form affine -o notes.tex``
writes the document (stdout without ``-o``); ``--notation nielsen`` (or ``--notation-file
my.toml``) writes it in a lecturer's notation, each formula checked in that notation;
``--beamer`` writes a Beamer deck instead of the article; ``--label-prefix P`` labels every
equation ``P:name``; ``--snippets DIR`` writes one equation per file; ``--pdf`` compiles it
with pdflatex (an error if pdflatex is missing); ``--timings`` adds each check's seconds
(without it the output is deterministic). Files are written atomically, all or none. Bad
input and unwritable paths raise our errors, which :mod:`numeric.cli` prints.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from derivations import (
    FORMS,
    Architecture,
    Derivation,
    check_writable,
    get_notation,
    load_notation,
    notation_names,
    snippet_files,
    write_atomically,
)
from derivations.errors import ArchitectureError

from . import add_timeout_option, time_limited
from .arguments import ACTIVATIONS_HELP, parse_activations, parse_widths

__all__ = ["register", "run"]


def register(sub) -> None:
    """Add the `latex` parser to the subparsers ``sub``."""
    p = sub.add_parser("latex", description=__doc__.split("\n\n")[0],
                       help="write a LaTeX derivation (document, snippets, PDF) for one architecture")
    p.add_argument("--widths", required=True, help="n_0,...,n_k, e.g. 3,2,1")
    p.add_argument("--activations", action="append", metavar="NAME",
                   help=ACTIVATIONS_HELP + " (default: sigma, any activation)")
    p.add_argument("--form", choices=FORMS, default="homogeneous")
    p.add_argument("-o", "--output", type=Path, help="the .tex file (default: print to stdout)")
    p.add_argument("--snippets", type=Path, metavar="DIR", help="also write one equation per file into DIR")
    p.add_argument("--pdf", action="store_true", help="also compile the document with pdflatex (needs -o)")
    entries = p.add_mutually_exclusive_group()
    entries.add_argument("--entries", dest="entries", action="store_true", default=None,
                         help="always write out every entry (error if the architecture is too large)")
    entries.add_argument("--no-entries", dest="entries", action="store_false",
                         help="general formulas only, no written-out entries")
    p.add_argument("--no-verify", dest="verify", action="store_false", help="skip the exact verification")
    p.add_argument("--timings", action="store_true",
                   help="show each check's seconds in the verification table (off: the output is deterministic)")
    aliases = tuple(a for n in notation_names() for a in get_notation(n).aliases)
    notation = p.add_mutually_exclusive_group()
    notation.add_argument("--notation", default="paper", choices=(*notation_names(), *aliases),
                          help="write the derivation in this profile's symbols and layer numbering (default: paper)")
    notation.add_argument("--notation-file", metavar="TOML", default=None,
                          help="a user-defined profile in TOML (see docs/example-notation.toml)")
    p.add_argument("--beamer", action="store_true", help="write a Beamer deck (one idea per frame) instead")
    p.add_argument("--label-prefix", default="bpv", metavar="PREFIX",
                   help="prefix of every \\label and \\eqref (default: bpv), so two documents' snippets coexist")
    add_timeout_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build the derivation and write what was asked; returns the exit status.

    The .tex file and the snippets are written as one unit (temporary files, then renames): when
    one cannot be written, none is.
    """
    if args.pdf and args.output is None:
        raise ArchitectureError("--pdf needs -o/--output FILE.tex (the PDF is written next to it)")
    names = parse_activations(args.activations) or ("sigma",)
    arch = Architecture(parse_widths(args.widths), names[0] if len(names) == 1 else list(names), args.form)
    notation = load_notation(args.notation_file) if args.notation_file else args.notation
    with time_limited(args, "latex"):  # the verification; nothing is written before it ends
        derivation = Derivation(arch, entries=args.entries, verify=args.verify, timings=args.timings,
                                notation=notation, label_prefix=args.label_prefix)
        text = derivation.beamer() if args.beamer else derivation.document()
        snippets = snippet_files(derivation, args.snippets) if args.snippets is not None else {}
    outputs = {args.output: text, **snippets} if args.output is not None else snippets
    if args.pdf:
        check_writable(args.output.with_suffix(".pdf"), what="PDF")
    if outputs:
        write_atomically(outputs, directory=args.snippets, what="LaTeX file")
    if args.output is None:
        sys.stdout.write(text)
    else:
        print(f"wrote {args.output}", file=sys.stderr)
    if args.snippets is not None:
        print(f"wrote {len(snippets) - 1} snippets to {args.snippets}", file=sys.stderr)
    if args.pdf:
        result = derivation.pdf(args.output.with_suffix(".pdf"), beamer=args.beamer)
        print(f"wrote {result.pdf}", file=sys.stderr)
    return 0
