"""The trainer: modes, reproducibility, bad data and options, divergence keeps the history."""

from __future__ import annotations

import numpy as np
import pytest

from derivations import ActivationError, ArchitectureError, DivergenceError, NumericError
from numeric.train import History, init_model, train

X = np.random.default_rng(0).normal(size=(3, 12))
Y = X[:1] - 0.5 * X[2:3]  # a linear target the [3, 1] identity neuron can fit


@pytest.mark.parametrize("mode, steps_per_epoch", [("full", 1), ("sgd", 12), ("minibatch", 3),
                                                   ("stochastic", 12), ("full-batch", 1)])
def test_modes_take_the_right_number_of_steps(mode, steps_per_epoch):
    _, history = train(init_model((3, 1)), X, Y, mode=mode, epochs=4, batch_size=5, record="epoch")
    assert len(history.loss) == 4 * steps_per_epoch
    assert len(history.epoch_loss) == 4 and len(history.weights) == 5


@pytest.mark.parametrize("mode", ["full", "sgd", "minibatch"])
def test_training_decreases_the_loss_and_fits_a_linear_target(mode):
    model, history = train(init_model((3, 1), seed=1), X, Y, mode=mode, lr=0.1, epochs=300, batch_size=4)
    assert history.epoch_loss[-1] < 1e-6 < history.epoch_loss[0]
    np.testing.assert_allclose(model.weights[1], [[1.0, 0.0, -0.5]], atol=1e-3)


def test_minibatch_is_reproducible_and_depends_on_the_seed():
    start = init_model((3, 4, 1), ("tanh", "identity"))
    a, _ = train(start, X, Y, mode="minibatch", epochs=5, batch_size=4, seed=7)
    b, _ = train(start, X, Y, mode="minibatch", epochs=5, batch_size=4, seed=7)
    c, _ = train(start, X, Y, mode="minibatch", epochs=5, batch_size=4, seed=8)
    assert np.array_equal(a.weights[1], b.weights[1])
    assert not np.array_equal(a.weights[1], c.weights[1])


def test_train_does_not_modify_the_starting_model():
    start = init_model((3, 1))
    before = start.weights[1].copy()
    train(start, X, Y, epochs=3)
    assert np.array_equal(start.weights[1], before)


def test_record_step_snapshots_every_step():
    _, history = train(init_model((3, 1)), X, Y, mode="sgd", epochs=2, record="step")
    assert len(history.weights) == 1 + 24 and len(history.biases) == 1 + 24


def _with(arr, r, c, value):
    out = arr.copy()
    out[r, c] = value
    return out


@pytest.mark.parametrize("data, kw, fragment", [
    ((_with(X, 0, 3, np.nan), Y), {}, "finite"),
    ((X, _with(Y, 0, 1, np.inf)), {}, "finite"),
    ((X[:2], Y), {}, "3 x m"),
    ((X, Y[:, :5]), {}, "same number of samples"),
    ((X[:, :0], Y[:, :0]), {}, "empty batch"),
    ((X.T, Y), {}, "3 x m"),
    ((X, Y), {"lr": 0.0}, "learning rate"),
    ((X, Y), {"lr": -1.0}, "learning rate"),
    ((X, Y), {"lr": float("nan")}, "learning rate"),
    ((X, Y), {"epochs": 0}, "epochs"),
    ((X, Y), {"mode": "adam"}, "mode"),
    ((X, Y), {"mode": "minibatch", "batch_size": 13}, "batch size"),
    ((X, Y), {"mode": "minibatch", "batch_size": 0}, "batch size"),
    ((X, Y), {"record": "never"}, "record"),
    ((np.full((3, 2), "a"), Y[:, :2]), {}, "numeric"),
])
def test_bad_data_and_options_raise_numeric_error(data, kw, fragment):
    Xb, Yb = data[0], data[1]
    with pytest.raises(NumericError, match=fragment):
        train(init_model((3, 1)), Xb, Yb, **kw)


def test_sample_count_mismatch_is_reported():
    with pytest.raises(NumericError):
        train(init_model((3, 1)), X, Y[:, :5])


@pytest.mark.parametrize("widths, acts, error", [
    ((3, 0, 1), "identity", ArchitectureError), ((3,), "identity", ArchitectureError),
    ((3, 1), "swoosh", ActivationError), ((3, 1), "sigma", ActivationError),
    ((3, 2, 1), ("tanh",), ArchitectureError),
])
def test_bad_architecture_raises_our_errors(widths, acts, error):
    with pytest.raises(error):
        init_model(widths, acts)


def test_divergence_raises_with_the_history_so_far():
    start = init_model((3, 4, 1), ("relu", "identity"))
    with pytest.raises(DivergenceError, match="lower the learning rate") as info:
        train(start, X * 100, Y * 100, lr=10.0, epochs=500, record="epoch", metrics_every=1)
    history = info.value.history
    assert isinstance(history, History)
    assert 1 <= len(history.loss) < 500
    assert not np.isfinite(history.loss[-1]) or not np.isfinite(history.epoch_loss[-1])
    assert all(np.isfinite(history.loss[:-1])) and history.loss[0] < history.loss[-2]
    assert len(history.weights) == 1 + int(np.sum(np.isfinite(history.epoch_loss)))


def test_predict_checks_its_input():
    model = init_model((3, 2))
    assert model.predict(X).shape == (2, 12)
    with pytest.raises(NumericError, match="finite"):
        model.predict(_with(X, 1, 1, np.inf))


def test_progress_bar_shows_on_request(capsys):
    train(init_model((3, 1)), X, Y, epochs=3, progress=True)
    assert "epochs" in capsys.readouterr().err
    train(init_model((3, 1)), X, Y, epochs=3)  # short run: no bar by default
    assert "epochs" not in capsys.readouterr().err


def test_by_default_no_snapshots_and_the_epoch_loss_is_the_mean_of_the_step_losses():
    _, history = train(init_model((3, 1)), X, Y, mode="minibatch", epochs=3, batch_size=5)
    assert history.weights == [] and history.epoch_index == [1, 2, 3]
    np.testing.assert_allclose(history.epoch_loss, np.mean(np.reshape(history.loss, (3, 3)), axis=1))


def test_metrics_every_gives_the_full_data_loss_on_those_epochs_and_the_last():
    model, history = train(init_model((3, 1)), X, Y, epochs=5, metrics_every=2)
    assert history.epoch_index == [2, 4, 5]
    assert history.epoch_loss[-1] == pytest.approx(float(np.sum((model.predict(X) - Y) ** 2) / (2 * 12)))


def test_a_callback_taking_model_and_metrics_gets_them_every_epoch():
    seen = []

    def callback(epoch, loss, *, model, metrics):
        seen.append((epoch, loss, model.depth, sorted(metrics)))

    train(init_model((3, 1)), X, Y, epochs=2, callback=callback)
    assert seen == [(e, seen[e - 1][1], 1, ["full_data", "loss"]) for e in (1, 2)]
    plain = []
    train(init_model((3, 1)), X, Y, epochs=2, callback=lambda epoch, loss: plain.append(epoch))
    assert plain == [1, 2]


def test_samples_as_rows_by_mistake_get_a_hint_naming_the_fix():
    with pytest.raises(NumericError, match=r"one sample per row: pass X\.T, or layout='rows'"):
        init_model((3, 1)).predict(np.ones((5, 3)))
