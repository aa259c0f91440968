"""The network a trainer changes: Model (parameters, forward pass, dtype), History, init_model, as_batch.

Tutorial names: z^(l) = N_l, a^(l) = Sigma_l, a^(0) = X; weights W^(l) = W_l and biases b^(l) = b_l keyed by
layer i = 1..k in ``dict[int, ndarray]``. Batches are columns: X is n_0 x m. Parameters are float64 or
float32 (``dtype``); a float32 model trains, predicts and is saved in float32.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Sequence

import numpy as np

from derivations import Architecture, NumericError, get_activation

from .compile import compile_gradient
from .data import decode_labels
from .losses import check_loss, default_loss, softmax

__all__ = ["Model", "History", "init_model", "as_batch", "check_dtype", "DTYPES"]

Params = dict[int, np.ndarray]


@dataclass
class Model:
    """An affine network's parameters: weights[i] n_i x n_{i-1}, biases[i] n_i x 1, i = 1..k.

    Attributes:
        loss: the loss it is trained with ("mse", "bce", "cce").
        classes: class names, one per output row (one row with two classes: sigmoid, P(classes[1])),
            or None for regression.
        mean, scale: n_0 x 1 feature statistics; when set, inputs are standardised,
            (X - mean) / scale, before the first layer (in ``predict`` and in training).
    """

    widths: tuple[int, ...]
    activations: tuple[str, ...]
    weights: Params
    biases: Params
    loss: str = "mse"
    classes: tuple[str, ...] | None = None
    mean: np.ndarray | None = None
    scale: np.ndarray | None = None

    @property
    def depth(self) -> int:
        """k, the number of layers."""
        return len(self.widths) - 1

    @property
    def dtype(self) -> np.dtype:
        """The floating-point type of the weights and biases (float64 or float32), used end to end."""
        return self.weights[1].dtype

    def astype(self, dtype) -> "Model":
        """A copy whose weights and biases have ``dtype`` ("float32" or "float64").

        Raises:
            NumericError: any other dtype.
        """
        dtype = check_dtype(dtype)
        return replace(self, weights={i: W.astype(dtype) for i, W in self.weights.items()},
                       biases={i: b.astype(dtype) for i, b in self.biases.items()})

    def predict(self, X: np.ndarray) -> np.ndarray:
        """a^(k) = f(W_k ... f(W_1 X + b_1) ... + b_k), n_k x m for X n_0 x m.

        Raises:
            NumericError: X not finite or not n_0 x m.
        """
        return self._forward(self.standardize(as_batch(X, self.widths[0], "X")))

    def standardize(self, X: np.ndarray) -> np.ndarray:
        """(X - mean) / scale with the stored statistics (X itself when there are none), in the model's dtype."""
        X = X if self.mean is None else (X - self.mean) / self.scale
        return X.astype(self.dtype, copy=False)

    def _forward(self, a: np.ndarray) -> np.ndarray:
        for i, name in enumerate(self.activations, start=1):
            f = softmax if name == "softmax" else get_activation(name).numpy_pair()[0]
            a = f(self.weights[i] @ a + self.biases[i])
        return a

    def classify(self, X: np.ndarray) -> np.ndarray:
        """The predicted class name of each column of X (argmax; one sigmoid row: > 0.5).

        Raises:
            NumericError: the model has no classes (trained on numeric targets).
        """
        if self.classes is None:
            raise NumericError("this model predicts numbers, not classes (it was trained without class labels)")
        return decode_labels(self.predict(X), self.classes)

    def copy(self) -> "Model":
        """A deep copy (the arrays are copied)."""
        return replace(self, weights={i: W.copy() for i, W in self.weights.items()},
                       biases={i: b.copy() for i, b in self.biases.items()})


@dataclass
class History:
    """What happened during training.

    Attributes:
        loss: J on the batch of each step, before the step (one entry per step).
        epoch_loss: per epoch (``epoch_index`` gives the epochs): J on all the training data after the
            epoch when ``train`` computes it (``metrics_every=N``: every N epochs and the last), or, by
            default (``metrics_every=None``), the mean of the epoch's batch losses, each taken before its
            step from the forward pass the step already did (no extra pass over the data).
        accuracy: training accuracy alongside ``epoch_loss`` (classification only).
        val_loss, val_accuracy: J and accuracy on the validation split after every epoch (``val``).
        best_epoch: the epoch whose weights were kept (``patience``); stopped_epoch: the last epoch run.
        widths, activations: the architecture trained (for plot titles).
        learning_rates: the learning rate of each epoch (the ``schedule``).
        weights, biases: snapshots (copies) keyed by layer; the first is the initial
            model, then one per epoch (``record="epoch"``) or per step (``record="step"``);
            none with ``record="none"``.
    """

    mode: str
    lr: float
    epochs: int
    batch_size: int
    seed: int
    record: str = "epoch"
    loss: list[float] = field(default_factory=list)
    epoch_loss: list[float] = field(default_factory=list)
    weights: list[Params] = field(default_factory=list)
    biases: list[Params] = field(default_factory=list)
    epoch_index: list[int] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    optimizer: str = "gd"
    loss_name: str = "mse"
    best_epoch: int | None = None
    stopped_epoch: int | None = None
    widths: tuple[int, ...] = ()
    activations: tuple[str, ...] = ()
    learning_rates: list[float] = field(default_factory=list)

    def snapshot(self, model: Model) -> None:
        """Append copies of the model's parameters."""
        self.weights.append({i: W.copy() for i, W in model.weights.items()})
        self.biases.append({i: b.copy() for i, b in model.biases.items()})


def init_model(widths: Sequence[int], activations: str | Sequence[str] = "identity", *,
               seed: int = 0, loss: str | None = None, classes: Sequence | None = None,
               dtype: str = "float64") -> Model:
    """A random Model: W_l ~ N(0, 1/n_{l-1}) entries from ``default_rng(seed)``, b_l = 0.

    ``loss`` defaults to "cce" for a softmax output, else "mse"; ``classes`` names the output rows;
    ``dtype`` ("float64" or "float32") is the type of the parameters (drawn in float64, then cast).

    Raises:
        ArchitectureError: widths < 1 or fewer than two; activation count != k.
        ActivationError: an unknown or non-numeric activation.
        NumericError: a seed numpy.random.default_rng refuses (negative, not an integer); a dtype
            other than float32 and float64.
    """
    dtype = check_dtype(dtype)
    arch = Architecture(widths, activations, "affine")
    loss = check_loss(default_loss(arch.activations[-1]) if loss is None else loss, arch.activations[-1])
    compile_gradient(arch.activations, loss=loss)  # validates the names for numeric use (cached)
    rng = _rng(seed)
    ws = arch.widths
    weights = {i: rng.normal(0.0, 1.0 / np.sqrt(ws[i - 1]), size=(ws[i], ws[i - 1])).astype(dtype)
               for i in range(1, len(ws))}
    biases = {i: np.zeros((ws[i], 1), dtype=dtype) for i in range(1, len(ws))}
    if classes is not None:
        classes = tuple(str(c) for c in classes)
        if len(classes) != ws[-1] and not (len(classes) == 2 and ws[-1] == 1):
            raise NumericError(f"{len(classes)} classes need n_k={len(classes)} outputs (or 1 sigmoid output for "
                               f"two classes), got widths {list(ws)}")
    return Model(ws, arch.activations, weights, biases, loss, classes)


DTYPES = ("float64", "float32")


def check_dtype(dtype) -> np.dtype:
    """np.dtype(dtype) when it is float64 or float32; NumericError naming the two otherwise."""
    try:
        found = np.dtype(dtype)
    except TypeError as err:
        raise NumericError(f"dtype must be one of {', '.join(DTYPES)}, got dtype={dtype!r}") from err
    if found.name not in DTYPES:
        raise NumericError(f"dtype must be one of {', '.join(DTYPES)}, got dtype={dtype!r}")
    return found


def as_batch(A, rows: int, name: str) -> np.ndarray:
    """A as a finite float64 array rows x m (m >= 1); a 1-d array is one row when rows == 1.

    Raises:
        NumericError: not numeric, wrong shape, empty, NaN or inf.
    """
    try:
        arr = np.asarray(A, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise NumericError(f"{name} must be numeric, got {type(A).__name__}: {err}") from err
    if arr.ndim == 1 and rows == 1:
        arr = arr.reshape(1, -1)
    if arr.ndim != 2 or arr.shape[0] != rows:
        hint = (f"; it looks like one sample per row: pass {name}.T, or layout='rows' to train()"
                if arr.ndim == 2 and arr.shape[1] == rows else "")
        raise NumericError(f"{name} must be {rows} x m ({rows} rows: the network's width there; one sample per "
                           f"column), got shape {arr.shape}{hint}")
    if arr.shape[1] == 0:
        raise NumericError(f"{name} is an empty batch (m = 0 columns); give at least one sample")
    if not np.all(np.isfinite(arr)):
        bad = np.argwhere(~np.isfinite(arr))[0]
        raise NumericError(f"{name} must be finite, got {arr[tuple(bad)]} at (row, column) {tuple(bad)}")
    return arr


def _rng(seed) -> np.random.Generator:
    try:
        return np.random.default_rng(seed)
    except (TypeError, ValueError) as err:
        raise NumericError(f"seed must be an integer >= 0, got seed={seed!r}") from err
