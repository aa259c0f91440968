"""CSV edge cases (header detection and typos, delimiters, NaN, ragged rows, string labels) and the
learning-rate schedules."""

from __future__ import annotations

import math

import numpy as np
import pytest

from derivations import NumericError
from numeric.cli import main
from numeric.data import looks_like_header, read_table
from numeric.optim import scheduled_lr
from numeric.train import init_model, train


def _write(tmp_path, text, name="d.csv"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_a_first_line_without_numbers_is_a_header(tmp_path):
    names, rows = read_table(_write(tmp_path, "x1,x2,y\n1,2,3\n4,5,6\n"))
    assert names == ["x1", "x2", "y"] and rows == [["1", "2", "3"], ["4", "5", "6"]]


def test_a_first_data_row_with_a_typo_stays_data_and_the_bad_cell_is_named(tmp_path, capsys):
    assert not looks_like_header([["1.0", "2.O", "3"], ["1", "2", "3"]])
    path = _write(tmp_path, "1.0,2.O,3\n4,5,6\n7,8,9\n")
    assert read_table(path)[1][0] == ["1.0", "2.O", "3"]
    assert main(["train", path, "--widths", "2,1", "--epochs", "1", "-o", str(tmp_path / "m")]) == 2
    err = capsys.readouterr().err
    assert "2.O" in err and "row 1" in err, err


def test_cli_says_when_it_takes_the_first_line_as_a_header(tmp_path, capsys):
    path = _write(tmp_path, "a,b,y\n" + "".join(f"{i},{i % 3},{i % 2}\n" for i in range(10)))
    assert main(["train", path, "--widths", "2,1", "--epochs", "1", "-o", str(tmp_path / "m"), "--quiet"]) == 0
    assert "read as a header (a, b, y)" in capsys.readouterr().err


@pytest.mark.parametrize("delimiter, option", [(";", ";"), ("\t", "tab"), ("|", "|")])
def test_delimiters(tmp_path, delimiter, option, capsys):
    text = "".join(delimiter.join([f"{i / 10}", f"{(i * 7) % 10 / 10}", f"{i % 2}"]) + "\n" for i in range(12))
    path = _write(tmp_path, text)
    assert main(["train", path, "--widths", "2,1", "--epochs", "2", "--delimiter", option,
                 "-o", str(tmp_path / "m"), "--quiet"]) == 0
    assert "model saved" in capsys.readouterr().out


def test_a_wrong_delimiter_says_so(tmp_path, capsys):
    path = _write(tmp_path, "1;2;3\n4;5;6\n")
    assert main(["train", path, "--widths", "2,1", "--epochs", "1", "-o", str(tmp_path / "m")]) == 2
    err = capsys.readouterr().err
    assert "1 column" in err or "delimiter" in err or "columns" in err, err


def test_ragged_rows_are_refused_naming_the_counts(tmp_path):
    with pytest.raises(NumericError, match=r"different numbers of columns \[2, 3\]"):
        read_table(_write(tmp_path, "1,2,3\n4,5\n"))


def test_nan_in_the_features_is_refused(tmp_path, capsys):
    path = _write(tmp_path, "1,2,3\n4,nan,6\n7,8,9\n")
    assert main(["train", path, "--widths", "2,1", "--epochs", "1", "-o", str(tmp_path / "m")]) == 2
    assert "finite" in capsys.readouterr().err


def test_string_labels_become_classes_kept_in_the_model(tmp_path, capsys):
    rows = [f"{x:.2f},{'big' if x > 0.5 else 'small'}" for x in np.linspace(0, 1, 20)]
    path = _write(tmp_path, "size,kind\n" + "\n".join(rows) + "\n")
    assert main(["train", path, "--widths", "1,2", "--activations", "softmax", "--lr", "2", "--epochs", "200",
                 "--standardize", "-o", str(tmp_path / "m"), "--quiet"]) == 0
    assert "classes ['big', 'small']" in capsys.readouterr().out
    query = _write(tmp_path, "0.05\n0.95\n", "q.csv")
    assert main(["predict", "--model", str(tmp_path / "m.npz"), query]) == 0
    assert capsys.readouterr().out.split() == ["small", "big"]


def test_step_and_cosine_schedules_set_the_rate_of_each_epoch():
    X = np.random.default_rng(0).normal(size=(3, 8))
    Y = X[:1]
    _, step = train(init_model((3, 1)), X, Y, epochs=6, lr=0.1, schedule="step", step_every=2, gamma=0.5)
    assert step.learning_rates == pytest.approx([0.1, 0.1, 0.05, 0.05, 0.025, 0.025])
    _, cosine = train(init_model((3, 1)), X, Y, epochs=4, lr=0.1, schedule="cosine")
    assert cosine.learning_rates == pytest.approx([0.1 * (1 + math.cos(math.pi * e / 4)) / 2 for e in range(4)])
    _, constant = train(init_model((3, 1)), X, Y, epochs=3, lr=0.1)
    assert constant.learning_rates == [0.1, 0.1, 0.1]


def test_a_schedule_changes_the_trained_weights_and_bad_options_are_refused():
    X = np.random.default_rng(0).normal(size=(3, 8))
    plain, _ = train(init_model((3, 1)), X, X[:1], epochs=6, lr=0.1)
    cosine, _ = train(init_model((3, 1)), X, X[:1], epochs=6, lr=0.1, schedule="cosine")
    assert not np.allclose(plain.weights[1], cosine.weights[1])
    assert scheduled_lr("step", 1.0, 7, 9, step_every=3, gamma=0.1) == pytest.approx(0.01)
    for bad in (dict(schedule="linear"), dict(schedule="step", step_every=0), dict(schedule="step", gamma=0)):
        with pytest.raises(NumericError):
            train(init_model((3, 1)), X, X[:1], epochs=2, **bad)
