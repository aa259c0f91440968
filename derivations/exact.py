"""Exact equality of a formula with the ground truth, or a concrete counterexample.

Method (issue 2, part 5): both sides are written in the named symbols x, w, b,
v, y, sigma_{i,j} and sigma'_{i,j}, so each entry is a *polynomial*. With every
sigma/sigma' a free symbol the test ``expand(lhs - rhs) == 0`` is a polynomial
identity: it decides equality for every choice of activations at once (the
paper's "arbitrary piecewise differentiable sigma_ij"). A concrete activation is
a specialisation applied to both sides before expanding; each
:class:`~derivations.activations.Activation` states its own
(:meth:`~derivations.activations.Activation.specialize`), and softmax is layer-wise:

=========  ===========================================  =========================
identity   sigma -> N_ij, sigma' -> 1                    exact
sigmoid    sigma' -> sigma - sigma^2                     exact
tanh       sigma' -> 1 - sigma^2                         exact
relu       sigma' -> h, sigma -> N_ij h, h^2 = h         exact off the kinks
softplus   none (sigma, sigma' free)                     sufficient
softmax    J_jl -> sigma_j (delta_jl - sigma_l),         exact
           sigma_n -> 1 - sum of the other sigma_j
=========  ===========================================  =========================

Losses with logarithms (cross-entropy) make the sides rational functions; their
difference is brought over one denominator and its *numerator* must vanish.

A non-zero difference is then confirmed by a witness: a concrete point (small
integers for x, w, b and for the free sigma, sigma'; a forward pass for concrete
activations, :meth:`~derivations.activations.Activation.forward`, at 50 significant
digits when transcendental) where the two sides differ. Sampling is used only to
*exhibit* a failure, never to claim equality.
"""

from __future__ import annotations

import random
from typing import Callable

import symengine as se
import sympy as sp

from .errors import ShapeError
from .ground_truth import engine_matrix
from .network import Network
from .products import Matrix, shape_str
from .verdict import Counterexample

__all__ = ["compare", "decide", "shape_failure", "specialization"]


# -- specialisation ---------------------------------------------------------------
def _se(e) -> se.Basic:
    return se.sympify(e)


def _h(net: Network, i: int, j: int, s: int) -> se.Symbol:
    suffix = f",{s + 1}" if net.m > 1 else ""
    return se.Symbol(f"h_{{{i},{j + 1}{suffix}}}")


def specialization(net: Network) -> tuple[dict, list]:
    """(substitution, idempotent symbols) that turn the free sigma/sigma' into the net's activations.

    Values are already composed bottom-up, so one simultaneous substitution suffices.
    """
    def build():
        sub = {_se(k): _se(v) for k, v in net.fixed.items()}
        idempotent = []
        for i in range(1, net.depth + 1):
            if net.architecture.activation(i).is_layerwise:
                _softmax_relations(net, i, sub)
                continue
            acts = [net.activation(i, j) for j in range(net.n(i))]
            if not any(_relates(act) for act in acts):  # the abstract sigma: nothing to substitute
                continue
            N = se.Matrix(net.N(i))
            for j, act in enumerate(acts):
                if not _relates(act):
                    continue
                for s in range(net.m):
                    pre = N[j, s].subs(sub) if sub else N[j, s]
                    h = _h(net, i, j, s) if act.uses_idempotent else None
                    if h is not None:
                        idempotent.append(h)
                    sub.update(act.specialize(_se(net.sigma(i, j, s)), _se(net.sigma_prime(i, j, s)), pre, h))
        return sub, idempotent
    return net._memo(("specialization",), build)


def _relates(act) -> bool:
    """True when the activation writes sigma or sigma' in other symbols (its specialisation is not empty)."""
    return act.value is not None or act.slope is not None


def _softmax_relations(net: Network, i: int, sub: dict) -> None:
    """sigma_n = 1 - sum_{j<n} sigma_j and J_jl = sigma_j (delta_jl - sigma_l), for every sample."""
    n = net.n(i)
    for s in range(net.m):
        sig = [_se(net.sigma(i, j, s)) for j in range(n)]
        last = 1 - se.Add(*sig[:-1])
        value = sig[:-1] + [last]
        sub[sig[-1]] = last
        J = net.softmax_jacobian(i, s)
        for j in range(n):
            for c in range(n):
                sub[_se(J[j, c])] = se.expand(value[j] * ((1 if j == c else 0) - value[c]))


def _has_denominator(expr: se.Basic) -> bool:
    seen: set = set()
    stack = [expr]
    while stack:
        e = stack.pop()
        if e in seen:
            continue
        seen.add(e)
        if isinstance(e, se.Pow) and e.args[1].is_Number and e.args[1] < 0:
            return True
        stack.extend(e.args)
    return False


def _reduce_idempotent(expr: se.Basic, hs: list) -> se.Basic:
    """Rewrite h^k -> h for the 0/1 symbols h of ReLU slopes."""
    if not hs or expr == 0:
        return expr
    hset = set(hs)
    terms = []
    for mono, coeff in expr.as_coefficients_dict().items():
        powers = mono.as_powers_dict()
        factors = [b ** (1 if b in hset else e) for b, e in powers.items() if b != 1]
        terms.append(coeff * se.Mul(*factors))
    return se.expand(se.Add(*terms))


def _difference(net: Network, lhs: se.Basic, rhs: se.Basic) -> se.Basic:
    """lhs - rhs after the specialisation, expanded: zero iff the identity holds.

    A rational difference is replaced by the numerator of its normal form.
    """
    sub, hs = specialization(net)
    diff = lhs - rhs
    if sub:
        diff = diff.subs(sub)
    diff = se.expand(diff)
    if _has_denominator(diff):
        numerator, _ = sp.fraction(sp.together(sp.sympify(diff)))
        diff = se.expand(_se(numerator))
    return _reduce_idempotent(diff, hs)


# -- witnesses ---------------------------------------------------------------------
_DIGITS = 50


def _forward_point(net: Network, rng: random.Random, spread: int) -> dict | None:
    """Values for every symbol of the net at one point; None if a ReLU sits on a kink."""
    pick = (lambda: sp.Integer(1)) if spread == 0 else (lambda: sp.Integer(rng.randint(-spread, spread)))
    values = {}
    for M in [net.X, net.V, net.Y, *net.parameters()]:
        for sym in M:
            if isinstance(sym, sp.Symbol):
                values[sym] = pick()
    values.update({k: sp.sympify(v).xreplace(values) for k, v in net.fixed.items()})
    for i in range(1, net.depth + 1):
        if net.architecture.activation(i).is_layerwise:
            _softmax_point(net, i, net.N(i).xreplace(values), values)
            continue
        acts = [net.activation(i, j) for j in range(net.n(i))]
        # N_i only for the concrete activations' forward pass: the abstract sigma takes free values
        N = None if all(act.is_abstract for act in acts) else net.N(i).xreplace(values)
        for j, act in enumerate(acts):
            for s in range(net.m):
                point = (pick(), pick()) if act.is_abstract else act.forward(N[j, s], digits=_DIGITS)
                if point is None:  # a kink (ReLU at 0)
                    return None
                val, slope = point
                values[net.sigma(i, j, s)] = val
                values[net.sigma_prime(i, j, s)] = slope
    return values


def _softmax_point(net: Network, i: int, N: sp.Matrix, values: dict) -> None:
    for s in range(net.m):
        exps = [sp.exp(sp.N(N[j, s], _DIGITS)) for j in range(net.n(i))]
        probs = [sp.N(e / sum(exps), _DIGITS) for e in exps]
        J = net.softmax_jacobian(i, s)
        for j, p in enumerate(probs):
            values[net.sigma(i, j, s)] = p
            for c, q in enumerate(probs):
                values[J[j, c]] = p * ((1 if j == c else 0) - q)


def _fmt(v: sp.Expr) -> str:
    v = sp.sympify(v)
    return str(v) if v.is_Rational else sp.sstr(sp.N(v, 15))


def _witness(net: Network, lhs: sp.Expr | se.Basic, rhs: sp.Expr | se.Basic, tries: int = 80, keep: int = 6):
    """A small point where lhs != rhs: all ones first, then random values of growing spread.

    Of the first ``keep`` witnesses found, the one with the smallest sum of |values| wins. The sides
    (SymPy or SymEngine) are searched as SymPy expressions.
    """
    rng = random.Random(0)
    lhs, rhs = sp.sympify(lhs), sp.sympify(rhs)
    used = lhs.free_symbols | rhs.free_symbols
    base = {s for M in [net.X, *net.parameters()] for s in M if isinstance(s, sp.Symbol)}
    found = []
    for t in range(tries):
        spread = 0 if t == 0 else 1 + t // 20
        values = _forward_point(net, rng, spread)
        if values is None:
            continue
        for extra in used - values.keys():  # e.g. the weight-decay lambda
            values[extra] = sp.Integer(1 if spread == 0 else rng.randint(-spread, spread))
        a, b = lhs.xreplace(values), rhs.xreplace(values)
        gap = sp.N(a - b, _DIGITS)
        if not gap.is_finite:  # a denominator vanished at this point
            continue
        scale = max(1, abs(sp.N(a, _DIGITS)), abs(sp.N(b, _DIGITS)))
        if gap != 0 and abs(gap) > sp.Float(10) ** (-(_DIGITS - 10)) * scale:
            shown = {k: v for k, v in values.items() if k in used or k in base}
            size = sum(abs(sp.N(v)) for v in shown.values())
            found.append((size, t, shown, a, b))
            if len(found) >= keep:
                break
    if not found:
        return None
    _, _, shown, a, b = min(found, key=lambda w: (w[0], w[1]))
    return {str(k): _fmt(v) for k, v in shown.items()}, _fmt(a), _fmt(b)


# -- the comparison ----------------------------------------------------------------
def compare(net: Network, formula: Matrix, truth: Matrix, *,
            layer: int | None = None, what: str = "formula",
            truth_name: str = "the gradient") -> Counterexample | None | str:
    """None if ``formula == truth`` exactly on ``net``; else a Counterexample.

    Both sides may be SymPy or SymEngine matrices; the identity is decided in SymEngine, and only a
    failing entry is taken to SymPy, for the witness point and the counterexample's text.

    Returns the string "undecided" when the difference is a non-zero polynomial but
    no witness point was found (possible only for softplus and ReLU).

    Shapes: formula and truth must have the same shape; a mismatch is a
    Counterexample of kind "shape".
    """
    if (formula.rows, formula.cols) != (truth.rows, truth.cols):
        return Counterexample(net.architecture, layer, None, kind="shape", message=(
            f"{what} is {shape_str(formula)} but {truth_name} is {truth.rows}x{truth.cols} "
            f"on {net.architecture.label()}, layer {layer}"))
    undecided = False
    lhs, rhs = engine_matrix(net, formula), engine_matrix(net, truth)
    for r in range(formula.rows):
        for c in range(formula.cols):
            if _difference(net, lhs[r, c], rhs[r, c]) == 0:
                continue
            found = _witness(net, formula[r, c], truth[r, c])
            if found is None:
                undecided = True
                continue
            point, a, b = found
            shown = ", ".join(f"{k}={v}" for k, v in sorted(point.items()))
            return Counterexample(net.architecture, layer, (r, c), point, a, b, "value", (
                f"on {net.architecture.label()}, layer {layer}, entry ({r + 1},{c + 1}): "
                f"{what} = {a} but {truth_name} = {b} at {shown}"))
    return "undecided" if undecided else None


def decide(net: Network, layer: int | None, sides: Callable[[], tuple[Matrix, Matrix]], *,
           what: str, shape_what: str | None = None, truth_name: str = "the gradient") -> Counterexample | None | str:
    """The one step of every verification loop (the registry's layers, the checker's instances):
    compute ``sides()`` = (formula, truth) on ``net``; a ShapeError is a shape counterexample
    (naming ``shape_what``, default ``what``); else :func:`compare` decides.

    Returns None (an exact identity), a Counterexample, or "undecided".
    """
    try:
        formula, truth = sides()
    except ShapeError as err:
        return shape_failure(net, layer, err, shape_what or what)
    return compare(net, formula, truth, layer=layer, what=what, truth_name=truth_name)


def shape_failure(net: Network, layer: int | None, err: ShapeError, what: str) -> Counterexample:
    """A Counterexample for a formula that raised ShapeError on ``net``."""
    return Counterexample(net.architecture, layer, None, kind="shape",
                          message=f"{what} does not type-check on {net.architecture.label()}, "
                                  f"layer {layer}: {err}")
