"""Plot a training run: loss and accuracy (training and validation) over the epochs, and, when the layer
is small, the evolution of its weights and bias (the tutorial's figures).

Matplotlib is imported lazily, and only its object API with the Agg canvas is used
(no pyplot, no global backend, no ``MPLBACKEND`` needed): the plot works headless.
"""

from __future__ import annotations

import os

import numpy as np

from derivations import NumericError

from .model import History

__all__ = ["plot_history", "MAX_WEIGHT_LINES"]

MAX_WEIGHT_LINES = 16
"""Weight and bias panels are drawn only when the layer has at most this many weights (else unreadable)."""

_LOSS_WORDS = {"mse": "J = 1/(2m) sum ||a - y||^2", "bce": "binary cross-entropy", "cce": "cross-entropy"}


def plot_history(history: History, path: str | os.PathLike | None = None, *, layer: int | None = None):
    """A matplotlib Figure: [W_layer entries, b_layer entries,] loss[, accuracy] panels.

    The weight and bias panels need snapshots (``record="epoch"`` or ``"step"``) and a layer of at most
    :data:`MAX_WEIGHT_LINES` weights; the accuracy panel a classifier. The title names the architecture,
    the seed, the optimiser, the mode and the learning rate; every axis is labelled.

    Args:
        history: from :func:`numeric.train.train`.
        path: if given, the figure is saved there (format from the suffix, e.g. .png).
        layer: which layer's parameters (default the output layer k).

    Raises:
        NumericError: an empty history, a layer out of range, or the file cannot be written.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if not history.loss and not history.weights:
        raise NumericError("the history has no losses and no snapshots to plot (train for at least one epoch)")
    weights = _weight_panels(history, layer)
    panels = (2 if weights else 0) + 1 + (1 if history.accuracy or history.val_accuracy else 0)
    fig = Figure(figsize=(4 * panels, 3.6), layout="constrained")
    FigureCanvasAgg(fig)
    axes = list(np.atleast_1d(fig.subplots(1, panels)))
    if weights:
        layer, where = weights
        _lines(axes.pop(0), np.array([w[layer].ravel() for w in history.weights]), f"w^({layer})", where,
               history.record)
        _lines(axes.pop(0), np.array([b[layer].ravel() for b in history.biases]), f"b^({layer})", where,
               history.record)
    _loss_panel(axes.pop(0), history)
    if axes:
        _accuracy_panel(axes.pop(0), history)
    fig.suptitle(_title(history))
    if path is not None:
        try:
            fig.savefig(path)
        except (OSError, ValueError) as err:
            raise NumericError(f"cannot save the plot to {os.fspath(path)!r}: {err}") from err
    return fig


def _weight_panels(history: History, layer: int | None) -> tuple[int, str] | None:
    """(layer, " (output layer)" or "") when its weights are plotted, else None; NumericError for a bad layer."""
    if not history.weights:
        return None
    k = max(history.weights[0])
    layer = k if layer is None else layer
    if layer not in history.weights[0]:
        raise NumericError(f"layer must be in 1..{k}, got layer={layer!r}")
    if history.weights[0][layer].size > MAX_WEIGHT_LINES:
        return None
    return layer, " (output layer)" if layer == k else ""


def _title(history: History) -> str:
    arch = f"{list(history.widths)} {','.join(history.activations)}, " if history.widths else ""
    return (f"{arch}seed={history.seed}, optimizer={history.optimizer}, {history.mode}, lr={history.lr}, "
            f"epochs={history.stopped_epoch or history.epochs}")


def _loss_panel(ax, history: History) -> None:
    if history.epoch_loss:
        ax.plot(history.epoch_index or np.arange(1, len(history.epoch_loss) + 1), history.epoch_loss,
                label="training")
        unit = "epoch"
    else:
        ax.plot(np.arange(1, len(history.loss) + 1), history.loss, label="training (batch)")
        unit = "step"
    if history.val_loss:
        ax.plot(np.arange(1, len(history.val_loss) + 1), history.val_loss, label="validation")
    values = [*history.epoch_loss, *history.val_loss] or history.loss
    scale = "log" if min(values, default=0) > 0 else "linear"
    ax.set(title=f"loss ({history.loss_name})", xlabel=unit if not history.val_loss else "epoch",
           ylabel=_LOSS_WORDS.get(history.loss_name, "loss J"), yscale=scale)
    ax.legend(fontsize="small")


def _accuracy_panel(ax, history: History) -> None:
    if history.accuracy:
        ax.plot(history.epoch_index, history.accuracy, label="training")
    if history.val_accuracy:
        ax.plot(np.arange(1, len(history.val_accuracy) + 1), history.val_accuracy, label="validation")
    ax.set(title="accuracy", xlabel="epoch", ylabel="fraction classified correctly", ylim=(0, 1.02))
    ax.legend(fontsize="small")


def _lines(ax, values: np.ndarray, name: str, where: str, unit: str) -> None:
    for j in range(values.shape[1]):
        ax.plot(values[:, j], label=f"{name}[{j + 1}]" if values.shape[1] <= 8 else None)
    ax.set(title=name + where, xlabel=unit, ylabel="value")
    if values.shape[1] <= 8:
        ax.legend(fontsize="small")
