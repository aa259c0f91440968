"""The checker's "proved for every architecture" claims, checked in float64 past the proof's sizes.

``check(latex)`` proves a formula by exact work on small local models plus a theorem (depth,
width, m and, unless the notation fixes it, n_k are arbitrary). This test does not reuse any of
that: :mod:`.numeric_truth` runs drawn networks in NumPy (depth 5-7, widths 4-7, m 3-7 and
n_k 2-5 in the tutorial notation), its backprop is validated against central differences, and
every right-hand side below is written by hand in NumPy from a fixed list of templates (no LaTeX
evaluator). For each template and mutant: a "proved" verdict must agree with the numeric truth
(rtol 1e-6, atol 1e-8) at every layer the formula names; a mutant the numbers refute must not be
proved. Tolerances are stated; a numeric agreement is evidence, never a proof.

Symbols. paper: one sample, n_k = 1, f = Sigma_k, Delta_i = grad_{N_i} f, W_{k+1} = 1 and
Delta_{k+1} = 1 (the paper's seed layer). tutorial: samples as columns, delta^{(l)} the
per-sample dC/dz^{(l)} with C = 1/2 ||a - y||^2, dW^{(l)}, db^{(l)} the gradients of
L = 1/(2m) sum ||a^{(L)} - y||^2, a^{(0)} = x, \\mathbf{1} the m x 1 ones column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from derivations.checker import CheckResult, check
from derivations.errors import UnsupportedNotationError

from .numeric_truth import (
    ACTIVATIONS,
    Grads,
    Net,
    Pass,
    ShapeMismatchError,
    backprop,
    central_difference,
    diag_hat,
    draw_net,
    forward,
    had,
    mean_loss,
    mm,
    output_f,
    sum_of_sample_costs,
)

RTOL, ATOL = 1e-6, 1e-8
"""Agreement of a right-hand side with the truth (both from the same float64 forward pass)."""
CD_RTOL, CD_ATOL = 1e-6, 1e-8
"""Agreement of backprop with central differences (eps = 1e-6)."""
EXAMPLES = 15


# -- the symbols, from one forward pass and the validated backprop ------------------------------
@dataclass(frozen=True)
class Point:
    """One drawn network with its forward pass and gradients, in both notations' symbols.

    ``g``: gradients of the delta objective (paper: f; tutorial: sum_s C_s, so its Delta is the
    per-sample delta). ``gl``: gradients of the tutorial's L (dW, db); None in the paper.
    """

    net: Net
    fw: Pass
    g: Grads
    gl: Grads | None

    @property
    def k(self) -> int:
        return self.net.depth

    def _layer(self, i: int, lo: int, hi: int) -> int:
        if not lo <= i <= hi:
            raise LookupError(f"layer {i} outside {lo}..{hi} on depth {self.k}")
        return i

    def W(self, i: int) -> np.ndarray:
        """W_i, with the paper's seed layer W_{k+1} = 1 (n_k = 1)."""
        if i == self.k + 1 and self.gl is None:
            return np.ones((1, 1))
        return self.net.weights[self._layer(i, 1, self.k) - 1]

    def b(self, i: int) -> np.ndarray:
        return self.net.biases[self._layer(i, 1, self.k) - 1]

    def N(self, i: int) -> np.ndarray:
        return self.fw.N[self._layer(i, 1, self.k)]

    def S(self, i: int) -> np.ndarray:
        """Sigma_i = a^{(i)}, 0..k."""
        return self.fw.Sigma[self._layer(i, 0, self.k)]

    def Sp(self, i: int) -> np.ndarray:
        """Sigma'_i = f'(z^{(i)})."""
        return self.fw.Sigma_prime[self._layer(i, 1, self.k)]

    def act(self, i: int) -> np.ndarray:
        """f(z^{(i)}) computed from z (the same as Sigma_i)."""
        return ACTIVATIONS[self.net.activations[i - 1]][0](self.N(i))

    def D(self, i: int) -> np.ndarray:
        """Delta_i = delta^{(i)}, with the paper's seed Delta_{k+1} = 1."""
        if i == self.k + 1 and self.gl is None:
            return np.ones((1, 1))
        return self.g.delta[self._layer(i, 1, self.k)]

    def gS(self, i: int) -> np.ndarray:
        """grad_{Sigma_i} of the delta objective, 0..k."""
        return self.g.grad_sigma[self._layer(i, 0, self.k)]

    def gW(self, i: int) -> np.ndarray:
        """grad_{W_i} f (paper) or dW^{(i)} = dL/dW^{(i)} (tutorial)."""
        return (self.gl or self.g).grad_w[self._layer(i, 1, self.k)]

    def db(self, i: int) -> np.ndarray:
        return self.gl.grad_b[self._layer(i, 1, self.k)]

    @property
    def y(self) -> np.ndarray:
        return self.net.Y

    @property
    def m(self) -> int:
        return self.net.m

    @property
    def one(self) -> np.ndarray:
        return np.ones((self.m, 1))


def point(net: Net) -> Point:
    fw = forward(net)
    if net.biases is None:  # the paper: one sample, f = Sigma_k
        return Point(net, fw, backprop(net, fw, np.ones((1, 1))), None)
    residual = fw.Sigma[net.depth] - net.Y
    return Point(net, fw, backprop(net, fw, residual), backprop(net, fw, residual / net.m))


# -- the templates -------------------------------------------------------------------------------
Side = Callable[[Point, int], np.ndarray]


@dataclass(frozen=True)
class Case:
    """A formula: its LaTeX, the truth its LHS names, its RHS by hand, the layers it names."""

    name: str
    notation: str
    latex: str
    truth: Side
    rhs: Side
    layers: Callable[[int], range]
    correct: bool
    min_depth: int = 1
    options: dict = field(default_factory=dict)


def _family(name: str, notation: str, truth: Side, layers: Callable[[int], range], correct: tuple[str, Side],
            mutants: dict[str, tuple[str, Side]], *, min_depth: int = 1, **options) -> list[Case]:
    cases = [Case(name, notation, correct[0], truth, correct[1], layers, True, min_depth, options)]
    return cases + [Case(f"{name}-mutant-{label}", notation, latex, truth, rhs, layers, False, min_depth, options)
                    for label, (latex, rhs) in mutants.items()]


def _all(k: int) -> range:
    return range(1, k + 1)


def _below_top(k: int) -> range:
    return range(1, k)


def _at(offset: int) -> Callable[[int], range]:
    return lambda k: range(k + offset, k + offset + 1)


def _grad_W(p: Point, i: int) -> np.ndarray:
    return p.gW(i)


def _delta(p: Point, i: int) -> np.ndarray:
    return p.D(i)


def _dot(u: np.ndarray, v: np.ndarray) -> float:
    return mm(u.T, v).item()


def _gram3(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> float:
    """det of the Gram matrix of three columns: zero when their length is <= 2."""
    return float(np.linalg.det(mm(np.hstack([a, b, c]).T, np.hstack([a, b, c]))))


def _gram3_latex() -> str:
    """The same determinant in the paper's symbols, a = Sigma'_i, b = Delta_i, c = Sigma_i."""
    a, b, c = r"{\Sigma'_i}", r"\Delta_i", r"\Sigma_i"

    def ip(x, y):
        return f"({x}^T \\cdot {y})"
    return (f"({ip(a, a)} {ip(b, b)} {ip(c, c)} + 2 {ip(a, b)} {ip(b, c)} {ip(c, a)} - {ip(a, a)} {ip(b, c)} "
            f"{ip(b, c)} - {ip(b, b)} {ip(a, c)} {ip(a, c)} - {ip(c, c)} {ip(a, b)} {ip(a, b)})")


def _antisym(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    return mm(u, v.T) - mm(v, u.T)


PAPER = [
    *_family("P1-grad-W", "paper", _grad_W, _all,
             (r"\nabla_{W_i} f = \Delta_i \cdot \Sigma_{i-1}^T", lambda p, i: mm(p.D(i), p.S(i - 1).T)), {
                 "Sigma-index": (r"\nabla_{W_i} f = \Delta_i \cdot \Sigma_i^T", lambda p, i: mm(p.D(i), p.S(i).T)),
                 "no-transpose": (r"\nabla_{W_i} f = \Delta_i \cdot \Sigma_{i-1}",
                                  lambda p, i: mm(p.D(i), p.S(i - 1))),
                 # (u v^T - v u^T) vanishes when n_i = 1, so it is zero at i = k (n_k = 1)
                 "antisymmetric-width-1": (
                     r"\nabla_{W_i} f = \Delta_i \cdot \Sigma_{i-1}^T + (\Delta_i \cdot \Sigma'^T_i - "
                     r"\Sigma'_i \cdot \Delta_i^T) \cdot W_i",
                     lambda p, i: mm(p.D(i), p.S(i - 1).T) + mm(_antisym(p.D(i), p.Sp(i)), p.W(i))),
                 # the Gram determinant of two columns of length n_i: zero when n_i = 1
                 "gram-width-1": (
                     r"\nabla_{W_i} f = \Delta_i \cdot \Sigma_{i-1}^T + ((\Sigma'^T_i \cdot \Sigma'_i) "
                     r"(\Delta^T_i \cdot \Delta_i) - (\Sigma'^T_i \cdot \Delta_i) (\Delta^T_i \cdot \Sigma'_i)) "
                     r"\Delta_i \cdot \Sigma_{i-1}^T",
                     lambda p, i: (1 + _dot(p.Sp(i), p.Sp(i)) * _dot(p.D(i), p.D(i)) - _dot(p.Sp(i), p.D(i)) ** 2)
                     * mm(p.D(i), p.S(i - 1).T)),
                 # the Gram determinant of three columns of length n_i: zero when n_i <= 2
                 "gram-width-2": (
                     r"\nabla_{W_i} f = \Delta_i \cdot \Sigma_{i-1}^T + " + _gram3_latex()
                     + r" \Delta_i \cdot \Sigma_{i-1}^T",
                     lambda p, i: (1 + _gram3(p.Sp(i), p.D(i), p.S(i))) * mm(p.D(i), p.S(i - 1).T)),
             }),
    *_family("P2-recursion", "paper", _delta, _all,
             (r"\Delta_i = (W_{i+1}^T \cdot \Delta_{i+1}) \circ \Sigma'_i",
              lambda p, i: had(mm(p.W(i + 1).T, p.D(i + 1)), p.Sp(i))), {
                 "W-index": (r"\Delta_i = (W_i^T \cdot \Delta_{i+1}) \circ \Sigma'_i",
                             lambda p, i: had(mm(p.W(i).T, p.D(i + 1)), p.Sp(i))),
                 "no-slope": (r"\Delta_i = W_{i+1}^T \cdot \Delta_{i+1}", lambda p, i: mm(p.W(i + 1).T, p.D(i + 1))),
                 "sigma-for-slope": (r"\Delta_i = (W_{i+1}^T \cdot \Delta_{i+1}) \circ \Sigma_i",
                                     lambda p, i: had(mm(p.W(i + 1).T, p.D(i + 1)), p.S(i))),
             }),
    *_family("P3-lemma-6", "paper", _grad_W, _all,
             (r"\nabla_{W_r} f = (\nabla_{\Sigma_r} f) \circ \Sigma'_r \cdot \Sigma^T_{r-1}",
              lambda p, r: mm(had(p.gS(r), p.Sp(r)), p.S(r - 1).T)), {
                 "no-slope": (r"\nabla_{W_r} f = (\nabla_{\Sigma_r} f) \cdot \Sigma^T_{r-1}",
                              lambda p, r: mm(p.gS(r), p.S(r - 1).T)),
             }, order="left"),
    *_family("P4-lemma-7", "paper", lambda p, r: p.gS(r), lambda k: range(0, k),
             (r"\nabla_{\Sigma_r} f = (\nabla_{\Sigma_{r+1}} f) \circ \Sigma'_{r+1} \bullet W^T_{r+1}",
              lambda p, r: mm(p.W(r + 1).T, had(p.gS(r + 1), p.Sp(r + 1)))), {
                 "slope-index": (r"\nabla_{\Sigma_r} f = (\nabla_{\Sigma_{r+1}} f) \circ \Sigma'_r \bullet W^T_{r+1}",
                                 lambda p, r: mm(p.W(r + 1).T, had(p.gS(r + 1), p.Sp(r)))),
             }, order="left"),
    *_family("P5-grad-Sigma", "paper", lambda p, i: p.gS(i - 1), _all,
             (r"\nabla_{\Sigma_{i-1}} f = W_i^T \cdot \Delta_i", lambda p, i: mm(p.W(i).T, p.D(i))), {
                 "slope-for-Delta": (r"\nabla_{\Sigma_{i-1}} f = W_i^T \cdot \Sigma'_i",
                                     lambda p, i: mm(p.W(i).T, p.Sp(i))),
             }),
    *_family("P6-diag-recursion", "paper", _delta, _all,
             (r"\Delta_i = \widehat{\Sigma}'_i \cdot W_{i+1}^T \cdot \Delta_{i+1}",
              lambda p, i: mm(diag_hat(p.Sp(i)), p.W(i + 1).T, p.D(i + 1))), {
                 "diag-index": (r"\Delta_i = W_{i+1}^T \cdot \widehat{\Sigma}'_{i+1} \cdot \Delta_{i+1}",
                                lambda p, i: mm(p.W(i + 1).T, diag_hat(p.Sp(i + 1)), p.D(i + 1))),
             }),
    *_family("P7-kron", "paper", _grad_W, _all,
             (r"\nabla_{W_i} f = \Delta_i \otimes \Sigma_{i-1}^T", lambda p, i: np.kron(p.D(i), p.S(i - 1).T)), {
                 "Delta-index": (r"\nabla_{W_i} f = \Delta_{i-1} \otimes \Sigma_{i-1}^T",
                                 lambda p, i: np.kron(p.D(i - 1), p.S(i - 1).T)),
             }),
    *_family("P8-top", "paper", _delta, _at(0),
             (r"\Delta_k = \Sigma'_k", lambda p, i: p.Sp(i)), {
                 "sigma-for-slope": (r"\Delta_k = \Sigma_k", lambda p, i: p.S(i)),
             }),
    # (3), line W_{k-2}, read left to right: A bullet B = B . A
    *_family("P9-eq3-line-k-2", "paper", _grad_W, _at(-2),
             (r"\nabla_{W_{k-2}} f = \Sigma'_k \bullet W_k^T \circ \Sigma'_{k-1} \bullet W_{k-1}^T \circ "
              r"\Sigma'_{k-2} \cdot \Sigma^T_{k-3}",
              lambda p, i: mm(had(mm(p.W(i + 1).T, had(mm(p.W(i + 2).T, p.Sp(i + 2)), p.Sp(i + 1))), p.Sp(i)),
                              p.S(i - 1).T)), {
                 "slope-dropped": (
                     r"\nabla_{W_{k-2}} f = \Sigma'_k \bullet W_k^T \bullet W_{k-1}^T \circ \Sigma'_{k-2} "
                     r"\cdot \Sigma^T_{k-3}",
                     lambda p, i: mm(had(mm(p.W(i + 1).T, mm(p.W(i + 2).T, p.Sp(i + 2))), p.Sp(i)), p.S(i - 1).T)),
             }, min_depth=3, order="left"),
    # an offset from k: the formula names a layer only on networks of depth >= 5
    *_family("P10-offset-k-4", "paper", _grad_W, _at(-4),
             (r"\nabla_{W_{k-4}} f = \Delta_{k-4} \cdot \Sigma_{k-5}^T", lambda p, i: mm(p.D(i), p.S(i - 1).T)), {
                 "Delta-offset": (r"\nabla_{W_{k-4}} f = \Delta_{k-3} \cdot \Sigma_{k-5}^T",
                                  lambda p, i: mm(p.D(i + 1), p.S(i - 1).T)),
             }, min_depth=5),
]

TUTORIAL = [
    *_family("T1-dW", "tutorial", _grad_W, _all,
             (r"dW^{(l)} = \frac{1}{m} \delta^{(l)} (a^{(l-1)})^T", lambda p, i: mm(p.D(i), p.S(i - 1).T) / p.m), {
                 # equal to the truth when m = 2
                 "half-for-1/m": (r"dW^{(l)} = \frac{1}{2} \delta^{(l)} (a^{(l-1)})^T",
                                  lambda p, i: mm(p.D(i), p.S(i - 1).T) / 2),
                 "no-1/m": (r"dW^{(l)} = \delta^{(l)} (a^{(l-1)})^T", lambda p, i: mm(p.D(i), p.S(i - 1).T)),
                 "a-index": (r"dW^{(l)} = \frac{1}{m} \delta^{(l)} (a^{(l)})^T",
                             lambda p, i: mm(p.D(i), p.S(i).T) / p.m),
                 # a polynomial in m that vanishes at m = 1..5
                 "m-polynomial": (
                     r"dW^{(l)} = \frac{1}{m} \delta^{(l)} (a^{(l-1)})^T + (m - 1) (m - 2) (m - 3) (m - 4) "
                     r"(m - 5) \delta^{(l)} (a^{(l-1)})^T",
                     lambda p, i: (1 / p.m + np.prod([p.m - j for j in range(1, 6)])) * mm(p.D(i), p.S(i - 1).T)),
             }),
    *_family("T2-db-ones", "tutorial", lambda p, i: p.db(i), _all,
             (r"db^{(l)} = \frac{1}{m} \delta^{(l)} \mathbf{1}", lambda p, i: mm(p.D(i), p.one) / p.m), {
                 "half-for-1/m": (r"db^{(l)} = \frac{1}{2} \delta^{(l)} \mathbf{1}",
                                  lambda p, i: mm(p.D(i), p.one) / 2),
                 # (1^T 1 - 2)(1^T 1 - 3) = (m - 2)(m - 3): zero at m = 2, 3
                 "ones-gram": (
                     r"db^{(l)} = \frac{1}{m} \delta^{(l)} \mathbf{1} + (\mathbf{1}^T \mathbf{1} - 2) "
                     r"(\mathbf{1}^T \mathbf{1} - 3) \delta^{(l)} \mathbf{1}",
                     lambda p, i: (1 / p.m + (p.m - 2) * (p.m - 3)) * mm(p.D(i), p.one)),
             }),
    *_family("T3-db-sum", "tutorial", lambda p, i: p.db(i), _all,
             (r"db^{(l)} = \frac{1}{m} \sum_{i=1}^{m} \delta^{(l)}",
              lambda p, i: p.D(i).sum(axis=1, keepdims=True) / p.m), {
                 "no-1/m": (r"db^{(l)} = \sum_{i=1}^{m} \delta^{(l)}", lambda p, i: p.D(i).sum(axis=1, keepdims=True)),
             }),
    # 1 1^T 1 = m 1: the coefficient 1/m^2 * m is size-dependent twice over
    *_family("T4-db-ones-twice", "tutorial", lambda p, i: p.db(i), _all,
             (r"db^{(l)} = \frac{1}{m} \delta^{(l)} \mathbf{1} \mathbf{1}^T \mathbf{1} \frac{1}{m}",
              lambda p, i: mm(p.D(i), p.one, p.one.T, p.one) / p.m ** 2), {
                 "half-for-1/m": (r"db^{(l)} = \frac{1}{2} \delta^{(l)} \mathbf{1} \mathbf{1}^T \mathbf{1} \frac{1}{m}",
                                  lambda p, i: mm(p.D(i), p.one, p.one.T, p.one) / (2 * p.m)),
             }),
    *_family("T5-delta-rule", "tutorial", _delta, _below_top,
             (r"\delta^{(l)} = (W^{(l+1)})^T \delta^{(l+1)} \odot f'(z^{(l)})",
              lambda p, i: had(mm(p.W(i + 1).T, p.D(i + 1)), p.Sp(i))), {
                 "W-index": (r"\delta^{(l)} = (W^{(l)})^T \delta^{(l+1)} \odot f'(z^{(l)})",
                             lambda p, i: had(mm(p.W(i).T, p.D(i + 1)), p.Sp(i))),
                 "no-slope": (r"\delta^{(l)} = (W^{(l+1)})^T \delta^{(l+1)}",
                              lambda p, i: mm(p.W(i + 1).T, p.D(i + 1))),
                 "f-for-f-prime": (r"\delta^{(l)} = (W^{(l+1)})^T \delta^{(l+1)} \odot f(z^{(l)})",
                                   lambda p, i: had(mm(p.W(i + 1).T, p.D(i + 1)), p.act(i))),
             }),
    *_family("T6-output-delta", "tutorial", _delta, _at(0),
             (r"\delta^{(L)} = (a^{(L)} - y) \odot f'(z^{(L)})", lambda p, i: had(p.S(i) - p.y, p.Sp(i))), {
                 "sign": (r"\delta^{(L)} = (y - a^{(L)}) \odot f'(z^{(L)})", lambda p, i: had(p.y - p.S(i), p.Sp(i))),
                 "1/m": (r"\delta^{(L)} = \frac{1}{m} (a^{(L)} - y) \odot f'(z^{(L)})",
                         lambda p, i: had(p.S(i) - p.y, p.Sp(i)) / p.m),
                 # (r s^T - s r^T) r with r = a - y, s = f'(z): zero when n_L = 1
                 "antisymmetric-n_L-1": (
                     r"\delta^{(L)} = (a^{(L)} - y) \odot f'(z^{(L)}) + ((a^{(L)} - y) (f'(z^{(L)}))^T - "
                     r"f'(z^{(L)}) (a^{(L)} - y)^T) (a^{(L)} - y)",
                     lambda p, i: had(p.S(i) - p.y, p.Sp(i)) + mm(_antisym(p.S(i) - p.y, p.Sp(i)), p.S(i) - p.y)),
             }),
    *_family("T7-forward", "tutorial", lambda p, i: p.N(i), _all,
             (r"z^{(l)} = W^{(l)} a^{(l-1)} + b^{(l)}", lambda p, i: mm(p.W(i), p.S(i - 1)) + mm(p.b(i), p.one.T)), {
                 "no-bias": (r"z^{(l)} = W^{(l)} a^{(l-1)}", lambda p, i: mm(p.W(i), p.S(i - 1))),
             }),
    *_family("T8-dW-fraction", "tutorial", _grad_W, _all,
             (r"\frac{\partial L}{\partial W^{(l)}} = \frac{\delta^{(l)} (a^{(l-1)})^T}{m}",
              lambda p, i: mm(p.D(i), p.S(i - 1).T) / p.m), {
                 "per-sample-C": (r"\frac{\partial L}{\partial W^{(l)}} = \delta^{(l)} (a^{(l-1)})^T",
                                  lambda p, i: mm(p.D(i), p.S(i - 1).T)),
             }),
    *_family("T9-delta-below-top", "tutorial", _delta, _at(-1),
             (r"\delta^{(L-1)} = (W^{(L)})^T ((a^{(L)} - y) \odot f'(z^{(L)})) \odot f'(z^{(L-1)})",
              lambda p, i: had(mm(p.W(i + 1).T, had(p.S(i + 1) - p.y, p.Sp(i + 1))), p.Sp(i))), {
                 "slope-index": (r"\delta^{(L-1)} = (W^{(L)})^T ((a^{(L)} - y) \odot f'(z^{(L)})) \odot f'(z^{(L)})",
                                 lambda p, i: had(mm(p.W(i + 1).T, had(p.S(i + 1) - p.y, p.Sp(i + 1))), p.Sp(i + 1))),
             }, min_depth=2),
    *_family("T10-dW-offset-L-2", "tutorial", _grad_W, _at(-2),
             (r"dW^{(L-2)} = \frac{1}{m} \delta^{(L-2)} (a^{(L-3)})^T", lambda p, i: mm(p.D(i), p.S(i - 1).T) / p.m), {
                 "half-for-1/m": (r"dW^{(L-2)} = \frac{1}{2} \delta^{(L-2)} (a^{(L-3)})^T",
                                  lambda p, i: mm(p.D(i), p.S(i - 1).T) / 2),
             }, min_depth=3),
    *_family("T11-dW-sum-over-samples", "tutorial", _grad_W, _all,
             (r"dW^{(l)} = \frac{1}{m} \sum_{i=1}^{m} \delta^{(l)} (a^{(l-1)})^T",
              lambda p, i: sum(mm(p.D(i)[:, [s]], p.S(i - 1)[:, [s]].T) for s in range(p.m)) / p.m), {
                 # (delta 1)(1^T a^T) / m: the sum of all cross-sample products, equal when m = 1
                 "all-pairs": (r"dW^{(l)} = \frac{1}{m} \delta^{(l)} \mathbf{1} \mathbf{1}^T (a^{(l-1)})^T",
                               lambda p, i: mm(p.D(i), p.one, p.one.T, p.S(i - 1).T) / p.m),
             }),
    *_family("T12-dL-dz", "tutorial", lambda p, i: p.gl.delta[i], _all,
             (r"\frac{\partial L}{\partial z^{(l)}} = \frac{1}{m} \delta^{(l)}", lambda p, i: p.D(i) / p.m), {
                 "per-sample": (r"\frac{\partial L}{\partial z^{(l)}} = \delta^{(l)}", lambda p, i: p.D(i)),
             }),
    *_family("T13-dL-da", "tutorial", lambda p, i: p.gl.grad_sigma[i], lambda k: range(0, k),
             (r"\frac{\partial L}{\partial a^{(l)}} = \frac{1}{m} (W^{(l+1)})^T \delta^{(l+1)}",
              lambda p, i: mm(p.W(i + 1).T, p.D(i + 1)) / p.m), {
                 "half-for-1/m": (r"\frac{\partial L}{\partial a^{(l)}} = \frac{1}{2} (W^{(l+1)})^T \delta^{(l+1)}",
                                  lambda p, i: mm(p.W(i + 1).T, p.D(i + 1)) / 2),
             }),
]

CASES = PAPER + TUTORIAL
TEMPLATES = [c for c in CASES if c.correct]
MUTANTS = [c for c in CASES if not c.correct]


def _verdict(case: Case) -> tuple[str, CheckResult | None, str]:
    """(status, result, error message): check() once per case, in its default proof mode."""
    return _check_once(case.latex, case.notation, tuple(sorted(case.options.items())))


@lru_cache(maxsize=None)
def _check_once(latex: str, notation: str, options: tuple) -> tuple[str, CheckResult | None, str]:
    try:
        result = check(latex, notation=notation, **dict(options))
    except UnsupportedNotationError as err:
        return "error", None, str(err)
    return result.status, result, ""


# -- the numeric comparison -------------------------------------------------------------------------
def disagreements(case: Case, p: Point) -> list[str]:
    """Every layer the formula names on ``p.net`` where its RHS differs from the truth (or does not
    type-check), described with the numbers."""
    out = []
    for i in case.layers(p.k):
        truth = case.truth(p, i)
        try:
            value = case.rhs(p, i)
        except ShapeMismatchError as err:
            out.append(f"layer {i}: {err}")
            continue
        except LookupError:
            if case.correct:
                raise
            continue  # the mutant names no such layer here
        if value.shape != truth.shape:
            out.append(f"layer {i}: RHS is {value.shape}, the truth {truth.shape}")
        elif not np.allclose(value, truth, rtol=RTOL, atol=ATOL):
            worst = np.unravel_index(np.argmax(np.abs(value - truth)), truth.shape)
            out.append(f"layer {i}: entry {worst} RHS = {value[worst]!r}, truth = {truth[worst]!r}, "
                       f"max |diff| = {np.max(np.abs(value - truth)):.3e}")
    return out


ACTIVATION_NAMES = tuple(ACTIVATIONS)


@st.composite
def nets(draw, *, notation: str, min_depth: int = 1, activations: tuple[str, ...] = ACTIVATION_NAMES) -> Net:
    """Networks past the proofs' sizes: depth 5-7, widths 4-7; tutorial n_k 2-5 and m 3-7."""
    depth = draw(st.integers(max(5, min_depth), 7))
    hidden = draw(st.lists(st.integers(4, 7), min_size=depth, max_size=depth))
    paper = notation == "paper"
    top = 1 if paper else draw(st.integers(2, 5))
    acts = draw(st.lists(st.sampled_from(activations), min_size=depth, max_size=depth))
    m = 1 if paper else draw(st.integers(3, 7))
    seed = draw(st.integers(0, 2 ** 32 - 1))
    return draw_net(np.random.default_rng(seed), (*hidden, top), tuple(acts), m=m, affine=not paper)


def _fixed_net(notation: str) -> Net:
    """One large network per notation, tanh and sigmoid only (identity makes f' = 1)."""
    paper = notation == "paper"
    widths = (5, 4, 6, 5, 4, 6, 1) if paper else (5, 4, 6, 5, 4, 6, 3)
    acts = ("tanh", "sigmoid", "tanh", "sigmoid", "tanh", "sigmoid")
    return draw_net(np.random.default_rng(0), widths, acts, m=1 if paper else 7, affine=not paper)


# -- the ground truth itself ---------------------------------------------------------------------
@settings(max_examples=5, deadline=None)
@given(net=st.sampled_from(["paper", "tutorial"]).flatmap(lambda n: nets(notation=n)))
def test_backprop_matches_central_differences(net):
    fw = forward(net)
    k = net.depth
    if net.biases is None:
        objectives = {"f": (output_f, backprop(net, fw, np.ones((1, 1))))}
    else:
        residual = fw.Sigma[k] - net.Y
        objectives = {"sum C_s": (sum_of_sample_costs, backprop(net, fw, residual)),
                      "L": (mean_loss, backprop(net, fw, residual / net.m))}
    for name, (objective, grads) in objectives.items():
        parts = [("W", i, grads.grad_w[i]) for i in range(1, k + 1)]
        parts += [("N", i, grads.delta[i]) for i in range(1, k + 1)]
        parts += [("Sigma", i, grads.grad_sigma[i]) for i in range(0, k + 1)]
        parts += [("b", i, grads.grad_b[i]) for i in range(1, k + 1)] if grads.grad_b is not None else []
        for kind, i, analytic in parts:
            numeric = central_difference(objective, net, kind, i)
            np.testing.assert_allclose(analytic, numeric, rtol=CD_RTOL, atol=CD_ATOL,
                                       err_msg=f"d {name} / d {kind}_{i} on {net.label()}")


def test_backprop_catches_a_wrong_reverse_pass():
    net = _fixed_net("tutorial")
    fw = forward(net)
    wrong = backprop(net, fw, fw.Sigma[net.depth] - net.Y)  # the gradient of sum C_s, not of L
    numeric = central_difference(mean_loss, net, "W", 2)
    assert not np.allclose(wrong.grad_w[2], numeric, rtol=CD_RTOL, atol=CD_ATOL)


@pytest.mark.parametrize("case", TEMPLATES, ids=[c.name for c in TEMPLATES])
def test_template_rhs_matches_the_truth_on_a_large_network(case):
    """The hand-written RHS of every correct template is right (else the tests below mean nothing)."""
    p = point(_fixed_net(case.notation))
    assert not disagreements(case, p), (case.latex, disagreements(case, p))


@pytest.mark.parametrize("case", MUTANTS, ids=[c.name for c in MUTANTS])
def test_mutant_is_refuted_numerically_and_not_proved(case):
    p = point(_fixed_net(case.notation))
    found = disagreements(case, p)
    assert found, f"{case.latex}: the numbers do not refute this mutant on {p.net.label()}"
    status, result, error = _verdict(case)
    assert status != "proved", (f"SOUNDNESS: {case.latex} proved ({result.proof.scope()}) but on "
                                f"{p.net.label()}: {found[0]}")


@pytest.mark.parametrize("case", TEMPLATES, ids=[c.name for c in TEMPLATES])
def test_correct_template_is_proved(case):
    status, result, error = _verdict(case)
    assert status == "proved", (case.latex, status, error or result.summary())


def _assert_numeric_claim(case: Case, status: str, result: CheckResult | None, net: Net) -> None:
    """A correct template's RHS matches the truth on ``net``; a "proved" verdict covers ``net`` and
    agrees with the numbers at every layer the formula names."""
    found = disagreements(case, point(net))
    if case.correct:
        assert not found, f"the numeric RHS of {case.latex} is wrong on {net.label()}: {found}"
    if status == "proved":
        proof = result.proof
        # the claim covers the drawn net, which is past every network the proof checked
        assert proof.min_depth <= net.depth and proof.max_depth is None, proof.scope()
        assert ("n_k = 1" if case.notation == "paper" else "every n_k, every m") in proof.scope(), proof.scope()
        assert net.depth >= max(a.depth for a in proof.architectures)
        assert not found, f"SOUNDNESS: {case.latex} proved for {proof.scope()}, refuted on {net.label()}: {found}"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
@settings(max_examples=EXAMPLES, deadline=None)
@given(data=st.data())
def test_proved_formula_holds_numerically_past_the_proof_sizes(case, data):
    status, result, _ = _verdict(case)
    if status != "proved" and not case.correct:
        return  # a mutant the checker does not prove: nothing to contradict
    net = data.draw(nets(notation=case.notation, min_depth=case.min_depth), label="net")
    _assert_numeric_claim(case, status, result, net)


@pytest.mark.parametrize("case", MUTANTS, ids=[c.name for c in MUTANTS])
def test_the_property_kills_every_mutant_if_it_were_proved(case):
    """Had check() proved the mutant (we lend it its template's proof), the property would fail."""
    template = next(c for c in TEMPLATES if c.name == case.name.split("-mutant-")[0])
    status, result, _ = _verdict(template)
    assert status == "proved"
    with pytest.raises(AssertionError, match="SOUNDNESS"):
        _assert_numeric_claim(case, status, result, _fixed_net(case.notation))


@pytest.mark.parametrize("case", MUTANTS, ids=[c.name for c in MUTANTS])
def test_refuted_mutant_gets_a_counterexample(case):
    status, result, error = _verdict(case)
    assert status == "fails" and result.counterexample is not None, (case.latex, status, error)


SQUARE_CHAIN = r"\Delta_i = W_{i+1}^T \Delta_{i+1} \circ \Sigma'_i"
CHAIN_READINGS: dict[str, Side] = {
    "left to right": lambda p, i: had(mm(p.W(i + 1).T, p.D(i + 1)), p.Sp(i)),
    "right to left": lambda p, i: mm(p.W(i + 1).T, had(p.D(i + 1), p.Sp(i))),
}


def _square_chain_disagreements() -> tuple[Net, list[str]]:
    """Both readings of SQUARE_CHAIN on a [2,2,2,1] net: the layers where a well-typed one is wrong."""
    net = draw_net(np.random.default_rng(0), (2, 2, 2, 1), ("tanh", "sigmoid", "tanh"))
    p = point(net)
    wrong = []
    for name, rhs in CHAIN_READINGS.items():
        for i in _all(p.k):
            try:
                value = rhs(p, i)
            except ShapeMismatchError:
                continue  # this reading does not type-check at this layer
            if not np.allclose(value, p.D(i), rtol=RTOL, atol=ATOL):
                wrong.append(f"read {name}, layer {i}: RHS {value.ravel()} vs Delta_{i} {p.D(i).ravel()}")
    return net, wrong


def test_square_chain_read_right_to_left_is_well_typed_and_false_on_width_2():
    _, wrong = _square_chain_disagreements()
    assert wrong and all(w.startswith("read right to left") for w in wrong), wrong


def test_chain_is_not_proved_on_widths_where_a_false_reading_type_checks():
    """Widths bounded to 2 (square networks): both readings type-check there and differ, so the
    verdict is the sweep's "ambiguous", never a proof for every width."""
    result = check(SQUARE_CHAIN, min_width=2, max_width=2, max_depth=3)
    net, wrong = _square_chain_disagreements()
    assert result.status != "proved", f"{SQUARE_CHAIN} proved for {result.proof.scope()}, but on {net.label()}: {wrong}"
