"""One line of LaTeX checked: its equations, chains and assignments, in a profile or detected.

``check(latex)`` lands here. A line is split into its equations (separated by top-level commas,
``\\quad`` or ``\\qquad``); ``A = B = C`` is a chain (each right-hand side against A); ``g
\\leftarrow A`` names A for the equations after it. Every claim is read in the profile before any
is checked. Each equation is then checked in the profile asked for, with its readings
(:mod:`.profile_reading`), or with ``notation="auto"`` in every profile that reads its symbols,
the readings weighed by how it is written (:mod:`.detect`; the verdict says so).
"""

from __future__ import annotations

import re
from typing import Sequence

from ..errors import FormulaSyntaxError, UnsupportedNotationError
from ..network import Architecture
from .bounds import CheckBounds
from .detect import DETECTION_ORDER, detect_and_check, detect_notation, is_auto
from .formula import parse_formula
from .notation import Notation
from .parse import parse_tree, strip_math
from .profile_reading import read_in_profile, select_profile
from .profiles import get_notation
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
        parts.append(detect_and_check(link, order, bounds, prefer) if auto else
                     read_in_profile(link, get_notation(notation), order, auto, bounds))
    holds = True if all(r.holds for r in parts) else (False if any(r.holds is False for r in parts) else None)
    return CheckResult(eq, holds, notation=parts[0].notation,
                       claim="chained '=': each right-hand side against the left-hand side",
                       seconds=sum(r.seconds for r in parts), parts=tuple(parts), detected=auto,
                       read_in=_common(parts))


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
    auto = is_auto(notation)
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
            parse_formula(link, notation=select_profile(link, prof, order), order=order)
    for eq, sides in claims:
        if len(sides) > 2:
            results.append(_chained(eq, sides, notation, auto, order, bounds, prefer))
        elif auto:
            results.append(detect_and_check(eq, order, bounds, prefer))
        else:
            results.append(read_in_profile(eq, get_notation(notation), order, auto, bounds))
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
