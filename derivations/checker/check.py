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
from dataclasses import replace
from functools import lru_cache
from itertools import product
from typing import Iterable, Sequence

import sympy as sp

from ..errors import ArchitectureError, ShapeError, UnsupportedNotationError
from ..exact import Counterexample, compare, shape_failure
from ..network import Architecture, Network
from .display import in_profile_symbols
from .evaluate import (
    LayerOutOfRangeError,
    evaluate,
    index_uses,
    layer_range,
    our_layer,
    written_index,
)
from .indexforms import entry_matrix
from .nodes import Formula, Grad, Hat, Node, NpSum, Ones, SumBatch, Sym, Transpose
from .notation import Notation, describe_objective, parse_objective
from .parse import parse_tree, strip_math
from .profiles import get_notation
from .result import CheckResult
from .transform import to_formula

__all__ = ["CheckResult", "check", "check_formula", "parse_formula", "architectures_up_to", "MAX_ARCHITECTURES"]

MAX_ARCHITECTURES = 5000
"""Largest sweep accepted (depth 4, widths 1-3 is 120; depth 6, widths 1-4 is 5460)."""


def _prime_transposes(node: Node, prof: Notation) -> Node:
    """Octave's A' (transpose) in profiles with ``prime="transpose"``: a primed symbol the profile
    does not define, whose base it defines as a matrix, becomes a transpose."""
    changes = {f: _prime_transposes(getattr(node, f), prof) for f in node.__dataclass_fields__
               if isinstance(getattr(node, f), Node)}
    node = replace(node, **changes) if changes else node
    if isinstance(node, Sym) and node.primes and node.key not in prof.symbols \
            and node.key not in prof.functions and node.name in prof.symbols:
        out: Node = replace(node, primes=0)
        for _ in range(node.primes):
            out = Transpose(out, src=node.src, start=node.start, end=node.end)
        return out
    return node


def _hat_symbols(node: Node, prof: Notation) -> Node:
    """``\\hat{y}`` as one symbol in profiles that name it (the Deep Learning book's output)."""
    if isinstance(node, Hat) and isinstance(node.arg, Sym) and f"\\hat{{{node.arg.key}}}" in prof.symbols:
        return replace(node.arg, name=f"\\hat{{{node.arg.name}}}", src=node.src, start=node.start, end=node.end)
    changes = {f: _hat_symbols(getattr(node, f), prof) for f in node.__dataclass_fields__
               if isinstance(getattr(node, f), Node)}
    return replace(node, **changes) if changes else node


def parse_formula(latex: str, *, notation: str | Notation = "paper", order: str | None = None,
                  star: str | None = None) -> Formula:
    """Parse ``LHS = RHS`` (math delimiters allowed) into a :class:`Formula` AST.

    Raises:
        FormulaSyntaxError: malformed LaTeX, with line, column and a caret context.
        UnsupportedNotationError: parses but cannot be read (ellipsis, ^2, unknown symbol).
    """
    prof = get_notation(notation)
    if not isinstance(latex, str):
        raise UnsupportedNotationError(f"a formula must be a string, got {type(latex).__name__}")
    text = strip_math(latex)
    star = star or (prof.star if prof.star != "ambiguous" else "hadamard")
    formula = to_formula(parse_tree(text), text, order=order or prof.order, star=star, bullet=prof.bullet)
    if prof.prime == "transpose":
        formula = Formula(formula.text, _prime_transposes(formula.lhs, prof), _prime_transposes(formula.rhs, prof))
    if any(k.startswith("\\hat{") for k in prof.symbols):
        formula = Formula(formula.text, _hat_symbols(formula.lhs, prof), _hat_symbols(formula.rhs, prof))
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
def _network(arch: Architecture, batch: int, distribution: bool = False) -> Network:
    """The network (ground truths are memoised on it); ``distribution``: targets sum to 1 per sample."""
    if not distribution:
        return Network(arch, batch=batch)
    from ..ground_truth import cross_entropy

    return Network(arch, batch=batch, fixed=cross_entropy().constraints(Network(arch, batch=batch)))


def _uses_cce(prof: Notation) -> bool:
    specs = (*prof.losses.values(), prof.delta_objective, prof.default_loss)
    return any(parse_objective(s)[0] == "cce" for s in specs)


def _letters(formula: Formula, prof: Notation) -> tuple[list, str | None]:
    uses = [u for side in (formula.lhs, formula.rhs) for u in index_uses(side, prof)]
    free = sorted({idx.var for _, idx, _ in uses if idx is not None and idx.var
                   and idx.var != prof.last_layer and idx.var not in prof.last_aliases})
    if len(free) > 1:
        raise UnsupportedNotationError(
            f"at most one general layer index besides {prof.last_layer}, got {', '.join(free)}")
    return uses, (free[0] if free else None)


def _claim(lhs: Node, prof: Notation) -> str:
    if isinstance(lhs, Grad):
        return f"gradient of {lhs.of} = {describe_objective(prof.loss(lhs.of, lhs.per_sample))} w.r.t. {lhs.wrt.src}"
    if isinstance(lhs, Sym):
        meaning = prof.symbols.get(lhs.key, "")
        if meaning in ("Delta", "dA"):
            what = "pre-activation" if meaning == "Delta" else "activation"
            return f"{lhs.src} = gradient w.r.t. the {what} ({describe_objective(prof.delta_objective)})"
        if meaning in ("dW", "db"):
            return f"{lhs.src} = gradient of the loss ({describe_objective(prof.default_loss)})"
    return f"{lhs.src} as defined"


def _valid(uses: list, env: dict, depth: int, prof: Notation) -> bool:
    for meaning, idx, _ in uses:
        if idx is None:
            continue
        lo, hi = layer_range(meaning, depth, prof)
        if not lo <= our_layer(meaning, idx, env, prof) <= hi:
            return False
    return True


def _explicit(archs: Sequence[Architecture], form: str) -> list[Architecture]:
    out = []
    for a in archs:
        if not isinstance(a, Architecture):
            raise ArchitectureError(f"architectures must hold Architecture objects, got {a!r}")
        out.append(a if a.form == form or form != "affine" else a.with_(form="affine"))
    return out


def _lhs_layer(lhs: Node, env: dict, prof: Notation) -> int | None:
    """The LHS layer as the profile numbers it (the written index)."""
    target = lhs.wrt if isinstance(lhs, Grad) else lhs
    idx = written_index(target, prof) if isinstance(target, Sym) else None
    return None if idx is None else idx.value(env)


def _as_matrix(v) -> sp.Matrix:
    return v if isinstance(v, sp.MatrixBase) else sp.Matrix([[v]])


def _instances(formula: Formula, prof: Notation, archs: Iterable[Architecture]):
    """(architecture, env, reported layer) for every layer value making all indices valid."""
    uses, var = _letters(formula, prof)
    offsets = [idx.offset - prof.offset(m.removeprefix("grad_")) for m, idx, _ in uses
               if idx is not None and idx.var == var] or [0]
    for arch in archs:
        values = range(-max(offsets), arch.depth + 2 - min(offsets)) if var else [None]
        for j in values:
            env = {name: arch.depth + prof.last_offset for name in (prof.last_layer, *prof.last_aliases)}
            if var:
                env[var] = j
            if _valid(uses, env, arch.depth, prof):
                layer = _lhs_layer(formula.lhs, env, prof)
                yield arch, env, layer if layer is not None else j


def check(latex: str, *, notation: str | Notation = "paper", min_depth: int | None = None,
          max_depth: int | None = None, min_width: int = 1, max_width: int = 3,
          output_width: int | None = None, activations: Sequence[str] = ("sigma",),
          order: str | None = None, batch: int | None = None, form: str | None = None,
          architectures: Sequence[Architecture] | None = None) -> CheckResult:
    """Decide exactly whether the formula ``latex`` holds on every architecture in the bound.

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
    from .readings import check_readings  # ambiguity, detection, several equations

    return check_readings(latex, notation=notation, order=order, options=dict(
        min_depth=min_depth, max_depth=max_depth, min_width=min_width, max_width=max_width,
        output_width=output_width, activations=activations, batch=batch, form=form,
        architectures=architectures))


def _uses_batch(node: Node, prof: Notation) -> bool:
    if isinstance(node, (Ones, NpSum)) or (isinstance(node, SumBatch) and node.over == "samples"):
        return True
    if isinstance(node, Sym) and prof.symbols.get(node.key) == "m":
        return True
    return any(_uses_batch(getattr(node, f), prof) for f in node.__dataclass_fields__
               if isinstance(getattr(node, f), Node))


def _uses_default(node: Node, prof: Notation) -> bool:
    if isinstance(node, Sym) and node.index is None and node.key in prof.defaults:
        return True
    return any(_uses_default(getattr(node, f), prof) for f in node.__dataclass_fields__
               if isinstance(getattr(node, f), Node))


def _with_output(arch: Architecture, prof: Notation) -> Architecture:
    acts = arch.activations
    if prof.hidden_activation is not None:
        acts = (prof.hidden_activation,) * len(acts)
    if prof.output_activation is not None:
        acts = acts[:-1] + (prof.output_activation,)
    return arch if acts == arch.activations else arch.with_(activations=acts)


def check_formula(formula: Formula, prof: Notation, *, min_depth: int | None = None,
                  max_depth: int | None = None, min_width: int = 1, max_width: int = 3,
                  output_width: int | None = None, activations: Sequence[str] = ("sigma",),
                  batch: int | None = None, form: str | None = None,
                  architectures: Sequence[Architecture] | None = None) -> CheckResult:
    """The sweep of :func:`check` for one parsed formula in one profile (options as there)."""
    began = time.perf_counter()
    sides = (formula.lhs, formula.rhs)
    summed = prof.batch_if_summed if any(_uses_batch(n, prof) for n in sides) else None
    m = _check_bound("batch", batch if batch is not None else (summed or prof.batch))
    uses, _ = _letters(formula, prof)
    net_form = form or ("affine" if any(u[0] in ("b", "db", "grad_b") for u in uses) else prof.form)
    fixed = prof.fixed_depth if any(_uses_default(n, prof) for n in sides) else None
    if architectures is None:
        archs = architectures_up_to(
            min_depth=fixed or min_depth or 1, max_depth=fixed or max_depth or 4, min_width=min_width,
            max_width=max_width, output_width=output_width or prof.output_width,
            activations=activations, form=net_form)
    else:
        archs = sorted(_explicit(architectures, net_form), key=lambda a: (a.size, a.activations))
    archs = [_with_output(a, prof) for a in archs]
    try:
        return _sweep(formula, prof, archs, m, _claim(formula.lhs, prof), began)
    except RecursionError as err:
        raise UnsupportedNotationError("formula nested too deeply to evaluate") from err


def _sides(formula: Formula, net: Network, env: dict, prof: Notation) -> tuple[sp.Matrix, sp.Matrix]:
    """Both sides as matrices; an index form (delta^l_j = ...) entry by entry over its free neurons."""
    free = sorted(set(_free_neurons(formula.lhs)))
    if not free:
        return (_as_matrix(evaluate(formula.lhs, net, env, prof)),
                _as_matrix(evaluate(formula.rhs, net, env, prof)))
    return entry_matrix(formula.lhs, free, net, env, prof), entry_matrix(formula.rhs, free, net, env, prof,
                                                                        like=formula.lhs)


def _free_neurons(node: Node) -> list[str]:
    target = node.wrt if isinstance(node, Grad) else node
    return list(target.neurons) if isinstance(target, Sym) else []


def _sweep(formula: Formula, prof: Notation, archs: list, m: int, claim: str, began: float) -> CheckResult:
    seen, count, undecided = [], 0, False

    def result(holds, ce=None, note=""):
        return CheckResult(formula.text, prof.name, holds, claim, tuple(seen), count, ce,
                           time.perf_counter() - began, note)

    for arch, env, layer in _instances(formula, prof, archs):
        net = _network(arch, m, _uses_cce(prof))
        if not seen or seen[-1] != arch:
            seen.append(arch)
        count += 1
        try:
            lhs, rhs = _sides(formula, net, env, prof)
        except ShapeError as err:
            return result(False, shape_failure(net, layer, err, f"`{formula.rhs.src}`"))
        except LayerOutOfRangeError as err:  # pragma: no cover - _valid filters these
            raise UnsupportedNotationError(str(err)) from None
        outcome = compare(net, rhs, lhs, layer=layer, what="the right-hand side",
                          truth_name=f"the left-hand side {formula.lhs.src}")
        if isinstance(outcome, Counterexample):
            return result(False, in_profile_symbols(outcome, prof, _letters(formula, prof)[1]))
        undecided = undecided or outcome == "undecided"
    if not count:
        if _letters(formula, prof)[1] is None:
            raise UnsupportedNotationError(
                f"{formula.text}: a layer index names no layer of any network in the bound in the "
                f"{prof.name} numbering ({prof.description})")
        return result(None, note="no architecture in the bound gives every layer index a valid value")
    if undecided:
        return result(None, note="non-zero difference but no witness point found (softplus/ReLU)")
    return result(True)
