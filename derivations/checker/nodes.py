"""The checker's expression AST: notation-neutral nodes with their LaTeX source.

``Sym("W", Index("i", 1))`` is "W with layer index i+1", whatever W means in the
chosen notation. Every node keeps ``src`` (its LaTeX text) and its offsets
``start``/``end`` in the formula, so shape errors can name the sub-expression.
Node equality ignores positions (``compare=False``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Callable, Iterator

__all__ = ["Index", "Node", "Sym", "Num", "Ones", "Transpose", "Hat", "Neg", "Add", "Sub", "Prod",
           "Apply", "Grad", "SumBatch", "NpSum", "Fold", "Formula", "Items", "chain_items", "read_chain", "reindex",
           "at_layer", "walk", "swap"]


@dataclass(frozen=True)
class Index:
    """A layer index ``var + offset`` (var None: the constant ``offset``)."""

    var: str | None
    offset: int = 0

    def value(self, env: dict[str, int]) -> int:
        return self.offset + (env[self.var] if self.var else 0)

    def __str__(self) -> str:
        if self.var is None:
            return str(self.offset)
        return self.var + (f"{self.offset:+d}" if self.offset else "")


@dataclass(frozen=True, kw_only=True)
class Node:
    """Base of the AST; ``src`` is the LaTeX text, ``start``/``end`` its offsets."""

    src: str = field(default="", compare=False)
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)

    def children(self) -> tuple[Node, ...]:
        """The nodes directly below this one, in field order (a Fold: unit, head, tail)."""
        return tuple(v for name in self.__dataclass_fields__ if isinstance(v := getattr(self, name), Node))

    def map_children(self, fn: Callable[[Node], Node], **changes) -> Node:
        """This node with each child c replaced by ``fn(c)`` (and the other ``changes``); the node
        itself when nothing changed (so unchanged trees keep their identity)."""
        new = {name: fn(v) for name in self.__dataclass_fields__ if isinstance(v := getattr(self, name), Node)}
        new = {name: v for name, v in new.items() if v is not getattr(self, name)}
        return replace(self, **new, **changes) if new or changes else self


@dataclass(frozen=True)
class Sym(Node):
    """A named symbol with an optional layer index and primes: W_i, \\Sigma'_{k-1}, a^{(l)}."""

    name: str
    index: Index | None = None
    primes: int = 0
    style: str = field(default="_", compare=False)  # where the index was written: _ ( [ ^
    neurons: tuple[str, ...] = ()  # index form: delta^l_j, w^l_{jk} (row, column letters)
    sample: str | None = None  # the bound sample of a sum: delta^{x,l}, a^{[l](i)}

    @property
    def key(self) -> str:
        """The name with its primes, e.g. "\\Sigma'" (how notations look symbols up)."""
        return self.name + "'" * self.primes


@dataclass(frozen=True)
class Num(Node):
    value: Fraction


@dataclass(frozen=True)
class Ones(Node):
    """The all-ones column 1 (length m, the batch size)."""


@dataclass(frozen=True)
class Transpose(Node):
    arg: Node


@dataclass(frozen=True)
class Hat(Node):
    """hat A = diag(A): a column put on a diagonal."""

    arg: Node


@dataclass(frozen=True)
class Neg(Node):
    arg: Node


@dataclass(frozen=True)
class Add(Node):
    left: Node
    right: Node


@dataclass(frozen=True)
class Sub(Node):
    left: Node
    right: Node


@dataclass(frozen=True)
class Prod(Node):
    """A product; op in dot, juxt (dot written by juxtaposition), hadamard, bullet, kron, div."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Apply(Node):
    """``fn(arg)`` written by juxtaposition: f'(z^{(l)}); a product if fn is no function."""

    fn: Sym
    arg: Node


@dataclass(frozen=True)
class Grad(Node):
    """Gradient of the objective ``of`` (f, L, C, ...) w.r.t. ``wrt``: \\nabla_{W_i} f, dL/dW;
    ``per_sample``: written with the data as arguments, J(W,b;x,y) (UFLDL's one-example cost)."""

    of: str
    wrt: Node
    per_sample: bool = False


@dataclass(frozen=True)
class SumBatch(Node):
    """A sum: over the samples (``\\sum_x``, ``\\sum_{i=1}^m``: ``body`` per sample, added up) or,
    when ``var`` is a neuron index of the body (``\\sum_k w_{kj} \\delta_k``), over that neuron."""

    body: Node
    var: str | None = None
    over: str = "samples"


@dataclass(frozen=True)
class NpSum(Node):
    """``np.sum(arg, axis=1, keepdims=True)``: row sums (axis 1, a column), column sums (axis 0, a
    row) or the sum of all entries (axis None)."""

    arg: Node
    axis: int | None = None
    keepdims: bool = False


Items = list  # [(op or None, factor), ...]: a product chain as written, each factor with the op before it


@dataclass(frozen=True)
class Fold(Node):
    """A product chain with an ellipsis, as written left to right: ``head``, then ``unit`` at the
    layers j = first, first + step, ..., last, then ``tail``; ``order`` reads the written-out chain.

    ``unit`` (and ``head``, ``tail``) is a chain folded left to right with ``sizes`` factors, so its
    factors can be taken apart again (:func:`chain_items`); the unit's layer indices are ``var``
    plus offsets. ``join`` is the operator between two units, ``entry`` the one between head and
    the first unit, ``exit`` the one between the last unit and the tail. Zero units (last =
    first - step) leave head and tail joined by ``entry`` (or the tail alone).

    >>> w = Sym("W", Index("j"))
    >>> fold = Fold(w, "j", Index("k"), Index("i", 1), -1, "dot", "left")
    >>> [str(f.index) for _, f in fold.items({"k": 4, "i": 1})]
    ['k', 'k-1', 'k-2']
    """

    unit: Node
    var: str
    first: Index
    last: Index
    step: int
    join: str
    order: str
    head: Node | None = None
    tail: Node | None = None
    entry: str | None = None
    exit: str | None = None
    sizes: tuple[int, int, int] = (0, 1, 0)  # factors in head, unit, tail

    def count(self, env: dict[str, int]) -> int:
        """How many units the ellipsis stands for with the letters bound by ``env``."""
        return (self.last.value(env) - self.first.value(env)) * self.step + 1

    def layer(self, t: int) -> Index:
        """The layer of unit t (0 = the first written), in the letters of ``first``."""
        return Index(self.first.var, self.first.offset + t * self.step)

    def unit_items(self, layer: Index, op: str | None) -> Items:
        """The unit's factors at ``layer``, ``op`` before the first."""
        items = chain_items(at_layer(self.unit, self.var, layer), self.sizes[1])
        return [(op, items[0][1])] + items[1:]

    def items(self, env: dict[str, int]) -> Items:
        """The written-out chain for ``env``: head, every unit, tail.

        Raises:
            ValueError: the ellipsis runs backwards (fewer than zero units).
        """
        n = self.count(env)
        if n < 0:
            raise ValueError(f"{n} repetitions")
        out = chain_items(self.head, self.sizes[0])
        for t in range(n):
            out += self.unit_items(self.layer(t), self.entry if t == 0 else self.join)
        tail = chain_items(self.tail, self.sizes[2])
        if tail:
            tail[0] = (self.exit if n else self.entry, tail[0][1])
        out += tail
        if not out:
            raise ValueError("no factors")
        return [(None, out[0][1])] + out[1:]

    def expand(self, env: dict[str, int]) -> Node:
        """The written-out chain for ``env``, grouped by ``order`` (see :func:`read_chain`)."""
        return read_chain(self.items(env), self.order)


def chain_items(node: Node | None, size: int) -> Items:
    """The (op, factor) items of a chain of ``size`` factors folded left to right."""
    out: Items = []
    for _ in range(size - 1):
        assert isinstance(node, Prod)
        out.append((node.op, node.right))
        node = node.left
    return [(None, node)] + out[::-1] if size else []


def _prod(op: str, left: Node, right: Node) -> Prod:
    return Prod(op, left, right, start=min(left.start, right.start), end=max(left.end, right.end))


def read_chain(items: Items, order: str) -> Node:
    """The items grouped by a reading order: "left" (((a b) c), "right" (a (b c)), "standard"
    (Hadamard products loosest, the rest left to right)."""
    if order == "standard":
        cuts = [0] + [t for t, (op, _) in enumerate(items) if t and op == "hadamard"] + [len(items)]
        parts = [read_chain(items[a:b], "left") for a, b in zip(cuts, cuts[1:], strict=False)]
        return read_chain([(None, parts[0])] + [("hadamard", p) for p in parts[1:]], "left")
    if order == "right":
        acc = items[-1][1]
        for t in range(len(items) - 2, -1, -1):
            acc = _prod(items[t + 1][0], items[t][1], acc)
        return acc
    acc = items[0][1]
    for op, node in items[1:]:
        acc = _prod(op, acc, node)
    return acc


def reindex(node: Node, fn) -> Node:
    """``node`` with every layer index ``idx`` replaced by ``fn(idx)`` (None: kept); changed parts
    lose their source text and position."""
    out = node.map_children(lambda child: reindex(child, fn))
    if isinstance(node, Sym) and node.index is not None and fn(node.index) is not None:
        out = replace(out, index=fn(node.index))
    return out if out is node else replace(out, src="", start=0, end=0)


def at_layer(node: Node, var: str, layer: Index) -> Node:
    """``node`` with every layer index ``var + c`` replaced by ``layer + c``."""
    return reindex(node, lambda i: Index(layer.var, layer.offset + i.offset) if i.var == var else None)


def walk(node: Node) -> Iterator[Node]:
    """``node`` and every node below it."""
    yield node
    for child in node.children():
        yield from walk(child)


def swap(node: Node, old: Node, new: Node) -> Node:
    """``node`` with the part ``old`` (that very object) replaced by ``new``."""
    if node is old:
        return new
    return node.map_children(lambda child: swap(child, old, new))


@dataclass(frozen=True)
class Formula:
    """A parsed claim ``lhs = rhs`` with its source text; ``depth``: the one network depth the claim
    speaks about (a formula numbered up to its output layer 2 that also names the input x), or None."""

    text: str
    lhs: Node
    rhs: Node
    depth: int | None = None
