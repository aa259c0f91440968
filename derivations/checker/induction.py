"""A formula with an ellipsis (a :class:`~.nodes.Fold`, read by :mod:`.folds`), proved by induction.

**Proof** (:func:`prove_or_sweep`). Reading the chain in its order (or the other one when all
its products are one associative product) adds one unit at a time. An invariant I(j) of the
chain read up to unit j (Delta, grad_N, grad_Sigma as written, transposed or diagonal, at j-1,
j or j+1) is guessed on a network of depth 4, then the checker proves the *base* (the first
unit read, with what is read before it, is I: anchored at an end), the *step* (I, then one
unit, is the next I: a local identity), the *readout* (the formula with I for the fold) and,
where the ellipsis may stand for no unit, the formula without it. Then the formula holds on
every network where it has an instance: by induction over the units. Otherwise the sweep
decides (it writes the chain out), and the verdict says why there is no proof.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import sympy as sp

from ..errors import BackpropVerifyError
from ..network import Architecture, Network
from ..products import is_matrix
from . import nodes
from .evaluate import evaluate
from .folds import ASSOCIATIVE, UNIT_LETTER
from .indices import index_uses
from .instance import letters, valid_layers
from .nodes import Fold, Formula, Index, Node, at_layer, chain_items, read_chain, swap, walk
from .prove import Proof
from .render import to_latex
from .result import CheckResult

__all__ = ["has_fold", "prove_or_sweep"]


def has_fold(formula: Formula) -> bool:
    """Whether the formula has an ellipsis (read as a :class:`Fold`)."""
    return any(isinstance(n, Fold) for side in (formula.lhs, formula.rhs) for n in walk(side))


# -- proof: guess an invariant, prove base, step and readout -----------------------------------------
@dataclass(frozen=True)
class _Invariant:
    """I(j): ``make(index)`` is its node at a layer index; ``offset``: I(j) is made at j + offset."""

    make: object
    offset: int

    def at(self, layer: Index) -> Node:
        return self.make(Index(layer.var, layer.offset + self.offset))

    def latex(self) -> str:
        return to_latex(self.at(Index(UNIT_LETTER)))


def _invariants(formula: Formula, prof) -> list[_Invariant]:
    """Delta_j, grad_{Sigma_j}, grad_{N_j} (as written, transposed, diagonal) at j, j-1, j+1."""
    keys = {v: k for k, v in reversed(list(prof.symbols.items()))}
    of = formula.lhs.of if isinstance(formula.lhs, nodes.Grad) else next(iter(prof.losses), None)

    def sym(key):
        return lambda idx: nodes.Sym(key.rstrip("'"), idx, key.count("'"), prof.index_styles[0])
    bases = [sym(keys["Delta"])] if "Delta" in keys else []
    bases += [(lambda s: lambda idx: nodes.Grad(of, s(idx)))(sym(keys[m])) for m in ("Sigma", "N") if m in keys and of]
    forms = [lambda f: f, lambda f: lambda idx: nodes.Transpose(f(idx)), lambda f: lambda idx: nodes.Hat(f(idx))]
    return [_Invariant(form(base), o) for form in forms for base in bases for o in (0, -1, 1)]


def _instances(prof, uses: list, var: str | None, depths=range(1, 13)):
    """(depth, env) of every instance of the formula (all indices layers) up to depth 12."""
    for depth in depths:
        for value in (range(-4, depth + 5) if var else [None]):
            env = {name: depth + prof.last_offset for name in (prof.last_layer, *prof.last_aliases)}
            env.update({var: value} if var else {})
            if valid_layers(uses, env, depth, prof):
                yield depth, env


def _read_so_far(fold: Fold, env: dict, direction: str) -> list[tuple[Index, Node]]:
    """(layer of the unit, the chain read up to and with it) for each unit, in reading order."""
    items, (head, size, _) = fold.items(env), fold.sizes
    out = []
    for t in range(fold.count(env)):
        part = items[:head + (t + 1) * size] if direction == "left" else items[head + t * size:]
        out.append((Index(None, fold.layer(t).value(env)), read_chain([(None, part[0][1]), *part[1:]], direction)))
    return out if direction == "left" else out[::-1]


def _value(node: Node, net: Network, env: dict, prof) -> sp.ImmutableMatrix | None:
    """The value of ``node`` as a SymPy matrix (a scalar as 1 x 1), or None where it has none."""
    try:
        value = evaluate(node, net, env, prof)
    except BackpropVerifyError:
        return None
    return sp.ImmutableMatrix(value if is_matrix(value) else [[value]])


def _guesses(fold: Fold, context, uses: list, var: str | None, directions: list, scan: list) -> list:
    """(direction, invariant) pairs every partial chain of a small network agrees with (one per value)."""
    prof, hidden = context.prof, context.prof.hidden_activation or context.activations[0]
    depth = next((d for d, env in scan if d >= 4 and fold.count(env) >= 1), None) or \
        next(d for d, env in scan if fold.count(env) >= 1)
    widths = tuple((2, 3, 4)[t % 3] for t in range(depth)) + (context.nk or 3,)
    acts = (hidden,) * (depth - 1) + (prof.output_activation or hidden,)
    net = Network(Architecture(widths, acts, context.form), batch=context.m)
    envs = [env for d, env in scan if d == depth and fold.count(env) >= 1]
    out, seen = [], set()
    for direction in directions:
        pool = {c: () for c in _invariants(context.formula, prof)}
        for env in envs:
            for layer, chain in _read_so_far(fold, env, direction):
                value = _value(chain, net, env, prof)
                pool = {c: was + (value,) for c, was in pool.items() if value is not None
                        and _equal(_value(c.at(layer), net, env, prof), value)}
        out += [(direction, c) for c, values in pool.items() if (direction, values) not in seen]
        seen |= {(direction, values) for values in pool.values()}
    return out[:4]


def _equal(a, b) -> bool:
    return a is not None and a.shape == b.shape and all(sp.expand(e) == 0 for e in a - b)


def _obligations(formula: Formula, fold: Fold, c: _Invariant, direction: str, letter: str) -> list:
    """(role, claim, depths) of the base, the step and the readout (depths: () for every depth)."""
    head, tail = chain_items(fold.head, fold.sizes[0]), chain_items(fold.tail, fold.sizes[2])
    tail = [(fold.exit, tail[0][1]), *tail[1:]] if tail else []
    here = Index(letter)
    if direction == "left":
        base = (c.at(fold.first), head + fold.unit_items(fold.first, fold.entry if head else None))
        step = (c.at(here), [(None, c.at(Index(letter, -fold.step)))] + fold.unit_items(here, fold.join))
        end = [(None, c.at(fold.last))] + tail
    else:
        base = (c.at(fold.last), fold.unit_items(fold.last, None) + tail)
        step = (c.at(here), fold.unit_items(here, None) + [(fold.join, c.at(Index(letter, fold.step)))])
        end = head + [(fold.entry if head else None, c.at(fold.first))]
    done = read_chain(end, direction)
    return [("base", Formula("", base[0], read_chain(base[1], direction)), ()),
            ("step", Formula("", step[0], read_chain(step[1], direction)), ()),
            ("readout", Formula("", swap(formula.lhs, fold, done), swap(formula.rhs, fold, done)), ())]


def _directions(fold: Fold) -> list[str]:
    """The fold's reading, and the other one when all its products are one associative product."""
    parts = ((fold.head, fold.sizes[0]), (fold.unit, fold.sizes[1]), (fold.tail, fold.sizes[2]))
    ops = ({fold.join, fold.entry, fold.exit} | {op for part, n in parts for op, _ in chain_items(part, n)}) - {None}
    if fold.order == "standard" and "hadamard" in ops and ops - {"hadamard"}:
        return []
    order = "right" if fold.order == "right" else "left"
    return [order] + ([{"left": "right", "right": "left"}[order]] if any(ops <= g for g in ASSOCIATIVE) else [])


def _everywhere(c: _Invariant, fold: Fold, scan: list, prof) -> bool:
    """I names a layer at every unit of every instance (so the step applies at each)."""
    return all(valid_layers(list(index_uses(c.at(Index(None, fold.layer(t).value(env))), prof)), env, depth, prof)
               for depth, env in scan for t in range(fold.count(env)))


def _empty(formula: Formula, fold: Fold, var: str | None, scan: list):
    """("empty fold", the formula where the ellipsis stands for no unit, depths), or why it cannot be said."""
    zero = [(depth, env) for depth, env in scan if fold.count(env) == 0]
    try:
        rest = fold.expand(zero[0][1])
    except ValueError:
        return "the ellipsis stands for an empty product on some networks"
    claim = Formula("", swap(formula.lhs, fold, rest), swap(formula.rhs, fold, rest))
    ends = (fold.first.var, fold.last.var)
    if var is not None and ends.count(var) == 1:  # the letter where no unit is left: last = first - step
        mine, other, sign = (fold.first, fold.last, 1) if ends[0] == var else (fold.last, fold.first, -1)
        there = Index(other.var, other.offset + sign * fold.step - mine.offset)
        return "empty fold", Formula("", at_layer(claim.lhs, var, there), at_layer(claim.rhs, var, there)), ()
    depths = sorted({depth for depth, _ in zero})
    if var is not None or len(depths) > 1:
        return "the ellipsis stands for no unit on some networks, and no formula without it says which"
    return "empty fold", claim, (depths[0],)


Decide = Callable[[str, str, tuple], CheckResult]
"""``decide(latex, order, depths)``: the checker's verdict on one obligation, under the assumptions
of the formula being proved (given by :mod:`.check`, which reads formulas with this module)."""


def _induction(context, decide: Decide) -> Proof | str:
    """The proof of a formula with one ellipsis for every depth, or why there is none."""
    formula, prof = context.formula, context.prof
    found = [n for side in (formula.lhs, formula.rhs) for n in walk(side) if isinstance(n, Fold)]
    if len(found) != 1 or context.depths is not None:
        return "the formula has more than one ellipsis" if len(found) != 1 else \
            f"an induction covers every depth, not only {context.depth_words}"
    fold, (uses, var) = found[0], letters(formula, prof)
    scan = list(_instances(prof, uses, var))
    counts = {fold.count(env) for _, env in scan}
    directions = _directions(fold)
    if not scan or min(counts) < 0 or max(counts) < 1 or not directions:
        return "the ellipsis runs backwards on some networks" if scan and min(counts) < 0 else \
            "no network up to depth 12 has a unit of the ellipsis" if not scan or max(counts) < 1 else \
            "the chain mixes \\circ with matrix products in the standard reading; an induction reads one way"
    empty = _empty(formula, fold, var, scan) if 0 in counts else None
    if isinstance(empty, str):
        return empty
    tried = []
    for direction, c in _guesses(fold, context, uses, var, directions, scan):
        if not _everywhere(c, fold, scan, prof):
            continue
        claims = _obligations(formula, fold, c, direction, var or "i") + ([empty] if empty else [])
        results = [(role, decide(f"{to_latex(claim.lhs)} = {to_latex(claim.rhs)}",
                                 fold.order if role == "empty fold" else direction, depths))
                   for role, claim, depths in claims]
        bad = next(((role, r) for role, r in results if r.status != "proved"), None)
        if bad is None:
            return _proof(results, fold, c, direction, scan[0][0], context)
        tried.append(f"with I(j) = {c.latex()} read {direction}, the {bad[0]} `{bad[1].formula}` {bad[1].status}")
    return "; ".join(tried[:2]) or ("no invariant: the chain read up to a unit j is none of Delta_j, grad_{N_j}, "
                                    "grad_{Sigma_j} (as columns, transposed or diagonal, at j-1, j, j+1) on a "
                                    "network of depth 4")


def _proof(results: list, fold: Fold, c: _Invariant, direction: str, min_depth: int, context) -> Proof:
    proofs = [r.proof for _, r in results]
    degrees: dict = {}
    for p in proofs:
        degrees.update({d: max(v, degrees.get(d, 0)) for d, v in p.degrees.items()})
    steps = "; ".join(f"{role} `{r.formula}` ({r.proof.method})" for role, r in results)
    return Proof(f"induction over the units at layers {fold.first}, ..., {fold.last} of the ellipsis, read {direction} "
                 f"with the invariant I(j) = {c.latex()}; proved: {steps}", min_depth,
                 max(p.width_bound for p in proofs), proofs[0].batch, degrees,
                 tuple(f"{role}: {m}" for role, r in results for m in r.proof.models), context.nk,
                 tuple(dict.fromkeys(a for p in proofs for a in p.architectures)))


def prove_or_sweep(context, claim: str, fallback: Callable[[str], CheckResult],
                   decide: Decide) -> CheckResult:
    """The verdict on a formula with an ellipsis: proved by induction (module docstring), each
    obligation by ``decide``; else ``fallback(why)``: the sweep, which writes the chain out."""
    proof = _induction(context, decide)
    if isinstance(proof, str):
        return fallback(proof)
    return context.stated(CheckResult(context.formula.text, True, proof.architectures, notation=context.prof.name,
                                      claim=claim, instances=len(proof.models), proof=proof), "")
