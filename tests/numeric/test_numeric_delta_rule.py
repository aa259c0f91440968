"""The tutorial's delta rule: its LaTeX is proved for every architecture, the code that is compiled
computes exactly what the LaTeX says, the bounded exact check holds, and mutants are rejected."""

from __future__ import annotations

import pytest
import sympy as sp
from hypothesis import given

from derivations import Architecture, ArchitectureError, Counterexample, compare
from derivations.checker import TUTORIAL, parse_formula
from derivations.checker.instance import sides
from derivations.delta_rule import (
    DELTA_RULE_LATEX,
    _hadamard,
    apply_delta_rule,
    delta_rule_on,
    prove_delta_rule,
    verify_delta_rule,
)
from derivations.network import Network
from derivations.strategies import architectures, networks

# -- the LaTeX is proved for every architecture ------------------------------------------------
PAIRS = [("tanh", "identity"), ("sigmoid", "sigmoid"), ("relu", "tanh"), ("softplus", "identity"),
         ("identity", "sigmoid")]


@pytest.mark.parametrize("hidden, output", PAIRS, ids=[f"{h}-{o}" for h, o in PAIRS])
def test_every_line_of_the_rule_is_proved_for_every_architecture(hidden, output):
    proof = prove_delta_rule(hidden, output)
    assert proof.proved and proof.first_unproved() is None, str(proof)
    assert [name for name, _ in proof.lines] == [name for name, _ in DELTA_RULE_LATEX]
    for (name, result), (_, latex) in zip(proof.lines, DELTA_RULE_LATEX, strict=True):
        assert result.formula == latex and result.status == "proved", f"{name}: {result}"
        scope = result.proof.scope()
        assert "every width" in scope and "every n_k" in scope and "every m" in scope, f"{name}: {scope}"
        assert result.proof.min_depth == (2 if name == "recursion" else 1), f"{name}: {scope}"
        assert f"output layer: {output}" in "; ".join(result.assumptions), result.assumptions


def test_proof_names_its_activations_and_defaults_output_to_hidden():
    proof = prove_delta_rule("tanh")
    assert (proof.hidden, proof.output) == ("tanh", "tanh")
    assert str(proof).startswith("delta rule, hidden tanh, output tanh: proved")


LATEX_MUTANTS = [  # (line, what is changed, mutated LaTeX): each must come back "fails"
    ("dW", "1/2 for 1/m", r"dW^{(l)} = \frac{1}{2} \delta^{(l)} (a^{(l-1)})^T"),
    ("db", "1/m dropped", r"db^{(l)} = \delta^{(l)} \mathbf{1}"),
    ("recursion", "transpose dropped", r"\delta^{(l)} = (W^{(l+1)} \delta^{(l+1)}) \odot f'(z^{(l)})"),
    ("recursion", "f' dropped", r"\delta^{(l)} = (W^{(l+1)})^T \delta^{(l+1)}"),
    ("output delta", "sign flipped", r"\delta^{(L)} = (y - a^{(L)}) \odot f'(z^{(L)})"),
    ("dW", "a^(l) for a^(l-1)", r"dW^{(l)} = \frac{1}{m} \delta^{(l)} (a^{(l)})^T"),
]


@pytest.mark.parametrize("line, change, latex", LATEX_MUTANTS, ids=[c for _, c, _ in LATEX_MUTANTS])
def test_mutated_latex_line_fails(line, change, latex):
    proof = prove_delta_rule("tanh", "identity", rule=((line, latex),))
    assert not proof.proved and proof.first_unproved()[0] == line
    result = proof.results[0]
    assert result.status == "fails", f"{change}: {result}"
    assert result.counterexample is not None and result.counterexample.message


# -- the compiled code computes what the LaTeX says ---------------------------------------------
def _latex_mismatch(net: Network, rule=apply_delta_rule):
    """(line, layer, Counterexample) where ``rule`` on ``net`` differs from the LaTeX line's right-hand
    side (delta^(l+1) there is the true gradient), or None when every line agrees exactly."""
    delta, dW, db = delta_rule_on(net, rule)
    k = net.depth
    code = {"output delta": {k: delta[k]}, "recursion": {i: delta[i] for i in range(1, k)}, "dW": dW, "db": db}
    for name, latex in DELTA_RULE_LATEX:
        formula = parse_formula(latex, notation=TUTORIAL)
        for layer, value in code[name].items():
            _, rhs = sides(formula, net, {"L": k, "l": layer}, TUTORIAL)
            outcome = compare(net, sp.Matrix(value), rhs, layer=layer, what=f"apply_delta_rule's {name}",
                              truth_name=f"the LaTeX {latex}")
            if outcome is not None:
                return name, layer, outcome
    return None


@given(networks(architectures=architectures(max_depth=3, max_width=2, forms=("affine",), mixed_activations=True,
                                            activations=["sigma", "identity", "sigmoid", "tanh", "relu",
                                                         "softplus"]), max_batch=3))
def test_apply_delta_rule_computes_what_the_latex_says(net):
    """Exact equality, line by line, on drawn affine networks (depth 1-3, widths 1-2, m 1-3)."""
    assert _latex_mismatch(net) is None, f"{net.architecture.label()} m={net.m}: {_latex_mismatch(net)}"

CASES = [
    ((1, 1), "identity", 1), ((1, 1), "tanh", 2), ((2, 1), "sigmoid", 3), ((2, 2, 1), "sigma", 2),
    ((2, 3, 2), "tanh", 2), ((2, 2, 2, 1), ("relu", "sigmoid", "identity"), 2), ((3, 2, 2), "softplus", 2),
    ((2, 2, 2, 2, 1), "sigmoid", 2),
]


@pytest.mark.parametrize("widths, acts, m", CASES, ids=[f"{w}-{a}-m{m}" for w, a, m in CASES])
def test_bounded_check_holds_exactly_on_the_architecture_it_was_given(widths, acts, m):
    arch = Architecture(widths, acts, "affine")
    verdict = verify_delta_rule(arch, batch=m)
    assert verdict.holds is True and verdict.counterexample is None, str(verdict)
    assert verdict.architectures == (arch,) and f"batch m={m}" in verdict.note


def test_delta_rule_shapes_on_smallest_net():
    net = Network(Architecture((2, 3, 1), "tanh", "affine"), batch=4)
    delta, dW, db = delta_rule_on(net)
    assert [delta[i].shape for i in (1, 2)] == [(3, 4), (1, 4)]
    assert [dW[i].shape for i in (1, 2)] == [(3, 2), (1, 3)]
    assert [db[i].shape for i in (1, 2)] == [(3, 1), (1, 1)]


def test_delta_L_written_out_for_one_neuron():
    net = Network(Architecture((1, 1), "sigma", "affine"))
    delta, dW, db = delta_rule_on(net)
    s, d, x, y = net.sigma(1, 0), net.sigma_prime(1, 0), net.X[0, 0], net.Y[0, 0]
    assert sp.expand(delta[1][0, 0] - (s - y) * d) == 0
    assert sp.expand(dW[1][0, 0] - (s - y) * d * x) == 0
    assert sp.expand(db[1][0, 0] - (s - y) * d) == 0


# -- mutants: each plausible mistake must be rejected -----------------------------------------
def missing_mean_in_dW(W, a, fp, Y, m):
    delta, dW, db = apply_delta_rule(W, a, fp, Y, m)
    return delta, {i: G * m for i, G in dW.items()}, db


def missing_mean_in_db(W, a, fp, Y, m):
    delta, dW, db = apply_delta_rule(W, a, fp, Y, m)
    return delta, dW, {i: G * m for i, G in db.items()}


def missing_transpose(W, a, fp, Y, m):
    L = max(W)
    delta = {L: _hadamard(a[L] - Y, fp[L])}
    for i in range(L - 1, 0, -1):
        delta[i] = _hadamard(W[i + 1] * delta[i + 1], fp[i])
    return (delta, {i: delta[i] * a[i - 1].T / m for i in delta},
            {i: delta[i] * sp.ones(m, 1) / m for i in delta})


def f_instead_of_fprime(W, a, fp, Y, m):
    return apply_delta_rule(W, a, {i: a[i] for i in fp}, Y, m)


def y_minus_a(W, a, fp, Y, m):
    L = max(W)
    return apply_delta_rule(W, {**a, L: 2 * Y - a[L]}, fp, Y, m)  # (Y - a) o f' instead of (a - Y) o f'


def previous_activation(W, a, fp, Y, m):
    delta, _, db = apply_delta_rule(W, a, fp, Y, m)  # a^(l) instead of a^(l-1); fits on square widths
    return delta, {i: delta[i] * a[i].T / m for i in delta}, db


def half_instead_of_mean(W, a, fp, Y, m):
    delta, dW, db = apply_delta_rule(W, a, fp, Y, m)  # dW = delta a^T / 2: right at m = 2 only
    return delta, {i: G * m / 2 for i, G in dW.items()}, db


MUTANTS = [missing_mean_in_dW, missing_mean_in_db, missing_transpose, f_instead_of_fprime, y_minus_a,
           previous_activation]


@pytest.mark.parametrize("mutant", [*MUTANTS, half_instead_of_mean],
                         ids=[f.__name__ for f in [*MUTANTS, half_instead_of_mean]])
def test_latex_link_catches_a_mutated_rule(mutant):
    """The property test above can fail: code that is not what the LaTeX says is caught."""
    mismatch = _latex_mismatch(Network(Architecture((2, 2, 2), "tanh", "affine"), batch=3), mutant)
    assert mismatch is not None, f"{mutant.__name__} agrees with the LaTeX"
    assert isinstance(mismatch[2], Counterexample) and mismatch[2].message


def test_verify_delta_rule_is_bounded_to_its_batch():
    """verify_delta_rule is no proof: 1/2 in place of 1/m holds at m = 2 and fails at m = 3 (the proof of
    the LaTeX with 1/2 fails at once: test_mutated_latex_line_fails[1/2 for 1/m])."""
    arch = Architecture((2, 2, 1), "tanh", "affine")
    assert verify_delta_rule(arch, batch=2, rule=half_instead_of_mean).holds is True
    assert verify_delta_rule(arch, batch=3, rule=half_instead_of_mean).holds is False


@pytest.mark.parametrize("mutant", MUTANTS, ids=[f.__name__ for f in MUTANTS])
@pytest.mark.parametrize("acts", ["tanh", "sigmoid"])
def test_mutated_delta_rule_is_rejected(mutant, acts):
    verdict = verify_delta_rule(Architecture((2, 2, 2), acts, "affine"), batch=2, rule=mutant)
    assert verdict.holds is False, f"{mutant.__name__} on {acts} was not rejected: {verdict}"
    assert verdict.counterexample is not None and verdict.counterexample.message


def test_missing_transpose_is_a_shape_counterexample_on_rectangular_weights():
    verdict = verify_delta_rule(Architecture((2, 3, 1), "tanh", "affine"), batch=2, rule=missing_transpose)
    assert verdict.holds is False and verdict.counterexample.kind == "shape"


def test_delta_rule_needs_the_one_half_convention():
    """With J = 1/m sum (a - y)^2 the rule is off by 2: the 1/(2m) convention is what makes it exact."""
    from derivations.ground_truth import grad_W, mse

    net = Network(Architecture((1, 1), "tanh", "affine"), batch=2)
    _, dW, _ = delta_rule_on(net)
    assert sp.expand(2 * dW[1][0, 0] - grad_W(net, 1, mse("1/m"))[0, 0]) == 0
    assert sp.expand(dW[1][0, 0] - grad_W(net, 1, mse())[0, 0]) == 0


def test_homogeneous_architecture_is_refused():
    with pytest.raises(ArchitectureError, match="affine"):
        verify_delta_rule(Architecture((2, 1), "tanh"))
