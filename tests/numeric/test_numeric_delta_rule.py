"""The tutorial's delta rule holds exactly (derivations.delta_rule), and its mutants are rejected."""

from __future__ import annotations

import pytest
import sympy as sp

from derivations import Architecture, ArchitectureError
from derivations.delta_rule import _hadamard, apply_delta_rule, delta_rule_on, verify_delta_rule
from derivations.network import Network

CASES = [
    ((1, 1), "identity", 1), ((1, 1), "tanh", 2), ((2, 1), "sigmoid", 3), ((2, 2, 1), "sigma", 2),
    ((2, 3, 2), "tanh", 2), ((2, 2, 2, 1), ("relu", "sigmoid", "identity"), 2), ((3, 2, 2), "softplus", 2),
    ((2, 2, 2, 2, 1), "sigmoid", 2),
]


@pytest.mark.parametrize("widths, acts, m", CASES, ids=[f"{w}-{a}-m{m}" for w, a, m in CASES])
def test_delta_rule_matches_ground_truth_exactly(widths, acts, m):
    verdict = verify_delta_rule(Architecture(widths, acts, "affine"), batch=m)
    assert verdict.holds is True, str(verdict)


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


MUTANTS = [missing_mean_in_dW, missing_mean_in_db, missing_transpose, f_instead_of_fprime, y_minus_a,
           previous_activation]


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
