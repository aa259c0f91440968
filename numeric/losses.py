"""The losses the trainer minimises, as NumPy values (their gradients are the compiled delta rule).

Batches are columns: A = a^(L) and Y are n_L x m. Each loss pairs with an output activation, and the
pair makes the output delta a^(L) - y (:data:`derivations.delta_rule.LOSSES`):

* ``"mse"``: J = 1/(2m) sum ||a - y||^2, any output activation (the tutorial's loss);
* ``"bce"``: J = -1/m sum (y log a + (1 - y) log(1 - a)), sigmoid output, y in [0, 1];
* ``"cce"``: J = -1/m sum y log a, softmax output, one-hot (or probability) columns y.

L2 weight decay adds lambda/(2m) sum_l ||W^(l)||^2 (Frobenius norm; biases are not decayed).
"""

from __future__ import annotations

import numpy as np

from derivations import NumericError

__all__ = ["LOSS_NAMES", "OUTPUT_OF_LOSS", "default_loss", "loss_value", "decay_value", "softmax"]

LOSS_NAMES = ("mse", "bce", "cce")
OUTPUT_OF_LOSS = {"mse": None, "bce": "sigmoid", "cce": "softmax"}
"""loss -> the output activation it needs (None: any)."""



_TINY = {np.dtype(np.float64): 1e-300, np.dtype(np.float32): float(np.finfo(np.float32).tiny)}


def default_loss(output: str) -> str:
    """The loss that goes with an output activation: "cce" for softmax, else "mse"."""
    return "cce" if output == "softmax" else "mse"


def check_loss(loss: str, output: str) -> str:
    """``loss`` when it fits the output activation; NumericError naming the fix otherwise."""
    if loss not in LOSS_NAMES:
        raise NumericError(f"loss must be one of {', '.join(LOSS_NAMES)}, got loss={loss!r}")
    need = OUTPUT_OF_LOSS[loss]
    if need is not None and output != need:
        raise NumericError(f"loss {loss!r} needs a {need} output layer, got output activation {output!r}")
    if loss == "mse" and output == "softmax":
        raise NumericError("a softmax output trains with loss 'cce' (categorical cross-entropy), got 'mse'")
    return loss


def softmax(Z: np.ndarray) -> np.ndarray:
    """softmax of each column of Z (n x m), shifted by the column maximum so exp never overflows."""
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)


def loss_value(loss: str, A: np.ndarray, Y: np.ndarray) -> float:
    """J of the batch (A, Y), both n_L x m (see the module docstring)."""
    m = Y.shape[1]
    if loss == "mse":
        D = A - Y
        return float(np.vdot(D, D) / (2 * m))
    tiny = _TINY.get(A.dtype, 1e-300)  # log(0) guard: p = 0 costs 690 nats (float32: 87), not inf
    if loss == "bce":  # ndarray.sum: the same reduction as np.sum without its Python dispatch
        return float(-(Y * np.log(np.maximum(A, tiny)) + (1 - Y) * np.log(np.maximum(1 - A, tiny))).sum() / m)
    return float(-(Y * np.log(np.maximum(A, tiny))).sum() / m)


def decay_value(weights, decay: float, m: int) -> float:
    """lambda/(2m) sum_l ||W^(l)||^2 (0 when lambda = 0); ``weights`` a dict layer -> W or a list of W."""
    if not decay:
        return 0.0
    Ws = weights.values() if isinstance(weights, dict) else weights
    return float(decay * sum(np.vdot(W, W) for W in Ws) / (2 * m))
