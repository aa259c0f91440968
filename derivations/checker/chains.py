"""Chains of products: grouping by reading order, and the internal parse markers.

A chain is the flat list ``[(None, a), (op, b), (op, c), ...]`` of factors written one after
another. :func:`resolve` first attaches prefix forms (\\nabla_{W} f, \\sum, diag(..),
function application f'(z)), then groups the products by the reading order
(:data:`derivations.checker.transform.ORDERS`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from lark import Token

from ..errors import UnsupportedNotationError
from .nodes import Apply, Grad, Hat, Node, Prod, SumBatch, Sym, walk

__all__ = ["Chain", "Group", "Deco", "Marker", "unsupported", "resolve", "ungroup", "cost_name"]

_LOOSE = {"hadamard"}


# -- parse markers, never left in a finished AST --------------------------------------------
@dataclass(frozen=True)
class Chain(Node):
    items: tuple  # ((op or None, node), ...)


@dataclass(frozen=True)
class Group(Node):
    args: tuple  # one node: (a), several: f(X; W)
    kind: str = "("
    primes: int = 0  # g(z1)': the derivative, written after the argument (course code style)


@dataclass(frozen=True)
class Deco(Node):
    arg: Node


@dataclass(frozen=True)
class Marker(Node):
    kind: str  # "top", "prime", "diag"
    sub: Node | None = None


def unsupported(what: str, node: Node | Token) -> UnsupportedNotationError:
    src = node.src if isinstance(node, Node) else str(node)
    return UnsupportedNotationError(f"{what}: `{src}`")


# -- chain resolution --------------------------------------------------------------------------
def resolve(x, order: str) -> Node:
    """Finish a node: resolve chains (grouping by ``order``), check no marker is left."""
    if isinstance(x, Chain):
        return _resolve_chain(list(x.items), order)
    if isinstance(x, Deco):
        return resolve(x.arg, order)
    if isinstance(x, Marker):
        raise unsupported({"top": "\\top outside a superscript", "prime": "\\prime outside a superscript",
                            "diag": "diag must be applied to a column: \\operatorname{diag}(v)",
                            "nabla": "\\nabla needs a function after it: \\nabla_{W_i} f",
                            "sum": "\\sum needs a summand", "bound": "a bound i=1 only in \\sum_{i=1}"}
                           .get(x.kind, "misplaced symbol"), x)
    return x


def _resolve_chain(items: list, order: str) -> Node:
    nodes, ops = [], []
    i = 0
    while i < len(items):
        op, node = items[i]
        nxt = items[i + 1] if i + 1 < len(items) else None
        juxt_next = nxt is not None and nxt[0] == "juxt"
        if isinstance(node, Marker) and node.kind == "nabla":
            if not juxt_next or not isinstance(nxt[1], Sym):
                raise unsupported("\\nabla needs a function after it: \\nabla_{W_i} f", node)
            if node.sub is None:
                raise unsupported("\\nabla needs a subscript: \\nabla_{W_i} f", node)
            end_node, i, per_sample = nxt[1], i + 2, False
            if i < len(items) and items[i][0] == "juxt" and isinstance(items[i][1], Group) \
                    and (len(items[i][1].args) > 1 or isinstance(items[i][1].args[0], Sym)):
                end_node, i = items[i][1], i + 1  # f(X; W): the arguments only say which cost
                per_sample = any(isinstance(a, Sym) and a.name in ("x", "y") for a in end_node.args)
            node = Grad(cost_name(nxt[1]), node.sub, per_sample, src="", start=node.start, end=end_node.end)
        elif isinstance(node, Marker) and node.kind == "sum":
            if not juxt_next:
                raise unsupported("\\sum needs a summand after it", node)
            body = _resolve_chain([(None, items[i + 1][1])] + list(items[i + 2:]), order)
            node, i = _sum(node, body), len(items)
        elif isinstance(node, Marker) and node.kind == "diag":
            if not juxt_next or not isinstance(nxt[1], Group) or len(nxt[1].args) != 1:
                raise unsupported("diag must be applied to a column: \\operatorname{diag}(v)", node)
            node, i = Hat(nxt[1].args[0], src="", start=node.start, end=nxt[1].end), i + 2
        elif isinstance(node, Sym) and juxt_next and isinstance(nxt[1], Group):
            arg = nxt[1]
            if len(arg.args) != 1:
                raise unsupported("several arguments are only allowed in \\nabla_{W} f(X; W)", arg)
            fn = replace(node, primes=node.primes + arg.primes)  # g(z1)' is g'(z1)
            node, i = Apply(fn, arg.args[0], src="", start=node.start, end=arg.end), i + 2
        else:
            i += 1
        nodes.append(_finish(node, order))
        ops.append(op)
    return _fold(nodes, ops[1:], order)


def cost_name(sym: Sym) -> str:
    """The objective a gradient is of: ``J``, ``C``, or with its subscript ``C_0`` (Nielsen's
    unregularised cost, ch. 3), never silently the bare name."""
    return sym.key + (f"_{sym.index}" if sym.index is not None else "")


def _sum_var(sub) -> str | None:
    if isinstance(sub, Marker) and sub.kind == "bound":
        sub = sub.sub
    return sub.name if isinstance(sub, Sym) and len(sub.name) == 1 and sub.index is None else None


def _neuron_letters(node: Node) -> set:
    return {letter for n in walk(node) if isinstance(n, Sym) for letter in n.neurons}


def _mark_sample(node: Node, var: str) -> Node:
    """x^{(i)} inside \\sum_i: the written index i is the sample, not a layer."""
    if isinstance(node, Sym) and node.index is not None and node.index.var == var and not node.index.offset:
        return replace(node, index=None, sample=var)
    return node.map_children(lambda child: _mark_sample(child, var))


def _sum(marker: Marker, body: Node) -> SumBatch:
    """\\sum_k over a neuron index of the body, else over the samples (\\sum_x, \\sum_{i=1}^m)."""
    var = _sum_var(marker.sub)
    where = dict(src="", start=marker.start, end=body.end)
    if var is not None and var in _neuron_letters(body):
        return SumBatch(body, var, "neurons", **where)
    return SumBatch(_mark_sample(body, var) if var else body, var, "samples", **where)


def _finish(node, order: str) -> Node:
    if isinstance(node, Group):
        return ungroup(node)
    return resolve(node, order)


def ungroup(group: Group) -> Node:
    """The content of ``( .. )`` with the span of the parentheses."""
    if len(group.args) != 1:
        raise unsupported("a list of arguments is only allowed after a function", group)
    inner = group.args[0]
    if group.primes and isinstance(inner, Sym):  # (W^{(l)})': the symbol primed (Octave's transpose)
        inner = replace(inner, primes=inner.primes + group.primes)
    elif group.primes:
        raise unsupported("a prime after parentheses needs a symbol inside them, (W)', or a function "
                          "before them, g(z1)'", group)
    return replace(inner, src=group.src, start=group.start, end=group.end)


def _prod(op: str, left: Node, right: Node) -> Prod:
    return Prod(op, left, right, src="", start=left.start, end=right.end)


def _fold(nodes: list, ops: list, order: str) -> Node:
    if order == "right":
        acc = nodes[-1]
        for op, node in zip(reversed(ops), reversed(nodes[:-1]), strict=True):
            acc = _prod(op, node, acc)
        return acc
    if order == "standard":
        segments, seg, seg_ops, loose = [], [nodes[0]], [], []
        for op, node in zip(ops, nodes[1:], strict=True):
            if op in _LOOSE:
                segments.append(_fold(seg, seg_ops, "left"))
                loose.append(op)
                seg, seg_ops = [node], []
            else:
                seg.append(node)
                seg_ops.append(op)
        segments.append(_fold(seg, seg_ops, "left"))
        return _fold(segments, loose, "left")
    acc = nodes[0]
    for op, node in zip(ops, nodes[1:], strict=True):
        acc = _prod(op, acc, node)
    return acc
