"""The checker's expression AST: notation-neutral nodes with their LaTeX source.

``Sym("W", Index("i", 1))`` is "W with layer index i+1", whatever W means in the
chosen notation. Every node keeps ``src`` (its LaTeX text) and its offsets
``start``/``end`` in the formula, so shape errors can name the sub-expression.
Node equality ignores positions (``compare=False``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

__all__ = ["Index", "Node", "Sym", "Num", "Ones", "Transpose", "Hat", "Neg", "Add", "Sub", "Prod",
           "Apply", "Grad", "SumBatch", "NpSum", "Formula"]


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


@dataclass(frozen=True)
class Formula:
    """A parsed claim ``lhs = rhs`` with its source text."""

    text: str
    lhs: Node
    rhs: Node
