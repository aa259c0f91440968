"""A small hand-written NumPy backprop, independent of the compiled code (tests and benchmarks only).

Straight from the chain rule, layer by layer, with f and f' from
:meth:`derivations.Activation.numpy_pair` (f' evaluated at z):
z_l = W_l a_{i-1} + b_l, a_l = f(z_l); for J = 1/(2m) sum ||a_k - y||^2,
g_k = (a_k - Y) / m o f'(z_k), g_l = W_{i+1}^T g_{i+1} o f'(z_l),
dW_l = g_l a_{i-1}^T, db_l = g_l summed over the batch (axis 1).
Shapes: X n_0 x m, Y n_k x m, W_l n_l x n_{l-1}, b_l n_l x 1.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from derivations import get_activation

__all__ = ["reference_forward", "reference_gradients"]

Params = dict[int, np.ndarray]


def reference_forward(weights: Params, biases: Params, X: np.ndarray,
                      activations: Sequence[str]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """([z_1..z_k], [a_0..a_k]) for the batch X (n_0 x m)."""
    zs, acts = [], [X]
    for i, name in enumerate(activations, start=1):
        f, _ = get_activation(name).numpy_pair()
        zs.append(weights[i] @ acts[-1] + biases[i])
        acts.append(f(zs[-1]))
    return zs, acts


def reference_gradients(weights: Params, biases: Params, X: np.ndarray, Y: np.ndarray,
                        activations: Sequence[str]) -> tuple[float, Params, Params]:
    """(J, dW, db) for J = 1/(2m) sum ||a_k - y||^2, by hand-written backprop."""
    m = X.shape[1]
    zs, acts = reference_forward(weights, biases, X, activations)
    k = len(activations)
    residual = acts[-1] - Y
    loss = float(np.sum(residual ** 2) / (2 * m))
    g = residual / m
    dW, db = {}, {}
    for i in range(k, 0, -1):
        _, fprime = get_activation(activations[i - 1]).numpy_pair()
        g = g * fprime(zs[i - 1])
        dW[i] = g @ acts[i - 1].T
        db[i] = g.sum(axis=1, keepdims=True)
        if i > 1:
            g = weights[i].T @ g
    return loss, dW, db
