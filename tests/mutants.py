"""Mutated gradient formulas: each is a plausible mistake and must be rejected with a counterexample.

Every mutant is a function (net, i) -> matrix for grad_{W_i} f, built from the
correct recursion Delta_i . Sigma_{i-1}^T by one small change.
"""

from __future__ import annotations

from derivations import Network, bullet, dot, hadamard, top_slope


def _delta(net: Network, i: int, *, transpose=True, hadamard_slope=True, with_slope=True, shift=0,
           swap=False, value_for_slope=False):
    delta = top_slope(net) if with_slope else net.V
    for j in range(net.depth - 1, i - 1, -1):
        W = net.W(j + 1 + shift) if 1 <= j + 1 + shift <= net.depth else net.W(j + 1)
        W = W.T if transpose else W
        pulled = dot(delta.T, W.T).T if swap else bullet(delta, W)
        slope = net.Sigma(j) if value_for_slope else net.Sigma_prime(j)
        if not with_slope:
            delta = pulled
        elif hadamard_slope:
            delta = hadamard(pulled, slope)
        else:
            delta = dot(slope, pulled)
    return delta


def dropped_transpose(net, i):
    """Delta_i = (W_{i+1} Delta_{i+1}) o Sigma'_i: the transpose is missing."""
    return dot(_delta(net, i, transpose=False), net.Sigma(i - 1).T)


def swapped_factors(net, i):
    """grad = Sigma_{i-1} . Delta_i^T: the outer product the wrong way round (transposed result)."""
    return dot(net.Sigma(i - 1), _delta(net, i).T)


def wrong_layer_index(net, i):
    """Delta_i uses W_i instead of W_{i+1} (i -> i-1)."""
    return dot(_delta(net, i, shift=-1), net.Sigma(i - 1).T)


def matrix_for_hadamard(net, i):
    """Sigma'_i . (W^T Delta) instead of Sigma'_i o (W^T Delta) (Hadamard -> matrix product)."""
    return dot(_delta(net, i, hadamard_slope=False), net.Sigma(i - 1).T)


def dropped_slope(net, i):
    """The derivative factors Sigma'_j are forgotten."""
    return dot(_delta(net, i, with_slope=False), net.Sigma(i - 1).T)


def value_instead_of_input(net, i):
    """Sigma_i^T instead of Sigma_{i-1}^T (the layer's own output)."""
    return dot(_delta(net, i), net.Sigma(i).T)


def sigma_for_sigma_prime(net, i):
    """sigma instead of sigma' in the hidden layers."""
    return dot(_delta(net, i, value_for_slope=True), net.Sigma(i - 1).T)


def doubled(net, i):
    """A spurious factor 2 (e.g. from differentiating a square without the 1/2)."""
    return 2 * dot(_delta(net, i), net.Sigma(i - 1).T)


def missing_top_slope(net, i):
    """Delta_k = 1 instead of Sigma'_k."""
    if i == net.depth:
        return net.V * net.Sigma(i - 1).T
    delta = net.V
    for j in range(net.depth - 1, i - 1, -1):
        delta = hadamard(bullet(delta, net.W(j + 1).T), net.Sigma_prime(j))
    return dot(delta, net.Sigma(i - 1).T)


MUTANTS = {f.__name__: f for f in [dropped_transpose, swapped_factors, wrong_layer_index, matrix_for_hadamard,
                                   dropped_slope, value_instead_of_input, sigma_for_sigma_prime, doubled,
                                   missing_top_slope]}
