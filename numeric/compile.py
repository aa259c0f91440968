"""Compile the proved delta rule into one NumPy function per (activations, depth).

Compile only what is proved: before building anything, every line of the rule
(:data:`derivations.delta_rule.DELTA_RULE_LATEX`) must have the checker's status "proved"
(for every depth, width, batch size and output width) for each (hidden, output) activation
pair of the network (:func:`derivations.delta_rule.prove_delta_rule`, cached per pair);
otherwise :func:`compile_gradient` raises NumericError naming the line and its verdict.

The gradient is built at the *matrix* level, never entry by entry: one
MatrixSymbol per operand (X: n_0 x m, Y: n_k x m, W_l: n_l x n_{l-1},
b_l: n_l x 1, sizes symbolic), the forward pass z^(l) = W_l a^(l-1) + b_l,
a^(l) = f(z^(l)), and the backward pass by :func:`derivations.delta_rule.apply_delta_rule`
(the same Python function the exact check evaluates on an explicit network).
``sympy.lambdify(..., modules="numpy", cse=True)`` turns that into a handful of
NumPy calls (``@``, ``multiply``, ``f_tanh``): the code size depends on the depth
only, so widths 256 and batch 1024 compile as fast as widths 2.

Elementwise f and f' are small MatrixExpr nodes printed as NumPy calls, taken from each
activation's :class:`derivations.activations.NumpyForm` (no activation is named here):
f' is written through the activation's value where its entry says how (sigmoid' = a - a^2,
tanh' = 1 - a^2: the relations the exact check uses), else evaluated at z (f' = [z > 0] for
ReLU, sigmoid(z) for softplus); f(z) = z and f' = 1 (the identity) apply nothing.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
import sympy as sp
from sympy.core.symbol import Str
from sympy.matrices.expressions import MatrixExpr, MatrixSymbol, OneMatrix
from sympy.printing.numpy import NumPyPrinter

from derivations import (
    DELTA_RULE,
    LOSSES,
    ActivationError,
    Architecture,
    DeltaRuleProof,
    NumericError,
    Verdict,
    activation_names,
    apply_delta_rule,
    get_activation,
    prove_delta_rule,
)

from .losses import check_loss, decay_value, default_loss, loss_value, softmax
from .memory import keep_freed_memory

__all__ = ["CompiledGradient", "compile_gradient", "clear_cache", "NUMERIC_ACTIVATIONS"]

NUMERIC_ACTIVATIONS = activation_names(numeric=True)
"""The activations with a NumPy form when this module was imported (the registry decides)."""

OUTPUT_ACTIVATIONS = (*NUMERIC_ACTIVATIONS, "softmax")
"""Activations of the output layer: the numeric ones and softmax (with loss "cce" only)."""

Params = dict[int, np.ndarray]


def _numpy_names(name: str) -> dict[str, tuple[str, Callable]]:
    """role -> (name in the generated code, NumPy function) for one activation's f and f'.

    Roles: "f" (f of z), "df" (f' of z), "df_a" (f' of the value a); absent when the entry has
    none (f(z) = z, f' = 1, or no slope through the value).
    """
    if name == "softmax":
        return {"f": ("f_softmax", softmax)}  # column-wise; its f' never enters (delta^(L) = a - y)
    form = get_activation(name).numpy
    tag = re.sub(r"\W", "_", name)
    fns = {"f": form.value, "df": form.slope, "df_a": form.slope_of_value}
    return {role: (f"{role}_{tag}", fn) for role, fn in fns.items() if fn is not None}


def _module(activations: Sequence[str]) -> dict[str, Callable]:
    """The namespace of the generated code: every f and f' of these activations, by name."""
    return {code: fn for name in dict.fromkeys(activations) for code, fn in _numpy_names(name).values()}


class _Elementwise(MatrixExpr):
    """fn(A) applied entry by entry; printed as the NumPy call ``fn(A)``. Shape of A."""

    def __new__(cls, name: str | Str, arg: MatrixExpr):
        return super().__new__(cls, Str(name) if isinstance(name, str) else name, arg)

    @property
    def shape(self):
        return self.args[1].shape

    def _numpycode(self, printer) -> str:
        return f"{self.args[0].name}({printer._print(self.args[1])})"


class _ColumnBroadcast(MatrixExpr):
    """b 1_m^T (n x m) for a column b (n x 1); printed as ``b`` (NumPy broadcasting)."""

    def __new__(cls, column: MatrixExpr, m: sp.Symbol):
        return super().__new__(cls, column, m)

    @property
    def shape(self):
        return (self.args[0].shape[0], self.args[1])

    def _numpycode(self, printer) -> str:
        return printer._print(self.args[0])


class _Printer(NumPyPrinter):
    """NumPy printer writing c (A B) as ``(A @ B) * c`` (``ndarray.dot(scalar)`` is ~50x slower than ``*``),
    and 1_m in X's dtype, so a float32 batch gives float32 gradients (db too)."""

    def _print_OneMatrix(self, expr) -> str:
        rows, cols = (self._print(d) for d in expr.shape)
        return f"ones(({rows}, {cols}), dtype=X.dtype)"

    def _print_MatAdd(self, expr) -> str:
        """A + B - C: a term -1 * C is subtracted (one NumPy call, not a negation and an addition)."""
        plus, minus = [], []
        for term in expr.args:
            coeff, matrices = term.as_coeff_matrices() if term.is_MatMul else (1, [term])
            if coeff == -1 and len(matrices) == 1:
                minus.append(f"({self._print(matrices[0])})")
            else:
                plus.append(f"({self._print(term)})")
        return " - ".join([" + ".join(plus) or "0", *minus])

    def _print_MatMul(self, expr) -> str:
        coeff, matrices = expr.as_coeff_matrices()
        product = " @ ".join(f"({self._print(M)})" for M in matrices)
        return product if coeff == 1 else f"({product}) * ({self._print(coeff)})"


def _matrix_formula(activations: tuple[str, ...], loss: str = "mse", weight_decay: bool = False):
    """(arguments, outputs) of the matrix-level formula: outputs are a^(L), dW_1, db_1, ..., dW_L, db_L;
    with ``weight_decay`` the last argument is lambda."""
    k = len(activations)
    n = sp.symbols(f"n0:{k + 1}", integer=True, positive=True)
    m = sp.Symbol("m", integer=True, positive=True)
    X, Y = MatrixSymbol("X", n[0], m), MatrixSymbol("Y", n[k], m)
    W = {i: MatrixSymbol(f"W_{i}", n[i], n[i - 1]) for i in range(1, k + 1)}
    b = {i: MatrixSymbol(f"b_{i}", n[i], 1) for i in range(1, k + 1)}
    a, fprime = {0: X}, {}
    for i in range(1, k + 1):
        fns = _numpy_names(activations[i - 1])
        z = W[i] * a[i - 1] + _ColumnBroadcast(b[i], m)
        a[i] = _Elementwise(fns["f"][0], z) if "f" in fns else z
        fprime[i] = (None if i == k and loss != "mse" else _Elementwise(fns["df_a"][0], a[i]) if "df_a" in fns
                     else _Elementwise(fns["df"][0], z) if "df" in fns else None)
    decay = sp.Symbol("lam") if weight_decay else None
    _, dW, db = apply_delta_rule(W, a, fprime, Y, m, ones=OneMatrix, loss=loss, decay=decay)
    args = [X, Y, m] + [M for i in range(1, k + 1) for M in (W[i], b[i])] + ([decay] if weight_decay else [])
    outputs = [a[k]] + [G for i in range(1, k + 1) for G in (dW[i], db[i])]
    return args, outputs


@dataclass(frozen=True, eq=False)
class CompiledGradient:
    """Loss and gradients of J (MSE, binary or categorical cross-entropy, optional L2 weight decay)
    for an affine network, over a batch.

    The compiled code evaluates the delta rule (``derivations.delta_rule.DELTA_RULE``)
    built by :func:`derivations.delta_rule.apply_delta_rule` on MatrixSymbols. Before
    compiling, every line of the rule, as LaTeX (``DELTA_RULE_LATEX``), was proved for
    every architecture with these activations (``proofs``:
    :func:`derivations.delta_rule.prove_delta_rule`, one per (hidden, output) pair); a test
    shows that ``apply_delta_rule`` computes exactly what those lines say.

    Losses (:data:`derivations.delta_rule.LOSSES`): "mse" J = 1/(2m) sum ||a - y||^2; "bce"
    with a sigmoid output; "cce" with a softmax output (output delta a^(L) - y for both). With
    ``weight_decay`` J gains lambda/(2m) sum ||W^(l)||^2 and dW^(l) gains lambda/m W^(l).

    What is proved: every line for every architecture (``status == "proved"``), for all three
    losses with or without weight decay. Each output delta (dJ/dZ = (A - Y) o f'(Z) / m for MSE,
    (A - Y)/m for sigmoid + BCE and softmax + CCE) is proved by symbolic differentiation for every
    n_k and m (:mod:`derivations.output_delta`; softmax assumes target columns summing to 1).

    Call ``grad(weights, biases, X, Y, decay=0.0) -> (loss, dW, db)``. Shapes: X n_0 x m,
    Y n_k x m, weights[i] n_i x n_{i-1}, biases[i] n_i x 1 (i = 1..k); dW, db alike.

    Attributes:
        activations: one name per layer 1..k.
        loss: "mse", "bce" or "cce". weight_decay: compiled with the L2 term (``decay`` = lambda).
        proofs: the proofs of the rule, one per (hidden, output) activation pair of the network.
        formula: the rule, as text.
        source: the generated NumPy source.
    """

    activations: tuple[str, ...]
    proofs: tuple[DeltaRuleProof, ...]
    formula: str
    source: str
    _function: Callable
    loss: str = "mse"
    weight_decay: bool = False

    @property
    def status(self) -> str:
        """"proved" (every line, every architecture); compile_gradient builds nothing else."""
        return next((p.status for p in self.proofs if not p.proved), "proved")

    @property
    def verdict(self) -> Verdict:
        """The proofs as one :class:`~derivations.verdict.Verdict` (holds, architectures checked, seconds)."""
        results = [r for proof in self.proofs for r in proof.results]
        scopes = "; ".join(f"{name}: {r.proof.scope()}" for proof in self.proofs for name, r in proof.lines
                           if r.proof is not None)
        return Verdict(f"delta rule (tutorial, {LOSSES[self.loss]['words']})",
                       all(p.proved for p in self.proofs) or None,
                       tuple(dict.fromkeys(a for r in results if r.proof is not None for a in r.proof.architectures)),
                       seconds=sum(p.seconds for p in self.proofs),
                       method="proof for every architecture (derivations.checker.check; output deltas by "
                       "derivations.output_delta)" if
                       self.status == "proved" else "exact check on a sweep (derivations.checker.check)",
                       note=f"pairs {', '.join(f'{p.hidden}/{p.output}' for p in self.proofs)}; {scopes}")

    @property
    def depth(self) -> int:
        """k, the number of layers."""
        return len(self.activations)

    def raw(self, weights: Params, biases: Params, X: np.ndarray, Y: np.ndarray,
            decay: float = 0.0) -> list[np.ndarray]:
        """[a^(L), dW_1, db_1, ..., dW_k, db_k] with no input checks (for inner loops)."""
        flat = [P for i in range(1, self.depth + 1) for P in (weights[i], biases[i])]
        if self.weight_decay:
            flat.append(decay)
        elif decay:
            raise NumericError("this gradient was compiled without weight decay; "
                               "use compile_gradient(..., weight_decay=True)")
        return self._function(X, Y, X.shape[1], *flat)

    def value(self, weights: Params, A: np.ndarray, Y: np.ndarray, decay: float = 0.0) -> float:
        """J at the output A = a^(L) (n_k x m) for targets Y, with the weight-decay term."""
        return loss_value(self.loss, A, Y) + decay_value(weights, decay, Y.shape[1])

    def __call__(self, weights: Params, biases: Params, X: np.ndarray,
                 Y: np.ndarray, decay: float = 0.0) -> tuple[float, Params, Params]:
        """(J, dW, db) at the given parameters and batch (see the class docstring).

        Raises:
            NumericError: shapes that do not fit, or an empty batch.
        """
        try:
            _check_shapes(self.depth, weights, biases, X, Y)
        except AttributeError as err:
            raise NumericError(f"weights, biases (dicts of layer -> array), X and Y must be NumPy arrays: "
                               f"{err}") from err
        out = self.raw(weights, biases, X, Y, decay)
        loss = self.value(weights, out[0], Y, decay)
        k = self.depth
        return loss, {i: out[2 * i - 1] for i in range(1, k + 1)}, {i: out[2 * i] for i in range(1, k + 1)}

    def __repr__(self) -> str:
        decay = " + weight decay" if self.weight_decay else ""
        return f"CompiledGradient({list(self.activations)}, {self.loss}{decay}, {self.status})"


def _check_shapes(k: int, weights: Params, biases: Params, X: np.ndarray, Y: np.ndarray) -> None:
    if sorted(weights) != list(range(1, k + 1)) or sorted(biases) != list(range(1, k + 1)):
        raise NumericError(f"need weights and biases for layers 1..{k}, got weights for "
                           f"{sorted(weights)} and biases for {sorted(biases)}")
    if X.ndim != 2 or Y.ndim != 2 or X.shape[1] != Y.shape[1] or X.shape[1] == 0:
        raise NumericError("X (n_0 x m) and Y (n_k x m) must be 2-d with the same m >= 1 columns, "
                           f"got X {X.shape} and Y {Y.shape}")
    rows = X.shape[0]
    for i in range(1, k + 1):
        W, b = weights[i], biases[i]
        if W.ndim != 2 or W.shape[1] != rows or b.shape != (W.shape[0], 1):
            raise NumericError(f"layer {i}: W_{i} must be n_{i} x {rows} and b_{i} n_{i} x 1, "
                               f"got W_{i} {W.shape} and b_{i} {b.shape}")
        rows = W.shape[0]
    if Y.shape[0] != rows:
        raise NumericError(f"Y must have n_{k}={rows} rows (the output width), got Y {Y.shape}")


_CACHE: dict[tuple, CompiledGradient] = {}
_PROOFS: dict[tuple, DeltaRuleProof] = {}


def clear_cache() -> None:
    """Forget every compiled gradient and every proof of the rule."""
    _CACHE.clear()
    _PROOFS.clear()


def _pairs(names: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(hidden, output) activation pairs of a network; depth 1 has the output layer only."""
    output = names[-1]
    return tuple((hidden, output) for hidden in dict.fromkeys(names[:-1] or (output,)))


def _prove(pair: tuple[str, str], loss: str, weight_decay: bool) -> DeltaRuleProof:
    if loss == "mse" and not weight_decay:
        return prove_delta_rule(*pair)  # the tutorial's rule (tests patch this call)
    hidden = "identity" if pair[0] == "softmax" else pair[0]  # depth 1: no hidden layer
    return prove_delta_rule(hidden, pair[1], loss=loss, weight_decay=weight_decay)


def _proofs(names: tuple[str, ...], loss: str = "mse", weight_decay: bool = False) -> tuple[DeltaRuleProof, ...]:
    """The proofs of the rule for every pair of ``names`` (cached); NumericError if a line is not proved."""
    proofs = []
    for pair in _pairs(names):
        key = (*pair, loss, weight_decay)
        if key not in _PROOFS:
            _PROOFS[key] = _prove(pair, loss, weight_decay)
        proof = _PROOFS[key]
        bad = proof.first_unproved()
        if bad is not None:
            name, result = bad
            why = f": {result.counterexample.message}" if result.counterexample is not None else ""
            raise NumericError(f"refusing to compile {list(names)}: the delta rule's {name} line "
                               f"{result.formula} is {result.status!r}, not 'proved', with hidden "
                               f"{proof.hidden} and output {proof.output}{why}".replace("\n", " "))
        proofs.append(proof)
    return tuple(proofs)


def _names(activations: str | Sequence[str], depth: int | None) -> tuple[str, ...]:
    if isinstance(activations, str):
        if depth is None:
            raise NumericError("give the depth k with one activation name, e.g. depth=2")
        activations = (activations,) * depth
    names = tuple(get_activation(a).name for a in activations)
    numeric = activation_names(numeric=True)  # the registry as it is now (a new entry counts)
    bad = [a for a in names[:-1] if a not in numeric]
    if bad or not names or names[-1] not in (*numeric, "softmax"):
        raise ActivationError(f"numeric activations are {', '.join(numeric)} (and softmax "
                              f"for the output layer); got {list(names)}")
    return names


def compile_gradient(activations: str | Sequence[str] | Architecture, *, depth: int | None = None,
                     widths: Sequence[int] | None = None, loss: str | None = None,
                     weight_decay: bool = False) -> CompiledGradient:
    """The compiled gradient for these activations and loss, once the rule is proved for them (cached
    per (activations, depth, loss, weight_decay); the proofs per (hidden, output) pair).

    Args:
        activations: one name per layer, one name with ``depth``, or an Architecture; softmax
            only as the output layer.
        depth: k, when ``activations`` is a single name.
        widths: accepted and ignored: the proofs cover every width (kept for compatibility).
        loss: "mse", "bce" (sigmoid output) or "cce" (softmax output); default "cce" for a
            softmax output, else "mse".
        weight_decay: compile the L2 term (pass lambda as ``decay``).

    Raises:
        ActivationError: an unknown or non-numeric activation (e.g. the abstract sigma).
        NumericError: a loss that does not fit the output activation; a line of the rule not
            proved for a (hidden, output) pair (never expected); the message names the line and
            its verdict.
    """
    if isinstance(activations, Architecture):
        activations = activations.activations
    names = _names(activations, depth)
    loss = check_loss(default_loss(names[-1]) if loss is None else loss, names[-1])
    weight_decay = bool(weight_decay)
    keep_freed_memory()  # NumPy temporaries are reused, not page-faulted in every step (numeric.memory)
    key = (names, loss, weight_decay)
    if key in _CACHE:
        return _CACHE[key]
    proofs = _proofs(names, loss, weight_decay)
    args, outputs = _matrix_formula(names, loss, weight_decay)
    printer = _Printer({"fully_qualified_modules": False, "inline": True, "allow_unknown_functions": True,
                        "user_functions": {}})
    function = sp.lambdify(args, outputs, modules=[_module(names), "numpy"], cse=True, printer=printer)
    compiled = CompiledGradient(names, proofs, DELTA_RULE, inspect.getsource(function), function,
                                loss, weight_decay)
    _CACHE[key] = compiled
    return compiled
