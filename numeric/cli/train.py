"""The ``train`` and ``predict`` subcommands: train an affine network on a CSV (or the dummy data).

CSV: one sample per row, ``--delimiter`` separated, a header line detected or set with
``--header/--no-header``; the last ``--targets`` columns are the numeric target y, or with
``--classes`` (automatic when the last column holds text) the last column holds class labels
(integers or strings), one-hot encoded inside. Internally samples are columns (X is n_0 x m).

    backprop-verify train --dummy --widths 3,4,1 --activations tanh,sigmoid --mode minibatch \\
        --lr 0.05 --epochs 1000 --batch-size 2 --seed 0 -o model.npz --plot plot.png
    backprop-verify train iris.csv --widths 4,8,3 --activations tanh --standardize --val 0.2 \\
        --optimizer adam --patience 50          # saves iris.npz
    backprop-verify predict --model model.npz data.csv [--proba]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from derivations import NumericError, check_writable, read_text

from ..train import MODES
from .arguments import parse_activations, parse_widths

__all__ = ["register", "read_csv", "cmd_train", "cmd_predict", "add_table_options", "load_table"]


def add_table_options(p) -> None:
    """--header/--no-header and --delimiter, shared by train, predict and evaluate."""
    p.add_argument("--header", action=argparse.BooleanOptionalAction, default=None,
                   help="the first line is (not) a header (default: detected)")
    p.add_argument("--delimiter", default=",", help="the column separator (default ','; 'tab' for tabs)")


def register(sub) -> None:
    """Add the ``train`` and ``predict`` parsers to the subparsers ``sub``."""
    from ..losses import LOSS_NAMES
    from ..optim import OPTIMIZERS

    p = sub.add_parser("train", help="train an affine network by gradient descent (verified gradient)",
                       description="Train on a CSV (last --targets columns are y, or a class label "
                                   "column) or on --dummy data.")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("csv", nargs="?", help="training data, one sample per row")
    src.add_argument("--dummy", action="store_true", help="the tutorial's 3-feature dummy data")
    p.add_argument("--targets", type=int, default=1, help="number of target columns at the end (default 1)")
    p.add_argument("--classes", action=argparse.BooleanOptionalAction, default=None,
                   help="the last column holds class labels (default: when it is not all numbers)")
    add_table_options(p)
    p.add_argument("--widths", default=None, help="n_0,...,n_k (default: n_0 from the data, then the outputs)")
    p.add_argument("--activations", action="append", metavar="NAME", help="one name or one per layer, comma-separated "
                   "(default identity; with classes the output layer is softmax)")
    p.add_argument("--loss", choices=LOSS_NAMES, default=None,
                   help="mse, bce (sigmoid output) or cce (softmax output); default cce for classes, else mse")
    p.add_argument("--mode", choices=sorted(MODES), default="full",
                   help="full = full-batch GD (the tutorial's 'stochastic'), sgd = one sample a step, "
                        "minibatch = random batches")
    p.add_argument("--optimizer", choices=list(OPTIMIZERS), default="gd", help="gd, momentum or adam")
    p.add_argument("--momentum", type=float, default=0.9, help="momentum factor mu (default 0.9)")
    p.add_argument("--schedule", choices=["constant", "step", "cosine"], default="constant",
                   help="learning rate per epoch: constant, step (times --gamma every --step-every epochs) "
                        "or cosine (annealed to 0)")
    p.add_argument("--step-every", type=int, default=None, help="epochs per step (default: a third of them)")
    p.add_argument("--gamma", type=float, default=0.1, help="factor of each step (default 0.1)")
    p.add_argument("--lr", type=float, default=0.05, help="learning rate > 0 (default 0.05)")
    p.add_argument("--weight-decay", type=float, default=0.0, help="L2 factor lambda >= 0 (default 0)")
    p.add_argument("--epochs", type=int, default=100)
    p.add_argument("--batch-size", type=int, default=None, help="minibatch size (default min(32, m))")
    p.add_argument("--standardize", action="store_true", help="scale features to mean 0, std 1 (kept in the model)")
    p.add_argument("--val", type=float, default=None, help="hold out this fraction for validation (stratified)")
    p.add_argument("--patience", type=int, default=None, help="stop after N epochs without improvement")
    p.add_argument("--seed", type=int, default=0, help="seeds the initial weights, shuffling and --val split")
    p.add_argument("--dtype", choices=("float64", "float32"), default="float64",
                   help="floating-point type of the whole run and the saved model (default float64)")
    p.add_argument("--quiet", action="store_true", help="no progress bar (it shows on a terminal after 2 s)")
    p.add_argument("--every", type=int, default=None, help="print the loss every N epochs")
    p.add_argument("-o", "--output", default=None, help="save the model here (default: named after the data)")
    p.add_argument("--plot", default=None, help="save a plot here: loss and accuracy (training, validation), "
                   "and a small output layer's weights")
    p.set_defaults(func=cmd_train)
    q = sub.add_parser("predict", help="predict with a model saved by `train`",
                       description="Print one line per CSV row: the class (a classifier; --proba for the "
                                   "probabilities) or the outputs.")
    q.add_argument("csv", help="samples, one per row")
    q.add_argument("--model", required=True, help="a .npz written by `train -o`")
    q.add_argument("--has-targets", action="store_true", help="the CSV also has the target columns")
    q.add_argument("--proba", action="store_true", help="print class probabilities, not classes")
    add_table_options(q)
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


def load_table(args: argparse.Namespace, path: str) -> list[list[str]]:
    """The data rows of ``path`` read with the --header and --delimiter options."""
    from ..data import read_table

    delimiter = "\t" if args.delimiter in ("tab", "\\t") else args.delimiter
    names, rows = read_table(path, header=args.header, delimiter=delimiter)
    if args.header is None and names != [f"column {j + 1}" for j in range(len(names))]:
        print(f"{path}: the first line has no numbers, read as a header ({', '.join(names)[:60]}); "
              "--no-header reads it as data", file=sys.stderr)
    return rows


def _data(args: argparse.Namespace):
    """(X n_0 x m, labels or None, Y n_t x m or None) of the training CSV."""
    from ..data import _number, labels_of, numeric_columns

    rows = load_table(args, args.csv)
    width = len(rows[0])
    classes = args.classes if args.classes is not None else any(_number(r[-1]) is None for r in rows)
    targets = 1 if classes else args.targets
    if not 1 <= targets < width:
        raise NumericError(f"--targets must be in 1..{width - 1} for {width} columns, got {targets}")
    X = numeric_columns(rows, slice(0, width - targets), args.csv).T
    if classes:
        return X, labels_of([r[-1] for r in rows]), None
    return X, None, numeric_columns(rows, slice(width - targets, width), args.csv).T


def _setup(args: argparse.Namespace, X: np.ndarray, labels, Y):
    """(starting model, Y) from the options: widths, activations, loss, classes, statistics."""
    from ..data import encode_labels, standardize_stats
    from ..train import init_model

    classes = None
    loss = args.loss
    if labels is not None:
        loss = loss or "cce"
        n_classes = len(set(labels.tolist()))
        classes, Y = encode_labels(labels, rows=1 if loss == "bce" and n_classes == 2 else None)
    widths = _widths(args.widths, X, Y)
    acts = list(parse_activations(args.activations) or ("identity",))
    if len(acts) == 1 and loss in ("cce", "bce"):  # one name: the hidden layers; the loss fixes the output
        acts = [acts[0]] * (len(widths) - 2) + [{"cce": "softmax", "bce": "sigmoid"}[loss]]
    model = init_model(widths, acts[0] if len(acts) == 1 else acts, seed=args.seed, loss=loss, classes=classes,
                       dtype=getattr(args, "dtype", "float64"))
    if args.standardize:
        model.mean, model.scale = standardize_stats(X)
    return model, Y


def _widths(text: str | None, X: np.ndarray, Y: np.ndarray) -> list[int]:
    if text is None:
        return [X.shape[0], Y.shape[0]]
    return list(parse_widths(text))


def _output(args: argparse.Namespace) -> Path:
    """The model file: -o, else named after the data (data.csv -> data.npz beside it; dummy.npz)."""
    from ..io import model_path

    if args.output:
        return model_path(args.output)
    return Path("dummy.npz") if args.dummy else Path(args.csv).with_suffix(".npz")


def _check_args(args: argparse.Namespace) -> None:
    """Fail before training, not after: a bad --every, or -o / --plot that cannot be written."""
    if args.every is not None and args.every < 1:
        raise NumericError(f"--every must be an integer >= 1, got {args.every}")
    check_writable(_output(args), what="model", error=NumericError)
    if args.plot:
        check_writable(args.plot, what="plot", error=NumericError)


def cmd_train(args: argparse.Namespace) -> int:
    """Train, print the loss as it goes, save the model and the plot; exit status 0."""
    from ..examples import dummy_data
    from ..progress import Progress
    from ..train import train

    _check_args(args)
    labels = None
    if args.dummy:
        X, Y, X_test, _ = dummy_data()
    else:
        X, labels, Y = _data(args)
    model, Y = _setup(args, X, labels, Y)
    every = args.every or max(1, args.epochs // 10)
    bar = Progress(desc="train", unit="epoch", quiet=getattr(args, "quiet", False))

    def report(epoch: int, loss: float) -> None:
        if epoch % every == 0 or epoch == args.epochs:
            bar.write(f"epoch {epoch:>6d}  loss {loss:.6g}")  # through tqdm.write once the bar shows

    print(f"training {list(model.widths)} {','.join(model.activations)}, loss={model.loss}, mode={args.mode} "
          f"({MODES[args.mode]}), optimizer={args.optimizer}, lr={args.lr}, epochs={args.epochs}, "
          f"seed={args.seed}, m={X.shape[1]}, dtype={model.dtype}"
          + (f", schedule={args.schedule}" if args.schedule != "constant" else "")
          + (f", classes {list(model.classes)}" if model.classes else ""), flush=True)
    with bar:
        model, history = train(model, X, Y, mode=args.mode, lr=args.lr, epochs=args.epochs,
                               batch_size=args.batch_size, seed=args.seed, callback=report, progress=bar,
                               optimizer=args.optimizer, momentum=args.momentum, weight_decay=args.weight_decay,
                               schedule=args.schedule, step_every=args.step_every, gamma=args.gamma,
                               val=args.val, patience=args.patience, record="epoch" if args.plot else "none",
                               metrics_every=1 if args.patience and args.val is None else every)
    _summary(history)
    if args.dummy:
        print(f"prediction on the unseen sample [1, 0, 0] (target 1): {model.predict(X_test)[0, 0]:.7f}")
    _save(args, model, history)
    return 0


def _summary(history) -> None:
    if history.accuracy:
        print(f"training accuracy {history.accuracy[-1]:.4f}")
    if history.val_loss:
        acc = f", accuracy {history.val_accuracy[-1]:.4f}" if history.val_accuracy else ""
        print(f"validation loss {history.val_loss[-1]:.6g}{acc}")
    if history.best_epoch is not None:
        print(f"stopped after epoch {history.stopped_epoch}; kept the weights of epoch {history.best_epoch}")


def _save(args: argparse.Namespace, model, history) -> None:
    from ..io import save_model

    print(f"model saved to {save_model(_output(args), model)}")
    if args.plot:
        from ..plot import plot_history

        plot_history(history, args.plot)
        print(f"plot saved to {args.plot}")


def features(args: argparse.Namespace, model) -> tuple[np.ndarray, list[list[str]]]:
    """(X n_0 x m, the rows) of the CSV of ``predict``/``evaluate``: the first n_0 columns."""
    from ..data import numeric_columns

    rows = load_table(args, args.csv)
    n0, width = model.widths[0], len(rows[0])
    extra = width > n0 and not getattr(args, "has_targets", True)
    if width < n0 or extra:
        raise NumericError(f"the model takes n_0={n0} features per row, the CSV has {width}"
                           + (" (use --has-targets if it includes y)" if extra else ""))
    return numeric_columns(rows, slice(0, n0), args.csv).T, rows


def cmd_predict(args: argparse.Namespace) -> int:
    """Print the predicted class, the probabilities (--proba) or the outputs a^(k), one line per row."""
    from ..io import load_model

    model = load_model(args.model)
    X, _ = features(args, model)
    if model.classes is not None and not args.proba:
        print("\n".join(model.classify(X).tolist()))
        return 0
    out = model.predict(X)
    if model.classes is not None:
        if out.shape[0] == 1:
            out = np.vstack([1 - out, out])
        print(",".join(model.classes))
    np.savetxt(sys.stdout, out.T, fmt="%.10g", delimiter=",")
    return 0
