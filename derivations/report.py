"""The paper's verification report: a verdict per formula, its proof or counterexample, the typos.

:func:`paper_report` proves every correct formula for every architecture
(:mod:`derivations.paper_proofs`: induction for the chains, local identities for the
lemmas), checks the printed proofs of (6) and (7) expression by expression, sweeps
depths 1-4 / widths 1-3 for the smallest counterexample of every formula that is not
proved (or only the architectures asked for, ``sweep_widths``), runs the registry's code on a
table of architectures, lists the typos with their corrections, and runs the affine <->
homogeneous checks of section 3. :class:`Report` renders as text, Markdown or JSON.

A ``progress(done, total, label)`` callback hears of each unit of work before it runs (one
table row, one formula proved or swept, one printed proof, ...) and once at the end with
``done == total``; the console script draws its bar from it.
"""

from __future__ import annotations

import time
from typing import Callable, Iterable

from . import paper_proofs as pp
from .affine import check_affine_equivalence
from .errors import ArchitectureError
from .network import Architecture
from .registry import FORMULAS, verify
from .report_render import TEXT_TYPOS, Report
from .space import ArchitectureSpace
from .sweep import sweep
from .verdict import Verdict

__all__ = ["Report", "paper_report", "DEFAULT_WIDTHS", "TEXT_TYPOS", "ProgressCallback"]

DEFAULT_WIDTHS: tuple[tuple[int, ...], ...] = (
    (1, 1, 1, 1, 1), (2, 1), (2, 2, 1), (3, 2, 1), (2, 3, 2, 1), (2, 2, 2, 2, 1), (3, 3, 3, 3, 1), (2, 3, 2))
AFFINE_WIDTHS: tuple[tuple[int, ...], ...] = ((2, 1), (2, 2, 1), (3, 2, 2, 1), (2, 2, 2))
STEP_DEPTH = 3
"""The proof steps of section 6 are swept to this depth (their derivatives are the slowest to check)."""

_HOMOGENEOUS = tuple(n for n, f in FORMULAS.items() if "homogeneous" in f.forms)
"""The catalogue's formulas in the paper's (homogeneous) form: proved, swept and tabulated."""
ProgressCallback = Callable[[int, int, str], None]
"""``progress(done, total, label)``: ``done`` of ``total`` units finished, ``label`` the one starting."""
_AFFINE_CLAIMS = ("(a)-(c): homogeneous f = affine f", "bias gradient = last column of grad W_i",
                  "(b) survives training: fixed last rows of W_i (i<k) get zero gradient")


class _Ticker:
    """Counts units of work for a ``progress`` callback: call it with a label before each unit."""

    def __init__(self, progress: ProgressCallback | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def __call__(self, label: str) -> None:
        if self.progress is not None:
            self.progress(self.done, self.total, label)
        self.done += 1

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(self.total, self.total, "")


def _cells(archs: Iterable[Architecture], names: Iterable[str], tick: _Ticker | None = None) -> dict:
    cells = {}
    for arch in archs:
        if tick is not None:
            tick(f"table {arch.label()}")
        for name in names:
            reason = FORMULAS[name].applies(arch)
            cells[(name, arch)] = "n/a" if reason else verify(name, arch)
    return cells


def _bounds(archs: list[Architecture]) -> str:
    depths, widths = [a.depth for a in archs], [n for a in archs for n in a.widths[:-1]]
    return f"depths {min(depths)}-{max(depths)}, widths {min(widths)}-{max(widths)}, n_k = 1"


def _listed(archs: list[Architecture]) -> str:
    return "listed: " + ", ".join(f"[{','.join(map(str, a.widths))}]" for a in archs)


def _sweep_space(activations: str, max_depth: int, max_width: int,
                 sweep_widths: Iterable[Iterable[int]] | None) -> tuple[list[Architecture], Callable]:
    """The sweep's architectures, smallest first, and how to describe a part of them."""
    if sweep_widths is None:
        return list(ArchitectureSpace(max_depth=max_depth, max_width=max_width, activations=activations)), _bounds
    archs = sorted({Architecture(tuple(w), activations) for w in sweep_widths}, key=lambda a: a.size)
    if not archs:
        raise ArchitectureError("the sweep needs at least one architecture, got sweep_widths=[]")
    return archs, _listed


def _sweep_one(name: str, archs: list[Architecture]) -> Verdict:
    try:
        return sweep(name, archs)
    except ArchitectureError as err:  # the formula applies to none of the architectures asked for
        return Verdict(name, None, (), None, 0.0, note=str(err))


def _sweep_findings(report: Report, activations: str, full: list[Architecture], describe: Callable,
                    everything: bool, tick: _Ticker) -> None:
    short = [a for a in full if a.depth <= STEP_DEPTH] or full
    report.sweep_bounds = f"{describe(full)}; the proof steps of section 6 {describe(short)}"
    for name in _HOMOGENEOUS:
        proof = FORMULAS[name].proof
        tick(f"{'prove' if proof is not None else 'sweep'} {name}")
        if proof is not None:
            report.findings[name] = pp.find(name, proof, activations)
        if proof is None or everything:
            archs = short if FORMULAS[name].equation == "section 6" and not everything else full
            report.sweeps[name] = _sweep_one(name, archs)
            if proof is None:
                why = next((s.why for rows in pp.PRINTED_PROOFS.values() for s in rows if s.formula == name),
                           "a known typo that does not show within these bounds" if FORMULAS[name].typo else "")
                report.findings[name] = pp.from_sweep(name, report.sweeps[name], describe(archs), why)
    tick("typos as LaTeX steps")
    report.typo_steps = {n: pp.find(n, ob, activations) for n, ob in pp.TYPO_STEPS.items()}
    step_sweeps = {n: report.findings[n] for n in _HOMOGENEOUS}
    report.steps = {}
    for eq, rows in pp.PRINTED_PROOFS.items():
        tick(f"printed proof of {eq}")
        report.steps[eq] = [(s, *pp.run_step(s, step_sweeps, activations)) for s in rows]


def _affine_findings(report: Report, activations: str) -> None:
    archs = ", ".join(a.label() for a, _ in report.affine)
    for n, claim in enumerate(_AFFINE_CLAIMS):
        first_bad = next((vs[n] for _, vs in report.affine if vs[n].holds is not True), None)
        if first_bad is None:
            report.affine_findings.append(Verdict(claim, True, method="", note=pp.AFFINE_WHY,
                                                  scope=f"{len(report.affine)} architectures: {archs}"))
        else:
            report.affine_findings.append(pp.from_sweep(claim, first_bad, "the first that fails"))
    for ob in pp.AFFINE_HALVES:
        report.affine_findings.append(pp.find(f"proved half: {ob.latex}", ob, activations))


def paper_report(widths: Iterable[Iterable[int]] = DEFAULT_WIDTHS, *, activations: str = "sigma",
                 max_depth: int = 4, max_width: int = 3, affine: bool = True,
                 sweep_proved: bool = False, sweep_widths: Iterable[Iterable[int]] | None = None,
                 progress: ProgressCallback | None = None) -> Report:
    """Prove or refute every formula of the paper and collect the findings.

    Args:
        widths: the architectures of the formula x architecture table (the registry's code).
        activations: one activation for every layer (default: the abstract sigma).
        max_depth, max_width: bounds of the smallest-counterexample sweep.
        affine: also run the section 3 checks.
        sweep_proved: also sweep the formulas that are proved (slower; a cross-check of the code).
        sweep_widths: sweep these architectures (smallest first) instead of every one within
            max_depth/max_width, e.g. the same list as ``widths``; the proof steps of section 6
            take those of depth <= 3 among them (all of them if none is that shallow). A formula
            that applies to none of them is undecided.
        progress: ``progress(done, total, label)``, called before each unit of work and at the end.
    Raises:
        ArchitectureError, ActivationError: bad widths or activation.
    """
    start = time.perf_counter()
    archs = [Architecture(tuple(w), activations) for w in widths]
    if not archs:
        raise ArchitectureError("the report needs at least one architecture")
    full, describe = _sweep_space(activations, max_depth, max_width, sweep_widths)
    aff = [Architecture(w, activations, "affine") for w in AFFINE_WIDTHS] if affine else []
    tick = _Ticker(progress, len(archs) + len(_HOMOGENEOUS) + 1 + len(pp.PRINTED_PROOFS) + len(aff) + bool(aff))
    report = Report(activations, archs)
    report.cells = _cells(archs, [n for n in _HOMOGENEOUS if n not in pp.SWEPT_STEPS], tick)
    _sweep_findings(report, activations, full, describe, sweep_proved, tick)
    if affine:
        report.affine = []
        for a in aff:
            tick(f"affine {a.label()}")
            report.affine.append((a, check_affine_equivalence(a)))
        tick("affine table")
        report.affine_cells = _cells(aff, [n for n, f in FORMULAS.items() if "affine" in f.forms])
        _affine_findings(report, activations)
    tick.finish()
    report.seconds = time.perf_counter() - start
    return report
