"""Affine <-> homogeneous networks (paper section 3, conditions (a), (b), (c)).

An affine network with widths n_0..n_k (N_i = W_i Sigma_{i-1} + b_i) embeds into a
homogeneous one with widths n_0+1, ..., n_{k-1}+1, n_k:

(a) X gets a last coordinate 1;
(b) for i < k the last row of the (n_i+1) x (n_{i-1}+1) matrix W_i is [0, ..., 0, 1];
(c) for i < k the last ("formal") neuron of layer i is the identity.

The last column of W_i (without its last entry when i < k) is b_i. We check,
exactly: the two functions agree; the bias gradients are the last columns of
grad_{W_i} f; and (our finding) the construction as printed is incomplete: the
fixed last rows receive a non-zero gradient, so they must be frozen (excluded
from the update), and (c) must read "identity" (any sigma with sigma(1) = 1 would
do for f, but the gradient then also changes), not merely "identical".
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import sympy as sp

from .errors import ArchitectureError
from .exact import compare
from .ground_truth import grad_b, grad_W
from .network import Architecture, Network
from .verdict import Verdict

__all__ = ["Embedding", "embed", "check_affine_equivalence"]


@dataclass(frozen=True)
class Embedding:
    """An affine network, its homogeneous embedding, and the symbol dictionary between them.

    Attributes:
        affine: the affine Network (widths n_0..n_k).
        homogeneous: the homogeneous Network (widths n_0+1, ..., n_{k-1}+1, n_k) with the
            fixed entries of (a), (b) and the formal neurons of (c).
        rename: homogeneous weight symbol -> affine weight or bias symbol.
    """

    affine: Network
    homogeneous: Network
    rename: dict

    def to_affine(self, expr):
        """Rewrite a homogeneous expression/matrix in the affine network's symbols.

        Applies (a), (b), the formal neurons' value 1 and slope 1, then the renaming.
        """
        H = self.homogeneous
        sub = dict(H.fixed)
        for i, j in H.formal_neurons:
            sub[H.sigma(i, j)] = sp.Integer(1)
            sub[H.sigma_prime(i, j)] = sp.Integer(1)
        sub.update(self.rename)
        return sp.sympify(expr).xreplace(sub)


def embed(architecture: Architecture) -> Embedding:
    """The homogeneous network of section 3 for an affine architecture.

    Raises:
        ArchitectureError: the architecture is not affine.
    """
    if architecture.form != "affine":
        raise ArchitectureError(f"embed() takes an affine architecture, got form={architecture.form!r}")
    A = Network(architecture)
    k, ws = architecture.depth, architecture.widths
    hw = tuple(n + 1 for n in ws[:-1]) + (ws[-1],)
    formal = [(i, ws[i]) for i in range(1, k)]
    H0 = Network(architecture.with_(widths=hw, form="homogeneous"))
    fixed = {H0.X[ws[0], 0]: sp.Integer(1)}
    for i in range(1, k):
        last = H0.W(i)[ws[i], :]
        fixed.update({sym: sp.Integer(1 if c == ws[i - 1] else 0) for c, sym in enumerate(last)})
    H = Network(H0.architecture, formal_neurons=formal, fixed=fixed)
    rename = {H.X[c, 0]: A.X[c, 0] for c in range(ws[0])}
    for i in range(1, k + 1):
        for r in range(ws[i]):
            rename.update({H.W(i)[r, c]: A.W(i)[r, c] for c in range(ws[i - 1])})
            rename[H.W(i)[r, ws[i - 1]]] = A.b(i)[r, 0]
    return Embedding(A, H, rename)


def _verdict(claim: str, arch: Architecture, start: float, failure) -> Verdict:
    if failure is None:
        return Verdict(claim, True, (arch,), None, time.perf_counter() - start)
    if failure == "undecided":
        return Verdict(claim, None, (arch,), None, time.perf_counter() - start)
    return Verdict(claim, False, (arch,), failure, time.perf_counter() - start)


def _function_agrees(emb: Embedding) -> object:
    A, H = emb.affine, emb.homogeneous
    for i in range(1, A.depth + 1):
        NH = emb.to_affine(H.N(i))
        rows = A.n(i)
        failure = compare(A, NH[:rows, :], A.N(i), layer=i, what=f"homogeneous N_{i} (genuine rows)")
        if failure is None and i < A.depth:
            failure = compare(A, NH[rows:, :], sp.Matrix([[1]]), layer=i, what=f"formal row of N_{i}")
        if failure is not None:
            return failure
    return None


def _bias_is_last_column(emb: Embedding) -> object:
    A, H = emb.affine, emb.homogeneous
    for i in range(1, A.depth + 1):
        G = emb.to_affine(grad_W(H, i))[: A.n(i), :]
        failure = compare(A, G[:, : A.n(i - 1)], grad_W(A, i), layer=i, what=f"grad W_{i} (homogeneous)") \
            or compare(A, G[:, A.n(i - 1):], grad_b(A, i), layer=i, what=f"last column of grad W_{i}")
        if failure is not None:
            return failure
    return None


def _fixed_rows_have_zero_gradient(emb: Embedding) -> object:
    A, H = emb.affine, emb.homogeneous
    for i in range(1, A.depth):
        last = emb.to_affine(grad_W(H, i))[A.n(i):, :]
        failure = compare(A, last, sp.zeros(*last.shape), layer=i,
                          what=f"gradient of the fixed last row of W_{i}")
        if failure is not None:
            return failure
    return None


def check_affine_equivalence(architecture: Architecture) -> list[Verdict]:
    """Exact checks of section 3 on one affine architecture.

    Returns three verdicts: the functions agree (layer by layer, N_i of the
    embedding restricted to the genuine rows equals the affine N_i and the formal
    row is 1); the bias gradient is the last column of grad_{W_i} f; and "the fixed
    last rows get zero gradient", which *fails* for depth >= 2: the construction needs
    those rows frozen.
    """
    emb = embed(architecture)
    out = []
    for claim, check in [("(a)-(c): homogeneous f = affine f", _function_agrees),
                         ("bias gradient = last column of grad W_i", _bias_is_last_column),
                         ("(b) survives training: fixed last rows of W_i (i<k) get zero gradient",
                          _fixed_rows_have_zero_gradient)]:
        start = time.perf_counter()
        out.append(_verdict(claim, architecture, start, check(emb)))
    return out
