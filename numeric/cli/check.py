"""``backprop-verify check``: check formulas from lecture notes exactly.

    backprop-verify check "\\nabla_{W_i} f = \\Delta_i \\cdot \\Sigma_{i-1}^T"
    backprop-verify check notes.tex --notation tutorial --json
    backprop-verify check "dZ^{[L]} = A^{[L]} - Y" --notation auto
    backprop-verify check "e_l = (W_{l+1}^T e_{l+1}) \\odot \\sigma'(z_l)" --notation-file my.toml

By default a formula is PROVED for every architecture (every depth, width, batch size m and
output width n_k the notation leaves free) or refuted with a counterexample; a formula the proof
cannot handle gets the bounded sweep and says "holds on the sweep only (not proved: why)".
--sweep asks for the sweep alone; --max-depth proves for the depths up to it only.

Profiles (--notation): paper, tutorial, nielsen, dlai, ufldl, coursera, cs229, cs231n,
d2l, rowmajor, or auto (detected from the symbols; the verdict names it). A .tex file
may choose one with a line "% notation: NAME".

An argument naming an existing file is read as a formula file: lecture notes as they are
written (.tex, .md, .ipynb: every display equation and every inline equation about a gradient
or delta, no markers needed; "% nocheck" skips one, "% check" markers check only the marked
ones) or one formula per line (.txt and others); each result names its file and line
(notes.tex:12; notes.ipynb, cell 3, line 2). ``-`` reads such a file from standard input;
anything else is one formula.
Each result is printed as soon as it is decided; a check that lasts over 2 s shows a
progress bar on stderr (a terminal only; --quiet turns it off). --json prints at the end.
--timeout SECONDS stops the whole command after that many seconds (wall clock) with an error
naming the limit; the results printed before it stay.
Exit status: 0 when every formula holds, 1 otherwise (fails, undecided or
unreadable entries of a file); a single unreadable formula or the time limit is an error (2).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from derivations import (
    ORDERS,
    CheckResult,
    FormulaSource,
    check,
    extract_formulas,
    get_notation,
    iter_check_sources,
    layout_of,
    load_notation,
    notation_names,
    read_sources,
)
from derivations.errors import FileError

from ..progress import Progress
from . import add_timeout_option, time_limited
from .arguments import parse_activations

__all__ = ["register", "run"]


def register(sub) -> None:
    """Add the ``check`` parser to the subparsers ``sub``."""
    p = sub.add_parser("check", help="check LaTeX gradient formulas exactly against the ground truth",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("formulas", nargs="+", metavar="LATEX_OR_FILE",
                   help="a formula 'LHS = RHS', a .tex/.md/.ipynb/.txt file of formulas, or - for standard input")
    aliases = tuple(a for n in notation_names() for a in get_notation(n).aliases)
    p.add_argument("--notation", default="paper", choices=(*notation_names(), *aliases, "auto"),
                   help="symbol table and conventions (default: paper; auto: detect from the symbols)")
    p.add_argument("--notation-file", metavar="TOML", default=None,
                   help="a user-defined profile in TOML (see docs/example-notation.toml)")
    p.add_argument("--sweep", action="store_true",
                   help="check on the bounded sweep only (depths 1-4, widths 1-3), no proof")
    p.add_argument("--batch", type=int, default=None, metavar="M",
                   help="fix the batch size m (default: every m, or 1 in one-sample notations)")
    p.add_argument("--min-depth", type=int, default=None, help="smallest depth k (proofs: every depth)")
    p.add_argument("--max-depth", type=int, default=None,
                   help="largest depth k: prove for depths min..max only (sweep: default 4)")
    p.add_argument("--min-width", type=int, default=1, help="smallest width swept (default 1)")
    p.add_argument("--max-width", type=int, default=3, help="largest width swept (default 3)")
    p.add_argument("--output-width", type=int, default=None,
                   help="fix the output width n_k (default: the notation's, else every n_k)")
    p.add_argument("--order", choices=ORDERS, default=None,
                   help="reading of product chains (default: the notation's)")
    p.add_argument("--activations", action="append", dest="activations", metavar="NAME",
                   help="hidden activation(s): repeatable or comma-separated (default: the abstract sigma, "
                        "which decides for every activation at once)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar on stderr")
    add_timeout_option(p)
    p.set_defaults(func=run)


def _options(args: argparse.Namespace) -> dict:
    notation = load_notation(args.notation_file) if args.notation_file else args.notation
    names = parse_activations(args.activations) or ("sigma",)
    return dict(notation=notation, min_depth=args.min_depth, max_depth=args.max_depth,
                min_width=args.min_width, max_width=args.max_width, output_width=args.output_width,
                order=args.order, activations=names, batch=args.batch, sweep=args.sweep)


_DOCUMENT_SUFFIXES = (".tex", ".latex", ".ltx", ".md", ".markdown", ".ipynb", ".txt")


def _is_file(arg: str) -> bool:
    """True for an existing path; a directory or a missing file with a formula file's extension is
    an error naming it (never read as a formula)."""
    if "\n" in arg or len(arg) > 1000 or "=" in arg:
        return False
    try:
        path = Path(arg)
        kind = "file" if path.is_file() else "directory" if path.is_dir() else None
    except (OSError, ValueError):
        return False
    if kind == "directory":
        raise FileError(f"cannot read the formula file {arg!r}: it is a directory")
    if kind == "file":
        return True
    if "\\" not in arg and path.suffix.lower() in _DOCUMENT_SUFFIXES:
        raise FileError(f"cannot read the formula file {arg!r}: no such file")
    return False


def _sources(formulas: list[str]) -> list[tuple[str | None, list[FormulaSource] | None]]:
    """(the file's name or None for standard input, its formulas) per file argument, (None, None) for
    a formula; every file is read before the first check."""
    out: list[tuple[str | None, list[FormulaSource] | None]] = []
    for arg in formulas:
        if arg == "-":
            out.append((None, extract_formulas(sys.stdin.read(), name="standard input")))
        elif _is_file(arg):
            found = read_sources(arg)
            if not found:
                hint = "mark LaTeX environments with % check" if layout_of(arg) == "plain" else \
                    "no display math, and no inline equation with a gradient or delta"
                print(f"warning: no formula found in {arg} ({hint})", file=sys.stderr)
            out.append((arg, found))
        else:
            out.append((None, None))
    return out


def _where(path: str | None, src: FormulaSource) -> str:
    """``notes.tex:12`` or ``notes.ipynb, cell 3, line 2``; '' for standard input and plain files."""
    if path is None or layout_of(path) == "plain":
        return ""
    return f"{path}, cell {src.cell}, line {src.line}" if src.cell is not None else f"{path}:{src.line}"


def _results(args: argparse.Namespace, sources: list, options: dict, advance: Callable[[], object]
             ) -> Iterator[tuple[CheckResult, str, dict]]:
    """(result, its place in its file, the JSON keys naming the file) of each formula, when decided;
    ``advance`` is called once per formula checked."""
    for arg, (path, found) in zip(args.formulas, sources, strict=True):
        if found is None:
            result = check(arg, **options)
            advance()
            yield result, "", {}
            continue
        for src, result in zip(found, iter_check_sources(found, progress=advance, **options), strict=True):
            keys = {"file": path or "-", **({"cell": src.cell} if src.cell is not None else {})}
            yield result, _where(path, src), keys


def _text(result: CheckResult, where: str) -> str:
    if not where:
        return result.summary()
    return f"{where}: {replace(result, line=None).summary()}"


def run(args: argparse.Namespace) -> int:
    """Check every argument, printing each result when decided (JSON: at the end); 0 if all hold, else 1."""
    options = _options(args)
    with time_limited(args, "check"):
        results, entries = _check_all(args, options)
    if args.json:
        print(json.dumps(entries, indent=2))
    else:
        proved = sum(r.status == "proved" for r in results)
        swept = sum(r.status == "holds on the sweep only" for r in results)
        names = sorted({r.notation for r in results}) or [str(options["notation"])]
        print(f"{proved}/{len(results)} formulas proved for every architecture"
              + (f", {swept} hold on the sweep only" if swept else "") + f" ({', '.join(names)} notation)")
    return 0 if results and all(r.holds is True and not r.error for r in results) else 1


def _check_all(args: argparse.Namespace, options: dict) -> tuple[list[CheckResult], list[dict]]:
    """Read the files, then check each formula, printing its result as soon as it is decided (text)."""
    sources = _sources(args.formulas)
    results: list[CheckResult] = []
    entries: list[dict] = []
    total = sum(1 if found is None else len(found) for _, found in sources)
    with Progress(total=total, desc="check", unit="formula", quiet=args.quiet) as bar:
        for result, where, keys in _results(args, sources, options, bar.advance):
            results.append(result)
            entries.append({**result.to_dict(), **keys})
            if not args.json:
                bar.write(_text(result, where))
    return results, entries
