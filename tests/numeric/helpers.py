"""Shared helpers for the numeric tests: random parameters and a one-direction central-difference check."""

from __future__ import annotations

import numpy as np

from numeric.reference import reference_forward

EPS = 1e-6  # central-difference step
RTOL, ATOL = 1e-5, 1e-7  # tolerance of the directional check (float64, error O(EPS^2) + O(1e-16 / EPS))


def random_problem(widths, batch, seed=0):
    """(weights, biases, X, Y) with N(0, 1/n_{i-1}) weights, N(0, 0.5) biases, N(0, 1) data."""
    rng = np.random.default_rng(seed)
    k = len(widths) - 1
    W = {i: rng.normal(0, 1 / np.sqrt(widths[i - 1]), (widths[i], widths[i - 1])) for i in range(1, k + 1)}
    b = {i: rng.normal(0, 0.5, (widths[i], 1)) for i in range(1, len(widths))}
    return W, b, rng.normal(size=(widths[0], batch)), rng.normal(size=(widths[-1], batch))


def loss(W, b, X, Y, activations):
    """J = 1/(2m) sum ||a - y||^2 by the hand-written forward pass."""
    _, acts = reference_forward(W, b, X, activations)
    return float(np.sum((acts[-1] - Y) ** 2) / (2 * X.shape[1]))


def directional_mismatch(dW, db, W, b, X, Y, activations, seed=0):
    """(analytic, numeric) directional derivatives of J along one random direction."""
    rng = np.random.default_rng(seed)
    VW = {i: rng.normal(size=M.shape) for i, M in W.items()}
    Vb = {i: rng.normal(size=M.shape) for i, M in b.items()}

    def at(t):
        return loss({i: W[i] + t * VW[i] for i in W}, {i: b[i] + t * Vb[i] for i in b}, X, Y, activations)

    numeric = (at(EPS) - at(-EPS)) / (2 * EPS)
    analytic = sum(float(np.sum(dW[i] * VW[i]) + np.sum(db[i] * Vb[i])) for i in W)
    return analytic, numeric


def assert_directional(dW, db, W, b, X, Y, activations, label=""):
    analytic, numeric = directional_mismatch(dW, db, W, b, X, Y, activations)
    assert abs(analytic - numeric) <= ATOL + RTOL * max(abs(analytic), abs(numeric)), (
        f"{label}: directional derivative analytic={analytic!r} numeric={numeric!r} "
        f"(central differences, eps={EPS}, rtol={RTOL}, atol={ATOL})")
