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

import re
from dataclasses import replace
from typing import Sequence

from ..errors import BackpropVerifyError, FormulaSyntaxError, UnsupportedNotationError
from ..network import Architecture
from .check import CheckResult, check_formula
from .formula import parse_formula
from .indices import written_index
from .nodes import Add, Apply, Formula, Grad, Hat, Index, Neg, Node, Num, Ones, Prod, Sub, Sym, Transpose, walk
from .notation import Notation
from .parse import strip_math
from .profiles import NOTATIONS, get_notation
from .render import normalise

__all__ = ["check", "check_readings", "split_equations", "detect_notation", "DETECTION_ORDER", "MAX_INPUT",
           "MAX_EQUATIONS", "MAX_EXPANSION"]

MAX_INPUT = 20000
"""Most characters one :func:`check` call reads (all its equations together; each also has
:data:`~derivations.checker.parse.MAX_LENGTH`)."""

MAX_EQUATIONS = 16
"""Most equations on one line (separated by commas, ``\\quad``, ``\\\\``)."""

MAX_EXPANSION = 5000
"""Longest equation after substituting the ``\\leftarrow`` definitions (characters)."""

DETECTION_ORDER = ("paper", "dlai", "nielsen", "cs229", "tutorial", "ufldl", "coursera", "d2l", "cs231n",
                   "rowmajor")
"""Tie-break among profiles that read a formula equally well (earlier wins)."""

_STYLE_OF = {"paper": "_", "nielsen": "^", "dlai": "[", "cs229": "[", "rowmajor": "[", "tutorial": "(",
             "ufldl": "(", "coursera": "(", "d2l": "(", "cs231n": ""}


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


def _score(formula: Formula, prof: Notation) -> int:
    """How well the written index styles match the profile's usual one."""
    style = _STYLE_OF.get(prof.name, "")
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
            formula = parse_formula(latex, notation=prof)
        except BackpropVerifyError as err:
            errors[name] = str(err)
            continue
        fits.append((-_score(formula, prof), DETECTION_ORDER.index(name), name))
    if not fits:
        first = next(iter(errors.values()), "")
        raise UnsupportedNotationError(f"no notation profile reads this formula ({first})")
    fits.sort()
    return NOTATIONS[fits[0][2]], [f[2] for f in fits]


# -- ambiguous juxtaposition ----------------------------------------------------------------
def _shape(node: Node, prof: Notation):
    """A symbolic shape (rows, cols) of ``node``, "s" for a scalar, None when unknown."""
    if isinstance(node, Num) or (isinstance(node, Sym) and prof.symbols.get(node.key) in ("m", "lambda")):
        return "s"
    if isinstance(node, (Sym, Grad)):
        sym = node.wrt if isinstance(node, Grad) else node
        meaning = prof.symbols.get(sym.key)
        idx = written_index(sym, prof) if isinstance(sym, Sym) else None
        if meaning is None:
            return None
        base = meaning if not isinstance(node, Grad) else {"W": "dW", "b": "db"}.get(meaning, "N")
        ours = Index(idx.var, idx.offset + prof.offset(meaning)) if idx is not None else None
        layer = str(ours) if ours is not None else base
        before = str(Index(ours.var, ours.offset - 1)) if ours is not None else base + "-1"
        shape = {"W": (layer, before), "dW": (layer, before), "b": (layer, "1"),
                 "db": (layer, "1")}.get(base, (layer if idx is not None else base, "m"))
        return shape[::-1] if prof.layout == "rows" else shape
    if isinstance(node, Apply):
        return _shape(node.arg, prof)
    if isinstance(node, Transpose):
        inner = _shape(node.arg, prof)
        return inner[::-1] if isinstance(inner, tuple) else inner
    if isinstance(node, (Neg, Hat)):
        return _shape(node.arg, prof) if isinstance(node, Neg) else None
    if isinstance(node, (Add, Sub)):
        return _shape(node.left, prof)
    if isinstance(node, Prod):
        a, b = _shape(node.left, prof), _shape(node.right, prof)
        if a == "s" or b == "s":
            return b if a == "s" else a
        if a is None or b is None:
            return None
        return (a[0], b[1]) if node.op in ("dot", "juxt") else a
    if isinstance(node, Ones):
        return ("m", "1")
    return None


def _elementwise_reading(node: Node, prof: Notation) -> Node:
    """``node`` with every juxtaposition of two equal non-square shapes read element-wise."""
    changes = {f: _elementwise_reading(getattr(node, f), prof) for f in node.__dataclass_fields__
               if isinstance(getattr(node, f), Node)}
    node = replace(node, **changes) if changes else node
    if isinstance(node, Prod) and node.op == "juxt":
        a, b = _shape(node.left, prof), _shape(node.right, prof)
        if isinstance(a, tuple) and a == b and a[0] != a[1]:
            return replace(node, op="hadamard")
    return node


def _keys(formula: Formula) -> set[str]:
    """The symbol, function and objective keys a formula uses (bare objective names only)."""
    out = set()
    for side in (formula.lhs, formula.rhs):
        for node in walk(side):
            if isinstance(node, Sym):
                out.add(node.key)
                if node.index is not None and node.index.var:
                    out.add(node.index.var)  # the layer letters: L, n_l
            elif isinstance(node, Apply):
                out.add(node.fn.key)
            elif isinstance(node, Grad) and not node.per_sample:
                out.add(node.of)
    return out


def _select(latex: str, prof: Notation, order: str | None) -> Notation:
    """The profile itself, or a variant whose own symbols the formula uses (Coursera's Theta)."""
    for variant in prof.variants:
        if variant.selects:
            try:
                keys = _keys(parse_formula(latex, notation=variant.notation, order=order))
            except BackpropVerifyError:
                continue
            if keys & set(variant.selects):
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
    if order is None and prof.order == "left":
        other = parse_formula(latex, notation=prof, order="right")
        if (normalise(other.lhs), normalise(other.rhs)) != (normalise(primary.lhs), normalise(primary.rhs)):
            out = [("left to right", primary), ("right to left", other)]
    more = []
    for name, f in out:
        alt = Formula(f.text, f.lhs, _elementwise_reading(f.rhs, prof))
        if prof.juxtaposition != "ambiguous" or normalise(alt.rhs) == normalise(f.rhs):
            more.append((name, f, prof))
            continue
        lead = name + ", " if name else ""
        more.append((lead + "juxtaposition as matrix product", f, prof))
        more.append((lead + "juxtaposition element-wise", alt, prof))
    keys = _keys(primary)
    for variant in prof.variants:
        if keys & set(variant.when) and variant.notation is not prof:
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


def _one(latex: str, prof: Notation, order: str | None, detected: bool, options: dict) -> CheckResult:
    """Readings of the profile's own conventions (grouping, ``*``, juxtaposition) are equals: when
    the verdicts of the well-typed ones differ the formula is "ambiguous" (a reading that does not
    type-check is dropped, with a note, when another one does). A :class:`Variant` (another source
    behind the same symbols) is consulted only when they all fail: if it holds, "ambiguous" too."""
    prof = _select(latex, prof, order)
    readings = _readings(latex, prof, order)
    own = [(n, f, p) for n, f, p in readings if p is prof]
    variants = [(n, f, p) for n, f, p in readings if p is not prof]
    results, dropped = _well_typed([(n, check_formula(f, p, **options)) for n, f, p in own])
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
        results += [(n, check_formula(f, p, **options)) for n, f, p in variants]
        if not any(r.holds for _, r in results):
            note = "; ".join(f"read {n}: {r.status}" for n, r in results[1:])
            return replace(first, detected=detected, seconds=sum(r.seconds for _, r in results),
                           note="; ".join(x for x in (first.note, note) if x))
    return CheckResult(first.formula, prof.name, None, first.claim, first.architectures, first.instances,
                       None, sum(r.seconds for _, r in results),
                       "the profile does not fix this reading: the verdicts differ",
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
                   options: dict) -> CheckResult:
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
        return _check_equations(latex, equations, notation, auto, order, options)
    except RecursionError as err:
        raise UnsupportedNotationError("formula nested too deeply to read (RecursionError)") from err


def _check_equations(latex: str, equations: list[str], notation, auto: bool, order: str | None,
                     options: dict) -> CheckResult:
    results, definitions = [], {}
    for eq in equations:
        arrow = _ARROW.match(eq)
        target, eq = (arrow.group(1), arrow.group(2)) if arrow else (None, eq)
        eq = _substitute(eq, definitions)
        at = _top_level_eq(eq)
        if target is not None:
            definitions[target] = (eq if at < 0 else eq[:at]).strip()
            if at < 0:
                continue
        if auto:
            prof, fits = detect_notation(eq)
            result = _one(eq, prof, order, auto, options)
            if len(fits) > 1:
                also = f"these symbols also read in: {', '.join(fits[1:])} (use --notation NAME)"
                result = replace(result, note="; ".join(x for x in (result.note, also) if x))
            results.append(result)
            continue
        results.append(_one(eq, get_notation(notation), order, auto, options))
    if not results:
        raise UnsupportedNotationError(
            f"{latex.strip()}: an update g \\leftarrow ..., not an equation: g changes meaning at each "
            "step; write the claim it stands for (e.g. \\nabla_{a^{(k)}} J = \\nabla_{h^{(k)}} J \\odot "
            "f'(a^{(k)})), or define g first on the same line")
    if len(results) == 1:
        return results[0]
    holds = True if all(r.holds for r in results) else (False if any(r.holds is False for r in results)
                                                         else None)
    return CheckResult(latex, results[0].notation, holds, "several equations",
                       seconds=sum(r.seconds for r in results), parts=tuple(results), detected=auto)


def check(latex: str, *, notation: str | Notation = "paper", min_depth: int | None = None,
          max_depth: int | None = None, min_width: int = 1, max_width: int = 3,
          output_width: int | None = None, activations: Sequence[str] = ("sigma",),
          order: str | None = None, batch: int | None = None, form: str | None = None,
          architectures: Sequence[Architecture] | None = None, sweep: bool = False) -> CheckResult:
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

    Returns:
        A :class:`CheckResult`: holds, or the smallest counterexample (architecture, layer,
        entry, both sides' values at a point), or a shape failure naming the sub-expression.

    Raises:
        FormulaSyntaxError, UnsupportedNotationError: the formula cannot be read.
        ArchitectureError: bad bounds.

    >>> check(r"\\nabla_{W_i} f = \\Delta_i \\cdot \\Sigma_{i-1}^T", max_depth=2, max_width=2).holds
    True
    """
    return check_readings(latex, notation=notation, order=order, options=dict(
        min_depth=min_depth, max_depth=max_depth, min_width=min_width, max_width=max_width,
        output_width=output_width, activations=activations, batch=batch, form=form,
        architectures=architectures, sweep=sweep))
