"""An independent float64 ground truth for the checker's proofs (test-only; shares no code with
``derivations`` or ``numeric``).

A drawn network in NumPy: widths n_0..n_k, one activation per layer (tanh, sigmoid, identity),
float64 weights, biases for the affine form, inputs X (n_0 x m, samples as columns) and targets
Y (n_k x m). :func:`forward` runs it (with optional additive perturbations anywhere, for central
differences); :func:`backprop` is a hand-written reverse pass, validated against
:func:`central_difference` in ``test_proof_numeric.py``. The products :func:`mm`, :func:`had`
refuse shapes that do not fit (no NumPy broadcasting), so a formula whose right-hand side does
not type-check raises :class:`ShapeMismatchError` instead of producing a value.

Symbols (paper / tutorial): Sigma_i = a^{(i)}, N_i = z^{(i)}, Sigma'_i = f'(z^{(i)}),
Sigma_0 = X = a^{(0)}; W_i is n_i x n_{i-1}, b_i is n_i x 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

import numpy as np

__all__ = ["ACTIVATIONS", "ShapeMismatchError", "mm", "had", "diag_hat", "Net", "Pass", "Grads", "draw_net",
           "forward", "backprop", "central_difference", "output_f", "sum_of_sample_costs", "mean_loss"]


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


ACTIVATIONS: Mapping[str, tuple[Callable, Callable]] = {
    "tanh": (np.tanh, lambda z: 1.0 - np.tanh(z) ** 2),
    "sigmoid": (_sigmoid, lambda z: _sigmoid(z) * (1.0 - _sigmoid(z))),
    "identity": (lambda z: z.copy(), np.ones_like),
}
"""name -> (sigma, sigma'), elementwise NumPy functions."""


class ShapeMismatchError(ValueError):
    """A product of the hand-written right-hand side whose shapes do not fit."""


def mm(*factors: np.ndarray) -> np.ndarray:
    """The matrix product of 2-D arrays, left to right; inner sizes must agree."""
    out = factors[0]
    for f in factors[1:]:
        if out.ndim != 2 or f.ndim != 2 or out.shape[1] != f.shape[0]:
            raise ShapeMismatchError(f"matrix product needs fitting shapes, got {out.shape} . {f.shape}")
        out = out @ f
    return out


def had(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The Hadamard product; shapes must be equal (no broadcasting)."""
    if a.shape != b.shape:
        raise ShapeMismatchError(f"Hadamard product needs equal shapes, got {a.shape} o {b.shape}")
    return a * b


def diag_hat(v: np.ndarray) -> np.ndarray:
    """The diagonal matrix of a column v (n x 1 -> n x n)."""
    if v.ndim != 2 or v.shape[1] != 1:
        raise ShapeMismatchError(f"diag needs a column, got {v.shape}")
    return np.diagflat(v)


@dataclass(frozen=True)
class Net:
    """Widths n_0..n_k, activations of layers 1..k, W_1..W_k, b_1..b_k (affine) or None, X, Y."""

    widths: tuple[int, ...]
    activations: tuple[str, ...]
    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...] | None
    X: np.ndarray
    Y: np.ndarray

    @property
    def depth(self) -> int:
        return len(self.widths) - 1

    @property
    def m(self) -> int:
        return self.X.shape[1]

    def label(self) -> str:
        form = "affine" if self.biases is not None else "homogeneous"
        return f"widths {list(self.widths)}, {'/'.join(self.activations)}, m={self.m}, {form}"


def draw_net(rng: np.random.Generator, widths: tuple[int, ...], activations: tuple[str, ...], *,
             m: int = 1, affine: bool = False) -> Net:
    """A network with N(0, 1/n_{i-1}) weights, N(0, 1/4) biases, N(0, 1) inputs and targets."""
    if len(activations) != len(widths) - 1:
        raise ValueError(f"one activation per layer, got {len(activations)} for widths {widths}")
    weights = tuple(rng.normal(size=(widths[i], widths[i - 1])) / np.sqrt(widths[i - 1])
                    for i in range(1, len(widths)))
    biases = tuple(rng.normal(scale=0.5, size=(n, 1)) for n in widths[1:]) if affine else None
    return Net(tuple(widths), tuple(activations), weights, biases,
               rng.normal(size=(widths[0], m)), rng.normal(size=(widths[-1], m)))


@dataclass(frozen=True)
class Pass:
    """The forward pass: N[i] (1..k), Sigma[i] (0..k, Sigma[0] = X), Sigma_prime[i] (1..k)."""

    N: dict
    Sigma: dict
    Sigma_prime: dict


def forward(net: Net, bumps: Mapping[tuple[str, int], np.ndarray] | None = None) -> Pass:
    """The forward pass, with ``bumps[(kind, i)]`` added to W_i, b_i, N_i or Sigma_i (kind "W",
    "b", "N", "Sigma"; Sigma_0 is X)."""
    bumps = bumps or {}

    def bumped(kind, i, value):
        return value + bumps[(kind, i)] if (kind, i) in bumps else value

    sig = {0: bumped("Sigma", 0, net.X)}
    pre, slope = {}, {}
    for i in range(1, net.depth + 1):
        z = bumped("W", i, net.weights[i - 1]) @ sig[i - 1]
        if net.biases is not None:
            z = z + bumped("b", i, net.biases[i - 1]) @ np.ones((1, net.m))
        pre[i] = bumped("N", i, z)
        act, act_prime = ACTIVATIONS[net.activations[i - 1]]
        sig[i] = bumped("Sigma", i, act(pre[i]))
        slope[i] = act_prime(pre[i])
    return Pass(pre, sig, slope)


def output_f(net: Net, fw: Pass) -> float:
    """The paper's objective f = Sigma_k (n_k = 1, one sample)."""
    if fw.Sigma[net.depth].shape != (1, 1):
        raise ValueError(f"f = Sigma_k needs n_k = 1 and m = 1, got {fw.Sigma[net.depth].shape}")
    return float(fw.Sigma[net.depth][0, 0])


def sum_of_sample_costs(net: Net, fw: Pass) -> float:
    """sum_s C_s with C_s = 1/2 ||a_s - y_s||^2 (its gradient w.r.t. z_s is the per-sample delta)."""
    return 0.5 * float(np.sum((fw.Sigma[net.depth] - net.Y) ** 2))


def mean_loss(net: Net, fw: Pass) -> float:
    """The tutorial's L = 1/(2m) sum_s ||a_s - y_s||^2."""
    return sum_of_sample_costs(net, fw) / net.m


@dataclass(frozen=True)
class Grads:
    """Gradients of one objective: delta[i] w.r.t. N_i (1..k), grad_sigma[i] w.r.t. Sigma_i (0..k),
    grad_w[i], grad_b[i] w.r.t. W_i, b_i (1..k; grad_b None for homogeneous nets)."""

    delta: dict
    grad_sigma: dict
    grad_w: dict
    grad_b: dict | None


def backprop(net: Net, fw: Pass, seed: np.ndarray) -> Grads:
    """The reverse pass from ``seed`` = d objective / d Sigma_k (n_k x m)."""
    k = net.depth
    dsig, delta, dw, db = {k: seed}, {}, {}, {}
    for i in range(k, 0, -1):
        delta[i] = dsig[i] * fw.Sigma_prime[i]
        dw[i] = delta[i] @ fw.Sigma[i - 1].T
        db[i] = delta[i].sum(axis=1, keepdims=True)
        dsig[i - 1] = net.weights[i - 1].T @ delta[i]
    return Grads(delta, dsig, dw, db if net.biases is not None else None)


def central_difference(objective: Callable[[Net, Pass], float], net: Net, kind: str, i: int, *,
                       eps: float = 1e-6) -> np.ndarray:
    """d objective / d (kind, i) by central differences, entry by entry (same shape as the target)."""
    shapes = {"W": lambda: net.weights[i - 1], "b": lambda: net.biases[i - 1],
              "N": lambda: forward(net).N[i], "Sigma": lambda: forward(net).Sigma[i]}
    shape = shapes[kind]().shape
    grad = np.zeros(shape)
    for idx in np.ndindex(*shape):
        bump = np.zeros(shape)
        bump[idx] = eps
        up = objective(net, forward(net, {(kind, i): bump}))
        down = objective(net, forward(net, {(kind, i): -bump}))
        grad[idx] = (up - down) / (2 * eps)
    return grad
