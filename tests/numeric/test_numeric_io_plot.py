"""npz round trip is exact; bad files raise NumericError; the plot is written headless."""

from __future__ import annotations

import numpy as np
import pytest

from derivations import NumericError
from numeric.io import load_model, save_model
from numeric.plot import plot_history
from numeric.train import init_model, train


def test_npz_round_trip_is_exact(tmp_path):
    model, _ = train(init_model((3, 5, 2, 1), ("tanh", "relu", "sigmoid"), seed=3),
                     np.random.default_rng(0).normal(size=(3, 6)), np.zeros((1, 6)), epochs=3)
    save_model(tmp_path / "m.npz", model)
    back = load_model(tmp_path / "m.npz")
    assert back.widths == model.widths and back.activations == model.activations
    for i in range(1, 4):
        assert np.array_equal(back.weights[i], model.weights[i]) and back.weights[i].dtype == np.float64
        assert np.array_equal(back.biases[i], model.biases[i])
    X = np.random.default_rng(0).normal(size=(3, 4))
    assert np.array_equal(back.predict(X), model.predict(X))


def test_missing_or_foreign_files_raise_numeric_error(tmp_path):
    with pytest.raises(NumericError, match="cannot read"):
        load_model(tmp_path / "absent.npz")
    (tmp_path / "text.npz").write_text("1,2,3\n")
    with pytest.raises(NumericError, match="not an .npz model"):
        load_model(tmp_path / "text.npz")
    np.savez(tmp_path / "other.npz", a=np.zeros(3))
    with pytest.raises(NumericError, match="missing array"):
        load_model(tmp_path / "other.npz")


def test_inconsistent_model_file_is_rejected(tmp_path):
    np.savez(tmp_path / "bad.npz", format=np.array(1), widths=np.array([3, 2]),
             activations=np.array(["tanh"]), W_1=np.zeros((3, 3)), b_1=np.zeros((2, 1)))
    with pytest.raises(NumericError, match="layer 1"):
        load_model(tmp_path / "bad.npz")
    np.savez(tmp_path / "act.npz", format=np.array(1), widths=np.array([3, 2]),
             activations=np.array(["swish"]), W_1=np.zeros((2, 3)), b_1=np.zeros((2, 1)))
    with pytest.raises(NumericError, match="invalid model"):
        load_model(tmp_path / "act.npz")


def test_plot_writes_a_png_with_three_panels(tmp_path):
    _, history = train(init_model((3, 2, 1), "tanh"), np.ones((3, 4)), np.ones((1, 4)), epochs=5)
    fig = plot_history(history, tmp_path / "p.png")
    assert len(fig.axes) == 3
    assert len(fig.axes[0].lines) == 2  # the two output-layer weights
    assert (tmp_path / "p.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plot_rejects_a_bad_layer(tmp_path):
    _, history = train(init_model((3, 1)), np.ones((3, 2)), np.ones((1, 2)), epochs=1)
    with pytest.raises(NumericError, match="layer"):
        plot_history(history, layer=5)
