"""One equation read in one profile: its readings, the verdict over them, a hint when it fails.

A formula has several *readings* in one profile when the profile reads product chains left to
right (the paper, remark 1) and reading right to left (remark 5) groups them differently; when it
juxtaposes two operands of the same non-square shape (``\\delta^{l+1} \\sigma'(z^l)``: a matrix
product or an element-wise product); when ``*`` may be either; or when the formula touches a
convention the profile leaves open (:func:`.conventions.convention_readings`). Every reading is
checked: equal verdicts give that verdict (with a note), different ones the status "ambiguous"
with the verdict of each; a reading that does not type-check is dropped when another one does.
A formula that fails gets the convention it would hold under named (:func:`_hint`).
"""

from __future__ import annotations

from dataclasses import replace

from ..errors import BackpropVerifyError, TimeLimitError
from .bounds import CheckBounds
from .check import check_formula
from .conventions import assumed, convention_readings, elementwise_reading, keys, times_readings
from .formula import parse_formula
from .nodes import Add, Formula, Num, Sub, Sym, walk
from .notation import Notation
from .render import normalise
from .result import CheckResult

__all__ = ["HINT_ACTIVATIONS", "ill_typed", "read_in_profile", "select_profile"]


def select_profile(latex: str, prof: Notation, order: str | None) -> Notation:
    """The profile itself, or a variant whose own symbols the formula uses (Coursera's Theta)."""
    for variant in prof.variants:
        if variant.selects:
            try:
                used = keys(parse_formula(latex, notation=variant.notation, order=order))
            except BackpropVerifyError:
                continue
            if used & set(variant.selects):
                return variant.notation
    return prof


def _readings(latex: str, prof: Notation, order: str | None) -> list[tuple[str, Formula, Notation]]:
    """(name, formula, profile) for the profile's own reading first, then every other one."""
    primary = parse_formula(latex, notation=prof, order=order)
    out = [("", primary)]
    if prof.star == "ambiguous" and "*" in latex.replace(".*", ""):
        other = parse_formula(latex, notation=prof, order=order, star="dot")
        if normalise(other.rhs) != normalise(primary.rhs):
            out = [("* element-wise", primary), ("* as matrix product", other)]
    out = times_readings(latex, out, prof, order)
    if order is None and prof.order == "left":
        other = parse_formula(latex, notation=prof, order="right")
        if (normalise(other.lhs), normalise(other.rhs)) != (normalise(primary.lhs), normalise(primary.rhs)):
            out = [("left to right", primary), ("right to left", other)]
    more = []
    for name, f in out:
        alt = replace(f, rhs=elementwise_reading(f.rhs, prof))
        if prof.juxtaposition != "ambiguous" or normalise(alt.rhs) == normalise(f.rhs):
            more.append((name, f, prof))
            continue
        lead = name + ", " if name else ""
        more.append((lead + "juxtaposition as matrix product", f, prof))
        more.append((lead + "juxtaposition element-wise", alt, prof))
    more += convention_readings(latex, primary, prof, order)
    used = keys(primary)
    for variant in prof.variants:
        if used & set(variant.when) and variant.notation is not prof:
            try:
                more.append((variant.label, parse_formula(latex, notation=variant.notation, order=order),
                             variant.notation))
            except BackpropVerifyError:
                continue
    if len(more) > 1 and not more[0][0]:
        more[0] = (f"as the {prof.name} profile reads it", *more[0][1:])
    elif len(more) > 1 and more[0][2] is prof and any(p is not prof for _, _, p in more):
        more[0] = (f"{more[0][0]} ({prof.name})", *more[0][1:])
    return more


def ill_typed(result: CheckResult) -> bool:
    ce = result.counterexample
    return result.holds is False and ce is not None and ce.kind == "shape"


def _well_typed(results: list) -> tuple[list, str]:
    """Drop the readings that do not type-check, if any reading does: an ill-typed grouping is not
    a reading a lecturer can have meant. Returns the kept readings and a note naming the others."""
    kept = [(n, r) for n, r in results if not ill_typed(r)]
    if not kept or len(kept) == len(results):
        return results, ""
    dropped = [n for n, r in results if ill_typed(r)]
    return kept, f"not read {' or '.join(dropped)}: that reading does not type-check"


def read_in_profile(latex: str, prof: Notation, order: str | None, detected: bool, bounds: CheckBounds) -> CheckResult:
    """Readings of the profile's own conventions (grouping, ``*``, juxtaposition) are equals: when
    the verdicts of the well-typed ones differ the formula is "ambiguous" (a reading that does not
    type-check is dropped, with a note, when another one does). A :class:`Variant` (another source
    behind the same symbols) is consulted only when they all fail: if it holds, "ambiguous" too."""
    prof = select_profile(latex, prof, order)
    readings = _readings(latex, prof, order)
    bounds, why = assumed(readings[0][1], prof, bounds)
    result = _verdict_over(readings, prof, detected, bounds)
    if result.holds is False and not ill_typed(result):  # no convention changes a shape
        why = "; ".join(x for x in (why, _hint(latex, readings[0][1], prof, order, bounds)) if x)
    return replace(result, note="; ".join(x for x in (why, result.note) if x)) if why else result


HINT_ACTIVATIONS = ("tanh", "sigmoid")
"""The hidden activations a formula that fails for an arbitrary sigma is tried with, when it writes
the slope through the layer's values (tanh' = 1 - a^2, sigmoid' = a(1 - a): see :func:`_slope_by_value`)."""


def _hint(latex: str, formula: Formula, prof: Notation, order: str | None, bounds: CheckBounds) -> str:
    """For a formula that fails: the first of the profile's :attr:`Notation.hints` it holds under,
    else (when it failed for an arbitrary hidden activation) the first of :data:`HINT_ACTIVATIONS`.
    The verdict stays "fails"; the note names the convention under which it would hold."""
    used = keys(formula)
    for hint in prof.hints:
        held = _holding(latex, hint.notation, order, bounds) if used & set(hint.when) else None
        if held is not None:
            return f"fails in {prof.name}'s convention; holds with {hint.label}{held}"
    if bounds.activations == ("sigma",) and prof.hidden_activation is None and _slope_by_value(formula, prof):
        for name in HINT_ACTIVATIONS:
            held = _holding(latex, prof, order, replace(bounds, activations=(name,)))
            if held is not None:
                return (f"fails for an arbitrary activation sigma; holds when the hidden layers are {name} "
                        f"(--activations {name}){held}")
    return ""


def _slope_by_value(formula: Formula, prof: Notation) -> bool:
    """True when the formula writes ``1 - a`` (a number and a layer's values added or subtracted), the
    way notes write a concrete activation's slope through its values: 1 - a^2, a(1 - a), a .* (1 - a)."""
    def values(node) -> bool:
        return any(isinstance(n, Sym) and prof.symbols.get(n.key) == "Sigma" for n in walk(node))
    return any(isinstance(n, (Add, Sub)) and (isinstance(n.left, Num) and values(n.right)
                                              or isinstance(n.right, Num) and values(n.left))
               for side in (formula.lhs, formula.rhs) for n in walk(side))


def _holding(latex: str, prof: Notation, order: str | None, bounds: CheckBounds) -> str | None:
    """When some reading of ``latex`` in ``prof`` holds within ``bounds``: "" if the profile's own
    reading does, else ", reading <its name>"; None when none holds (or it cannot be read)."""
    try:
        result = _verdict_over(_readings(latex, prof, order), prof, False, bounds)
    except TimeLimitError:
        raise
    except BackpropVerifyError:
        return None
    if result.holds:
        return ""
    held = [name for name, r in result.readings if r.holds]
    return f", reading {held[0]}" if held else None


def _verdict_over(readings: list, prof: Notation, detected: bool, bounds: CheckBounds) -> CheckResult:
    """:func:`_one` for the readings of one equation."""
    equal = [prof, *(c.notation for c in prof.conventions)]  # the conventions are readings too
    own = [(n, f, p) for n, f, p in readings if any(p is q for q in equal)]
    variants = [(n, f, p) for n, f, p in readings if not any(p is q for q in equal)]
    results, dropped = _well_typed([(n, check_formula(f, p, bounds)) for n, f, p in own])
    first = results[0][1]
    if dropped:
        first = replace(first, note="; ".join(x for x in (first.note, dropped) if x))
    if len(readings) == 1:
        return replace(first, detected=detected)
    if len({r.holds for _, r in results}) == 1 and not (first.holds is False and variants):
        note = "; ".join(f"read {n}: {r.status}" for n, r in results[1:]) if len(results) > 1 else ""
        if variants:
            note = (note + "; " if note else "") + f"not needed: {', '.join(n for n, _, _ in variants)}"
        return replace(first, detected=detected, seconds=sum(r.seconds for _, r in results),
                       note="; ".join(x for x in (first.note, note) if x))
    if len({r.holds for _, r in results}) == 1:
        results += [(n, check_formula(f, p, bounds)) for n, f, p in variants]
        if not any(r.holds for _, r in results):
            note = "; ".join(f"read {n}: {r.status}" for n, r in results[1:])
            return replace(first, detected=detected, seconds=sum(r.seconds for _, r in results),
                           note="; ".join(x for x in (first.note, note) if x))
    return CheckResult(first.formula, None, first.architectures, None, sum(r.seconds for _, r in results),
                       notation=prof.name, claim=first.claim, instances=first.instances,
                       note="the profile does not fix this reading: the verdicts differ",
                       readings=tuple(results), detected=detected)
