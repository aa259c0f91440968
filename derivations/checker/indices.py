"""Layer indices as written and as ours: the profile's offsets, the ranges, every use in a formula."""

from __future__ import annotations

from dataclasses import replace
from typing import Iterator

from ..errors import UnsupportedNotationError
from .nodes import Apply, Fold, Grad, Index, Node, Sym, at_layer
from .notation import Notation
from .render import to_latex

__all__ = ["written_index", "our_layer", "layer_range", "index_uses", "is_application", "named", "INDEXED",
           "GRADIENT_OF"]

INDEXED = {"W", "b", "N", "Sigma", "Sigma_prime", "Delta", "dA", "dW", "db"}
"""Meanings that need a layer index."""
GRADIENT_OF = {"W": "W", "b": "b", "N": "N", "Sigma": "Sigma", "X": "Sigma", "output": "Sigma"}
"""Meaning of a gradient's target -> the meaning of the gradient's layer (its shape)."""


def written_index(sym: Sym, notation: Notation) -> Index | None:
    """The layer index as written, or the profile's default for an unindexed symbol (CS231n's W)."""
    if sym.index is not None or sym.key not in notation.defaults:
        return sym.index
    text = notation.defaults[sym.key]
    return Index(None, int(text)) if text.lstrip("-").isdigit() else Index(text, 0)


def our_layer(meaning: str, idx: Index, env: dict, notation: Notation) -> int:
    """Our layer number of a written index (the profile's offset for this meaning applied)."""
    base = meaning[5:] if meaning.startswith("grad_") else meaning
    return idx.value(env) + notation.offset(base)


def layer_range(meaning: str, depth: int, notation: Notation) -> tuple[int, int]:
    """(lowest, highest) layer index (ours) allowed for ``meaning`` on a net of depth K.

    A gradient target ("grad_W", ...) is a true layer; the symbols W_{K+1} (= I) and
    Delta_{K+1} (= V) exist only with ``notation.top_seed``.
    """
    if meaning.startswith("grad_"):
        return (0 if meaning == "grad_Sigma" else 1), depth
    if meaning in ("dW", "db"):
        return 1, depth
    top = depth + 1 if notation.top_seed and meaning in ("W", "Delta") else depth
    return (0 if meaning in ("Sigma", "dA") else 1), top


def index_uses(node: Node, notation: Notation) -> Iterator[tuple[str, Index | None, Node]]:
    """Every (meaning, written index, node) the formula uses; raises on unknown symbols."""
    if isinstance(node, Sym):
        meaning = notation.meaning(node.key)
        idx = written_index(node, notation)
        _check_style(node, notation)
        if meaning in INDEXED and idx is None and node.neurons:
            raise UnsupportedNotationError(
                f"{node.src}: {{{','.join(node.neurons)}}} reads as neuron indices, which need a layer "
                f"index first (an index form such as w^l_{{jk}} or W^{{(l)}}_{{ij}})")
        if meaning in INDEXED and idx is None:
            raise UnsupportedNotationError(f"{node.src} needs a layer index{_example(node, notation)}")
        if meaning not in INDEXED and idx is not None:
            raise UnsupportedNotationError(f"{node.src} takes no layer index")
        yield meaning, idx, node
    elif isinstance(node, Grad):
        notation.loss(node.of, node.per_sample)
        if not isinstance(node.wrt, Sym):
            raise UnsupportedNotationError(f"a gradient is taken w.r.t. a symbol such as W_i, got {node.src}")
        meaning = notation.meaning(node.wrt.key)
        if meaning not in GRADIENT_OF:
            raise UnsupportedNotationError(
                f"gradients w.r.t. {node.wrt.src} are not supported; use W, b, N (z), Sigma (a) or X")
        idx = written_index(node.wrt, notation)
        _check_style(node.wrt, notation)
        if meaning not in ("X", "output") and idx is None:
            raise UnsupportedNotationError(f"{node.wrt.src} needs a layer index{_example(node.wrt, notation)}")
        yield "grad_" + meaning, idx, node.wrt
    elif isinstance(node, Fold):  # the layers of both ends; the bound letter is no index of the formula
        for part in (node.head, node.tail):
            if part is not None:
                yield from index_uses(part, notation)
        for end in (node.first, node.last):
            yield from index_uses(named(at_layer(node.unit, node.var, end)), notation)
    elif isinstance(node, Apply) and is_application(node, notation):
        if node.fn.index is not None:
            yield "N", node.fn.index, node.fn
        yield from index_uses(node.arg, notation)
    else:
        for child in node.children():
            yield from index_uses(child, notation)


_WRITTEN = {"(": "^{(l)}", "[": "^{[l]}", "_": "_l", "^": "^l"}
"""How each index style writes layer l."""


def _example(sym: Sym, notation: Notation) -> str:
    """' (as W^{[l]} in the dlai notation)': the symbol with an index in the profile's own style."""
    style = notation.usual_style or next(iter(notation.index_styles), "_")
    written = _WRITTEN.get(style, "_l")
    return f" (as {sym.name}{written} in the {notation.name} notation)"


def _check_style(sym: Sym, notation: Notation) -> None:
    if sym.index is not None and sym.style not in notation.index_styles and sym.style != "^":
        allowed = ", ".join(_WRITTEN.get(s, "^l") for s in notation.index_styles)
        extra = " (round brackets number the examples there)" if notation.name in ("dlai", "rowmajor") else ""
        raise UnsupportedNotationError(
            f"{sym.src}: the {notation.name!r} notation writes layer indices as {allowed}, not "
            f"{_WRITTEN.get(sym.style, sym.style)}{extra}")
    if sym.index is not None and sym.style == "^" and "^" not in notation.index_styles:
        raise UnsupportedNotationError(
            f"a superscript must be T, \\top, ' or a layer index (l) in the {notation.name!r} notation "
            f"(powers are not supported): `{sym.src}`")


def is_application(node: Apply, notation: Notation) -> bool:
    """fn(arg) is an application (not a product): fn is a function, and arg a pre-activation
    or fn is not also a symbol (then a bad argument is reported by :func:`_apply`)."""
    if node.fn.key not in notation.functions:
        return False
    arg = node.arg
    is_pre = isinstance(arg, Sym) and notation.symbols.get(arg.key) == "N" and \
        written_index(arg, notation) is not None
    return is_pre or node.fn.key not in notation.symbols


def named(node: Node) -> Node:
    """``node`` with every part that has no source named by its LaTeX (for messages)."""
    node = node.map_children(named)
    return node if node.src else replace(node, src=to_latex(node))
