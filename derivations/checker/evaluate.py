"""Instantiate a formula's AST on a concrete network and layer: SymPy matrices.

``env`` binds the index letters: the notation's last-layer letter to the depth K
and the general layer letter (i, l, r, ...) to one layer. Products go through the
shape-checked :mod:`derivations.products`; a misfit raises
:class:`~derivations.errors.ShapeError` naming the LaTeX of both operands.
Gradient symbols (\\nabla_{W_i} f, dW^{(l)}, Delta_{i+1}, delta^{(l+1)}) evaluate to
the *ground truth* (:mod:`derivations.ground_truth`), so a recursion is checked
one step at a time.
"""

from __future__ import annotations

from typing import Iterator, Union

import sympy as sp

from ..errors import ShapeError, UnsupportedNotationError
from ..ground_truth import OUTPUT, Objective, grad_b, grad_N, grad_Sigma, grad_W, mse
from ..network import Network
from ..products import bullet, diag_hat, dot, hadamard, kron, shape_str
from .nodes import Add, Apply, Grad, Hat, Index, Neg, Node, Num, Ones, Prod, Sub, SumBatch, Sym, Transpose
from .notation import Notation

__all__ = ["Value", "evaluate", "index_uses", "layer_range", "objective"]

Value = Union[sp.Matrix, sp.Expr]
"""A matrix, or a scalar (numbers, m, 1/m)."""

_INDEXED = {"W", "b", "N", "Sigma", "Sigma_prime", "Delta", "dW", "db"}
_GRADIENT_OF = {"W": "W", "b": "b", "N": "N", "Sigma": "Sigma", "X": "Sigma"}


class LayerOutOfRangeError(Exception):
    """Internal: an index of the formula is not a layer of this network."""


def objective(name: str) -> Objective:
    """The ground-truth objective of a notation's objective name ("output" or an MSE scale)."""
    return OUTPUT if name == "output" else mse(name)


def layer_range(meaning: str, depth: int, notation: Notation) -> tuple[int, int]:
    """(lowest, highest) layer index allowed for ``meaning`` on a net of depth K.

    A gradient target ("grad_W", ...) is a true layer; the symbols W_{K+1} (= I) and
    Delta_{K+1} (= V) exist only with ``notation.top_seed``.
    """
    if meaning.startswith("grad_"):
        return (0 if meaning == "grad_Sigma" else 1), depth
    if meaning in ("dW", "db"):
        return 1, depth
    top = depth + 1 if notation.top_seed and meaning in ("W", "Delta") else depth
    return (0 if meaning == "Sigma" else 1), top


def index_uses(node: Node, notation: Notation) -> Iterator[tuple[str, Index | None, Node]]:
    """Every (meaning, index, node) the formula uses; raises on unknown symbols."""
    if isinstance(node, Sym):
        meaning = notation.meaning(node.key)
        if meaning in _INDEXED and node.index is None:
            raise UnsupportedNotationError(f"{node.src} needs a layer index (e.g. _i or ^{{(l)}})")
        if meaning not in _INDEXED and node.index is not None:
            raise UnsupportedNotationError(f"{node.src} takes no layer index")
        yield meaning, node.index, node
    elif isinstance(node, Grad):
        notation.loss(node.of)
        if not isinstance(node.wrt, Sym):
            raise UnsupportedNotationError(f"a gradient is taken w.r.t. a symbol such as W_i, got {node.src}")
        meaning = notation.meaning(node.wrt.key)
        if meaning not in _GRADIENT_OF:
            raise UnsupportedNotationError(
                f"gradients w.r.t. {node.wrt.src} are not supported; use W, b, N (z), Sigma (a) or X")
        if meaning != "X" and node.wrt.index is None:
            raise UnsupportedNotationError(f"{node.wrt.src} needs a layer index (e.g. _i or ^{{(l)}})")
        yield "grad_" + meaning, node.wrt.index, node.wrt
    elif isinstance(node, Apply) and _is_application(node, notation):
        if node.fn.index is not None:
            yield "N", node.fn.index, node.fn
        yield from index_uses(node.arg, notation)
    else:
        for name in node.__dataclass_fields__:
            child = getattr(node, name)
            if isinstance(child, Node):
                yield from index_uses(child, notation)


def _is_application(node: Apply, notation: Notation) -> bool:
    """fn(arg) is an application (not a product): fn is a function, and arg a pre-activation
    or fn is not also a symbol (then a bad argument is reported by :func:`_apply`)."""
    if node.fn.key not in notation.functions:
        return False
    arg = node.arg
    is_pre = isinstance(arg, Sym) and notation.symbols.get(arg.key) == "N" and arg.index is not None
    return is_pre or node.fn.key not in notation.symbols


def _layer(sym: Sym, meaning: str, net: Network, env: dict, notation: Notation) -> int:
    if sym.index is None:
        return 0  # X, Y, V, m: no layer
    j = sym.index.value(env)
    lo, hi = layer_range(meaning, net.depth, notation)
    if not lo <= j <= hi:
        raise LayerOutOfRangeError(f"{sym.src}: layer {j} not in {lo}..{hi}")
    return j


def _symbol(sym: Sym, net: Network, env: dict, notation: Notation) -> Value:
    meaning = notation.meaning(sym.key)
    j = _layer(sym, meaning, net, env, notation)
    K = net.depth
    if meaning == "W":
        return sp.eye(net.n(K)) if j == K + 1 else net.W(j)
    if meaning == "b":
        return net.b(j)
    if meaning == "N":
        return net.N(j)
    if meaning in ("Sigma", "X"):
        return net.Sigma(max(j, 0))
    if meaning == "Sigma_prime":
        return net.Sigma_prime(j)
    if meaning == "Delta":
        return net.V if j == K + 1 else grad_N(net, j, objective(notation.delta_objective))
    if meaning == "dW":
        return grad_W(net, j, objective(notation.default_loss))
    if meaning == "db":
        return grad_b(net, j, objective(notation.default_loss))
    return {"Y": lambda: net.Y, "V": lambda: net.V, "output": lambda: net.Sigma(K),
            "m": lambda: sp.Integer(net.m)}[meaning]()


def _gradient(node: Grad, net: Network, env: dict, notation: Notation) -> sp.Matrix:
    obj = objective(notation.loss(node.of))
    meaning = notation.meaning(node.wrt.key)
    j = _layer(node.wrt, "grad_" + meaning, net, env, notation)
    if meaning == "W":
        return grad_W(net, j, obj)
    if meaning == "b":
        return grad_b(net, j, obj)
    if meaning == "N":
        return grad_N(net, j, obj)
    return grad_Sigma(net, max(j, 0), obj)


def _apply(node: Apply, net: Network, env: dict, notation: Notation) -> Value:
    meaning = notation.functions.get(node.fn.key)
    if not _is_application(node, notation):  # juxtaposition is a product
        return _product(Prod("juxt", node.fn, node.arg, src=node.src), net, env, notation)
    arg = node.arg
    if not (isinstance(arg, Sym) and notation.symbols.get(arg.key) == "N" and arg.index is not None):
        raise UnsupportedNotationError(
            f"{node.fn.src}(...) must be applied to a pre-activation such as z^{{(l)}} or N_i, "
            f"got {node.src}")
    if node.fn.index is not None and node.fn.index != arg.index:
        raise UnsupportedNotationError(f"{node.src}: the function and its argument have different layers")
    j = _layer(arg, "N", net, env, notation)
    return net.Sigma(j) if meaning == "Sigma" else net.Sigma_prime(j)


def _is_scalar(v: Value) -> bool:
    return not isinstance(v, sp.MatrixBase)


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
    if _is_scalar(a) or _is_scalar(b):
        raise ShapeError(f"cannot add a scalar and a matrix in {node.src}")
    if a.shape != b.shape and notation.broadcast and a.rows == b.rows and 1 in (a.cols, b.cols):
        a = a * sp.ones(1, b.cols) if a.cols == 1 else a
        b = b * sp.ones(1, a.cols) if b.cols == 1 else b
    if a.shape != b.shape:
        what = "sum" if sign > 0 else "difference"
        raise ShapeError(f"{what} needs equal shapes: {node.left.src} is {shape_str(a)}, "
                         f"{node.right.src} is {shape_str(b)}")
    return a + sign * b


def evaluate(node: Node, net: Network, env: dict[str, int], notation: Notation) -> Value:
    """The value of ``node`` on ``net`` with the index letters bound by ``env``.

    Raises:
        ShapeError: operands that do not fit; the message names their LaTeX.
        UnsupportedNotationError: a construction we cannot evaluate.
        LayerOutOfRangeError: (internal) an index is not a layer of ``net``.
    """
    if isinstance(node, Sym):
        return _symbol(node, net, env, notation)
    if isinstance(node, Num):
        return sp.Rational(node.value.numerator, node.value.denominator)
    if isinstance(node, Ones):
        return sp.ones(net.m, 1)
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
        v = evaluate(node.body, net, env, notation)
        return v * net.m if _is_scalar(v) else v * sp.ones(v.cols, 1)
    raise UnsupportedNotationError(f"cannot evaluate {node.src}")  # pragma: no cover
