"""The paper's verification report as a value: :class:`Report`, rendered as text, Markdown or JSON.

:func:`derivations.report.paper_report` fills it; this module only says it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from . import paper_proofs as pp
from .network import Architecture
from .registry import FORMULAS
from .verdict import Verdict

__all__ = ["Report", "TEXT_TYPOS"]

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
    """Everything :func:`paper_report` found; render with :meth:`to_text`, :meth:`to_markdown`, :meth:`to_json`.

    ``findings``: registry name -> verdict (proved / holds on the sweep only / fails);
    ``sweeps``: the sweeps run (formulas not proved, or all with ``sweep_proved``);
    ``steps``: "(6)"/"(7)" -> [(step, as printed, corrected)]; ``typo_steps``: a typo as a LaTeX step.
    """

    activations: str
    architectures: list[Architecture]
    cells: dict[tuple[str, Architecture], Verdict | str] = field(default_factory=dict)
    sweeps: dict[str, Verdict] = field(default_factory=dict)
    affine: list[tuple[Architecture, list[Verdict]]] = field(default_factory=list)
    affine_cells: dict[tuple[str, Architecture], Verdict | str] = field(default_factory=dict)
    seconds: float = 0.0
    findings: dict[str, Verdict] = field(default_factory=dict)
    steps: dict[str, list[tuple[pp.Step, Verdict, Verdict | None]]] = field(default_factory=dict)
    typo_steps: dict[str, Verdict] = field(default_factory=dict)
    affine_findings: list[Verdict] = field(default_factory=list)
    sweep_bounds: str = "depths 1-4, widths 1-3, n_k = 1"

    @property
    def typos(self) -> list[tuple[str, Verdict, str | None, Verdict | None]]:
        """(typo text, finding on the printed formula, corrected name, its finding)."""
        out = []
        for name, form in FORMULAS.items():
            if form.typo:
                fix = next((f.name for f in FORMULAS.values() if f.corrects == name), None)
                out.append((form.typo, self.findings[name], fix, self.findings.get(fix)))
        return out

    @property
    def all_as_expected(self) -> bool:
        """True when every correct formula is proved or holds on the sweep and the affine embedding
        reproduces f and the bias gradients (typos and wrong readings are expected to fail)."""
        correct = all(v.holds is True for name, v in self.findings.items()
                      if not (FORMULAS[name].typo or FORMULAS[name].reading))
        return correct and all(vs[0].holds and vs[1].holds for _, vs in self.affine)

    @property
    def typos_found(self) -> list[str]:
        """Names of the printed formulas with a typo that were refuted."""
        return [name for name, v in self.findings.items() if FORMULAS[name].typo and v.holds is False]

    def _summary(self) -> str:
        typos = [n for n, f in FORMULAS.items() if f.typo]
        correct = [v for n, v in self.findings.items() if not (FORMULAS[n].typo or FORMULAS[n].reading)]
        proved = sum(v.status == "proved" for v in correct)
        text = (f"Correct formulas: {proved} of {len(correct)} proved for every architecture, the others hold "
                "on the sweep only." if self.all_as_expected else "Some correct formulas did not hold (see above).")
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

    def _verdict_rows(self, md: bool) -> list[str]:
        head = ["formula", "eq.", "verdict", "where", "how"]
        rows = []
        for name, v in self.findings.items():
            ce = v.counterexample
            where = f"{ce.architecture.label()}, layer {ce.layer} ({ce.kind})" if ce is not None else v.scope
            how = v.method if v.status == "proved" else v.why if v.status != "fails" else \
                ("the sweep's smallest counterexample" if name in self.sweeps else v.why)
            rows.append([name, FORMULAS[name].equation, v.status, where, how])
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
                only = "; no failure by value on the sweep (the entries are right)" if ce.kind == "shape" else ""
                details.append(f"- {name}: {ce.message}" + (f"; {v.note}" if v.note else only))
        return _render(head, rows, md) + ([""] + details if details else [])

    def _proof_lines(self) -> list[str]:
        out = []
        groups = [(tuple(n for n, f in FORMULAS.items() if f.proof is ind), ind.equation) for ind in pp.INDUCTIONS]
        for names, equation in groups + [(("eq6",), "(6)"), (("eq7",), "(7)")]:
            v = self.findings[names[0]]
            out.append(f"- {', '.join(names)} {equation}: {v.statement()}")
            for role, latex, result in v.checks:
                how = result.proof.method if result.proof else result.note
                out.append(f"    - {role}: `{latex}` -> {result.status} ({how})")
        return out

    def _step_lines(self) -> list[str]:
        out = []
        for eq, rows in self.steps.items():
            end = r"\nabla_{W_r} f" if eq == "(6)" else r"\nabla_{\Sigma_r^i} f"
            out.append(f"Proof of {eq}: every expression of the printed chain vs its left end `{end}`")
            for step, printed, fixed in rows:
                how = f"`{step.latex}`" if step.latex else f"registry formula {step.formula}" if step.formula else ""
                out.append(f"  {step.number}. `{step.printed}`" + (f" [as {how}]" if how else ""))
                out.append(f"     {printed.statement()}")
                if fixed is not None:
                    fix = f"`{step.corrected}`" if step.corrected else step.fixed_formula
                    out.append(f"     TYPO; corrected {fix}: {fixed.statement()}")
        return out

    def _typo_lines(self) -> list[str]:
        out = []
        for n, (text, printed, fix, fixed) in enumerate(self.typos, 1):
            name = next(k for k, f in FORMULAS.items() if f.typo == text)
            out.append(f"{n}. {text}")
            out.append(f"   as printed: {printed.statement()}")
            if name in self.typo_steps:
                out.append(f"   as a LaTeX step `{pp.TYPO_STEPS[name].latex}`: {self.typo_steps[name].statement()}")
            if fix:
                out.append(f"   corrected ({fix}): {fixed.statement() if fixed else 'not checked'}")
        out += [f"{m}. {text}" for m, text in enumerate(TEXT_TYPOS, len(self.typos) + 1)]
        return out

    def to_text(self, *, md: bool = False) -> str:
        """The report as plain text (or Markdown with ``md=True``)."""
        h = (lambda t: f"\n## {t}\n") if md else (lambda t: f"\n{t}\n{'=' * len(t)}")
        out = ["# backprop-verify report" if md else "backprop-verify report",
               "Paper: N. M. Mishachev, \"Backpropagation in matrix notation\" (formulas (1)-(7)).",
               f"Activations: {self.activations}. A proof covers every depth and width (paper notation: n_k = 1, "
               "m = 1); a sweep is an exact polynomial identity on each architecture of its bounds; ground truth: "
               "direct differentiation of the composed f. n_k > 1: gradient of <V, f> (Delta_{k+1} = V)."]
        out.append(h("Verdicts: proved / holds on the sweep only / fails"))
        out += self._verdict_rows(md)
        out.append(h("Proofs: induction for the chains, one local identity for the lemmas"))
        out += self._proof_lines()
        out.append(h("The printed proofs of (6) and (7) (section 6), expression by expression"))
        out += self._step_lines()
        out.append(h("Formula x architecture: the registry's code, exact"))
        out += self._table(self.architectures, self.cells, md)
        out.append(h(f"Sweep of what is not proved: {self.sweep_bounds} (smallest counterexample first)"))
        out += self._sweep_rows(md)
        out.append(h("Typos in the paper as printed"))
        out += self._typo_lines()
        out.append(h("Affine <-> homogeneous (section 3)"))
        out += [f"- {v.name}: {v.statement()}" for v in self.affine_findings]
        out += [f"- {arch.label()}: " + "; ".join(v.status for v in vs) for arch, vs in self.affine]
        out.append("")
        out += self._table(sorted({a for _, a in self.affine_cells}, key=lambda a: a.size), self.affine_cells, md)
        out.append(f"\nTotal time: {self.seconds:.1f}s. {self._summary()}")
        return "\n".join(out)

    def to_markdown(self) -> str:
        """The report as Markdown."""
        return self.to_text(md=True)

    def to_json(self) -> str:
        """The report as JSON (verdicts with proofs or counterexamples, sweeps, times)."""
        data = {
            "activations": self.activations, "seconds": round(self.seconds, 3),
            "verdicts": {n: v.to_dict() for n, v in self.findings.items()},
            "cells": [{"formula": n, "architecture": a.label(), **_verdict(v)} for (n, a), v in self.cells.items()],
            "sweep_bounds": self.sweep_bounds,
            "sweeps": {n: _swept(self.sweeps[n]) if n in self.sweeps else
                       {"status": v.status, "seconds": 0.0, "note": f"not swept: {v.statement()}",
                        "counterexample": None, "architectures": []}
                       for n, v in self.findings.items()},
            "printed_proofs": {eq: [{"expression": s.number, "printed": s.printed, "checked_as": s.latex or s.formula,
                                     **p.to_dict(), "corrected": f and {"as": s.corrected or s.fixed_formula,
                                                                         **f.to_dict()}}
                                    for s, p, f in rows] for eq, rows in self.steps.items()},
            "typos": [{"typo": t, "as_printed": p.status, "corrected": f, "corrected_status": c and c.status}
                      for t, p, f, c in self.typos] + [{"typo": t} for t in TEXT_TYPOS],
            "affine": [{"architecture": a.label(), "claim": v.formula, **_verdict(v)} for a, vs in self.affine
                       for v in vs],
            "affine_statements": {v.name: v.to_dict() for v in self.affine_findings},
            "all_as_expected": self.all_as_expected, "typos_found": self.typos_found,
        }
        return json.dumps(data, indent=2)

    def __str__(self) -> str:
        return self.to_text()

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def _verdict(v: Verdict | str) -> dict:
    if isinstance(v, str):
        return {"status": v}
    ce = v.counterexample
    return {"status": v.status, "seconds": round(v.seconds, 4), "note": v.note,
            "counterexample": None if ce is None else {
                "architecture": list(ce.architecture.widths), "layer": ce.layer, "entry": ce.entry,
                "kind": ce.kind, "point": ce.point, "formula_value": ce.formula_value,
                "truth_value": ce.truth_value, "message": ce.message}}


def _swept(v: Verdict) -> dict:
    """A sweep's verdict with the architectures it checked (smallest first; it stops at the first failure)."""
    return {**_verdict(v), "architectures": [list(a.widths) for a in v.architectures]}


def _render(head: list[str], rows: list[list[str]], md: bool) -> list[str]:
    if md:
        return ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)] + \
            ["| " + " | ".join(r) + " |" for r in rows]
    widths = [max(len(str(r[c])) for r in [head] + rows) for c in range(len(head))]
    fmt = lambda r: "  ".join(str(x).ljust(w) for x, w in zip(r, widths, strict=True)).rstrip()  # noqa: E731
    return [fmt(head), fmt(["-" * w for w in widths])] + [fmt(r) for r in rows]
