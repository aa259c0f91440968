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

Update: W_l <- W_l - lr dJ/dW_l, b_l <- b_l - lr dJ/db_l (``optimizer="gd"``), or momentum or
Adam (:mod:`numeric.optim`). Losses: "mse", "bce" (sigmoid output), "cce" (softmax output), with
optional L2 weight decay lambda/(2m) sum ||W_l||^2 (:mod:`numeric.losses`).

Validation: ``val=FRACTION`` holds out a split (stratified by class for "bce"/"cce"); the History
gets its loss and accuracy per epoch, and ``patience=N`` stops after N epochs without a better
validation loss (or training loss, without ``val``) and restores the best weights.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable, Iterator, Sequence

import numpy as np

from derivations import Architecture, DivergenceError, NumericError, get_activation

from .compile import CompiledGradient, compile_gradient
from .data import accuracy, decode_labels, stratified_split
from .losses import check_loss, default_loss, softmax
from .optim import Optimizer, make_optimizer

__all__ = ["MODES", "Model", "History", "init_model", "train", "as_batch"]

MODES = {"full": "full-batch gradient descent", "sgd": "stochastic gradient descent (one sample a step)",
         "minibatch": "minibatch gradient descent (random batches)"}
_MODE_ALIASES = {"full-batch": "full", "batch": "full", "gd": "full", "stochastic": "sgd",
                 "mini-batch": "minibatch"}
_PROGRESS_STEPS = 20_000  # show a tqdm bar from this many steps on (progress=None)

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

    def predict(self, X: np.ndarray) -> np.ndarray:
        """a^(k) = f(W_k ... f(W_1 X + b_1) ... + b_k), n_k x m for X n_0 x m.

        Raises:
            NumericError: X not finite or not n_0 x m.
        """
        return self._forward(self.standardize(as_batch(X, self.widths[0], "X")))

    def standardize(self, X: np.ndarray) -> np.ndarray:
        """(X - mean) / scale with the stored statistics; X itself when there are none."""
        return X if self.mean is None else (X - self.mean) / self.scale

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
        epoch_loss: J on all the training data after each epoch (every ``metrics_every`` epochs;
            ``epoch_index`` gives the epochs).
        accuracy: training accuracy alongside ``epoch_loss`` (classification only).
        val_loss, val_accuracy: J and accuracy on the validation split after every epoch (``val``).
        best_epoch: the epoch whose weights were kept (``patience``); stopped_epoch: the last epoch run.
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

    def snapshot(self, model: Model) -> None:
        """Append copies of the model's parameters."""
        self.weights.append({i: W.copy() for i, W in model.weights.items()})
        self.biases.append({i: b.copy() for i, b in model.biases.items()})


def init_model(widths: Sequence[int], activations: str | Sequence[str] = "identity", *,
               seed: int = 0, loss: str | None = None, classes: Sequence | None = None) -> Model:
    """A random Model: W_l ~ N(0, 1/n_{l-1}) entries from ``default_rng(seed)``, b_l = 0.

    ``loss`` defaults to "cce" for a softmax output, else "mse"; ``classes`` names the output rows.

    Raises:
        ArchitectureError: widths < 1 or fewer than two; activation count != k.
        ActivationError: an unknown or non-numeric activation.
        NumericError: a seed numpy.random.default_rng refuses (negative, not an integer).
    """
    arch = Architecture(widths, activations, "affine")
    loss = check_loss(default_loss(arch.activations[-1]) if loss is None else loss, arch.activations[-1])
    compile_gradient(arch.activations, loss=loss)  # validates the names for numeric use (cached)
    rng = _rng(seed)
    ws = arch.widths
    weights = {i: rng.normal(0.0, 1.0 / np.sqrt(ws[i - 1]), size=(ws[i], ws[i - 1]))
               for i in range(1, len(ws))}
    biases = {i: np.zeros((ws[i], 1)) for i in range(1, len(ws))}
    if classes is not None:
        classes = tuple(str(c) for c in classes)
        if len(classes) != ws[-1] and not (len(classes) == 2 and ws[-1] == 1):
            raise NumericError(f"{len(classes)} classes need n_k={len(classes)} outputs (or 1 sigmoid output for "
                               f"two classes), got widths {list(ws)}")
    return Model(ws, arch.activations, weights, biases, loss, classes)


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


def _step(grad: CompiledGradient, model: Model, X: np.ndarray, Y: np.ndarray, opt: Optimizer,
          params: dict, decay: float) -> float:
    """One optimiser step on the batch (X, Y); returns J before the step."""
    out = grad.raw(model.weights, model.biases, X, Y, decay)
    loss = grad.value(model.weights, out[0], Y, decay)
    if np.isfinite(loss):
        opt.step(params, {(kind, i): out[2 * i - 1 if kind == "W" else 2 * i] for kind, i in params})
    return loss


def _diverged(history: History, epoch: int, loss: float) -> DivergenceError:
    return DivergenceError(
        f"training diverged in epoch {epoch}: loss={loss} after {len(history.loss)} steps "
        f"(mode={history.mode}, lr={history.lr}); lower the learning rate", history)


def _progress(total_steps: int, epochs: int, progress: bool | None):
    from tqdm.auto import tqdm

    show = total_steps >= _PROGRESS_STEPS if progress is None else progress
    return tqdm(total=epochs, desc="epochs", unit="epoch", disable=not show, leave=False)


def _prepare(model: Model, X, Y, layout: str) -> tuple[np.ndarray, np.ndarray]:
    if layout not in ("columns", "rows"):
        raise NumericError(f"layout must be 'columns' (X is n_0 x m) or 'rows' (X is m x n_0), got {layout!r}")
    if layout == "rows":
        X, Y = (np.transpose(A) if np.ndim(A) == 2 else A for A in (X, Y))
    X, Y = as_batch(X, model.widths[0], "X"), as_batch(Y, model.widths[-1], "Y")
    if Y.shape[1] != X.shape[1]:
        raise NumericError(f"X and Y need the same number of samples, got m={X.shape[1]} and {Y.shape[1]}")
    return model.standardize(X), Y


def _metrics(grad: CompiledGradient, model: Model, X: np.ndarray, Y: np.ndarray, decay: float,
             classify: bool) -> tuple[float, float | None]:
    A = model._forward(X)
    loss = grad.value(model.weights, A, Y, decay)
    return loss, (accuracy(A, Y) if classify else None)


def train(model: Model, X, Y, *, mode: str = "full", lr: float = 0.05, epochs: int = 100,
          batch_size: int | None = None, seed: int = 0, record: str = "epoch",
          progress: bool | None = None, callback: Callable[[int, float], None] | None = None,
          optimizer: str = "gd", momentum: float = 0.9, weight_decay: float = 0.0,
          val: float | None = None, patience: int | None = None, metrics_every: int = 1,
          layout: str = "columns") -> tuple[Model, History]:
    """(trained copy of ``model``, History) after ``epochs`` epochs (fewer with ``patience``).

    Args:
        model: the starting Model (not modified); its ``loss``, ``classes`` and standardisation
            statistics are used.
        X, Y: data, n_0 x m and n_k x m (one sample per column; Y may be 1-d if n_k = 1), or with
            ``layout="rows"`` m x n_0 and m x n_k (one sample per row, as in a CSV or scikit-learn).
        mode: "full", "sgd" or "minibatch" (module docstring); aliases "stochastic", "full-batch".
        lr: learning rate > 0. epochs: >= 1.
        batch_size: for "minibatch" (default min(32, m)); "sgd" uses 1, "full" uses m.
        seed: seeds the ``numpy.random.Generator`` that shuffles the samples and splits ``val``.
        record: "epoch", "step" or "none": when to snapshot weights and biases.
        progress: tqdm bar on or off; None shows it from 20 000 steps on.
        callback: called as callback(epoch, epoch_loss) after each epoch with metrics.
        optimizer: "gd", "momentum" (with ``momentum``) or "adam" (:mod:`numeric.optim`).
        weight_decay: lambda >= 0 of the L2 term lambda/(2m) sum ||W_l||^2 (m: the batch size).
        val: a fraction in (0, 1) held out for validation (stratified by class for classifiers).
        patience: stop after this many epochs without a lower validation (else training) loss and
            restore the best weights.
        metrics_every: compute the loss on all the training data every this many epochs (and at the
            last); large values save a forward pass per epoch.

    Raises:
        NumericError: bad data (NaN/inf, shapes, empty batch) or options (lr <= 0, mode, seed < 0).
        DivergenceError: the loss became inf or NaN; ``err.history`` holds the steps so far.
    """
    key = _mode(mode)
    X, Y = _prepare(model, X, Y, layout)
    rng, classify = _rng(seed), model.loss in ("bce", "cce")
    Xv = Yv = None
    if val is not None:
        keep, held = stratified_split(Y, val, rng, stratify=classify)
        X, Y, Xv, Yv = X[:, keep], Y[:, keep], X[:, held], Y[:, held]
    m = X.shape[1]
    size = {"full": m, "sgd": 1}.get(key, min(32, m) if batch_size is None else batch_size)
    _check_options(lr, epochs, size, m)
    _check_more(record, weight_decay, patience, metrics_every)
    grad = compile_gradient(model.activations, widths=model.widths, loss=model.loss,
                            weight_decay=weight_decay > 0)
    model, opt = model.copy(), make_optimizer(optimizer, lr, momentum=momentum)
    params = {**{("W", i): W for i, W in model.weights.items()}, **{("b", i): b for i, b in model.biases.items()}}
    history = History(key, float(lr), epochs, size, seed, record, optimizer=opt.name, loss_name=model.loss)
    if record != "none":
        history.snapshot(model)
    best = (np.inf, None, 0)
    bar = _progress(epochs * -(-m // size), epochs, progress)
    with bar, np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for epoch in range(1, epochs + 1):
            for idx in _batches(key, m, size, rng):
                loss = _step(grad, model, X[:, idx], Y[:, idx], opt, params, weight_decay)
                history.loss.append(loss)
                if not np.isfinite(loss):
                    raise _diverged(history, epoch, loss)
                if record == "step":
                    history.snapshot(model)
            history.stopped_epoch = epoch
            if Xv is not None:
                vloss, vacc = _metrics(grad, model, Xv, Yv, weight_decay, classify)
                history.val_loss.append(vloss)
                if vacc is not None:
                    history.val_accuracy.append(vacc)
            if epoch % metrics_every == 0 or epoch == epochs or (patience is not None and Xv is None):
                total, acc = _metrics(grad, model, X, Y, weight_decay, classify)
                history.epoch_loss.append(total)
                history.epoch_index.append(epoch)
                if acc is not None:
                    history.accuracy.append(acc)
                if not np.isfinite(total):
                    raise _diverged(history, epoch, total)
                bar.set_postfix(loss=f"{total:.3g}", refresh=False)
                if callback is not None:
                    callback(epoch, total)
            if record == "epoch":
                history.snapshot(model)
            bar.update()
            if patience is not None:
                watched = history.val_loss[-1] if Xv is not None else history.epoch_loss[-1]
                if watched < best[0]:
                    best = (watched, model.copy(), epoch)
                elif epoch - best[2] >= patience:
                    break
    if patience is not None and best[1] is not None:
        model, history.best_epoch = best[1], best[2]
    return model, history


def _check_more(record: str, weight_decay: float, patience: int | None, metrics_every: int) -> None:
    if record not in ("epoch", "step", "none"):
        raise NumericError(f"record must be 'epoch', 'step' or 'none', got record={record!r}")
    if not isinstance(weight_decay, (int, float)) or not np.isfinite(weight_decay) or weight_decay < 0:
        raise NumericError(f"weight decay must be a number >= 0, got weight_decay={weight_decay!r}")
    if patience is not None and (isinstance(patience, bool) or not isinstance(patience, int) or patience < 1):
        raise NumericError(f"patience must be an integer >= 1, got patience={patience!r}")
    if isinstance(metrics_every, bool) or not isinstance(metrics_every, int) or metrics_every < 1:
        raise NumericError(f"metrics_every must be an integer >= 1, got metrics_every={metrics_every!r}")
