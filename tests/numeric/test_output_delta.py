"""The output deltas dJ/dZ of the three output/loss pairs: proved for every n_k and m; mutants refuted."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import sympy as sp

from derivations import UnknownNameError
from derivations.delta_rule import delta_rule_latex, prove_delta_rule
from derivations.output_delta import OUTPUT_DELTAS, prove_output_delta
from numeric import compile_gradient
from numeric.compile import clear_cache


@pytest.mark.parametrize("loss", sorted(OUTPUT_DELTAS))
def test_each_output_delta_is_proved_for_every_output_width_and_batch(loss):
    proof = prove_output_delta(loss)
    assert proof.status == "proved" and proof.difference == "0", str(proof)
    assert "every n_k, every m" in str(proof)


def test_softmax_cross_entropy_states_that_target_columns_sum_to_one():
    assert any("sums to 1" in a for a in prove_output_delta("cce").assumptions)


_CCE, _BCE, _MSE = OUTPUT_DELTAS["cce"], OUTPUT_DELTAS["bce"], OUTPUT_DELTAS["mse"]
MUTANTS = {
    "cce without 1/m": replace(_CCE, scale=lambda m: 1),
    "cce A - Y with a sigmoid output (no softmax)": replace(_CCE, output="sigmoid"),
    "cce A - Y with an identity output (no softmax)": replace(_CCE, output="identity"),
    "cce targets not summing to 1": replace(_CCE, targets_sum_to_one=False),
    "cce (A - Y)/(2m)": replace(_CCE, scale=lambda m: 1 / (2 * m)),
    "bce with a spurious f'": replace(_BCE, delta=_MSE.delta),
    "bce A - Y with an identity output": replace(_BCE, output="identity"),
    "mse without f'": replace(_MSE, delta=_CCE.delta),
    "mse scale 1/m in J": replace(_MSE, loss_of=lambda a, y, n, m: 2 * _MSE.loss_of(a, y, n, m)),
    "mse 1/2 for 1/m": replace(_MSE, scale=lambda m: sp.Rational(1, 2)),
    "mse Y - A": replace(_MSE, delta=lambda A, Y, F, times: times(Y - A, F)),
}


@pytest.mark.parametrize("mutant", MUTANTS.values(), ids=list(MUTANTS))
def test_a_wrong_output_delta_is_refuted_with_an_exact_counterexample(mutant):
    proof = prove_output_delta(mutant)
    assert proof.status == "fails" and proof.counterexample is not None, str(proof)
    ce = proof.counterexample
    assert ce.formula_value != ce.truth_value and f"n_k={ce.architecture.widths[-1]}" in ce.message


def test_the_missing_one_over_m_needs_a_batch_of_two_to_show():
    ce = prove_output_delta(MUTANTS["cce without 1/m"]).counterexample
    assert "m=2" in ce.message  # at m = 1 the two agree: a sweep over m = 1 alone would miss it


def test_an_unknown_loss_is_refused():
    with pytest.raises(UnknownNameError, match="mse, bce, cce"):
        prove_output_delta("hinge")


def test_the_rule_starts_from_the_proved_delta():
    """apply_delta_rule takes delta^(L) from the record that is proved: a mutated record changes the
    compiled gradient's proof to a failure and the compile is refused."""
    for loss, output in (("cce", "softmax"), ("bce", "sigmoid"), ("mse", "identity")):
        proof = prove_delta_rule("tanh", output, loss=loss)
        assert proof.proved and proof.output_delta.record is OUTPUT_DELTAS[loss]


def test_compile_refuses_when_the_output_delta_is_not_proved(monkeypatch):
    import derivations.delta_rule as rule_module

    monkeypatch.setattr(rule_module, "prove_output_delta", lambda loss: prove_output_delta(MUTANTS["cce without 1/m"]))
    clear_cache()
    try:
        with pytest.raises(ValueError, match="refusing to compile"):
            compile_gradient(["tanh", "softmax"])
    finally:
        monkeypatch.undo()
        clear_cache()
    assert compile_gradient(["tanh", "softmax"]).status == "proved"


def test_softmax_rule_with_a_different_output_delta_line_is_checked_and_refuted():
    mutant = (("output delta", r"\delta^{(L)} = y - a^{(L)}"),) + delta_rule_latex("cce")[1:]
    bad = prove_delta_rule("tanh", "softmax", loss="cce", rule=mutant)
    name, result = bad.first_unproved()
    assert not bad.proved and name == "output delta" and result.status == "fails"


def test_the_proved_softmax_delta_matches_numpy_on_a_random_batch():
    rng = np.random.default_rng(0)
    Z, labels = rng.normal(size=(4, 5)), rng.integers(0, 4, 5)
    Y = np.eye(4)[:, labels]
    A = np.exp(Z) / np.exp(Z).sum(axis=0)
    J = lambda Z: -np.sum(Y * np.log(np.exp(Z) / np.exp(Z).sum(axis=0))) / 5  # noqa: E731
    eps, numeric = 1e-6, np.zeros_like(Z)
    for idx in np.ndindex(Z.shape):
        E = np.zeros_like(Z)
        E[idx] = eps
        numeric[idx] = (J(Z + E) - J(Z - E)) / (2 * eps)
    np.testing.assert_allclose((A - Y) / 5, numeric, rtol=1e-6, atol=1e-9)
