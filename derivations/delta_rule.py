"""The tutorial's vectorised delta rule for an affine network over a batch, checked exactly.

Source: "Backpropagation in Neural Networks" (towardsdatascience.com, section
"General formula"). Its formula images are lost; we restate the rule from the
text and the surrounding code descriptions ("axis = 1 means we are summing
over the columns"). Names, with the mapping to the paper's objects
(:mod:`derivations.network`):

==============  ==================  =============================
tutorial        here / paper        shape
==============  ==================  =============================
a^(0)           X = Sigma_0         n_0 x m
z^(l)           N_l                 n_l x m
a^(l)           Sigma_l             n_l x m
f'(z^(l))       Sigma'_l            n_l x m
W^(l), b^(l)    W_l, b_l            n_l x n_{l-1}, n_l x 1
delta^(l)       grad_{N_l} J        n_l x m
==============  ==================  =============================

The rule (L = k the output layer, o the Hadamard product, batches are columns), stated once
as LaTeX in the checker's ``tutorial`` notation in :data:`DELTA_RULE_LATEX`:

* delta^(L) = (a^(L) - Y) o f'(z^(L))
* delta^(l) = (W^(l+1)T delta^(l+1)) o f'(z^(l)),   l = L-1, ..., 1
* dJ/dW^(l) = delta^(l) a^(l-1)T / m
* dJ/db^(l) = delta^(l) 1_m / m   (the mean of delta^(l) over the batch)

Loss: J = 1/(2m) sum_s ||a^(L)_s - y_s||^2 (:func:`derivations.ground_truth.mse`
with its default scale). The factor 1/2 cancels the 2 of the square, which
makes delta^(L) = (a - y) o f'(z) exact, and the 1/m gives dW = delta a^T / m;
with any other scale the rule is off by a constant (the tests pin this).

Two checks, of different strength:

* :func:`prove_delta_rule` proves every line of :data:`DELTA_RULE_LATEX` with
  :func:`derivations.checker.check` for every architecture (every depth, width, batch size m
  and output width) of one (hidden, output) activation pair. ``numeric.compile`` compiles
  only what is proved. A test (``tests/numeric/test_numeric_delta_rule.py``) evaluates the
  LaTeX and :func:`apply_delta_rule` on drawn symbolic networks and finds them equal exactly:
  the code that is compiled computes what the proved formulas say.
* :func:`verify_delta_rule` is a bounded check: :func:`apply_delta_rule` against direct
  differentiation on one explicit network and batch size, exactly, and nothing beyond it.

:func:`apply_delta_rule` is written once over SymPy matrices and is evaluated both on an
explicit symbolic network (:func:`delta_rule_on`) and on MatrixSymbols (``numeric.compile``,
which lambdifies the result to NumPy).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Callable

import sympy as sp

from .activations import get_activation
from .checker import CheckResult, check, get_notation
from .checker.prove import Proof
from .errors import ArchitectureError, ShapeError, UnknownNameError
from .exact import compare
from .ground_truth import grad_b, grad_W, mse
from .network import Architecture, Network
from .output_delta import OUTPUT_DELTAS, OutputDeltaProof, prove_output_delta
from .verdict import Counterexample, Verdict

__all__ = ["DELTA_RULE", "DELTA_RULE_LATEX", "LOSSES", "DeltaRuleProof", "apply_delta_rule", "delta_rule_on",
           "delta_rule_latex", "prove_delta_rule", "verify_delta_rule"]

DELTA_RULE = ("delta^(L) = (a^(L) - Y) o f'(z^(L)); delta^(l) = (W^(l+1)T delta^(l+1)) o f'(z^(l)); "
              "dW^(l) = delta^(l) a^(l-1)T / m; db^(l) = delta^(l) 1_m / m  [J = 1/(2m) sum ||a - y||^2]")

Layers = dict[int, sp.MatrixBase]
Rule = Callable[..., tuple[Layers, Layers, Layers]]


def _hadamard(A: sp.MatrixBase, B: sp.MatrixBase | None) -> sp.MatrixBase:
    """A o B; ``B = None`` stands for f' = 1 (identity activation, used by the compiler)."""
    return A if B is None else sp.hadamard_product(A, B)


DELTA_RULE_LATEX: tuple[tuple[str, str], ...] = (
    ("output delta", r"\delta^{(L)} = (a^{(L)} - y) \odot f'(z^{(L)})"),
    ("recursion", r"\delta^{(l)} = ((W^{(l+1)})^T \delta^{(l+1)}) \odot f'(z^{(l)})"),
    ("dW", r"dW^{(l)} = \frac{1}{m} \delta^{(l)} (a^{(l-1)})^T"),
    ("db", r"db^{(l)} = \frac{1}{m} \delta^{(l)} \mathbf{1}"),
)
"""(name, LaTeX) of each line of :func:`apply_delta_rule`, in the checker's ``tutorial`` notation:
delta^(l) = dC/dz^(l) per sample with C = 1/2 ||a^(L) - y||^2; dW, db the gradients of
L = 1/(2m) sum ||a^(L) - y||^2; ``\\mathbf{1}`` the m x 1 ones column."""


LOSSES: dict[str, dict] = {
    "mse": dict(output=None, latex=DELTA_RULE_LATEX[0][1], delta="1/2", loss="1/(2m)",
                words="J = 1/(2m) sum ||a - y||^2 (any output activation)"),
    "bce": dict(output="sigmoid", latex=r"\delta^{(L)} = a^{(L)} - y", delta="bce 1", loss="bce 1/m",
                words="J = -1/m sum (y log a + (1 - y) log(1 - a)) (sigmoid output)"),
    "cce": dict(output="softmax", latex=r"\delta^{(L)} = a^{(L)} - y", delta="cce 1", loss="cce 1/m",
                words="J = -1/m sum y log a (softmax output, one-hot y)"),
}
"""loss -> the output activation it needs (None: any), the output delta as LaTeX, and the checker's
objective specs of delta and of dW, db (:mod:`derivations.checker.notation`). With a sigmoid output
and binary cross-entropy, or softmax and categorical cross-entropy, f'(z^(L)) cancels and the
output delta is a^(L) - y (the dlai convention)."""

_WEIGHT_DECAY_DW = r"dW^{(l)} = \frac{1}{m} \delta^{(l)} (a^{(l-1)})^T + \frac{\lambda}{m} W^{(l)}"
_SOFTMAX_SWEEP = 2  # the depths (1..2) a non-standard softmax output-delta line is checked on (tests' mutants)


def delta_rule_latex(loss: str = "mse", *, weight_decay: bool = False) -> tuple[tuple[str, str], ...]:
    """(name, LaTeX) lines of the rule for ``loss`` ("mse", "bce", "cce"); with ``weight_decay`` the dW
    line gains lambda/m W^(l), the gradient of the L2 term lambda/(2m) sum ||W^(l)||^2 (dlai, course 2).

    >>> print(delta_rule_latex("bce")[0][1])
    \\delta^{(L)} = a^{(L)} - y
    """
    if loss not in LOSSES:
        raise UnknownNameError(f"loss must be one of {', '.join(LOSSES)}, got loss={loss!r}")
    lines = dict(DELTA_RULE_LATEX)
    lines["output delta"] = LOSSES[loss]["latex"]
    if weight_decay:
        lines["dW"] = _WEIGHT_DECAY_DW
    return tuple(lines.items())


def apply_delta_rule(W: Layers, a: Layers, fprime: dict[int, sp.MatrixBase | None], Y: sp.MatrixBase,
               m: sp.Expr | int, *, ones: Callable = sp.ones, loss: str = "mse",
               decay: sp.Expr | None = None) -> tuple[Layers, Layers, Layers]:
    """(delta, dW, db) by the tutorial's delta rule, keyed by layer l = 1..L (``i`` in the code).

    Args:
        W: W^(l) for l = 1..L, n_l x n_{l-1}.
        a: a^(l) for l = 0..L (a^(0) = X), n_l x m.
        fprime: f'(z^(l)) for l = 1..L, n_l x m (None: the identity's f' = 1).
        Y: targets, n_L x m.
        m: the batch size (an integer, or a Symbol for MatrixSymbols).
        ones: builds the m x 1 column of ones (``sp.ones`` or ``OneMatrix``).
        loss: "mse" (delta^(L) = (a - y) o f'(z)); "bce" or "cce" (delta^(L) = a - y, see :data:`LOSSES`);
            delta^(L) is built by ``OUTPUT_DELTAS[loss].delta``, the function
            :func:`derivations.output_delta.prove_output_delta` proves for every n_k and m.
        decay: lambda of the L2 term lambda/(2m) sum ||W^(l)||^2 (None: no weight decay).

    Shapes: delta^(l) n_l x m, dW^(l) n_l x n_{l-1}, db^(l) n_l x 1.

    Reading: one line of code per line of :data:`DELTA_RULE_LATEX`, which
    :func:`prove_delta_rule` proves; ``test_apply_delta_rule_computes_what_the_latex_says``
    evaluates both on drawn symbolic networks and finds them exactly equal.

    >>> net = Network(Architecture((2, 1), "sigma", "affine"))
    >>> delta, dW, db = delta_rule_on(net)
    >>> dW[1].shape, db[1].shape
    ((1, 2), (1, 1))
    """
    L = max(W)
    delta = {L: OUTPUT_DELTAS[loss].delta(a[L], Y, fprime[L], _hadamard)}  # proved: derivations.output_delta
    for i in range(L - 1, 0, -1):
        delta[i] = _hadamard(W[i + 1].T * delta[i + 1], fprime[i])
    dW = {i: delta[i] * a[i - 1].T / m for i in delta}
    if decay is not None:
        dW = {i: dW[i] + decay * W[i] / m for i in dW}
    db = {i: delta[i] * ones(m, 1) / m for i in delta}
    return delta, dW, db


def delta_rule_on(net: Network, rule: Rule = apply_delta_rule) -> tuple[Layers, Layers, Layers]:
    """``rule`` applied to the named symbols of an explicit affine network (a^(l) = Sigma_l)."""
    k = net.depth
    W = {i: net.W(i) for i in range(1, k + 1)}
    a = {i: net.Sigma(i) for i in range(0, k + 1)}
    fprime = {i: net.Sigma_prime(i) for i in range(1, k + 1)}
    return rule(W, a, fprime, net.Y, sp.Integer(net.m))


@dataclass(frozen=True)
class DeltaRuleProof:
    """The checker's verdict on each line of the delta rule for one (hidden, output) activation pair.

    Attributes:
        hidden: the hidden layers' activation.
        output: the output layer's activation.
        lines: (name, :class:`~derivations.checker.CheckResult`) per line of :data:`DELTA_RULE_LATEX`.
    """

    hidden: str
    output: str
    lines: tuple[tuple[str, CheckResult], ...]
    loss: str = "mse"
    weight_decay: bool = False
    output_delta: OutputDeltaProof | None = None

    @property
    def status(self) -> str:
        """"proved" when every line is; else the weakest status of a line ("holds on the sweep only", ...)."""
        unproved = self.first_unproved()
        return "proved" if unproved is None else unproved[1].status

    @property
    def results(self) -> tuple[CheckResult, ...]:
        """The CheckResults, in the order of the rule."""
        return tuple(result for _, result in self.lines)

    @property
    def proved(self) -> bool:
        """Every line has status "proved" (for every depth, width, batch size and output width)."""
        return self.first_unproved() is None

    def first_unproved(self) -> tuple[str, CheckResult] | None:
        """(name, result) of the first line not proved (the output delta's own proof counts as a line),
        None when all are."""
        extra = () if self.output_delta is None else (("output delta dJ/dZ", _as_result(self.output_delta)),)
        return next(((name, r) for name, r in (*self.lines, *extra) if r.status != "proved"), None)

    @property
    def seconds(self) -> float:
        """Wall time of the checks."""
        return sum(result.seconds for result in self.results)

    def __str__(self) -> str:
        what = f" ({self.loss}{' + weight decay' if self.weight_decay else ''})" \
            if (self.loss, self.weight_decay) != ("mse", False) else ""
        head = f"delta rule{what}, hidden {self.hidden}, output {self.output}: " \
               f"{'proved' if self.proved else 'NOT proved: ' + self.status}"
        if self.output_delta is not None:
            head += f"\n  {self.output_delta}"
        return head + "".join(f"\n  {name}: {r.formula}: {r.status}"
                              + (f" for {r.proof.scope()}" if r.proof is not None else "")
                              + (f": {r.counterexample.message}" if r.counterexample is not None else "")
                              for name, r in self.lines)


def prove_delta_rule(hidden: str, output: str | None = None, *,
                     rule: tuple[tuple[str, str], ...] | None = None, loss: str = "mse",
                     weight_decay: bool = False) -> DeltaRuleProof:
    """Proof of every line of the rule for every architecture with these activations, or the verdicts.

    Each LaTeX line is checked by :func:`derivations.checker.check` in the ``tutorial``
    notation, with ``activations=[hidden]`` and the profile's output activation set to
    ``output``; a line is proved when its status is "proved": for every depth, every width,
    every batch size m and every output width n_k. The result depends on the two activations
    only, so callers may cache it per pair.

    Args:
        hidden: the hidden layers' activation name (aliases allowed).
        output: the output layer's activation (default: ``hidden``).
        rule: (name, LaTeX) lines to check (default :func:`delta_rule_latex` of ``loss`` and
            ``weight_decay``, :data:`DELTA_RULE_LATEX` for MSE; tests pass mutants).
        loss: "mse", "bce" (needs a sigmoid output) or "cce" (needs softmax); :data:`LOSSES`.
        weight_decay: the dW line with the L2 term (the checker's objective "+ wd 1/(2m)").

    Reading: the checker proves the MSE and BCE lines (with or without weight decay). It cannot
    prove lines about a softmax layer (its outputs are tied, they sum to 1). For "cce" the output
    delta is proved by :func:`derivations.output_delta.prove_output_delta` (dJ/dZ = (A - Y)/m by
    symbolic differentiation over index sums, every n_k and m, target columns summing to 1), and
    the recursion, dW and db lines by the checker with an identity output and MSE: those lines see
    the output layer only through delta^(L) = m dJ/dz^(L), and with an identity output and MSE
    delta^(L) = z^(L) - y takes every value as y does, so they hold for every objective that is a
    function of z^(L), the softmax cross-entropy among them. For every loss the output delta's
    symbolic proof is kept in :attr:`DeltaRuleProof.output_delta` and must be "proved" too.

    Reading: the checker proves each line on networks whose hidden layers share one activation.
    For a network that mixes hidden activations we ask for the proof of every (hidden, output)
    pair it uses; that these suffice rests on locality, which we state and do not check: the
    output delta involves the output layer only, dW^(l) and db^(l) layer l only, and the
    recursion layer l's f' and delta^(l+1), which enters both sides alike.

    Raises:
        ActivationError: an unknown activation name.

    >>> proof = prove_delta_rule("tanh", "identity")
    >>> proof.proved, [r.status for r in proof.results]
    (True, ['proved', 'proved', 'proved', 'proved'])
    """
    hidden, output = get_activation(hidden).name, get_activation(output or hidden).name
    spec = LOSSES.get(loss)
    if spec is None or spec["output"] not in (None, output):
        need = "" if spec is None else f" needs the output activation {spec['output']}"
        raise UnknownNameError(f"loss must be one of {', '.join(LOSSES)} with its output activation "
                                f"(bce: sigmoid, cce: softmax); got loss={loss!r}{need}, output={output!r}")
    rule = delta_rule_latex(loss, weight_decay=weight_decay) if rule is None else rule
    output_delta = prove_output_delta(loss)
    lines = tuple((name, _check_line(name, latex, hidden, output, loss, weight_decay, output_delta))
                  for name, latex in rule)
    return DeltaRuleProof(hidden, output, lines, loss, weight_decay, output_delta)


def _notation(output: str, loss: str, weight_decay: bool):
    """The ``tutorial`` notation with this output activation and the objectives of ``loss``."""
    spec, tutorial = LOSSES[loss], get_notation("tutorial")
    objective = spec["loss"] + (" + wd 1/(2m)" if weight_decay else "")
    return replace(tutorial, output_activation=output, delta_objective=spec["delta"], default_loss=objective,
                   symbols=MappingProxyType({**tutorial.symbols, "\\lambda": "lambda"}),
                   min_output_width=2 if output == "softmax" else 1)


def _check_line(name: str, latex: str, hidden: str, output: str, loss: str, weight_decay: bool,
                output_delta: OutputDeltaProof) -> CheckResult:
    """The verdict on one line. A softmax output: the output-delta line is the symbolic proof of
    :mod:`derivations.output_delta` (a different LaTeX line is checked on the sweep); the other lines
    are proved by the checker with an identity output and MSE (see :func:`prove_delta_rule`)."""
    if output != "softmax":
        return check(latex, notation=_notation(output, loss, weight_decay), activations=[hidden])
    if name == "output delta" and latex == LOSSES[loss]["latex"]:
        return _as_result(output_delta, latex)
    if name == "output delta":
        return check(latex, notation=_notation(output, loss, weight_decay), activations=[hidden],
                     max_depth=_SOFTMAX_SWEEP)
    return check(latex, notation=_notation("identity", "mse", weight_decay), activations=[hidden])


def _as_result(proof: OutputDeltaProof, latex: str | None = None) -> CheckResult:
    """An :class:`OutputDeltaProof` as a checker verdict ("proved" with a :class:`Proof`, or its counterexample)."""
    proved = proof.status == "proved"
    certificate = Proof(method="symbolic differentiation of J over index sums of symbolic size "
                               "(derivations.output_delta)", min_depth=1, width_bound=1, batch="every m")
    return CheckResult(latex or proof.record.latex, {"proved": True, "fails": False}.get(proof.status),
                       notation="tutorial", claim=f"m dJ/dz^(L) for {proof.record.words}",
                       counterexample=proof.counterexample,
                       seconds=proof.seconds, note="" if proved else f"difference {proof.difference}",
                       proof=certificate if proved else None, assumptions=proof.assumptions)


def _shape_counterexample(arch: Architecture, err: Exception) -> Counterexample:
    return Counterexample(arch, None, None, kind="shape",
                          message=f"delta rule does not type-check on {arch.label()}: {err}")


def _check_layers(net: Network, dW: Layers, db: Layers) -> Counterexample | str | None:
    undecided = None
    for i in range(1, net.depth + 1):
        for what, formula, truth in ((f"dW^({i})", dW[i], grad_W(net, i, mse())),
                                     (f"db^({i})", db[i], grad_b(net, i, mse()))):
            result = compare(net, sp.Matrix(formula), truth, layer=i, what=what)
            if isinstance(result, Counterexample):
                return result
            undecided = undecided or result
    return undecided


def verify_delta_rule(architecture: Architecture, *, batch: int = 2,
                      rule: Rule = apply_delta_rule) -> Verdict:
    """Verdict of a bounded check: does the rule give grad_W, grad_b of J = 1/(2m) sum (a - y)^2
    exactly on this one architecture with this one batch size?

    Every layer's dW^(l) and db^(l) is compared with :func:`grad_W` / :func:`grad_b`
    of ``mse()`` (direct differentiation of the composed network) by
    :func:`derivations.exact.compare` on an explicit network with ``batch`` samples.

    Reading: this is no proof. It says nothing about other widths, depths or batch sizes (a
    rule with 1/2 in place of 1/m holds at m = 2), and its cost grows fast with the size (a
    depth-10 network of width 2 takes minutes). :func:`prove_delta_rule` proves the rule for
    every architecture; the test ``test_verify_delta_rule_is_bounded_to_its_batch`` pins the
    difference.

    Args:
        architecture: an affine Architecture (any widths and activations).
        batch: m >= 1, the number of samples (columns of X).
        rule: the rule to check (default :func:`apply_delta_rule`; tests pass mutants).

    Raises:
        ArchitectureError: a homogeneous architecture (the rule has biases) or batch < 1.

    >>> verify_delta_rule(Architecture((1, 1), "tanh", "affine"), batch=2).holds
    True
    """
    if not isinstance(architecture, Architecture) or architecture.form != "affine":
        raise ArchitectureError("the delta rule is for affine networks (it has biases b^(l)); "
                                f"use Architecture(..., form='affine'), got {architecture!r}")
    start = time.perf_counter()
    net = Network(architecture, batch=batch)
    try:
        _, dW, db = delta_rule_on(net, rule)
        result = _check_layers(net, dW, db)
    except (ShapeError, sp.ShapeError, ValueError, TypeError) as err:
        result = _shape_counterexample(architecture, err)
    holds = None if result == "undecided" else result is None
    return Verdict("delta rule (tutorial, MSE 1/(2m))", holds, (architecture,),
                   result if isinstance(result, Counterexample) else None,
                   time.perf_counter() - start, note=f"batch m={batch}; every dW^(l), db^(l)")
