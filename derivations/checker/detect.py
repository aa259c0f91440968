"""Detection of the notation profile from a formula's symbols (``notation="auto"``).

Every built-in profile of :data:`DETECTION_ORDER` that reads the formula's symbols fits (a
profile also fits through a variant its own symbols select, UFLDL's Coursera); a layer letter
one profile declares (:attr:`Notation.detect_letters`: UFLDL's n_l, CS229's r) keeps only the
profiles that declare it. :mod:`.readings` checks the formula in each fitting profile.
"""

from __future__ import annotations

from ..errors import BackpropVerifyError, UnsupportedNotationError
from .conventions import keys
from .formula import parse_formula
from .nodes import Formula, Sym, walk
from .notation import Notation
from .profiles import NOTATIONS

__all__ = ["DETECTION_ORDER", "detect_notation"]

DETECTION_ORDER = tuple(sorted((n for n in NOTATIONS if NOTATIONS[n].detect_rank < 1000),
                               key=lambda name: NOTATIONS[name].detect_rank))
"""The built-in profiles auto detection tries, by :attr:`Notation.detect_rank` (its tie-break); a
rank of 1000 or more is only used when asked for: nielsen-linear (a choice of convention) and
coursera (its own symbols, Theta and g, select it through ufldl's variant)."""


def _score(formula: Formula, prof: Notation) -> int:
    """How well the written index styles match the profile's usual one (:attr:`Notation.usual_style`)."""
    style = prof.usual_style
    syms = [n for n in walk(formula.lhs)] + [n for n in walk(formula.rhs)]
    return sum(1 for n in syms if isinstance(n, Sym) and n.index is not None and n.style == style)


def detect_notation(latex: str) -> tuple[Notation, list[str]]:
    """The built-in profile that reads ``latex`` best, and every profile that reads it.

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
        fits.append((-_score(formula, prof), prof.detect_rank, name, keys(formula)))
    if not fits:
        first = next(iter(errors.values()), "")
        raise UnsupportedNotationError(f"no notation profile reads this formula ({first})")
    marked = [f for f in fits if f[3] & set(NOTATIONS[f[2]].detect_letters)]
    fits = sorted(marked or fits)
    return NOTATIONS[fits[0][2]], [f[2] for f in fits]


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
