r"""Detection of the notation profile from a formula's symbols (``notation="auto"``).

Every built-in profile of :data:`DETECTION_ORDER` that reads the formula's symbols fits (a
profile also fits through a variant its own symbols select, UFLDL's Coursera); a layer letter
one profile declares (:attr:`Notation.detect_letters`: UFLDL's n_l, CS229's r) keeps only the
profiles that declare it. Each fit carries its *evidence*: how many indexed symbols are written in
the profile's own style (:attr:`Notation.usual_style`) plus how many of its source's marks the
text shows (:attr:`Notation.marks`: UFLDL's ``\bullet`` and ``J(W,b;x,y)``, Goodfellow's
``^{(k)}``, CS229's ``\frac{\partial J}{\partial ...}``). :func:`detect_and_check` checks the formula in
each fitting profile and weighs the readings by that evidence.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from typing import NamedTuple

from ..errors import BackpropVerifyError, TimeLimitError, UnsupportedNotationError
from .bounds import CheckBounds
from .conventions import keys
from .formula import parse_formula
from .nodes import Formula, Sym, walk
from .notation import Notation
from .profile_reading import ill_typed, read_in_profile
from .profiles import NOTATIONS
from .result import CheckResult

__all__ = ["DETECTION_ORDER", "Fit", "detect_and_check", "detect_notation", "fitting", "is_auto"]

DETECTION_ORDER = tuple(sorted((n for n in NOTATIONS if NOTATIONS[n].detect_rank < 1000),
                               key=lambda name: NOTATIONS[name].detect_rank))
"""The built-in profiles auto detection tries, by :attr:`Notation.detect_rank` (its tie-break); a
rank of 1000 or more is only used when asked for: nielsen-linear (a choice of convention) and
coursera (its own symbols, Theta and g, select it through ufldl's variant)."""


def is_auto(notation: object) -> bool:
    """Whether ``notation`` asks for detection: the name "auto" (or "detect"), any case."""
    return isinstance(notation, str) and notation.strip().lower() in ("auto", "detect")


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


def detect_and_check(eq: str, order: str | None, bounds: CheckBounds,
                     prefer: str | None = None) -> CheckResult:
    """Detection by meaning: the equation checked in every profile that reads its symbols, the
    readings weighed by :func:`_likeliest` (or the reading in ``prefer``, a file's notation, when
    that profile reads it); if the verdicts of the kept ones agree, that verdict (naming the
    profiles that agree), else "ambiguous" with the verdict in each profile."""
    results = _auto_readings(eq, order, bounds)
    preferred = [(f, r) for f, r in results if f.name == prefer]
    if preferred:
        others = [f"{f.name} ({r.verdict_word})" for f, r in results
                  if f.name != prefer and r.holds != preferred[0][1].holds]
        kept = [(prefer, preferred[0][1])]
        dropped = f"alone it would also read in {', '.join(others)}" if others else ""
    else:
        kept, dropped = _likeliest(list(results))
    first = kept[0][1]
    if len({r.holds for _, r in kept}) == 1:
        agree = f"read the same in: {', '.join(n for n, _ in kept)}" if len(kept) > 1 else ""
        return replace(first, detected=True, read_in=tuple(n for n, _ in kept),
                       note="; ".join(x for x in (first.note, agree, dropped) if x))
    return CheckResult(first.formula, None, first.architectures, None, sum(r.seconds for _, r in kept),
                       notation=first.notation, claim=first.claim, instances=first.instances,
                       note="the profiles that read these symbols give different verdicts"
                       + (f"; {dropped}" if dropped else ""),
                       readings=tuple((f"in {n}", r) for n, r in kept), detected=True)


@functools.lru_cache(maxsize=256)
def _auto_readings(eq: str, order: str | None, bounds: CheckBounds) -> tuple:
    """(:class:`Fit`, result) of the equation in every built-in profile that reads it, best fit first
    (cached: a file checked with ``notation="auto"`` asks again with its detected notation)."""
    results, errors = [], []
    for fit in fitting(eq):
        try:
            results.append((fit, read_in_profile(eq, NOTATIONS[fit.name], order, True, bounds)))
        except TimeLimitError:
            raise  # never cached as a profile that does not read the formula
        except BackpropVerifyError as err:
            errors.append(f"{fit.name}: {err}")
    if not results:
        raise UnsupportedNotationError(f"no notation profile reads this formula ({errors[0]})")
    return tuple(results)


def _likeliest(results: list) -> tuple[list, str]:
    """The readings a lecturer most likely meant, as (profile name, result), and a note on the others.

    Kept: the well-typed readings of the strongest evidence (:class:`Fit`), when that is at least the
    evidence of every reading that does not type-check; otherwise the strongest readings, which then
    fail on shapes (a formula written in dlai's style that only type-checks under a weaker reading is
    not taken to mean that reading). Every reading left out is named, with its verdict if it differs.
    """
    ill = [f.evidence for f, r in results if ill_typed(r)]
    well = [f.evidence for f, r in results if not ill_typed(r)]
    if well and max(well) >= max(ill, default=-1):
        kept = [(f, r) for f, r in results if not ill_typed(r) and f.evidence == max(well)]
    else:
        kept = [(f, r) for f, r in results if f.evidence == max(ill)]
    verdicts, names = {r.holds for _, r in kept}, {f.name for f, _ in kept}
    shapeless = [f.name for f, r in results if f.name not in names and ill_typed(r)]
    weaker = [f"{f.name}{'' if r.holds in verdicts else f' (where it {r.verdict_word})'}"
              for f, r in results if f.name not in names and not ill_typed(r)]
    notes = ([f"does not type-check in {', '.join(shapeless)}"] if shapeless else []) + \
        ([f"the writing (index style, marks) fits {', '.join(names)} better than {', '.join(weaker)}"]
         if weaker else [])
    return [(f.name, r) for f, r in kept], "; ".join(notes)
