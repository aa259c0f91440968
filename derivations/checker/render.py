"""AST -> LaTeX, the inverse of parsing (every composite operand in parentheses).

``parse(render(ast))`` gives ``ast`` back in any reading order (juxtaposition is
rendered as ``\\cdot`` when needed, so compare with :func:`normalise`).
"""

from __future__ import annotations

from dataclasses import fields, replace
from fractions import Fraction

from .nodes import Add, Apply, Formula, Grad, Hat, Neg, Node, Num, Ones, Prod, Sub, SumBatch, Sym, Transpose

__all__ = ["to_latex", "formula_latex", "normalise"]

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
    if s.index is None:
        return text
    if s.style == "(":
        return f"{text}^{{({s.index})}}"
    if s.style == "[":
        return f"{text}^{{[{s.index}]}}"
    return f"{text}_{{{s.index}}}"


def _atomic(node: Node) -> bool:
    return isinstance(node, (Sym, Ones, Apply, Hat, Grad, Transpose)) or (
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
        return rf"\nabla_{{{to_latex(node.wrt)}}} {node.of}"
    if isinstance(node, SumBatch):
        return rf"\sum_{{s=1}}^{{m}} {_operand(node.body)}"
    raise TypeError(f"cannot render {type(node).__name__}")  # pragma: no cover


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
