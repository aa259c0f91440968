"""Check a LaTeX formula exactly against the ground truth on every architecture up to a bound.

``check(latex)`` parses ``LHS = RHS``, resolves its symbols in a notation profile,
and sweeps the architectures (depth min_depth..max_depth, hidden widths
min_width..max_width, output width ``output_width``) in increasing
``Architecture.size``, every layer that makes all indices valid. The first failure
is the smallest counterexample (from :func:`derivations.exact.compare`, or a shape
failure naming the sub-expression); otherwise the formula holds exactly there.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache
from itertools import product
from typing import Iterable, Sequence

import sympy as sp

from ..errors import ArchitectureError, ShapeError, UnsupportedNotationError
from ..exact import Counterexample, Verdict, compare, shape_failure
from ..network import Architecture, Network
from .evaluate import LayerOutOfRangeError, evaluate, index_uses, layer_range
from .nodes import Formula, Grad, Index, Node, Sym
from .notation import Notation, get_notation
from .parse import parse_tree, strip_math
from .transform import to_formula

__all__ = ["CheckResult", "check", "parse_formula", "architectures_up_to", "MAX_ARCHITECTURES"]

MAX_ARCHITECTURES = 5000
"""Largest sweep accepted (depth 4, widths 1-3 is 120; depth 6, widths 1-4 is 5460)."""


@dataclass(frozen=True)
class CheckResult:
    """The verdict on one formula.

    Attributes:
        formula: the LaTeX text checked.
        notation: the profile's name.
        holds: True (exact identity on every instance), False (counterexample), None (undecided).
        claim: what the left-hand side states, in words.
        architectures: every architecture on which at least one layer was checked.
        instances: how many (architecture, layer) pairs were checked.
        counterexample: the smallest counterexample when ``holds`` is False.
        seconds: wall time.
        note: why undecided, or other information.
        line, label: position and label in a formula file (None / "" for a single formula).
        error: for a file entry that could not be read: the error message (holds is None).
    """

    formula: str
    notation: str
    holds: bool | None
    claim: str = ""
    architectures: tuple[Architecture, ...] = ()
    instances: int = 0
    counterexample: Counterexample | None = None
    seconds: float = 0.0
    note: str = ""
    line: int | None = None
    label: str = ""
    error: str = ""

    @property
    def status(self) -> str:
        """'holds exactly', 'fails', 'undecided' or 'error'."""
        if self.error:
            return "error"
        return {True: "holds exactly", False: "fails", None: "undecided"}[self.holds]

    @property
    def verdict(self) -> Verdict:
        """The same outcome as a :class:`derivations.exact.Verdict`."""
        return Verdict(self.formula, self.holds, self.architectures, self.counterexample, self.seconds,
                       note=self.note or self.error)

    def summary(self) -> str:
        """One or two readable lines."""
        where = f"line {self.line}: " if self.line is not None else ""
        if self.label:
            where = f"{where[:-2]} [{self.label}]: " if where else f"[{self.label}] "
        if self.error:
            return f"{where}{self.formula}\n  error: {self.error}"
        text = f"{where}{self.formula}\n  {self.status}"
        if self.holds:
            text += f" ({self.claim}) on {len(self.architectures)} architectures, {self.instances} layers"
            depths = sorted({a.depth for a in self.architectures})
            widths = sorted({n for a in self.architectures for n in a.widths})
            if depths:
                text += f", depths {depths[0]}-{depths[-1]}, widths {widths[0]}-{widths[-1]}"
        elif self.counterexample is not None:
            text += f": {self.counterexample.message}"
        if self.note:
            text += f"\n  note: {self.note}"
        return text

    __str__ = summary

    def to_dict(self) -> dict:
        """A JSON-ready dictionary."""
        ce = self.counterexample
        return {
            "formula": self.formula, "notation": self.notation, "status": self.status,
            "holds": self.holds, "claim": self.claim, "line": self.line, "label": self.label,
            "architectures": [a.label() for a in self.architectures], "instances": self.instances,
            "seconds": round(self.seconds, 3), "note": self.note, "error": self.error,
            "counterexample": None if ce is None else {
                "architecture": ce.architecture.label(), "widths": list(ce.architecture.widths),
                "layer": ce.layer, "entry": None if ce.entry is None else list(ce.entry),
                "point": dict(ce.point), "formula_value": ce.formula_value, "truth_value": ce.truth_value,
                "kind": ce.kind, "message": ce.message},
        }

    def _repr_latex_(self) -> str:
        return f"${self.formula}$: \\text{{{self.status}}}"


def parse_formula(latex: str, *, notation: str | Notation = "paper", order: str | None = None) -> Formula:
    """Parse ``LHS = RHS`` (math delimiters allowed) into a :class:`Formula` AST.

    Raises:
        FormulaSyntaxError: malformed LaTeX, with line, column and a caret context.
        UnsupportedNotationError: parses but cannot be read (ellipsis, ^2, unknown symbol).
    """
    prof = get_notation(notation)
    if not isinstance(latex, str):
        raise UnsupportedNotationError(f"a formula must be a string, got {type(latex).__name__}")
    text = strip_math(latex)
    formula = to_formula(parse_tree(text), text, order=order or prof.order)
    try:
        for side in (formula.lhs, formula.rhs):
            list(index_uses(side, prof))  # unknown symbols fail now, not in the sweep
    except RecursionError as err:
        raise UnsupportedNotationError("formula nested too deeply") from err
    return formula


def _check_bound(name: str, value, lowest: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < lowest:
        raise ArchitectureError(f"{name} must be an integer >= {lowest}, got {name}={value!r}")
    return value


def architectures_up_to(*, min_depth: int = 1, max_depth: int = 4, min_width: int = 1, max_width: int = 3,
                        output_width: int = 1, activations: Sequence[str] = ("sigma",),
                        form: str = "homogeneous") -> list[Architecture]:
    """All architectures in the bound, smallest first (``Architecture.size``).

    Hidden and input widths range over min_width..max_width; the output width is fixed.

    >>> [a.label() for a in architectures_up_to(max_depth=1, max_width=2)]
    ['[1,1] sigma', '[2,1] sigma']
    """
    for name, value in (("min_depth", min_depth), ("max_depth", max_depth), ("min_width", min_width),
                        ("max_width", max_width), ("output_width", output_width)):
        _check_bound(name, value)
    if min_depth > max_depth:
        raise ArchitectureError(f"Cannot have max_depth={max_depth} < min_depth={min_depth}")
    if min_width > max_width:
        raise ArchitectureError(f"Cannot have max_width={max_width} < min_width={min_width}")
    acts = [activations] if isinstance(activations, str) else list(activations)
    count = len(acts) * sum((max_width - min_width + 1) ** d for d in range(min_depth, max_depth + 1))
    if count > MAX_ARCHITECTURES:
        raise ArchitectureError(f"the bound spans {count} architectures, more than "
                                f"MAX_ARCHITECTURES={MAX_ARCHITECTURES}; lower max_depth or max_width")
    out = [Architecture(ws + (output_width,), act, form)
           for d in range(min_depth, max_depth + 1)
           for ws in product(range(min_width, max_width + 1), repeat=d) for act in acts]
    return sorted(out, key=lambda a: (a.size, a.activations))


@lru_cache(maxsize=256)
def _network(arch: Architecture, batch: int) -> Network:
    return Network(arch, batch=batch)  # ground truths are memoised on the network


def _letters(formula: Formula, prof: Notation) -> tuple[list, str | None]:
    uses = [u for side in (formula.lhs, formula.rhs) for u in index_uses(side, prof)]
    free = sorted({idx.var for _, idx, _ in uses if idx is not None and idx.var
                   and idx.var != prof.last_layer})
    if len(free) > 1:
        raise UnsupportedNotationError(
            f"at most one general layer index besides {prof.last_layer}, got {', '.join(free)}")
    return uses, (free[0] if free else None)


def _claim(lhs: Node, prof: Notation) -> str:
    if isinstance(lhs, Grad):
        return f"gradient of {lhs.of} w.r.t. {lhs.wrt.src}"
    if isinstance(lhs, Sym):
        meaning = prof.symbols.get(lhs.key, "")
        if meaning == "Delta":
            return f"{lhs.src} = gradient w.r.t. the pre-activation ({prof.delta_objective})"
        if meaning in ("dW", "db"):
            return f"{lhs.src} = gradient of the loss ({prof.default_loss} sum of squares)"
    return f"{lhs.src} as defined"


def _valid(uses: list, env: dict, depth: int, prof: Notation) -> bool:
    for meaning, idx, _ in uses:
        if idx is None:
            continue
        lo, hi = layer_range(meaning, depth, prof)
        if not lo <= idx.value(env) <= hi:
            return False
    return True


def _explicit(archs: Sequence[Architecture], form: str) -> list[Architecture]:
    out = []
    for a in archs:
        if not isinstance(a, Architecture):
            raise ArchitectureError(f"architectures must hold Architecture objects, got {a!r}")
        out.append(a if a.form == form or form != "affine" else a.with_(form="affine"))
    return out


def _lhs_layer(lhs: Node, env: dict) -> int | None:
    target = lhs.wrt if isinstance(lhs, Grad) else lhs
    if isinstance(target, Sym) and isinstance(target.index, Index):
        return target.index.value(env)
    return None


def _as_matrix(v) -> sp.Matrix:
    return v if isinstance(v, sp.MatrixBase) else sp.Matrix([[v]])


def _instances(formula: Formula, prof: Notation, archs: Iterable[Architecture]):
    """(architecture, env, reported layer) for every layer value making all indices valid."""
    uses, var = _letters(formula, prof)
    offsets = [idx.offset for _, idx, _ in uses if idx is not None and idx.var == var] or [0]
    for arch in archs:
        values = range(-max(offsets), arch.depth + 2 - min(offsets)) if var else [None]
        for j in values:
            env = {prof.last_layer: arch.depth}
            if var:
                env[var] = j
            if _valid(uses, env, arch.depth, prof):
                layer = _lhs_layer(formula.lhs, env)
                yield arch, env, layer if layer is not None else j


def check(latex: str, *, notation: str | Notation = "paper", min_depth: int = 1, max_depth: int = 4,
          min_width: int = 1, max_width: int = 3, output_width: int = 1,
          activations: Sequence[str] = ("sigma",), order: str | None = None,
          batch: int | None = None, form: str | None = None,
          architectures: Sequence[Architecture] | None = None) -> CheckResult:
    """Decide exactly whether the formula ``latex`` holds on every architecture in the bound.

    Args:
        latex: ``LHS = RHS`` in the notation's symbols (``$..$`` delimiters allowed).
        notation: "paper", "tutorial" or a :class:`Notation`.
        min_depth, max_depth, min_width, max_width, output_width: the architectures swept.
        activations: activation names; the default abstract "sigma" decides for every activation.
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
    began = time.perf_counter()
    prof = get_notation(notation)
    formula = parse_formula(latex, notation=prof, order=order)
    m = _check_bound("batch", batch if batch is not None else prof.batch)
    uses, _ = _letters(formula, prof)
    net_form = form or ("affine" if any(u[0] in ("b", "db", "grad_b") for u in uses) else prof.form)
    if architectures is None:
        archs = architectures_up_to(min_depth=min_depth, max_depth=max_depth, min_width=min_width,
                                    max_width=max_width, output_width=output_width,
                                    activations=activations, form=net_form)
    else:
        archs = sorted(_explicit(architectures, net_form), key=lambda a: (a.size, a.activations))
    claim = _claim(formula.lhs, prof)
    try:
        return _sweep(formula, prof, archs, m, claim, began)
    except RecursionError as err:
        raise UnsupportedNotationError("formula nested too deeply to evaluate") from err


def _sweep(formula: Formula, prof: Notation, archs: list, m: int, claim: str, began: float) -> CheckResult:
    seen, count, undecided = [], 0, False

    def result(holds, ce=None, note=""):
        return CheckResult(formula.text, prof.name, holds, claim, tuple(seen), count, ce,
                           time.perf_counter() - began, note)

    for arch, env, layer in _instances(formula, prof, archs):
        net = _network(arch, m)
        if not seen or seen[-1] != arch:
            seen.append(arch)
        count += 1
        try:
            lhs = _as_matrix(evaluate(formula.lhs, net, env, prof))
            rhs = _as_matrix(evaluate(formula.rhs, net, env, prof))
        except ShapeError as err:
            return result(False, shape_failure(net, layer, err, f"`{formula.rhs.src}`"))
        except LayerOutOfRangeError as err:  # pragma: no cover - _valid filters these
            raise UnsupportedNotationError(str(err)) from None
        outcome = compare(net, rhs, lhs, layer=layer, what="the right-hand side")
        if isinstance(outcome, Counterexample):
            return result(False, outcome)
        undecided = undecided or outcome == "undecided"
    if not count:
        return result(None, note="no architecture in the bound gives every layer index a valid value")
    if undecided:
        return result(None, note="non-zero difference but no witness point found (softplus/ReLU)")
    return result(True)
