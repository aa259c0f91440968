"""npz round trip is exact; saving is atomic; bad files raise NumericError; the plot is written headless."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pytest

from derivations import NumericError
from numeric import io as io_module
from numeric.io import MAX_ARRAY_BYTES, load_model, save_model
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
             activations=np.array(["swoosh"]), W_1=np.zeros((2, 3)), b_1=np.zeros((2, 1)))
    with pytest.raises(NumericError, match="invalid model"):
        load_model(tmp_path / "act.npz")


def _good_arrays(**changes):
    arrays = {"format": np.array(1), "widths": np.array([3, 2]), "activations": np.array(["tanh"]),
              "W_1": np.zeros((2, 3)), "b_1": np.zeros((2, 1))}
    return {**arrays, **changes}


@pytest.mark.parametrize("changes, fragment", [
    ({"W_1": np.zeros((2, 3), dtype=complex)}, "W_1 must hold real numbers, got dtype complex128"),
    ({"W_1": np.array([["a", "b", "c"]] * 2)}, "W_1 must hold real numbers, got dtype <U1"),
    ({"activations": np.array([object()], dtype=object)}, "activations must hold text, got dtype object"),
    ({"widths": np.array([3.0, 2.0])}, "widths must hold integers, got dtype float64"),
    ({"widths": np.array([[3, 2]])}, "widths has shape (1, 2), expected a 1-d array"),
    ({"b_1": np.full((2, 1), np.nan)}, "b_1 has entries that are not finite"),
    ({"W_1": np.full((2, 3), np.inf)}, "W_1 has entries that are not finite"),
    ({"b_1": np.zeros((2,))}, "layer 1: b_1 has shape (2,), expected shape (2, 1)"),
    ({"activations": np.array(["sigma"])}, "invalid model: activations ['sigma'], numeric ones are"),
    ({"format": np.array(7)}, "model format 7, expected 1"),
], ids=["complex", "string", "object", "float-widths", "2d-widths", "nan", "inf", "bias-shape",
        "symbolic-activation", "format"])
def test_load_model_rejects_a_bad_array_with_one_line_naming_the_file(tmp_path, changes, fragment):
    path = tmp_path / "bad.npz"
    np.savez(path, **_good_arrays(**changes))  # an object array is pickled here; load_model never unpickles
    with pytest.raises(NumericError) as info:
        load_model(path)
    message = str(info.value)
    assert fragment in message and str(path) in message and "\n" not in message


def _npy(arr=None, *, header=None) -> bytes:
    """The .npy bytes of ``arr``, or only a header claiming ``(descr, shape)``."""
    buf = io.BytesIO()
    if header is None:
        np.save(buf, arr)
    else:
        np.lib.format.write_array_header_1_0(buf, {"descr": header[0], "fortran_order": False, "shape": header[1]})
    return buf.getvalue()


def _write_npz(path, arrays, **raw):
    with zipfile.ZipFile(path, "w") as archive:
        for name, arr in arrays.items():
            archive.writestr(f"{name}.npy", raw[name] if name in raw else _npy(arr))


def test_load_model_refuses_an_absurd_size_from_the_header_before_reading(tmp_path):
    path = tmp_path / "huge.npz"
    _write_npz(path, _good_arrays(), widths=_npy(header=("<i8", (10**9,))))
    with pytest.raises(NumericError, match=r"widths claims 8000000000 bytes, more than the limit"):
        load_model(path)
    n = 1 << 16  # consistent widths, but W_1 would take 32 GiB
    _write_npz(path, _good_arrays(widths=np.array([n, n])), W_1=_npy(header=("<f8", (n, n))))
    with pytest.raises(NumericError, match=f"W_1 claims {8 * n * n} bytes, more than the limit {MAX_ARRAY_BYTES}"):
        load_model(path)


def test_load_model_reports_a_truncated_array(tmp_path):
    path = tmp_path / "cut.npz"
    _write_npz(path, _good_arrays(), W_1=_npy(header=("<f8", (2, 3))) + bytes(8))
    with pytest.raises(NumericError, match=r"W_1 is truncated \(8 of 48 bytes\)"):
        load_model(path)


def test_save_model_appends_npz_and_returns_the_path_it_wrote(tmp_path):
    model = init_model((2, 1))
    assert save_model(tmp_path / "model", model) == tmp_path / "model.npz"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.npz"]
    assert load_model(tmp_path / "model.npz").widths == (2, 1)


def test_a_failed_save_keeps_the_old_model_and_leaves_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "m.npz"
    save_model(path, init_model((2, 1), seed=1))
    before = path.read_bytes()

    def disk_full(fh, **arrays):
        fh.write(b"PK half a zip")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(io_module.np, "savez", disk_full)
    with pytest.raises(NumericError, match=r"cannot write the model .*m\.npz.*No space left on device"):
        save_model(path, init_model((2, 1), seed=2))
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["m.npz"]


@pytest.mark.parametrize("where, fragment", [
    ("missing/m.npz", "does not exist"),
    ("adir.npz", "it is a directory"),
], ids=["missing-directory", "directory"])
def test_save_model_to_an_unwritable_path_is_numeric_error(tmp_path, where, fragment):
    (tmp_path / "adir.npz").mkdir()
    with pytest.raises(NumericError, match=fragment):
        save_model(tmp_path / where, init_model((2, 1)))


def test_save_model_with_wrong_arguments_names_the_parameter(tmp_path):
    model = init_model((2, 1))
    with pytest.raises(NumericError, match=r"takes the path first: save_model\(path, model\)"):
        save_model(model, tmp_path / "m.npz")
    with pytest.raises(NumericError, match="needs a Model as model .*got model of type dict"):
        save_model(tmp_path / "m.npz", {"W_1": 1})
    with pytest.raises(NumericError, match="needs a file path as path, got path of type int"):
        save_model(3, model)


def test_plot_writes_a_png_with_three_panels(tmp_path):
    _, history = train(init_model((3, 2, 1), "tanh"), np.ones((3, 4)), np.ones((1, 4)), epochs=5, record="epoch")
    fig = plot_history(history, tmp_path / "p.png")
    assert len(fig.axes) == 3
    assert len(fig.axes[0].lines) == 2  # the two output-layer weights
    assert (tmp_path / "p.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plot_rejects_a_bad_layer(tmp_path):
    _, history = train(init_model((3, 1)), np.ones((3, 2)), np.ones((1, 2)), epochs=1, record="epoch")
    with pytest.raises(NumericError, match="layer"):
        plot_history(history, layer=5)


def test_classifier_plot_has_labelled_loss_and_accuracy_panels_and_a_title_naming_the_run(tmp_path):
    from numeric.data import encode_labels
    from numeric.examples import flowers_data

    X, labels = flowers_data()
    Y = encode_labels(labels)[1]
    start = init_model((4, 8, 3), ("tanh", "softmax"), seed=2)
    _, history = train(start, X, Y, mode="minibatch", epochs=5, val=0.2, optimizer="adam", lr=0.01, seed=2,
                       metrics_every=1)
    fig = plot_history(history, tmp_path / "c.png")
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["loss (cce)", "accuracy"]  # 8 x 3 output weights: too many lines, no weight panels
    assert all(ax.get_xlabel() == "epoch" and ax.get_ylabel() for ax in fig.axes)
    assert all(len(ax.lines) == 2 for ax in fig.axes)  # training and validation
    title = fig._suptitle.get_text()
    assert "[4, 8, 3]" in title and "seed=2" in title and "optimizer=adam" in title
