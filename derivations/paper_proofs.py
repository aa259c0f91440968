"""The paper's formulas proved for every architecture, and its printed proofs of (6), (7) step by step.

* **Chains** (1)-(5) and remark 3 are folds over the layers k, k-1, ..., i. Each is proved by
  induction from three LaTeX obligations, each proved by the checker for every architecture
  (:func:`derivations.checker.check`, paper notation): the *base* gives Delta_k, the *step*
  gives Delta_i from Delta_{i+1} (a local identity), the *readout* gives grad_{W_i} f from
  Delta_i. The checker reads Delta_i as the true grad_{N_i} f, so the fold's accumulator
  equals Delta_j at every layer j (base, then step), and the readout turns Delta_i into the
  gradient. :meth:`Induction.fold` is the same fold in Python; the tests check that it equals
  the registry's code (``formulas.eq3_corrected``, ...), so the proof is about the code the
  report runs. (1) and (2) are the n_i = 1 case of the general obligations.
* **Lemmas** (6), (7) are local identities, proved directly.
* **The printed proofs of (6) and (7)** (section 6): every expression of the printed chain is
  checked against the chain's left end; a wrong expression makes the equalities on both of its
  sides wrong and is reported once, as a typo. An expression is a LaTeX formula (rows stacked
  into a matrix) when the grammar can write it, else a registry formula checked on the sweep:
  the grammar has no rows W_r^i and no gradient of a layer value Sigma_r^i.
* **Section 3** (affine) relates two networks, which one formula cannot name: sweep only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Callable

import sympy as sp

from .checker import CheckResult, check
from .network import Network
from .products import bullet, diag_hat, dot, hadamard, kron
from .verdict import Verdict

__all__ = ["Obligation", "Induction", "Step", "Finding", "INDUCTIONS", "LEMMAS", "PRINTED_PROOFS",
           "TYPO_STEPS", "SWEPT_STEPS", "AFFINE_HALVES", "AFFINE_WHY", "INDUCTION", "NO_GRAMMAR", "find",
           "from_sweep", "run_step"]

Matrix = sp.Matrix


@dataclass(frozen=True)
class Obligation:
    """One LaTeX formula (paper notation) the checker must prove; ``order`` overrides the reading."""

    role: str
    latex: str
    order: str | None = None
    reads: str = ""

    def run(self, activations: str = "sigma") -> CheckResult:
        """The checker's verdict (cached per formula, reading and activation)."""
        return _checked(self.latex, self.order, activations)


@lru_cache(maxsize=None)
def _checked(latex: str, order: str | None, activations: str) -> CheckResult:
    return check(latex, notation="paper", order=order, activations=(activations,))


@dataclass(frozen=True)
class Induction:
    """A chain formula as a fold over the layers k..i, with the obligations that prove it.

    ``first(net)``, ``next(net, j, Delta_{j+1})`` and ``out(net, i, Delta_i)`` are the Python
    of the base's, step's and readout's right-hand sides; ``case`` narrows the claim
    ("" = every width). Which registry formulas an induction proves is said by their records
    (:attr:`derivations.registry.Formula.proof`).
    """

    key: str
    equation: str
    base: Obligation
    step: Obligation
    readout: Obligation | None
    first: Callable[[Network], Matrix]
    next: Callable[[Network, int, Matrix], Matrix]
    out: Callable[[Network, int, Matrix], Matrix] | None = None
    case: str = ""

    @property
    def obligations(self) -> tuple[Obligation, ...]:
        return (self.base, self.step) + ((self.readout,) if self.readout else ())

    def fold(self, net: Network, i: int) -> Matrix:
        """The fold the obligations describe: Delta_k, then Delta_{k-1}, ..., Delta_i, then the readout.

        Shapes: Delta_j is an n_j-column; the readout gives n_i x n_{i-1} (the gradient of W_i).

        >>> from derivations.network import Architecture, Network
        >>> eq3 = next(ind for ind in INDUCTIONS if ind.key == "eq3")
        >>> eq3.fold(Network(Architecture((3, 2, 1))), 1).shape
        (2, 3)
        """
        net.architecture.check_layer(i)
        acc = self.first(net)
        for j in range(net.depth - 1, i - 1, -1):
            acc = self.next(net, j, acc)
        return acc if self.out is None else self.out(net, i, acc)


# -- the Python of the obligations (shapes checked by the products) -------------------------
def _slope(net: Network, j: int) -> Matrix:
    return net.Sigma_prime(j)


def _step3(net: Network, j: int, delta: Matrix) -> Matrix:
    return hadamard(bullet(delta, net.W(j + 1).T), _slope(net, j))


def _step4(net: Network, j: int, delta: Matrix) -> Matrix:
    return hadamard(_slope(net, j), dot(net.W(j + 1).T, delta))


def _step5(net: Network, j: int, delta: Matrix) -> Matrix:
    return dot(dot(diag_hat(_slope(net, j)), net.W(j + 1).T), delta)


def _row_out(net: Network, i: int, delta: Matrix) -> Matrix:
    return dot(delta, net.Sigma(i - 1).T)


def _kron_out(net: Network, i: int, delta: Matrix) -> Matrix:
    return kron(net.Sigma(i - 1).T, delta)


def _top(net: Network) -> Matrix:
    """Delta_{k+1} . W_{k+1}^T o Sigma'_k with the paper's seed Delta_{k+1} = V, W_{k+1} = I."""
    k = net.depth
    return hadamard(bullet(net.V, sp.eye(net.n(k))), _slope(net, k))


_BASE = Obligation("base", r"\Delta_k = \Delta_{k+1} \bullet W_{k+1}^T \circ \Sigma'_k",
                   reads="remark 3 with Delta_{k+1} = W_{k+1}^T = 1")
_STEP = Obligation("step", r"\Delta_i = \Delta_{i+1} \bullet W_{i+1}^T \circ \Sigma'_i",
                   reads="remark 3, left to right; = (W_{i+1}^T . Delta_{i+1}) o Sigma'_i")
_READ = Obligation("readout", r"\nabla_{W_i} f = \Delta_i \cdot \Sigma_{i-1}^T", reads="remark 3")

INDUCTIONS: tuple[Induction, ...] = (
    Induction("eq1", "(1), (2), section 4",
              _BASE, Obligation("step", _STEP.latex, reads="n_i = 1: Delta_i = Delta_{i+1} w_{i+1} sigma'_i"),
              Obligation("readout", _READ.latex, reads="n_i = 1: grad_{w_i} f = Delta_i sigma_{i-1}"),
              lambda net: Matrix([[net.V[0, 0] * net.sigma_prime(net.depth, 0)]]),
              lambda net, j, d: Matrix([[d[0, 0] * net.W(j + 1)[0, 0] * net.sigma_prime(j, 0)]]),
              lambda net, i, d: Matrix([[d[0, 0] * net.Sigma(i - 1)[0, 0]]]),
              case="one-dimensional case n_0 = ... = n_k = 1"),
    Induction("eq3", "(3)",
              Obligation("base", r"\Delta_k = \Delta_{k+1} \circ \Sigma'_k", reads="the first factor Sigma'_k"),
              Obligation("step", _STEP.latex, reads="one period Sigma'_{i+1} • W_{i+1}^T o, left to right"),
              Obligation("readout", _READ.latex, reads="the last period Sigma'_i . Sigma_{i-1}^T"),
              lambda net: hadamard(net.V, _slope(net, net.depth)), _step3, _row_out),
    Induction("Delta", "remark 3", _BASE, _STEP, None, _top, _step3),
    Induction("recursion", "remark 3", _BASE, _STEP, _READ, _top, _step3, _row_out),
    Induction("eq4", "(4)",
              Obligation("base", r"\Delta_k = \Sigma'_k \circ \Delta_{k+1}", "right", "the last factor Sigma'_k"),
              Obligation("step", r"\Delta_i = \Sigma'_i \circ W_{i+1}^T \cdot \Delta_{i+1}", "right",
                         "one period, right to left"),
              Obligation("readout", r"\nabla_{W_i} f = \Sigma_{i-1}^T \otimes \Delta_i", "right",
                         "the first factor Sigma_{i-1}^T ⊗"),
              lambda net: hadamard(_slope(net, net.depth), net.V), _step4, _kron_out),
    Induction("eq5", "(5)",
              Obligation("base", r"\Delta_k = \widehat{\Sigma}'_k \cdot \Delta_{k+1}", reads="the last factor"),
              Obligation("step", r"\Delta_i = \widehat{\Sigma}'_i \cdot W_{i+1}^T \cdot \Delta_{i+1}",
                         reads="one period hat Sigma'_i . W_{i+1}^T (the product is associative)"),
              Obligation("readout", r"\nabla_{W_i} f = \Sigma_{i-1}^T \otimes \Delta_i", reads="Sigma_{i-1}^T ⊗ (...)"),
              lambda net: dot(diag_hat(_slope(net, net.depth)), net.V), _step5, _kron_out),
)

_EQ6 = r"\nabla_{W_r} f = (\nabla_{\Sigma_r} f) \circ \Sigma'_r \cdot \Sigma_{r-1}^T"
_EQ7 = r"\nabla_{\Sigma_r} f = (\nabla_{\Sigma_{r+1}} f) \circ \Sigma'_{r+1} \bullet W_{r+1}^T"
_EQ7_HAT = r"\nabla_{\Sigma_r} f = W_{r+1}^T \cdot \widehat{\Sigma}'_{r+1} \cdot \nabla_{\Sigma_{r+1}} f"

LEMMAS: dict[str, Obligation] = {
    "eq6": Obligation("lemma", _EQ6, reads="(6)"),
    "eq7": Obligation("lemma", _EQ7, reads="(7)"),
    "eq6_proof_corrected": Obligation("rows stacked", _EQ6, reads="row i is grad_{Sigma_r^i} f . "
                                      "Sigma_r^{i'} . Sigma_{r-1}^T"),
    "eq7_proof_corrected": Obligation("entries stacked", _EQ7_HAT, reads="entry i is <grad_{Sigma_{r+1}} f, "
                                      "Sigma'_{r+1} o ((W_{r+1}^T)^i)^T>"),
}
"""The local identities (lemmas, corrected proof steps stacked) the registry's records name as their proof."""
INDUCTION: dict[str, Induction] = {ind.key: ind for ind in INDUCTIONS}


# -- the printed proofs of section 6 ----------------------------------------------------------
NO_GRAMMAR = "the grammar has no row W_r^i and no gradient of a layer value Sigma_r^i"
_NO_GRAMMAR = NO_GRAMMAR


@dataclass(frozen=True)
class Step:
    """One expression of a printed chain, checked against the chain's left end.

    ``latex``: the claim "left end = this expression" with rows (entries) stacked over i;
    ``formula``: else a registry formula checked on the sweep; neither: a definition.
    ``corrected``: for a typo, the corrected claim (LaTeX, or a registry name with ``fixed_formula``).
    """

    number: int
    printed: str
    latex: str | None = None
    formula: str | None = None
    why: str = ""
    corrected: str | None = None
    fixed_formula: str | None = None
    typo: str | None = None


PRINTED_PROOFS: dict[str, tuple[Step, ...]] = {
    "(6)": (
        Step(1, r"\{\nabla_{W_r^i} f\}_i", why="the notation of section 6: grad_{W_r} = {grad_{W_r^i}}_i"),
        Step(2, r"\{\nabla_{\Sigma_r^i} f \cdot \nabla_{W_r^i} \Sigma_r^i\}_i", formula="eq6_proof_chain_rule",
             why=_NO_GRAMMAR),
        Step(3, r"\{\nabla_{\Sigma_r^i} f \cdot \nabla_{W_r^i}(\Sigma_r^i(W_r^i \cdot \Sigma_{r-1}))\}_i",
             formula="eq6_proof_substituted", why=_NO_GRAMMAR),
        Step(4, r"\{\nabla_{\Sigma_r^i} f \cdot \Sigma_r^{i\prime} \cdot \Sigma_r^T\}_i",
             r"\nabla_{W_r} f = (\nabla_{\Sigma_r} f) \circ \Sigma'_r \cdot \Sigma_r^T", corrected=_EQ6,
             typo="eq6_proof"),
        Step(5, r"(\nabla_{\Sigma_r} f) \circ \Sigma'_r \cdot \Sigma_{r-1}^T", _EQ6),
    ),
    "(7)": (
        Step(0, r"\{(\nabla_{\Sigma_{r+1}} f) \circ \Sigma'_{r+1} \bullet (W_{r+1}^T)^i\}_i", _EQ7),
        Step(1, r"\langle \nabla_{\Sigma_{r+1}} f, \nabla_{\Sigma_r^i} \Sigma_{r+1} \rangle",
             formula="eq7_proof_chain_rule", why=_NO_GRAMMAR),
        Step(2, r"\langle \nabla_{\Sigma_{r+1}} f, \nabla_{\Sigma_r^i} (\Sigma_{r+1} (W_{r+1} \Sigma_r)) \rangle",
             formula="eq7_proof_substituted", why=_NO_GRAMMAR),
        Step(3, r"\langle \nabla_{\Sigma_{r+1}} f, \Sigma'_{r+1} \circ (W_{r+1}^T)^i \rangle", formula="eq7_proof",
             why="stacked over i the slip disappears; the entries are checked one by one",
             corrected=_EQ7_HAT, fixed_formula="eq7_proof_corrected", typo="eq7_proof"),
        Step(4, r"\langle \nabla_{\Sigma_{r+1}} f \circ \Sigma'_{r+1}, (W_{r+1}^T)^i \rangle",
             r"\nabla_{\Sigma_r} f = W_{r+1}^T \cdot ((\nabla_{\Sigma_{r+1}} f) \circ \Sigma'_{r+1})"),
        Step(5, r"(\nabla_{\Sigma_{r+1}} f) \circ \Sigma'_{r+1} \bullet (W_{r+1}^T)^i", _EQ7),
    ),
}
"""Left ends: grad_{W_r} f for (6) (r = 1..k), grad_{Sigma_r^i} f for (7) (r = 0..k-1; stacked over i,
grad_{Sigma_r} f). Step 0 of (7) is its coordinate form."""

SWEPT_STEPS: tuple[str, ...] = ("eq6_proof_chain_rule", "eq6_proof_substituted", "eq7_proof_chain_rule",
                                "eq7_proof_substituted")
"""Registry formulas that model a proof step the grammar cannot write (checked on the sweep only)."""

TYPO_STEPS: dict[str, Obligation] = {
    "eq3": Obligation("printed step", r"\Delta_{k-3} = \Delta_{k-2} \bullet W_{k-2} \circ \Sigma'_{k-3}",
                      reads="the induction step at the factor Sigma'_{k-2} • W_{k-2} of the line for W_1"),
    "eq6_proof": Obligation("printed step", PRINTED_PROOFS["(6)"][3].latex, reads="the 4th expression, rows stacked"),
}
"""The typo of a printed formula as one failing LaTeX obligation."""

AFFINE_HALVES: tuple[Obligation, ...] = (
    Obligation("bias", r"\nabla_{b_i} f = \Delta_i", reads="affine form: the bias gradient is Delta_i"),
    _READ,
)
"""What the checker can prove of section 3: with the last entry of Sigma_{i-1} equal to 1 (the formal
neuron), the last column of Delta_i . Sigma_{i-1}^T is Delta_i, the bias gradient."""
AFFINE_WHY = ("the claims relate two networks (the affine one and its homogeneous embedding with (a)-(c)); "
              "a checker formula speaks of one network")


# -- findings -------------------------------------------------------------------------------
Finding = Verdict
"""The report's verdict on one formula, statement or proof step: a :class:`~derivations.verdict.Verdict`
(status "proved", "holds on the sweep only", "fails", "undecided" or "definition"; ``scope``, ``method``,
``note`` (alias ``why``) and ``checks``, the (role, LaTeX, CheckResult) behind a proof)."""


def _scope(results: list[CheckResult]) -> str:
    depth = max(r.proof.min_depth for r in results)
    rest = results[0].proof.scope().split(", ", 1)[1]
    return f"depth k >= {depth}, {rest}"


def find(name: str, proof: Induction | Obligation, activations: str = "sigma") -> Finding:
    """Run the obligations of ``proof``: proved when every one is proved, else its first failure."""
    obligations = proof.obligations if isinstance(proof, Induction) else (proof,)
    checks = tuple((ob.role, ob.latex, ob.run(activations)) for ob in obligations)
    results = [r for _, _, r in checks]
    bad = next((r for r in results if r.status != "proved"), None)
    if bad is not None:
        holds = {"holds on the sweep only": True, "fails": False}.get(bad.status)
        return Verdict(name, holds, counterexample=bad.counterexample, method="", note=bad.note, checks=checks)
    scope = _scope(results)
    if isinstance(proof, Induction):
        method = f"induction over the layers k, ..., i ({', '.join(ob.role for ob in obligations)})"
        if proof.case:
            scope = f"{proof.case}, {scope.split(', ')[0]}"
            method += " on the general obligations read with n_i = 1"
    else:
        method = results[0].proof.method.split(",")[0]
    return Verdict(name, True, method=method, proof=proof, scope=scope, checks=checks)


def from_sweep(name: str, verdict: Verdict, bounds: str, why: str = "") -> Verdict:
    """A sweep's verdict with its bounds: holds on the sweep only, fails or undecided."""
    return replace(verdict, formula=name, proof=None, method="exact check, formula by formula",
                   note=why or verdict.note, scope=f"{len(verdict.architectures)} architectures, {bounds}")


def run_step(step: Step, sweeps: dict[str, Finding], activations: str = "sigma", *,
             decide: Callable[[str, Obligation], Finding] | None = None) -> tuple[Finding, Finding | None]:
    """(the step as printed, the corrected step or None), from the checker or the registry's sweeps.

    ``decide(label, obligation)`` proves a step written in LaTeX (default: :func:`find`).
    """
    def one(latex, formula, label):
        if latex is not None:
            obligation = Obligation("step", latex)
            return decide(label, obligation) if decide is not None else find(label, obligation, activations)
        if formula is not None:
            return sweeps[formula]
        return Verdict(label, True, method="", note=step.why, definition=True)
    printed = one(step.latex, step.formula, f"step {step.number}")
    fixed = None
    if step.typo:
        fixed = one(step.corrected, None if step.corrected else step.fixed_formula, f"step {step.number} corrected")
    return printed, fixed
