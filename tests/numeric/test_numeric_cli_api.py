"""The train/predict subcommands and the package's public names."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import numeric
from numeric.cli import main


def test_train_dummy_then_predict(tmp_path, capsys):
    model, plot = tmp_path / "m.npz", tmp_path / "p.png"
    code = main(["train", "--dummy", "--widths", "3,4,1", "--activations", "tanh,sigmoid",
                 "--mode", "minibatch", "--lr", "0.05", "--epochs", "1000", "--batch-size", "2",
                 "--seed", "0", "-o", str(model), "--plot", str(plot)])
    out = capsys.readouterr().out
    assert code == 0 and "epoch   1000  loss" in out and model.exists() and plot.exists()
    assert "0.951" in out  # the deep_network experiment's prediction
    (tmp_path / "x.csv").write_text("f1,f2,f3\n1,0,0\n0,1,1\n")
    assert main(["predict", "--model", str(model), str(tmp_path / "x.csv")]) == 0
    predictions = [float(v) for v in capsys.readouterr().out.split()]
    assert predictions[0] > 0.9 and predictions[1] < 0.1


def test_train_on_csv_with_two_targets(tmp_path, capsys):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    np.savetxt(tmp_path / "d.csv", np.c_[X, X @ [[1.0, 0.0], [0.5, -1.0]]], delimiter=",")
    code = main(["train", str(tmp_path / "d.csv"), "--targets", "2", "--mode", "sgd", "--lr", "0.05",
                 "--epochs", "60", "--every", "1", "-o", str(tmp_path / "m.npz")])
    assert code == 0
    lines = capsys.readouterr().out.splitlines()
    losses = [float(line.split()[-1]) for line in lines if line.startswith("epoch")]
    assert len(losses) == 60 and losses[-1] < 1e-8 and losses[-1] < losses[0] / 1e3


@pytest.mark.parametrize("argv, fragment", [
    (["train", "--dummy", "--activations", "swoosh"], "unknown activation"),
    (["train", "--dummy", "--lr", "-1"], "learning rate"),
    (["train", "--dummy", "--widths", "2,1"], "X must be 2 x m"),
    (["train", "--dummy", "--widths", "3,x"], "--widths"),
    (["train", "no-such-file.csv"], "cannot read"),
    (["predict", "--model", "no-such.npz", "no-such.csv"], "cannot read"),
    (["train", "--dummy", "--seed=-1"], "seed must be an integer >= 0, got seed=-1"),
    (["train", "--dummy", "--every", "0"], "--every must be an integer >= 1"),
    (["train", "--dummy", "--epochs", "0"], "epochs must be an integer >= 1"),
    (["train", "--dummy", "--mode", "minibatch", "--batch-size", "0"], "batch size must be"),
    (["train", "--dummy", "--lr", "nan"], "learning rate"),
])
def test_cli_errors_are_one_line_and_exit_2(argv, fragment, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and fragment in err and "Traceback" not in err


@pytest.mark.parametrize("command", ["train", "predict"])
def test_a_non_utf8_csv_is_one_line_naming_the_file(tmp_path, capsys, command):
    (tmp_path / "d.csv").write_bytes("x,y\n1,2\n0,\xb5\n".encode("latin-1"))
    numeric.save_model(tmp_path / "m.npz", numeric.init_model((2, 1)))
    options = ["--model", str(tmp_path / "m.npz")] if command == "predict" else []
    assert main([command, *options, str(tmp_path / "d.csv")]) == 2
    err = capsys.readouterr().err
    assert err == f"error: the CSV file '{tmp_path / 'd.csv'}' is not UTF-8: byte 0xb5 on line 3 " \
                  "(invalid start byte); save it as UTF-8\n"


def test_ragged_csv_is_reported(tmp_path, capsys):
    (tmp_path / "r.csv").write_text("1,2,3\n1,2\n")
    assert main(["train", str(tmp_path / "r.csv")]) == 2
    assert "different numbers of columns" in capsys.readouterr().err


def test_all_lists_exactly_the_public_names():
    public = {name for name in dir(numeric)  # the names are imported on first use (PEP 562)
              if not name.startswith("_") and not inspect.ismodule(getattr(numeric, name))}
    assert set(numeric.__all__) == public - {"annotations"}
    assert len(numeric.__all__) == len(set(numeric.__all__))
