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
* :func:`cross_entropy` (binary for sigmoid outputs, categorical for softmax) and an L2
  weight-decay term lambda c sum ||W_i||^2, as other lecture notes write their losses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import symengine as se
import sympy as sp

from .errors import UnknownNameError
from .network import Network

__all__ = ["Objective", "OUTPUT", "LAMBDA", "mse", "cross_entropy", "grad_W", "grad_b", "grad_Sigma", "grad_N",
           "engine_grad", "engine_grad_W", "engine_grad_b", "engine_grad_Sigma", "engine_grad_N",
           "engine_matrix", "engine_symbols", "engine_truth"]


LAMBDA = sp.Symbol("lambda")


def _factor(scale: str, m: int, what: str) -> sp.Rational:
    table = {"1/(2m)": sp.Rational(1, 2 * m), "1/m": sp.Rational(1, m), "1/2": sp.Rational(1, 2), "1": sp.Integer(1)}
    if scale not in table:
        raise UnknownNameError(f"{what} must be one of {list(table)}, got {scale!r}")
    return table[scale]


@dataclass(frozen=True)
class Objective:
    """A scalar objective J of the network output A = Sigma_k (n_k x m) and the weights.

    Attributes:
        kind: "output": J = sum(V o A) (the network function itself, the paper);
            "seed": J = scale * sum(V o A), V free: any per-sample loss sum_s l(a_s) with
            V = grad l (the local models of :mod:`derivations.checker.prove`);
            "mse": J = scale * sum((A - Y)^2);
            "bce": binary cross-entropy, J = -scale * sum(Y o log A + (1 - Y) o log(1 - A));
            "cce": categorical cross-entropy, J = -scale * sum(Y o log A), with the targets a
            distribution per sample (sum_j y_j = 1, imposed by :meth:`constraints`).
        scale: the factor in front of the sum: "1/(2m)", "1/m", "1/2" or "1".
        weight_decay: None, or the factor c of the L2 term lambda * c * sum_i ||W_i||_F^2
            (biases excluded): "1/2" (d2l, the Deep Learning book), "1/(2m)" (Ng), "1/m" or "1".
    """

    kind: str = "output"
    scale: str = "1/(2m)"
    weight_decay: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("output", "seed", "mse", "bce", "cce"):
            raise UnknownNameError(f"unknown objective kind {self.kind!r}; use output, seed, mse, bce or cce")
        _factor(self.scale, 1, "the loss scale")
        if self.weight_decay is not None:
            _factor(self.weight_decay, 1, "the weight-decay factor")

    def factor(self, m: int) -> sp.Rational:
        """The numeric factor in front of the loss sum for batch size m."""
        return _factor(self.scale, m, "the loss scale")

    def engine(self, net: Network, out: se.DenseMatrix) -> se.Basic:
        """J as a SymEngine expression of the engine output matrix."""
        cells = [(r, c) for r in range(out.rows) for c in range(out.cols)]
        if self.kind in ("output", "seed"):
            V = se.Matrix(net.V)
            J = se.Add(*[V[r, c] * out[r, c] for r, c in cells])
            if self.kind == "seed":
                J = se.sympify(self.factor(net.m)) * J
        else:
            Y = se.Matrix(net.Y)
            if self.kind == "mse":
                terms = [(out[r, c] - Y[r, c]) ** 2 for r, c in cells]
            elif self.kind == "bce":
                terms = [-(Y[r, c] * se.log(out[r, c]) + (1 - Y[r, c]) * se.log(1 - out[r, c])) for r, c in cells]
            else:
                terms = [-Y[r, c] * se.log(out[r, c]) for r, c in cells]
            J = se.sympify(self.factor(net.m)) * se.Add(*terms)
        if self.weight_decay is not None:
            squares = [w ** 2 for i in range(1, net.depth + 1) for w in se.Matrix(net.W(i))]
            J += se.sympify(LAMBDA * _factor(self.weight_decay, net.m, "the weight-decay factor")) * se.Add(*squares)
        return J

    def constraints(self, net: Network) -> dict:
        """Relations the objective assumes of the data: for "cce", y_{n_k} = 1 - sum of the other y."""
        if self.kind != "cce":
            return {}
        Y = net.Y
        return {Y[-1, s]: 1 - sum(Y[j, s] for j in range(Y.rows - 1)) for s in range(Y.cols)}

    def __str__(self) -> str:
        base = {"output": "f", "seed": f"{self.scale} sum(V o A)", "mse": f"MSE ({self.scale} sum of squares)",
                "bce": f"binary cross-entropy ({self.scale} sum)", "cce": f"cross-entropy ({self.scale} sum)"}
        decay = f" + lambda {self.weight_decay} sum ||W_i||^2" if self.weight_decay else ""
        return base[self.kind] + decay


OUTPUT = Objective("output")


def mse(scale: str = "1/(2m)", *, weight_decay: str | None = None) -> Objective:
    """The mean-squared-error objective J = scale * sum((Sigma_k - Y)^2) (+ L2 weight decay)."""
    return Objective("mse", scale, weight_decay)


def cross_entropy(scale: str = "1/m", *, binary: bool = False, weight_decay: str | None = None) -> Objective:
    """Cross-entropy: categorical -scale sum(Y o log A) (softmax outputs) or, with ``binary=True``,
    -scale sum(Y o log A + (1-Y) o log(1-A)) (sigmoid outputs). Both give delta^L = A - Y (times scale)."""
    return Objective("bce" if binary else "cce", scale, weight_decay)


class _Forward:
    """The composed network in SymEngine, from layer ``start`` (whose values are ``inputs``)."""

    def __init__(self, net: Network, start: int, inputs: se.DenseMatrix, *,
                 inputs_are_pre_activations: bool = False) -> None:
        self.net, self.table = net, {}
        self.renamed: dict = {}  # expression -> its rewrite (to_layer_symbols), shared by every entry
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
            layerwise = net.architecture.activation(i).is_layerwise
            for j in range(net.n(i)):
                name = f"sigma_{i}_{j}"
                F = se.Function(name)
                args = [tuple(pre[:, s]) if layerwise else (pre[j, s],) for s in range(net.m)]
                for s in range(net.m):
                    self.table[(name, args[s])] = (i, j, s)
                cols.append([F(*args[s]) for s in range(net.m)])
            values = se.Matrix(cols)
        self.output = values

    def to_layer_symbols(self, expr: se.Basic) -> se.Basic:
        """Rewrite sigma_ij(N_ij) -> sigma_{i,j} and its Subs-derivative -> sigma'_{i,j}.

        The rewrite of a subexpression depends on it alone, so it is remembered across the entries of
        every gradient of this composition (they share most subexpressions).
        """
        memo, net = self.renamed, self.net

        def slope(fn, var, point):
            args = tuple(point if a == var else a for a in fn.args)
            i, j, s = self.table[(fn.get_name(), args)]
            if not net.architecture.activation(i).is_layerwise:
                return se.sympify(net.sigma_prime(i, j, s))
            return se.sympify(net.softmax_jacobian(i, s)[j, list(fn.args).index(var)])

        def walk(e):
            if e in memo:
                return memo[e]
            if isinstance(e, se.FunctionSymbol):
                i, j, s = self.table[(e.get_name(), tuple(e.args))]
                out = se.sympify(net.sigma(i, j, s))
            elif isinstance(e, se.Subs):
                deriv, var, point = e.args
                out = slope(deriv.args[0], var, point)
            elif isinstance(e, se.Derivative):
                fn, var = e.args
                out = slope(fn, var, var)
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


def _sympy(net: Network, engine: Callable, i: int, objective: Objective) -> sp.Matrix:
    """``engine(net, i, objective)`` as a SymPy matrix, converted once per network (a fresh copy each call).

    The conversion is recorded in :func:`engine_matrix`'s table, so :func:`derivations.exact.compare`
    takes the SymEngine original back instead of converting the SymPy entries again.
    """
    def build():
        E = engine(net, i, objective)
        M = sp.Matrix(E.rows, E.cols, [sp.sympify(e) for e in E])
        _engine_table(net)[(M.shape, tuple(M))] = E
        return M
    return net._memo(("sympy-grad", engine.__name__, i, objective), build).copy()


def _engine_table(net: Network) -> dict:
    return net._memo(("engine-of",), dict)


def engine_matrix(net: Network, M: sp.MatrixBase | se.DenseMatrix) -> se.DenseMatrix:
    """``M`` as a SymEngine matrix: the ground truth's own SymEngine matrix when ``M`` is its SymPy copy.

    Any other matrix (a formula's value) is converted entry by entry. Shapes: as ``M``.
    """
    if isinstance(M, se.DenseMatrix):
        return M
    entries = tuple(M)
    known = _engine_table(net).get((M.shape, entries))
    if known is not None:
        return known
    return se.Matrix(M.rows, M.cols, [se.sympify(e) for e in entries])


def engine_symbols(net: Network, name: str, *args: int) -> se.DenseMatrix:
    """The network's symbol matrix ``net.<name>(*args)`` (W, b, N, Sigma, Sigma_prime, softmax_jacobian)
    or ``net.<name>`` (X, Y, V) as a SymEngine matrix, converted once per network. Shapes: as the network's.

    >>> from derivations.network import Architecture, Network
    >>> engine_symbols(Network(Architecture((2, 1))), "W", 1)
    [w^{(1)}_{1,1}, w^{(1)}_{1,2}]
    <BLANKLINE>
    """
    def build():
        value = getattr(net, name)
        return se.Matrix(value(*args) if callable(value) else value)
    return net._memo(("engine-symbols", name, *args), build)


def engine_grad_W(net: Network, i: int, objective: Objective = OUTPUT) -> se.DenseMatrix:
    """:func:`grad_W` as its SymEngine matrix: entry (r, c) is dJ/dw^{(i)}_{r,c}, n_i x n_{i-1}."""
    net.architecture.check_layer(i)
    return engine_grad(net, net.W(i), objective)


def engine_grad_b(net: Network, i: int, objective: Objective = OUTPUT) -> se.DenseMatrix:
    """:func:`grad_b` as its SymEngine matrix: dJ/db_i, n_i x 1 (affine networks)."""
    net.architecture.check_layer(i)
    return engine_grad(net, net.b(i), objective)


def engine_grad_Sigma(net: Network, r: int, objective: Objective = OUTPUT) -> se.DenseMatrix:
    """:func:`grad_Sigma` as its SymEngine matrix: dJ/dSigma_r with Sigma_r a variable, n_r x m (r = 0: X)."""
    net.architecture.check_layer(r, lowest=0)
    if r == 0:
        return engine_grad(net, net.X, objective)
    return engine_grad(net, net.Sigma(r), objective, start=r)


def engine_grad_N(net: Network, i: int, objective: Objective = OUTPUT) -> se.DenseMatrix:
    """:func:`grad_N` as its SymEngine matrix: dJ/dN_i with N_i a variable, n_i x m."""
    net.architecture.check_layer(i)
    return engine_grad(net, _grad_N_target(net, i), objective, start=i, pre=True)


def _grad_N_target(net: Network, i: int) -> sp.Matrix:
    """Fresh symbols zeta_{i,j,s} standing for N_i, n_i x m (one matrix per network and layer)."""
    return net._memo(("zeta", i), lambda: sp.Matrix(
        net.n(i), net.m, lambda j, s: sp.Symbol(f"zeta_{{{i},{j + 1},{s + 1}}}")))


def grad_W(net: Network, i: int, objective: Objective = OUTPUT) -> sp.Matrix:
    """Gradient of f (or of J) w.r.t. W_i by direct differentiation, n_i x n_{i-1}.

    Entry (r, c) is dJ/dw^{(i)}_{r,c}. Paper section 5: "grad_{W_i} f is also an
    n_i x n_{i-1} matrix". The reference for every formula.

    >>> from derivations.network import Architecture, Network
    >>> grad_W(Network(Architecture((1, 1))), 1)
    Matrix([[\\sigma'_{1,1}*x_{1}]])
    """
    return _sympy(net, engine_grad_W, i, objective)


def grad_b(net: Network, i: int, objective: Objective = OUTPUT) -> sp.Matrix:
    """Gradient of f (or J) w.r.t. the bias b_i of an affine network, n_i x 1."""
    return _sympy(net, engine_grad_b, i, objective)


def grad_Sigma(net: Network, r: int, objective: Objective = OUTPUT) -> sp.Matrix:
    """Gradient of f (or J) w.r.t. the layer output Sigma_r taken as a variable, n_r x m.

    Lemmas (6)/(7) of the paper speak of this gradient: grad_{Sigma_k} f = V (= 1).
    """
    return _sympy(net, engine_grad_Sigma, r, objective)


def grad_N(net: Network, i: int, objective: Objective = OUTPUT) -> sp.Matrix:
    """Gradient of f (or J) w.r.t. the pre-activation N_i taken as a variable, n_i x m.

    This is what the recursion's Delta_i stands for (Delta_i = grad_{N_i} f), and, with
    ``mse("1/2")`` on a batch, the tutorial's delta^(l) = dC/dz^(l) column by column.
    Computed by differentiating Sigma_k(... W_{i+1} Sigma_i(Z)) w.r.t. fresh symbols Z.
    """
    return _sympy(net, engine_grad_N, i, objective)


_ENGINE = {grad_W: engine_grad_W, grad_b: engine_grad_b, grad_Sigma: engine_grad_Sigma, grad_N: engine_grad_N}


def engine_truth(truth: Callable, net: Network, i: int,
                 objective: Objective = OUTPUT) -> se.DenseMatrix | None:
    """``truth(net, i, objective)`` as its SymEngine matrix, for truth one of grad_W, grad_b, grad_Sigma, grad_N.

    The same entries as the SymPy result, without converting them to SymPy (the exact check
    compares in SymEngine). None for any other callable. Shapes: as ``truth``.

    Raises:
        ArchitectureError: the layer index is out of range (as ``truth`` itself).

    >>> from derivations.network import Architecture, Network
    >>> net = Network(Architecture((2, 1)))
    >>> engine_truth(grad_W, net, 1).shape, engine_truth(grad_W, net, 1)[0, 1]
    ((1, 2), x_{2}*\\sigma'_{1,1})
    """
    engine = _ENGINE.get(truth)
    return None if engine is None else engine(net, i, objective)
