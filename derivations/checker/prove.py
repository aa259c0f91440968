"""Proofs for every architecture: one exact check on a local model, at sizes past an index bound.

The argument is written out in ``docs/proofs.md``; in short:

* **Depth.** A formula whose layer indices are one letter i plus fixed offsets names a block of
  layers lo..hi around i. On a network of any depth, everything below the block enters only as
  the column Sigma_{lo-1}, and everything above only as grad_{Sigma_hi} of the objective, a
  column V of free symbols (a per-sample loss l has V = grad l; the loss scale stays). So the
  formula holds on every network iff it holds on the *local model*: a network of depth
  hi - lo + 1 with input Sigma_{lo-1} and seed V (plus the block with the output layer's
  activation on top, and with the paper's seed layer W_{k+1} = I, Delta_{k+1} = V). A formula
  anchored at the last layer (k, L, Y, the output) is checked on the real network of the
  smallest depth its indices allow; one anchored at the first layers (absolute numbers, X), on
  layers 1..hi with a seed above and on the network of depth hi.
* **Widths and m.** Both sides are sums over index variables of products of entries. If no
  term has more than b index variables of one dimension, the identity holds for every size
  once it holds at sizes >= b, provided the coefficients do not depend on the sizes; where
  they do (1/m, m, the ones column, sums of constants, broadcasting), they are polynomials of
  degree <= D_d in a size n_d after clearing 1/m, so D_d + 1 values of n_d are checked.
  b is bounded by the largest number of factors in a product of the formula
  (:func:`index_bound`); the D_d are counted on the evaluation (:func:`recording_constants`).

A formula outside this (both ends named, several objectives of different kinds, softmax
layers, a cross-entropy whose targets sum to one) is not proved: :func:`plan` says why, and the
checker falls back to the sweep and says so.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace

from ..exact import Counterexample
from ..network import Architecture, Network
from .evaluate import recording_constants
from .instance import check_instance, letters, lhs_layer, valid_layers
from .nodes import Add, Apply, Formula, Grad, Hat, Neg, Node, NpSum, Num, Ones, Prod, Sub, SumBatch, Sym, Transpose
from .notation import Notation, parse_objective

__all__ = ["Proof", "Plan", "Failure", "plan", "run", "realise", "shrink", "index_bound", "MAX_POINTS"]

MAX_POINTS = 32
"""Most size points one model is checked at (the grid for size-dependent coefficients)."""

_INPUT = ("Sigma", "X", "dA")
"""Meanings a local model's input column can stand for (Sigma_{lo-1})."""
_TOP = ("Y", "V", "output")
"""Index-free meanings of the last layer."""


@dataclass(frozen=True)
class Proof:
    """The certificate of a formula proved for every architecture.

    Attributes:
        method: how every depth is covered, in words.
        min_depth: the formula is proved on every network of depth k >= min_depth.
        width_bound: b, the most index variables of one dimension in a term; widths >= b checked.
        batch: "m = 1 (one sample)", "m fixed by --batch", or "every m".
        degrees: dimension -> D_d, the degree of the coefficients in that size (m: 1/m counted).
        models: the networks checked, as "label, m=..." strings.
        output_width: n_k when the notation fixes it, else None (every n_k).
        architectures: the architectures of ``models``.
    """

    method: str
    min_depth: int
    width_bound: int
    batch: str
    degrees: dict = field(default_factory=dict)
    models: tuple[str, ...] = ()
    output_width: int | None = None
    architectures: tuple[Architecture, ...] = ()
    max_depth: int | None = None

    def scope(self) -> str:
        """'depth k >= 2, every width, n_k = 1, every m'."""
        nk = "every n_k" if self.output_width is None else f"n_k = {self.output_width}"
        depth = f"depth k >= {self.min_depth}" if self.max_depth is None else (
            f"depth k = {self.min_depth}" if self.max_depth == self.min_depth
            else f"depths k = {self.min_depth}..{self.max_depth}")
        return f"{depth}, every width, {nk}, {self.batch}"

    def __str__(self) -> str:
        degrees = ", ".join(f"{d}: {v}" for d, v in self.degrees.items() if v)
        return (f"proved for every architecture ({self.scope()}); method: {self.method}; index bound "
                f"{self.width_bound}" + (f", coefficient degrees {degrees}" if degrees else "")
                + f"; checked exactly on {len(self.models)} network(s): {'; '.join(self.models[:4])}"
                + (" ..." if len(self.models) > 4 else ""))

    def to_dict(self) -> dict:
        return {"method": self.method, "min_depth": self.min_depth, "width_bound": self.width_bound,
                "batch": self.batch, "degrees": dict(self.degrees), "models": list(self.models),
                "output_width": self.output_width, "scope": self.scope()}


@dataclass(frozen=True)
class _Model:
    """One network shape a proof checks: depth, activations, binding of the letters, seed or loss."""

    depth: int
    activations: tuple[str, ...]
    env: tuple[tuple[str, int], ...]
    seeded: bool
    top_width: int | None
    what: str


@dataclass(frozen=True)
class Plan:
    """What a proof of one formula checks (or why it cannot be proved: ``reason``)."""

    models: tuple[_Model, ...] = ()
    method: str = ""
    min_depth: int = 1
    reason: str = ""
    seeded_profile: Notation | None = None
    max_depth: int | None = None
    empty: bool = False


# -- the index bound ---------------------------------------------------------------------
def index_bound(node: Node, prof: Notation) -> int:
    """An upper bound on the index variables of one dimension in a term of ``node``'s entries.

    Every leaf (a symbol, a ground-truth gradient, an application sigma'(z)) has at most one
    index variable per dimension on a local model (its free indices, and one path index per
    layer for a gradient); a product has at most the sum of its factors', a sum the maximum.
    """
    if isinstance(node, Num):
        return 0
    if isinstance(node, Sym):
        return 0 if prof.symbols.get(node.key) in ("m", "lambda") else 1
    if isinstance(node, (Ones, Grad)):
        return 1
    if isinstance(node, Apply):
        if node.fn.key in prof.functions:
            return 1
        return index_bound(node.fn, prof) + index_bound(node.arg, prof)
    if isinstance(node, (Transpose, Hat, Neg, NpSum)):
        return index_bound(node.arg, prof)
    if isinstance(node, (Add, Sub)):
        return max(index_bound(node.left, prof), index_bound(node.right, prof))
    if isinstance(node, Prod):
        return index_bound(node.left, prof) + index_bound(node.right, prof)
    if isinstance(node, SumBatch):  # the summed index is one of the body's (or a constant's: D_d)
        return index_bound(node.body, prof)
    return sum(index_bound(getattr(node, f), prof) for f in node.__dataclass_fields__
               if isinstance(getattr(node, f), Node)) or 1


def _has_kron(node: Node) -> bool:
    if isinstance(node, Prod) and node.op == "kron":
        return True
    return any(_has_kron(getattr(node, f)) for f in node.__dataclass_fields__ if isinstance(getattr(node, f), Node))


# -- the plan ----------------------------------------------------------------------------------
def _objective_specs(formula: Formula, prof: Notation, uses: list) -> list[str]:
    specs = []
    for meaning, _, node in uses:
        base = meaning.removeprefix("grad_")
        if meaning.startswith("grad_"):
            parent = _grad_of(formula, node)
            if parent is not None:
                specs.append(prof.loss(parent.of, parent.per_sample))
        elif base in ("Delta", "dA"):
            specs.append(prof.delta_objective)
        elif base in ("dW", "db"):
            specs.append(prof.default_loss)
    return specs


def _grad_of(formula: Formula, wrt: Node) -> Grad | None:
    stack = [formula.lhs, formula.rhs]
    while stack:
        node = stack.pop()
        if isinstance(node, Grad) and node.wrt is wrt:
            return node
        stack.extend(getattr(node, f) for f in node.__dataclass_fields__ if isinstance(getattr(node, f), Node))
    return None


def _seed(spec: str) -> str:
    kind, scale, wd = parse_objective(spec)
    if kind in ("wd", "omega"):
        return spec
    return f"seed {scale}" + (f" + wd {wd}" if wd else "")


def _rels(uses: list, prof: Notation, var: str | None) -> tuple[set, list]:
    """(anchors, [(meaning, layer relative to its anchor)])."""
    anchors, rels = set(), []
    for meaning, idx, _ in uses:
        base = meaning.removeprefix("grad_")
        if idx is None:
            if base in ("X",):
                anchors.add("bottom")
                rels.append((meaning, 0))
            elif base in _TOP:
                anchors.add("top")
                rels.append((meaning, 0))
            continue
        rel = idx.offset + prof.offset(base)
        if idx.var is None:
            anchors.add("bottom")
        elif idx.var == var:
            anchors.add("free")
        else:
            anchors.add("top")
            rel += prof.last_offset
        rels.append((meaning, rel))
    return anchors, rels


def _span(rels: list) -> tuple[int, int]:
    """(lowest layer needed, highest layer named); an input column Sigma_j needs only layer j+1."""
    lows = [r + 1 if m.removeprefix("grad_") in _INPUT else r for m, r in rels]
    return min(lows), max(r for _, r in rels)


def _virtual_top(rels: list, prof: Notation) -> bool:
    """Only W and Delta at the highest layer: with the paper's seed layer it may be k+1."""
    hi = max(r for _, r in rels)
    return prof.top_seed and all(m in ("W", "Delta") for m, r in rels if r == hi)


def plan(formula: Formula, prof: Notation, *, activations: tuple[str, ...], output_width: int | None,
         depths: tuple[int, ...] | None = None, depth_words: str = "",
         cross_entropy_targets: bool = False) -> Plan:
    """The models that prove ``formula`` for every architecture, or a Plan with ``reason`` set
    (``empty``: no layer of any network fits its indices).

    ``activations``: the hidden layers' activation (one name; the output layer takes the
    profile's output activation); ``output_width``: a fixed n_k or None; ``depths``: only these
    depths (fixed by the notation or asked for, ``depth_words`` says which), not every depth.
    """
    the_plan = _plan(formula, prof, activations[0], output_width, depths, depth_words, cross_entropy_targets)
    uses, _ = letters(formula, prof)
    kept = tuple(mod for mod in the_plan.models if valid_layers(uses, dict(mod.env), mod.depth, prof))
    if the_plan.reason or kept == the_plan.models:
        return the_plan
    if not kept or the_plan.models[0] not in kept:
        return Plan(reason="no layer of any network fits the indices", empty=True)
    return replace(the_plan, models=kept)


def _plan(formula, prof, hidden, output_width, depths, depth_words, cross_entropy_targets) -> Plan:
    uses, var = letters(formula, prof)
    out_act = prof.output_activation or hidden
    if "softmax" in (hidden, out_act):
        return Plan(reason="a softmax layer ties its outputs together (they sum to 1)")
    specs = _objective_specs(formula, prof, uses)
    anchors, rels = _rels(uses, prof, var)
    if depths is not None:
        return _fixed_plan(prof, uses, var, depths, depth_words, hidden, out_act, output_width, specs,
                           cross_entropy_targets)
    if len(anchors) > 1:
        names = {"free": f"a general layer {var}", "top": "the last layer", "bottom": "the first layers"}
        return Plan(reason="the formula names " + " and ".join(names[a] for a in sorted(anchors))
                    + ": no local model covers every depth")
    if not rels:
        anchors, rels = {"top"}, [("output", 0)]
    anchor = next(iter(anchors))
    lo, hi = _span(rels)
    if anchor == "top":
        return _top_plan(prof, lo, hi, hidden, out_act, output_width, specs, cross_entropy_targets)
    seeded = _seeded_profile(prof, specs)
    if isinstance(seeded, str):
        return Plan(reason=seeded)
    if anchor == "bottom":
        return _bottom_plan(prof, rels, lo, hi, hidden, out_act, output_width, seeded)
    return _free_plan(prof, rels, var, lo, hi, hidden, out_act, output_width, seeded)


def _seeded_profile(prof: Notation, specs: list[str]) -> Notation | str:
    kinds = {parse_objective(s)[0] for s in specs} - {"wd", "omega"}
    if len(kinds) > 1:
        return (f"the formula relates different objectives ({', '.join(sorted(kinds))}): one seed V "
                "cannot stand for both")
    return replace(prof, losses={k: _seed(v) for k, v in prof.losses.items()},
                   delta_objective=_seed(prof.delta_objective), default_loss=_seed(prof.default_loss),
                   variants=())


def _env(prof: Notation, var: str | None, value: int | None, depth: int) -> tuple:
    env = {name: depth + prof.last_offset for name in (prof.last_layer, *prof.last_aliases)}
    if var is not None:
        env[var] = value
    return tuple(sorted(env.items()))


def _free_plan(prof, rels, var, lo, hi, hidden, out_act, output_width, seeded) -> Plan:
    depth = max(hi - lo + 1, 1)
    j = 1 - lo  # the letter's value that puts the lowest layer needed at 1
    block = (f"layers {var}{lo:+d}..{var}{hi:+d}" if hi > lo else f"layer {var}{hi:+d}").replace("+0", "")
    models = [_Model(depth, (hidden,) * depth, _env(prof, var, j, depth), True, None,
                     f"{block} with the gradient from above as a free column V")]
    if out_act != hidden or output_width is not None:
        models.append(_Model(depth, (hidden,) * (depth - 1) + (out_act,), _env(prof, var, j, depth), True,
                             output_width, f"{block} with the output layer on top"))
    min_depth = depth
    if _virtual_top(rels, prof) and depth > 1:
        models.append(_Model(depth - 1, (hidden,) * (depth - 2) + (out_act,), _env(prof, var, j, depth - 1),
                             False, output_width, f"{block} where {var}{hi:+d} is the seed layer k+1"))
        min_depth = depth - 1
    return Plan(tuple(models), f"local identity on {block}, the layers below as a free input column, "
                               "the layers above as a free gradient column", min_depth, seeded_profile=seeded)


def _bottom_plan(prof, rels, lo, hi, hidden, out_act, output_width, seeded) -> Plan:
    depth = max(hi, 1)
    models = [_Model(depth, (hidden,) * depth, _env(prof, None, None, depth), True, None,
                     f"layers 1..{depth} with the gradient from above as a free column V"),
              _Model(depth, (hidden,) * (depth - 1) + (out_act,), _env(prof, None, None, depth), True,
                     output_width, f"layers 1..{depth} as the whole network")]
    min_depth = depth
    if _virtual_top(rels, prof) and depth > 1:
        models.append(_Model(depth - 1, (hidden,) * (depth - 2) + (out_act,), _env(prof, None, None, depth - 1),
                             False, output_width, f"layer {depth} as the seed layer k+1"))
        min_depth = depth - 1
    return Plan(tuple(models), f"local identity on layers 1..{depth} with the layers above as a free "
                               "gradient column, and the network of depth " + str(depth), min_depth,
                seeded_profile=seeded)


def _top_plan(prof, lo, hi, hidden, out_act, output_width, specs, targets) -> Plan:
    if targets and any(parse_objective(s)[0] == "cce" for s in specs):
        return Plan(reason="cross-entropy targets that sum to 1 tie the outputs together")
    depth = max(1 - lo, 1)
    model = _Model(depth, (hidden,) * (depth - 1) + (out_act,), _env(prof, None, None, depth), False,
                   output_width, f"the last {depth} layer(s) as the whole network")
    return Plan((model,), f"the top block: the last {depth} layer(s), everything below as a free input "
                          "column", depth)


def _fixed_plan(prof, uses, var, depths, words, hidden, out_act, output_width, specs, targets) -> Plan:
    if targets and any(parse_objective(s)[0] == "cce" for s in specs):
        return Plan(reason="cross-entropy targets that sum to 1 tie the outputs together")
    models = []
    for depth in depths:
        acts = (hidden,) * (depth - 1) + (out_act,)
        for j in [None] if var is None else range(-depth - 2, depth + 3):
            env = dict(_env(prof, var, j, depth))
            if valid_layers(uses, env, depth, prof):
                models.append(_Model(depth, acts, tuple(sorted(env.items())), False, output_width,
                                     f"the network of depth {depth}" + (f", {var} = {j}" if var else "")))
    if not models:
        return Plan(reason="no layer of any network in the bound fits the indices", empty=True)
    return Plan(tuple(models), words, min(m.depth for m in models), max_depth=max(m.depth for m in models))


# -- running a plan ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Failure:
    """A model on which the formula failed: the counterexample there and how to rebuild the model."""

    counterexample: Counterexample
    model: _Model
    widths: tuple[int, ...]
    m: int


def _primes(start: int):
    n = max(start, 2)
    while True:
        if all(n % d for d in range(2, int(n ** 0.5) + 1)):
            yield n
        n += 1


def _base_sizes(model: _Model, b: int, m_fixed: int | None, kron: bool) -> tuple[list[int], int]:
    """Distinct sizes >= b (>= 2) for the free dimensions n_0..n_L, m; primes with a Kronecker product."""
    taken = {1, model.top_width, m_fixed} - {None}
    pool = (n for n in (_primes(max(b, 2)) if kron else itertools.count(max(b, 2))) if n not in taken)
    widths = [next(pool) for _ in range(model.depth)]
    widths.append(model.top_width if model.top_width is not None else next(pool))
    return widths, (m_fixed if m_fixed is not None else next(pool))


def _dimensions(model: _Model, widths: list[int], m: int, m_fixed: int | None) -> dict[str, int]:
    dims = {f"n_{t}": n for t, n in enumerate(widths) if not (t == model.depth and model.top_width is not None)}
    if m_fixed is None:
        dims["m"] = m
    return dims


def _degrees(seen: set, dims: dict[str, int], m_free: bool) -> dict[str, int]:
    """D_d: how many constant sites (node, axis) lie along each free dimension (+1 for m: the 1/m)."""
    by_size = {n: d for d, n in dims.items()}
    out = {d: len({(site, axis) for site, axis, n in seen if by_size.get(n) == d}) for d in dims}
    if m_free:
        out["m"] += 1
    return out


def _network(model: _Model, widths, m: int, form: str) -> Network:
    arch = Architecture(tuple(widths), model.activations, form)
    return Network(arch, batch=m, free_seed=model.seeded)


def run(formula: Formula, prof: Notation, the_plan: Plan, *, form: str, m_fixed: int | None,
        output_width: int | None, batch_words: str) -> Proof | Failure | str:
    """Check every model of ``the_plan`` at its size points: a Proof, the first Failure, or
    "undecided" / a reason (too many size points) as a string."""
    b = max(index_bound(formula.lhs, prof), index_bound(formula.rhs, prof), 1)
    kron = _has_kron(formula.rhs) or _has_kron(formula.lhs)
    checked, archs, all_degrees = [], [], {}
    for model in the_plan.models:
        local = the_plan.seeded_profile if model.seeded else prof
        env = dict(model.env)
        layer = lhs_layer(formula.lhs, env, prof)
        widths, m = _base_sizes(model, b, m_fixed, kron)
        dims = _dimensions(model, widths, m, m_fixed)
        with recording_constants() as seen:
            outcome = _one(formula, local, model, widths, m, form, env, layer)
        archs.append(Architecture(tuple(widths), model.activations, form))
        checked.append(f"{archs[-1].label()}, m={m}")
        if outcome is not None:
            return outcome if isinstance(outcome, str) else Failure(outcome, model, tuple(widths), m)
        degrees = _degrees(seen, dims, m_fixed is None)
        grid = [range(degrees[d] + 1) for d in dims]
        if len(list(itertools.product(*grid))) > MAX_POINTS:
            return (f"the coefficients depend on the sizes with degrees {degrees}: more than {MAX_POINTS} "
                    "size points would be needed")
        for offsets in itertools.product(*grid):
            if not any(offsets):
                continue
            point = {d: n + k for (d, n), k in zip(dims.items(), offsets, strict=True)}
            ws = [point.get(f"n_{t}", n) for t, n in enumerate(widths)]
            mm = point.get("m", m)
            outcome = _one(formula, local, model, ws, mm, form, env, layer)
            archs.append(Architecture(tuple(ws), model.activations, form))
            checked.append(f"{archs[-1].label()}, m={mm}")
            if outcome is not None:
                return outcome if isinstance(outcome, str) else Failure(outcome, model, tuple(ws), mm)
        all_degrees.update({d: max(v, all_degrees.get(d, 0)) for d, v in degrees.items()})
    return Proof(the_plan.method, the_plan.min_depth, b, batch_words, all_degrees, tuple(checked), output_width,
                 tuple(dict.fromkeys(archs)), the_plan.max_depth)


def _one(formula, prof, model, widths, m, form, env, layer) -> Counterexample | None | str:
    return check_instance(formula, prof, _network(model, widths, m, form), env, layer)


def realise(formula: Formula, prof: Notation, failure: Failure, *, form: str,
            output_width: int | None) -> tuple[Architecture, int, dict] | None:
    """A real network (architecture, m, env) on which the local failure shows, or None.

    A seeded model is completed by one output layer on top (width n_k as fixed, else 1)."""
    model = failure.model
    if not model.seeded:
        return Architecture(failure.widths, model.activations, form), failure.m, dict(model.env)
    top = output_width or 1
    out_act = prof.output_activation or model.activations[0]
    arch = Architecture(failure.widths + (top,), tuple(model.activations[:1]) * model.depth + (out_act,), form)
    env = dict(model.env)
    for name in (prof.last_layer, *prof.last_aliases):
        env[name] = arch.depth + prof.last_offset
    return arch, failure.m, env


def shrink(formula: Formula, prof: Notation, arch: Architecture, m: int, env: dict, *,
           keep_top: bool, m_free: bool, network) -> Counterexample | None:
    """The counterexample on ``arch`` after shrinking each width (and m) to the smallest that fails.

    ``network(arch, m)`` builds the network; ``keep_top``: n_k is fixed by the notation.
    """
    layer = lhs_layer(formula.lhs, env, prof)
    best = check_instance(formula, prof, network(arch, m), env, layer)
    if not isinstance(best, Counterexample):
        return None
    widths = list(arch.widths)
    positions = range(len(widths) - (1 if keep_top else 0))
    for pos in [*positions, "m"] if m_free else positions:
        current = m if pos == "m" else widths[pos]
        for smaller in range(1, current):
            ws = list(widths)
            if pos != "m":
                ws[pos] = smaller
            trial = arch.with_(widths=tuple(ws))
            outcome = check_instance(formula, prof, network(trial, smaller if pos == "m" else m), env, layer)
            if isinstance(outcome, Counterexample):
                best = outcome
                if pos == "m":
                    m = smaller
                else:
                    widths = ws
                break
    return best
