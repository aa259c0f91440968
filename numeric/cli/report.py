"""The `report` subcommand: the exact verification report of the paper's formulas (issue 2)."""

from __future__ import annotations

import argparse

from derivations import DEFAULT_WIDTHS, paper_report
from derivations.errors import ArchitectureError

from ..progress import Progress
from . import add_timeout_option, time_limited
from .arguments import parse_activations, parse_widths_list

__all__ = ["register", "run"]


def register(sub) -> None:
    """Add the `report` parser."""
    p = sub.add_parser("report", help="verify every formula of the paper exactly and print the report",
                       description="Formula x architecture -> verdict (exact) and time; the smallest "
                                   "counterexample of each failing formula; the paper's typos; the affine "
                                   "<-> homogeneous checks. Each correct formula is proved for every "
                                   "architecture (induction, local identities) or said to hold on the sweep "
                                   "only, with the reason.")
    p.add_argument("--widths", default=None,
                   help="architectures of the table and of the sweep of what is not proved, e.g. "
                        "'2,2,1;4,4,4,1' (default: a table of 8; the sweep of --max-depth/--max-width)")
    p.add_argument("--activations", action="append", metavar="NAME",
                   help="one activation for every layer: sigma (abstract, default), identity, sigmoid, tanh, "
                        "relu, softplus")
    p.add_argument("--max-depth", type=int, default=None,
                   help="sweep bound on the depth (default 4); given with --widths, the sweep is these bounds")
    p.add_argument("--max-width", type=int, default=None,
                   help="sweep bound on the widths (default 3); given with --widths, the sweep is these bounds")
    p.add_argument("--no-affine", action="store_true", help="skip the section 3 checks")
    p.add_argument("--sweep-proved", action="store_true",
                   help="also sweep the formulas that are proved (slower; a cross-check of the code)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print JSON")
    out.add_argument("--markdown", action="store_true", help="print Markdown")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar on stderr")
    add_timeout_option(p)
    p.set_defaults(func=run)


def _or(value: int | None, default: int) -> int:
    return default if value is None else value


def run(args: argparse.Namespace) -> int:
    """Print the report; exit 0 when every correct formula is proved or holds on the sweep (the typos may fail).

    With --widths (and neither --max-depth nor --max-width) the sweep is those architectures only;
    --timeout stops it with an error (nothing is printed, the report comes whole or not at all).
    """
    widths = None if args.widths is None else parse_widths_list(args.widths)
    names = parse_activations(args.activations) or ("sigma",)
    if len(names) != 1:
        raise ArchitectureError(f"report takes one activation for every layer, got {','.join(names)!r}")
    bounded = widths is None or args.max_depth is not None or args.max_width is not None
    with time_limited(args, "the report"), Progress(desc="report", unit="step", quiet=args.quiet) as bar:
        report = paper_report(list(DEFAULT_WIDTHS) if widths is None else widths,
                              activations=names[0], max_depth=_or(args.max_depth, 4),
                              max_width=_or(args.max_width, 3),
                              affine=not args.no_affine, sweep_proved=args.sweep_proved,
                              sweep_widths=None if bounded else widths, progress=bar.report)
    print(report.to_json() if args.json else report.to_markdown() if args.markdown else report.to_text())
    return 0 if report.all_as_expected else 1
