"""Train an affine network with the compiled, verified gradient: full-batch, stochastic, minibatch.

Tutorial names (towardsdatascience "Backpropagation in Neural Networks"): z^(l) = N_l,
a^(l) = Sigma_l, a^(0) = X, weights W^(l) = W_l and biases b^(l) = b_l, keyed by layer
i = 1..k in ``dict[int, ndarray]``. Batches are columns: X is n_0 x m, Y is n_k x m.
Loss J = 1/(2m) sum ||a^(k) - y||^2 (the convention of the delta rule).

Modes, named as usual (the tutorial calls full-batch training "stochastic gradient
descent"; we do not):

* ``"full"``: full-batch gradient descent, one step per epoch on all m samples;
* ``"sgd"``: stochastic gradient descent, one sample per step, m steps per epoch;
* ``"minibatch"``: each epoch shuffles the samples with the seeded
  ``numpy.random.Generator`` and steps on batches of ``batch_size`` (the last may be smaller).

Update: W_l <- W_l - lr dJ/dW_l, b_l <- b_l - lr dJ/db_l.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterator, Sequence

import numpy as np

from derivations import Architecture, DivergenceError, NumericError, get_activation

from .compile import CompiledGradient, compile_gradient

__all__ = ["MODES", "Model", "History", "init_model", "train", "as_batch"]

MODES = {"full": "full-batch gradient descent", "sgd": "stochastic gradient descent (one sample a step)",
         "minibatch": "minibatch gradient descent (random batches)"}
_MODE_ALIASES = {"full-batch": "full", "batch": "full", "gd": "full", "stochastic": "sgd",
                 "mini-batch": "minibatch"}
_PROGRESS_STEPS = 20_000  # show a tqdm bar from this many steps on (progress=None)

Params = dict[int, np.ndarray]


@dataclass
class Model:
    """An affine network's parameters: weights[i] n_i x n_{i-1}, biases[i] n_i x 1, i = 1..k."""

    widths: tuple[int, ...]
    activations: tuple[str, ...]
    weights: Params
    biases: Params

    @property
    def depth(self) -> int:
        """k, the number of layers."""
        return len(self.widths) - 1

    def predict(self, X: np.ndarray) -> np.ndarray:
        """a^(k) = f(W_k ... f(W_1 X + b_1) ... + b_k), n_k x m for X n_0 x m.

        Raises:
            NumericError: X not finite or not n_0 x m.
        """
        a = as_batch(X, self.widths[0], "X")
        for i, name in enumerate(self.activations, start=1):
            f, _ = get_activation(name).numpy_pair()
            a = f(self.weights[i] @ a + self.biases[i])
        return a

    def copy(self) -> "Model":
        """A deep copy (the arrays are copied)."""
        return Model(self.widths, self.activations, {i: W.copy() for i, W in self.weights.items()},
                     {i: b.copy() for i, b in self.biases.items()})


@dataclass
class History:
    """What happened during training.

    Attributes:
        loss: J on the batch of each step, before the step (one entry per step).
        epoch_loss: J on all the data after each epoch.
        weights, biases: snapshots (copies) keyed by layer; the first is the initial
            model, then one per epoch (``record="epoch"``) or per step (``record="step"``).
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

    def snapshot(self, model: Model) -> None:
        """Append copies of the model's parameters."""
        self.weights.append({i: W.copy() for i, W in model.weights.items()})
        self.biases.append({i: b.copy() for i, b in model.biases.items()})


def init_model(widths: Sequence[int], activations: str | Sequence[str] = "identity", *,
               seed: int = 0) -> Model:
    """A random Model: W_l ~ N(0, 1/n_{l-1}) entries from ``default_rng(seed)``, b_l = 0.

    Raises:
        ArchitectureError: widths < 1 or fewer than two; activation count != k.
        ActivationError: an unknown or non-numeric activation.
        NumericError: a seed numpy.random.default_rng refuses (negative, not an integer).
    """
    arch = Architecture(widths, activations, "affine")
    compile_gradient(arch.activations)  # validates the names for numeric use (cached)
    rng = _rng(seed)
    ws = arch.widths
    weights = {i: rng.normal(0.0, 1.0 / np.sqrt(ws[i - 1]), size=(ws[i], ws[i - 1]))
               for i in range(1, len(ws))}
    biases = {i: np.zeros((ws[i], 1)) for i in range(1, len(ws))}
    return Model(ws, arch.activations, weights, biases)


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
        raise NumericError(f"{name} must be {rows} x m (one sample per column), got shape {arr.shape}")
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


def _mode(mode: str) -> str:
    key = _MODE_ALIASES.get(str(mode).lower(), str(mode).lower())
    if key not in MODES:
        raise NumericError(f"mode must be one of {', '.join(MODES)}, got mode={mode!r}")
    return key


def _check_options(lr: float, epochs: int, batch_size: int, m: int) -> None:
    if not isinstance(lr, (int, float)) or isinstance(lr, bool) or not np.isfinite(lr) or lr <= 0:
        raise NumericError(f"learning rate must be a finite number > 0, got lr={lr!r}")
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise NumericError(f"epochs must be an integer >= 1, got epochs={epochs!r}")
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or not 1 <= batch_size <= m:
        raise NumericError(f"batch size must be an integer in 1..m={m}, got batch_size={batch_size!r}")


def _batches(mode: str, m: int, size: int, rng: np.random.Generator) -> Iterator[np.ndarray | slice]:
    if mode == "full":
        yield slice(None)
        return
    order = rng.permutation(m)
    for start in range(0, m, size):
        yield order[start:start + size]


def _loss(out: np.ndarray, Y: np.ndarray) -> float:
    return float(np.sum((out - Y) ** 2) / (2 * Y.shape[1]))


def _step(grad: CompiledGradient, model: Model, X: np.ndarray, Y: np.ndarray, lr: float) -> float:
    """One gradient-descent step on the batch (X, Y); returns J before the step."""
    out = grad.raw(model.weights, model.biases, X, Y)
    loss = _loss(out[0], Y)
    if np.isfinite(loss):
        for i in range(1, model.depth + 1):
            model.weights[i] -= lr * out[2 * i - 1]
            model.biases[i] -= lr * out[2 * i]
    return loss


def _diverged(history: History, epoch: int, loss: float) -> DivergenceError:
    return DivergenceError(
        f"training diverged in epoch {epoch}: loss={loss} after {len(history.loss)} steps "
        f"(mode={history.mode}, lr={history.lr}); lower the learning rate", history)


def _progress(total_steps: int, epochs: int, progress: bool | None):
    from tqdm.auto import tqdm

    show = total_steps >= _PROGRESS_STEPS if progress is None else progress
    return tqdm(total=epochs, desc="epochs", unit="epoch", disable=not show, leave=False)


def train(model: Model, X, Y, *, mode: str = "full", lr: float = 0.05, epochs: int = 100,
          batch_size: int | None = None, seed: int = 0, record: str = "epoch",
          progress: bool | None = None,
          callback: Callable[[int, float], None] | None = None) -> tuple[Model, History]:
    """(trained copy of ``model``, History) after ``epochs`` epochs of gradient descent.

    Args:
        model: the starting Model (not modified).
        X, Y: data, n_0 x m and n_k x m (one sample per column; Y may be 1-d if n_k = 1).
        mode: "full", "sgd" or "minibatch" (module docstring); aliases "stochastic", "full-batch".
        lr: learning rate > 0. epochs: >= 1.
        batch_size: for "minibatch" (default min(32, m)); "sgd" uses 1, "full" uses m.
        seed: seeds the ``numpy.random.Generator`` that shuffles the samples.
        record: "epoch" or "step": when to snapshot weights and biases.
        progress: tqdm bar on or off; None shows it from 20 000 steps on.
        callback: called as callback(epoch, epoch_loss) after each epoch.

    Raises:
        NumericError: bad data (NaN/inf, shapes, empty batch) or options (lr <= 0, mode, seed < 0).
        DivergenceError: the loss became inf or NaN; ``err.history`` holds the steps so far.
    """
    key = _mode(mode)
    X, Y = as_batch(X, model.widths[0], "X"), as_batch(Y, model.widths[-1], "Y")
    m = X.shape[1]
    if Y.shape[1] != m:
        raise NumericError(f"X and Y need the same number of samples (columns), got m={m} and {Y.shape[1]}")
    size = {"full": m, "sgd": 1}.get(key, min(32, m) if batch_size is None else batch_size)
    _check_options(lr, epochs, size, m)
    if record not in ("epoch", "step"):
        raise NumericError(f"record must be 'epoch' or 'step', got record={record!r}")
    grad = compile_gradient(model.activations, widths=model.widths)
    model, rng = model.copy(), _rng(seed)
    history = History(key, float(lr), epochs, size, seed, record)
    history.snapshot(model)
    bar = _progress(epochs * -(-m // size), epochs, progress)
    with bar, np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(1, epochs + 1):
            for idx in _batches(key, m, size, rng):
                loss = _step(grad, model, X[:, idx], Y[:, idx], lr)
                history.loss.append(loss)
                if not np.isfinite(loss):
                    raise _diverged(history, epoch, loss)
                if record == "step":
                    history.snapshot(model)
            total = _loss(model.predict(X), Y)
            history.epoch_loss.append(total)
            if not np.isfinite(total):
                raise _diverged(history, epoch, total)
            if record == "epoch":
                history.snapshot(model)
            bar.set_postfix(loss=f"{total:.3g}", refresh=False)
            bar.update()
            if callback is not None:
                callback(epoch, total)
    return model, history
