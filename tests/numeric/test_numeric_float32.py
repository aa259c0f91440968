"""float32 end to end: init_model, the compiled gradient (dW and db), train, predict, save/load, the CLI."""

from __future__ import annotations

import io
import sys

import numpy as np
import pytest

from derivations import NumericError
from numeric.cli import main
from numeric.compile import compile_gradient
from numeric.io import load_model, save_model
from numeric.train import init_model, train

RNG = np.random.default_rng(0)
X = RNG.normal(size=(3, 20))
Y = np.tanh(X[:1] - X[2:3])


@pytest.mark.parametrize("acts, loss", [(("tanh", "identity"), "mse"), (("relu", "sigmoid"), "bce"),
                                        (("tanh", "softmax"), "cce")])
def test_compiled_gradient_keeps_float32_in_every_output(acts, loss):
    model = init_model((3, 4, 2 if loss == "cce" else 1), acts, loss=loss, dtype="float32")
    Yb = np.eye(2, dtype=np.float32)[:, RNG.integers(0, 2, 20)] if loss == "cce" else (Y > 0).astype(np.float32)
    out = compile_gradient(acts, loss=loss).raw(model.weights, model.biases, X.astype(np.float32), Yb)
    assert [o.dtype for o in out] == [np.float32] * len(out)


def test_float32_training_matches_float64_closely_and_keeps_its_dtype():
    start = init_model((3, 4, 1), ("tanh", "identity"), seed=0)
    m64, h64 = train(start, X, Y, mode="minibatch", batch_size=5, epochs=20, lr=0.1)
    m32, h32 = train(start, X, Y, mode="minibatch", batch_size=5, epochs=20, lr=0.1, dtype="float32")
    assert start.dtype == np.float64 and m32.dtype == np.float32
    assert all(W.dtype == np.float32 for W in (*m32.weights.values(), *m32.biases.values()))
    assert m32.predict(X).dtype == np.float32
    np.testing.assert_allclose(m32.weights[1], m64.weights[1], rtol=1e-3, atol=1e-4)
    np.testing.assert_allclose(h32.loss, h64.loss, rtol=1e-3, atol=1e-6)


def test_float32_model_round_trips_exactly(tmp_path):
    model, _ = train(init_model((3, 2, 1), "tanh", dtype="float32"), X, Y, epochs=5)
    back = load_model(save_model(tmp_path / "m.npz", model))
    assert back.dtype == np.float32
    assert all(np.array_equal(back.weights[i], model.weights[i]) for i in model.weights)


@pytest.mark.parametrize("dtype", ["float16", "int64", "complex128", "nonsense"])
def test_other_dtypes_are_refused_naming_the_two(dtype):
    with pytest.raises(NumericError, match="float64, float32"):
        init_model((3, 1), dtype=dtype)


def test_cli_dtype_float32_saves_a_float32_model(tmp_path, monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    path = tmp_path / "m.npz"
    assert main(["train", "--dummy", "--widths", "3,4,1", "--activations", "tanh,sigmoid", "--epochs", "20",
                 "--dtype", "float32", "-o", str(path)]) == 0
    assert "dtype=float32" in out.getvalue() and load_model(path).dtype == np.float32


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_train_shows_a_bar_on_stderr_and_prints_the_loss_lines_on_stdout(monkeypatch, tmp_path):
    out, err = io.StringIO(), _Terminal()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr("numeric.progress.DELAY", 0.0)  # the bar shows at once, not after 2 s
    main(["train", "--dummy", "--widths", "3,1", "--epochs", "50", "--every", "10", "-o", str(tmp_path / "m")])
    assert "train:" in err.getvalue() and "epoch" in err.getvalue()
    assert "|" not in out.getvalue() and out.getvalue().count("loss ") == 5
