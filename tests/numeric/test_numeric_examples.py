"""The tutorial's five experiments behave as in the tutorial (settings: numeric.examples.EXPERIMENTS)."""

from __future__ import annotations

import numpy as np
import pytest

from numeric.examples import EXPERIMENTS, dummy_data, run_experiment


def test_dummy_data_matches_the_text():
    X, Y, X_test, Y_test = dummy_data()
    assert X.shape == (3, 7) and set(np.unique(X)) == {0.0, 1.0}
    assert np.array_equal(Y, X[:1])  # "the desired output is 1 if the first feature is 1"
    assert not any(np.array_equal(X[:, s], X_test[:, 0]) for s in range(7))  # unseen
    assert Y_test[0, 0] == 1.0


@pytest.mark.parametrize("name", ["single_neuron", "batched_neuron", "minibatch_neuron"])
def test_linear_neuron_learns_weights_one_zero_zero(name):
    result = run_experiment(name)
    np.testing.assert_allclose(result.model.weights[1], [[1.0, 0.0, 0.0]], atol=0.05)
    assert abs(result.model.biases[1][0, 0]) < 0.05
    assert result.prediction > 0.99


@pytest.mark.parametrize("name", list(EXPERIMENTS))
def test_experiment_predicts_near_one_on_the_unseen_sample(name):
    result = run_experiment(name)
    assert 0.9 < result.prediction < 1.1, f"{name}: prediction {result.prediction}"
    assert result.history.epoch_loss[-1] < result.history.epoch_loss[0]


def test_untrained_neuron_does_not_predict_one():
    """Guard: the tests above can fail (one epoch is far from the tutorial's result)."""
    assert abs(run_experiment("activation_neuron", epochs=1).prediction - 1) > 0.1
