"""Notation profiles: what the symbols of a formula mean, as data.

A :class:`Notation` maps written symbols (``"W"``, ``"\\Sigma'"``, ``"a"``, ``"dW"``)
to *meanings* (:data:`MEANINGS`), names the last-layer letter (k or L), and fixes the
batch layout, the network form, the objectives and the reading order of product
chains. The grammar stays notation-neutral; adding a profile (Nielsen,
deeplearning.ai, UFLDL, ...) is adding one :class:`Notation` to :data:`NOTATIONS`.

Meanings (``net`` is a :class:`~derivations.network.Network`, K its depth; layers allowed):

* ``W``: ``net.W(j)``, n_j x n_{j-1}, 1..K (W_{K+1} = I with ``top_seed``);
* ``b``: ``net.b(j)``, n_j x 1, 1..K (affine network);
* ``N``, ``Sigma``, ``Sigma_prime``: ``net.N(j)``, ``net.Sigma(j)`` (0..K, Sigma_0 = X),
  ``net.Sigma_prime(j)``, n_j x m;
* ``Delta``: the true ``grad_N(net, j, delta objective)``, n_j x m, 1..K (Delta_{K+1} = V
  with ``top_seed``);
* ``X``, ``Y``, ``V``, ``output`` (f = Sigma_K), ``m`` (a scalar): no layer index;
* ``dW``, ``db``: the true gradients of the default loss, 1..K.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from ..errors import UnsupportedNotationError

__all__ = ["Notation", "NOTATIONS", "PAPER", "TUTORIAL", "MEANINGS", "OBJECTIVES", "get_notation",
           "notation_names"]

MEANINGS = ("W", "b", "N", "Sigma", "Sigma_prime", "Delta", "X", "Y", "V", "output", "m", "dW", "db")
OBJECTIVES = ("output", "1/(2m)", "1/m", "1/2", "1")
"""An objective is "output" (the network function f, seeded by V) or an MSE scale."""


def _frozen(d: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(d))


@dataclass(frozen=True)
class Notation:
    """A notation profile: symbol table, index convention, batch layout and losses.

    Attributes:
        name: the key in :data:`NOTATIONS`.
        description: one line for ``--help`` and the docs.
        symbols: written symbol (name + primes) -> meaning, e.g. ``"\\Sigma'": "Sigma_prime"``.
        functions: written function -> meaning of ``fn(N_j)``: ``"f'": "Sigma_prime"``.
        losses: the objective a gradient is taken of: ``"f": "output"``, ``"L": "1/(2m)"``.
        delta_objective: the objective of Delta / delta (the per-sample "1/2" for the tutorial).
        default_loss: the objective of dW, db.
        last_layer: the letter of the last layer (k, L).
        batch: m, samples as columns (1: a single sample).
        form: "homogeneous" or "affine" (b_i in a formula forces "affine").
        order: reading of product chains (see :data:`derivations.checker.transform.ORDERS`).
        scalar_1x1: a 1x1 matrix multiplies like a scalar (paper, remark 2).
        top_seed: Delta_{k+1} = V and W_{k+1}^T = 1 (paper, remark 3).
        broadcast: an n x 1 column adds to an n x m matrix column by column (NumPy).
    """

    name: str
    description: str
    symbols: Mapping[str, str]
    functions: Mapping[str, str] = field(default_factory=dict)
    losses: Mapping[str, str] = field(default_factory=dict)
    delta_objective: str = "output"
    default_loss: str = "output"
    last_layer: str = "k"
    batch: int = 1
    form: str = "homogeneous"
    order: str = "left"
    scalar_1x1: bool = False
    top_seed: bool = False
    broadcast: bool = False

    def __post_init__(self) -> None:
        bad = {k: v for k, v in self.symbols.items() if v not in MEANINGS}
        bad.update({k: v for k, v in self.functions.items() if v not in ("Sigma", "Sigma_prime")})
        bad.update({k: v for k, v in self.losses.items() if v not in OBJECTIVES})
        if bad:
            raise UnsupportedNotationError(f"notation {self.name!r}: unknown meanings {bad}; "
                                           f"symbols take {MEANINGS}, losses {OBJECTIVES}")
        checks = [(self.delta_objective in OBJECTIVES, "delta_objective"),
                  (self.default_loss in OBJECTIVES, "default_loss"),
                  (self.order in ("left", "right", "standard"), "order"),
                  (self.form in ("homogeneous", "affine"), "form"),
                  (isinstance(self.batch, int) and not isinstance(self.batch, bool) and self.batch >= 1, "batch"),
                  (isinstance(self.last_layer, str) and len(self.last_layer) == 1, "last_layer")]
        for ok, name in checks:
            if not ok:
                raise UnsupportedNotationError(
                    f"notation {self.name!r}: bad {name}, got {name}={getattr(self, name)!r}")

    def meaning(self, key: str) -> str:
        """The meaning of a written symbol (name with primes).

        Raises:
            UnsupportedNotationError: the symbol is unknown; the message lists the known ones.
        """
        try:
            return self.symbols[key]
        except KeyError:
            known = ", ".join(sorted(self.symbols))
            raise UnsupportedNotationError(
                f"unknown symbol {key!r} in the {self.name!r} notation; known: {known}") from None

    def loss(self, key: str) -> str:
        """The objective named ``key`` (f, L, C, ...)."""
        try:
            return self.losses[key]
        except KeyError:
            known = ", ".join(sorted(self.losses))
            raise UnsupportedNotationError(
                f"unknown objective {key!r} in the {self.name!r} notation; known: {known}") from None

    def __repr__(self) -> str:
        return f"Notation({self.name!r})"


PAPER = Notation(
    name="paper",
    description="Mishachev: N_i, Sigma_i, Sigma'_i, Delta_i, W_i (maps layer i-1 to i), X, f; one sample",
    symbols=_frozen({"W": "W", "N": "N", "\\Sigma": "Sigma", "\\Sigma'": "Sigma_prime",
                     "\\Delta": "Delta", "X": "X", "x": "X", "V": "V", "Y": "Y", "b": "b",
                     "m": "m", "f": "output"}),
    functions=_frozen({"\\Sigma": "Sigma", "\\Sigma'": "Sigma_prime", "\\sigma": "Sigma",
                       "\\sigma'": "Sigma_prime"}),
    losses=_frozen({"f": "output", "L": "1/(2m)", "J": "1/(2m)", "C": "1/2"}),
    delta_objective="output", default_loss="output", last_layer="k", batch=1,
    form="homogeneous", order="left", scalar_1x1=True, top_seed=True, broadcast=False,
)

TUTORIAL = Notation(
    name="tutorial",
    description="delta rule: z^(l), a^(l), W^(l), b^(l), delta^(l), f'(z^(l)), y; a batch of m samples "
                "as columns; MSE L = 1/(2m) sum ||a^(L) - y||^2",
    symbols=_frozen({"W": "W", "b": "b", "z": "N", "a": "Sigma", "\\delta": "Delta", "x": "X",
                     "X": "X", "y": "Y", "Y": "Y", "m": "m", "dW": "dW", "db": "db"}),
    functions=_frozen({"f": "Sigma", "f'": "Sigma_prime", "\\sigma": "Sigma", "\\sigma'": "Sigma_prime",
                       "g": "Sigma", "g'": "Sigma_prime"}),
    losses=_frozen({"L": "1/(2m)", "J": "1/(2m)", "E": "1/(2m)", "C": "1/2"}),
    delta_objective="1/2", default_loss="1/(2m)", last_layer="L", batch=2,
    form="affine", order="standard", scalar_1x1=False, top_seed=False, broadcast=True,
)

NOTATIONS: Mapping[str, Notation] = _frozen({"paper": PAPER, "tutorial": TUTORIAL})


def notation_names() -> tuple[str, ...]:
    """The names of the built-in notation profiles."""
    return tuple(NOTATIONS)


def get_notation(notation: str | Notation) -> Notation:
    """The profile called ``notation`` (a :class:`Notation` passes through).

    Raises:
        UnsupportedNotationError: unknown name; the message lists the known ones.
    """
    if isinstance(notation, Notation):
        return notation
    try:
        return NOTATIONS[str(notation).strip().lower()]
    except KeyError:
        raise UnsupportedNotationError(
            f"unknown notation {notation!r}; known: {', '.join(notation_names())}") from None
