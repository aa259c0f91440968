"""The lemmas (6) and (7) of the paper's proof (section 6), and the expressions of their printed proofs.

Here grad_{Sigma_r} f is the gradient of f with respect to the layer output
Sigma_r taken as a variable; the lemmas are checked with the *ground truth*
grad_{Sigma_r} f (:func:`derivations.ground_truth.grad_Sigma`) on their right.
The printed proofs of (6) and (7) are chains of expressions; those the LaTeX checker
cannot write (rows W_r^i, gradients of a layer value Sigma_r^i) are here, stacked over
i into a matrix (6) or a column (7), and :mod:`derivations.paper_proofs` checks each
against the chain's left end. Two carry a typo: (6)'s 4th and (7)'s 3rd expression.
"""

from __future__ import annotations

import sympy as sp

from .errors import ArchitectureError, ShapeError
from .ground_truth import grad_Sigma, grad_W
from .network import Architecture, Network
from .products import bullet, dot, hadamard, shape_str

__all__ = ["eq6", "eq7", "eq6_proof_step", "eq6_proof_step_corrected", "eq6_proof_chain_rule",
           "eq6_proof_substituted", "eq7_proof_chain_rule", "eq7_proof_substituted", "eq7_proof_step",
           "eq7_proof_step_corrected"]


def _single_sample(net: Network, eq: str) -> None:
    if net.m != 1:
        raise ArchitectureError(f"lemma {eq} is stated for one sample X (m = 1), got batch m={net.m}")


def eq6(net: Network, r: int) -> sp.Matrix:
    """grad_{W_r} f by lemma (6): (grad_{Sigma_r} f) o Sigma'_r . Sigma_{r-1}^T.

    Paper: section 6, (6). Reading: left to right, ((grad_{Sigma_r} f) o Sigma'_r) . Sigma_{r-1}^T.
    Shapes: n_r-columns, then n_r x n_{r-1}. grad_{Sigma_k} f = V (= 1).
    """
    _single_sample(net, "(6)")
    net.architecture.check_layer(r)
    scaled = hadamard(grad_Sigma(net, r), net.Sigma_prime(r), names=(f"grad Sigma_{r} f", f"Sigma'_{r}"))
    return dot(scaled, net.Sigma(r - 1).T, names=(f"grad Sigma_{r} f o Sigma'_{r}", f"Sigma_{r - 1}^T"))


def eq7(net: Network, r: int) -> sp.Matrix:
    """grad_{Sigma_r} f by lemma (7): (grad_{Sigma_{r+1}} f) o Sigma'_{r+1} • W_{r+1}^T, for r = 0..k-1.

    Paper: section 6, (7). Reading: left to right; A • B = B . A, so the result is
    W_{r+1}^T . ((grad_{Sigma_{r+1}} f) o Sigma'_{r+1}), an n_r-column (r = 0 gives grad_X f).
    """
    _single_sample(net, "(7)")
    net.architecture.check_layer(r, lowest=0)
    if r == net.depth:
        raise ArchitectureError(f"lemma (7) needs r < k = {net.depth}, got r={r}")
    scaled = hadamard(grad_Sigma(net, r + 1), net.Sigma_prime(r + 1),
                      names=(f"grad Sigma_{r + 1} f", f"Sigma'_{r + 1}"))
    return bullet(scaled, net.W(r + 1).T, names=(f"grad Sigma_{r + 1} f o Sigma'_{r + 1}", f"W_{r + 1}^T"))


def _proof_step(net: Network, r: int, last: int) -> sp.Matrix:
    _single_sample(net, "(6) proof")
    net.architecture.check_layer(r)
    g, slope, row = grad_Sigma(net, r), net.Sigma_prime(r), net.Sigma(last).T
    return sp.Matrix.vstack(*[g[i, 0] * slope[i, 0] * row for i in range(net.n(r))])


def eq6_proof_step(net: Network, r: int) -> sp.Matrix:
    """The 4th equality in the proof of (6) as printed: {grad_{Sigma_r^i} f . Sigma_r^{i'} . Sigma_r^T}_i.

    Paper: section 6. Typo: the row factor must be Sigma_{r-1}^T (the input of layer r),
    as the final result of the same line says; with Sigma_r^T the rows have n_r
    entries instead of n_{r-1}, a shape error unless n_r = n_{r-1} and a wrong value then.
    """
    return _proof_step(net, r, r)


def eq6_proof_step_corrected(net: Network, r: int) -> sp.Matrix:
    """The same proof step with Sigma_{r-1}^T: rows grad_{Sigma_r^i} f . sigma'_{r,i} . Sigma_{r-1}^T."""
    return _proof_step(net, r, r - 1)


# -- the printed proofs of (6) and (7), step by step (section 6) --------------------------
def _seeded_prefix(net: Network, r: int) -> Network:
    """Layers 1..r of ``net`` as a network of their own (output Sigma_r) with a free seed V.

    Its symbols are those of ``net``; its ground truth grad_W / grad_Sigma at layer r is
    sum_j v_j times the derivative of the neuron Sigma_r^j: the derivative of a layer output
    by the chain rule on the composed function, with no formula of ours involved.
    """
    arch = net.architecture
    return Network(Architecture(arch.widths[: r + 1], arch.activations[:r], arch.form), free_seed=True)


def _contract(prefix: Network, value: sp.Matrix, weights: sp.Matrix) -> sp.Matrix:
    """``value`` with the prefix's seed v_j replaced by weights_j (the sum over j of the chain rule)."""
    return value.xreplace(dict(zip(prefix.V, weights, strict=True)))


def _neuron(name: str, slope: sp.Symbol) -> type:
    """An undefined activation sigma whose derivative SymPy writes as the named slope sigma' (chain rule by diff)."""
    return type(name, (sp.Function,), {"fdiff": lambda self, argindex=1: slope})


def eq6_proof_chain_rule(net: Network, r: int) -> sp.Matrix:
    """The 2nd expression in the proof of (6): {grad_{Sigma_r^i} f . grad_{W_r^i} Sigma_r^i}_i.

    Paper: section 6. The chain rule through the neuron Sigma_r^i (f depends on the row
    W_r^i only through it); grad_{W_r^i} Sigma_r^i is the derivative of the composed
    neuron, taken from the ground truth of layers 1..r. Shapes: rows 1 x n_{r-1}; n_r x n_{r-1}.
    """
    _single_sample(net, "(6) proof")
    net.architecture.check_layer(r)
    prefix = _seeded_prefix(net, r)
    return _contract(prefix, grad_W(prefix, r), grad_Sigma(net, r))


def eq6_proof_substituted(net: Network, r: int) -> sp.Matrix:
    """The 3rd expression in the proof of (6): {grad_{Sigma_r^i} f . grad_{W_r^i}(Sigma_r^i(W_r^i . Sigma_{r-1}))}_i.

    Paper: section 6. The neuron written out as sigma_{r,i} applied to W_r^i . Sigma_{r-1},
    an undefined function of the row's entries, differentiated by SymPy.
    """
    _single_sample(net, "(6) proof")
    net.architecture.check_layer(r)
    g, W, below = grad_Sigma(net, r), net.W(r), net.Sigma(r - 1)
    rows = []
    for i in range(net.n(r)):
        neuron = _neuron(f"sigma_{r}_{i}", net.sigma_prime(r, i))((W[i, :] * below)[0, 0])
        rows.append([g[i, 0] * sp.diff(neuron, w) for w in W[i, :]])
    return sp.Matrix(rows)


def eq7_proof_chain_rule(net: Network, r: int) -> sp.Matrix:
    """The 1st expression in the proof of (7), for every i: <grad_{Sigma_{r+1}} f, grad_{Sigma_r^i} Sigma_{r+1}>.

    Paper: section 6. grad_{Sigma_r^i} Sigma_{r+1} is the derivative of the composed layer
    r+1 (ground truth of layers 1..r+1). Shapes: an n_r-column (entry i is the scalar product).
    """
    _single_sample(net, "(7) proof")
    _below_top(net, r)
    prefix = _seeded_prefix(net, r + 1)
    return _contract(prefix, grad_Sigma(prefix, r), grad_Sigma(net, r + 1))


def eq7_proof_substituted(net: Network, r: int) -> sp.Matrix:
    """The 2nd expression in the proof of (7): <grad_{Sigma_{r+1}} f, grad_{Sigma_r^i}(Sigma_{r+1}(W_{r+1} Sigma_r))>.

    Paper: section 6. Layer r+1 written out as sigma_{r+1,j}(W_{r+1}^j . Sigma_r), undefined
    functions of the entries of Sigma_r, differentiated by SymPy.
    """
    _single_sample(net, "(7) proof")
    _below_top(net, r)
    g, W, below = grad_Sigma(net, r + 1), net.W(r + 1), net.Sigma(r)
    layer = [_neuron(f"sigma_{r + 1}_{j}", net.sigma_prime(r + 1, j))((W[j, :] * below)[0, 0])
             for j in range(net.n(r + 1))]
    return sp.Matrix([sum(g[j, 0] * sp.diff(layer[j], s) for j in range(net.n(r + 1))) for s in below])


def _scalar_product(a: sp.Matrix, b: sp.Matrix) -> sp.Expr:
    """<a, b>: the scalar product of two vectors with the same number of entries (row or column)."""
    if len(a) != len(b) or 1 not in a.shape or 1 not in b.shape:
        raise ShapeError(f"a scalar product needs two vectors of one length: {shape_str(a)}, {shape_str(b)}")
    return sum(x * y for x, y in zip(a, b, strict=True))


def _eq7_third(net: Network, r: int, *, as_printed: bool) -> sp.Matrix:
    _single_sample(net, "(7) proof")
    _below_top(net, r)
    g, slope, WT = grad_Sigma(net, r + 1), net.Sigma_prime(r + 1), net.W(r + 1).T
    out = []
    for i in range(net.n(r)):
        row = WT[i, :] if as_printed else WT[i, :].T
        name = f"(W_{r + 1}^T)^{i + 1}" + ("" if as_printed else "^T")
        out.append(_scalar_product(g, hadamard(slope, row, names=(f"Sigma'_{r + 1}", name))))
    return sp.Matrix(out)


def eq7_proof_step(net: Network, r: int) -> sp.Matrix:
    """The 3rd expression in the proof of (7) as printed: <grad_{Sigma_{r+1}} f, Sigma'_{r+1} o (W_{r+1}^T)^i>.

    Paper: section 6. Typo (a shape slip): (W_{r+1}^T)^i is the i-th *row* of W_{r+1}^T, a
    1 x n_{r+1} string, and Sigma'_{r+1} an n_{r+1}-column; o needs equal shapes (section 2),
    so the step type-checks only when n_{r+1} = 1. Raises ShapeError otherwise.
    """
    return _eq7_third(net, r, as_printed=True)


def eq7_proof_step_corrected(net: Network, r: int) -> sp.Matrix:
    """The same step with the column ((W_{r+1}^T)^i)^T (the i-th column of W_{r+1}): entries unchanged."""
    return _eq7_third(net, r, as_printed=False)


def _below_top(net: Network, r: int) -> None:
    net.architecture.check_layer(r, lowest=0)
    if r == net.depth:
        raise ArchitectureError(f"the proof of (7) needs r < k = {net.depth}, got r={r}")
