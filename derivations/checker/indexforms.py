"""Index forms: entries named by neuron indices (delta^l_j, w^l_{jk}, dZ_{i,:}) and their ranges.

A symbol with neuron indices stands for one entry of its matrix (one index on a column picks a
row, on a row a column; ``:`` keeps a whole row or column). An index form with free neuron
indices on its left-hand side is a claim for *every* value of them: :func:`entry_matrix` builds
the matrix of its values, which is compared with the ground truth entry by entry.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Union

import symengine as se

from ..errors import ShapeError, UnsupportedNotationError
from ..network import Network
from ..products import is_matrix, shape_str
from .nodes import Grad, Node, Sym, walk
from .notation import Notation

__all__ = ["entry", "entry_matrix", "neuron_sizes"]

Value = Union[se.DenseMatrix, se.Basic]
Evaluate = Callable[[Node, Network, dict, Notation], Value]
"""The evaluator of :mod:`.evaluate`, which calls this module (so it is passed in, not imported)."""


def _is_scalar(v) -> bool:
    return not is_matrix(v)


def entry(value: Value, sym: Sym, env: dict) -> Value:
    """The entry of ``value`` named by the neuron indices of ``sym`` (delta^l_j, w^l_{jk}); all of it
    when there are none. One index on a column (row) picks a row (column)."""
    if not sym.neurons or _is_scalar(value):
        return value
    pos = [slice(None) if n == ":" else env.get(n) for n in sym.neurons]
    if any(p is None for p in pos):
        raise UnsupportedNotationError(f"{sym.src}: the neuron index {sym.neurons} is not bound")
    try:
        if len(pos) == 2:
            return value[pos[0], pos[1]]
        if len(pos) == 1:
            return value[:, pos[0]] if value.rows == 1 and value.cols > 1 else value[pos[0], :]
    except IndexError:
        raise ShapeError(f"the neuron index {','.join(sym.neurons)} of {sym.src} runs past its "
                         f"{shape_str(value)} shape") from None
    raise UnsupportedNotationError(f"{sym.src}: at most two neuron indices (row, column)")


def neuron_sizes(node: Node, net: Network, env: dict, notation: Notation, evaluate: Evaluate) -> dict[str, int]:
    """letter -> range of every neuron index letter used in ``node`` (from the shape it indexes);
    ``evaluate`` is :func:`.evaluate.evaluate` (passed in: it calls this module)."""
    out: dict[str, int] = {}
    for sub in walk(node):
        sym = sub.wrt if isinstance(sub, Grad) else sub
        if not isinstance(sym, Sym) or not sym.neurons:
            continue
        whole = replace(sym, neurons=())
        value = evaluate(replace(sub, wrt=whole) if isinstance(sub, Grad) else whole, net, env, notation)
        if _is_scalar(value):
            continue
        if len(sym.neurons) == 2:
            sizes = [value.rows, value.cols]
        else:
            sizes = [value.cols if value.rows == 1 and value.cols > 1 else value.rows]
        for letter, size in zip(sym.neurons, sizes, strict=False):
            if letter != ":":
                out.setdefault(letter, size)
    return out


def entry_matrix(node: Node, letters: list[str], net: Network, env: dict, notation: Notation, *,
                 evaluate: Evaluate, like: Node | None = None) -> se.DenseMatrix:
    """The matrix of ``node``'s values for every value of the free neuron ``letters`` (one or two;
    their ranges from ``like``, default ``node``): an index form compared entry by entry."""
    sizes = neuron_sizes(like or node, net, {**env, **{n: 0 for n in letters}}, notation, evaluate)
    if any(n not in sizes for n in letters) or len(letters) > 2:
        raise UnsupportedNotationError(f"cannot tell the range of the neuron index {letters} in {node.src}")
    rows, cols = sizes[letters[0]], sizes[letters[1]] if len(letters) == 2 else 1

    def cell(r: int, c: int):
        bound = {letters[0]: r, **({letters[1]: c} if len(letters) == 2 else {})}
        v = evaluate(node, net, {**env, **bound}, notation)
        if not _is_scalar(v):
            if v.shape != (1, 1):
                raise ShapeError(f"an entry of an index form must be a scalar: {node.src} is {shape_str(v)}")
            v = v[0, 0]
        return v
    return se.Matrix(rows, cols, [cell(r, c) for r in range(rows) for c in range(cols)])


