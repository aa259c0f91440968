"""The registry of the paper's formulas and the per-architecture verification.

Each :class:`Formula` names one printed formula (or a corrected one), what it
claims (the ground truth it is compared with), where it applies, and any typo.
:func:`verify` checks one formula on every layer of one architecture exactly.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

import sympy as sp

from . import formulas, lemmas
from .errors import ArchitectureError, ShapeError
from .exact import Verdict, compare, shape_failure
from .ground_truth import engine_truth, grad_N, grad_Sigma, grad_W
from .network import Architecture, Network

__all__ = ["Formula", "FORMULAS", "get_formula", "network", "verify"]

Compute = Callable[[Network, int], sp.Matrix]


def _all_layers(arch: Architecture) -> range:
    return range(1, arch.depth + 1)


def _below_top(arch: Architecture) -> range:
    return range(0, arch.depth)


def _any(arch: Architecture) -> str | None:
    return None


def _one_dimensional(arch: Architecture) -> str | None:
    return None if arch.is_one_dimensional else "one-dimensional case only (n_0 = ... = n_k = 1)"


@dataclass(frozen=True)
class Formula:
    """One formula of the paper.

    Attributes:
        name: registry key ("eq3", "eq3_corrected", "recursion", ...).
        equation: where it is printed ("(3)", "remark 3", ...).
        title: one line.
        latex: the general formula in the paper's notation.
        compute: (net, i) -> the formula's matrix for layer i.
        truth: (net, i) -> the ground truth it claims to equal.
        layers: the layer indices it speaks of on an architecture.
        applies: None if it applies to the architecture, else the reason it does not.
        typo: what is wrong with the printed formula, if anything.
        corrects: the name of the formula this one corrects.
        reading: True for an alternative reading kept to show it fails.
    """

    name: str
    equation: str
    title: str
    latex: str
    compute: Compute
    truth: Compute = field(default=grad_W)
    layers: Callable[[Architecture], range] = field(default=_all_layers)
    applies: Callable[[Architecture], str | None] = field(default=_any)
    typo: str | None = None
    corrects: str | None = None
    reading: bool = False

    def __repr__(self) -> str:
        return f"Formula({self.name!r}, {self.equation})"

    def _repr_latex_(self) -> str:
        return f"${self.latex}$"


_TYPO_EQ3 = (r"in the line for \nabla_{W_1} f the factor \Sigma'_{k-2} \bullet W_{k-2} lacks the transpose; "
             r"it must be \Sigma'_{k-2} \bullet W_{k-2}^T (visible for depth k >= 4)")
_TYPO_PROOF6 = (r"in the proof of (6), the 4th equality writes \Sigma_r^T; it must be \Sigma_{r-1}^T "
                r"(the input of layer r), as the line's own final result says")
_TYPO_PROOF7 = (r"in the proof of (7), the 3rd equality writes \Sigma'_{r+1} \circ (W_{r+1}^T)^i, the Hadamard "
                r"product of an n_{r+1}-column with the n_{r+1}-string (W_{r+1}^T)^i (the i-th row of W_{r+1}^T); "
                r"it must be \Sigma'_{r+1} \circ ((W_{r+1}^T)^i)^T, the i-th column of W_{r+1} (a shape slip: "
                r"the entries are right)")

_ENTRIES = [
    Formula("eq1", "(1)", "1-D gradient, explicit product",
            r"\nabla_{w_i} f = \sigma'_k w_k \sigma'_{k-1} w_{k-1} \cdots \sigma'_i \sigma_{i-1}",
            formulas.eq1, applies=_one_dimensional),
    Formula("eq2", "(2)", "1-D gradient, periodic grouping",
            r"\nabla_{w_i} f = (\sigma'_k w_k)(\sigma'_{k-1} w_{k-1}) \cdots (\sigma'_i \sigma_{i-1})",
            formulas.eq2, applies=_one_dimensional),
    Formula("eq1_recursion", "section 4", "1-D recursion",
            r"\Delta_i = \Delta_{i+1} w_{i+1} \sigma'_i,\ \nabla_{w_i} f = \Delta_i \sigma_{i-1}",
            formulas.eq1_recursion, applies=_one_dimensional),
    Formula("eq3", "(3)", "Hadamard/bullet form, as printed",
            r"\nabla_{W_i} f = \Sigma'_k \bullet W_k^T \circ \cdots \circ \Sigma'_{i+1} \bullet W_{i+1}^T"
            r" \circ \Sigma'_i \cdot \Sigma_{i-1}^T", formulas.eq3, typo=_TYPO_EQ3),
    Formula("eq3_corrected", "(3)", "Hadamard/bullet form, corrected",
            r"\nabla_{W_i} f = \Sigma'_k \bullet W_k^T \circ \cdots \circ \Sigma'_{i+1} \bullet W_{i+1}^T"
            r" \circ \Sigma'_i \cdot \Sigma_{i-1}^T", formulas.eq3_corrected, corrects="eq3"),
    Formula("Delta", "remark 3", "Delta_i is the gradient w.r.t. N_i",
            r"\Delta_i = (W_{i+1}^T \cdot \Delta_{i+1}) \circ \Sigma'_i = \nabla_{N_i} f",
            formulas.Delta, truth=grad_N),
    Formula("recursion", "remark 3", "recursion",
            r"\nabla_{W_i} f = \Delta_i \cdot \Sigma_{i-1}^T,\ \Delta_i = (W_{i+1}^T \cdot \Delta_{i+1})"
            r" \circ \Sigma'_i", formulas.grad_recursion),
    Formula("eq4", "(4)", "Kronecker form (right to left)",
            r"\nabla_{W_i} f = \Sigma_{i-1}^T \otimes \Sigma'_i \circ W_{i+1}^T \cdot \Sigma'_{i+1} \circ"
            r" \cdots \circ W_k^T \cdot \Sigma'_k", formulas.eq4),
    Formula("eq4_grouped", "(4)", "Kronecker form, braces read as groups (wrong reading)",
            r"(\Sigma_{i-1}^T \otimes \Sigma'_i) \circ (W_{i+1}^T \cdot \Sigma'_{i+1}) \circ \cdots",
            formulas.eq4_grouped, reading=True),
    Formula("eq5", "(5)", "diagonal form",
            r"\nabla_{W_i} f = \Sigma_{i-1}^T \otimes (\widehat{\Sigma}'_i \cdot W_{i+1}^T \cdot"
            r" \widehat{\Sigma}'_{i+1} \cdots W_k^T \cdot \widehat{\Sigma}'_k)", formulas.eq5),
    Formula("eq6", "(6)", "lemma: gradient from grad Sigma_r f",
            r"\nabla_{W_r} f = (\nabla_{\Sigma_r} f) \circ \Sigma'_r \cdot \Sigma_{r-1}^T", lemmas.eq6),
    Formula("eq7", "(7)", "lemma: grad Sigma_r f from grad Sigma_{r+1} f",
            r"\nabla_{\Sigma_r} f = (\nabla_{\Sigma_{r+1}} f) \circ \Sigma'_{r+1} \bullet W_{r+1}^T",
            lemmas.eq7, truth=grad_Sigma, layers=_below_top),
    Formula("eq6_proof_chain_rule", "section 6", "proof of (6), 2nd expression: the chain rule through Sigma_r^i",
            r"\{\nabla_{\Sigma_r^i} f \cdot \nabla_{W_r^i} \Sigma_r^i\}_i", lemmas.eq6_proof_chain_rule),
    Formula("eq6_proof_substituted", "section 6", "proof of (6), 3rd expression: Sigma_r^i written out",
            r"\{\nabla_{\Sigma_r^i} f \cdot \nabla_{W_r^i}(\Sigma_r^i(W_r^i \cdot \Sigma_{r-1}))\}_i",
            lemmas.eq6_proof_substituted),
    Formula("eq6_proof", "section 6", "proof of (6), 4th equality, as printed",
            r"\{\nabla_{\Sigma_r^i} f \cdot \Sigma_r^{i\prime} \cdot \Sigma_r^T\}_i", lemmas.eq6_proof_step,
            typo=_TYPO_PROOF6),
    Formula("eq6_proof_corrected", "section 6", "proof of (6), 4th equality, corrected",
            r"\{\nabla_{\Sigma_r^i} f \cdot \Sigma_r^{i\prime} \cdot \Sigma_{r-1}^T\}_i",
            lemmas.eq6_proof_step_corrected, corrects="eq6_proof"),
    Formula("eq7_proof_chain_rule", "section 6", "proof of (7), 1st expression: the chain rule",
            r"\langle \nabla_{\Sigma_{r+1}} f, \nabla_{\Sigma_r^i} \Sigma_{r+1} \rangle",
            lemmas.eq7_proof_chain_rule, truth=grad_Sigma, layers=_below_top),
    Formula("eq7_proof_substituted", "section 6", "proof of (7), 2nd expression: Sigma_{r+1} written out",
            r"\langle \nabla_{\Sigma_{r+1}} f, \nabla_{\Sigma_r^i}(\Sigma_{r+1}(W_{r+1} \Sigma_r)) \rangle",
            lemmas.eq7_proof_substituted, truth=grad_Sigma, layers=_below_top),
    Formula("eq7_proof", "section 6", "proof of (7), 3rd equality, as printed",
            r"\langle \nabla_{\Sigma_{r+1}} f, \Sigma'_{r+1} \circ (W_{r+1}^T)^i \rangle", lemmas.eq7_proof_step,
            truth=grad_Sigma, layers=_below_top, typo=_TYPO_PROOF7),
    Formula("eq7_proof_corrected", "section 6", "proof of (7), 3rd equality, corrected",
            r"\langle \nabla_{\Sigma_{r+1}} f, \Sigma'_{r+1} \circ ((W_{r+1}^T)^i)^T \rangle",
            lemmas.eq7_proof_step_corrected, truth=grad_Sigma, layers=_below_top, corrects="eq7_proof"),
]

FORMULAS: dict[str, Formula] = {f.name: f for f in _ENTRIES}


def get_formula(name: str | Formula) -> Formula:
    """The registered formula called ``name``.

    Raises:
        ArchitectureError: unknown name (the message lists the known ones).
    """
    if isinstance(name, Formula):
        return name
    try:
        return FORMULAS[name]
    except KeyError:
        raise ArchitectureError(f"unknown formula {name!r}; known: {', '.join(FORMULAS)}") from None


def _what(form: Formula) -> str:
    return f"formula {form.equation}" if form.equation.startswith("(") else f"{form.name} ({form.equation})"


@lru_cache(maxsize=256)
def network(architecture: Architecture) -> Network:
    """The one shared Network of ``architecture`` (m = 1); its ground truths are memoised on it.

    Every formula verified on an architecture, by :func:`verify` or a sweep, reuses it, so the
    ground truth is differentiated once per architecture, not once per formula.
    ``network.cache_clear()`` frees them.
    """
    return Network(architecture)


def verify(formula: str | Formula, architecture: Architecture | Network) -> Verdict:
    """Check ``formula`` exactly on every layer of one architecture.

    Returns:
        Verdict(holds=True) if every layer is an exact identity; holds=False with the
        first failing layer's Counterexample (value or shape); holds=None if undecided.
    Raises:
        ArchitectureError: the formula does not apply to this architecture.
    """
    form = get_formula(formula)
    net = architecture if isinstance(architecture, Network) else network(architecture)
    arch = net.architecture
    reason = form.applies(arch)
    if reason:
        raise ArchitectureError(f"formula {form.equation} ({form.name}) does not apply to {arch.label()}: {reason}")
    start = time.perf_counter()
    undecided = False
    for i in form.layers(arch):
        try:
            lhs = form.compute(net, i)
        except ShapeError as err:
            failure = shape_failure(net, i, err, _what(form))
        else:
            truth = engine_truth(form.truth, net, i)
            truth = form.truth(net, i) if truth is None else truth
            failure = compare(net, lhs, truth, layer=i, what=_what(form))
        if failure == "undecided":
            undecided = True
        elif failure is not None:
            return Verdict(form.name, False, (arch,), failure, time.perf_counter() - start)
    note = "non-zero difference polynomial but no witness point found" if undecided else ""
    return Verdict(form.name, None if undecided else True, (arch,), None, time.perf_counter() - start, note=note)
