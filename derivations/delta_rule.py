"""The tutorial's vectorised delta rule for an affine network over a batch, checked exactly.

Source: "Backpropagation in Neural Networks" (towardsdatascience.com, section
"General formula"). Its formula images are lost; we restate the rule from the
text and the surrounding code descriptions ("axis = 1 means we are summing
over the columns"). Names, with the mapping to the paper's objects
(:mod:`derivations.network`):

==============  ==================  =============================
tutorial        here / paper        shape
==============  ==================  =============================
a^(0)           X = Sigma_0         n_0 x m
z^(l)           N_l                 n_l x m
a^(l)           Sigma_l             n_l x m
f'(z^(l))       Sigma'_l            n_l x m
W^(l), b^(l)    W_l, b_l            n_l x n_{l-1}, n_l x 1
delta^(l)       grad_{N_l} J        n_l x m
==============  ==================  =============================

The rule (L = k the output layer, o the Hadamard product, batches are columns):

* delta^(L) = (a^(L) - Y) o f'(z^(L))
* delta^(l) = (W^(l+1)T delta^(l+1)) o f'(z^(l)),   l = L-1, ..., 1
* dJ/dW^(l) = delta^(l) a^(l-1)T / m
* dJ/db^(l) = delta^(l) 1_m / m   (the mean of delta^(l) over the batch)

Loss: J = 1/(2m) sum_s ||a^(L)_s - y_s||^2 (:func:`derivations.ground_truth.mse`
with its default scale). The factor 1/2 cancels the 2 of the square, which
makes delta^(L) = (a - y) o f'(z) exact, and the 1/m gives dW = delta a^T / m;
with any other scale the rule is off by a constant (the tests pin this).

:func:`apply_delta_rule` is written once over SymPy matrices and is evaluated both on
an explicit symbolic network (here, by :func:`verify_delta_rule`) and on
MatrixSymbols (``numeric.compile``, which lambdifies the result to NumPy).
"""

from __future__ import annotations

import time
from typing import Callable

import sympy as sp

from .errors import ArchitectureError, ShapeError
from .exact import Counterexample, Verdict, compare
from .ground_truth import grad_b, grad_W, mse
from .network import Architecture, Network

__all__ = ["DELTA_RULE", "apply_delta_rule", "delta_rule_on", "verify_delta_rule"]

DELTA_RULE = ("delta^(L) = (a^(L) - Y) o f'(z^(L)); delta^(l) = (W^(l+1)T delta^(l+1)) o f'(z^(l)); "
              "dW^(l) = delta^(l) a^(l-1)T / m; db^(l) = delta^(l) 1_m / m  [J = 1/(2m) sum ||a - y||^2]")

Layers = dict[int, sp.MatrixBase]
Rule = Callable[..., tuple[Layers, Layers, Layers]]


def _hadamard(A: sp.MatrixBase, B: sp.MatrixBase | None) -> sp.MatrixBase:
    """A o B; ``B = None`` stands for f' = 1 (identity activation, used by the compiler)."""
    return A if B is None else sp.hadamard_product(A, B)


def apply_delta_rule(W: Layers, a: Layers, fprime: dict[int, sp.MatrixBase | None], Y: sp.MatrixBase,
               m: sp.Expr | int, *, ones: Callable = sp.ones) -> tuple[Layers, Layers, Layers]:
    """(delta, dW, db) by the tutorial's delta rule, keyed by layer l = 1..L (``i`` in the code).

    Args:
        W: W^(l) for l = 1..L, n_l x n_{l-1}.
        a: a^(l) for l = 0..L (a^(0) = X), n_l x m.
        fprime: f'(z^(l)) for l = 1..L, n_l x m (None: the identity's f' = 1).
        Y: targets, n_L x m.
        m: the batch size (an integer, or a Symbol for MatrixSymbols).
        ones: builds the m x 1 column of ones (``sp.ones`` or ``OneMatrix``).

    Shapes: delta^(l) n_l x m, dW^(l) n_l x n_{l-1}, db^(l) n_l x 1.

    >>> net = Network(Architecture((2, 1), "sigma", "affine"))
    >>> delta, dW, db = delta_rule_on(net)
    >>> dW[1].shape, db[1].shape
    ((1, 2), (1, 1))
    """
    L = max(W)
    delta = {L: _hadamard(a[L] - Y, fprime[L])}
    for i in range(L - 1, 0, -1):
        delta[i] = _hadamard(W[i + 1].T * delta[i + 1], fprime[i])
    dW = {i: delta[i] * a[i - 1].T / m for i in delta}
    db = {i: delta[i] * ones(m, 1) / m for i in delta}
    return delta, dW, db


def delta_rule_on(net: Network, rule: Rule = apply_delta_rule) -> tuple[Layers, Layers, Layers]:
    """``rule`` applied to the named symbols of an explicit affine network (a^(l) = Sigma_l)."""
    k = net.depth
    W = {i: net.W(i) for i in range(1, k + 1)}
    a = {i: net.Sigma(i) for i in range(0, k + 1)}
    fprime = {i: net.Sigma_prime(i) for i in range(1, k + 1)}
    return rule(W, a, fprime, net.Y, sp.Integer(net.m))


def _shape_counterexample(arch: Architecture, err: Exception) -> Counterexample:
    return Counterexample(arch, None, None, kind="shape",
                          message=f"delta rule does not type-check on {arch.label()}: {err}")


def _check_layers(net: Network, dW: Layers, db: Layers) -> Counterexample | str | None:
    undecided = None
    for i in range(1, net.depth + 1):
        for what, formula, truth in ((f"dW^({i})", dW[i], grad_W(net, i, mse())),
                                     (f"db^({i})", db[i], grad_b(net, i, mse()))):
            result = compare(net, sp.Matrix(formula), truth, layer=i, what=what)
            if isinstance(result, Counterexample):
                return result
            undecided = undecided or result
    return undecided


def verify_delta_rule(architecture: Architecture, *, batch: int = 2,
                      rule: Rule = apply_delta_rule) -> Verdict:
    """Verdict: does the delta rule give grad_W and grad_b of J = 1/(2m) sum (a - y)^2 exactly?

    Every layer's dW^(l) and db^(l) is compared with :func:`grad_W` / :func:`grad_b`
    of ``mse()`` (direct differentiation of the composed network) by
    :func:`derivations.exact.compare` on an explicit network with ``batch`` samples.

    Args:
        architecture: an affine Architecture (any widths and activations).
        batch: m >= 1, the number of samples (columns of X).
        rule: the rule to check (default :func:`apply_delta_rule`; tests pass mutants).

    Raises:
        ArchitectureError: a homogeneous architecture (the rule has biases) or batch < 1.

    >>> verify_delta_rule(Architecture((1, 1), "tanh", "affine"), batch=2).holds
    True
    """
    if not isinstance(architecture, Architecture) or architecture.form != "affine":
        raise ArchitectureError("the delta rule is for affine networks (it has biases b^(l)); "
                                f"use Architecture(..., form='affine'), got {architecture!r}")
    start = time.perf_counter()
    net = Network(architecture, batch=batch)
    try:
        _, dW, db = delta_rule_on(net, rule)
        result = _check_layers(net, dW, db)
    except (ShapeError, sp.ShapeError, ValueError, TypeError) as err:
        result = _shape_counterexample(architecture, err)
    holds = None if result == "undecided" else result is None
    return Verdict("delta rule (tutorial, MSE 1/(2m))", holds, (architecture,),
                   result if isinstance(result, Counterexample) else None,
                   time.perf_counter() - start, note=f"batch m={batch}; every dW^(l), db^(l)")
