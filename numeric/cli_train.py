"""The ``train`` and ``predict`` subcommands: train an affine network on a CSV (or the dummy data).

CSV: one sample per row, comma-separated numbers, an optional header line; the last
``--targets`` columns are the target y, the others the features. Internally samples
are columns (X is n_0 x m), so the rows are transposed.

    backprop-verify train --dummy --widths 3,4,1 --activations tanh,sigmoid --mode minibatch \\
        --lr 0.05 --epochs 1000 --batch-size 2 --seed 0 -o model.npz --plot plot.png
    backprop-verify predict --model model.npz data.csv
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from derivations import NumericError
from derivations.fileio import check_writable, read_text

from .train import MODES

__all__ = ["register", "read_csv", "cmd_train", "cmd_predict"]


def register(sub) -> None:
    """Add the ``train`` and ``predict`` parsers to the subparsers ``sub``."""
    p = sub.add_parser("train", help="train an affine network by gradient descent (verified gradient)",
                       description="Train on a CSV (last --targets columns are y) or on --dummy data.")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("csv", nargs="?", help="training data, one sample per row")
    src.add_argument("--dummy", action="store_true", help="the tutorial's 3-feature dummy data")
    p.add_argument("--targets", type=int, default=1, help="number of target columns at the end (default 1)")
    p.add_argument("--widths", default=None, help="n_0,...,n_k (default: n_0 from the data, then 1 output)")
    p.add_argument("--activations", default="identity", help="one name or one per layer, comma-separated")
    p.add_argument("--mode", choices=sorted(MODES), default="full",
                   help="full = full-batch GD (the tutorial's 'stochastic'), sgd = one sample a step, "
                        "minibatch = random batches")
    p.add_argument("--lr", type=float, default=0.05, help="learning rate > 0 (default 0.05)")
    p.add_argument("--epochs", type=int, default=100)
    p.add_argument("--batch-size", type=int, default=None, help="minibatch size (default min(32, m))")
    p.add_argument("--seed", type=int, default=0, help="seeds the initial weights and the shuffling")
    p.add_argument("--every", type=int, default=None, help="print the loss every N epochs")
    p.add_argument("-o", "--output", default=None, help="save the model to this .npz")
    p.add_argument("--plot", default=None, help="save the output layer's weights, bias and loss plot here")
    p.set_defaults(func=cmd_train)
    q = sub.add_parser("predict", help="predict with a model saved by `train`",
                       description="Print one line of predictions per CSV row (features only, or with "
                                   "--has-targets the trailing target columns are ignored).")
    q.add_argument("csv", help="samples, one per row")
    q.add_argument("--model", required=True, help="a .npz written by `train -o`")
    q.add_argument("--has-targets", action="store_true", help="the CSV also has the target columns")
    q.set_defaults(func=cmd_predict)


def read_csv(path: str) -> np.ndarray:
    """The numeric rows of a CSV as an array (rows x columns); a non-numeric first line is a header.

    Raises:
        NumericError: missing file, not UTF-8, ragged or non-numeric rows, no data.
    """
    text = read_text(path, what="CSV file", error=NumericError)
    lines = [line.strip() for line in text.split("\n") if line.strip() and not line.startswith("#")]
    rows = []
    for number, line in enumerate(lines, start=1):
        try:
            rows.append([float(cell) for cell in line.split(",")])
        except ValueError:
            if number == 1:
                continue  # header
            raise NumericError(f"{path!r} line {number}: not numbers: {line[:60]!r}") from None
    if not rows:
        raise NumericError(f"{path!r} has no data rows")
    if len({len(r) for r in rows}) != 1:
        counts = sorted({len(r) for r in rows})
        raise NumericError(f"{path!r}: rows have different numbers of columns {counts}")
    return np.array(rows)


def _split(data: np.ndarray, targets: int) -> tuple[np.ndarray, np.ndarray]:
    if not 1 <= targets < data.shape[1]:
        raise NumericError(f"--targets must be in 1..{data.shape[1] - 1} for {data.shape[1]} columns, "
                           f"got {targets}")
    return data[:, :-targets].T, data[:, -targets:].T


def _widths(text: str | None, X: np.ndarray, Y: np.ndarray) -> list[int]:
    if text is None:
        return [X.shape[0], Y.shape[0]]
    try:
        return [int(w) for w in text.split(",")]
    except ValueError:
        raise NumericError(f"--widths must be integers like 3,4,1, got {text!r}") from None


def _check_args(args: argparse.Namespace) -> None:
    """Fail before training, not after: a bad --every, or -o / --plot that cannot be written."""
    from .io import model_path

    if args.every is not None and args.every < 1:
        raise NumericError(f"--every must be an integer >= 1, got {args.every}")
    if args.output:
        check_writable(model_path(args.output), what="model", error=NumericError)
    if args.plot:
        check_writable(args.plot, what="plot", error=NumericError)


def cmd_train(args: argparse.Namespace) -> int:
    """Train, print the loss as it goes, save the model and the plot; exit status 0."""
    from .examples import dummy_data
    from .train import init_model, train

    _check_args(args)
    if args.dummy:
        X, Y, X_test, _ = dummy_data()
    else:
        X, Y = _split(read_csv(args.csv), args.targets)
    widths = _widths(args.widths, X, Y)
    acts = args.activations.split(",")
    model = init_model(widths, acts[0] if len(acts) == 1 else acts, seed=args.seed)
    every = args.every or max(1, args.epochs // 10)

    def report(epoch: int, loss: float) -> None:
        if epoch % every == 0 or epoch == args.epochs:
            print(f"epoch {epoch:>6d}  loss {loss:.6g}", flush=True)

    print(f"training {widths} {','.join(model.activations)}, mode={args.mode} ({MODES[args.mode]}), "
          f"lr={args.lr}, epochs={args.epochs}, seed={args.seed}, m={X.shape[1]}")
    model, history = train(model, X, Y, mode=args.mode, lr=args.lr, epochs=args.epochs,
                           batch_size=args.batch_size, seed=args.seed, callback=report)
    if args.dummy:
        print(f"prediction on the unseen sample [1, 0, 0] (target 1): {model.predict(X_test)[0, 0]:.7f}")
    _save(args, model, history)
    return 0


def _save(args: argparse.Namespace, model, history) -> None:
    if args.output:
        from .io import save_model

        print(f"model saved to {save_model(args.output, model)}")
    if args.plot:
        from .plot import plot_history

        plot_history(history, args.plot)
        print(f"plot saved to {args.plot}")


def cmd_predict(args: argparse.Namespace) -> int:
    """Print the predictions a^(k), one CSV row per sample; exit status 0."""
    from .io import load_model

    model = load_model(args.model)
    data = read_csv(args.csv)
    X = data[:, :-model.widths[-1]] if args.has_targets else data
    if X.shape[1] != model.widths[0]:
        raise NumericError(f"the model takes n_0={model.widths[0]} features per row, the CSV has {X.shape[1]}"
                           + ("" if args.has_targets else " (use --has-targets if it includes y)"))
    out = model.predict(X.T).T
    np.savetxt(sys.stdout, out, fmt="%.10g", delimiter=",")
    return 0


