"""The lemmas (6) and (7) of the paper's proof (section 6), and the proof step with a typo.

Here grad_{Sigma_r} f is the gradient of f with respect to the layer output
Sigma_r taken as a variable; the lemmas are checked with the *ground truth*
grad_{Sigma_r} f (:func:`derivations.ground_truth.grad_Sigma`) on their right.
"""

from __future__ import annotations

import sympy as sp

from .errors import ArchitectureError
from .ground_truth import grad_Sigma
from .network import Network
from .products import bullet, dot, hadamard

__all__ = ["eq6", "eq7", "eq6_proof_step", "eq6_proof_step_corrected"]


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
