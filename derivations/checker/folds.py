r"""Formulas with an ellipsis: the chain it stands for (a :class:`~.nodes.Fold`), proved by induction.

**Reading** (:func:`fold_chain`). The factors before ``\cdots`` repeat a *unit* whose layer
indices step by one; the factors after it continue the repetition, then a *tail*. In (3),
``\Sigma'_k \bullet W_k^T \circ \Sigma'_{k-1} \bullet W_{k-1}^T \circ \cdots \circ \Sigma'_i
\cdot \Sigma_{i-1}^T`` is the unit ``\Sigma'_j \bullet W_j^T`` joined by ``\circ`` for j = k,
..., i+1, then the tail ``\Sigma'_i \cdot \Sigma_{i-1}^T`` (its ``\Sigma'_i`` begins a unit i,
so the units end at i+1). The unit is the shortest period that aligns the written repetitions,
after the shortest head; two neighbouring repetitions (one may be cut short) show the step.
The proof by induction is in :mod:`.induction`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import UnsupportedNotationError
from . import nodes
from .nodes import Fold, Index, Node, at_layer, read_chain, reindex, walk
from .render import to_latex

__all__ = ["fold_chain", "UNIT_LETTER", "ASSOCIATIVE"]

UNIT_LETTER = "j"
"""The bound layer letter of a unit (a unit is only evaluated written out, so it clashes with nothing)."""
_MAX_UNIT = 8
ASSOCIATIVE = ({"dot", "juxt"}, {"hadamard"}, {"kron"}, {"bullet"})


# -- reading: align the written repetitions -------------------------------------------------------
def _indices(node: Node) -> list[Index]:
    return [n.index for n in walk(node) if isinstance(n, nodes.Sym) and n.index is not None]


def _layer(node: Node, template: Node) -> Index | None:
    """The layer at which the unit's factor ``template`` is the written ``node``, or None."""
    mine, theirs = _indices(node), [i for i in _indices(template) if i.var == UNIT_LETTER]
    layer = Index(mine[0].var, mine[0].offset - theirs[0].offset) if mine and theirs else Index(None, 0)
    return layer if (mine or not theirs) and at_layer(template, UNIT_LETTER, layer) == node else None


def _same(a: str | None, b: str | None) -> bool:
    return {"juxt": "dot"}.get(a, a) == {"juxt": "dot"}.get(b, b)


@dataclass
class _Walk:
    """How far items continue a unit: items matched, the layer of each repetition met, the join."""

    matched: int
    layers: dict
    join: str | None


def _walk(items: list, unit: list, phase: int, join: str | None) -> _Walk:
    """Match ``items`` against the unit from its factor number ``phase`` on, as far as they go."""
    p, layers, n = len(unit), {}, 0
    for t, (op, node) in enumerate(items):
        pos, c = (phase + t) % p, (phase + t) // p
        layer = layers.get(c) or _layer(node, unit[pos][1])
        if layer is None or at_layer(unit[pos][1], UNIT_LETTER, layer) != node:
            break
        if t and pos == 0 and join is None:
            join = op
        elif t and not _same(op, unit[pos][0] if pos else join):
            break
        if any(i.var == UNIT_LETTER for i in _indices(unit[pos][1])):
            layers[c] = layer
        n = t + 1
    return _Walk(n, layers, join)


def _step(layers: dict) -> int | str | None:
    """+1 or -1 between neighbouring repetitions; None without neighbours, "bad" if they disagree."""
    steps = {(layers[c + 1].var == layers[c].var, layers[c + 1].offset - layers[c].offset)
             for c in layers if c + 1 in layers}
    if len(steps) != 1:
        return "bad" if steps else None
    same, step = steps.pop()
    return step if same and step in (1, -1) else "bad"


@dataclass(frozen=True)
class _Alignment:
    head: tuple
    unit: tuple
    tail: tuple
    first: Index
    last: Index
    step: int
    join: str
    entry: str | None
    exit: str | None


def _align(before: list, gap_op: str | None, after: list, why: set) -> list[_Alignment]:
    """The alignments with the shortest unit, after the shortest head (several: ambiguous)."""
    for p in range(1, min(_MAX_UNIT, len(before)) + 1):
        for h in range(len(before) - p + 1):
            refs = [i for _, node in before[h:h + p] for i in _indices(node)]
            if not refs or any(i.var != refs[0].var for _, n in before[h:h + p] for i in _indices(n)):
                continue
            unit = [(op, reindex(node, lambda i, r=refs[0]: Index(UNIT_LETTER, i.offset - r.offset)))
                    for op, node in before[h:h + p]]
            lead = _walk(before[h:], unit, 0, None)
            if lead.matched < len(before) - h:
                _mismatch(before[h:], unit, lead, why)
                continue
            found = []
            for q in range(p):
                a = _finish(before, gap_op, after, unit, h, q, lead, _walk(after, unit, q, lead.join), why)
                found += [a] if a is not None and a not in found else []
            if found:
                return found
    return []


def _finish(before, gap_op, after, unit, h, q, lead: _Walk, rest: _Walk, why: set) -> _Alignment | None:
    """The alignment when the items after the ellipsis continue the unit from its factor ``q``."""
    p, n, cut = len(unit), rest.matched, (len(before) - h) % len(unit)
    end, copies = (q + n) % p, (q + n) // p
    if n == 0 or (q and n < p - q) or (end and copies == 0 and q):
        return None
    join = lead.join or rest.join or next((op for op in (gap_op, after[0][0] if q == 0 else None)
                                           if op not in (None, "juxt")), "juxt")
    if (gap_op not in (None, "juxt") and not _same(gap_op, unit[cut][0] if cut else join)) or \
            (after[0][0] != "juxt" and not _same(after[0][0], unit[q][0] if q else join)):
        return None
    steps = {_step(lead.layers), _step(rest.layers)} - {None}
    if not steps:
        why.add("step")
    last = rest.layers.get(copies if end else copies - 1)
    if len(steps) != 1 or "bad" in steps or last is None or 0 not in lead.layers:
        return None
    step = steps.pop()
    last, start = (Index(last.var, last.offset - step) if end else last), n - end
    tail = tuple(after[start:])
    return _Alignment(tuple(before[:h]), ((join, unit[0][1]), *unit[1:]), tail, lead.layers[0], last, step, join,
                      before[h][0] if h else None, (join if start == 0 else after[start][0]) if tail else None)


def _mismatch(items: list, unit: list, walk_: _Walk, why: set) -> None:
    """Record the written factor that breaks a repetition seen once, with what the unit needs there."""
    p, n, step = len(unit), walk_.matched, _step(walk_.layers)
    if n >= p and isinstance(step, int):
        c, pos = divmod(n, p)
        layer = walk_.layers.get(c) or Index(walk_.layers[c - 1].var, walk_.layers[c - 1].offset + step)
        why.add(("mismatch", n, f"`{items[n][1].src or to_latex(items[n][1])}` where the repetition needs "
                 f"`{to_latex(at_layer(unit[pos][1], UNIT_LETTER, layer))}`"))


def _mirror(items: list, lead: str | None = None) -> list:
    """The items read from the right: each factor with the operator written after it."""
    rev = items[::-1]
    return [(lead, rev[0][1])] + [(items[len(items) - t][0], rev[t][1]) for t in range(1, len(items))]


def _unmirror(a: _Alignment) -> _Alignment:
    unit = _mirror(list(a.unit))
    return _Alignment(tuple(_mirror(list(a.tail))) if a.tail else (), ((a.join, unit[0][1]), *unit[1:]),
                      tuple(_mirror(list(a.head))) if a.head else (), a.last, a.first, -a.step, a.join, a.exit, a.entry)


def fold_chain(before: list, gap_op: str | None, after: list, order: str, where: dict) -> Fold:
    """The :class:`Fold` of a product chain with one ellipsis: ``before`` and ``after`` are the
    (op, factor) items written on each side of it, ``gap_op`` the operator written before it.

    Raises:
        UnsupportedNotationError: no unit aligns the written repetitions, or several do.
    """
    why: set = set()
    found = _align(before, gap_op, after, why)
    if not found:
        found = [_unmirror(a) for a in _align(_mirror(after), after[0][0], _mirror(before, gap_op or "juxt"), why)]
    text = where.get("src", "")
    if len(found) > 1:
        raise UnsupportedNotationError(f"the ellipsis in `{text}` is ambiguous: its repetitions align in "
                                       f"{len(found)} ways")
    if not found:
        breaks = sorted((w for w in why if isinstance(w, tuple)), reverse=True)
        raise UnsupportedNotationError(f"cannot read the ellipsis in `{text}`: " + (
            f"the written repetitions do not align: {breaks[0][2]}" if breaks else
            "write two neighbouring repetitions on one side of it so the layer step shows (+1 or -1)"
            if "step" in why else "expected the factors before it to repeat a unit whose layer indices step by "
            "one (\\Sigma'_k \\bullet W_k^T \\circ \\Sigma'_{k-1} \\bullet W_{k-1}^T \\circ \\cdots) and the factors "
            "after it to continue that unit (\\cdots \\circ \\Sigma'_{i+1} \\bullet W_{i+1}^T) before the rest"))
    a = found[0]
    if a.first.var == a.last.var and (a.last.offset - a.first.offset) * a.step < -1:
        raise UnsupportedNotationError(f"the ellipsis in `{text}` runs backwards: from {a.first} to {a.last} "
                                       f"in steps of {a.step:+d}")

    def chain(items) -> Node | None:
        return read_chain([(None, items[0][1]), *items[1:]], "left") if items else None
    join, entry, exit_op = ({"juxt": "dot"}.get(op, op) for op in (a.join, a.entry, a.exit))  # as normalise reads
    return Fold(chain(a.unit), UNIT_LETTER, a.first, a.last, a.step, join, order, chain(a.head), chain(a.tail), entry,
                exit_op, (len(a.head), len(a.unit), len(a.tail)), **where)
