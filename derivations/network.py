"""Architectures and the homogeneous/affine network function f(X; W) (paper sections 2-3).

Conventions (paper section 2):

* layers i = 1..k, widths n_0..n_k; ``W_i`` is n_i x n_{i-1} and maps layer i-1 to i;
* ``N_i = W_i . Sigma_{i-1}`` (homogeneous) or ``N_i = W_i . Sigma_{i-1} + b_i`` (affine),
  ``Sigma_i = Sigma_i(N_i)`` applied coordinate-wise, ``Sigma_0 = X``;
* a batch of m samples is stored as columns: X is n_0 x m (m = 1 is the paper's case).

The layer values are *named*: ``net.Sigma(i)`` is the column of symbols
``sigma_{i,j}`` that stand for sigma_ij(N_ij), and ``net.Sigma_prime(i)`` the
symbols ``sigma'_{i,j}`` for sigma'_ij(N_ij). Formulas are written in these
names; :func:`Network.f` gives the composed function itself, and
:mod:`derivations.ground_truth` differentiates that composition directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterable, Sequence, Union

import sympy as sp

from .activations import Activation, get_activation
from .errors import ArchitectureError

__all__ = ["Architecture", "Network", "Widths", "FORMS"]

Widths = tuple[int, ...]
FORMS = ("homogeneous", "affine")
ActivationSpec = Union[str, Activation, Sequence[Union[str, Activation]]]


def _check_widths(widths: Iterable[int]) -> Widths:
    try:
        ws = tuple(widths)
    except TypeError:
        raise ArchitectureError(f"widths must be a sequence of integers, got widths={widths!r}") from None
    if len(ws) < 2:
        raise ArchitectureError(f"a network needs at least widths n_0, n_1 (one layer), got widths={ws!r}")
    for pos, n in enumerate(ws):
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ArchitectureError(f"every width must be an integer >= 1, got n_{pos}={n!r} in widths={ws!r}")
    return ws


@dataclass(frozen=True)
class Architecture:
    """Widths n_0..n_k, one activation per layer 1..k, and the form.

    Args:
        widths: (n_0, ..., n_k), each >= 1.
        activations: one name (used for every layer) or k names; see
            :func:`derivations.activations.get_activation`.
        form: "homogeneous" (paper section 2) or "affine" (explicit biases).

    Raises:
        ArchitectureError: widths < 1 or too few; activation count != k.
        ActivationError: an unknown activation name.

    >>> Architecture((2, 2, 1), "tanh")
    Architecture([2, 2, 1], tanh, homogeneous)
    """

    widths: Widths
    activations: tuple[str, ...] = field(default=())
    form: str = "homogeneous"

    def __init__(self, widths: Iterable[int], activations: ActivationSpec = "sigma",
                 form: str = "homogeneous") -> None:
        ws = _check_widths(widths)
        k = len(ws) - 1
        if isinstance(activations, (str, Activation)):
            acts = (activations,) * k
        else:
            acts = tuple(activations)
            if len(acts) != k:
                raise ArchitectureError(
                    f"need one activation per layer: k={k} layers for widths={list(ws)}, "
                    f"got {len(acts)} activations {[getattr(a, 'name', a) for a in acts]}")
        names = tuple(get_activation(a).name for a in acts)
        if form not in FORMS:
            raise ArchitectureError(f"form must be one of {FORMS}, got form={form!r}")
        object.__setattr__(self, "widths", ws)
        object.__setattr__(self, "activations", names)
        object.__setattr__(self, "form", form)

    @property
    def depth(self) -> int:
        """k, the number of layers (W_1..W_k)."""
        return len(self.widths) - 1

    def n(self, i: int) -> int:
        """Width n_i of layer i (n_0 is the input size)."""
        self.check_layer(i, lowest=0)
        return self.widths[i]

    def activation(self, i: int) -> Activation:
        """Activation of layer i = 1..k."""
        self.check_layer(i)
        return get_activation(self.activations[i - 1])

    def check_layer(self, i: int, *, lowest: int = 1) -> None:
        """Raise ArchitectureError unless lowest <= i <= k."""
        if isinstance(i, bool) or not isinstance(i, int) or not lowest <= i <= self.depth:
            raise ArchitectureError(
                f"layer index must be in {lowest}..{self.depth} for widths={list(self.widths)}, got i={i!r}")

    @property
    def is_one_dimensional(self) -> bool:
        """n_0 = n_1 = ... = n_k = 1 (paper section 4)."""
        return all(n == 1 for n in self.widths)

    @property
    def size(self) -> tuple[int, int, Widths]:
        """Sort key: smaller architectures first (depth, then total width, then widths)."""
        return (self.depth, sum(self.widths), self.widths)

    def with_(self, **changes) -> "Architecture":
        """A copy with some fields replaced."""
        kw = dict(widths=self.widths, activations=self.activations, form=self.form)
        kw.update(changes)
        return Architecture(**kw)

    def __repr__(self) -> str:
        acts = self.activations[0] if len(set(self.activations)) == 1 else ",".join(self.activations)
        return f"Architecture({list(self.widths)}, {acts}, {self.form})"

    def label(self) -> str:
        """Short label such as ``[2,2,1] tanh``."""
        acts = self.activations[0] if len(set(self.activations)) == 1 else "/".join(self.activations)
        return f"[{','.join(map(str, self.widths))}] {acts}" + (" affine" if self.form == "affine" else "")

    def _repr_latex_(self) -> str:
        ws = r" \to ".join(f"\\mathbb{{R}}^{{{n}}}" for n in self.widths)
        return f"$f: {ws}$"


def _sym(name: str) -> sp.Symbol:
    return sp.Symbol(name)


class Network:
    """The network function of an :class:`Architecture`, with named layer values.

    Args:
        architecture: widths, activations and form.
        batch: m, the number of samples (columns of X). The paper has m = 1.
        formal_neurons: (i, j) pairs (1-based layer, 0-based row) whose activation is
            forced to the identity; used by the affine embedding (section 3, condition (c)).
        fixed: values of some x / w entries held constant (section 3, conditions (a), (b));
            the ground truth still differentiates with respect to them, the exact check
            substitutes them on both sides.
        free_seed: V is a column of symbols even when n_k = m = 1 (the local models of
            :mod:`derivations.checker.prove`, where V stands for the gradient from above).

    Shapes: X is n_0 x m; W(i) n_i x n_{i-1}; b(i) n_i x 1 (affine only);
    N(i), Sigma(i), Sigma_prime(i) n_i x m; V and Y n_k x m.

    >>> net = Network(Architecture((2, 1)))
    >>> net.W(1).shape, net.Sigma(1).shape
    ((1, 2), (1, 1))
    """

    def __init__(self, architecture: Architecture, *, batch: int = 1,
                 formal_neurons: Iterable[tuple[int, int]] = (),
                 fixed: dict[sp.Symbol, sp.Expr] | None = None, free_seed: bool = False) -> None:
        if not isinstance(architecture, Architecture):
            raise ArchitectureError(f"expected an Architecture, got {architecture!r}")
        if isinstance(batch, bool) or not isinstance(batch, int) or batch < 1:
            raise ArchitectureError(f"batch size must be an integer >= 1, got batch={batch!r}")
        self.architecture = architecture
        self.m = batch
        self.formal_neurons = frozenset(formal_neurons)
        self.fixed = dict(fixed or {})
        self.free_seed = bool(free_seed)
        for i, j in self.formal_neurons:
            architecture.check_layer(i)
            if not 0 <= j < architecture.n(i):
                raise ArchitectureError(f"formal neuron row {j} out of range for layer {i}")
        self._cache: dict = {}

    # -- sizes -----------------------------------------------------------------
    @property
    def widths(self) -> Widths:
        return self.architecture.widths

    @property
    def depth(self) -> int:
        """k, the number of layers."""
        return self.architecture.depth

    @property
    def is_affine(self) -> bool:
        return self.architecture.form == "affine"

    def n(self, i: int) -> int:
        """Width n_i."""
        return self.architecture.n(i)

    def activation(self, i: int, j: int = 0) -> Activation:
        """Activation of neuron j (0-based) of layer i; formal neurons are the identity."""
        if (i, j) in self.formal_neurons:
            return get_activation("identity")
        return self.architecture.activation(i)

    # -- symbols ---------------------------------------------------------------
    def _suffix(self, s: int) -> str:
        return f",{s + 1}" if self.m > 1 else ""

    @cached_property
    def X(self) -> sp.Matrix:
        """Input X = Sigma_0, n_0 x m, entries x_{c} (x_{c,s} for a batch)."""
        return sp.Matrix(self.n(0), self.m, lambda c, s: _sym(f"x_{{{c + 1}{self._suffix(s)}}}"))

    def W(self, i: int) -> sp.Matrix:
        """Weight matrix W_i, n_i x n_{i-1}, entries w^{(i)}_{r,c} (1-based in the name)."""
        self.architecture.check_layer(i)
        return self._memo(("W", i), lambda: sp.Matrix(
            self.n(i), self.n(i - 1), lambda r, c: _sym(f"w^{{({i})}}_{{{r + 1},{c + 1}}}")))

    def b(self, i: int) -> sp.Matrix:
        """Bias column b_i, n_i x 1 (affine form only)."""
        self.architecture.check_layer(i)
        if not self.is_affine:
            raise ArchitectureError("a homogeneous network has no biases; use form='affine'")
        return self._memo(("b", i), lambda: sp.Matrix(self.n(i), 1, lambda r, _: _sym(f"b^{{({i})}}_{{{r + 1}}}")))

    def Sigma(self, i: int) -> sp.Matrix:
        """Layer output Sigma_i = Sigma_i(N_i) as named symbols sigma_{i,j}; Sigma_0 = X."""
        self.architecture.check_layer(i, lowest=0)
        if i == 0:
            return self.X
        return self._memo(("S", i), lambda: sp.Matrix(
            self.n(i), self.m, lambda j, s: _sym(f"\\sigma_{{{i},{j + 1}{self._suffix(s)}}}")))

    def Sigma_prime(self, i: int) -> sp.Matrix:
        """Column Sigma'_i = Sigma'_i(N_i) of slopes, named sigma'_{i,j}, n_i x m.

        Raises:
            ArchitectureError: layer i is a softmax layer (use :meth:`softmax_jacobian`).
        """
        self.architecture.check_layer(i)
        if self.architecture.activation(i).is_layerwise:
            raise ArchitectureError(
                f"layer {i} is softmax: it has an n_i x n_i Jacobian, not a column of slopes Sigma'_{i}")
        return self._memo(("D", i), lambda: sp.Matrix(
            self.n(i), self.m, lambda j, s: _sym(f"\\sigma'_{{{i},{j + 1}{self._suffix(s)}}}")))

    def Sigma_prime_hat(self, i: int) -> sp.Matrix:
        """Diagonal matrix hat Sigma'_i with Sigma'_i on the diagonal, n_i x n_i (m = 1)."""
        if self.m != 1:
            raise ArchitectureError("hat Sigma'_i is defined for a single sample (m = 1)")
        return sp.diag(*self.Sigma_prime(i))

    def softmax_jacobian(self, i: int, s: int = 0) -> sp.Matrix:
        """Jacobian d Sigma_i / d N_i of a softmax layer for sample s, n_i x n_i, named J^{(i)}_{j,l}.

        Entry (j, l) stands for d sigma_j / d N_l = sigma_j (delta_jl - sigma_l).
        """
        self.architecture.check_layer(i)
        if not self.architecture.activation(i).is_layerwise:
            raise ArchitectureError(f"layer {i} is not softmax; its slopes are the column Sigma'_{i}")
        return self._memo(("J", i, s), lambda: sp.Matrix(self.n(i), self.n(i), lambda j, c: _sym(
            f"J^{{({i})}}_{{{j + 1},{c + 1}{self._suffix(s)}}}")))

    def sigma(self, i: int, j: int, s: int = 0) -> sp.Symbol:
        """sigma_ij(N_ij), the value of neuron j (0-based) of layer i for sample s."""
        return self.Sigma(i)[j, s]

    def sigma_prime(self, i: int, j: int, s: int = 0) -> sp.Symbol:
        """sigma'_ij(N_ij), the slope of neuron j (0-based) of layer i for sample s."""
        return self.Sigma_prime(i)[j, s]

    def N(self, i: int) -> sp.Matrix:
        """Pre-activation N_i = W_i . Sigma_{i-1} (+ b_i 1^T), n_i x m, in the named symbols."""
        self.architecture.check_layer(i)
        N = self.W(i) * self.Sigma(i - 1)
        if self.is_affine:
            N += self.b(i) * sp.ones(1, self.m)
        return N

    @cached_property
    def V(self) -> sp.Matrix:
        """Seed (cotangent) V, n_k x m: we differentiate sum(V o f). V = [1] when n_k = m = 1.

        For n_k = 1 and m = 1 this is the paper's f itself. For a wider output the
        gradient formulas apply to the scalar <V, f> (Delta_{k+1} = V).
        """
        if self.n(self.depth) == 1 and self.m == 1 and not self.free_seed:
            return sp.Matrix([[1]])
        return sp.Matrix(self.n(self.depth), self.m, lambda j, s: _sym(f"v_{{{j + 1}{self._suffix(s)}}}"))

    @cached_property
    def Y(self) -> sp.Matrix:
        """Targets Y, n_k x m, entries y_{j} (y_{j,s} for a batch)."""
        return sp.Matrix(self.n(self.depth), self.m, lambda j, s: _sym(f"y_{{{j + 1}{self._suffix(s)}}}"))

    def parameters(self) -> list[sp.Matrix]:
        """[W_1, (b_1,) W_2, ...] in layer order."""
        out = []
        for i in range(1, self.depth + 1):
            out.append(self.W(i))
            if self.is_affine:
                out.append(self.b(i))
        return out

    # -- the composed function -------------------------------------------------
    def sigma_function(self, i: int, j: int) -> sp.FunctionClass | None:
        """The undefined SymPy function sigma_ij of an abstract neuron, else None."""
        if not self.activation(i, j).is_abstract:
            return None
        return sp.Function(f"\\sigma_{{{i},{j + 1}}}")

    def f(self) -> sp.Matrix:
        """f(X; W) composed (paper section 2, (1)): Sigma_k(W_k Sigma_{k-1}(... W_1 X)), n_k x m.

        Concrete activations appear as themselves (tanh, ...); abstract ones as
        undefined functions sigma_ij.
        """
        def build():
            values = self.X
            for i in range(1, self.depth + 1):
                pre = self.W(i) * values
                if self.is_affine:
                    pre += self.b(i) * sp.ones(1, self.m)
                values = sp.Matrix(self.n(i), self.m,
                                   lambda j, s, i=i, pre=pre: self._apply(i, j, pre[j, s], pre[:, s]))
            return values
        return self._memo("f", build)

    def _apply(self, i: int, j: int, arg: sp.Expr, column: sp.Matrix | None = None) -> sp.Expr:
        act = self.activation(i, j)
        if act.is_layerwise:
            return sp.exp(arg) / sp.Add(*[sp.exp(z) for z in column])
        if act.is_abstract:
            return self.sigma_function(i, j)(arg)
        return act.sigma.subs(sp.Symbol("z"), arg)

    def _memo(self, key, build):
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    def __repr__(self) -> str:
        batch = f", batch={self.m}" if self.m > 1 else ""
        return f"Network({self.architecture!r}{batch})"

    def _repr_latex_(self) -> str:
        k = self.depth
        chain = " ".join(f"\\xrightarrow{{W_{i}}} \\mathbb{{R}}^{{{self.n(i)}}} \\xrightarrow{{\\Sigma_{i}}}"
                         for i in range(1, k + 1))
        return f"$f: \\mathbb{{R}}^{{{self.n(0)}}} {chain} \\mathbb{{R}}^{{{self.n(k)}}}$"
