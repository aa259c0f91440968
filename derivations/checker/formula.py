"""LaTeX to a :class:`~.nodes.Formula` in a notation profile, and translation between profiles.

``parse_formula`` reads ``LHS = RHS`` (math delimiters allowed) with the profile's reading order,
``*``, prime and hat conventions, and checks that every symbol is known (so a sweep never starts
on an unknown one). ``translate`` renders a formula, given as a Formula or its LaTeX, in another
profile's symbols (:mod:`.render`).
"""

from __future__ import annotations

from dataclasses import replace

from ..errors import UnsupportedNotationError
from .indices import index_uses
from .letterlayers import name_layers
from .nodes import Formula, Hat, Node, Sym, Transpose
from .notation import Notation
from .parse import parse_tree, strip_math
from .profiles import get_notation
from .render import translate_formula
from .transform import to_formula

__all__ = ["parse_formula", "translate"]


def _prime_transposes(node: Node, prof: Notation) -> Node:
    """Octave's A' (transpose) in profiles with ``prime="transpose"``: a primed symbol the profile
    does not define, whose base it defines as a matrix, becomes a transpose."""
    node = node.map_children(lambda child: _prime_transposes(child, prof))
    if isinstance(node, Sym) and node.primes and node.key not in prof.symbols \
            and node.key not in prof.functions and node.name in prof.symbols:
        out: Node = replace(node, primes=0)
        for _ in range(node.primes):
            out = Transpose(out, src=node.src, start=node.start, end=node.end)
        return out
    return node


def _hat_symbols(node: Node, prof: Notation) -> Node:
    """``\\hat{y}`` as one symbol in profiles that name it (the Deep Learning book's output)."""
    if isinstance(node, Hat) and isinstance(node.arg, Sym) and f"\\hat{{{node.arg.key}}}" in prof.symbols:
        return replace(node.arg, name=f"\\hat{{{node.arg.name}}}", src=node.src, start=node.start, end=node.end)
    return node.map_children(lambda child: _hat_symbols(child, prof))


def parse_formula(latex: str, *, notation: str | Notation = "paper", order: str | None = None,
                  star: str | None = None) -> Formula:
    """Parse ``LHS = RHS`` (math delimiters allowed) into a :class:`Formula` AST.

    Raises:
        FormulaSyntaxError: malformed LaTeX, with line, column and a caret context.
        UnsupportedNotationError: parses but cannot be read (ellipsis, ^2, unknown symbol).
    """
    prof = get_notation(notation)
    if not isinstance(latex, str):
        raise UnsupportedNotationError(f"a formula must be a string, got {type(latex).__name__}")
    text = strip_math(latex)
    star = star or (prof.star if prof.star != "ambiguous" else "hadamard")
    formula = name_layers(to_formula(parse_tree(text), text, order=order or prof.order, star=star,
                                     bullet=prof.bullet), prof)
    if prof.prime == "transpose":
        formula = Formula(formula.text, _prime_transposes(formula.lhs, prof), _prime_transposes(formula.rhs, prof))
    if any(k.startswith("\\hat{") for k in prof.symbols):
        formula = Formula(formula.text, _hat_symbols(formula.lhs, prof), _hat_symbols(formula.rhs, prof))
    try:
        for side in (formula.lhs, formula.rhs):
            list(index_uses(side, prof))  # unknown symbols fail now, not in the sweep
    except RecursionError as err:
        raise UnsupportedNotationError("formula nested too deeply") from err
    return formula


def translate(formula: Formula | str, source: Notation | str, target: Notation | str) -> str:
    """``formula`` (a parsed Formula, or LaTeX read in ``source``) written in ``target``'s symbols.

    Raises:
        UnsupportedNotationError: an unknown profile, a symbol the target has no name for, or
            layouts that differ.
        FormulaSyntaxError: LaTeX that does not parse.
    """
    source = get_notation(source)
    if isinstance(formula, str):
        formula = parse_formula(formula, notation=source)
    return translate_formula(formula, source, target)
