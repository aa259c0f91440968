"""Ground truth: gradients by direct differentiation of the composed f (no backprop).

The network function is composed in full, ``Sigma_k(W_k Sigma_{k-1}(... W_1 X))``,
with an undefined function sigma_ij for every neuron, and differentiated with
respect to every entry of W_i (b_i, Sigma_r) by SymEngine's ``diff``: the plain
chain rule on the composition, independent of every formula we check. The
result is written back in the network's named symbols: sigma_ij(N_ij) becomes
``sigma_{i,j}`` and sigma_ij'(N_ij) becomes ``sigma'_{i,j}``, so the ground truth
is a polynomial in x, w, b, sigma, sigma' (and v, y) — the form the exact check
compares. Concrete activations are a specialisation of these symbols
(:mod:`derivations.exact`), valid because differentiation commutes with it.

Objectives (scalar J whose gradient we take), with Sigma_k the n_k x m output:

* :data:`OUTPUT`: J = sum(V o Sigma_k); with n_k = m = 1, V = 1 and J = f (the paper).
* :func:`mse`: J = c * sum((Sigma_k - Y)^2) with c = 1/(2m) by default (the tutorial's
  convention, giving delta^L = (a - y) o f'(z) and dW = delta a^T / m).
"""

from __future__ import annotations

from dataclasses import dataclass

import symengine as se
import sympy as sp

from .errors import ArchitectureError
from .network import Network

__all__ = ["Objective", "OUTPUT", "mse", "grad_W", "grad_b", "grad_Sigma", "grad_N", "engine_grad"]


@dataclass(frozen=True)
class Objective:
    """A scalar objective J(Sigma_k) of the network output.

    Attributes:
        kind: "output" (J = sum(V o f)) or "mse" (J = scale * sum((f - Y)^2)).
        scale: for "mse", the factor in front of the sum as a function of m:
            "1/(2m)" (default), "1/m", "1/2" or "1".
    """

    kind: str = "output"
    scale: str = "1/(2m)"

    def factor(self, m: int) -> sp.Rational:
        """The numeric factor in front of the sum of squares for batch size m."""
        table = {"1/(2m)": sp.Rational(1, 2 * m), "1/m": sp.Rational(1, m),
                 "1/2": sp.Rational(1, 2), "1": sp.Integer(1)}
        if self.scale not in table:
            raise ArchitectureError(f"MSE scale must be one of {list(table)}, got {self.scale!r}")
        return table[self.scale]

    def engine(self, net: Network, out: se.DenseMatrix) -> se.Basic:
        """J as a SymEngine expression of the engine output matrix."""
        if self.kind == "output":
            V = se.Matrix(net.V)
            return se.Add(*[V[r, c] * out[r, c] for r in range(out.rows) for c in range(out.cols)])
        if self.kind == "mse":
            Y = se.Matrix(net.Y)
            total = se.Add(*[(out[r, c] - Y[r, c]) ** 2 for r in range(out.rows) for c in range(out.cols)])
            return se.sympify(self.factor(net.m)) * total
        raise ArchitectureError(f"unknown objective kind {self.kind!r}; use 'output' or 'mse'")

    def __str__(self) -> str:
        return "f" if self.kind == "output" else f"MSE ({self.scale} sum of squares)"


OUTPUT = Objective("output")


def mse(scale: str = "1/(2m)") -> Objective:
    """The mean-squared-error objective J = scale * sum((Sigma_k - Y)^2)."""
    Objective("mse", scale).factor(1)  # validate early
    return Objective("mse", scale)


class _Forward:
    """The composed network in SymEngine, from layer ``start`` (whose values are ``inputs``)."""

    def __init__(self, net: Network, start: int, inputs: se.DenseMatrix, *,
                 inputs_are_pre_activations: bool = False) -> None:
        self.net, self.table = net, {}
        values = inputs
        first = start if inputs_are_pre_activations else start + 1
        for i in range(first, net.depth + 1):
            if i == start:
                pre = inputs
            else:
                pre = se.Matrix(net.W(i)) * values
                if net.is_affine:
                    pre = pre + se.Matrix(net.b(i)) * se.ones(1, net.m)
            cols = []
            for j in range(net.n(i)):
                name = f"sigma_{i}_{j}"
                F = se.Function(name)
                for s in range(net.m):
                    self.table[(name, pre[j, s])] = (i, j, s)
                cols.append([F(pre[j, s]) for s in range(net.m)])
            values = se.Matrix(cols)
        self.output = values

    def to_layer_symbols(self, expr: se.Basic) -> se.Basic:
        """Rewrite sigma_ij(N_ij) -> sigma_{i,j} and its Subs-derivative -> sigma'_{i,j}."""
        memo: dict = {}
        net = self.net

        def walk(e):
            if e in memo:
                return memo[e]
            if isinstance(e, se.FunctionSymbol):
                i, j, s = self.table[(e.get_name(), e.args[0])]
                out = se.sympify(net.sigma(i, j, s))
            elif isinstance(e, se.Subs):
                deriv, _, point = e.args
                i, j, s = self.table[(deriv.args[0].get_name(), point)]
                out = se.sympify(net.sigma_prime(i, j, s))
            elif isinstance(e, se.Derivative):
                fn, var = e.args
                i, j, s = self.table[(fn.get_name(), fn.args[0])]
                out = se.sympify(net.sigma_prime(i, j, s))
            elif not e.args:
                out = e
            else:
                out = e.func(*[walk(a) for a in e.args])
            memo[e] = out
            return out

        return walk(expr)


def _forward(net: Network) -> _Forward:
    return net._memo(("engine-forward",), lambda: _Forward(net, 0, se.Matrix(net.X)))


def engine_grad(net: Network, target: sp.MatrixBase, objective: Objective = OUTPUT,
                *, start: int = 0, pre: bool = False) -> se.DenseMatrix:
    """d J / d target entry by entry, as a SymEngine matrix in the named symbols.

    ``target`` is a matrix of symbols of the composed function (W_i, b_i entries);
    with ``start = r > 0`` the composition starts at layer r, whose values are the
    symbols ``target`` (Sigma_r), or, with ``pre=True``, whose pre-activations are
    the symbols ``target`` (free symbols standing for N_r, renamed afterwards).
    """
    def build():
        if start == 0:
            fwd = _forward(net)
        else:
            fwd = _Forward(net, start, se.Matrix(target), inputs_are_pre_activations=pre)
        J = objective.engine(net, fwd.output)
        return se.Matrix(target.rows, target.cols,
                         [fwd.to_layer_symbols(J.diff(se.sympify(t))) for t in target])
    return net._memo(("grad", tuple(target), objective, start, pre), build)


def _to_sympy(M: se.DenseMatrix) -> sp.Matrix:
    return sp.Matrix(M.rows, M.cols, [sp.sympify(e) for e in M])


def grad_W(net: Network, i: int, objective: Objective = OUTPUT) -> sp.Matrix:
    """Gradient of f (or of J) w.r.t. W_i by direct differentiation, n_i x n_{i-1}.

    Entry (r, c) is dJ/dw^{(i)}_{r,c}. Paper section 5: "grad_{W_i} f is also an
    n_i x n_{i-1} matrix". The reference for every formula.

    >>> from derivations.network import Architecture, Network
    >>> grad_W(Network(Architecture((1, 1))), 1)
    Matrix([[\\sigma'_{1,1}*x_{1}]])
    """
    net.architecture.check_layer(i)
    return _to_sympy(engine_grad(net, net.W(i), objective))


def grad_b(net: Network, i: int, objective: Objective = OUTPUT) -> sp.Matrix:
    """Gradient of f (or J) w.r.t. the bias b_i of an affine network, n_i x 1."""
    net.architecture.check_layer(i)
    return _to_sympy(engine_grad(net, net.b(i), objective))


def grad_Sigma(net: Network, r: int, objective: Objective = OUTPUT) -> sp.Matrix:
    """Gradient of f (or J) w.r.t. the layer output Sigma_r taken as a variable, n_r x m.

    Lemmas (6)/(7) of the paper speak of this gradient: grad_{Sigma_k} f = V (= 1).
    """
    net.architecture.check_layer(r, lowest=0)
    if r == 0:
        return _to_sympy(engine_grad(net, net.X, objective))
    return _to_sympy(engine_grad(net, net.Sigma(r), objective, start=r))


def grad_N(net: Network, i: int, objective: Objective = OUTPUT) -> sp.Matrix:
    """Gradient of f (or J) w.r.t. the pre-activation N_i taken as a variable, n_i x m.

    This is what the recursion's Delta_i stands for (Delta_i = grad_{N_i} f), and, with
    ``mse("1/2")`` on a batch, the tutorial's delta^(l) = dC/dz^(l) column by column.
    Computed by differentiating Sigma_k(... W_{i+1} Sigma_i(Z)) w.r.t. fresh symbols Z.
    """
    net.architecture.check_layer(i)
    Z = sp.Matrix(net.n(i), net.m, lambda j, s: sp.Symbol(f"zeta_{{{i},{j + 1},{s + 1}}}"))
    return _to_sympy(engine_grad(net, Z, objective, start=i, pre=True))
