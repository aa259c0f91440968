"""Public Hypothesis strategies for property-based tests of backpropagation code.

Typed, keyword-only and validated when called, like Hypothesis's own strategies:
a bad bound raises :class:`~derivations.errors.ArchitectureError` (a ``ValueError``)
with a message such as "Cannot have max_depth=1 < min_depth=2".

>>> from hypothesis import given
>>> @given(architectures(max_depth=2, activations=["tanh"]))
... def test_depth(arch):
...     assert 1 <= arch.depth <= 2
>>> test_depth()
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import sympy as sp
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from .activations import activation_names, get_activation
from .errors import ArchitectureError, BoundsError, UnknownNameError
from .network import FORMS as _FORMS
from .network import Architecture, Network
from .space import check_bound, check_range

__all__ = ["architectures", "activations", "networks", "points", "Point", "latex_formulas"]


def activations(*, names: Sequence[str] | None = None, concrete: bool = False) -> SearchStrategy[str]:
    """Activation names, from ``names`` (default: every registered one).

    Args:
        names: the names to draw from (validated; aliases allowed).
        concrete: leave out the abstract "sigma" (needed for numeric tests).

    Raises:
        ActivationError: an unknown name.
        ArchitectureError: nothing left to draw.
    """
    pool = list(activation_names() if names is None else names)
    if isinstance(names, str):
        raise ArchitectureError(f"names must be a sequence of names, got names={names!r}")
    resolved = [get_activation(n).name for n in pool]
    if concrete:
        resolved = [n for n in resolved if not get_activation(n).is_abstract]
    if not resolved:
        raise ArchitectureError(f"no activation to draw from: names={names!r}, concrete={concrete}")
    return st.sampled_from(sorted(set(resolved), key=resolved.index))


def architectures(*, min_depth: int = 1, max_depth: int = 4, min_width: int = 1, max_width: int = 3,
                  output_width: int | None = None,
                  activations: SearchStrategy[str] | Sequence[str] | None = None,
                  forms: Sequence[str] = ("homogeneous",),
                  mixed_activations: bool = False) -> SearchStrategy[Architecture]:
    """Architectures with depth k in min_depth..max_depth and widths n_0..n_k in min_width..max_width.

    Args:
        output_width: fix n_k (e.g. 1 for the paper's scalar f); None draws it like the others.
        activations: a strategy of names, or a list of names (default: every activation).
        forms: "homogeneous" and/or "affine".
        mixed_activations: draw one activation per layer instead of one per network.

    Shrinks towards depth min_depth, widths min_width, the first activation and form.
    """
    check_range("min_depth", min_depth, "max_depth", max_depth)  # the limits of every sweep (derivations.space)
    check_range("min_width", min_width, "max_width", max_width)
    if output_width is not None:
        check_bound("output_width", output_width)
    forms = tuple(forms)
    if not forms or any(f not in _FORMS for f in forms):
        raise UnknownNameError(f"forms must be a non-empty subset of {_FORMS}, got forms={forms!r}")
    acts = activations if isinstance(activations, SearchStrategy) else \
        globals()["activations"](names=activations)

    @st.composite
    def build(draw) -> Architecture:
        depth = draw(st.integers(min_depth, max_depth))
        widths = [draw(st.integers(min_width, max_width)) for _ in range(depth)]
        widths.append(output_width if output_width is not None else draw(st.integers(min_width, max_width)))
        layer_acts = [draw(acts) for _ in range(depth)] if mixed_activations else draw(acts)
        return Architecture(widths, layer_acts, draw(st.sampled_from(forms)))

    return build()


def networks(*, architectures: SearchStrategy[Architecture] | None = None, min_batch: int = 1,
             max_batch: int = 1) -> SearchStrategy[Network]:
    """Networks of drawn architectures (default :func:`architectures`), batch m in min_batch..max_batch."""
    check_range("min_batch", min_batch, "max_batch", max_batch)
    archs = architectures if architectures is not None else globals()["architectures"]()
    if not isinstance(archs, SearchStrategy):
        raise ArchitectureError(f"architectures must be a strategy, got {archs!r}")
    return st.builds(lambda a, m: Network(a, batch=m), archs, st.integers(min_batch, max_batch))


@dataclass(frozen=True)
class Point:
    """Float values for a network's X (n_0 x m), W_i, b_i (affine) and targets Y (n_k x m).

    ``W`` and ``b`` are keyed by layer i = 1..k, as in :mod:`numeric`.
    """

    X: np.ndarray
    W: dict[int, np.ndarray]
    b: dict[int, np.ndarray] = field(default_factory=dict)
    Y: np.ndarray | None = None

    def values(self, net: Network) -> dict[sp.Symbol, float]:
        """Symbol -> value for the named symbols of ``net`` (x, w, b, y)."""
        out = {s: float(v) for s, v in zip(net.X, self.X.ravel(), strict=True)}
        for i in range(1, net.depth + 1):
            out.update({s: float(v) for s, v in zip(net.W(i), self.W[i].ravel(), strict=True)})
            if net.is_affine:
                out.update({s: float(v) for s, v in zip(net.b(i), self.b[i].ravel(), strict=True)})
        if self.Y is not None:
            out.update({s: float(v) for s, v in zip(net.Y, self.Y.ravel(), strict=True)})
        return out


def points(network: Network, *, min_value: float = -2.0, max_value: float = 2.0,
           targets: bool = True) -> SearchStrategy[Point]:
    """Finite float values in [min_value, max_value] for X, every W_i, b_i and (targets) Y.

    Shapes: X n_0 x m, W_i n_i x n_{i-1}, b_i n_i x 1, Y n_k x m.
    """
    if not isinstance(network, Network):
        raise ArchitectureError(f"points needs a Network, got network={network!r}")
    for name, v in (("min_value", min_value), ("max_value", max_value)):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not np.isfinite(v):
            raise BoundsError(f"{name} must be a finite number, got {name}={v!r}")
    if max_value < min_value:
        raise BoundsError(f"Cannot have max_value={max_value} < min_value={min_value}")
    floats = st.floats(min_value, max_value, allow_nan=False, allow_infinity=False, allow_subnormal=False)

    def matrix(rows: int, cols: int) -> SearchStrategy[np.ndarray]:
        return st.lists(floats, min_size=rows * cols, max_size=rows * cols).map(
            lambda xs: np.array(xs, dtype=float).reshape(rows, cols))

    k, m = network.depth, network.m
    W = st.fixed_dictionaries({i: matrix(network.n(i), network.n(i - 1)) for i in range(1, k + 1)})
    b = st.fixed_dictionaries({i: matrix(network.n(i), 1) for i in range(1, k + 1)}) \
        if network.is_affine else st.just({})
    Y = matrix(network.n(k), m) if targets else st.none()
    return st.builds(Point, matrix(network.n(0), m), W, b, Y)


_BLOCKS = {
    "paper": ([r"\Delta_i", r"\nabla_{W_i} f", r"\nabla_{\Sigma_i} f"],
              [r"W_{i+1}^T", r"W_{i+1}", r"\Delta_{i+1}", r"\Sigma'_i", r"\Sigma_i", r"\Sigma_{i-1}^T",
               r"\widehat{\Sigma}'_i", r"(W_{i+1}^T \cdot \Delta_{i+1})", r"\frac{1}{2}"],
              [r" \cdot ", r" \circ ", r" \bullet ", r" \otimes ", " ", " + ", " - "]),
    "tutorial": ([r"\delta^{(l)}", r"dW^{(l)}", r"db^{(l)}"],
                 [r"(W^{(l+1)})^T", r"W^{(l+1)}", r"\delta^{(l+1)}", r"\delta^{(l)}", r"f'(z^{(l)})",
                  r"a^{(l)}", r"(a^{(l-1)})^T", r"\frac{1}{m}", r"\mathbf{1}"],
                 [r" \odot ", " ", r" \cdot ", " + ", " - "]),
}


def latex_formulas(*, notation: str = "paper", max_factors: int = 4) -> SearchStrategy[str]:
    """Well-formed LaTeX claims ``LHS = RHS`` in the symbols of a built-in notation.

    For fuzzing parsers and checkers: every string parses, some hold, most do not
    (wrong shapes or values). Shrinks towards one factor.
    """
    if notation not in _BLOCKS:
        raise UnknownNameError(f"notation must be one of {sorted(_BLOCKS)}, got notation={notation!r}")
    check_bound("max_factors", max_factors)
    lhs, factors, ops = (st.sampled_from(x) for x in _BLOCKS[notation])
    tail = st.lists(st.tuples(ops, factors), max_size=max_factors - 1)
    return st.builds(lambda left, head, rest: left + " = " + head + "".join(o + f for o, f in rest),
                     lhs, factors, tail)
