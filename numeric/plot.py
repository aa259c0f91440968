"""Plot the evolution of the output layer's weights, bias and loss (the tutorial's figures).

Matplotlib is imported lazily, and only its object API with the Agg canvas is used
(no pyplot, no global backend, no ``MPLBACKEND`` needed): the plot works headless.
"""

from __future__ import annotations

import os

import numpy as np

from derivations import NumericError

from .train import History

__all__ = ["plot_history"]


def plot_history(history: History, path: str | os.PathLike | None = None, *, layer: int | None = None):
    """A matplotlib Figure with three panels: W_layer entries, b_layer entries, and the loss.

    Args:
        history: from :func:`numeric.train.train` (snapshots per epoch or step).
        path: if given, the figure is saved there (format from the suffix, e.g. .png).
        layer: which layer's parameters (default the output layer k).

    Raises:
        NumericError: an empty history, a layer out of range, or the file cannot be written.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if not history.weights:
        raise NumericError("the history has no snapshots to plot")
    k = max(history.weights[0])
    layer = k if layer is None else layer
    if layer not in history.weights[0]:
        raise NumericError(f"layer must be in 1..{k}, got layer={layer!r}")
    fig = Figure(figsize=(12, 3.6), layout="constrained")
    FigureCanvasAgg(fig)
    ax_w, ax_b, ax_l = fig.subplots(1, 3)
    unit = history.record
    where = " (output layer)" if layer == k else ""
    _lines(ax_w, np.array([w[layer].ravel() for w in history.weights]), f"w^({layer})", where, unit)
    _lines(ax_b, np.array([b[layer].ravel() for b in history.biases]), f"b^({layer})", where, unit)
    losses = history.epoch_loss if history.epoch_loss else history.loss
    ax_l.plot(np.arange(1, len(losses) + 1), losses)
    scale = "log" if min(losses, default=0) > 0 else "linear"
    ax_l.set(title="loss J = 1/(2m) sum ||a - y||^2", xlabel="epoch", yscale=scale)
    fig.suptitle(f"{history.mode}, lr={history.lr}, epochs={history.epochs}")
    if path is not None:
        try:
            fig.savefig(path)
        except (OSError, ValueError) as err:
            raise NumericError(f"cannot save the plot to {os.fspath(path)!r}: {err}") from err
    return fig


def _lines(ax, values: np.ndarray, name: str, where: str, unit: str) -> None:
    for j in range(values.shape[1]):
        ax.plot(values[:, j], label=f"{name}[{j + 1}]" if values.shape[1] <= 8 else None)
    ax.set(title=name + where, xlabel=unit)
    if values.shape[1] <= 8:
        ax.legend(fontsize="small")
