"""Activation functions sigma and their derivatives sigma' (paper section 2).

An :class:`Activation` knows three things:

* ``sigma(z)`` and ``sigma_prime(z)`` as SymPy expressions (for display, LaTeX
  and numeric code);
* how its value ``s = sigma(N)`` and slope ``d = sigma'(N)`` relate
  algebraically, used by the exact check (:mod:`derivations.exact`): the
  identity has ``s = N, d = 1``; sigmoid ``d = s - s^2``; tanh ``d = 1 - s^2``;
  ReLU ``d = h, s = N h`` with ``h`` in {0, 1}; softplus and the abstract
  sigma leave ``s`` and ``d`` independent (a sufficient test);
* a NumPy implementation for the trainer.

``"softmax"`` is a *layer* activation, not coordinate-wise: Sigma_i = softmax(N_i)
with the n_i x n_i Jacobian d sigma_j / d N_l = sigma_j (delta_jl - sigma_l)
(:meth:`derivations.network.Network.softmax_jacobian`); the exact check uses that
relation and sum_j sigma_j = 1.

The abstract activation ``"sigma"`` stands for "any piecewise differentiable
sigma": every neuron gets its own undefined function sigma_ij, as in the paper.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import sympy as sp

from .errors import ActivationError

__all__ = ["Activation", "ACTIVATIONS", "get_activation", "activation_names"]

_z = sp.Symbol("z")


@dataclass(frozen=True)
class Activation:
    """A coordinate-wise activation sigma: R -> R.

    Attributes:
        name: registry key ("identity", "sigmoid", "tanh", "relu", "softplus", "sigma").
        sigma: sigma(z) as a SymPy expression in ``z`` (None for the abstract sigma).
        sigma_prime: sigma'(z) in ``z`` (None for the abstract sigma).
        relation: how (s, d) = (sigma(N), sigma'(N)) are tied: "free", "identity",
            "sigmoid", "tanh" or "relu" (see the module docstring).
        latex: how the function is written in formulas.
    """

    name: str
    sigma: sp.Expr | None
    sigma_prime: sp.Expr | None
    relation: str
    latex: str

    @property
    def is_abstract(self) -> bool:
        """True for the undefined, "any piecewise differentiable" sigma."""
        return self.name == "sigma"

    @property
    def is_layerwise(self) -> bool:
        """True for softmax, whose output j depends on the whole column N_i."""
        return self.relation == "softmax"

    def numpy_pair(self) -> tuple[Callable, Callable]:
        """(sigma, sigma') as NumPy ufunc-style callables (ReLU'(0) := 0)."""
        if self.is_abstract or self.is_layerwise:
            raise ActivationError(
                f"the activation {self.name!r} has no coordinate-wise numeric form here; "
                f"choose one of {', '.join(n for n in activation_names() if n not in ('sigma', 'softmax'))}")
        return _NUMPY[self.name]

    def __repr__(self) -> str:
        return f"Activation({self.name!r})"

    def _repr_latex_(self) -> str:
        if self.is_abstract:
            return r"$\sigma_{ij}\ \text{(any piecewise differentiable)}$"
        if self.is_layerwise:
            return r"$\operatorname{softmax}(z)_j = e^{z_j} / \sum_l e^{z_l}$"
        return f"$\\sigma(z) = {sp.latex(self.sigma)},\\ \\sigma'(z) = {sp.latex(self.sigma_prime)}$"


def _concrete(name: str, expr: sp.Expr, relation: str, latex: str) -> Activation:
    return Activation(name, expr, sp.diff(expr, _z), relation, latex)


ACTIVATIONS: dict[str, Activation] = {
    "identity": _concrete("identity", _z, "identity", r"\operatorname{id}"),
    "sigmoid": _concrete("sigmoid", 1 / (1 + sp.exp(-_z)), "sigmoid", r"\operatorname{sigmoid}"),
    "tanh": Activation("tanh", sp.tanh(_z), 1 - sp.tanh(_z) ** 2, "tanh", r"\tanh"),
    "relu": Activation("relu", sp.Max(0, _z), sp.Heaviside(_z, 0), "relu", r"\operatorname{ReLU}"),
    "softplus": _concrete("softplus", sp.log(1 + sp.exp(_z)), "free", r"\operatorname{softplus}"),
    "softmax": Activation("softmax", None, None, "softmax", r"\operatorname{softmax}"),
    "sigma": Activation("sigma", None, None, "free", r"\sigma"),
}

_ALIASES = {"id": "identity", "linear": "identity", "logistic": "sigmoid",
            "abstract": "sigma", "any": "sigma"}


def activation_names(*, layerwise: bool = False) -> tuple[str, ...]:
    """The coordinate-wise activation names (and softmax with ``layerwise=True``), in a stable order."""
    return tuple(n for n, a in ACTIVATIONS.items() if layerwise or not a.is_layerwise)


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


def _numpy_table() -> dict[str, tuple[Callable, Callable]]:
    import numpy as np

    def sigmoid(z):
        return 0.5 * (1.0 + np.tanh(0.5 * z))  # overflow-free logistic

    return {
        "identity": (lambda z: z, lambda z: np.ones_like(z)),
        "sigmoid": (sigmoid, lambda z: sigmoid(z) * (1.0 - sigmoid(z))),
        "tanh": (np.tanh, lambda z: 1.0 - np.tanh(z) ** 2),
        "relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(float)),
        "softplus": (lambda z: np.logaddexp(0.0, z), sigmoid),
    }


class _LazyNumpy(dict):
    def __missing__(self, key):
        self.update(_numpy_table())
        return dict.__getitem__(self, key)


_NUMPY: dict[str, tuple[Callable, Callable]] = _LazyNumpy()
