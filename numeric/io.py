"""Save and load a trained :class:`numeric.train.Model` as ``.npz`` (exact round trip).

Layout (``numpy.savez``, no pickles): ``format`` = 2, ``widths`` (int64 n_0..n_k),
``activations`` (unicode, one per layer), ``W_l`` (n_l x n_{l-1}) and ``b_l`` (n_l x 1)
for i = 1..k, float64 or float32 as trained, so loading gives bit-identical arrays of the same dtype; ``loss`` (unicode
scalar), and when present ``classes`` (unicode, the class names) and ``mean``, ``scale``
(n_0 x 1, the standardisation statistics). Format 1 files (no loss, classes or statistics)
still load, as MSE regressors.

Saving writes a temporary file beside the target and renames it (:mod:`derivations.fileio`).
Loading reads each array's ``.npy`` header (:mod:`numpy.lib.format`) and checks its dtype,
shape and size before any data is read.
"""

from __future__ import annotations

import math
import os
import zipfile
import zlib
from pathlib import Path

import numpy as np

from derivations import Architecture, BackpropVerifyError, DataFileError, NumericError, write_atomically

from .compile import OUTPUT_ACTIVATIONS
from .losses import LOSS_NAMES
from .train import Model

__all__ = ["save_model", "load_model", "model_path", "FORMAT_VERSION", "MAX_ARRAY_BYTES"]

FORMAT_VERSION = 2
MAX_ARRAY_BYTES = 1 << 30
"""load_model refuses a W_l or b_l whose header claims more bytes than this (1 GiB)."""

_MAX_SMALL_BYTES = 1 << 20  # format, widths, activations
_HEADERS = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}
_KINDS = {"iu": "integers", "U": "text", "fiu": "real numbers"}
_READ_ERRORS = (OSError, EOFError, ValueError, zipfile.BadZipFile, zlib.error, NotImplementedError)


def model_path(path: str | os.PathLike) -> Path:
    """The file :func:`save_model` writes for ``path``: ``.npz`` appended if missing, as numpy.savez does.

    >>> model_path("model").name
    'model.npz'
    """
    text = os.fspath(path)
    return Path(text if text.endswith(".npz") else text + ".npz")


def save_model(path: str | os.PathLike, model: Model) -> Path:
    """Write ``model`` to ``path`` (see :func:`model_path`) atomically; returns the path written.

    Raises:
        NumericError: ``path`` is not a path, ``model`` not a Model, or the file cannot be written.
    """
    if isinstance(path, Model) and isinstance(model, (str, os.PathLike)):
        raise NumericError(f"save_model takes the path first: save_model(path, model), got model={model!r}")
    if not isinstance(model, Model):
        raise NumericError(f"save_model needs a Model as model (from init_model or train), "
                           f"got model of type {type(model).__name__}")
    if not isinstance(path, (str, os.PathLike)):
        raise NumericError(f"save_model needs a file path as path, got path of type {type(path).__name__}")
    arrays = {"format": np.array(FORMAT_VERSION), "widths": np.array(model.widths, dtype=np.int64),
              "activations": np.array(model.activations, dtype=np.str_)}
    for i in range(1, model.depth + 1):
        arrays[f"W_{i}"], arrays[f"b_{i}"] = model.weights[i], model.biases[i]
    arrays["loss"] = np.array(model.loss, dtype=np.str_)
    if model.classes is not None:
        arrays["classes"] = np.array(model.classes, dtype=np.str_)
    if model.mean is not None:
        arrays["mean"], arrays["scale"] = model.mean, model.scale
    target = model_path(path)
    write_atomically({target: lambda fh: np.savez(fh, **arrays)}, what="model", error=NumericError)
    return target


def load_model(path: str | os.PathLike) -> Model:
    """The Model saved at ``path``, validated before it is trusted.

    Each array's header must give the dtype kind of the layout (integers, text, real numbers:
    never objects, complex or bytes), at most :data:`MAX_ARRAY_BYTES`, and for W_l, b_l the
    shape the stored widths give; only then is its data read. Weights and biases must be finite.

    Raises:
        NumericError: missing or unreadable file, or not a valid backprop-verify model; the
            one-line message names the file.
    """
    where = os.fspath(path)
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as err:
        raise DataFileError(f"{where!r} is not an .npz model file (save_model / train -o)") from err
    except OSError as err:
        raise NumericError(f"cannot read a model from {where!r}: {err.strerror or err}") from err
    with archive:
        return _model(archive, where)


def _model(archive: zipfile.ZipFile, where: str) -> Model:
    version = _array(archive, "format", "iu", (), where)
    if int(version) not in (1, FORMAT_VERSION):
        raise DataFileError(f"{where!r}: model format {int(version)}, expected 1 or {FORMAT_VERSION}")
    widths = tuple(int(n) for n in _array(archive, "widths", "iu", (None,), where))
    activations = tuple(str(a) for a in _array(archive, "activations", "U", (None,), where))
    try:
        arch = Architecture(widths, activations, "affine")
    except BackpropVerifyError as err:
        raise DataFileError(f"{where!r} holds an invalid model: {err}") from err
    hidden_ok = "softmax" not in arch.activations[:-1]
    if not (hidden_ok and set(arch.activations) <= set(OUTPUT_ACTIVATIONS)):
        raise DataFileError(f"{where!r} holds an invalid model: activations {list(arch.activations)}, "
                           f"numeric ones are {', '.join(OUTPUT_ACTIVATIONS)} (softmax last only)")
    weights, biases = {}, {}
    for i in range(1, arch.depth + 1):
        weights[i] = _array(archive, f"W_{i}", "fiu", (widths[i], widths[i - 1]), where, layer=i)
        biases[i] = _array(archive, f"b_{i}", "fiu", (widths[i], 1), where, layer=i)
    if int(version) == 1:
        return Model(widths, arch.activations, weights, biases)
    return _extras(archive, where, Model(widths, arch.activations, weights, biases))


def _extras(archive: zipfile.ZipFile, where: str, model: Model) -> Model:
    """The format-2 arrays: loss, and the optional classes and standardisation statistics."""
    names = set(archive.namelist())
    model.loss = str(_array(archive, "loss", "U", (), where))
    if model.loss not in LOSS_NAMES:
        raise DataFileError(f"{where!r} holds an invalid model: loss {model.loss!r}, expected one of {LOSS_NAMES}")
    if "classes.npy" in names:
        model.classes = tuple(str(c) for c in _array(archive, "classes", "U", (None,), where))
        n_k = model.widths[-1]
        if len(model.classes) != n_k and not (n_k == 1 and len(model.classes) == 2):
            raise DataFileError(f"{where!r} holds an invalid model: {len(model.classes)} classes for n_k={n_k}")
    if "mean.npy" in names:
        model.mean = _array(archive, "mean", "fiu", (model.widths[0], 1), where)
        model.scale = _array(archive, "scale", "fiu", (model.widths[0], 1), where)
        if not np.all(model.scale > 0):
            raise DataFileError(f"{where!r} holds an invalid model: the feature scales must be > 0")
    return model


def _array(archive: zipfile.ZipFile, key: str, kinds: str, shape: tuple, where: str, *,
           layer: int = 0) -> np.ndarray:
    """The array ``key``, read once its header has the dtype ``kinds``, the ``shape`` (None: any
    length) and a sane size; real arrays come back as finite float64 (W_l, b_l stored as float32 stay float32)."""
    try:
        with archive.open(f"{key}.npy") as fh:
            version = np.lib.format.read_magic(fh)
            if version not in _HEADERS:
                raise ValueError(f".npy format version {version} is not supported")
            found, fortran, dtype = _HEADERS[version](fh)
            _check_header(key, found, dtype, kinds, shape, where, layer)
            size = math.prod(found) * dtype.itemsize
            data = fh.read(size)
    except KeyError:
        raise DataFileError(f"{where!r} is not a backprop-verify model: missing array {key!r}") from None
    except NumericError:
        raise
    except _READ_ERRORS as err:
        raise DataFileError(f"{where!r}: cannot read the array {key}: {err}") from err
    if len(data) != size:
        raise DataFileError(f"{where!r}: the array {key} is truncated ({len(data)} of {size} bytes)")
    arr = np.frombuffer(data, dtype=dtype).reshape(found, order="F" if fortran else "C")
    if kinds == "fiu":
        arr = arr.astype(np.float32 if dtype == np.float32 and key[:2] in ("W_", "b_") else np.float64)
        if not np.isfinite(arr).all():
            raise DataFileError(f"{where!r}: {key} has entries that are not finite (NaN or inf)")
    return arr


def _check_header(key: str, found: tuple, dtype: np.dtype, kinds: str, shape: tuple, where: str,
                  layer: int) -> None:
    if dtype.kind not in kinds:
        raise DataFileError(f"{where!r}: {key} must hold {_KINDS[kinds]}, got dtype {dtype}")
    if len(found) != len(shape) or any(s is not None and s != f for s, f in zip(shape, found, strict=False)):
        need = "a 1-d array" if shape == (None,) else f"shape {shape}"
        at = f"layer {layer}: " if layer else ""
        raise DataFileError(f"{where!r}: {at}{key} has shape {found}, expected {need}")
    limit = MAX_ARRAY_BYTES if kinds == "fiu" else _MAX_SMALL_BYTES
    if math.prod(found) * dtype.itemsize > limit:
        raise DataFileError(f"{where!r}: {key} claims {math.prod(found) * dtype.itemsize} bytes, "
                           f"more than the limit {limit}")
