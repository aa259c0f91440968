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
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Iterable

from ..errors import BoundsError, UnsupportedNotationError
from ..ground_truth import cross_entropy
from ..network import Architecture, Network
from ..space import ArchitectureSpace, check_bound, sorted_by_size
from ..verdict import Counterexample
from . import induction, locality, prove
from .bounds import NO_BOUNDS, CheckBounds
from .formula import parse_formula
from .instance import check_instance, letters, lhs_layer, valid_layers
from .nodes import Formula, Grad, Node, NpSum, Ones, SumBatch, Sym, walk
from .notation import Notation, describe_objective, parse_objective
from .result import CheckResult

__all__ = ["check_formula"]

@lru_cache(maxsize=256)
def _network(arch: Architecture, batch: int, distribution: bool = False) -> Network:
    """The network (ground truths are memoised on it); ``distribution``: targets sum to 1 per sample."""
    if not distribution:
        return Network(arch, batch=batch)
    return Network(arch, batch=batch, fixed=cross_entropy().constraints(Network(arch, batch=batch)))


def _uses_cce(prof: Notation) -> bool:
    specs = (*prof.losses.values(), prof.delta_objective, prof.default_loss)
    return any(parse_objective(s)[0] == "cce" for s in specs)


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


def _instances(formula: Formula, prof: Notation, archs: Iterable[Architecture]):
    """(architecture, env, reported layer) for every layer value making all indices valid."""
    uses, var = letters(formula, prof)
    offsets = [idx.offset - prof.offset(m.removeprefix("grad_")) for m, idx, _ in uses
               if idx is not None and idx.var == var] or [0]
    for arch in archs:
        values = range(-max(offsets), arch.depth + 2 - min(offsets)) if var else [None]
        for j in values:
            env = {name: arch.depth + prof.last_offset for name in (prof.last_layer, *prof.last_aliases)}
            if var:
                env[var] = j
            if valid_layers(uses, env, arch.depth, prof):
                layer = lhs_layer(formula.lhs, env, prof)
                yield arch, env, layer if layer is not None else j


def _uses_batch(node: Node, prof: Notation) -> bool:
    return any(isinstance(n, (Ones, NpSum)) or (isinstance(n, SumBatch) and n.over == "samples")
               or (isinstance(n, Sym) and prof.symbols.get(n.key) == "m") for n in walk(node))


def _uses_default(node: Node, prof: Notation) -> bool:
    return any(isinstance(n, Sym) and n.index is None and n.key in prof.defaults for n in walk(node))


def _with_output(arch: Architecture, prof: Notation) -> Architecture:
    acts = arch.activations
    if prof.hidden_activation is not None:
        acts = (prof.hidden_activation,) * len(acts)
    if prof.output_activation is not None:
        acts = acts[:-1] + (prof.output_activation,)
    return arch if acts == arch.activations else arch.with_(activations=acts)


def check_formula(formula: Formula, prof: Notation, bounds: CheckBounds = NO_BOUNDS) -> CheckResult:
    """:func:`derivations.check` for one parsed formula in one profile: a proof for every
    architecture (:mod:`.prove`), else the sweep, saying why it is not a proof.

    ``bounds`` (validated when made) holds the user's options; the profile supplies the rest: its
    batch m (or every m), its output width n_k (or every n_k), its fixed depth, its form.
    """
    began = time.perf_counter()
    sides = (formula.lhs, formula.rhs)
    summed = prof.batch_if_summed if any(_uses_batch(n, prof) for n in sides) else None
    m = check_bound("batch", bounds.batch if bounds.batch is not None else (summed or prof.batch))
    m_fixed = m if bounds.batch is not None or (prof.batch == 1 and not summed) else None
    nk = bounds.output_width if bounds.output_width is not None else prof.output_width
    if nk is not None:
        check_bound("output_width", nk)
    uses, _ = letters(formula, prof)
    net_form = bounds.form or ("affine" if any(u[0] in ("b", "db", "grad_b") for u in uses) else prof.form)
    fixed = formula.depth or (prof.fixed_depth if any(_uses_default(n, prof) for n in sides) else None)
    archs = _bounded_architectures(bounds, net_form, fixed, nk or prof.min_output_width, prof) \
        if bounds.bounded else None
    depths, words = None, ""
    if formula.depth:
        depths, words = (fixed,), f"depth fixed at {fixed}: layer {fixed} is the output layer"
    elif fixed:
        depths, words = (fixed,), f"depth fixed at {fixed} by the {prof.name} notation"
    elif bounds.depths is not None:
        depths = bounds.depths
        words = f"the depths asked for, {depths[0]}..{depths[-1]}, each for every width"
    context = _Context(formula, prof, m, m_fixed, nk, net_form, fixed, list(bounds.activations), began, archs,
                       depths, words, explicit=bounds.architectures is not None)
    try:
        if bounds.sweep or bounds.architectures is not None or bounds.widths_bounded:
            why = "a sweep was asked for" if bounds.sweep or bounds.architectures is not None else \
                f"the widths are bounded to {bounds.min_width}-{bounds.max_width} as asked"
            return _fallback(context, _claim(formula.lhs, prof), why)
        return _prove_or_sweep(context)
    except RecursionError as err:
        raise UnsupportedNotationError("formula nested too deeply to evaluate") from err


@dataclass(frozen=True)
class _Context:
    """What one check assumes: the profile's conventions and the options, with their words."""

    formula: Formula
    prof: Notation
    m: int
    m_fixed: int | None
    nk: int | None
    form: str
    fixed_depth: int | None
    activations: list
    began: float
    bounds: list | None = None
    depths: tuple[int, ...] | None = None
    depth_words: str = ""
    explicit: bool = False  # ``bounds`` are architectures the user listed

    @property
    def batch_words(self) -> str:
        """The batch size m: "every m", "m = 3" or "m = 1 (one sample)"."""
        if self.m_fixed is None:
            return "every m"
        return "m = 1 (one sample)" if self.m_fixed == 1 and self.m == 1 else f"m = {self.m_fixed}"

    @property
    def layout_words(self) -> str:
        """For more than one sample, how a batch is laid out: "" for one sample."""
        if self.m_fixed == 1 and self.m == 1:
            return ""
        return f", samples as {'rows (X is m x n_0)' if self.prof.layout == 'rows' else 'columns (X is n_0 x m)'}"

    def assumptions(self, swept: str = "") -> tuple[str, ...]:
        """What the verdict assumes, in words; ``swept``: the sweep's own n_k and m."""
        prof = self.prof
        nk = "n_k: any" if self.nk is None else f"n_k = {self.nk} (fixed)"
        hidden = prof.hidden_activation or ", ".join(self.activations)
        out = prof.output_activation or "as the hidden layers"
        uses, _ = letters(self.formula, prof)
        losses = sorted({describe_objective(s) for s in locality.objective_specs(self.formula, prof, uses)})
        batch = f"batch: {self.batch_words}{self.layout_words}"
        sizes = (f"n_k and m: those swept ({swept})",) if swept else (nk, batch)
        return (f"form: {self.form}", f"activations: {hidden}; output layer: {out}", *sizes,
                *([f"objectives: {'; '.join(losses)}"] if losses else []))

    def stated(self, result: CheckResult, why: str, swept: str = "") -> CheckResult:
        """``result`` with the assumptions, and for a sweep that holds, why it is no proof."""
        note = result.note
        if why and result.holds is not False and result.proof is None:
            note = "; ".join(x for x in (note, f"not proved: {why}") if x)
        return replace(result, assumptions=self.assumptions(swept), note=note,
                       seconds=time.perf_counter() - self.began)


def _bounded_architectures(bounds: CheckBounds, form: str, fixed: int | None, top: int,
                           prof: Notation) -> list[Architecture]:
    """The architectures of the bounds asked for, smallest first, with the profile's output activation."""
    if bounds.architectures is None:
        archs = bounds.space(fixed_depth=fixed, output_width=top, form=form)
    else:
        archs = sorted_by_size([a if a.form == form or form != "affine" else a.with_(form="affine")
                                for a in bounds.architectures])
    return [_with_output(a, prof) for a in archs]


def _fallback_groups(context: _Context) -> list[tuple[list[Architecture], int, str]]:
    """The sweep a formula gets when it cannot be proved: depths 1-4 (widths 1-3) and 5-6 (widths
    1-2), and, when n_k or m is free, depths 1-3 (widths 1-2) with n_k = 2 and m + 1."""
    nk = context.nk or context.prof.min_output_width
    fixed = context.fixed_depth
    if context.bounds is not None:
        return _bounded_groups(context, nk)

    def group(lo, hi, width, top):
        return [_with_output(a, context.prof) for a in ArchitectureSpace(
            min_depth=fixed or lo, max_depth=fixed or hi, max_width=width, output_width=top,
            activations=tuple(context.activations), form=context.form)]
    groups = [(group(1, 4, 3, nk), context.m, f"depths 1-4, widths 1-3, n_k = {nk}, m = {context.m}")]
    if fixed is None:
        groups.append((group(5, 6, 2, nk), context.m, f"depths 5-6, widths 1-2, n_k = {nk}, m = {context.m}"))
    if context.nk is None or context.m_fixed is None:
        top = nk + 1 if context.nk is None else nk
        mm = context.m + 1 if context.m_fixed is None else context.m
        groups.append((group(1, 3, 2, top), mm, f"depths 1-3, widths 1-2, n_k = {top}, m = {mm}"))
    return groups


def _bounded_groups(context: _Context, nk: int) -> list[tuple[list[Architecture], int, str]]:
    """The bounds asked for at the notation's m, then, when n_k or m is free, the shallow part of
    them (depth <= 3, or the shallowest) with n_k + 1 (not for explicit architectures) and m + 1:
    a bounded sweep never fixes a size the formula is claimed for every value of."""
    groups = [(context.bounds, context.m, f"the bounds asked for, n_k = {nk}, m = {context.m}")]
    top_free = context.nk is None and not context.explicit
    if not (top_free or context.m_fixed is None):
        return groups
    lowest = min(a.depth for a in context.bounds)
    shallow = [a for a in context.bounds if a.depth <= max(3, lowest)]
    if next(_instances(context.formula, context.prof, shallow), None) is None:
        shallow, lowest = list(context.bounds), max(a.depth for a in context.bounds)
    if top_free:
        shallow = list(dict.fromkeys(a.with_(widths=a.widths[:-1] + (a.widths[-1] + 1,)) for a in shallow))
    mm = context.m + 1 if context.m_fixed is None else context.m
    top = f"n_k = {nk + 1}" if top_free else "n_k as given"
    return groups + [(shallow, mm, f"the bounds asked for up to depth {max(3, lowest)}, {top}, m = {mm}")]


def _prove_or_sweep(context: _Context) -> CheckResult:
    formula, prof = context.formula, context.prof
    claim = _claim(formula.lhs, prof)
    if induction.has_fold(formula):  # an ellipsis: induction over the layers it stands for
        return induction.prove_or_sweep(context, claim, lambda why: _fallback(context, claim, why),
                                    lambda latex, order, depths: _obligation(context, latex, order, depths))
    proofs = []
    for act in context.activations:
        the_plan = locality.plan(formula, prof, activations=(prof.hidden_activation or act,),
                              output_width=context.nk, depths=context.depths, depth_words=context.depth_words,
                              cross_entropy_targets=_uses_cce(prof))
        if the_plan.empty:
            return _no_valid_layer(context, claim)
        if the_plan.reason:
            return _fallback(context, claim, the_plan.reason)
        outcome = prove.run(formula, prof, the_plan, form=context.form, m_fixed=context.m_fixed,
                            output_width=context.nk, batch_words=context.batch_words)
        if isinstance(outcome, prove.Failure):
            return context.stated(_counterexample(context, claim, outcome), "")
        if isinstance(outcome, str):
            if outcome == "undecided":
                return context.stated(CheckResult(formula.text, None, notation=prof.name, claim=claim, note=(
                    "non-zero difference but no witness point found (softplus/ReLU)")), "")
            return _fallback(context, claim, outcome)
        proofs.append(outcome)
    first = proofs[0]
    proof = replace(first, models=tuple(mod for p in proofs for mod in p.models),
                    architectures=tuple(dict.fromkeys(a for p in proofs for a in p.architectures)))
    return context.stated(CheckResult(formula.text, True, proof.architectures, notation=prof.name, claim=claim,
                                      instances=len(proof.models), proof=proof), "")


def _obligation(context: _Context, latex: str, order: str, depths: tuple) -> CheckResult:
    """One obligation of an induction (:mod:`.induction`), checked under the assumptions of the formula."""
    parsed = parse_formula(latex, notation=context.prof, order=order)
    return check_formula(parsed, context.prof, CheckBounds(
        activations=tuple(context.activations), output_width=context.nk,
        batch=context.m if context.m_fixed is not None else None, form=context.form,
        **(dict(min_depth=depths[0], max_depth=depths[-1]) if depths else {})))


def _no_valid_layer(context: _Context, claim: str) -> CheckResult:
    formula, prof = context.formula, context.prof
    if context.depths is not None and context.fixed_depth is None:
        depths = f"{context.depths[0]}..{context.depths[-1]}"
        raise BoundsError(f"{formula.text}: no layer of a network of depth {depths} fits the formula's "
                          f"indices in the {prof.name} numbering; raise --max-depth")
    if letters(formula, prof)[1] is None:
        raise UnsupportedNotationError(
            f"{formula.text}: a layer index names no layer of any network in the bound in the "
            f"{prof.name} numbering ({prof.description})")
    return context.stated(CheckResult(formula.text, None, notation=prof.name, claim=claim, note=(
        "no architecture in the bound gives every layer index a valid value")), "")


def _fallback(context: _Context, claim: str, reason: str) -> CheckResult:
    """The sweep of :func:`_fallback_groups`; a failure in any group is the verdict."""
    checked, instances, seen = [], 0, []
    for archs, m, words in _fallback_groups(context):
        result = _sweep(context.formula, context.prof, archs, m, claim, context.began)
        checked.append(words)
        instances += result.instances
        seen += result.architectures
        if result.holds is not True:
            return context.stated(result, reason, words)
    return context.stated(replace(result, instances=instances, architectures=tuple(seen),
                                  note="holds exactly on the sweep: " + "; ".join(checked)),
                          reason, "; ".join(checked))


def _counterexample(context: _Context, claim: str, failure: prove.Failure) -> CheckResult:
    """The smallest counterexample we can show for a formula whose proof failed: the failing model
    made a real network and shrunk, unless the sweep finds a smaller one; else the local model's."""
    formula, prof = context.formula, context.prof
    arch, mm, env = prove.realise(prof, failure, form=context.form, output_width=context.nk)
    ce = prove.shrink(formula, prof, _with_output(arch, prof), mm, env, keep_top=context.nk is not None,
                      m_free=context.m_fixed is None, network=lambda a, b: _network(a, b, _uses_cce(prof)))
    archs, m, words = _fallback_groups(context)[0]
    if ce is not None:
        archs = [a for a in archs if a.size < ce.architecture.size]
    result = _sweep(formula, prof, archs, m, claim, context.began, required=False) if archs else None
    if result is not None and result.holds is False:
        return replace(result, note=f"the smallest counterexample of the sweep ({words})")
    if ce is None:
        local = failure.counterexample
        ce = replace(local, message=f"in the local model ({failure.model.what}): {local.message}")
    return CheckResult(formula.text, False, (ce.architecture,), ce, notation=prof.name, claim=claim, instances=1,
                       note="found by the proof, then shrunk to the smallest failing sizes")


def _sweep(formula: Formula, prof: Notation, archs: list, m: int, claim: str, began: float, *,
           required: bool = True) -> CheckResult:
    """Check every instance of ``archs`` (smallest first) at batch m; the first failure is the verdict.

    Raises:
        UnsupportedNotationError: no layer of any architecture fits a formula without a layer letter
            (with ``required``; else the result is undecided with a note).
    """
    seen, count, undecided = [], 0, False

    def result(holds, ce=None, note=""):
        return CheckResult(formula.text, holds, tuple(seen), ce, time.perf_counter() - began, notation=prof.name,
                           claim=claim, instances=count, note=note)

    for arch, env, layer in _instances(formula, prof, archs):
        net = _network(arch, m, _uses_cce(prof))
        if not seen or seen[-1] != arch:
            seen.append(arch)
        count += 1
        outcome = check_instance(formula, prof, net, env, layer)
        if isinstance(outcome, Counterexample):
            return result(False, outcome)
        undecided = undecided or outcome == "undecided"
    if not count:
        if required and letters(formula, prof)[1] is None:
            raise UnsupportedNotationError(
                f"{formula.text}: a layer index names no layer of any network in the bound in the "
                f"{prof.name} numbering ({prof.description})")
        return result(None, note="no architecture in the bound gives every layer index a valid value")
    if undecided:
        return result(None, note="non-zero difference but no witness point found (softplus/ReLU)")
    return result(True)
