"""Verdicts for the derivation: each formula against the ground truth on one architecture.

A thin adapter: a formula known to :data:`derivations.registry.FORMULAS` is
checked by ``registry.verify`` (every layer, exact polynomial identity, a
witness point for a failure); the rest (the bias gradient) by
:func:`derivations.exact.compare` directly, the same way. The rows keep what the
document needs (label, tag, outcome, time, counterexample).

Where :mod:`derivations.paper_proofs` proves the formula for every architecture
(induction over the layers, each obligation proved by
:func:`derivations.checker.check`), the verdict carries that proof's
:class:`~derivations.paper_proofs.Finding` too; its scope is homogeneous networks
with n_k = 1, so an affine or wide-output network gets the one-architecture check
only (the bias row excepted: its obligation is proved in affine form).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any, Callable

import sympy as sp

from .. import formulas, ground_truth, paper_proofs, registry
from ..errors import ShapeError
from ..exact import Counterexample, compare, latex_text
from ..network import Network

__all__ = ["FormulaCheck", "CHECKS", "checks_for", "FormulaVerdict", "verify_all", "proof_for",
           "counterexample_lines"]


@dataclass(frozen=True)
class FormulaCheck:
    """One formula as the derivation shows it.

    Attributes:
        name: the function name in :mod:`derivations.formulas` (registry key).
        tag: the equation label printed in the document, e.g. "3".
        title: a short description.
        compute: (net, i) -> the formula's matrix.
        truth: (net, i) -> the ground truth it must equal.
        corrects: the name of the printed formula this one corrects, if any.
        registry_name: its key in ``derivations.registry.FORMULAS`` (None: checked here).
    """

    name: str
    tag: str
    title: str
    compute: Callable[[Network, int], sp.Matrix]
    truth: Callable[[Network, int], sp.Matrix] = ground_truth.grad_W
    corrects: str | None = None
    registry_name: str | None = None


CHECKS: tuple[FormulaCheck, ...] = (
    FormulaCheck("eq3", "3", "formula (3) as printed", formulas.eq3, registry_name="eq3"),
    FormulaCheck("eq3_corrected", "3'", "formula (3), corrected", formulas.eq3_corrected, corrects="eq3",
                 registry_name="eq3_corrected"),
    FormulaCheck("eq4", "4", "formula (4), read right to left", formulas.eq4, registry_name="eq4"),
    FormulaCheck("eq5", "5", "formula (5), diagonal matrices", formulas.eq5, registry_name="eq5"),
    FormulaCheck("grad_recursion", "R", r"recursion $\Delta_i \cdot \Sigma_{i-1}^T$ (remark 3)",
                 formulas.grad_recursion, registry_name="recursion"),
)
_BIAS = FormulaCheck("grad_b_recursion", "Rb", r"bias gradient $\nabla_{b_i} f = \Delta_i$",
                     formulas.grad_b_recursion, truth=ground_truth.grad_b)


def checks_for(net: Network) -> tuple[FormulaCheck, ...]:
    """The formulas the derivation verifies on ``net`` (the bias row for an affine net)."""
    return CHECKS + ((_BIAS,) if net.is_affine else ())


@dataclass(frozen=True)
class FormulaVerdict:
    """Outcome of one formula on every layer of one architecture.

    Attributes:
        check: the formula.
        holds: True (exact on every layer), False (a counterexample), None (undecided).
        seconds: wall time of the formula and the comparison (ground truth excluded).
        counterexample: the first failing layer's counterexample.
        failing_layers: the layers where it fails.
        proof: the paper_proofs Finding proving the formula for every architecture, when one covers this net.
    """

    check: FormulaCheck
    holds: bool | None
    seconds: float
    counterexample: Counterexample | None = None
    failing_layers: tuple[int, ...] = ()
    proof: Any = None

    @property
    def status(self) -> str:
        """'exact', 'counterexample' or 'undecided'."""
        return {True: "exact", False: "counterexample", None: "undecided"}[self.holds]

    @property
    def proved(self) -> bool:
        """True when the formula is proved for every architecture (and holds here)."""
        return bool(self.holds) and self.proof is not None

    def verdict_text(self, label: str = "this architecture") -> str:
        """'proved for every architecture', 'holds exactly on <label>', 'counterexample' or 'undecided'."""
        if self.proved:
            return "proved for every architecture"
        return {"exact": f"holds exactly on {label}", "counterexample": "counterexample",
                "undecided": "undecided"}[self.status]

    def jupyter(self, label: str = "this architecture") -> str:
        """One display-math line: tag, title and verdict in ``\\text{}``, then the counterexample's math."""
        head = f"\\text{{({self.check.tag}) {self.check.title}: {latex_text(self.verdict_text(label))}}}"
        if self.counterexample is None:
            return head
        return head + " \\\\ " + " \\\\ ".join(counterexample_lines(self.counterexample))

    def _repr_latex_(self) -> str:
        return "$$\\begin{array}{l}" + self.jupyter() + "\\end{array}$$"


def counterexample_lines(ce: Counterexample, *, per_line: int = 6) -> list[str]:
    """The counterexample as math lines: layer, entry, both values, then the point (``per_line`` per line).

    >>> from derivations.network import Architecture
    >>> lines = counterexample_lines(Counterexample(Architecture((1, 1)), 1, (0, 0), {"x_{1}": "2"}, "0", "1"))
    >>> len(lines), lines[-1]
    (2, 'x_{1} = 2')
    """
    if ce.kind == "shape" or ce.entry is None:
        return [f"\\text{{layer {ce.layer}: {latex_text(ce.message)}}}"]
    r, c = ce.entry
    head = (f"\\text{{layer {ce.layer}, entry }}({r + 1},{c + 1})\\text{{: formula}} = {ce.formula_value}"
            f"\\text{{, gradient}} = {ce.truth_value}\\text{{ at}}")
    items = [f"{name} = {value}" for name, value in sorted(ce.point.items())]
    return [head] + [", ".join(items[n:n + per_line]) for n in range(0, len(items), per_line)]


def _from_registry(net: Network, check: FormulaCheck) -> FormulaVerdict | None:
    """The registry's verdict, or None when the registry does not know the formula."""
    if check.registry_name not in registry.FORMULAS:
        return None
    v = registry.verify(check.registry_name, net)
    ce = v.counterexample
    layers = (ce.layer,) if ce is not None and ce.layer is not None else ()
    return FormulaVerdict(check, v.holds, v.seconds, ce, layers)


def _one(net: Network, check: FormulaCheck) -> FormulaVerdict:
    found = _from_registry(net, check)
    if found is not None:
        return found
    start = time.perf_counter()
    failures: list[tuple[int, Counterexample]] = []
    undecided = False
    for i in range(1, net.depth + 1):
        try:
            value = check.compute(net, i)
        except ShapeError as err:
            failures.append((i, Counterexample(net.architecture, i, None, kind="shape", message=str(err))))
            continue
        result = compare(net, value, check.truth(net, i), layer=i, what=f"({check.tag})")
        if isinstance(result, Counterexample):
            failures.append((i, result))
        elif result == "undecided":
            undecided = True
    seconds = time.perf_counter() - start
    if failures:
        return FormulaVerdict(check, False, seconds, failures[0][1], tuple(i for i, _ in failures))
    return FormulaVerdict(check, None if undecided else True, seconds)


def verify_all(net: Network) -> tuple[float, list[FormulaVerdict]]:
    """(seconds for the ground truth, one verdict per formula of :func:`checks_for`)."""
    start = time.perf_counter()
    for i in range(1, net.depth + 1):
        ground_truth.grad_W(net, i)
        if net.is_affine:
            ground_truth.grad_b(net, i)
    truth_seconds = time.perf_counter() - start
    verdicts = [_one(net, check) for check in checks_for(net)]
    return truth_seconds, [replace(v, proof=proof_for(net, v.check)) if v.holds else v for v in verdicts]


def proof_for(net: Network, check: FormulaCheck):
    """The :mod:`derivations.paper_proofs` Finding that proves ``check`` for every architecture, or None.

    Reuses ``paper_proofs.proved_by`` and ``find`` (the report's proofs, cached); None when no
    proof exists (the printed (3)), when it fails, or when its scope (homogeneous, n_k = 1)
    does not cover ``net``.
    """
    if net.n(net.depth) != 1:
        return None
    if check.name == "grad_b_recursion":
        proof = paper_proofs.AFFINE_HALVES[0]
    elif net.is_affine or check.registry_name is None:
        return None
    else:
        proof = paper_proofs.proved_by(check.registry_name)
    if proof is None:
        return None
    finding = paper_proofs.find(check.name, proof, "sigma")  # arbitrary sigma: covers every activation
    return finding if finding.status == "proved" and "n_k = 1" in finding.scope else None
