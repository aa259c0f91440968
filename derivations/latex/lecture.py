"""The derivation in a lecturer's notation: forward pass, delta rule, gradients, one section per objective.

Every formula is built once as a *meaning formula* (symbols named by meaning, our layer
indices; :mod:`derivations.checker.render`) and written in a notation profile's symbols,
layer numbering, index style and layout by the checker's renderer
(:func:`~derivations.checker.render.profile_formula_latex`). The LaTeX printed is then
checked by :func:`derivations.checker.check` in that profile, and its verdict (proved for
every architecture / holds on the sweep / fails) is what the document says: nothing is
called proved that the checker did not prove. An objective the profile does not name (its
own losses are kept) is added to a copy of the profile under a fresh letter, with the output
activation it needs (sigmoid for binary, softmax for categorical cross-entropy); the text
says so. A claim the profile cannot write (no symbol for a meaning) is left out, with a note.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import cached_property

from ..checker import CheckResult, Notation, check, get_notation
from ..checker.nodes import Add, Apply, Grad, Index, Node, Num, Ones, Prod, Sub, Sym, Transpose, reindex
from ..checker.notation import _frozen, describe_objective, parse_objective
from ..checker.render import profile_formula_latex
from ..errors import BackpropVerifyError, UnsupportedNotationError
from .texmath import tex_escape

__all__ = ["Claim", "one_layer_claims", "forward_claims", "backward_claims", "layer_claims",
           "objective_claims", "Objective", "OBJECTIVES", "verdict_note", "verdict_words"]

LAYER, K = "i", "K"


def _s(meaning: str, var: str | None = None, offset: int = 0) -> Sym:
    return Sym(meaning, Index(var, offset))


def _dot(a: Node, b: Node) -> Prod:
    return Prod("dot", a, b)


def _had(a: Node, b: Node) -> Prod:
    return Prod("hadamard", a, b)


def _scaled(factor: tuple[Fraction, int], node: Node) -> Node:
    """factor = (c, e): c m^e times ``node`` (e in -1, 0), written \\frac{p}{q m} node."""
    c, e = factor
    if e == 0:
        return node if c == 1 else Prod("juxt", Num(c), node)
    den: Node = Sym("m") if c.denominator == 1 else Prod("juxt", Num(Fraction(c.denominator)), Sym("m"))
    return Prod("juxt", Prod("div", Num(Fraction(c.numerator)), den), node)


_SCALE = {"1/(2m)": (Fraction(1, 2), -1), "1/m": (Fraction(1), -1), "1/2": (Fraction(1, 2), 0), "1": (Fraction(1), 0)}


def _times(a: tuple[Fraction, int], b: tuple[Fraction, int]) -> tuple[Fraction, int]:
    return a[0] * b[0], a[1] + b[1]


def _over(a: tuple[Fraction, int], b: tuple[Fraction, int]) -> tuple[Fraction, int]:
    return a[0] / b[0], a[1] - b[1]


def verdict_words(result: CheckResult) -> str:
    """The verdict in the document's words: proved for every architecture, holds on the sweep, fails."""
    return {"proved": "proved for every architecture", "holds on the sweep only": "holds on the sweep only",
            "fails": "fails"}.get(result.status, result.status)


def verdict_note(result: CheckResult) -> str:
    """The short remark set under a displayed claim (text mode)."""
    return verdict_words(result)


@dataclass(frozen=True)
class Claim:
    """One displayed formula of a profile document: name (label), title, the meaning formula, the profile.

    ``latex`` is the formula in the profile's notation (the checker's renderer); ``result`` the
    checker's verdict on exactly that text in ``notation``.
    """

    name: str
    title: str
    lhs: Node
    rhs: Node
    notation: Notation = field(compare=False)
    added: str = ""  # the objective in words, and whether the profile names it or it was added
    options: tuple[tuple[str, int], ...] = ()  # bounds for the checker (a layer's number: that depth only)

    @cached_property
    def latex(self) -> str:
        return profile_formula_latex(self.lhs, self.rhs, self.notation)

    @property
    def result(self) -> CheckResult:
        return _check(self.latex, self.notation, self.options)


_CHECKED: dict[tuple, CheckResult] = {}


def _key(prof: Notation) -> tuple:
    return tuple((f, tuple(sorted(v.items())) if hasattr(v, "items") else repr(v))
                 for f, v in vars(prof).items())


def _check(latex: str, notation: Notation, options: tuple = ()) -> CheckResult:
    """The checker's verdict, memoised per (text, profile, bounds): a document checks a claim once."""
    key = (latex, _key(notation), options)
    if key not in _CHECKED:
        try:
            _CHECKED[key] = check(latex, notation=notation, **dict(options))
        except BackpropVerifyError as err:  # never "proved": the document says the checker failed
            _CHECKED[key] = CheckResult(latex, notation.name, None, error=str(err))
    return _CHECKED[key]


def _claim(out: list, name: str, title: str, lhs: Node, rhs: Node, prof: Notation, added: str = "",
           options: tuple = ()) -> None:
    """Append the claim if the profile can write it (every meaning has a symbol)."""
    claim = Claim(name, title, lhs, rhs, prof, added, options)
    try:
        claim.latex  # noqa: B018 -- rendering decides whether the profile can write it
    except UnsupportedNotationError:
        return
    out.append(claim)


def _has(prof: Notation, meaning: str) -> bool:
    return meaning in prof.symbols.values()


def _slope(var: str | None, offset: int = 0) -> Sym:
    return _s("Sigma_prime", var, offset)


def forward_claims(prof: Notation) -> list[Claim]:
    """N_i = W_i Sigma_{i-1} (+ b_i) and Sigma_i = sigma(N_i), in the profile's symbols."""
    out: list[Claim] = []
    rhs: Node = _dot(_s("W", LAYER), _s("Sigma", LAYER, -1))
    if prof.form == "affine" and _has(prof, "b"):
        rhs = Add(rhs, _s("b", LAYER))
    _claim(out, "forward_N", "pre-activation", _s("N", LAYER), rhs, prof)
    _claim(out, "forward_Sigma", "activation", _s("Sigma", LAYER), Apply(Sym("Sigma"), _s("N", LAYER)), prof)
    return out


def _batch_factor(prof: Notation, spec: str) -> tuple[Fraction, int]:
    """The objective's scale, with m = 1 in a one-sample profile."""
    kind, scale, _ = parse_objective(spec)
    c, e = _SCALE[scale]
    return (c, e) if prof.batch > 1 else (c, 0)


def _top(prof: Notation, spec: str) -> Node | None:
    """grad_{N_K} of the objective ``spec``: (Sigma_K - Y) times the loss' factor, or None if unknown."""
    kind, scale, _ = parse_objective(spec)
    factor = _batch_factor(prof, spec)
    error = Sub(_s("Sigma", K), Sym("Y"))
    if kind == "mse":
        body = error if prof.output_activation == "identity" else _had(error, _slope(K))
        return _scaled(_times(factor, (Fraction(2), 0)), body)
    if kind in ("bce", "cce") and prof.output_activation in ("sigmoid", "softmax"):
        return _scaled(factor, error)
    if kind == "output" and prof.top_seed:
        return _slope(K)
    return None


def backward_claims(prof: Notation) -> list[Claim]:
    """The profile's own delta rule: Delta_K, the step, dA, and the gradients of its default loss."""
    out: list[Claim] = []
    top = _top(prof, prof.delta_objective)
    if top is not None:
        _claim(out, "delta_top", "the last layer's delta", _s("Delta", K), top, prof)
    back = _dot(Transpose(_s("W", LAYER, 1)), _s("Delta", LAYER, 1))
    _claim(out, "delta_step", "the delta rule", _s("Delta", LAYER), _had(back, _slope(LAYER)), prof)
    if prof.bullet == "bullet" and prof.name == "paper":
        _claim(out, "delta_step_bullet", "remark 3, the paper's form", _s("Delta", LAYER),
               _had(Prod("bullet", _s("Delta", LAYER, 1), Transpose(_s("W", LAYER, 1))), _slope(LAYER)), prof)
    _claim(out, "dA_step", "gradient of the layer output", _s("dA", LAYER), back, prof)
    _claim(out, "delta_from_dA", "delta from the layer output", _s("Delta", LAYER),
           _had(_s("dA", LAYER), _slope(LAYER)), prof)
    out += _gradient_claims(prof)
    return out


def _gradient_claims(prof: Notation) -> list[Claim]:
    out: list[Claim] = []
    dk, ds, _ = parse_objective(prof.delta_objective)
    lk, ls, wd = parse_objective(prof.default_loss)
    if dk != lk:
        return out
    factor = _over(_batch_factor(prof, prof.default_loss), _batch_factor(prof, prof.delta_objective))
    rhs: Node = _scaled(factor, _dot(_s("Delta", LAYER), Transpose(_s("Sigma", LAYER, -1))))
    if wd is not None:
        rhs = Add(rhs, _scaled(_decay(prof, wd), Prod("juxt", Sym("lambda"), _s("W", LAYER))))
    _claim(out, "grad_W", "gradient of the weights", Grad("", _s("W", LAYER)), rhs, prof)
    if prof.form == "affine":
        column: Node = _dot(_s("Delta", LAYER), Ones()) if prof.batch > 1 else _s("Delta", LAYER)
        _claim(out, "grad_b", "gradient of the bias", Grad("", _s("b", LAYER)), _scaled(factor, column), prof)
    return out


def _decay(prof: Notation, wd: str) -> tuple[Fraction, int]:
    c, e = _SCALE[wd]
    return 2 * c, e if prof.batch > 1 else 0


def _at(node: Node, layer: int, depth: int) -> Node:
    """``node`` with i and K replaced by the numbers ``layer`` and ``depth``."""
    return reindex(node, lambda ix: Index(None, ix.offset + {LAYER: layer, K: depth}[ix.var]) if ix.var else None)


def one_layer_claims(prof: Notation) -> list[Claim]:
    """For a profile of one layer (its unindexed W is layer 1, CS231n): N = W X, dW, db and dX for that layer."""
    if not any(prof.symbols.get(key) == "W" for key in prof.defaults):
        return []
    general = [Claim("forward_N", "", _s("N", LAYER), _dot(_s("W", LAYER), _s("Sigma", LAYER, -1)), prof)]
    read_out = _dot(_s("Delta", LAYER), Transpose(_s("Sigma", LAYER, -1)))
    general += [Claim("grad_W", "", Grad("", _s("W", LAYER)), read_out, prof),
                Claim("dA_step", "", _s("dA", LAYER, -1), _dot(Transpose(_s("W", LAYER)), _s("Delta", LAYER)), prof)]
    titles = {"forward_N": "the layer", "grad_W": "gradient of the weights", "dA_step": "gradient of the input"}
    out: list[Claim] = []
    for c in general:
        _claim(out, f"one_layer_{c.name}", titles[c.name], _at(c.lhs, 1, 1), _at(c.rhs, 1, 1), prof)
    return out


def layer_claims(prof: Notation, depth: int, general: list[Claim]) -> list[tuple[int, list[Claim]]]:
    """For each layer K..1 (ours): the general claims with the layer as a number, in the profile's numbering."""
    by_name = {c.name: c for c in general}
    out = []
    for layer in range(depth, 0, -1):
        claims: list[Claim] = []
        names = ["delta_top"] if layer == depth else ["delta_step"]
        for name in names + ["grad_W", "grad_b"]:
            c = by_name.get(name)
            if c is not None:
                _claim(claims, f"{name}_layer{layer}", c.title, _at(c.lhs, layer, depth),
                       _at(c.rhs, layer, depth), prof, options=(("min_depth", depth), ("max_depth", depth)))
        out.append((layer, claims))
    return out


@dataclass(frozen=True)
class Objective:
    """An objective of the objectives section: kind (output, mse, bce, cce, mse+wd), and its title."""

    key: str
    title: str
    kind: str


OBJECTIVES = (
    Objective("output", "The network output", "output"),
    Objective("mse", "Mean squared error", "mse"),
    Objective("bce", "Binary cross-entropy (sigmoid output)", "bce"),
    Objective("cce", "Categorical cross-entropy (softmax output)", "cce"),
    Objective("wd", "Weight decay (L2) added to the squared error", "wd"),
)
_LETTERS = ("E", "B", "H", "R", "Q", "F")
_CCE_BOUNDS = (("max_depth", 2), ("max_width", 2))
"""Softmax couples the outputs, so the checker has no proof: the last layer is swept at depths 1-2, widths 1-2."""


def _mse_spec(prof: Notation, batch: bool) -> tuple[str | None, str]:
    """(the profile's own MSE objective name or None, its spec) for one sample or a batch."""
    for name, spec in prof.losses.items():
        kind, scale, wd = parse_objective(spec)
        if kind == "mse" and wd is None and "(" not in name and ("m" in scale) == batch:
            return name, spec
    return None, "mse 1/(2m)" if batch else "mse 1/2"


def _objective_profile(prof: Notation, obj: Objective, batch: bool) -> tuple[Notation, str, str] | None:
    """(a copy of the profile naming the objective, its name, words if added) or None if it cannot."""
    m = (prof.batch if prof.batch > 1 else 3) if batch else 1
    base = replace(prof, batch=m, batch_if_summed=None, variants=())
    scale = "1/m" if batch else "1"
    if obj.kind == "output":  # the paper's f: one sample, seeded by V
        name = next((n for n, s in prof.losses.items() if s == "output"), None)
        return (base, name, _own(name, "output")) if name and prof.top_seed and not batch else None
    if obj.kind == "mse":
        name, spec = _mse_spec(prof, batch)
        if name is None:
            return _added(base, spec, "")
        return base, name, _own(name, spec)
    if obj.kind in ("bce", "cce"):
        act = "sigmoid" if obj.kind == "bce" else "softmax"
        base = replace(base, output_activation=act, output_width=None,
                       min_output_width=2 if act == "softmax" else 1)
        return _added(base, f"{obj.kind} {scale}", f"; output activation {act}")
    _, mse = _mse_spec(prof, batch)
    spec = f"{mse} + wd {'1/(2m)' if batch else '1/2'}"
    if not _has(prof, "lambda"):
        base = replace(base, symbols=_frozen({**base.symbols, "\\lambda": "lambda"}))
    return _added(base, spec, "")


def _added(prof: Notation, spec: str, extra: str) -> tuple[Notation, str, str]:
    taken = set(prof.symbols) | set(prof.functions) | set(prof.losses)
    same = next((n for n, s in prof.losses.items() if "(" not in n and parse_objective(s) == parse_objective(spec)),
                None)
    if same is not None:
        return prof, same, _own(same, spec)
    letter = next(x for x in _LETTERS if x not in taken)
    words = f"${letter}$ = {_objective_words(spec)}{extra} (added to the profile)"
    return replace(prof, losses=_frozen({**prof.losses, letter: spec})), letter, words


def _objective_words(spec: str) -> str:
    """The checker's words for an objective, as LaTeX text (the decay term in math)."""
    words = tex_escape(describe_objective(spec))
    return words.replace("lambda ", "$\\lambda$ ").replace("||W\\_i||\\textasciicircum{}2", "$\\|W_i\\|^2$")


def _own(name: str, spec: str) -> str:
    return f"${name}$ = {_objective_words(spec)} (the profile's own)"


def objective_claims(prof: Notation, obj: Objective, *, batch: bool) -> list[Claim]:
    """grad_{N_K}, the step, grad_{W_i} (and grad_{b_i}) of one objective, as gradients of that objective."""
    found = _objective_profile(prof, obj, batch)
    if found is None:
        return []
    p, name, added = found
    spec = p.losses[name]
    out: list[Claim] = []
    tag = f"{obj.key}_{'batch' if batch else 'one'}"

    def grad_n(var: str, off: int = 0) -> Grad:
        return Grad(name, _s("N", var, off))
    top = _top(p, spec.split("+")[0].strip())
    if top is not None:
        _claim(out, f"{tag}_top", "last layer", grad_n(K), top, p, added, _CCE_BOUNDS if obj.kind == "cce" else ())
    if obj.kind == "cce":  # softmax ties the outputs: no proof, a bounded sweep; the rest is every objective's
        return out
    back = _had(_dot(Transpose(_s("W", LAYER, 1)), grad_n(LAYER, 1)), _slope(LAYER))
    _claim(out, f"{tag}_step", "one layer down", grad_n(LAYER), back, p, added)
    rhs: Node = _dot(grad_n(LAYER), Transpose(_s("Sigma", LAYER, -1)))
    wd = parse_objective(spec)[2]
    if wd is not None:
        rhs = Add(rhs, _scaled(_decay(p, wd), Prod("juxt", Sym("lambda"), _s("W", LAYER))))
    _claim(out, f"{tag}_W", "weights", Grad(name, _s("W", LAYER)), rhs, p, added)
    if p.form == "affine":
        column = _dot(grad_n(LAYER), Ones()) if p.batch > 1 else grad_n(LAYER)
        _claim(out, f"{tag}_b", "bias", Grad(name, _s("b", LAYER)), column, p, added)
    return out


def profile(notation: str | Notation) -> Notation:
    """The profile (a name or a Notation) the document is written in."""
    return get_notation(notation)
