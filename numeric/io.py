"""Save and load a trained :class:`numeric.train.Model` as ``.npz`` (exact round trip).

Layout (``numpy.savez``, no pickles): ``format`` = 1, ``widths`` (int64 n_0..n_k),
``activations`` (unicode, one per layer), ``W_l`` (n_l x n_{l-1}) and ``b_l`` (n_l x 1)
for i = 1..k, float64 as trained, so loading gives bit-identical arrays.
"""

from __future__ import annotations

import os
import zipfile

import numpy as np

from derivations import Architecture, BackpropVerifyError, NumericError

from .train import Model

__all__ = ["save_model", "load_model", "FORMAT_VERSION"]

FORMAT_VERSION = 1


def save_model(path: str | os.PathLike, model: Model) -> None:
    """Write ``model`` to ``path`` (.npz; NumPy appends .npz if missing).

    Raises:
        NumericError: the file cannot be written.
    """
    arrays = {"format": np.array(FORMAT_VERSION), "widths": np.array(model.widths, dtype=np.int64),
              "activations": np.array(model.activations, dtype=np.str_)}
    for i in range(1, model.depth + 1):
        arrays[f"W_{i}"], arrays[f"b_{i}"] = model.weights[i], model.biases[i]
    try:
        np.savez(path, **arrays)
    except OSError as err:
        raise NumericError(f"cannot write the model to {os.fspath(path)!r}: {err}") from err


def load_model(path: str | os.PathLike) -> Model:
    """The Model saved at ``path``.

    Raises:
        NumericError: missing or unreadable file, or not a backprop-verify model
            (missing arrays, shapes that disagree with the widths).
    """
    if os.path.exists(path) and not zipfile.is_zipfile(path):
        raise NumericError(f"{os.fspath(path)!r} is not an .npz model file (save_model / train -o)")
    try:
        with np.load(path, allow_pickle=False) as data:
            contents = {key: data[key] for key in data.files}
    except (OSError, ValueError, zipfile.BadZipFile) as err:
        raise NumericError(f"cannot read a model from {os.fspath(path)!r}: {err}") from err
    return _model(contents, os.fspath(path))


def _model(data: dict[str, np.ndarray], where: str) -> Model:
    try:
        if int(data["format"]) != FORMAT_VERSION:
            raise NumericError(f"{where!r}: model format {int(data['format'])}, expected {FORMAT_VERSION}")
        widths = tuple(int(n) for n in data["widths"])
        activations = tuple(str(a) for a in data["activations"])
        arch = Architecture(widths, activations, "affine")
        weights = {i: data[f"W_{i}"] for i in range(1, arch.depth + 1)}
        biases = {i: data[f"b_{i}"] for i in range(1, arch.depth + 1)}
    except KeyError as err:
        raise NumericError(f"{where!r} is not a backprop-verify model: missing array {err}") from err
    except BackpropVerifyError as err:
        raise NumericError(f"{where!r} holds an invalid model: {err}") from err
    for i in range(1, arch.depth + 1):
        if weights[i].shape != (widths[i], widths[i - 1]) or biases[i].shape != (widths[i], 1):
            need = (widths[i], widths[i - 1]), (widths[i], 1)
            raise NumericError(f"{where!r}: layer {i} has W {weights[i].shape}, b {biases[i].shape}; "
                               f"widths {list(widths)} need {need[0]} and {need[1]}")
    return Model(widths, arch.activations, weights, biases)
