"""AST -> LaTeX, the inverse of parsing (every composite operand in parentheses).

``parse(render(ast))`` gives ``ast`` back in any reading order (juxtaposition is
rendered as ``\\cdot`` when needed, so compare with :func:`normalise`).
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from ..errors import UnsupportedNotationError
from .nodes import (
    Add,
    Apply,
    Fold,
    Formula,
    Grad,
    Hat,
    Index,
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
    chain_items,
    walk,
)
from .notation import Notation, parse_objective
from .profiles import get_notation

__all__ = ["to_latex", "formula_latex", "normalise", "translate_formula", "in_profile", "profile_formula_latex",
           "layer_letter"]

_OP = {"dot": r" \cdot ", "hadamard": r" \circ ", "bullet": r" \bullet ", "kron": r" \otimes "}


def _number(v: Fraction) -> str:
    if v.denominator == 1:
        return str(v.numerator)
    den = v.denominator
    while den % 2 == 0:
        den //= 2
    while den % 5 == 0:
        den //= 5
    if den == 1:  # a terminating decimal, exactly
        digits = len(str(v.denominator))
        return f"{float(v):.{digits + 1}f}".rstrip("0")
    return rf"\frac{{{v.numerator}}}{{{v.denominator}}}"


def _sym(s: Sym) -> str:
    text = s.name + "'" * s.primes
    neurons = f"_{{{''.join(s.neurons)}}}" if s.neurons else ""
    if s.index is None:
        return text + (f"^{{({s.sample})}}" if s.sample else "") + neurons
    if s.sample and s.style == "^":
        return f"{text}^{{{s.sample},{s.index}}}{neurons}"
    sample = f"({s.sample})" if s.sample else ""
    if s.style == "(":
        return f"{text}^{{({s.index}){sample}}}{neurons}"
    if s.style == "[":
        return f"{text}^{{[{s.index}]{sample}}}{neurons}"
    if s.style == "^":
        return f"{text}^{{{s.index}}}{neurons}"
    return f"{text}_{{{s.index}}}"


def _atomic(node: Node) -> bool:
    return isinstance(node, (Sym, Ones, Apply, Hat, Grad, Transpose, NpSum)) or (
        isinstance(node, Num) and node.value.denominator == 1 and node.value >= 0)


def _operand(node: Node) -> str:
    text = to_latex(node)
    return text if _atomic(node) else f"({text})"


def to_latex(node: Node) -> str:
    r"""LaTeX for an AST node.

    >>> from derivations.checker.nodes import Index
    >>> to_latex(Transpose(Sym("W", Index("i", 1))))
    'W_{i+1}^{T}'
    """
    if isinstance(node, Sym):
        return _sym(node)
    if isinstance(node, Num):
        return _number(node.value)
    if isinstance(node, Ones):
        return r"\mathbf{1}"
    if isinstance(node, Transpose):
        inner = node.arg
        base = _sym(inner) if isinstance(inner, Sym) and inner.style == "_" else f"({to_latex(inner)})"
        return base + "^{T}"
    if isinstance(node, Hat):
        if isinstance(node.arg, Sym):
            return rf"\widehat{{{_sym(node.arg)}}}"
        return rf"\operatorname{{diag}}({to_latex(node.arg)})"
    if isinstance(node, Neg):
        return f"-{_operand(node.arg)}"
    if isinstance(node, (Add, Sub)):
        sign = " + " if isinstance(node, Add) else " - "
        right = _operand(node.right) if isinstance(node.right, (Add, Sub, Neg)) else to_latex(node.right)
        return to_latex(node.left) + sign + right
    if isinstance(node, Prod):
        if node.op == "div":
            return rf"\frac{{{to_latex(node.left)}}}{{{to_latex(node.right)}}}"
        op = _OP.get(node.op, r" \cdot ")
        return _operand(node.left) + op + _operand(node.right)
    if isinstance(node, Apply):
        return f"{_sym(node.fn)}({to_latex(node.arg)})"
    if isinstance(node, Grad):
        return rf"\nabla_{{{to_latex(node.wrt)}}} {node.of}" + ("(x, y)" if node.per_sample else "")
    if isinstance(node, NpSum):
        axis = "" if node.axis is None else f", axis={node.axis}"
        return f"np.sum({to_latex(node.arg)}{axis}{', keepdims=True' if node.keepdims else ''})"
    if isinstance(node, SumBatch):
        return (rf"\sum_{{{node.var}}} " if node.var else r"\sum ") + _operand(node.body)
    if isinstance(node, Fold):
        return _fold(node)
    raise TypeError(f"cannot render {type(node).__name__}")  # pragma: no cover


def _items(items: list) -> str:
    return "".join((_OP.get(op, r" \cdot ") if op else "") + _operand(f) for op, f in items)


def _fold(node: Fold) -> str:
    r"""head, the first two units, \cdots, the last unit, tail (the step shows, so it parses back)."""
    head, tail = chain_items(node.head, node.sizes[0]), chain_items(node.tail, node.sizes[2])
    units = [node.unit_items(node.layer(0), node.entry if head else None),
             node.unit_items(node.layer(1), node.join)]
    text = _items(head + units[0] + units[1]) + _OP.get(node.join, r" \cdot ") + r"\cdots"
    text += _items(node.unit_items(node.last, node.join))
    return text + (_items([(node.exit, tail[0][1])] + tail[1:]) if tail else "")


def formula_latex(formula: Formula) -> str:
    """``LHS = RHS`` rendered from the AST."""
    return f"{to_latex(formula.lhs)} = {to_latex(formula.rhs)}"


def normalise(node: Node) -> Node:
    """The node with juxtaposition read as \\cdot and sources dropped (for comparisons)."""
    juxt = {"op": "dot"} if isinstance(node, Prod) and node.op == "juxt" else {}
    return replace(node.map_children(normalise, **juxt), src="", start=0, end=0)


def _translate(node: Node, source, target) -> Node:
    if isinstance(node, Apply) and node.fn.key in source.functions:
        meaning = source.functions[node.fn.key]
        fn = next((k for k, v in target.functions.items() if v == meaning), None)
        if fn is None:
            raise UnsupportedNotationError(f"the {target.name!r} notation has no function for {meaning} "
                                           f"({node.fn.src} in {source.name!r})")
        return replace(node, fn=Sym(fn.rstrip("'"), primes=fn.count("'")),
                       arg=_translate(node.arg, source, target))
    node = node.map_children(lambda child: _translate(child, source, target))
    if isinstance(node, Grad):
        spec = parse_objective(source.loss(node.of, node.per_sample))
        names = [k for k, v in target.losses.items() if parse_objective(v) == spec and "(" not in k]
        if not names:
            raise UnsupportedNotationError(f"the {target.name!r} notation has no objective {spec!r} "
                                           f"({node.of} in {source.name!r})")
        return replace(node, of=names[0])
    if not isinstance(node, Sym):
        return node
    meaning = source.meaning(node.key)
    key = next((k for k, v in target.symbols.items() if v == meaning), None)
    if key is None:
        raise UnsupportedNotationError(f"the {target.name!r} notation has no symbol for {meaning} "
                                       f"({node.src} in {source.name!r})")
    index = node.index
    if index is not None:
        ours = index.offset + source.offset(meaning)
        index = Index(_letter(index.var, source, target), ours - target.offset(meaning))
    return Sym(key.rstrip("'"), index, key.count("'"), target.index_styles[0], node.neurons, node.sample)


def _letter(var: str | None, source, target) -> str | None:
    last = var is not None and (var == source.last_layer or var in source.last_aliases)
    return target.last_layer if last else var


_SAME = ("layout", "last_offset", "batch", "batch_if_summed", "form", "output_activation", "hidden_activation",
         "scalar_1x1", "top_seed")


def _meanings(node: Node, source) -> set[str]:
    return {source.symbols.get(n.key, "") for n in walk(node) if isinstance(n, Sym)}


def _incompatible(formula: Formula, source, target) -> list[str]:
    """The conventions the formula relies on where ``source`` and ``target`` disagree."""
    out = [name for name in _SAME if getattr(source, name) != getattr(target, name)]
    used = _meanings(formula.lhs, source) | _meanings(formula.rhs, source)
    for name, meanings in (("delta_objective", {"Delta", "dA"}), ("default_loss", {"dW", "db"})):
        if used & meanings and parse_objective(getattr(source, name)) != parse_objective(getattr(target, name)):
            out.append(name)
    return out


def translate_formula(formula: Formula, source: Notation | str, target: Notation | str) -> str:
    """The LaTeX of ``formula`` (read in the profile ``source``) written in ``target``'s symbols,
    layer numbering and index style; the last-layer letter is renamed. The two profiles must agree
    on everything else that decides a verdict (layout, batch, form, activations, losses).

    ``source`` and ``target`` are profiles or their names ("nielsen", "ufldl", ...). To start from
    LaTeX, use :func:`derivations.checker.formula.translate`, which parses it first.

    Raises:
        UnsupportedNotationError: an unknown profile name, a symbol or objective the target has
            no name for, or layouts differ.
    """
    source, target = get_notation(source), get_notation(target)
    if not isinstance(formula, Formula):
        raise UnsupportedNotationError(f"translate needs a Formula or its LaTeX as formula, "
                                       f"got {type(formula).__name__}")
    differ = _incompatible(formula, source, target)
    if differ:
        raise UnsupportedNotationError(
            f"cannot translate from {source.name!r} to {target.name!r}: their conventions differ in "
            f"{', '.join(differ)}, so the same formula may get another verdict")
    lhs, rhs = (_translate(side, source, target) for side in (formula.lhs, formula.rhs))
    return f"{to_latex(lhs)} = {to_latex(rhs)}"


# -- meanings -> a profile's symbols (the LaTeX documents of derivations.latex) ---------------------
# A *meaning formula* is an AST whose Sym names are meanings (W, N, Sigma, Sigma_prime, Delta, ...)
# with our layer indices: Index("i", c) is the general layer i + c, Index("K", c) the last layer
# K + c, Index(None, j) layer j. Grad(of="") is the gradient of the profile's default loss (its dW, db
# where it names them); Grad(of="E") that of the objective the profile calls E.
_LAST = "K"


def layer_letter(target: Notation) -> str:
    """The letter a profile writes for the general layer: i next to the paper's k, else l (i if l is taken)."""
    return "i" if target.last_layer in ("k", "l") else "l"


def _symbol_for(meaning: str, target: Notation) -> str | None:
    return next((k for k, v in target.symbols.items() if v == meaning), None)


def _written(index: Index | None, meaning: str, target: Notation, letter: str) -> Index | None:
    if index is None:
        return None
    shift = target.offset(meaning)
    if index.var == _LAST:
        return Index(target.last_layer, index.offset - target.last_offset - shift)
    if index.var is None:
        return Index(None, index.offset - shift)
    return Index(letter, index.offset - shift + target.offset("N"))  # the letter is the pre-activation's layer


def _meaning_sym(node: Sym, target: Notation, letter: str) -> Node:
    meaning = node.name
    if meaning == "Sigma" and node.index == Index(None, 0) and _symbol_for("X", target):
        return Sym(_symbol_for("X", target).rstrip("'"))
    key = _symbol_for(meaning, target)
    if key is None and meaning in ("Sigma_prime", "Sigma"):
        fn = _function_for(meaning, target)
        if fn is not None and _symbol_for("N", target):
            arg = _meaning_sym(Sym("N", node.index), target, letter)
            return Apply(Sym(fn.rstrip("'"), primes=fn.count("'")), arg)
    if key is None:
        raise UnsupportedNotationError(f"the {target.name!r} notation has no symbol for {meaning}")
    index = _written(node.index, meaning, target, letter)
    if index is not None and index.var is None and target.defaults.get(key) == str(index.offset):
        index = None  # the profile's unindexed symbol means this layer (CS231n: W is layer 1)
    return Sym(key.rstrip("'"), index, key.count("'"), target.index_styles[0])


def _function_for(meaning: str, target: Notation) -> str | None:
    """The profile's function of that meaning, sigma first (the paper also reads \\Sigma(N_i))."""
    names = sorted((k for k, v in target.functions.items() if v == meaning),
                   key=lambda k: not k.startswith("\\sigma"))
    return names[0] if names else None


def _loss_name(target: Notation) -> str:
    spec = parse_objective(target.default_loss)
    names = [k for k, v in target.losses.items() if "(" not in k and parse_objective(v) == spec]
    if not names:
        raise UnsupportedNotationError(f"the {target.name!r} notation names no objective {target.default_loss!r}")
    return names[0]


def _to_profile(node: Node, target: Notation, letter: str) -> Node:
    if isinstance(node, Sym):
        return _meaning_sym(node, target, letter)
    if isinstance(node, Apply):
        fn = _function_for(node.fn.name, target)
        if fn is None:
            raise UnsupportedNotationError(f"the {target.name!r} notation has no function for {node.fn.name}")
        return Apply(Sym(fn.rstrip("'"), primes=fn.count("'")), _to_profile(node.arg, target, letter))
    if isinstance(node, Grad):
        if node.of:  # a named objective
            return Grad(node.of, _to_profile(node.wrt, target, letter))
        meaning = {"W": "dW", "b": "db"}.get(node.wrt.name) if isinstance(node.wrt, Sym) else None
        if meaning and _symbol_for(meaning, target):
            return _meaning_sym(Sym(meaning, node.wrt.index), target, letter)
        return Grad(_loss_name(target), _to_profile(node.wrt, target, letter))
    return node.map_children(lambda child: _to_profile(child, target, letter))


def _rows(node: Node, transpose: bool) -> Node:
    """``node`` (profile symbols, our column layout) written for a row-major profile, whose every matrix
    is our matrix transposed: a symbol S stands for our S^T, so ours = user^T; transposes go to the leaves."""
    if isinstance(node, (Sym, Grad)):
        return node if transpose else Transpose(node)
    if isinstance(node, (Num,)):
        return node
    if isinstance(node, Ones):
        return Transpose(node) if transpose else node
    if isinstance(node, Transpose):
        return _rows(node.arg, not transpose)
    if isinstance(node, Apply):
        return Apply(node.fn, _rows(node.arg, transpose))
    if isinstance(node, Prod) and node.op == "dot":
        left, right = (node.right, node.left) if transpose else (node.left, node.right)
        return replace(node, left=_rows(left, transpose), right=_rows(right, transpose))
    return node.map_children(lambda child: _rows(child, transpose))


def in_profile(node: Node, target: Notation | str, *, letter: str | None = None) -> Node:
    """A meaning formula's side written in ``target``'s symbols, layer numbering, index style and layout.

    Meaning Sym names (W, N, Sigma, Sigma_prime, Delta, dA, X, Y, b, m, lambda) become the profile's
    symbols; a slope without a symbol becomes the profile's function applied to the pre-activation
    (``\\sigma'(z^{l})``); ``Grad`` of W or b becomes dW / db, or the gradient of the default loss;
    our Sigma_0 is the profile's input. The general layer's letter is the pre-activation's written
    layer (Nielsen: z^l = w^l a^{l-1} + b^l; UFLDL: z^{(l)} = W^{(l-1)} a^{(l-1)} + b^{(l-1)}).
    Only for one side: a row-major profile needs both sides
    (:func:`profile_formula_latex`).

    Raises:
        UnsupportedNotationError: the profile has no symbol (or function, objective) for a meaning.

    >>> to_latex(in_profile(Sym("Delta", Index("i")), "nielsen"))
    '\\\\delta^{l}'
    """
    target = get_notation(target)
    return _to_profile(node, target, letter or layer_letter(target))


def profile_formula_latex(lhs: Node, rhs: Node, target: Notation | str, *, letter: str | None = None) -> str:
    """``lhs = rhs`` (a meaning formula) in ``target``'s notation; a row-major profile gets the transpose.

    >>> profile_formula_latex(Sym("N", Index("i")), Prod("dot", Sym("W", Index("i")), Sym("Sigma", Index("i", -1))),
    ...                       "rowmajor")
    'Z^{[l]} = A^{[l-1]} \\\\cdot W^{[l]}'
    """
    target = get_notation(target)
    sides = [in_profile(side, target, letter=letter) for side in (lhs, rhs)]
    if target.layout == "rows":
        sides = [_rows(side, True) for side in sides]
    return f"{_pretty(sides[0])} = {_pretty(sides[1])}"


def _pretty(node: Node) -> str:
    """:func:`to_latex`, but a scalar factor written by juxtaposition (``Prod("juxt", c, A)``: 1/m, lambda)
    is set before its operand without a dot, and a matrix product after it without parentheses."""
    if isinstance(node, Prod) and node.op == "juxt":
        right = node.right
        body = _pretty(right)
        if not (_atomic(right) or (isinstance(right, Prod) and right.op in ("dot", "juxt"))):
            body = f"({body})"
        return f"{_pretty(node.left)} {body}"
    if isinstance(node, (Add, Sub)):
        sign = " + " if isinstance(node, Add) else " - "
        right = _pretty(node.right)
        return _pretty(node.left) + sign + (f"({right})" if isinstance(node.right, (Add, Sub, Neg)) else right)
    if isinstance(node, Prod) and node.op in _OP:
        return _OP[node.op].join(p if _atomic(side) else f"({p})"
                                 for side, p in ((node.left, _pretty(node.left)), (node.right, _pretty(node.right))))
    return to_latex(node)
