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

import inspect
import math
from functools import partial
from typing import Callable

import numpy as np

from derivations import DivergenceError, NumericError

from .compile import CompiledGradient, compile_gradient
from .data import accuracy, stratified_split
from .losses import decay_value, loss_value
from .model import DTYPES, History, Model, _rng, as_batch, check_dtype, init_model
from .optim import Optimizer, check_schedule, make_optimizer, scheduled_lr

__all__ = ["MODES", "DTYPES", "Model", "History", "init_model", "train", "as_batch", "check_dtype"]

MODES = {"full": "full-batch gradient descent", "sgd": "stochastic gradient descent (one sample a step)",
         "minibatch": "minibatch gradient descent (random batches)"}
_MODE_ALIASES = {"full-batch": "full", "batch": "full", "gd": "full", "stochastic": "sgd",
                 "mini-batch": "minibatch"}

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


def _epoch_data(mode: str, X: np.ndarray, Y: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(X, Y) in this epoch's order: as they are for "full", else one permuted copy (batches are views of it)."""
    if mode == "full":
        return X, Y
    order = rng.permutation(X.shape[1])
    return X[:, order], Y[:, order]


def _run_epoch(grad: CompiledGradient, flat: list, X: np.ndarray, Y: np.ndarray, size: int, opt: Optimizer,
               decay: float, losses: list, after_step: Callable[[], None] | None) -> float:
    """One pass over the columns of X, Y in batches of ``size`` (views); appends J of each batch to ``losses``
    (from the forward pass the step already did) and returns the last one (inf/NaN stops the pass)."""
    fn, m, loss = grad._function, X.shape[1], 0.0
    value, params = partial(loss_value, grad.loss), flat[:-1] if grad.weight_decay else flat
    for start in range(0, m, size):
        Xb, Yb = X[:, start:start + size], Y[:, start:start + size]
        out = fn(Xb, Yb, Xb.shape[1], *flat)
        loss = value(out[0], Yb) + (decay_value(params[::2], decay, Xb.shape[1]) if decay else 0.0)
        losses.append(loss)
        if not math.isfinite(loss):
            break
        opt.step_list(params, out[1:])
        if after_step is not None:
            after_step()
    return loss


def _diverged(history: History, epoch: int, loss: float) -> DivergenceError:
    return DivergenceError(
        f"training diverged in epoch {epoch}: loss={loss} after {len(history.loss)} steps "
        f"(mode={history.mode}, lr={history.lr}); lower the learning rate", history)


def _progress(progress):
    """The Progress bar of a run: ``progress`` itself when it is one, else a new bar over the epochs
    (None: shown on a terminal once training has lasted 2 s; True: always; False: never)."""
    from .progress import Progress

    if isinstance(progress, Progress):
        return progress, False
    return Progress(desc="epochs", unit="epoch", quiet=progress is False, force=progress is True), True


def _prepare(model: Model, X, Y, layout: str) -> tuple[np.ndarray, np.ndarray]:
    """X standardised and Y, both in the model's dtype, samples as columns."""
    if layout not in ("columns", "rows"):
        raise NumericError(f"layout must be 'columns' (X is n_0 x m) or 'rows' (X is m x n_0), got {layout!r}")
    if layout == "rows":
        X, Y = (np.transpose(A) if np.ndim(A) == 2 else A for A in (X, Y))
    X, Y = as_batch(X, model.widths[0], "X"), as_batch(Y, model.widths[-1], "Y")
    if Y.shape[1] != X.shape[1]:
        raise NumericError(f"X and Y need the same number of samples, got m={X.shape[1]} and {Y.shape[1]}")
    return model.standardize(X), Y.astype(model.dtype, copy=False)


def _metrics(grad: CompiledGradient, model: Model, X: np.ndarray, Y: np.ndarray, decay: float,
             classify: bool) -> tuple[float, float | None]:
    A = model._forward(X)
    loss = grad.value(model.weights, A, Y, decay)
    return loss, (accuracy(A, Y) if classify else None)


def train(model: Model, X, Y, *, mode: str = "full", lr: float = 0.05, epochs: int = 100,
          batch_size: int | None = None, seed: int = 0, record: str = "none",
          progress=None, callback: Callable[..., None] | None = None,
          optimizer: str = "gd", momentum: float = 0.9, weight_decay: float = 0.0,
          val: float | None = None, patience: int | None = None, metrics_every: int | None = None,
          layout: str = "columns", dtype: str | None = None, schedule: str = "constant",
          step_every: int | None = None, gamma: float = 0.1) -> tuple[Model, History]:
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
        record: "none" (default), "epoch" or "step": when to snapshot weights and biases.
        progress: a tqdm bar (:class:`numeric.progress.Progress`) over the epochs; None shows it on a
            terminal once training has lasted 2 s, True always, False never; or a Progress to use.
        callback: called after every epoch as ``callback(epoch, epoch_loss)``, or, when it takes
            the keywords, ``callback(epoch, epoch_loss, model=model, metrics=metrics)`` with the
            model being trained (not a copy) and a dict of this epoch's "loss", "accuracy",
            "val_loss", "val_accuracy" (those measured) and "full_data" (whether "loss" is J on
            all the training data).
        optimizer: "gd", "momentum" (with ``momentum``) or "adam" (:mod:`numeric.optim`).
        weight_decay: lambda >= 0 of the L2 term lambda/(2m) sum ||W_l||^2 (m: the batch size).
        val: a fraction in (0, 1) held out for validation (stratified by class for classifiers).
        patience: stop after this many epochs without a lower validation (else training) loss and
            restore the best weights.
        metrics_every: compute the loss (and accuracy) on all the training data every this many
            epochs and at the last; None (default) never does: ``History.epoch_loss`` then gets the
            mean of the epoch's batch losses, each from the forward pass its step already did (no
            extra pass; ``patience`` without ``val`` still computes the full-data loss).
        dtype: "float64" or "float32" for the whole run (default: the model's); the returned model
            keeps it.
        schedule: "constant", "step" (lr times ``gamma`` every ``step_every`` epochs, default a third
            of the epochs) or "cosine" (from lr to 0), set at the start of each epoch
            (:func:`numeric.optim.scheduled_lr`); ``History.learning_rates`` has one per epoch.

    Raises:
        NumericError: bad data (NaN/inf, shapes, empty batch) or options (lr <= 0, mode, seed < 0, dtype).
        DivergenceError: the loss became inf or NaN; ``err.history`` holds the steps so far.
    """
    key = _mode(mode)
    model = model.astype(model.dtype if dtype is None else dtype)  # a copy: the caller's model is kept
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
    step_every = check_schedule(schedule, epochs, step_every, gamma)
    grad = compile_gradient(model.activations, widths=model.widths, loss=model.loss,
                            weight_decay=weight_decay > 0)
    opt = make_optimizer(optimizer, lr, momentum=momentum)
    flat = [P for i in range(1, model.depth + 1) for P in (model.weights[i], model.biases[i])]
    flat += [weight_decay] if grad.weight_decay else []
    history = History(key, float(lr), epochs, size, seed, record, optimizer=opt.name, loss_name=model.loss,
                      widths=model.widths, activations=model.activations)
    if record != "none":
        history.snapshot(model)
    after_step = (lambda: history.snapshot(model)) if record == "step" else None
    best = (np.inf, None, 0)
    steps = -(-m // size)  # steps per epoch
    notify = _notifier(callback, history, model)
    bar, own_bar = _progress(progress)
    bar.start(epochs)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        try:
            for epoch in range(1, epochs + 1):
                opt.lr = scheduled_lr(schedule, lr, epoch, epochs, step_every=step_every or 1, gamma=gamma)
                history.learning_rates.append(opt.lr)
                loss = _run_epoch(grad, flat, *_epoch_data(key, X, Y, rng), size, opt, weight_decay,
                                  history.loss, after_step)
                if not math.isfinite(loss):
                    raise _diverged(history, epoch, loss)
                history.stopped_epoch = epoch
                if Xv is not None:
                    _validate(history, grad, model, Xv, Yv, weight_decay, classify)
                full = _metrics_due(epoch, epochs, metrics_every, patience is not None and Xv is None)
                if full:
                    total = _record_metrics(history, grad, model, X, Y, weight_decay, classify, epoch)
                elif metrics_every is None:
                    total = _record_step_mean(history, steps, epoch)
                if full or metrics_every is None:
                    bar.advance(0, f"loss={total:.3g}")
                    if callback is not None:
                        notify(epoch, total, full)
                if record == "epoch":
                    history.snapshot(model)
                bar.advance()
                if patience is not None:
                    watched = history.val_loss[-1] if Xv is not None else history.epoch_loss[-1]
                    if watched < best[0]:
                        best = (watched, model.copy(), epoch)
                    elif epoch - best[2] >= patience:
                        break
        finally:
            if own_bar:
                bar.close()
    if patience is not None and best[1] is not None:
        model, history.best_epoch = best[1], best[2]
    return model, history


def _record_step_mean(history: History, steps: int, epoch: int) -> float:
    """The mean of this epoch's batch losses (each before its step), appended as the epoch's loss."""
    mean = float(np.mean(history.loss[-steps:]))
    history.epoch_loss.append(mean)
    history.epoch_index.append(epoch)
    return mean


def _notifier(callback, history: History, model: Model) -> Callable[[int, float, bool], None]:
    """calls ``callback`` with what it accepts: (epoch, loss), or also model= and metrics= (keywords)."""
    if callback is None:
        return lambda epoch, loss, full: None
    try:
        params = inspect.signature(callback).parameters
    except (TypeError, ValueError):
        params = {}
    rich = {"model", "metrics"} <= set(params) or any(p.kind is p.VAR_KEYWORD for p in params.values())

    def notify(epoch: int, loss: float, full: bool) -> None:
        if not rich:
            return callback(epoch, loss)
        metrics = {"loss": loss, "full_data": full}
        for key, values in (("accuracy", history.accuracy), ("val_loss", history.val_loss),
                            ("val_accuracy", history.val_accuracy)):
            if values and (key != "accuracy" or full):
                metrics[key] = values[-1]
        return callback(epoch, loss, model=model, metrics=metrics)
    return notify


def _metrics_due(epoch: int, epochs: int, every: int | None, watched: bool) -> bool:
    """Whether the full-data loss is computed after ``epoch`` (``watched``: early stopping needs it)."""
    return watched or (every is not None and (epoch % every == 0 or epoch == epochs))


def _validate(history: History, grad: CompiledGradient, model: Model, Xv: np.ndarray, Yv: np.ndarray,
              decay: float, classify: bool) -> None:
    vloss, vacc = _metrics(grad, model, Xv, Yv, decay, classify)
    history.val_loss.append(vloss)
    if vacc is not None:
        history.val_accuracy.append(vacc)


def _record_metrics(history: History, grad: CompiledGradient, model: Model, X: np.ndarray, Y: np.ndarray,
                    decay: float, classify: bool, epoch: int) -> float:
    """J (and accuracy) on all the training data, appended to the history; DivergenceError if not finite."""
    total, acc = _metrics(grad, model, X, Y, decay, classify)
    history.epoch_loss.append(total)
    history.epoch_index.append(epoch)
    if acc is not None:
        history.accuracy.append(acc)
    if not math.isfinite(total):
        raise _diverged(history, epoch, total)
    return total


def _check_more(record: str, weight_decay: float, patience: int | None, metrics_every: int | None) -> None:
    if record not in ("epoch", "step", "none"):
        raise NumericError(f"record must be 'epoch', 'step' or 'none', got record={record!r}")
    if not isinstance(weight_decay, (int, float)) or not np.isfinite(weight_decay) or weight_decay < 0:
        raise NumericError(f"weight decay must be a number >= 0, got weight_decay={weight_decay!r}")
    if patience is not None and (isinstance(patience, bool) or not isinstance(patience, int) or patience < 1):
        raise NumericError(f"patience must be an integer >= 1, got patience={patience!r}")
    if metrics_every is not None and (isinstance(metrics_every, bool) or not isinstance(metrics_every, int)
                                      or metrics_every < 1):
        raise NumericError(f"metrics_every must be an integer >= 1 or None, got metrics_every={metrics_every!r}")
