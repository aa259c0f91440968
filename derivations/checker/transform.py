"""Parse tree -> a small expression AST of our own (notation-neutral).

The AST knows structure, not meaning: ``Sym("W", Index("i", 1))`` is "W with layer
index i+1", whatever W means in the chosen notation (notation.py resolves that,
evaluate.py turns the AST into SymEngine matrices). Every node keeps its LaTeX source
text ``src`` so shape errors can name the sub-expression.

Products are written as a flat chain (``a \\bullet b \\circ c \\cdot d``, or by
juxtaposition). Their grouping is a reading convention, :data:`ORDERS`:

* ``"left"``: every product has the same precedence, actions left to right (paper, remark 1 for (3));
* ``"right"``: the same, right to left (paper, remark 5 for (4));
* ``"standard"``: matrix-type products (juxtaposition, \\cdot, \\times, \\bullet, \\otimes, /)
  bind tighter than Hadamard products (\\circ, \\odot), as ``@`` binds tighter than ``*`` in NumPy.

Decorations (\\underline, \\widetilde, \\underbrace, ...) only mark periods in the paper
(remark 1): their content is spliced into the enclosing chain, never grouped. A chain with an
ellipsis (\\cdots, \\ldots, \\dots) is a fold over the layers (:func:`.folds.fold_chain`).
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from lark import Token, Transformer, Tree, v_args

from ..errors import BackpropVerifyError, FormulaSyntaxError, UnsupportedNotationError
from .chains import Chain, Deco, Group, Marker, cost_name, resolve, unsupported
from .folds import fold_chain
from .nodes import (
    Add,
    Formula,
    Grad,
    Hat,
    Index,
    Neg,
    Node,
    NpSum,
    Num,
    Ones,
    Prod,
    Sub,
    SumBatch,
    Sym,
    walk,
)
from .render import to_latex
from .scripts import apply_scripts

__all__ = ["ORDERS", "to_formula"]

ORDERS = ("left", "right", "standard")
_OPS = {"CDOT": "dot", "TIMES": "dot", "CIRC": "hadamard", "ODOT": "hadamard", "DOTSTAR": "hadamard",
        "OTIMES": "kron", "BULLET": "bullet", "SLASH": "div"}


class _ToAST(Transformer):
    def __init__(self, text: str, order: str, star: str = "error", bullet: str = "bullet") -> None:
        super().__init__()
        self.text, self.order, self.star, self.bullet = text, order, star, bullet

    def _span(self, a: int, b: int) -> dict:
        return dict(src=self.text[a:b], start=a, end=b)

    def _meta(self, meta) -> dict:
        if getattr(meta, "empty", True):
            return dict(src="", start=0, end=0)
        return self._span(meta.start_pos, meta.end_pos)

    def _tok(self, tok: Token) -> dict:
        return self._span(tok.start_pos, tok.end_pos)

    # -- atoms -------------------------------------------------------------------------------
    def letter(self, children):
        (tok,) = children
        return Sym(str(tok), **self._tok(tok))

    def greek(self, children):
        (tok,) = children
        return Sym(str(tok), **self._tok(tok))

    def codename(self, children):
        (tok,) = children
        text = str(tok)
        name = text.rstrip("0123456789")
        layer = Index(None, int(text[len(name):]))  # dW2, A1: the course code's W2 = W_2
        return Sym(name, layer, **self._tok(tok))

    def number(self, children):
        (tok,) = children
        return Num(Fraction(str(tok)), **self._tok(tok))

    def top(self, children):
        return Marker("top", **self._tok(children[0]))

    def primecmd(self, children):
        return Marker("prime", **self._tok(children[0]))

    def ellipsis(self, children):
        return Marker("ellipsis", **self._tok(children[0]))  # read with its chain (folds.py)

    def unknown_command(self, children):
        tok = children[0]
        text = self.text
        line_start = text.rfind("\n", 0, tok.start_pos) + 1
        line_end = text.find("\n", tok.start_pos)
        line_end = len(text) if line_end < 0 else line_end
        context = text[line_start:line_end] + "\n" + " " * (tok.start_pos - line_start) + "^"
        raise FormulaSyntaxError(f"unknown LaTeX command {tok}", line=tok.line, column=tok.column,
                                 context=context, label="unknown LaTeX command")

    @v_args(meta=True)
    def paren(self, meta, children):
        return Group(tuple(resolve(c, self.order) for c in children), **self._meta(meta))

    @v_args(meta=True)
    def bracket(self, meta, children):
        return Group((resolve(children[0], self.order),), "[", **self._meta(meta))

    def brace(self, children):
        return children[0]  # {..}: a LaTeX group; a chain inside stays splice-able

    @v_args(meta=True)
    def hat(self, meta, children):
        return Hat(resolve(_arg(children[-1], self), self.order), **self._meta(meta))

    @v_args(meta=True)
    def deco(self, meta, children):
        return Deco(children[-1], **self._meta(meta))

    @v_args(meta=True)
    def font(self, meta, children):
        inner = resolve(children[-1], self.order)
        full = self._meta(meta)["src"]
        word = "".join(full[full.find("{") + 1:-1].split())
        if word == "1":
            return Ones(**self._meta(meta))
        if word == "diag":
            return Marker("diag", **self._meta(meta))
        if isinstance(inner, Sym):
            return inner
        if word.isalpha():  # \text{loss}: a word, where the formula needs the cost's letter
            raise unsupported(f"unsupported font or text content (a word, '{word}'): write a cost by its letter "
                              "in the notation (J, L, C, E, f: see backprop-verify notations NAME)",
                              Sym("", **self._meta(meta)))
        raise unsupported("unsupported font or text content", Sym("", **self._meta(meta)))

    @v_args(meta=True)
    def opname(self, meta, children):
        word = "".join(str(t) for t in children[1:])
        if word == "diag":
            return Marker("diag", **self._meta(meta))
        raise unsupported(f"unknown operator \\operatorname{{{word}}}", Sym("", **self._meta(meta)))

    @v_args(meta=True)
    def frac(self, meta, children):
        num, den = children[-2], children[-1]
        where = self._meta(meta)
        of, wrt = _partial(num, self.order), _partial(den, self.order)
        if of is not None and wrt is not None:
            of, per_sample = _cost_arguments(of)
            if not isinstance(of, Sym):
                raise unsupported("the numerator of a partial derivative must be a loss name", of)
            return Grad(cost_name(of), wrt, per_sample, **where)
        bare = resolve(num, self.order) if wrt is not None and of is None else None
        if isinstance(bare, Sym) and bare.name == "\\partial" and bare.index is None:
            return Marker("nabla", wrt, **where)  # \\frac{\\partial}{\\partial W} J: an operator
        if (of is None) != (wrt is None):
            raise unsupported("write a derivative as \\frac{\\partial L}{\\partial W}",
                               Sym("", **where))
        return Prod("div", resolve(num, self.order), resolve(den, self.order), **where)

    @v_args(meta=True)
    def npsum(self, meta, children):
        arg = resolve(children[1], self.order)
        options = {}
        for tok in children[2:]:
            key, _, value = (x.strip() for x in str(tok).partition("="))
            options[key] = value
        axis = options.get("axis")
        if axis is not None and axis not in ("0", "1", "-1"):
            raise unsupported("np.sum of a matrix takes axis=0 or axis=1", Sym("", **self._meta(meta)))
        return NpSum(arg, None if axis is None else (1 if axis == "-1" else int(axis)),
                     options.get("keepdims") == "True", **self._meta(meta))

    # -- scripts -----------------------------------------------------------------------------
    def subscript(self, children):
        return ("sub", _arg(children[0], self))

    def dott(self, children):
        return ("sup", Sym("T", **self._tok(children[0])))  # NumPy's A1.T

    def supprimes(self, children):
        return Chain(tuple((None, Marker("prime", **self._tok(t))) for t in children))  # f^{'}

    def superscript(self, children):
        return ("sup", _arg(children[0], self))

    def prime(self, children):
        return ("prime", None)

    @v_args(meta=True)
    def bound(self, meta, children):
        var = resolve(children[0], self.order)
        return Marker("bound", var if isinstance(var, Sym) else None, **self._meta(meta))

    def slot(self, children):
        (child,) = children
        return Marker("colon") if isinstance(child, Token) else resolve(child, self.order)

    def subpair(self, children):
        return Marker("subpair", Group(tuple(children)))

    def suppair(self, children):
        return Marker("pair", Group((resolve(children[0], self.order), resolve(children[1], self.order))))

    def subarg(self, children):
        return children[0]

    def suparg(self, children):
        return children[0]

    @v_args(meta=True)
    def factor(self, meta, children):
        base, scripts = children[0], children[1:]
        if isinstance(base, Marker) and base.kind == "ellipsis" and scripts:
            raise unsupported("an ellipsis takes no sub- or superscript", Sym("", **self._meta(meta)))
        return apply_scripts(base, scripts, self._meta(meta), self.order)

    # -- chains and sums ---------------------------------------------------------------------
    @v_args(meta=True)
    def chain(self, meta, children):
        items, op = [], None
        for c in children:
            if isinstance(c, Tree) and c.data == "op":
                tok = c.children[0]
                if tok.type == "STAR" and self.star not in ("hadamard", "dot"):
                    raise UnsupportedNotationError(
                        f"'*' is ambiguous (a matrix product in math, Hadamard in NumPy) at column "
                        f"{tok.column}: write \\cdot or \\circ, or choose a profile that fixes it (coursera: a "
                        f"matrix product; dlai, rowmajor, cs231n: both readings, the one that type-checks kept)")
                op = self.star if tok.type == "STAR" else _OPS[tok.type]
                op = self.bullet if op == "bullet" else op
                continue
            if isinstance(c, Deco) and isinstance(c.arg, Chain):
                inner = list(c.arg.items)
                inner[0] = ((op or "juxt") if items else None, inner[0][1])
                items.extend(inner)
            else:
                node = c.arg if isinstance(c, Deco) else c
                items.append(((op or "juxt") if items else None, node))
            op = None
        if any(isinstance(node, Marker) and node.kind == "ellipsis" for _, node in items):
            return _ellipsis_chain(items, self.order, self._meta(meta))
        return Chain(tuple(items), **self._meta(meta))

    @v_args(meta=True)
    def add(self, meta, children):
        return Add(resolve(children[0], self.order), resolve(children[2], self.order),
                   **self._meta(meta))

    @v_args(meta=True)
    def minus(self, meta, children):
        return Sub(resolve(children[0], self.order), resolve(children[2], self.order),
                   **self._meta(meta))

    @v_args(meta=True)
    def neg(self, meta, children):
        return Neg(resolve(children[1], self.order), **self._meta(meta))

    def start(self, children):
        return (resolve(children[0], self.order), resolve(children[1], self.order))


def _ellipsis_chain(items: list, order: str, where: dict) -> Node:
    """A chain with an ellipsis: the factors on each side (prefix forms attached), read as a fold."""
    marks = [t for t, (_, node) in enumerate(items) if isinstance(node, Marker) and node.kind == "ellipsis"]
    if len(marks) > 1:
        raise UnsupportedNotationError(f"one ellipsis per product chain, got {len(marks)}: `{where['src']}`")
    t = marks[0]
    before, after = _factors(items[:t], order), _factors(items[t + 1:], order)
    if not before or not after:
        raise UnsupportedNotationError(
            "an ellipsis stands for repeated factors of a product, written on both sides of it (\\Sigma'_k "
            f"\\bullet W_k^T \\circ \\cdots \\circ \\Sigma'_i \\cdot \\Sigma_{{i-1}}^T); got `{where['src']}`")
    return fold_chain(before, items[t][0], after, order, where)


def _factors(items: list, order: str) -> list:
    """(op, factor) for each factor of a run of chain items: \\nabla_{W} f, diag(v), f'(z) are one factor."""
    out, t = [], 0
    while t < len(items):
        node, juxt = items[t][1], [u < len(items) and items[u][0] == "juxt" for u in (t + 1, t + 2)]
        n = 1
        if isinstance(node, Marker) and node.kind == "sum":
            n = len(items) - t
        elif isinstance(node, Marker) and node.kind == "nabla":
            after = items[t + 2][1] if juxt[1] else None
            grouped = isinstance(after, Group) and (len(after.args) > 1 or isinstance(after.args[0], Sym))
            n = min(3 if grouped else 2, len(items) - t)
        elif (isinstance(node, Marker) and node.kind == "diag") or \
                (isinstance(node, Sym) and juxt[0] and isinstance(items[t + 1][1], Group)):
            n = 2
        out.append((items[t][0], resolve(Chain(((None, node),) + tuple(items[t + 1:t + n])), order)))
        t += n
    return out


def _arg(child, tr: _ToAST):
    if isinstance(child, Token):
        if child.type == "TOP":
            return Marker("top", **tr._tok(child))
        if child.type == "PRIMECMD":
            return Marker("prime", **tr._tok(child))
        if child.type == "NUMBER":
            return Num(Fraction(str(child)), **tr._tok(child))
        return Sym(str(child), **tr._tok(child))
    return child


def _partial(node, order: str) -> Node | None:
    """X for a chain ``\\partial X`` or ``\\partial J(W,b)`` (a Group of cost arguments); None otherwise."""
    if isinstance(node, Chain) and len(node.items) in (2, 3):
        first, second = node.items[0][1], node.items[1][1]
        if not (isinstance(first, Sym) and first.name == "\\partial" and node.items[1][0] == "juxt"):
            return None
        if len(node.items) == 3:
            op, args = node.items[2]
            if op != "juxt" or not isinstance(args, Group) or not isinstance(second, Sym):
                return None
            return Group((second, *args.args), "cost", src=node.src, start=node.start, end=node.end)
        return resolve(second, order)
    return None


def _cost_arguments(of: Node) -> tuple[Node, bool]:
    """(the cost's name, per sample) of a numerator ``J`` or ``J(W,b;x,y)`` (the arguments only say
    which cost: one example when they name x or y, as UFLDL's J(W,b;x,y))."""
    if isinstance(of, Group) and of.kind == "cost":
        name, *args = of.args
        return name, any(isinstance(a, Sym) and a.name in ("x", "y") for a in args)
    return of, False


def _neuron_letters(node: Node) -> set[str]:
    """The letters that name neurons somewhere in ``node``, next to a layer index (delta^l_j, w^l_{jk})."""
    return {letter for n in walk(node) if isinstance(n, Sym) and n.index is not None for letter in n.neurons} - {":"}


def _as_neurons(node: Node, letters: set[str]) -> Node:
    """``y_j`` when j names a neuron elsewhere in the formula (delta^L_j = (a^L_j - y_j) ...): the
    subscript is the neuron index of the target, not a layer index (Nielsen ch. 2, BP1 by components)."""
    if isinstance(node, Sym) and node.index is not None and node.style == "_" and not node.neurons \
            and node.index.var in letters and not node.index.offset:
        return replace(node, index=None, neurons=(node.index.var,))
    return node.map_children(lambda child: _as_neurons(child, letters))


def _free_samples(node: Node) -> set[str]:
    """The sample letters written outside every sum (a^{[2](i)}, y^{(i)}: one example i)."""
    if isinstance(node, SumBatch):
        return set()
    found = {node.sample} if isinstance(node, Sym) and node.sample else set()
    for child in node.children():
        found |= _free_samples(child)
    return found


def _every_sample(node: Node, free: set[str]) -> Node:
    """A claim about sample i for every i, outside a sum (dz^{[2](i)} = a^{[2](i)} - y^{(i)}, Ng week 3):
    the claim about every column at once, so the sample index is dropped (y^{(i)}'s (i) too)."""
    if not free or isinstance(node, SumBatch):
        return node
    if isinstance(node, Sym) and node.sample in free:
        return replace(node, sample=None)
    if isinstance(node, Sym) and node.index is not None and node.index.var in free and not node.index.offset \
            and node.style in ("(", "^"):
        return replace(node, index=None, style="_")
    return node.map_children(lambda child: _every_sample(child, free))


def _balanced(s: str) -> bool:
    depth = {"{": 0, "(": 0, "[": 0}
    close = {"}": "{", ")": "(", "]": "["}
    for ch in s:
        if ch in depth:
            depth[ch] += 1
        elif ch in close:
            depth[close[ch]] -= 1
            if depth[close[ch]] < 0:
                return False
    return not any(depth.values())


def _fill_src(node, text: str):
    """Give every node its source text: its span, or its rendering if the span crosses a brace."""
    if not isinstance(node, Node):
        return node
    done = node.map_children(lambda child: _fill_src(child, text))
    src = text[node.start:node.end].strip() if node.end > node.start else node.src
    if not src or not _balanced(src):
        src = to_latex(done)
    return replace(done, src=src)


def to_formula(tree: Tree, text: str, *, order: str = "left", star: str = "error",
               bullet: str = "bullet") -> Formula:
    """The :class:`Formula` of a parse tree; ``order`` groups the product chains (see ORDERS).

    Raises:
        UnsupportedNotationError: parses, but is not a formula we can read (^2, an ellipsis whose
            repetitions do not align, ...).
        FormulaSyntaxError: an unknown LaTeX command.
    """
    if order not in ORDERS:
        raise UnsupportedNotationError(f"order must be one of {ORDERS}, got order={order!r}")
    try:
        lhs, rhs = _ToAST(text, order, star, bullet).transform(tree)
        letters = _neuron_letters(lhs) | _neuron_letters(rhs)
        lhs, rhs = _as_neurons(lhs, letters), _as_neurons(rhs, letters)
        free = _free_samples(lhs) | _free_samples(rhs)
        lhs, rhs = _every_sample(lhs, free), _every_sample(rhs, free)
        return Formula(text, _fill_src(lhs, text), _fill_src(rhs, text))
    except Exception as err:  # Lark wraps callback errors in VisitError
        inner = getattr(err, "orig_exc", err)
        if isinstance(inner, (UnsupportedNotationError, FormulaSyntaxError)):
            raise inner from None
        if isinstance(inner, RecursionError):
            raise UnsupportedNotationError("formula nested too deeply") from err
        if isinstance(inner, BackpropVerifyError):
            raise inner from None
        if isinstance(inner, (ValueError, OverflowError)):  # a number Fraction/int cannot take
            raise UnsupportedNotationError(f"cannot read the formula: {inner}") from err
        raise
