"""One instance of a formula: both sides on one network at one layer, and their exact comparison.

The sweep (:mod:`.check`) and the proofs (:mod:`.prove`) decide a formula instance by instance;
an instance is a network, the binding ``env`` of the index letters and the layer reported.
"""

from __future__ import annotations

from dataclasses import replace

import symengine as se

from ..errors import UnsupportedNotationError
from ..exact import decide
from ..network import Network
from ..products import is_matrix
from ..verdict import Counterexample
from .display import in_profile_symbols
from .evaluate import evaluate
from .indexforms import entry_matrix
from .indices import index_uses, layer_range, our_layer, written_index
from .nodes import Formula, Grad, Node, Sym
from .notation import Notation

__all__ = ["letters", "lhs_layer", "sides", "check_instance", "valid_layers"]


def letters(formula: Formula, prof: Notation) -> tuple[list, str | None]:
    """(every (meaning, written index, node) the formula uses, its general layer letter or None).

    Raises:
        UnsupportedNotationError: more than one general layer letter besides the last layer's.
    """
    uses = [u for side in (formula.lhs, formula.rhs) for u in index_uses(side, prof)]
    free = sorted({idx.var for _, idx, _ in uses if idx is not None and idx.var
                   and idx.var != prof.last_layer and idx.var not in prof.last_aliases})
    if len(free) > 1:
        raise UnsupportedNotationError(
            f"at most one general layer index besides {prof.last_layer}, got {', '.join(free)}")
    return uses, (free[0] if free else None)


def valid_layers(uses: list, env: dict, depth: int, prof: Notation) -> bool:
    """Every index of ``uses`` names a layer of a network of this depth under ``env``."""
    for meaning, idx, _ in uses:
        if idx is None:
            continue
        lo, hi = layer_range(meaning, depth, prof)
        if not lo <= our_layer(meaning, idx, env, prof) <= hi:
            return False
    return True


def lhs_layer(lhs: Node, env: dict, prof: Notation) -> int | None:
    """The LHS layer as the profile numbers it (the written index)."""
    target = lhs.wrt if isinstance(lhs, Grad) else lhs
    idx = written_index(target, prof) if isinstance(target, Sym) else None
    return None if idx is None else idx.value(env)


def _as_matrix(v) -> se.DenseMatrix:
    """A value as a matrix: a scalar as 1 x 1."""
    return v if is_matrix(v) else se.Matrix([[v]])


def _free_neurons(node: Node) -> list[str]:
    target = node.wrt if isinstance(node, Grad) else node
    return list(target.neurons) if isinstance(target, Sym) else []


def sides(formula: Formula, net: Network, env: dict, prof: Notation) -> tuple[se.DenseMatrix, se.DenseMatrix]:
    """Both sides as SymEngine matrices; an index form (delta^l_j = ...) entry by entry over its free neurons."""
    free = sorted(set(_free_neurons(formula.lhs)))
    if not free:
        return (_as_matrix(evaluate(formula.lhs, net, env, prof)),
                _as_matrix(evaluate(formula.rhs, net, env, prof)))
    return entry_matrix(formula.lhs, free, net, env, prof, evaluate=evaluate), entry_matrix(
        formula.rhs, free, net, env, prof, evaluate=evaluate,
                                                                        like=formula.lhs)


def check_instance(formula: Formula, prof: Notation, net: Network, env: dict,
                   layer: int | None) -> Counterexample | None | str:
    """None if both sides agree exactly on ``net`` at ``env``; else the Counterexample (in the
    profile's symbols; a shape failure names the sub-expression), or "undecided"."""
    outcome = decide(net, layer, lambda: sides(formula, net, env, prof)[::-1], what="the right-hand side",
                     shape_what=f"`{formula.rhs.src}`", truth_name=f"the left-hand side {formula.lhs.src}")
    if isinstance(outcome, Counterexample) and outcome.kind == "shape":
        return _with_batch(outcome, net, prof)
    if isinstance(outcome, Counterexample):
        return _with_batch(in_profile_symbols(outcome, prof, letters(formula, prof)[1]), net, prof)
    return outcome


def _with_batch(ce: Counterexample, net: Network, prof: Notation) -> Counterexample:
    """Name the batch size m in the message when the notation has batches."""
    if prof.batch == 1 and not prof.batch_if_summed and net.m == 1:
        return ce
    label = net.architecture.label()
    return replace(ce, message=ce.message.replace(f"on {label}", f"on {label} with m = {net.m}", 1))
