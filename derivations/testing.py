"""Compare a user's NumPy gradient code with the verified gradient, numerically, at given points.

The reference is the ground truth (:mod:`derivations.ground_truth`: direct
differentiation of the composed network), evaluated in float64 at the point.
This is a *numeric* comparison with a stated tolerance, never a proof; the
exact check of a formula is :func:`derivations.checker.check`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable

import numpy as np
import sympy as sp

from .errors import ArchitectureError, BoundsError, NumericError, UnknownNameError
from .ground_truth import OUTPUT, grad_b, grad_W, mse
from .network import Architecture, Network
from .strategies import Point

__all__ = ["assert_gradient_matches", "verified_gradients"]

GradFn = Callable[..., object]


@lru_cache(maxsize=64)
def _compiled(arch: Architecture, batch: int, objective: str):
    net = Network(arch, batch=batch)
    obj = OUTPUT if objective == "output" else mse(objective)
    grads = [grad_W(net, i, obj) for i in range(1, net.depth + 1)]
    if net.is_affine:
        grads += [grad_b(net, i, obj) for i in range(1, net.depth + 1)]
    symbols = sorted(set().union(*(g.free_symbols for g in grads)), key=str)
    return net, symbols, sp.lambdify(symbols, grads, "numpy")


def _forward_values(net: Network, point: Point) -> dict:
    values = point.values(net)
    values.update({s: 1.0 for s in net.V if isinstance(s, sp.Symbol)})
    A = point.X
    for i in range(1, net.depth + 1):
        Z = point.W[i] @ A + (point.b[i] if net.is_affine else 0.0)
        sigma, sigma_prime = net.activation(i).numpy_pair()
        A, D = sigma(Z), sigma_prime(Z)
        values.update({s: float(v) for s, v in zip(net.Sigma(i), A.ravel(), strict=True)})
        values.update({s: float(v) for s, v in zip(net.Sigma_prime(i), D.ravel(), strict=True)})
    return values


def verified_gradients(architecture: Architecture, point: Point, *, objective: str = "output"
                        ) -> tuple[dict[int, np.ndarray], dict[int, np.ndarray]]:
    """(dW, db) of the verified gradient at ``point``: J = sum(f) ("output") or an MSE scale.

    Shapes: dW[i] n_i x n_{i-1}; db[i] n_i x 1 (affine only, else empty). Batch m = X.shape[1].
    """
    if objective not in ("output", "1/(2m)", "1/m", "1/2", "1"):
        raise UnknownNameError(f"objective must be 'output' or an MSE scale, got objective={objective!r}")
    batch = int(np.shape(point.X)[1])
    net, symbols, fn = _compiled(architecture, batch, objective)
    if objective != "output" and point.Y is None:
        raise NumericError("an MSE objective needs targets Y in the point")
    values = _forward_values(net, point)
    mats = fn(*[values[s] for s in symbols])
    k = net.depth
    dW = {i: np.array(mats[i - 1], dtype=float) for i in range(1, k + 1)}
    db = {i: np.array(mats[k + i - 1], dtype=float) for i in range(1, k + 1)} if net.is_affine else {}
    return dW, db


def _compare(kind: str, i: int, got, want: np.ndarray, rtol: float, atol: float, point: Point) -> None:
    got = np.asarray(got, dtype=float)
    if got.shape != want.shape:
        raise AssertionError(f"d{kind}[{i}] has shape {got.shape}, the verified gradient {want.shape}")
    bad = ~np.isclose(got, want, rtol=rtol, atol=atol)
    if bad.any():
        r, c = (int(x) for x in np.argwhere(bad)[0])
        raise AssertionError(
            f"d{kind}[{i}] entry ({r},{c}) = {float(got[r, c])!r} but the verified gradient = "
            f"{float(want[r, c])!r} (rtol={rtol}, atol={atol}) at X={point.X.tolist()}, "
            f"W={ {j: w.tolist() for j, w in point.W.items()} }")


def assert_gradient_matches(numpy_grad_fn: GradFn, architecture: Architecture, *, point: Point | None = None,
                            objective: str = "output", batch: int = 1, rtol: float = 1e-7,
                            atol: float = 1e-9, seed: int = 0) -> None:
    """Assert ``numpy_grad_fn`` equals the verified gradient at ``point`` within a tolerance.

    Args:
        numpy_grad_fn: ``fn(X, W, b, Y)`` with X (n_0 x m), W and b dicts keyed by layer 1..k
            (b empty for a homogeneous net), Y (n_k x m) or None; returns dW (dict layer ->
            n_i x n_{i-1} array) or a pair (dW, db).
        architecture: a concrete-activation architecture (not the abstract "sigma").
        point: values to test at (draw them with :func:`derivations.strategies.points`);
            default: one point from ``np.random.default_rng(seed)`` in [-1, 1].
        objective: "output" (J = sum of the outputs; f itself when n_k = m = 1) or an MSE
            scale "1/(2m)", "1/m", "1/2", "1" (J = scale * sum((f - Y)^2)).
        batch: m, used only when ``point`` is None.
        rtol, atol: ``numpy.isclose`` tolerances: |got - want| <= atol + rtol * |want|.

    Raises:
        AssertionError: naming the layer, the entry, both values, the tolerance and the point.
        ActivationError: an activation without a numeric form.
    """
    if not isinstance(architecture, Architecture):
        raise ArchitectureError(f"expected an Architecture, got architecture={architecture!r}")
    if not (rtol >= 0 and atol >= 0):
        raise BoundsError(f"tolerances must be >= 0, got rtol={rtol!r}, atol={atol!r}")
    if point is None:
        rng = np.random.default_rng(seed)
        net = Network(architecture, batch=batch)
        k = net.depth
        point = Point(rng.uniform(-1, 1, (net.n(0), batch)),
                      {i: rng.uniform(-1, 1, (net.n(i), net.n(i - 1))) for i in range(1, k + 1)},
                      {i: rng.uniform(-1, 1, (net.n(i), 1)) for i in range(1, k + 1)}
                      if net.is_affine else {},
                      rng.uniform(-1, 1, (net.n(k), batch)))
    want_W, want_b = verified_gradients(architecture, point, objective=objective)
    got = numpy_grad_fn(point.X, point.W, point.b, point.Y)
    got_W, got_b = got if isinstance(got, tuple) else (got, None)
    for i, want in want_W.items():
        _compare("W", i, got_W[i], want, rtol, atol, point)
    if got_b is not None:
        for i, want in want_b.items():
            _compare("b", i, got_b[i], want, rtol, atol, point)
