"""Conventions a note leaves unsaid, as readings: each is tried, and the verdict says which it holds under.

:mod:`.readings` checks a formula under every reading this module gives and reports "ambiguous" when
their verdicts differ. The readings:

* ``\\times`` as a matrix product or element-wise (lecture slides write both);
* juxtaposition of two equal non-square shapes as a matrix product or element-wise (the tutorial);
* the profile's own :attr:`~.notation.Notation.conventions` (the tutorial's C as the batch sum or
  mean; Nielsen's output layer sigmoid or linear), when the formula uses a key they name;
* the output layer written as a general letter (``\\delta^l = (a^l - y) ...``) or a number
  (``dZ^{[2]} = A^{[2]} - Y`` in a two-layer net): the letter any layer, or the output layer.

And two assumptions a formula's symbols carry (:func:`assumed`), said in the verdict's note: the
paper's lower-case w, sigma of section 4 are the one-dimensional case (width 1); Ng's lower-case
dz, a, x, y name one example (m = 1).
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..errors import BackpropVerifyError
from .bounds import CheckBounds
from .formula import parse_formula
from .indices import written_index
from .nodes import Add, Apply, Formula, Grad, Hat, Index, Neg, Node, Num, Ones, Prod, Sub, Sym, Transpose, walk
from .notation import Notation
from .render import normalise

__all__ = ["keys", "elementwise_reading", "times_readings", "convention_readings", "assumed"]

TIMES = re.compile(r"\\times(?![A-Za-z])")
_BATCH_MEANINGS = ("N", "Sigma", "Delta", "dA", "X", "Y")


def keys(formula: Formula) -> set[str]:
    """The symbol, function and objective keys a formula uses (bare objective names only), its
    layer letters (L, n_l) and its gradients of a cost, as "dC/dW" (cost, written symbol)."""
    out = set()
    for side in (formula.lhs, formula.rhs):
        for node in walk(side):
            if isinstance(node, Sym):
                out.add(node.key)
                if node.index is not None and node.index.var:
                    out.add(node.index.var)
            elif isinstance(node, Apply):
                out.add(node.fn.key)
            elif isinstance(node, Grad) and not node.per_sample:
                out.add(node.of)
                if isinstance(node.wrt, Sym):
                    out.add(f"d{node.of}/d{node.wrt.name}")  # dC/dW: which gradient of which cost
    return out


# -- juxtaposition ---------------------------------------------------------------------------
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


def elementwise_reading(node: Node, prof: Notation) -> Node:
    """``node`` with every juxtaposition of two equal non-square shapes read element-wise."""
    node = node.map_children(lambda child: elementwise_reading(child, prof))
    if isinstance(node, Prod) and node.op == "juxt":
        a, b = _shape(node.left, prof), _shape(node.right, prof)
        if isinstance(a, tuple) and a == b and a[0] != a[1]:
            return replace(node, op="hadamard")
    return node


# -- \times ----------------------------------------------------------------------------------
def times_readings(latex: str, out: list, prof: Notation, order: str | None) -> list:
    """``out`` ((name, formula) readings) doubled when ``latex`` writes ``\\times`` and reading it
    element-wise changes the formula: each reading with \\times a matrix product, then element-wise."""
    if not TIMES.search(latex):
        return out
    other = _restored(parse_formula(TIMES.sub(r"\\odot ", latex), notation=prof, order=order), latex)
    if normalise(other.rhs) == normalise(out[0][1].rhs):
        return out
    return [(f"{n + ', ' if n else ''}\\times as matrix product", f) for n, f in out] + \
           [(f"{n + ', ' if n else ''}\\times element-wise", other) for n, _ in out]


def _restored(formula: Formula, latex: str) -> Formula:
    """A reading parsed from ``latex`` with ``\\times`` written ``\\odot `` (same length, so every span
    is unchanged): its texts in the user's own symbols again."""
    def back(node: Node) -> Node:
        node = node.map_children(back)
        return replace(node, src=node.src.replace("\\odot ", "\\times").replace("\\odot", "\\times"))
    return Formula(latex, back(formula.lhs), back(formula.rhs))


# -- conventions of the profile and the output layer -------------------------------------------
def convention_readings(latex: str, formula: Formula, prof: Notation,
                        order: str | None) -> list[tuple[str, Formula, Notation]]:
    """The other readings of the conventions ``formula`` touches (see the module docstring)."""
    used = keys(formula)
    out = []
    for conv in prof.conventions:
        if used & set(conv.when):
            try:
                out.append((conv.label, parse_formula(latex, notation=conv.notation, order=order), conv.notation))
            except BackpropVerifyError:
                continue
    top = _output_layer_reading(formula, prof)
    if top is not None:
        out.append((*top, prof))
    return out


def _indices(formula: Formula) -> list[Index]:
    return [n.index for side in (formula.lhs, formula.rhs) for n in walk(side)
            if isinstance(n, Sym) and n.index is not None]


def _output_layer_reading(formula: Formula, prof: Notation) -> tuple[str, Formula] | None:
    """The formula with its layer read as the output layer, when it uses the target y but
    never names the last layer: one letter l (then l -> L), or numbers only (the highest -> L)."""
    targets = [n for side in (formula.lhs, formula.rhs) for n in walk(side)
               if isinstance(n, Sym) and prof.symbols.get(n.key) == "Y"]
    if not targets or prof.fixed_depth is not None or prof.letter_layers:
        return None
    found = _indices(formula)
    letters = {i.var for i in found if i.var}
    if not found or letters & {prof.last_layer, *prof.last_aliases}:
        return None
    last = prof.last_layer
    if len(letters) == 1:
        var = letters.pop()
        name, move = f"{var} as the output layer {last}", (lambda i: Index(last, i.offset) if i.var == var else i)
    elif not letters:
        top = max(i.offset for i in found)
        if _names_the_input(formula, prof):  # x is layer 0 of this very network: its depth is top
            return f"layer {top} as the output layer (depth {top})", replace(formula, depth=top)
        name, move = f"layer {top} as the output layer", (lambda i: Index(last, i.offset - top))
    else:
        return None

    def relabel(node: Node) -> Node:
        node = node.map_children(relabel)
        return replace(node, index=move(node.index)) if isinstance(node, Sym) and node.index is not None else node
    return name, Formula(formula.text, relabel(formula.lhs), relabel(formula.rhs))


def _names_the_input(formula: Formula, prof: Notation) -> bool:
    """True when the formula writes the input (x, X) by its own symbol, not as a layer's values."""
    return any(isinstance(n, Sym) and prof.symbols.get(n.key) == "X" and n.index is None
               for side in (formula.lhs, formula.rhs) for n in walk(side))


# -- assumptions the symbols carry ---------------------------------------------------------------
_SQUARE = re.compile(r"\)\s*\^\s*(2|\{\s*2\s*\})")


def assumed(formula: Formula, prof: Notation, bounds: CheckBounds) -> tuple[CheckBounds, str]:
    """The bounds under which ``formula`` is read, and the note saying why when they change: the
    one-dimensional case for :attr:`Notation.scalar_symbols`, one example for
    :attr:`Notation.one_example_symbols` (when no batch size or architectures are asked for); and
    the element-wise reading of ``(..)^2``."""
    bounds, why = _assumed_sizes(formula, prof, bounds)
    if _SQUARE.search(formula.text):
        why = "; ".join(x for x in (why, "(..)^2 read element-wise (NumPy's **2, np.power(A, 2))") if x)
    return bounds, why


def _assumed_sizes(formula: Formula, prof: Notation, bounds: CheckBounds) -> tuple[CheckBounds, str]:
    if prof.letter_layers and bounds.min_depth is None and bounds.max_depth is None and bounds.architectures is None:
        top = max(prof.letter_layers.values())
        letters = ", ".join(f"{k} layer {v}" for k, v in prof.letter_layers.items())
        return replace(bounds, min_depth=top, max_depth=top), f"the {prof.name} network of depth {top} ({letters})"
    used = keys(formula)
    scalar = sorted(used & set(prof.scalar_symbols))
    if scalar and bounds.architectures is None:
        return replace(bounds, min_width=1, max_width=1, output_width=1), (
            f"read as the one-dimensional case n_0 = ... = n_k = 1 (the lower-case {', '.join(scalar)} are numbers)")
    one = _one_example(formula, prof, used)
    if one and bounds.batch is None and bounds.architectures is None:
        return replace(bounds, batch=1), (
            f"read for one example, m = 1 (the lower-case {', '.join(one)} name one example in {prof.name})")
    return bounds, ""


def _one_example(formula: Formula, prof: Notation, used: set[str]) -> list[str]:
    """The profile's one-example symbols ``formula`` uses, when all its batch-sized symbols are such
    and it neither names m nor sums."""
    batch_keys = {k for k in used if prof.symbols.get(k) in _BATCH_MEANINGS}
    batch = any(prof.symbols.get(k) == "m" for k in used) or "\\sum" in formula.text or "sum(" in formula.text
    return sorted(batch_keys) if batch_keys and not batch and batch_keys <= set(prof.one_example_symbols) else []
