"""The catalogue of the paper's formulas, and the per-architecture verification.

One record per formula (:class:`Formula`) holds everything said about it: its name, the
paper's equation, the LaTeX as printed in the paper notation the checker reads (with the
reading order), the pieces the LaTeX document writes for given k and i, the forms it applies
to, the computation (a :mod:`derivations.formulas` or :mod:`derivations.lemmas` function), the
ground truth it claims, any typo, and the proof for every architecture (the induction
obligations of a chain, or a local identity; :mod:`derivations.paper_proofs`). The LaTeX
document (:mod:`derivations.latex`) and the report read this catalogue; a new formula is one
record here. ``tests/derivations/test_catalogue.py`` parses each record's LaTeX with the checker
and compares it exactly with the computation. :func:`verify` checks one formula on every layer of
one architecture exactly and returns the one :class:`~derivations.verdict.Verdict`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Callable

import sympy as sp

from . import formula_tex as nt
from . import formulas, lemmas
from . import paper_proofs as pp
from .errors import ArchitectureError, UnknownNameError
from .exact import decide
from .ground_truth import engine_truth, grad_b, grad_N, grad_Sigma, grad_W
from .network import FORMS, Architecture, Network
from .verdict import Verdict

__all__ = ["Formula", "FORMULAS", "get_formula", "network", "verify", "document_entries", "proved_by"]

Compute = Callable[[Network, int], sp.Matrix]
Pieces = Callable[..., list]
"""(k, i, *, seeded) -> the right-hand side as LaTeX pieces."""


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
    """One formula of the paper: the catalogue record.

    Attributes:
        name: registry key ("eq3", "eq3_corrected", "recursion", ...).
        equation: where it is printed ("(3)", "remark 3", ...).
        title: one line.
        latex: the general formula as printed, in the paper notation the checker reads.
        compute: (net, i) -> the formula's matrix for layer i.
        truth: (net, i) -> the ground truth it claims to equal.
        layers: the layer indices it speaks of on an architecture.
        condition: None if it applies to the architecture, else the reason it does not.
        typo: what is wrong with the printed formula, if anything.
        corrects: the name of the formula this one corrects.
        reading: True for an alternative reading kept to show it fails.
        order: the reading order the checker needs for ``latex`` (None: the notation's).
        unchecked: why the checker's grammar cannot state ``latex`` as the computation (None: it can).
        forms: the network forms it applies to ("homogeneous", "affine").
        proof: the paper_proofs Induction (chains) or Obligation (local identities) that proves it
            for every architecture, or None (sweep only).
        tag: its equation label in the LaTeX document ("3", "3'", "R"); "" = not in the document.
        pieces: (k, i, seeded) -> the right-hand side as LaTeX pieces for the document.
        typo_at: (k, i) -> True on the layers where the document shows the printed typo.
    """

    name: str
    equation: str
    title: str
    latex: str
    compute: Compute
    truth: Compute = field(default=grad_W)
    layers: Callable[[Architecture], range] = field(default=_all_layers)
    condition: Callable[[Architecture], str | None] = field(default=_any)
    typo: str | None = None
    corrects: str | None = None
    reading: bool = False
    order: str | None = None
    unchecked: str | None = None
    forms: tuple[str, ...] = FORMS
    proof: pp.Induction | pp.Obligation | None = None
    tag: str = ""
    pieces: Pieces | None = None
    typo_at: Callable[[int, int], bool] | None = None

    def applies(self, arch: Architecture) -> str | None:
        """None if the formula applies to ``arch``, else the reason it does not."""
        if arch.form not in self.forms:
            return f"{' and '.join(self.forms)} form only, got form={arch.form!r}"
        return self.condition(arch)

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

_HOM = ("homogeneous",)
_LOWER_CASE = "the one-dimensional w_i, sigma_i are not symbols of the paper notation (it writes W_i, Sigma_i)"
_GROUPED = "M o c of a matrix and a column read as a row scaling is not a grammar product"
_PRINTED_LINE = ("the misprint sits in the written-out line for W_1 (depth k >= 4); the general formula with "
                 r"\cdots is the corrected one (eq3_corrected)")
_NO_GRAMMAR = pp.NO_GRAMMAR
_EQ3 = (r"\nabla_{W_i} f = \Sigma'_k \bullet W_k^T \circ \cdots \circ \Sigma'_{i+1} \bullet W_{i+1}^T"
        r" \circ \Sigma'_i \cdot \Sigma_{i-1}^T")
_IND = pp.INDUCTION
_SIXTH = dict(forms=_HOM, unchecked=_NO_GRAMMAR)
_SEVENTH = dict(truth=grad_Sigma, layers=_below_top, forms=_HOM, unchecked=_NO_GRAMMAR)

_ENTRIES = [
    Formula("eq1", "(1)", "1-D gradient, explicit product",
            r"\nabla_{w_i} f = \sigma'_k w_k \sigma'_{k-1} w_{k-1} \cdots \sigma'_i \sigma_{i-1}",
            formulas.eq1, condition=_one_dimensional, forms=_HOM, unchecked=_LOWER_CASE, proof=_IND["eq1"]),
    Formula("eq2", "(2)", "1-D gradient, periodic grouping",
            r"\nabla_{w_i} f = (\sigma'_k w_k)(\sigma'_{k-1} w_{k-1}) \cdots (\sigma'_i \sigma_{i-1})",
            formulas.eq2, condition=_one_dimensional, forms=_HOM, unchecked=_LOWER_CASE, proof=_IND["eq1"]),
    Formula("eq1_recursion", "section 4", "1-D recursion",
            r"\Delta_i = \Delta_{i+1} w_{i+1} \sigma'_i,\ \nabla_{w_i} f = \Delta_i \sigma_{i-1}",
            formulas.eq1_recursion, condition=_one_dimensional, forms=_HOM,
            unchecked=_LOWER_CASE, proof=_IND["eq1"]),
    Formula("eq3", "(3)", "formula (3) as printed", _EQ3, formulas.eq3, typo=_TYPO_EQ3, forms=_HOM,
            unchecked=_PRINTED_LINE, tag="3", pieces=partial(nt.eq3_pieces, printed=True), typo_at=formulas.eq3_typo),
    Formula("eq3_corrected", "(3)", "formula (3), corrected", _EQ3, formulas.eq3_corrected, corrects="eq3",
            proof=_IND["eq3"], tag="3'", pieces=nt.eq3_pieces),
    Formula("eq4", "(4)", "formula (4), read right to left",
            r"\nabla_{W_i} f = \Sigma_{i-1}^T \otimes \Sigma'_i \circ W_{i+1}^T \cdot \Sigma'_{i+1} \circ"
            r" \cdots \circ W_k^T \cdot \Sigma'_k", formulas.eq4, order="right", proof=_IND["eq4"], tag="4",
            pieces=nt.eq4_pieces),
    Formula("eq4_grouped", "(4)", "Kronecker form, braces read as groups (wrong reading)",
            r"\nabla_{W_i} f = (\Sigma_{i-1}^T \otimes \Sigma'_i) \circ (W_{i+1}^T \cdot \Sigma'_{i+1}) \circ \cdots"
            r" \circ (W_k^T \cdot \Sigma'_k)", formulas.eq4_grouped, reading=True, forms=_HOM, unchecked=_GROUPED),
    Formula("eq5", "(5)", "formula (5), diagonal matrices",
            r"\nabla_{W_i} f = \Sigma_{i-1}^T \otimes (\widehat{\Sigma}'_i \cdot W_{i+1}^T \cdot"
            r" \widehat{\Sigma}'_{i+1} \cdots W_k^T \cdot \widehat{\Sigma}'_k)", formulas.eq5, proof=_IND["eq5"],
            tag="5", pieces=nt.eq5_pieces),
    Formula("Delta", "remark 3", "Delta_i is the gradient w.r.t. N_i",
            r"\Delta_i = \Delta_{i+1} \bullet W_{i+1}^T \circ \Sigma'_i", formulas.Delta, truth=grad_N,
            proof=_IND["Delta"]),
    Formula("recursion", "remark 3", r"recursion $\Delta_i \cdot \Sigma_{i-1}^T$ (remark 3)",
            r"\nabla_{W_i} f = \Delta_i \cdot \Sigma_{i-1}^T", formulas.grad_recursion, proof=_IND["recursion"],
            tag="R", pieces=lambda k, i, seeded=False: nt.recursion_pieces(i)),
    Formula("bias_recursion", "section 3", r"bias gradient $\nabla_{b_i} f = \Delta_i$",
            r"\nabla_{b_i} f = \Delta_i", formulas.grad_b_recursion, truth=grad_b, forms=("affine",),
            proof=pp.AFFINE_HALVES[0], tag="Rb", pieces=lambda k, i, seeded=False: [f"\\Delta_{{{i}}}"]),
    Formula("eq6", "(6)", "lemma: gradient from grad Sigma_r f", pp.LEMMAS["eq6"].latex, lemmas.eq6,
            proof=pp.LEMMAS["eq6"]),
    Formula("eq7", "(7)", "lemma: grad Sigma_r f from grad Sigma_{r+1} f", pp.LEMMAS["eq7"].latex, lemmas.eq7,
            truth=grad_Sigma, layers=_below_top, proof=pp.LEMMAS["eq7"]),
    Formula("eq6_proof_chain_rule", "section 6", "proof of (6), 2nd expression: the chain rule through Sigma_r^i",
            r"\{\nabla_{\Sigma_r^i} f \cdot \nabla_{W_r^i} \Sigma_r^i\}_i", lemmas.eq6_proof_chain_rule, **_SIXTH),
    Formula("eq6_proof_substituted", "section 6", "proof of (6), 3rd expression: Sigma_r^i written out",
            r"\{\nabla_{\Sigma_r^i} f \cdot \nabla_{W_r^i}(\Sigma_r^i(W_r^i \cdot \Sigma_{r-1}))\}_i",
            lemmas.eq6_proof_substituted, **_SIXTH),
    Formula("eq6_proof", "section 6", "proof of (6), 4th equality, as printed",
            r"\{\nabla_{\Sigma_r^i} f \cdot \Sigma_r^{i\prime} \cdot \Sigma_r^T\}_i", lemmas.eq6_proof_step,
            typo=_TYPO_PROOF6, **_SIXTH),
    Formula("eq6_proof_corrected", "section 6", "proof of (6), 4th equality, corrected",
            r"\{\nabla_{\Sigma_r^i} f \cdot \Sigma_r^{i\prime} \cdot \Sigma_{r-1}^T\}_i",
            lemmas.eq6_proof_step_corrected, corrects="eq6_proof", proof=pp.LEMMAS["eq6_proof_corrected"],
            **_SIXTH),
    Formula("eq7_proof_chain_rule", "section 6", "proof of (7), 1st expression: the chain rule",
            r"\langle \nabla_{\Sigma_{r+1}} f, \nabla_{\Sigma_r^i} \Sigma_{r+1} \rangle",
            lemmas.eq7_proof_chain_rule, **_SEVENTH),
    Formula("eq7_proof_substituted", "section 6", "proof of (7), 2nd expression: Sigma_{r+1} written out",
            r"\langle \nabla_{\Sigma_{r+1}} f, \nabla_{\Sigma_r^i}(\Sigma_{r+1}(W_{r+1} \Sigma_r)) \rangle",
            lemmas.eq7_proof_substituted, **_SEVENTH),
    Formula("eq7_proof", "section 6", "proof of (7), 3rd equality, as printed",
            r"\langle \nabla_{\Sigma_{r+1}} f, \Sigma'_{r+1} \circ (W_{r+1}^T)^i \rangle", lemmas.eq7_proof_step,
            typo=_TYPO_PROOF7, **_SEVENTH),
    Formula("eq7_proof_corrected", "section 6", "proof of (7), 3rd equality, corrected",
            r"\langle \nabla_{\Sigma_{r+1}} f, \Sigma'_{r+1} \circ ((W_{r+1}^T)^i)^T \rangle",
            lemmas.eq7_proof_step_corrected, corrects="eq7_proof", proof=pp.LEMMAS["eq7_proof_corrected"],
            **_SEVENTH),
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
        raise UnknownNameError(f"unknown formula {name!r}; known: {', '.join(FORMULAS)}") from None


def proved_by(name: str | Formula) -> pp.Induction | pp.Obligation | None:
    """The induction or LaTeX obligation that proves registry formula ``name``, or None (sweep only)."""
    return get_formula(name).proof


def document_entries(form: str = "homogeneous") -> tuple[Formula, ...]:
    """The records the LaTeX document shows and verifies for a network of ``form``, in catalogue order."""
    return tuple(f for f in FORMULAS.values() if f.tag and form in f.forms)


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


def _truth(form: Formula, net: Network, i: int):
    """The ground truth of ``form`` at layer i, from SymEngine when it has it (fast), else SymPy."""
    truth = engine_truth(form.truth, net, i)
    return form.truth(net, i) if truth is None else truth


def verify(formula: str | Formula, architecture: Architecture | Network) -> Verdict:
    """Check ``formula`` exactly on every layer of one architecture.

    Returns:
        Verdict(holds=True) if every layer is an exact identity (status "holds on the sweep only":
        one architecture is a sweep of one); holds=False with the first failing layer's
        Counterexample (value or shape); holds=None if undecided. ``entry`` is the record.
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
        failure = decide(net, i, lambda i=i: (form.compute(net, i), _truth(form, net, i)), what=_what(form))
        if failure == "undecided":
            undecided = True
        elif failure is not None:
            return Verdict(form.name, False, (arch,), failure, time.perf_counter() - start, entry=form)
    note = "non-zero difference polynomial but no witness point found" if undecided else ""
    return Verdict(form.name, None if undecided else True, (arch,), None, time.perf_counter() - start, note=note,
                   entry=form)
