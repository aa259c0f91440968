"""Activation functions sigma and their derivatives sigma' (paper section 2).

An :class:`Activation` carries its whole algebra, so a new activation is *one entry* of
:data:`ACTIVATIONS` and no other module names it:

* ``sigma`` and ``sigma_prime``: SymPy expressions in ``z`` (the composed f of
  :meth:`derivations.network.Network.f`, the display, the witness forward pass
  :meth:`Activation.forward`: exact, or 50 digits when transcendental; ``kinks`` are the
  points where sigma' is undefined, e.g. ReLU at 0);
* the relation the exact check (:mod:`derivations.exact`) substitutes for the value
  s = sigma(N) and the slope d = sigma'(N) of each neuron (:meth:`Activation.specialize`):
  templates ``value`` (in z and h) and ``slope`` (in s, z and h), where z is the
  pre-activation N and h a fresh 0/1 symbol (h^2 = h) per neuron. The identity has
  s = z, d = 1; sigmoid d = s - s^2; tanh d = 1 - s^2; ReLU s = z h, d = h; softplus and
  the abstract sigma leave s and d free (a sufficient test);
* ``numpy``: the NumPy pair (f, f') for the trainer, and f' written through the value
  a = f(z) for the compiled code (sigmoid' = a - a^2, tanh' = 1 - a^2) (:class:`NumpyForm`);
* the LaTeX: ``latex`` (the name in formulas), :meth:`Activation.value_latex` and
  :meth:`Activation.relation_latex` (by default the ``slope`` template, typeset).

``"softmax"`` is a *layer* activation, not coordinate-wise: Sigma_i = softmax(N_i)
with the n_i x n_i Jacobian d sigma_j / d N_l = sigma_j (delta_jl - sigma_l)
(:meth:`derivations.network.Network.softmax_jacobian`); the exact check uses that
relation and sum_j sigma_j = 1.

The abstract activation ``"sigma"`` stands for "any piecewise differentiable
sigma": every neuron gets its own undefined function sigma_ij, as in the paper.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass
from functools import lru_cache
from typing import Callable

import symengine as se
import sympy as sp

from .errors import ActivationError

__all__ = ["Activation", "NumpyForm", "ACTIVATIONS", "get_activation", "activation_names", "Z", "S", "H"]

Z, S, H = sp.symbols("z s h")
"""The template symbols: pre-activation z = N_ij, value s = sigma_ij, and a 0/1 symbol h (h^2 = h)."""

_PIECEWISE = (sp.Max, sp.Min, sp.Heaviside, sp.Abs, sp.sign, sp.Piecewise)


@dataclass(frozen=True)
class NumpyForm:
    """An activation in NumPy: ``value`` f(z), ``slope`` f'(z), and f' through the value a = f(z).

    ``value=None`` means f(z) = z and ``slope=None`` f' = 1 (the compiled code then applies
    nothing). ``slope_of_value`` (optional) gives f' from a = f(z), the relation the exact
    check uses (sigmoid: a - a^2); the compiled gradient prefers it, so f is evaluated once.
    """

    value: Callable | None = None
    slope: Callable | None = None
    slope_of_value: Callable | None = None


@dataclass(frozen=True)
class Activation:
    """A coordinate-wise activation sigma: R -> R, with its whole algebra (see the module docstring).

    Attributes:
        name: registry key ("identity", "sigmoid", "tanh", "relu", "softplus", "silu", "softmax", "sigma").
        sigma: sigma(z) as a SymPy expression in ``z`` (None for the abstract sigma and softmax).
        latex: how the function is written in formulas.
        sigma_prime: sigma'(z) in ``z``; by default d sigma / d z.
        value: the exact check's sigma in z, h (None: sigma stays a free symbol).
        slope: the exact check's sigma' in s, z, h (None: sigma' stays free).
        kinks: points where sigma' is undefined; the witness search avoids them.
        numpy: the NumPy form (None: no numeric form).
        value_tex: (z) -> inline LaTeX of sigma(z), when ``sp.latex`` is unsuitable.
        relation_tex: (s, d, z) -> LaTeX of the relation, when the typeset ``slope`` is unsuitable.
        layerwise: True for softmax (output j depends on the whole column N_i).

    >>> tanh = get_activation("tanh")
    >>> tanh.specialize(se.Symbol("s"), se.Symbol("d"), se.Symbol("N"))
    {d: 1 - s**2}
    >>> tanh.relation_latex("s", "d", "N")
    'd = 1 - s^{2}'
    """

    name: str
    sigma: sp.Expr | None
    latex: str
    _: KW_ONLY
    sigma_prime: sp.Expr | None = None
    value: sp.Expr | None = None
    slope: sp.Expr | None = None
    kinks: tuple = ()
    numpy: NumpyForm | None = None
    value_tex: Callable[[str], str] | None = None
    relation_tex: Callable[[str, str, str], str] | None = None
    layerwise: bool = False

    def __post_init__(self) -> None:
        if self.sigma is not None and self.sigma_prime is None:
            object.__setattr__(self, "sigma_prime", sp.diff(self.sigma, Z))
        for what, template, allowed in [("value", self.value, {Z, H}), ("slope", self.slope, {S, Z, H})]:
            if template is not None and not sp.sympify(template).free_symbols <= allowed:
                raise ActivationError(f"activation {self.name!r}: the {what} template may use only "
                                      f"{sorted(map(str, allowed))}, got {what}={template!r}")

    @property
    def is_abstract(self) -> bool:
        """True for the undefined, "any piecewise differentiable" sigma."""
        return self.sigma is None and not self.layerwise

    @property
    def is_layerwise(self) -> bool:
        """True for softmax, whose output j depends on the whole column N_i."""
        return self.layerwise

    @property
    def is_transcendental(self) -> bool:
        """True when sigma or sigma' involves exp, log, tanh, ...: the witness then uses 50 digits."""
        exprs = [e for e in (self.sigma, self.sigma_prime) if e is not None]
        return any(not isinstance(f, _PIECEWISE) for e in exprs for f in e.atoms(sp.Function))

    @property
    def substitutes_value(self) -> bool:
        """True when the exact check writes sigma through N (identity, ReLU): Sigma_i hides W_i Sigma_{i-1}."""
        return self.value is not None

    @property
    def uses_idempotent(self) -> bool:
        """True when the relation needs a fresh 0/1 symbol h per neuron (ReLU)."""
        return any(t is not None and H in sp.sympify(t).free_symbols for t in (self.value, self.slope))

    # -- the exact check ------------------------------------------------------------
    def specialize(self, s: se.Basic, d: se.Basic, pre: se.Basic, h: se.Basic | None = None) -> dict:
        """{s: value, d: slope} for one neuron, in SymEngine; the entries left free are absent.

        Args:
            s, d: the neuron's value and slope symbols sigma_{i,j}, sigma'_{i,j}.
            pre: its pre-activation N_ij in the base symbols.
            h: the neuron's fresh 0/1 symbol, required when :attr:`uses_idempotent`.
        Raises:
            ActivationError: a layer-wise activation, or h missing.
        """
        if self.layerwise:
            raise ActivationError(f"{self.name} is layer-wise: it has no per-neuron relation")
        if h is None and self.uses_idempotent:
            raise ActivationError(f"the {self.name} relation needs a fresh 0/1 symbol h per neuron")
        names = {Z: pre, H: h}
        out, value = {}, s
        if self.value is not None:
            value = out[s] = _instantiate(self.value, names)
        if self.slope is not None:
            out[d] = _instantiate(self.slope, {**names, S: value})
        return out

    # -- the witness forward pass ---------------------------------------------------
    def forward(self, pre: sp.Expr, *, digits: int = 50) -> tuple[sp.Expr, sp.Expr] | None:
        """(sigma(pre), sigma'(pre)) at a number; None on a kink. ``digits`` digits when transcendental.

        >>> get_activation("relu").forward(sp.Integer(-2)), get_activation("relu").forward(sp.Integer(0))
        ((0, 0), None)
        """
        if self.sigma is None:
            raise ActivationError(f"{self.name} has no coordinate-wise forward pass")
        if any(pre == kink for kink in self.kinks):
            return None
        if self.is_transcendental:
            pre = sp.N(pre, digits)
            return sp.N(self.sigma.subs(Z, pre), digits), sp.N(self.sigma_prime.subs(Z, pre), digits)
        return self.sigma.subs(Z, pre), self.sigma_prime.subs(Z, pre)

    # -- NumPy ----------------------------------------------------------------------
    def numpy_pair(self) -> tuple[Callable, Callable]:
        """(sigma, sigma') as NumPy ufunc-style callables of z (ReLU'(0) := 0)."""
        if self.numpy is None:
            raise ActivationError(
                f"the activation {self.name!r} has no coordinate-wise numeric form here; "
                f"choose one of {', '.join(activation_names(numeric=True))}")
        return self.numpy.value or _identity, self.numpy.slope or _ones

    # -- LaTeX ----------------------------------------------------------------------
    def value_latex(self, pre: str) -> str:
        """Inline LaTeX of sigma(pre), e.g. ``\\tanh{\\left(N_{1,j} \\right)}``."""
        if self.sigma is None:
            raise ActivationError(f"{self.name} has no coordinate-wise formula")
        if self.value_tex is not None:
            return self.value_tex(pre)
        return sp.latex(self.sigma.subs(Z, sp.Symbol(pre)))

    def relation_latex(self, s: str, d: str, pre: str) -> str | None:
        """LaTeX of the relation the exact check uses, in the names s, d, pre; None when free."""
        if self.relation_tex is not None:
            return self.relation_tex(s, d, pre)
        if self.slope is None:
            return None
        return f"{d} = {sp.latex(sp.sympify(self.slope).subs({S: sp.Symbol(s), Z: sp.Symbol(pre)}))}"

    def __repr__(self) -> str:
        return f"Activation({self.name!r})"

    def _repr_latex_(self) -> str:
        if self.is_abstract:
            return r"$\sigma_{ij}\ \text{(any piecewise differentiable)}$"
        if self.is_layerwise:
            return r"$\operatorname{softmax}(z)_j = e^{z_j} / \sum_l e^{z_l}$"
        return f"$\\sigma(z) = {sp.latex(self.sigma)},\\ \\sigma'(z) = {sp.latex(self.sigma_prime)}$"


@lru_cache(maxsize=None)
def _template(expr: sp.Expr) -> tuple[se.Basic, bool]:
    """(the template in SymEngine, whether it is compound: then the result is expanded)."""
    expr = sp.sympify(expr)
    return se.sympify(expr), bool(expr.args)


def _instantiate(template: sp.Expr, names: dict) -> se.Basic:
    body, compound = _template(template)
    out = body.subs({se.Symbol(k.name): v for k, v in names.items() if v is not None})
    return se.expand(out) if compound else out


# -- NumPy implementations (numpy imported on first use) --------------------------------
def _np():
    import numpy

    return numpy


def _identity(z):
    return z


def _ones(z):
    return _np().ones_like(z)


def _logistic(z):
    return 0.5 * (1.0 + _np().tanh(0.5 * z))  # overflow-free logistic


def _logistic_prime(z):
    a = _logistic(z)
    return a * (1.0 - a)


def _a_minus_square(a):
    out = a * a
    return _np().subtract(a, out, out=out)  # one temporary, not two


def _tanh(z):
    return _np().tanh(z)


def _tanh_prime(z):
    return 1.0 - _np().tanh(z) ** 2


def _one_minus_square(a):
    out = a * a
    return _np().subtract(1.0, out, out=out)


def _relu(z):
    return _np().maximum(z, 0.0)


def _step(z):
    return (z > 0).astype(z.dtype if z.dtype.kind == "f" else float)


def _softplus(z):
    return _np().logaddexp(0.0, z)


def _silu(z):
    return z * _logistic(z)


def _silu_prime(z):
    a = _logistic(z)
    return a * (1.0 + z * (1.0 - a))


# -- the registry: one entry per activation ----------------------------------------------
ACTIVATIONS: dict[str, Activation] = {
    "identity": Activation("identity", Z, r"\operatorname{id}", value=Z, slope=sp.Integer(1), numpy=NumpyForm()),
    "sigmoid": Activation(
        "sigmoid", 1 / (1 + sp.exp(-Z)), r"\operatorname{sigmoid}", slope=S - S**2,
        numpy=NumpyForm(_logistic, _logistic_prime, _a_minus_square),
        value_tex=lambda z: f"1 / (1 + e^{{-{z}}})",  # inline \frac is tiny
        relation_tex=lambda s, d, z: f"{d} = {s}(1 - {s})"),
    "tanh": Activation("tanh", sp.tanh(Z), r"\tanh", slope=1 - S**2,
                       numpy=NumpyForm(_tanh, _tanh_prime, _one_minus_square)),
    "relu": Activation("relu", sp.Max(0, Z), r"\operatorname{ReLU}", sigma_prime=sp.Heaviside(Z, 0),
                       value=Z * H, slope=H, kinks=(0,), numpy=NumpyForm(_relu, _step),
                       relation_tex=lambda s, d, z: f"{d} \\in \\{{0, 1\\}}"),
    "softplus": Activation("softplus", sp.log(1 + sp.exp(Z)), r"\operatorname{softplus}",
                           numpy=NumpyForm(_softplus, _logistic)),
    "silu": Activation("silu", Z / (1 + sp.exp(-Z)), r"\operatorname{SiLU}",
                       numpy=NumpyForm(_silu, _silu_prime), value_tex=lambda z: f"{z} / (1 + e^{{-{z}}})"),
    "softmax": Activation("softmax", None, r"\operatorname{softmax}", layerwise=True),
    "sigma": Activation("sigma", None, r"\sigma"),
}

_ALIASES = {"id": "identity", "linear": "identity", "logistic": "sigmoid", "swish": "silu",
            "abstract": "sigma", "any": "sigma"}


def activation_names(*, layerwise: bool = False, numeric: bool = False) -> tuple[str, ...]:
    """The coordinate-wise activation names, in a stable order.

    Args:
        layerwise: include softmax.
        numeric: only those with a NumPy form (the trainer's).
    """
    return tuple(n for n, a in ACTIVATIONS.items()
                 if (layerwise or not a.is_layerwise) and (not numeric or a.numpy is not None))


def get_activation(name: str | Activation) -> Activation:
    """The :class:`Activation` called ``name`` (case-insensitive; a few aliases).

    Raises:
        ActivationError: unknown name; the message lists the known ones.
    """
    if isinstance(name, Activation):
        return name
    if not isinstance(name, str):
        raise ActivationError(f"activation must be a name, got {name!r}")
    key = _ALIASES.get(name.strip().lower(), name.strip().lower())
    try:
        return ACTIVATIONS[key]
    except KeyError:
        raise ActivationError(
            f"unknown activation {name!r}; known: {', '.join(activation_names(layerwise=True))}") from None
