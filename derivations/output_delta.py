"""The output deltas of the trainer's output/loss pairs, proved for every output width n_k and batch m.

For each pair the catalogue :data:`OUTPUT_DELTAS` holds the loss J over a batch, the per-sample output
delta delta^(L) the delta rule starts from (:func:`derivations.delta_rule.apply_delta_rule` builds it
with the record's ``delta``, the same function this module proves) and the claim

    dJ/dZ = (1/m) delta^(L)          (Z = z^(L), A = a^(L), Y: n_k x m, batches are columns)

=========  ================  ===============================================  ==========================
loss       output            J                                                dJ/dZ
=========  ================  ===============================================  ==========================
``mse``    any elementwise f 1/(2m) sum_{j,s} (a_js - y_js)^2                 (1/m) (A - Y) o f'(Z)
``bce``    sigmoid           -1/m sum_{j,s} y log a + (1 - y) log(1 - a)       (1/m) (A - Y)
``cce``    softmax           -1/m sum_{j,s} y_js log a_js                      (1/m) (A - Y)
=========  ================  ===============================================  ==========================

How it is proved (:func:`prove_output_delta`): J is written with SymPy ``Sum`` over index variables
whose ranges are the symbols n and m, not numbers (``IndexedBase`` entries z[j, t], y[j, t]); softmax
is exp(z_js) / sum_i exp(z_is) with the sum unevaluated; ``f`` for MSE is an undefined function, so
the MSE line covers every elementwise activation. SymPy differentiates J by the entry z[r, s]
(the derivative of a sum gives Kronecker deltas, which ``doit`` sums out). Writing n = r + 1 + p
and m = s + 1 + q with p, q >= 0 integer symbols states that (r, s) is an entry, so the
Piecewise that ``doit`` leaves collapses; every n >= 1, m >= 1 and every entry is one value of
(r, s, p, q). The claimed entry is subtracted and the difference simplified: 0 is a proof for
every n_k, m and entry at once. Softmax with cross-entropy needs one hypothesis, applied as a
substitution and printed with the verdict: each target column sums to 1 (one-hot labels or
probabilities); without it the delta is A (1^T Y) - Y.

A difference that does not simplify to 0 is checked on explicit sizes n_k = 1..3 (2..3 for softmax),
m = 1..3 at an exact point (z = log c for small integers c, so exp, sigmoid and tanh stay rational;
tanh stands in for the MSE's f); the first nonzero entry is the counterexample. If none is found
the verdict is "undecided". Sources: the gradients are the usual ones (Bishop, "Pattern
Recognition and Machine Learning", 2006, eqs. 4.91, 4.109 and 5.18).
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Callable

import sympy as sp

from .errors import UnknownNameError
from .network import Architecture
from .verdict import Counterexample

__all__ = ["OutputDelta", "OutputDeltaProof", "OUTPUT_DELTAS", "prove_output_delta"]

_p, _q = sp.symbols("p q", integer=True, nonnegative=True)
_i, _j, _t, _r, _s = sp.symbols("i j t r s", integer=True, nonnegative=True)
_z, _y = sp.IndexedBase("z"), sp.IndexedBase("y")
_f = sp.Function("f")
_SIZES = (_r + 1 + _p, _s + 1 + _q)  # n, m: every size with (r, s) an entry


def _times(a: sp.Expr, b: sp.Expr | None) -> sp.Expr:
    """a o b for the entries of the proof; b = None stands for f' = 1 (the rule passes its Hadamard product)."""
    return a if b is None else a * b


def _activation(output: str | None) -> Callable[[sp.Expr, sp.Expr, sp.Expr], sp.Expr]:
    """(j, t, n) -> a_jt for the output activation (None: the undefined elementwise f)."""
    if output == "softmax":
        return lambda j, t, n: sp.exp(_z[j, t]) / sp.Sum(sp.exp(_z[_i, t]), (_i, 0, n - 1))
    if output == "sigmoid":
        return lambda j, t, n: 1 / (1 + sp.exp(-_z[j, t]))
    if output == "identity":
        return lambda j, t, n: _z[j, t]
    return lambda j, t, n: _f(_z[j, t])


def _total(term: sp.Expr, n: sp.Expr, m: sp.Expr) -> sp.Expr:
    return sp.Sum(term, (_j, 0, n - 1), (_t, 0, m - 1))


def _mse(a, y, n, m):
    return _total((a - y) ** 2, n, m) / (2 * m)


def _bce(a, y, n, m):
    return -_total(y * sp.log(a) + (1 - y) * sp.log(1 - a), n, m) / m


def _cce(a, y, n, m):
    return -_total(y * sp.log(a), n, m) / m


@dataclass(frozen=True)
class OutputDelta:
    """One output/loss pair: J, the per-sample output delta, and the claim dJ/dZ = scale(m) delta.

    Attributes:
        loss: "mse", "bce" or "cce".
        output: the output activation ("softmax", "sigmoid"), None for any elementwise f.
        loss_of: (a_jt, y_jt, n, m) -> J, with a_jt at the summed indices j, t.
        delta: (A, Y, F', times) -> delta^(L); ``times`` is the Hadamard product (F' None: f' = 1).
        scale: m -> the factor from delta^(L) to dJ/dZ (1/m for all three losses).
        targets_sum_to_one: the hypothesis sum_j y_js = 1 (categorical targets).
        latex: dJ/dZ as LaTeX; words: J in words.
    """

    loss: str
    output: str | None
    loss_of: Callable
    delta: Callable
    latex: str
    words: str
    scale: Callable[[sp.Expr], sp.Expr] = lambda m: 1 / m
    targets_sum_to_one: bool = False

    def claim(self) -> sp.Expr:
        """The claimed dJ/dz_rs, entry (r, s), in the proof's symbols."""
        n, m = _SIZES
        a = _activation(self.output)(_r, _s, n)
        fprime = None if self.output == "softmax" else sp.diff(a, _z[_r, _s])  # elementwise: f'(z_rs)
        return self.scale(m) * self.delta(a, _y[_r, _s], fprime, _times)

    def truth(self) -> sp.Expr:
        """dJ/dz_rs by SymPy's differentiation of the index sums, under the hypothesis if any."""
        n, m = _SIZES
        J = self.loss_of(_activation(self.output)(_j, _t, n), _y[_j, _t], n, m)
        gradient = sp.diff(J, _z[_r, _s]).doit()
        if self.targets_sum_to_one:
            gradient = gradient.subs(sp.Sum(_y[_j, _s], (_j, 0, n - 1)), 1)
        return gradient


OUTPUT_DELTAS: dict[str, OutputDelta] = {
    "mse": OutputDelta("mse", None, _mse, lambda A, Y, F, times: times(A - Y, F),
                       r"\nabla_{Z} J = \frac{1}{m} (A - Y) \odot f'(Z)",
                       "J = 1/(2m) sum ||a - y||^2, any elementwise output activation f"),
    "bce": OutputDelta("bce", "sigmoid", _bce, lambda A, Y, F, times: A - Y,
                       r"\nabla_{Z} J = \frac{1}{m} (A - Y)",
                       "J = -1/m sum (y log a + (1 - y) log(1 - a)), sigmoid output"),
    "cce": OutputDelta("cce", "softmax", _cce, lambda A, Y, F, times: A - Y,
                       r"\nabla_{Z} J = \frac{1}{m} (A - Y)",
                       "J = -1/m sum y log a, softmax output, target columns summing to 1",
                       targets_sum_to_one=True),
}
"""loss -> its :class:`OutputDelta`; ``derivations.delta_rule.apply_delta_rule`` takes delta^(L) from here."""


@dataclass(frozen=True)
class OutputDeltaProof:
    """The verdict on dJ/dZ = scale(m) delta^(L) for one pair: "proved", "fails" or "undecided".

    Attributes:
        record: the :class:`OutputDelta` checked.
        status: "proved" (every n_k >= 1, m >= 1, every entry), "fails" (``counterexample``) or "undecided".
        difference: claim - truth after simplification (0 when proved), as text.
        assumptions: what the proof assumes, in words.
    """

    record: OutputDelta
    status: str
    difference: str
    seconds: float
    assumptions: tuple[str, ...] = ()
    counterexample: Counterexample | None = field(default=None)

    @property
    def proved(self) -> bool:
        """status == "proved"."""
        return self.status == "proved"

    def scope(self) -> str:
        return "every n_k, every m, every entry (r, s)"

    def __str__(self) -> str:
        head = f"output delta ({self.record.loss}, {self.record.output or 'any f'}): {self.record.latex}: {self.status}"
        if self.proved:
            return f"{head} for {self.scope()}; assuming {'; '.join(self.assumptions)}"
        why = f": {self.counterexample.message}" if self.counterexample else f" (difference {self.difference})"
        return head + why


def _point(n: int, m: int, record: OutputDelta) -> dict:
    """An exact point on an n x m batch: z = log c (c = 2, 3, ...), y one-hot columns or fractions."""
    point = {}
    for j, t in itertools.product(range(n), range(m)):
        point[_z[j, t]] = sp.log(2 + j + 2 * t)
        point[_y[j, t]] = (sp.Integer(int(j == t % n)) if record.targets_sum_to_one
                           else sp.Rational(1, 2 + j + t))
    return point


def _at(expr: sp.Expr, n: int, m: int, r: int, s: int, point: dict) -> sp.Expr:
    """expr on the explicit sizes n, m at entry (r, s), with tanh for the undefined f."""
    value = expr.subs({_r: r, _s: s, _p: n - r - 1, _q: m - s - 1}).doit()
    value = value.replace(_f, sp.tanh).doit()
    return sp.nsimplify(sp.simplify(value.subs(point)))


def _counterexample(record: OutputDelta, difference: sp.Expr) -> Counterexample | None:
    """The first (n_k, m, entry) of the small sizes where the claim and the truth differ, exactly."""
    low = 2 if record.output == "softmax" else 1
    for n, m in itertools.product(range(low, 4), range(1, 4)):
        point = _point(n, m, record)
        for r, s in itertools.product(range(n), range(m)):
            gap = _at(difference, n, m, r, s, point)
            if gap != 0:
                truth = _at(record.truth(), n, m, r, s, point)
                arch = Architecture((1, n), record.output or "tanh", "affine")
                return Counterexample(arch, None, (r, s), {str(k): str(v) for k, v in point.items()},
                                      str(sp.simplify(truth + gap)), str(truth),
                                      message=f"dJ/dZ entry ({r}, {s}) with n_k={n}, m={m}: the claim gives "
                                              f"{sp.simplify(truth + gap)}, differentiation gives {truth}")
    return None


def prove_output_delta(record: OutputDelta | str) -> OutputDeltaProof:
    """The proof (or a counterexample) that dJ/dZ = scale(m) delta^(L) for every n_k and m.

    Args:
        record: a key of :data:`OUTPUT_DELTAS` or an :class:`OutputDelta` (tests pass mutants).

    Shapes: Z, A, Y n_k x m; the claim is entry-wise, at a symbolic entry (r, s).

    Raises:
        UnknownNameError: an unknown loss name.

    >>> prove_output_delta("cce").status
    'proved'
    """
    if isinstance(record, str):
        if record not in OUTPUT_DELTAS:
            raise UnknownNameError(f"loss must be one of {', '.join(OUTPUT_DELTAS)}, got loss={record!r}")
        record = OUTPUT_DELTAS[record]
    start = time.perf_counter()
    difference = sp.simplify(sp.together(record.claim() - record.truth()))
    assumptions = ["n_k >= 1, m >= 1 symbolic", f"output {record.output or 'any differentiable elementwise f'}"]
    if record.targets_sum_to_one:
        assumptions.append("each column of Y sums to 1 (one-hot or probabilities)")
    if difference == 0:
        return OutputDeltaProof(record, "proved", "0", time.perf_counter() - start, tuple(assumptions))
    found = _counterexample(record, difference)
    return OutputDeltaProof(record, "fails" if found else "undecided", str(difference),
                            time.perf_counter() - start, tuple(assumptions), found)
