"""Which networks prove a formula for every depth: the local model of the layers it names.

A formula whose layer indices are one letter i plus fixed offsets names a block lo..hi around i.
On a network of any depth the layers below enter only as the column Sigma_{lo-1}, the layers
above only as the gradient of the objective w.r.t. Sigma_hi, a column V of free symbols (a loss
sum_s l(a_s) has V = grad l; its scale stays). So one network of depth hi - lo + 1 with a free
input and a free seed stands for every depth (docs/proofs.md, section 1). :func:`plan` lists the
models to check: that one, the same with the output layer on top, the paper's seed layer k+1;
for a formula anchored at the last layer, the real network of its smallest depth; at the first
layers, layers 1..hi with a seed and without. A formula naming both ends, or relating losses of
different kinds, or with softmax layers, gets a Plan with ``reason`` set instead.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .instance import letters, valid_layers
from .nodes import Formula, Grad, Node, walk
from .notation import Notation, parse_objective

__all__ = ["Model", "Plan", "plan", "objective_specs", "binding", "MAX_BLOCK"]

MAX_BLOCK = 8
"""The deepest local model a proof builds (its ground truth grows with every layer)."""

_INPUT = ("Sigma", "X", "dA")
"""Meanings a local model's input column can stand for (Sigma_{lo-1})."""
_TOP = ("Y", "V", "output")
"""Index-free meanings of the last layer."""


@dataclass(frozen=True)
class Model:
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

    models: tuple[Model, ...] = ()
    method: str = ""
    min_depth: int = 1
    reason: str = ""
    seeded_profile: Notation | None = None
    max_depth: int | None = None
    empty: bool = False


# -- the plan ----------------------------------------------------------------------------------
def objective_specs(formula: Formula, prof: Notation, uses: list) -> list[str]:
    """The objective specs of the gradients a formula names (Grad nodes, Delta/dA, dW/db)."""
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
    return next((n for side in (formula.lhs, formula.rhs) for n in walk(side)
                 if isinstance(n, Grad) and n.wrt is wrt), None)


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
    specs = objective_specs(formula, prof, uses)
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
    span = hi - lo + 1 if anchor == "free" else (1 - lo if anchor == "top" else hi)
    if span > MAX_BLOCK:
        return Plan(reason=f"its layers span a block of {span} (more than MAX_BLOCK={MAX_BLOCK}): "
                           "its local model is too deep to check in time")
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


def binding(prof: Notation, var: str | None, value: int | None, depth: int) -> tuple:
    """The letters bound on a network of ``depth``: the last layer's (and its aliases), ``var`` = ``value``."""
    env = {name: depth + prof.last_offset for name in (prof.last_layer, *prof.last_aliases)}
    if var is not None:
        env[var] = value
    return tuple(sorted(env.items()))


def _free_plan(prof, rels, var, lo, hi, hidden, out_act, output_width, seeded) -> Plan:
    depth = max(hi - lo + 1, 1)
    block = (f"layers {var}{lo:+d}..{var}{hi:+d}" if hi > lo else f"layer {var}{hi:+d}").replace("+0", "")
    return _block_plan(prof, rels, var, 1 - lo, depth, block, hidden, out_act, output_width, seeded)


def _bottom_plan(prof, rels, lo, hi, hidden, out_act, output_width, seeded) -> Plan:
    depth = max(hi, 1)
    return _block_plan(prof, rels, None, None, depth, f"layers 1..{depth}", hidden, out_act, output_width, seeded)


def _block_plan(prof, rels, var, j, depth, block, hidden, out_act, output_width, seeded) -> Plan:
    """The local model of ``block`` (``var`` = ``j`` puts its lowest layer at 1): with a free seed V
    above; again with the output layer on top when its activation or width differ; and, with the
    paper's seed layer, the network where the block's top is k+1."""
    models = [Model(depth, (hidden,) * depth, binding(prof, var, j, depth), True, None,
                    f"{block} with the gradient from above as a free column V")]
    if out_act != hidden or output_width is not None:
        models.append(Model(depth, (hidden,) * (depth - 1) + (out_act,), binding(prof, var, j, depth), True,
                            output_width, f"{block} with the output layer on top"))
    min_depth = depth
    if _virtual_top(rels, prof) and depth > 1:
        models.append(Model(depth - 1, (hidden,) * (depth - 2) + (out_act,), binding(prof, var, j, depth - 1),
                            False, output_width, f"{block} where the top layer is the seed layer k+1"))
        min_depth = depth - 1
    return Plan(tuple(models), f"local identity on {block}, the layers below as a free input column, "
                               "the layers above as a free gradient column", min_depth, seeded_profile=seeded)


def _top_plan(prof, lo, hi, hidden, out_act, output_width, specs, targets) -> Plan:
    if targets and any(parse_objective(s)[0] == "cce" for s in specs):
        return Plan(reason="cross-entropy targets that sum to 1 tie the outputs together")
    depth = max(1 - lo, 1)
    model = Model(depth, (hidden,) * (depth - 1) + (out_act,), binding(prof, None, None, depth), False,
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
            env = dict(binding(prof, var, j, depth))
            if valid_layers(uses, env, depth, prof):
                models.append(Model(depth, acts, tuple(sorted(env.items())), False, output_width,
                                     f"the network of depth {depth}" + (f", {var} = {j}" if var else "")))
    if not models:
        return Plan(reason="no layer of any network in the bound fits the indices", empty=True)
    return Plan(tuple(models), words, min(m.depth for m in models), max_depth=max(m.depth for m in models))


