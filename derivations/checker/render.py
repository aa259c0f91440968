"""AST -> LaTeX, the inverse of parsing (every composite operand in parentheses).

``parse(render(ast))`` gives ``ast`` back in any reading order (juxtaposition is
rendered as ``\\cdot`` when needed, so compare with :func:`normalise`).
"""

from __future__ import annotations

from dataclasses import fields, replace
from fractions import Fraction

from ..errors import UnsupportedNotationError
from .nodes import (
    Add,
    Apply,
    Fold,
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
    Transpose,
    chain_items,
)
from .notation import Notation, parse_objective
from .profiles import get_notation

__all__ = ["to_latex", "formula_latex", "normalise", "translate_formula"]

_OP = {"dot": r" \cdot ", "hadamard": r" \circ ", "bullet": r" \bullet ", "kron": r" \otimes "}


def _number(v: Fraction) -> str:
    if v.denominator == 1:
        return str(v.numerator)
    den = v.denominator
    while den % 2 == 0:
        den //= 2
    while den % 5 == 0:
        den //= 5
    if den == 1:  # a terminating decimal, exactly
        digits = len(str(v.denominator))
        return f"{float(v):.{digits + 1}f}".rstrip("0")
    return rf"\frac{{{v.numerator}}}{{{v.denominator}}}"


def _sym(s: Sym) -> str:
    text = s.name + "'" * s.primes
    neurons = f"_{{{''.join(s.neurons)}}}" if s.neurons else ""
    if s.index is None:
        return text + (f"^{{({s.sample})}}" if s.sample else "") + neurons
    if s.sample and s.style == "^":
        return f"{text}^{{{s.sample},{s.index}}}{neurons}"
    sample = f"({s.sample})" if s.sample else ""
    if s.style == "(":
        return f"{text}^{{({s.index}){sample}}}{neurons}"
    if s.style == "[":
        return f"{text}^{{[{s.index}]{sample}}}{neurons}"
    if s.style == "^":
        return f"{text}^{{{s.index}}}{neurons}"
    return f"{text}_{{{s.index}}}"


def _atomic(node: Node) -> bool:
    return isinstance(node, (Sym, Ones, Apply, Hat, Grad, Transpose, NpSum)) or (
        isinstance(node, Num) and node.value.denominator == 1 and node.value >= 0)


def _operand(node: Node) -> str:
    text = to_latex(node)
    return text if _atomic(node) else f"({text})"


def to_latex(node: Node) -> str:
    r"""LaTeX for an AST node.

    >>> from derivations.checker.nodes import Index
    >>> to_latex(Transpose(Sym("W", Index("i", 1))))
    'W_{i+1}^{T}'
    """
    if isinstance(node, Sym):
        return _sym(node)
    if isinstance(node, Num):
        return _number(node.value)
    if isinstance(node, Ones):
        return r"\mathbf{1}"
    if isinstance(node, Transpose):
        inner = node.arg
        base = _sym(inner) if isinstance(inner, Sym) and inner.style == "_" else f"({to_latex(inner)})"
        return base + "^{T}"
    if isinstance(node, Hat):
        if isinstance(node.arg, Sym):
            return rf"\widehat{{{_sym(node.arg)}}}"
        return rf"\operatorname{{diag}}({to_latex(node.arg)})"
    if isinstance(node, Neg):
        return f"-{_operand(node.arg)}"
    if isinstance(node, (Add, Sub)):
        sign = " + " if isinstance(node, Add) else " - "
        right = _operand(node.right) if isinstance(node.right, (Add, Sub, Neg)) else to_latex(node.right)
        return to_latex(node.left) + sign + right
    if isinstance(node, Prod):
        if node.op == "div":
            return rf"\frac{{{to_latex(node.left)}}}{{{to_latex(node.right)}}}"
        op = _OP.get(node.op, r" \cdot ")
        return _operand(node.left) + op + _operand(node.right)
    if isinstance(node, Apply):
        return f"{_sym(node.fn)}({to_latex(node.arg)})"
    if isinstance(node, Grad):
        return rf"\nabla_{{{to_latex(node.wrt)}}} {node.of}" + ("(x, y)" if node.per_sample else "")
    if isinstance(node, NpSum):
        axis = "" if node.axis is None else f", axis={node.axis}"
        return f"np.sum({to_latex(node.arg)}{axis}{', keepdims=True' if node.keepdims else ''})"
    if isinstance(node, SumBatch):
        return (rf"\sum_{{{node.var}}} " if node.var else r"\sum ") + _operand(node.body)
    if isinstance(node, Fold):
        return _fold(node)
    raise TypeError(f"cannot render {type(node).__name__}")  # pragma: no cover


def _items(items: list) -> str:
    return "".join((_OP.get(op, r" \cdot ") if op else "") + _operand(f) for op, f in items)


def _fold(node: Fold) -> str:
    r"""head, the first two units, \cdots, the last unit, tail (the step shows, so it parses back)."""
    head, tail = chain_items(node.head, node.sizes[0]), chain_items(node.tail, node.sizes[2])
    units = [node.unit_items(node.layer(0), node.entry if head else None),
             node.unit_items(node.layer(1), node.join)]
    text = _items(head + units[0] + units[1]) + _OP.get(node.join, r" \cdot ") + r"\cdots"
    text += _items(node.unit_items(node.last, node.join))
    return text + (_items([(node.exit, tail[0][1])] + tail[1:]) if tail else "")


def formula_latex(formula: Formula) -> str:
    """``LHS = RHS`` rendered from the AST."""
    return f"{to_latex(formula.lhs)} = {to_latex(formula.rhs)}"


def normalise(node: Node) -> Node:
    """The node with juxtaposition read as \\cdot and sources dropped (for comparisons)."""
    changes = {}
    for f in fields(node):
        value = getattr(node, f.name)
        if isinstance(value, Node):
            changes[f.name] = normalise(value)
    if isinstance(node, Prod) and node.op == "juxt":
        changes["op"] = "dot"
    return replace(node, **changes, src="", start=0, end=0)


def _translate(node: Node, source, target) -> Node:
    if isinstance(node, Apply) and node.fn.key in source.functions:
        meaning = source.functions[node.fn.key]
        fn = next((k for k, v in target.functions.items() if v == meaning), None)
        if fn is None:
            raise UnsupportedNotationError(f"the {target.name!r} notation has no function for {meaning} "
                                           f"({node.fn.src} in {source.name!r})")
        return replace(node, fn=Sym(fn.rstrip("'"), primes=fn.count("'")),
                       arg=_translate(node.arg, source, target))
    changes = {f.name: _translate(getattr(node, f.name), source, target) for f in fields(node)
               if isinstance(getattr(node, f.name), Node)}
    node = replace(node, **changes) if changes else node
    if isinstance(node, Grad):
        spec = parse_objective(source.loss(node.of, node.per_sample))
        names = [k for k, v in target.losses.items() if parse_objective(v) == spec and "(" not in k]
        if not names:
            raise UnsupportedNotationError(f"the {target.name!r} notation has no objective {spec!r} "
                                           f"({node.of} in {source.name!r})")
        return replace(node, of=names[0])
    if not isinstance(node, Sym):
        return node
    meaning = source.meaning(node.key)
    key = next((k for k, v in target.symbols.items() if v == meaning), None)
    if key is None:
        raise UnsupportedNotationError(f"the {target.name!r} notation has no symbol for {meaning} "
                                       f"({node.src} in {source.name!r})")
    index = node.index
    if index is not None:
        ours = index.offset + source.offset(meaning)
        index = Index(_letter(index.var, source, target), ours - target.offset(meaning))
    return Sym(key.rstrip("'"), index, key.count("'"), target.index_styles[0], node.neurons, node.sample)


def _letter(var: str | None, source, target) -> str | None:
    last = var is not None and (var == source.last_layer or var in source.last_aliases)
    return target.last_layer if last else var


_SAME = ("layout", "last_offset", "batch", "batch_if_summed", "form", "output_activation", "hidden_activation",
         "scalar_1x1", "top_seed")


def _meanings(node: Node, source) -> set[str]:
    out = {source.symbols.get(node.key, "")} if isinstance(node, Sym) else set()
    for f in fields(node):
        if isinstance(getattr(node, f.name), Node):
            out |= _meanings(getattr(node, f.name), source)
    return out


def _incompatible(formula: Formula, source, target) -> list[str]:
    """The conventions the formula relies on where ``source`` and ``target`` disagree."""
    out = [name for name in _SAME if getattr(source, name) != getattr(target, name)]
    used = _meanings(formula.lhs, source) | _meanings(formula.rhs, source)
    for name, meanings in (("delta_objective", {"Delta", "dA"}), ("default_loss", {"dW", "db"})):
        if used & meanings and parse_objective(getattr(source, name)) != parse_objective(getattr(target, name)):
            out.append(name)
    return out


def translate_formula(formula: Formula, source: Notation | str, target: Notation | str) -> str:
    """The LaTeX of ``formula`` (read in the profile ``source``) written in ``target``'s symbols,
    layer numbering and index style; the last-layer letter is renamed. The two profiles must agree
    on everything else that decides a verdict (layout, batch, form, activations, losses).

    ``source`` and ``target`` are profiles or their names ("nielsen", "ufldl", ...). To start from
    LaTeX, use :func:`derivations.checker.formula.translate`, which parses it first.

    Raises:
        UnsupportedNotationError: an unknown profile name, a symbol or objective the target has
            no name for, or layouts differ.
    """
    source, target = get_notation(source), get_notation(target)
    if not isinstance(formula, Formula):
        raise UnsupportedNotationError(f"translate needs a Formula or its LaTeX as formula, "
                                       f"got {type(formula).__name__}")
    differ = _incompatible(formula, source, target)
    if differ:
        raise UnsupportedNotationError(
            f"cannot translate from {source.name!r} to {target.name!r}: their conventions differ in "
            f"{', '.join(differ)}, so the same formula may get another verdict")
    lhs, rhs = (_translate(side, source, target) for side in (formula.lhs, formula.rhs))
    return f"{to_latex(lhs)} = {to_latex(rhs)}"
