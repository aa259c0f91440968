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
  b_d is counted on the formula per dimension (:func:`dimension_bounds`), the D_d on the
  evaluation (:func:`~.evaluate.recording`).

A formula outside this (both ends named, several objectives of different kinds, softmax
layers, a cross-entropy whose targets sum to one) is not proved: :func:`plan` says why, and the
checker falls back to the sweep and says so.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field

from ..activations import get_activation
from ..network import Architecture, Network
from ..verdict import Counterexample
from .instance import check_instance, letters, lhs_layer, valid_layers
from .locality import Model, Plan, binding
from .nodes import (
    Add,
    Apply,
    Formula,
    Grad,
    Hat,
    Neg,
    Node,
    NpSum,
    Num,
    Ones,
    Prod,
    Sub,
    SumBatch,
    Sym,
    Transpose,
    walk,
)
from .notation import Notation
from .recording import Recording, recording

__all__ = ["Proof", "Failure", "run", "realise", "shrink", "dimension_bounds", "truth_degree", "MAX_POINTS"]

MAX_POINTS = 32
"""Most size points one model is checked at (the grid for size-dependent coefficients)."""



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


# -- the index bound ---------------------------------------------------------------------
_PLAIN = ("W", "b", "X", "Y", "V", "Sigma_prime", "Sigma_prime_hat", "Ones")
"""Leaves whose entries carry exactly their row and column index (no hidden contraction)."""


def dimension_bounds(formula: Formula, prof: Notation, seen: Recording, dims: dict[str, int],
                     composite_sigma: bool) -> dict[str, int]:
    """b_d for every free dimension d: the most index variables of dimension d in a term of either side.

    Counted on the parsed formula with the shapes an evaluation recorded (``seen``; ``dims`` maps
    each free dimension to its size there, all distinct). A plain leaf (W, X, Sigma', ...) has one
    index per axis; a gradient, N_j or an output that hides a contraction (``composite_sigma``:
    identity or ReLU layers, Sigma = N h) has at most one per dimension of the model. A product
    adds its factors' counts, less the index a matrix product contracts and the two a Hadamard
    product identifies; a sum takes the larger count.
    """
    names = {n: d for d, n in dims.items()}
    everything = Counter(dict.fromkeys(dims, 1))

    def axes(node: Node, table: dict) -> list[str]:
        return [names[n] for n in table.get(id(node), ()) if n in names]

    def leaf(node: Node, meaning: str | None) -> Counter:
        if meaning in ("m", "lambda"):
            return Counter()
        if meaning in _PLAIN or (meaning == "Sigma" and not composite_sigma):
            return Counter(axes(node, seen.leaves if isinstance(node, Sym) else seen.shapes))
        return Counter(everything)

    def count(node: Node) -> Counter:
        if isinstance(node, Num):
            return Counter()
        if isinstance(node, Sym):
            return leaf(node, prof.symbols.get(node.key))
        if isinstance(node, Ones):
            return leaf(node, "Ones")
        if isinstance(node, Grad):
            return Counter(everything)
        if isinstance(node, Apply) and node.fn.key in prof.functions and isinstance(node.arg, Sym):
            return leaf(node, prof.functions[node.fn.key])
        if isinstance(node, Apply) and node.fn.key in prof.functions:  # sigma(w a + b): entrywise in its argument
            return leaf(node, prof.functions[node.fn.key]) | count(node.arg)
        if isinstance(node, Apply):
            return _product(node, "juxt", count(node.fn), count(node.arg), node.fn, node.arg)
        if isinstance(node, (Transpose, Neg, Hat, NpSum)):
            return count(node.arg)
        if isinstance(node, (Add, Sub)):
            return count(node.left) | count(node.right)
        if isinstance(node, Prod):
            return _product(node, node.op, count(node.left), count(node.right), node.left, node.right)
        if isinstance(node, SumBatch):
            return count(node.body) + (Counter(m=1) if node.over == "samples" and "m" in dims else Counter())
        return sum((count(child) for child in node.children()), Counter())

    def _product(node, op, a: Counter, b: Counter, left: Node, right: Node) -> Counter:
        total = a + b
        shape_a, shape_b = seen.shapes.get(id(left)), seen.shapes.get(id(right))
        if shape_a is None or shape_b is None:
            return total  # a scalar factor: nothing contracted
        if op in ("dot", "juxt", "bullet"):
            first, second = (shape_a, shape_b) if op != "bullet" else (shape_b, shape_a)
            if first[1] == second[0] and first[1] in names:
                total[names[first[1]]] -= 1
        elif op == "hadamard" and shape_a == shape_b:
            total.subtract(n for n in (names.get(shape_a[0]), names.get(shape_a[1])) if n)
        return total

    lhs, rhs = count(formula.lhs), count(formula.rhs)
    return {d: max(lhs[d], rhs[d], 1) for d in dims}


def truth_degree(node: Node, prof: Notation) -> int:
    """The most ground-truth gradients multiplied in one term of ``node`` (each may bring a 1/m)."""
    if isinstance(node, Grad) or (isinstance(node, Sym) and prof.symbols.get(node.key) in ("Delta", "dA", "dW", "db")):
        return 1
    if isinstance(node, (Add, Sub)):
        return max(truth_degree(node.left, prof), truth_degree(node.right, prof))
    return sum(truth_degree(child, prof) for child in node.children())


def _has_kron(node: Node) -> bool:
    return any(isinstance(n, Prod) and n.op == "kron" for n in walk(node))


# -- running a plan ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Failure:
    """A model on which the formula failed: the counterexample there and how to rebuild the model."""

    counterexample: Counterexample
    model: Model
    widths: tuple[int, ...]
    m: int


def _primes(start: int):
    n = max(start, 2)
    while True:
        if all(n % d for d in range(2, int(n ** 0.5) + 1)):
            yield n
        n += 1


def _dimension_names(model: Model, m_fixed: int | None) -> list[str]:
    """The free dimensions of a model: n_0..n_L (n_L unless fixed) and m (unless fixed)."""
    names = [f"n_{t}" for t in range(model.depth + (model.top_width is None))]
    return names + (["m"] if m_fixed is None else [])


def _sizes(model: Model, bounds: dict[str, int], m_fixed: int | None, kron: bool) -> dict[str, int]:
    """Distinct sizes, each >= its bound and >= 2, for the free dimensions; primes with a Kronecker
    product (so no product of sizes equals another size)."""
    taken = {1, model.top_width, m_fixed} - {None}
    out: dict[str, int] = {}
    for d in _dimension_names(model, m_fixed):
        pool = _primes(max(bounds.get(d, 2), 2)) if kron else itertools.count(max(bounds.get(d, 2), 2))
        out[d] = next(n for n in pool if n not in taken)
        taken.add(out[d])
    return out


def _widths(model: Model, sizes: dict[str, int]) -> tuple[int, ...]:
    return tuple(sizes.get(f"n_{t}", model.top_width) for t in range(model.depth + 1))


def _degrees(seen: set, dims: dict[str, int], truths: int) -> dict[str, int]:
    # seen: the constant sites (site, axis, size) of a Recording
    """D_d: how many constant sites (node, axis) lie along each free dimension; m also gets one
    per ground-truth gradient in a term (``truths``: each may carry the loss's 1/m)."""
    by_size = {n: d for d, n in dims.items()}
    out = {d: len({(site, axis) for site, axis, n in seen if by_size.get(n) == d}) for d in dims}
    if "m" in out:
        out["m"] += truths
    return out


def _network(model: Model, widths, m: int, form: str) -> Network:
    arch = Architecture(tuple(widths), model.activations, form)
    return Network(arch, batch=m, free_seed=model.seeded)


def run(formula: Formula, prof: Notation, the_plan: Plan, *, form: str, m_fixed: int | None,
        output_width: int | None, batch_words: str) -> Proof | Failure | str:
    """Check every model of ``the_plan`` at its size points: a Proof, the first Failure, or
    "undecided" / a reason (too many size points) as a string."""
    kron = _has_kron(formula.rhs) or _has_kron(formula.lhs)
    truths = max(truth_degree(formula.lhs, prof), truth_degree(formula.rhs, prof), 1)
    names = {*_activations(the_plan), prof.hidden_activation} - {None}
    composite = any(get_activation(a).substitutes_value for a in names)
    done = _Checked()
    degrees, widest = {}, 1
    for model in the_plan.models:
        local = the_plan.seeded_profile if model.seeded else prof
        outcome = _run_model(formula, local, model, done, form=form, m_fixed=m_fixed, kron=kron,
                             truths=truths, composite=composite)
        if not isinstance(outcome, tuple):
            return outcome
        bounds, model_degrees = outcome
        widest = max(widest, *bounds.values())
        degrees.update({d: max(v, degrees.get(d, 0)) for d, v in model_degrees.items()})
    return Proof(the_plan.method, the_plan.min_depth, widest, batch_words, degrees, tuple(done.labels),
                 output_width, tuple(dict.fromkeys(done.architectures)), the_plan.max_depth)


@dataclass
class _Checked:
    """The networks a proof has checked so far."""

    architectures: list = field(default_factory=list)
    labels: list = field(default_factory=list)


def _run_model(formula: Formula, prof: Notation, model: Model, done: _Checked, *, form: str,
               m_fixed: int | None, kron: bool, truths: int, composite: bool):
    """(bounds, degrees) when the formula holds on ``model`` at all its size points, else the
    Failure or a string. A probe at small distinct sizes gives the shapes for
    :func:`dimension_bounds`; the base point has every dimension at its bound and records the
    constant sites; then the grid of :func:`_degrees` more sizes."""
    env = dict(model.env)
    layer = lhs_layer(formula.lhs, env, prof)

    def at(sizes: dict[str, int]) -> tuple[Counterexample | str | None, Recording]:
        widths, m = _widths(model, sizes), sizes.get("m", m_fixed)
        done.architectures.append(Architecture(widths, model.activations, form))
        done.labels.append(f"{done.architectures[-1].label()}, m={m}")
        with recording() as seen:
            outcome = check_instance(formula, prof, _network(model, widths, m, form), env, layer)
        return (None if outcome is None else _failure(outcome, model, sizes, m_fixed)), seen

    base = _sizes(model, {}, m_fixed, kron)
    failed, seen = at(base)
    if failed is not None:
        return failed
    bounds = dimension_bounds(formula, prof, seen, base, composite)
    if any(base[d] < b for d, b in bounds.items()):
        base = _sizes(model, bounds, m_fixed, kron)
        failed, seen = at(base)
        if failed is not None:
            return failed
    degrees = _degrees(seen.constants, base, truths)
    grid = list(itertools.product(*[range(degrees[d] + 1) for d in base]))
    if len(grid) > MAX_POINTS:
        return f"the coefficients depend on the sizes with degrees {degrees}: more than {MAX_POINTS} size points"
    for offsets in grid[1:]:
        failed, _ = at({d: n + k for (d, n), k in zip(base.items(), offsets, strict=True)})
        if failed is not None:
            return failed
    return bounds, degrees


def _activations(the_plan: Plan) -> set[str]:
    """Every activation the plan's models use."""
    return {a for model in the_plan.models for a in model.activations}


def _failure(outcome: Counterexample | str, model: Model, sizes: dict[str, int], m_fixed: int | None):
    if isinstance(outcome, str):
        return outcome
    return Failure(outcome, model, _widths(model, sizes), sizes.get("m", m_fixed))


def realise(prof: Notation, failure: Failure, *, form: str,
            output_width: int | None) -> tuple[Architecture, int, dict]:
    """A real network (architecture, m, env) on which the local failure should show.

    A seeded model is completed by one output layer on top (width n_k as fixed, else 1)."""
    model = failure.model
    if not model.seeded:
        return Architecture(failure.widths, model.activations, form), failure.m, dict(model.env)
    top = output_width or 1
    out_act = prof.output_activation or model.activations[0]
    arch = Architecture(failure.widths + (top,), tuple(model.activations[:1]) * model.depth + (out_act,), form)
    return arch, failure.m, {**dict(model.env), **dict(binding(prof, None, None, arch.depth))}


def shrink(formula: Formula, prof: Notation, arch: Architecture, m: int, env: dict, *,
           keep_top: bool, m_free: bool, network) -> Counterexample | None:
    """The counterexample on ``arch`` after dropping top hidden layers, then shrinking each width
    (and m), while it still fails: the smallest failing sizes reachable this way.

    ``network(arch, m)`` builds the network; ``keep_top``: n_k is fixed by the notation.
    """
    layer = lhs_layer(formula.lhs, env, prof)
    best = check_instance(formula, prof, network(arch, m), env, layer)
    if not isinstance(best, Counterexample):
        return None
    uses = letters(formula, prof)[0]
    while arch.depth > 1:  # fewer layers first: the sweep's order puts depth before widths
        trial = arch.with_(widths=arch.widths[:-2] + arch.widths[-1:],
                           activations=arch.activations[:-2] + arch.activations[-1:])
        trial_env = {**env, **dict(binding(prof, None, None, trial.depth))}
        if not valid_layers(uses, trial_env, trial.depth, prof):
            break
        outcome = check_instance(formula, prof, network(trial, m), trial_env, lhs_layer(formula.lhs, trial_env, prof))
        if not isinstance(outcome, Counterexample) or outcome.kind != best.kind:
            break
        arch, env, best = trial, trial_env, outcome
    layer = lhs_layer(formula.lhs, env, prof)
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
            if isinstance(outcome, Counterexample) and outcome.kind == best.kind:  # a shape failure stays one
                best = outcome
                if pos == "m":
                    m = smaller
                else:
                    widths = ws
                break
    return best
