"""Counterexamples in the profile's own symbols and layer numbering.

The exact check names the point's coordinates in our symbols (``w^{(2)}_{1,2}``,
``\\sigma'_{1,1}``, ``x_{1,2}``). For a profile they are renamed to its letters, its
index style and its layer numbering (Nielsen's ``w^3_{1,2}`` is our ``w^{(2)}_{1,2}``;
a row-major profile's W entry (c, r) is our (r, c)), and "layer 2" names the written index.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..verdict import Counterexample
from .nodes import Index, Sym
from .notation import Notation
from .render import to_latex

__all__ = ["in_profile_symbols", "symbol_for"]

_NAME = re.compile(r"(\\sigma'|\\sigma|w|b|x|y)(?:\^\{\((\d+)\)\})?_\{([0-9,]+)\}")


def symbol_for(meaning: str, prof: Notation) -> str | None:
    """The first written symbol of ``meaning`` in the profile (None if it has none)."""
    return next((k for k, v in prof.symbols.items() if v == meaning), None)


def _written(meaning: str, ours: int, prof: Notation, name: str) -> str:
    style = next(iter(prof.index_styles), "_")
    sym = Sym(name, Index(None, ours - prof.offset(meaning)), style="_" if style == "_" else style)
    return to_latex(sym)


def _rename(match: re.Match, prof: Notation) -> str:
    kind, layer, cells = match.group(1), match.group(2), match.group(3).split(",")
    meaning = {"w": "W", "b": "b", "x": "X", "y": "Y", "\\sigma": "Sigma", "\\sigma'": "Sigma_prime"}[kind]
    if kind in ("\\sigma", "\\sigma'"):
        layer, cells = cells[0], cells[1:]
    name = symbol_for(meaning, prof)
    if name is None and kind == "\\sigma'":
        fn = next((k for k, v in prof.functions.items() if v == "Sigma_prime"), None)
        pre = symbol_for("N", prof)
        if fn is None or pre is None:
            return match.group(0)
        inner = _written("N", int(layer), prof, pre)
        return f"{fn}({inner})_{{{','.join(cells)}}}"
    if name is None:
        return match.group(0)
    if prof.layout == "rows" and len(cells) == 2:
        cells = cells[::-1]
    base = _written(meaning, int(layer), prof, name) if layer is not None else name
    return f"{base}_{{{','.join(cells)}}}"


def in_profile_symbols(ce: Counterexample, prof: Notation, letter: str | None) -> Counterexample:
    """``ce`` with its message in the profile's symbols; ``letter`` the formula's layer letter."""
    if prof.name == "paper":
        return ce
    message = ce.message
    if ce.layer is not None:
        where = f"{letter}={ce.layer}" if letter else str(ce.layer)
        shifted = any(prof.offsets.values()) or prof.last_offset
        numbering = f" ({prof.name} numbering)" if shifted else ""
        message = re.sub(rf", layer {ce.layer}\b", f", layer {where}{numbering}", message, count=1)
    head, sep, tail = message.rpartition(" at ")
    if sep:
        message = head + sep + _NAME.sub(lambda m: _rename(m, prof), tail)
    return replace(ce, message=message)
