"""The paper's verification report: formula x architecture -> verdict and time.

:func:`paper_report` checks every registered formula exactly on a list of
architectures, sweeps depths 1-4 / widths 1-3 for the smallest counterexample,
lists the typos with their corrections, and runs the affine <-> homogeneous
checks of section 3. :class:`Report` renders as text, Markdown or JSON.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Iterable

from .affine import check_affine_equivalence
from .errors import ArchitectureError
from .exact import Verdict
from .network import Architecture
from .registry import FORMULAS, verify
from .sweep import architectures, sweep

__all__ = ["Report", "paper_report", "DEFAULT_WIDTHS", "TEXT_TYPOS"]

DEFAULT_WIDTHS: tuple[tuple[int, ...], ...] = (
    (1, 1, 1, 1, 1), (2, 1), (2, 2, 1), (3, 2, 1), (2, 3, 2, 1), (2, 2, 2, 2, 1), (3, 3, 3, 3, 1), (2, 3, 2))
AFFINE_WIDTHS: tuple[tuple[int, ...], ...] = ((2, 1), (2, 2, 1), (3, 2, 2, 1), (2, 2, 2))

TEXT_TYPOS: tuple[str, ...] = (
    "section 2: Sigma(X) = [sigma_1(x_1), ..., sigma_k(x_n)]^T — the last index must be n: sigma_n(x_n) "
    "(likewise Sigma = [sigma_1, ..., sigma_n]^T).",
    "section 2: the displayed '(X;W) = Sigma_k(W_k ...)' lacks the f: f(X;W) = ...",
    "section 3 (c): 'identical' must mean the identity function (sigma(t) = t); and the construction is "
    "incomplete: the fixed last rows [0,...,0,1] of W_i (i < k) receive a non-zero gradient, so they must be "
    "frozen during training (checked below).",
    "section 6: 'the i-th raw' means the i-th row; references: [WHF] in the text is [RHW] in the list.",
)


@dataclass
class Report:
    """Everything :func:`paper_report` found; render with :meth:`to_text`, :meth:`to_markdown`, :meth:`to_json`."""

    activations: str
    architectures: list[Architecture]
    cells: dict[tuple[str, Architecture], Verdict | str] = field(default_factory=dict)
    sweeps: dict[str, Verdict] = field(default_factory=dict)
    affine: list[tuple[Architecture, list[Verdict]]] = field(default_factory=list)
    affine_cells: dict[tuple[str, Architecture], Verdict | str] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def typos(self) -> list[tuple[str, Verdict, str | None, Verdict | None]]:
        """(typo text, verdict of the printed formula, corrected name, its verdict)."""
        out = []
        for name, form in FORMULAS.items():
            if form.typo:
                fix = next((f.name for f in FORMULAS.values() if f.corrects == name), None)
                out.append((form.typo, self.sweeps[name], fix, self.sweeps.get(fix)))
        return out

    @property
    def all_as_expected(self) -> bool:
        """True when every correct formula holds exactly and the affine embedding reproduces
        f and the bias gradients (typos and wrong readings are expected to fail)."""
        correct = all(v.holds is True for name, v in self.sweeps.items()
                      if not (FORMULAS[name].typo or FORMULAS[name].reading))
        return correct and all(vs[0].holds and vs[1].holds for _, vs in self.affine)

    @property
    def typos_found(self) -> list[str]:
        """Names of the printed formulas with a typo that the sweep refuted."""
        return [name for name, v in self.sweeps.items() if FORMULAS[name].typo and v.holds is False]

    def _summary(self) -> str:
        typos = [n for n, f in FORMULAS.items() if f.typo]
        text = ("Every correct formula holds exactly." if self.all_as_expected
                else "Some correct formulas did not hold (see above).")
        text += f" Typos found: {len(self.typos_found)} of {len(typos)}"
        missing = [n for n in typos if n not in self.typos_found]
        if missing:
            text += f" ({', '.join(missing)} not visible within these bounds: (3)'s typo needs depth >= 4)"
        return text + "."

    # -- rendering -----------------------------------------------------------------------
    @staticmethod
    def _cell(v: Verdict | str) -> str:
        if isinstance(v, str):
            return v
        mark = {True: "holds", False: "FAILS", None: "undecided"}[v.holds]
        if v.holds is False and v.counterexample is not None:
            mark += f" ({v.counterexample.kind})"
        return f"{mark} {v.seconds:.2f}s"

    def _table(self, archs, cells, md: bool) -> list[str]:
        head = ["formula", "eq."] + [a.label() for a in archs]
        rows = [[name, FORMULAS[name].equation] + [self._cell(cells[(name, a)]) for a in archs]
                for name in FORMULAS if any((name, a) in cells for a in archs)]
        return _render(head, rows, md)

    def _sweep_rows(self, md: bool) -> list[str]:
        head = ["formula", "eq.", "verdict", "architectures", "smallest counterexample", "time"]
        rows, details = [], []
        for name, v in self.sweeps.items():
            ce = v.counterexample
            where = "-" if ce is None else f"{ce.architecture.label()}, layer {ce.layer} ({ce.kind})"
            rows.append([name, FORMULAS[name].equation, v.status, str(len(v.architectures)), where,
                         f"{v.seconds:.2f}s"])
            if ce is not None:
                details.append(f"- {name}: {ce.message}" + (f"; {v.note}" if v.note else ""))
        return _render(head, rows, md) + ([""] + details if details else [])

    def to_text(self, *, md: bool = False) -> str:
        """The report as plain text (or Markdown with ``md=True``)."""
        h = (lambda t: f"\n## {t}\n") if md else (lambda t: f"\n{t}\n{'=' * len(t)}")
        out = ["# backprop-verify report" if md else "backprop-verify report",
               "Paper: N. M. Mishachev, \"Backpropagation in matrix notation\" (formulas (1)-(7)).",
               f"Activations: {self.activations}. Method: exact polynomial identity in x, w, sigma, sigma' "
               "(sigma/sigma' free symbols, then the activation's relations); ground truth: direct "
               "differentiation of the composed f. n_k > 1: gradient of <V, f> (Delta_{k+1} = V)."]
        out.append(h("Formula x architecture"))
        out += self._table(self.architectures, self.cells, md)
        out.append(h("Sweep: depths 1-4, widths 1-3, n_k = 1 (smallest counterexample first)"))
        out += self._sweep_rows(md)
        out.append(h("Typos in the paper as printed"))
        for n, (text, printed, fix, fixed) in enumerate(self.typos, 1):
            out.append(f"{n}. {text}")
            out.append(f"   as printed: {printed.status}"
                       + (f" — {printed.counterexample.message}" if printed.counterexample else ""))
            if fix:
                out.append(f"   corrected ({fix}): {fixed.status} on {len(fixed.architectures)} architectures")
        for m, text in enumerate(TEXT_TYPOS, len(self.typos) + 1):
            out.append(f"{m}. {text}")
        out.append(h("Affine <-> homogeneous (section 3)"))
        for arch, vs in self.affine:
            for v in vs:
                line = f"- {arch.label()}: {v.formula}: {v.status}"
                if v.counterexample:
                    line += f" — {v.counterexample.message}"
                out.append(line)
        out.append("")
        out += self._table(sorted({a for _, a in self.affine_cells}, key=lambda a: a.size), self.affine_cells, md)
        out.append(f"\nTotal time: {self.seconds:.1f}s. {self._summary()}")
        return "\n".join(out)

    def to_markdown(self) -> str:
        """The report as Markdown."""
        return self.to_text(md=True)

    def to_json(self) -> str:
        """The report as JSON (verdicts, counterexamples, times)."""
        def verdict(v):
            if isinstance(v, str):
                return {"status": v}
            ce = v.counterexample
            return {"status": v.status, "seconds": round(v.seconds, 4), "note": v.note,
                    "counterexample": None if ce is None else {
                        "architecture": list(ce.architecture.widths), "layer": ce.layer, "entry": ce.entry,
                        "kind": ce.kind, "point": ce.point, "formula_value": ce.formula_value,
                        "truth_value": ce.truth_value, "message": ce.message}}
        data = {
            "activations": self.activations, "seconds": round(self.seconds, 3),
            "cells": [{"formula": n, "architecture": a.label(), **verdict(v)} for (n, a), v in self.cells.items()],
            "sweeps": {n: verdict(v) for n, v in self.sweeps.items()},
            "typos": [{"typo": t, "as_printed": p.status, "corrected": f, "corrected_status": c and c.status}
                      for t, p, f, c in self.typos] + [{"typo": t} for t in TEXT_TYPOS],
            "affine": [{"architecture": a.label(), "claim": v.formula, **verdict(v)} for a, vs in self.affine
                       for v in vs],
            "all_as_expected": self.all_as_expected, "typos_found": self.typos_found,
        }
        return json.dumps(data, indent=2)

    def __str__(self) -> str:
        return self.to_text()

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def _render(head: list[str], rows: list[list[str]], md: bool) -> list[str]:
    if md:
        return ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)] + \
            ["| " + " | ".join(r) + " |" for r in rows]
    widths = [max(len(str(r[c])) for r in [head] + rows) for c in range(len(head))]
    fmt = lambda r: "  ".join(str(x).ljust(w) for x, w in zip(r, widths, strict=True)).rstrip()  # noqa: E731
    return [fmt(head), fmt(["-" * w for w in widths])] + [fmt(r) for r in rows]


def _cells(archs: Iterable[Architecture], names: Iterable[str]) -> dict:
    cells = {}
    for arch in archs:
        for name in names:
            reason = FORMULAS[name].applies(arch)
            cells[(name, arch)] = "n/a" if reason else verify(name, arch)
    return cells


def paper_report(widths: Iterable[Iterable[int]] = DEFAULT_WIDTHS, *, activations: str = "sigma",
                 max_depth: int = 4, max_width: int = 3, affine: bool = True) -> Report:
    """Verify every formula of the paper exactly and collect the findings.

    Args:
        widths: the architectures of the formula x architecture table.
        activations: one activation for every layer (default: the abstract sigma).
        max_depth, max_width: bounds of the smallest-counterexample sweep.
        affine: also run the section 3 checks.
    Raises:
        ArchitectureError, ActivationError: bad widths or activation.
    """
    start = time.perf_counter()
    archs = [Architecture(tuple(w), activations) for w in widths]
    if not archs:
        raise ArchitectureError("the report needs at least one architecture")
    report = Report(activations, archs)
    report.cells = _cells(archs, FORMULAS)
    sweep_archs = list(architectures(max_depth=max_depth, max_width=max_width, activations=activations))
    report.sweeps = {name: sweep(name, sweep_archs) for name in FORMULAS}
    if affine:
        aff = [Architecture(w, activations, "affine") for w in AFFINE_WIDTHS]
        report.affine = [(a, check_affine_equivalence(a)) for a in aff]
        names = ["eq3_corrected", "Delta", "recursion", "eq4", "eq5", "eq6", "eq7"]
        report.affine_cells = _cells(aff, names)
    report.seconds = time.perf_counter() - start
    return report
