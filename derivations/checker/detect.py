r"""Detection of the notation profile from a formula's symbols (``notation="auto"``).

Every built-in profile of :data:`DETECTION_ORDER` that reads the formula's symbols fits (a
profile also fits through a variant its own symbols select, UFLDL's Coursera); a layer letter
one profile declares (:attr:`Notation.detect_letters`: UFLDL's n_l, CS229's r) keeps only the
profiles that declare it. Each fit carries its *evidence*: how many indexed symbols are written in
the profile's own style (:attr:`Notation.usual_style`) plus how many of its source's marks the
text shows (:attr:`Notation.marks`: UFLDL's ``\bullet`` and ``J(W,b;x,y)``, Goodfellow's
``^{(k)}``, CS229's ``\frac{\partial J}{\partial ...}``). :mod:`.readings` checks the formula in
each fitting profile and weighs the readings by that evidence.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..errors import BackpropVerifyError, UnsupportedNotationError
from .conventions import keys
from .formula import parse_formula
from .nodes import Formula, Sym, walk
from .notation import Notation
from .profiles import NOTATIONS

__all__ = ["DETECTION_ORDER", "Fit", "detect_notation", "fitting"]

DETECTION_ORDER = tuple(sorted((n for n in NOTATIONS if NOTATIONS[n].detect_rank < 1000),
                               key=lambda name: NOTATIONS[name].detect_rank))
"""The built-in profiles auto detection tries, by :attr:`Notation.detect_rank` (its tie-break); a
rank of 1000 or more is only used when asked for: nielsen-linear (a choice of convention) and
coursera (its own symbols, Theta and g, select it through ufldl's variant)."""


_SPACE = re.compile(r"\\[,;:! ]|\s+")
"""Spaces and LaTeX spacing commands, ignored when looking for a profile's marks."""


class Fit(NamedTuple):
    """A built-in profile that reads a formula's symbols, and how strongly the writing points to it."""

    name: str
    evidence: int


def evidence(latex: str, formula: Formula, prof: Notation) -> int:
    """Indexed symbols written in the profile's usual index style, plus the profile's marks in ``latex``."""
    style = prof.usual_style
    syms = [*walk(formula.lhs), *walk(formula.rhs)]
    styled = sum(1 for n in syms if isinstance(n, Sym) and n.index is not None and n.style == style)
    text = _SPACE.sub("", latex)
    return styled + sum(1 for mark in prof.marks if mark in text)


def fitting(latex: str) -> list[Fit]:
    """The built-in profiles that read ``latex``, strongest evidence first (then :attr:`Notation.detect_rank`).

    Raises:
        UnsupportedNotationError: no profile defines all its symbols (the message says which fail).
    """
    fits, errors = [], {}
    for name in DETECTION_ORDER:
        prof = NOTATIONS[name]
        try:
            formula = _parse_selecting(latex, prof)
        except BackpropVerifyError as err:
            errors[name] = str(err)
            continue
        fits.append((-evidence(latex, formula, prof), prof.detect_rank, name, keys(formula)))
    if not fits:
        first = next(iter(errors.values()), "")
        raise UnsupportedNotationError(f"no notation profile reads this formula ({first})")
    marked = [f for f in fits if f[3] & set(NOTATIONS[f[2]].detect_letters)]
    return [Fit(name, -minus) for minus, _, name, _ in sorted(marked or fits)]


def detect_notation(latex: str) -> tuple[Notation, list[str]]:
    """The built-in profile that reads ``latex`` best, and every profile that reads it (best first).

    Raises:
        UnsupportedNotationError: no profile defines all its symbols (the message says which fail).
    """
    fits = fitting(latex)
    return NOTATIONS[fits[0].name], [f.name for f in fits]


def _parse_selecting(latex: str, prof: Notation) -> Formula:
    """``latex`` read by ``prof``, or by a variant its own symbols select (UFLDL's Coursera: Theta, g)."""
    try:
        return parse_formula(latex, notation=prof)
    except BackpropVerifyError:
        for variant in prof.variants:
            if variant.selects:
                try:
                    return parse_formula(latex, notation=variant.notation)
                except BackpropVerifyError:
                    continue
        raise
