"""Several readings of one line: equations, profiles and ambiguous products, never a silent guess.

``check(latex)`` lands here. A line is split into its equations (separated by top-level
commas, ``\\quad`` or ``\\qquad``), each checked. The profile is the one asked for, or with
``notation="auto"`` the one detected from the symbols (:func:`detect_notation`; the verdict
says so). A formula has several *readings* when

* its profile reads product chains left to right (the paper, remark 1) and reading right to
  left (remark 5) groups them differently; or
* it juxtaposes two operands of the same non-square shape (``\\delta^{l+1} \\sigma'(z^l)``):
  a matrix product (a shape failure) or an element-wise product.

Every reading is checked; equal verdicts give that verdict (with a note), different ones
give the status "ambiguous" with the verdict of each reading.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from typing import Sequence

from ..errors import BackpropVerifyError, FormulaSyntaxError, TimeLimitError, UnsupportedNotationError
from ..network import Architecture
from .bounds import CheckBounds
from .check import check_formula
from .conventions import assumed, convention_readings, elementwise_reading, keys, times_readings
from .detect import DETECTION_ORDER, detect_notation, fitting
from .formula import parse_formula
from .nodes import Add, Formula, Num, Sub, Sym, walk
from .notation import Notation
from .parse import parse_tree, strip_math
from .profiles import NOTATIONS, get_notation
from .render import normalise
from .result import CheckResult

__all__ = ["check", "check_readings", "split_equations", "detect_notation", "DETECTION_ORDER", "MAX_INPUT",
           "MAX_EQUATIONS", "MAX_EXPANSION"]

MAX_INPUT = 20000
"""Most characters one :func:`check` call reads (all its equations together; each also has
:data:`~derivations.checker.parse.MAX_LENGTH`)."""

MAX_EQUATIONS = 16
"""Most equations on one line (separated by commas, ``\\quad``, ``\\\\``)."""

MAX_EXPANSION = 5000
"""Longest equation after substituting the ``\\leftarrow`` definitions (characters)."""

def split_equations(text: str) -> list[str]:
    r"""The equations of one line: split at top-level commas, ``\quad`` and ``\qquad``.

    >>> split_equations(r"a = b, \quad c = d(e, f).")
    ['a = b', 'c = d(e, f)']
    """
    body = strip_math(text)
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(body):
        depth += ch in "({[" and not body[max(0, i - 1)] == "\\"
        depth -= ch in ")}]" and not body[max(0, i - 1)] == "\\"
        if ch == "," and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:])
    out = []
    for part in parts:
        out.extend(p for p in re.split(r"\\q?quad(?![A-Za-z])|\\\\|\n", part))
    out = [p.strip().rstrip(".,;").strip() for p in out]
    out = [p for p in out if p]
    if len(out) > 1 and all("=" in p or "leftarrow" in p for p in out):
        return out
    return [body]


def _select(latex: str, prof: Notation, order: str | None) -> Notation:
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


def _ill_typed(result: CheckResult) -> bool:
    ce = result.counterexample
    return result.holds is False and ce is not None and ce.kind == "shape"


def _well_typed(results: list) -> tuple[list, str]:
    """Drop the readings that do not type-check, if any reading does: an ill-typed grouping is not
    a reading a lecturer can have meant. Returns the kept readings and a note naming the others."""
    kept = [(n, r) for n, r in results if not _ill_typed(r)]
    if not kept or len(kept) == len(results):
        return results, ""
    dropped = [n for n, r in results if _ill_typed(r)]
    return kept, f"not read {' or '.join(dropped)}: that reading does not type-check"


def _one(latex: str, prof: Notation, order: str | None, detected: bool, bounds: CheckBounds) -> CheckResult:
    """Readings of the profile's own conventions (grouping, ``*``, juxtaposition) are equals: when
    the verdicts of the well-typed ones differ the formula is "ambiguous" (a reading that does not
    type-check is dropped, with a note, when another one does). A :class:`Variant` (another source
    behind the same symbols) is consulted only when they all fail: if it holds, "ambiguous" too."""
    prof = _select(latex, prof, order)
    readings = _readings(latex, prof, order)
    bounds, why = assumed(readings[0][1], prof, bounds)
    result = _one_read(readings, prof, detected, bounds)
    if result.holds is False and not _ill_typed(result):  # no convention changes a shape
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
        result = _one_read(_readings(latex, prof, order), prof, False, bounds)
    except TimeLimitError:
        raise
    except BackpropVerifyError:
        return None
    if result.holds:
        return ""
    held = [name for name, r in result.readings if r.holds]
    return f", reading {held[0]}" if held else None


def _one_read(readings: list, prof: Notation, detected: bool, bounds: CheckBounds) -> CheckResult:
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


_ARROW = re.compile(r"^\s*(\\?[A-Za-z]+)\s*\\(?:leftarrow|gets)(?![A-Za-z])\s*(.*)$", re.S)


def _top_level_eq(text: str) -> int:
    """The position of the first '=' outside braces, or -1."""
    depth = 0
    for i, ch in enumerate(text):
        depth += (ch == "{") - (ch == "}")
        if ch == "=" and depth == 0:
            return i
    return -1


def _sides(text: str) -> list[str]:
    """The sides of ``a = b = c`` split at every '=' outside braces and parentheses (not ':=')."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch in "{([") - (ch in "})]")
        if ch == "=" and depth == 0 and text[i - 1:i] != ":":
            out.append(text[start:i])
            start = i + 1
    return [*out, text[start:]]


def _chained(eq: str, sides: list[str], notation, auto: bool, order: str | None,
             bounds: CheckBounds, prefer: str | None = None) -> CheckResult:
    """``A = B = C`` (the paper's remark 3, a derivation written as one chain): each right-hand
    side is checked against the left-hand side A, the quantity the chain defines; it holds when
    every link does, and a failing link is named by its own equation."""
    parts = []
    for rhs in sides[1:]:
        link = f"{sides[0].strip()} = {rhs.strip()}"
        parts.append(_auto(link, order, bounds, prefer) if auto else
                     _one(link, get_notation(notation), order, auto, bounds))
    holds = True if all(r.holds for r in parts) else (False if any(r.holds is False for r in parts) else None)
    return CheckResult(eq, holds, notation=parts[0].notation,
                       claim="chained '=': each right-hand side against the left-hand side",
                       seconds=sum(r.seconds for r in parts), parts=tuple(parts), detected=auto,
                       read_in=_common(parts))


def _auto(eq: str, order: str | None, bounds: CheckBounds, prefer: str | None = None) -> CheckResult:
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
            results.append((fit, _one(eq, NOTATIONS[fit.name], order, True, bounds)))
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
    ill = [f.evidence for f, r in results if _ill_typed(r)]
    well = [f.evidence for f, r in results if not _ill_typed(r)]
    if well and max(well) >= max(ill, default=-1):
        kept = [(f, r) for f, r in results if not _ill_typed(r) and f.evidence == max(well)]
    else:
        kept = [(f, r) for f, r in results if f.evidence == max(ill)]
    verdicts, names = {r.holds for _, r in kept}, {f.name for f, _ in kept}
    ill_typed = [f.name for f, r in results if f.name not in names and _ill_typed(r)]
    weaker = [f"{f.name}{'' if r.holds in verdicts else f' (where it {r.verdict_word})'}"
              for f, r in results if f.name not in names and not _ill_typed(r)]
    notes = ([f"does not type-check in {', '.join(ill_typed)}"] if ill_typed else []) + \
        ([f"the writing (index style, marks) fits {', '.join(names)} better than {', '.join(weaker)}"]
         if weaker else [])
    return [(f.name, r) for f, r in kept], "; ".join(notes)


def _substitute(text: str, definitions: dict[str, str]) -> str:
    """``text`` with each defined name replaced by its definition in parentheses; refused (before
    building it) when the result would pass :data:`MAX_EXPANSION` characters."""
    for name, value in definitions.items():
        pattern = re.compile(rf"(?<![\\A-Za-z]){re.escape(name)}(?![A-Za-z'(])")
        uses = sum(1 for _ in pattern.finditer(text))
        size = len(text) + uses * (len(value) + 2 - len(name))
        if size > MAX_EXPANSION:
            raise UnsupportedNotationError(
                f"the \\leftarrow definitions expand an equation to {size} characters, more than "
                f"MAX_EXPANSION={MAX_EXPANSION} (raise derivations.checker.readings.MAX_EXPANSION)")
        text = pattern.sub(lambda _, v=value: f"({v})", text)
    return text


def check_readings(latex: str, *, notation: str | Notation = "paper", order: str | None = None,
                   bounds: CheckBounds, prefer: str | None = None) -> CheckResult:
    """:func:`derivations.checker.check` (see there): equations, assignments, detection, readings.

    ``g \\leftarrow A = B`` checks ``A = B`` and then names A ``g`` for the equations after it;
    ``g \\leftarrow A`` only names A (the Deep Learning book's algorithm 6.4).
    """
    if not isinstance(latex, str):
        raise UnsupportedNotationError(f"a formula must be a string, got {type(latex).__name__}")
    if len(latex) > MAX_INPUT:
        raise FormulaSyntaxError(f"input longer than MAX_INPUT={MAX_INPUT} characters per check() call, got "
                                 f"{len(latex)} (raise derivations.checker.readings.MAX_INPUT)", label="too long")
    auto = isinstance(notation, str) and notation.strip().lower() in ("auto", "detect")
    equations = split_equations(latex)
    if len(equations) > MAX_EQUATIONS:
        raise UnsupportedNotationError(
            f"a line may hold at most MAX_EQUATIONS={MAX_EQUATIONS} equations, got {len(equations)}; split it "
            "(or raise derivations.checker.readings.MAX_EQUATIONS)")
    try:
        return _check_equations(latex, equations, notation, auto, order, bounds, prefer)
    except RecursionError as err:
        raise UnsupportedNotationError("formula nested too deeply to read (RecursionError)") from err


def _claims(equations: list[str]) -> list[tuple[str, list[str]]]:
    r"""(equation, its sides) for each claim of a line, with the ``\leftarrow`` names substituted.

    Every side is parsed here, before any is checked, so a syntax error anywhere on the line is
    reported at once; and the links of chained '=' count towards MAX_EQUATIONS.
    """
    claims, definitions = [], {}
    for eq in equations:
        arrow = _ARROW.match(eq)
        target, eq = (arrow.group(1), arrow.group(2)) if arrow else (None, eq)
        eq = _substitute(eq, definitions)
        at = _top_level_eq(eq)
        if target is not None:
            definitions[target] = (eq if at < 0 else eq[:at]).strip()
            if at < 0:
                continue
        claims.append((eq, _sides(eq)))
    links = sum(max(len(sides) - 1, 1) for _, sides in claims)
    if links > MAX_EQUATIONS:
        raise UnsupportedNotationError(
            f"a line may hold at most MAX_EQUATIONS={MAX_EQUATIONS} equations (each link of a chained '=' "
            f"counts), got {links}; split it (or raise derivations.checker.readings.MAX_EQUATIONS)")
    for eq, sides in claims:
        for rhs in sides[1:] if len(sides) > 2 else [None]:
            parse_tree(strip_math(eq if rhs is None else f"{sides[0].strip()} = {rhs.strip()}"))
    return claims


def _check_equations(latex: str, equations: list[str], notation, auto: bool, order: str | None,
                     bounds: CheckBounds, prefer: str | None) -> CheckResult:
    results, claims = [], _claims(equations)
    if not auto:  # every claim read in the profile before any is checked: a notation error costs no work
        prof = get_notation(notation)
        for link in (f"{sides[0].strip()} = {rhs.strip()}" for _, sides in claims for rhs in sides[1:]):
            parse_formula(link, notation=_select(link, prof, order), order=order)
    for eq, sides in claims:
        if len(sides) > 2:
            results.append(_chained(eq, sides, notation, auto, order, bounds, prefer))
        elif auto:
            results.append(_auto(eq, order, bounds, prefer))
        else:
            results.append(_one(eq, get_notation(notation), order, auto, bounds))
    if not results:
        raise UnsupportedNotationError(
            f"{latex.strip()}: an update g \\leftarrow ..., not an equation: g changes meaning at each "
            "step; write the claim it stands for (e.g. \\nabla_{a^{(k)}} J = \\nabla_{h^{(k)}} J \\odot "
            "f'(a^{(k)})), or define g first on the same line")
    if len(results) == 1:
        return results[0]
    holds = True if all(r.holds for r in results) else (False if any(r.holds is False for r in results)
                                                         else None)
    return CheckResult(latex, holds, notation=results[0].notation, claim="several equations",
                       seconds=sum(r.seconds for r in results), parts=tuple(results), detected=auto,
                       read_in=_common(results))


def _common(parts: list[CheckResult]) -> tuple[str, ...]:
    """The profiles every detected part was read in (in the first part's order)."""
    return tuple(n for n in parts[0].read_in if all(n in p.read_in for p in parts[1:]))


def check(latex: str, *, notation: str | Notation = "paper", min_depth: int | None = None,
          max_depth: int | None = None, min_width: int = 1, max_width: int = 3,
          output_width: int | None = None, activations: Sequence[str] = ("sigma",),
          order: str | None = None, batch: int | None = None, form: str | None = None,
          architectures: Sequence[Architecture] | None = None, sweep: bool = False,
          prefer: str | None = None) -> CheckResult:
    """Decide exactly whether the formula ``latex`` holds on every architecture: a proof, or a
    counterexample, or (when no proof applies, or asked with ``sweep=True`` or bounds) the sweep.

    Args:
        latex: ``LHS = RHS`` in the notation's symbols (``$..$`` delimiters allowed).
        notation: a profile name (see :func:`notation_names`), "auto" or a :class:`Notation`.
        min_depth, max_depth, min_width, max_width, output_width: the architectures swept
            (defaults: depths 1-4, or the profile's fixed depth; the profile's output width).
        activations: activation names of the hidden layers (the output layer takes the profile's
            output activation); the default abstract "sigma" decides for every activation.
        order: override the notation's reading of product chains ("left", "right", "standard").
        batch, form: override the notation's batch size m and network form.
        architectures: check exactly these (sorted by size) instead of the bounds above.
        prefer: with ``notation="auto"``, the profile whose reading is taken whenever it reads the
            formula (a file's notation, detected from all its formulas: :mod:`.files`).

    Returns:
        A :class:`CheckResult`: holds, or the smallest counterexample (architecture, layer,
        entry, both sides' values at a point), or a shape failure naming the sub-expression.

    Raises:
        FormulaSyntaxError, UnsupportedNotationError: the formula cannot be read.
        ArchitectureError: bad bounds.

    >>> check(r"\\nabla_{W_i} f = \\Delta_i \\cdot \\Sigma_{i-1}^T", max_depth=2, max_width=2).holds
    True
    """
    return check_readings(latex, notation=notation, order=order, prefer=prefer, bounds=CheckBounds(
        min_depth=min_depth, max_depth=max_depth, min_width=min_width, max_width=max_width,
        output_width=output_width, activations=activations, batch=batch, form=form,
        architectures=architectures, sweep=sweep))
