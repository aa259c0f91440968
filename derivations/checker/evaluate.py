"""Instantiate a formula's AST on a concrete network and layer: SymEngine matrices and scalars.

``env`` binds the index letters: the notation's last-layer letter to the depth K
and the general layer letter (i, l, r, ...) to one layer. Products go through the
shape-checked :mod:`derivations.products`; a misfit raises
:class:`~derivations.errors.ShapeError` naming the LaTeX of both operands.
Gradient symbols (\\nabla_{W_i} f, dW^{(l)}, Delta_{i+1}, delta^{(l+1)}) evaluate to
the *ground truth* (:mod:`derivations.ground_truth`), so a recursion is checked
one step at a time.

Everything is computed in SymEngine, end to end: the network's symbol matrices are converted once
per network (:func:`~derivations.ground_truth.engine_symbols`) and the ground truth is SymEngine's
own result (:func:`~derivations.ground_truth.engine_grad_W`, ...), so the exact comparison
(:mod:`derivations.exact`) needs no conversion.
"""

from __future__ import annotations

from typing import Union

import symengine as se

from ..errors import ArchitectureError, ShapeError, UnsupportedNotationError
from ..ground_truth import (
    LAMBDA,
    OUTPUT,
    Objective,
    engine_grad_b,
    engine_grad_N,
    engine_grad_Sigma,
    engine_grad_W,
    engine_symbols,
)
from ..network import Network
from ..products import bullet, diag_hat, dot, hadamard, is_matrix, kron, shape_str
from .indexforms import entry, neuron_sizes
from .indices import GRADIENT_OF, is_application, layer_range, named, our_layer, written_index
from .nodes import (
    Add,
    Apply,
    Fold,
    Grad,
    Hat,
    Neg,
    Node,
    NpSum,
    Num,
    Ones,
    Prod,
    Sub,
    SumBatch,
    Sym,
    Transpose,
)
from .notation import Notation, parse_objective
from .recording import constant, shape

__all__ = ["Value", "evaluate", "objective", "SAMPLE", "LayerOutOfRangeError"]

Value = Union[se.DenseMatrix, se.Basic]
"""A SymEngine matrix, or a SymEngine scalar (numbers, m, 1/m)."""

SAMPLE = "#sample"
"""The env key of the sample a per-sample sum (\\sum_x) is evaluating."""

_PER_SAMPLE = {"X", "N", "Sigma", "Sigma_prime", "Delta", "dA", "Y", "V", "output",
               "grad_N", "grad_Sigma"}


class LayerOutOfRangeError(ArchitectureError):
    """An index of the formula is not a layer of this network (callers normally bind valid layers)."""


def objective(spec: str) -> Objective:
    """The ground-truth objective of an objective spec (see :func:`.notation.parse_objective`)."""
    kind, scale, wd = parse_objective(spec)
    if kind in ("wd", "omega"):
        raise UnsupportedNotationError("the weight-decay term alone is no objective of the network")
    if kind == "output" and wd is None:
        return OUTPUT
    return Objective(kind, scale if kind != "output" else "1/(2m)", wd)


_LAMBDA = se.sympify(LAMBDA)


def _truth(fn, net: Network, j: int, spec: str) -> se.DenseMatrix:
    """fn(net, j, objective) (a SymEngine ground truth) for a spec; "wd c" is the decay term alone
    (total minus f); "omega c" that term at lambda = 1 (the term is linear in lambda)."""
    kind, _, wd = parse_objective(spec)
    if kind in ("wd", "omega"):
        term = fn(net, j, Objective("output", "1/(2m)", wd)) - fn(net, j, OUTPUT)
        return term.subs({_LAMBDA: 1}) if kind == "omega" else term
    return fn(net, j, objective(spec))


def _layer(sym: Sym, meaning: str, net: Network, env: dict, notation: Notation) -> int:
    idx = written_index(sym, notation)
    if idx is None:
        return 0  # X, Y, V, m: no layer
    j = our_layer(meaning, idx, env, notation)
    lo, hi = layer_range(meaning, net.depth, notation)
    if not lo <= j <= hi:
        raise LayerOutOfRangeError(f"{sym.src}: layer {j} not in {lo}..{hi}")
    return j


def _boundary(v: Value, meaning: str, env: dict, notation: Notation) -> Value:
    """Our value -> the profile's: one sample's column inside \\sum_x, transposed for row layouts."""
    if _is_scalar(v):
        return v
    if SAMPLE in env and meaning in _PER_SAMPLE:
        v = v[:, env[SAMPLE]]
    return v.T if notation.layout == "rows" else v


def _symbol(sym: Sym, net: Network, env: dict, notation: Notation) -> Value:
    meaning = notation.meaning(sym.key)
    if sym.sample is not None and env.get(SAMPLE + "var") != sym.sample:
        raise UnsupportedNotationError(f"{sym.src}: the sample index {sym.sample} needs a sum over it, "
                                       f"\\sum_{sym.sample}")
    j = _layer(sym, meaning, net, env, notation)
    if meaning == "m" or (meaning == "W" and j == net.depth + 1):
        constant(sym, net.m if meaning == "m" else net.n(net.depth))
    value = _boundary(_symbol_value(meaning, j, net, notation), meaning, env, notation)
    shape(sym, value, "leaves")
    return entry(value, sym, env)


def _symbol_value(meaning: str, j: int, net: Network, notation: Notation) -> Value:
    K = net.depth
    if meaning == "W":
        return se.eye(net.n(K)) if j == K + 1 else engine_symbols(net, "W", j)
    if meaning in ("b", "N", "Sigma_prime"):
        return engine_symbols(net, meaning, j)
    if meaning in ("Sigma", "X"):
        return engine_symbols(net, "Sigma", max(j, 0))
    if meaning == "Delta":
        return engine_symbols(net, "V") if j == K + 1 else _truth(engine_grad_N, net, j, notation.delta_objective)
    if meaning == "dA":
        return _truth(engine_grad_Sigma, net, j, notation.delta_objective)
    if meaning == "dW":
        return _truth(engine_grad_W, net, j, notation.default_loss)
    if meaning == "db":
        return _truth(engine_grad_b, net, j, notation.default_loss)
    if meaning == "output":
        return engine_symbols(net, "Sigma", K)
    return {"Y": lambda: engine_symbols(net, "Y"), "V": lambda: engine_symbols(net, "V"),
            "m": lambda: se.Integer(net.m), "lambda": lambda: _LAMBDA}[meaning]()


def _gradient(node: Grad, net: Network, env: dict, notation: Notation) -> se.DenseMatrix:
    spec = notation.loss(node.of, node.per_sample)
    meaning = notation.meaning(node.wrt.key)
    j = _layer(node.wrt, "grad_" + meaning, net, env, notation)
    if meaning == "output":
        j = net.depth
    fn = {"W": engine_grad_W, "b": engine_grad_b, "N": engine_grad_N}.get(meaning, engine_grad_Sigma)
    value = _truth(fn, net, max(j, 0), spec)
    if SAMPLE in env and node.per_sample and meaning in ("W", "b"):
        value = _one_sample(value, net, env[SAMPLE])  # J(W,b;x^{(i)},y^{(i)}) inside \\sum_i
    return entry(_boundary(value, "grad_" + GRADIENT_OF[meaning], env, notation), node.wrt, env)


def _own_symbols(net: Network, s: int) -> set:
    """The symbols of sample ``s`` (SymEngine): its columns of X, Y, V, of every Sigma_i and of the
    slopes Sigma'_i (a softmax layer: its Jacobian for sample s). Once per network and sample."""
    def build() -> set:
        columns = [engine_symbols(net, name)[:, s] for name in ("X", "Y", "V")]
        for i in range(1, net.depth + 1):
            columns.append(engine_symbols(net, "Sigma", i)[:, s])
            columns.append(engine_symbols(net, "softmax_jacobian", i, s)
                           if net.architecture.activation(i).is_layerwise
                           else engine_symbols(net, "Sigma_prime", i)[:, s])
        return {e for column in columns for e in column}
    return net._memo(("own-symbols", s), build)


def _one_sample(value: se.DenseMatrix, net: Network, s: int) -> se.DenseMatrix:
    """The part of a summed per-sample gradient that belongs to sample ``s``: a per-sample cost
    sum_s C_s has gradient sum_s grad C_s, and each term of grad C_s has symbols of sample s only;
    so entry by entry, the terms of the expanded entry that contain a symbol of sample s."""
    own = _own_symbols(net, s)

    def part(e: se.Basic) -> se.Basic:
        return se.Add(*[t for t in se.Add.make_args(se.expand(e)) if t.free_symbols & own])
    return value.applyfunc(part)


def _apply(node: Apply, net: Network, env: dict, notation: Notation) -> Value:
    meaning = notation.functions.get(node.fn.key)
    if not is_application(node, notation):  # juxtaposition is a product
        return _product(Prod("juxt", node.fn, node.arg, src=node.src), net, env, notation)
    arg = node.arg
    if not (isinstance(arg, Sym) and notation.symbols.get(arg.key) == "N" and written_index(arg, notation)):
        return _apply_to_expression(node, meaning, net, env, notation)
    if node.fn.index is not None and node.fn.index != arg.index:
        raise UnsupportedNotationError(f"{node.src}: the function and its argument have different layers")
    j = _layer(arg, "N", net, env, notation)
    if meaning == "Sigma_prime_hat":
        if net.m != 1 and SAMPLE not in env:
            raise UnsupportedNotationError(f"{node.src}: a diagonal matrix of slopes needs one sample")
        column = _boundary(engine_symbols(net, "Sigma_prime", j), "Sigma", env, notation)
        return diag_hat(column if column.cols == 1 else column.T)
    return entry(_boundary(_values_or_slopes(node, meaning, net, j), "Sigma", env, notation), arg, env)


def _values_or_slopes(node: Apply, meaning: str, net: Network, j: int) -> se.DenseMatrix:
    """Sigma_j (meaning "Sigma") or Sigma'_j of the network, n_j x m.

    Raises:
        UnsupportedNotationError: the slopes of a softmax layer (it has a Jacobian, not slopes).
    """
    try:
        return engine_symbols(net, "Sigma" if meaning == "Sigma" else "Sigma_prime", j)
    except ArchitectureError as err:
        raise UnsupportedNotationError(f"{node.src}: {err}") from None


def _apply_to_expression(node: Apply, meaning: str, net: Network, env: dict, notation: Notation) -> Value:
    """sigma(expression) where the expression is exactly a layer's pre-activation, as Nielsen's
    (23) a^l = sigma(w^l a^{l-1} + b^l): the values (or slopes) of that layer; or exactly one entry
    of one, as its index form a^l_j = sigma(sum_k w^l_{jk} a^{l-1}_k + b^l_j): that entry's.

    Raises:
        UnsupportedNotationError: the expression equals no layer's pre-activation (sigma of anything
            else has no value in the network), or a diagonal of slopes is asked of it.
    """
    value = evaluate(node.arg, net, env, notation)
    row = [value] if not is_matrix(value) else list(value) if value.rows == 1 else None  # one neuron's
    for j in range(1, net.depth + 1) if meaning in ("Sigma", "Sigma_prime") else ():
        pre = _boundary(engine_symbols(net, "N", j), "N", env, notation)
        if is_matrix(value) and pre.shape == value.shape and all(se.expand(d) == 0 for d in pre - value):
            return _boundary(_values_or_slopes(node, meaning, net, j), "Sigma", env, notation)
        for r in range(pre.rows) if row is not None and pre.cols == len(row) else ():
            if all(se.expand(pre[r, c] - v) == 0 for c, v in enumerate(row)):
                slopes = _boundary(_values_or_slopes(node, meaning, net, j), "Sigma", env, notation)
                return slopes[r, 0] if not is_matrix(value) else slopes[r:r + 1, :]
    raise UnsupportedNotationError(
        f"{node.fn.src}(...) must be applied to a pre-activation such as z^{{(l)}} or N_i, or to an "
        f"expression equal to one such as w^l a^{{l-1}} + b^l, got {node.src}")


def _is_scalar(v: Value) -> bool:
    return not is_matrix(v)


def _product(node: Prod, net: Network, env: dict, notation: Notation) -> Value:
    a = evaluate(node.left, net, env, notation)
    b = evaluate(node.right, net, env, notation)
    names = (node.left.src, node.right.src)
    if node.op == "div":
        if not _is_scalar(b):
            raise UnsupportedNotationError(f"division by a matrix: {node.src}")
        if b == 0:
            raise UnsupportedNotationError(f"division by zero: {node.src}")
        return a / b
    if _is_scalar(a) or _is_scalar(b):
        return a * b
    if node.op in ("dot", "juxt"):
        if notation.scalar_1x1 and a.cols != b.rows and (a.shape == (1, 1) or b.shape == (1, 1)):
            return a[0, 0] * b if a.shape == (1, 1) else b[0, 0] * a
        return dot(a, b, names=names)
    if node.op == "bullet":
        if notation.scalar_1x1 and b.cols != a.rows and (a.shape == (1, 1) or b.shape == (1, 1)):
            return a[0, 0] * b if a.shape == (1, 1) else b[0, 0] * a
        return bullet(a, b, names=names)
    if node.op == "hadamard":
        return hadamard(a, b, names=names)
    return kron(a, b)


def _sum(node: Node, a: Value, b: Value, notation: Notation, sign: int) -> Value:
    if _is_scalar(a) and _is_scalar(b):
        return a + sign * b
    if (_is_scalar(a) or _is_scalar(b)) and notation.broadcast:  # NumPy / Octave: 1 - a
        shape = b.shape if _is_scalar(a) else a.shape
        constant(node, *shape)
        a = a * se.ones(*shape) if _is_scalar(a) else a
        b = b * se.ones(*shape) if _is_scalar(b) else b
        return a + sign * b
    if _is_scalar(a) or _is_scalar(b):
        raise ShapeError(f"cannot add a scalar and a matrix in {node.src}")
    if a.shape != b.shape and notation.broadcast and a.rows == b.rows and 1 in (a.cols, b.cols):
        constant(node, 1, max(a.cols, b.cols))
        a = a * se.ones(1, b.cols) if a.cols == 1 else a
        b = b * se.ones(1, a.cols) if b.cols == 1 else b
    if a.shape != b.shape and notation.broadcast and a.cols == b.cols and 1 in (a.rows, b.rows):
        constant(node, max(a.rows, b.rows))
        a = se.ones(b.rows, 1) * a if a.rows == 1 else a
        b = se.ones(a.rows, 1) * b if b.rows == 1 else b
    if a.shape != b.shape:
        what = "sum" if sign > 0 else "difference"
        raise ShapeError(f"{what} needs equal shapes: {node.left.src} is {shape_str(a)}, "
                         f"{node.right.src} is {shape_str(b)}")
    return a + sign * b


def _sum_samples(node: SumBatch, net: Network, env: dict, notation: Notation) -> Value:
    """\\sum_x body: the body evaluated on each sample's column, added up; \\sum_k over a neuron index."""
    if node.over == "neurons":
        if node.var in env:
            raise UnsupportedNotationError(f"the sum index {node.var} is already bound: {node.src}")
        size = neuron_sizes(node.body, net, {**env, node.var: 0}, notation, evaluate).get(node.var, 0)
        steps = [{**env, node.var: k} for k in range(size)]
        constant(node, size)
    else:
        if SAMPLE in env:
            raise UnsupportedNotationError(f"nested sums over the samples: {node.src}")
        steps = [{**env, SAMPLE: s, SAMPLE + "var": node.var} for s in range(net.m)]
        constant(node, net.m)
    total: Value = se.Integer(0)
    for n, step in enumerate(steps):
        v = evaluate(node.body, net, step, notation)
        total = v if n == 0 else total + v
    return total


def _written_out(node: Fold, env: dict) -> Node:
    """The chain an ellipsis stands for on this network, every part named by its LaTeX."""
    try:
        chain = node.expand(env)
    except ValueError as err:
        raise UnsupportedNotationError(f"{node.src}: the ellipsis runs backwards here ({err}): "
                                       f"{node.first} to {node.last} in steps of {node.step:+d}") from None
    return named(chain)


def evaluate(node: Node, net: Network, env: dict[str, int], notation: Notation) -> Value:
    """The value of ``node`` on ``net`` with the index letters bound by ``env``.

    Raises:
        ShapeError: operands that do not fit; the message names their LaTeX.
        UnsupportedNotationError: a construction we cannot evaluate.
        LayerOutOfRangeError: (internal) an index is not a layer of ``net``.
    """
    value = _value(node, net, env, notation)
    shape(node, value)
    return value


def _value(node: Node, net: Network, env: dict[str, int], notation: Notation) -> Value:
    if isinstance(node, Sym):
        return _symbol(node, net, env, notation)
    if isinstance(node, Num):
        return se.Rational(node.value.numerator, node.value.denominator)
    if isinstance(node, Ones):
        constant(node, net.m)
        return se.ones(net.m, 1)
    if isinstance(node, Grad):
        return _gradient(node, net, env, notation)
    if isinstance(node, Apply):
        return _apply(node, net, env, notation)
    if isinstance(node, Prod):
        return _product(node, net, env, notation)
    if isinstance(node, Transpose):
        v = evaluate(node.arg, net, env, notation)
        return v if _is_scalar(v) else v.T
    if isinstance(node, Hat):
        v = evaluate(node.arg, net, env, notation)
        if _is_scalar(v):
            return v
        if v.cols != 1:
            raise ShapeError(f"diag / hat takes a column: {node.arg.src} is {shape_str(v)}")
        return diag_hat(v)
    if isinstance(node, Neg):
        return -evaluate(node.arg, net, env, notation)
    if isinstance(node, (Add, Sub)):
        a = evaluate(node.left, net, env, notation)
        b = evaluate(node.right, net, env, notation)
        return _sum(node, a, b, notation, 1 if isinstance(node, Add) else -1)
    if isinstance(node, SumBatch):
        return _sum_samples(node, net, env, notation)
    if isinstance(node, Fold):
        return evaluate(_written_out(node, env), net, env, notation)
    if isinstance(node, NpSum):
        v = evaluate(node.arg, net, env, notation)
        if _is_scalar(v):
            return v
        constant(node, *(v.shape if node.axis is None else (v.cols if node.axis == 1 else v.rows,)))
        if node.axis is None:
            return se.Add(*v)
        return v * se.ones(v.cols, 1) if node.axis == 1 else se.ones(1, v.rows) * v
    raise UnsupportedNotationError(f"cannot evaluate {node.src}")  # pragma: no cover
