"""The ``evaluate`` subcommand: loss, accuracy and a confusion matrix of a saved model on labelled data.

    backprop-verify evaluate --model iris.npz iris.csv

The CSV holds the features (the model's n_0 columns) and then the targets: one class label column
for a classifier, n_k numeric columns for a regressor (which gets its loss only).

The loss printed is the data term of J only (mean over the samples): a model trained with
``--weight-decay`` minimised J + lambda/(2m) sum ||W_l||^2, but the penalty says nothing about the
data, and the model file does not keep lambda, so ``evaluate`` leaves it out and says so.
"""

from __future__ import annotations

import argparse

import numpy as np

from derivations import NumericError

__all__ = ["register", "cmd_evaluate", "format_confusion"]


def register(sub) -> None:
    """Add the ``evaluate`` parser to the subparsers ``sub``."""
    from .train import add_table_options

    p = sub.add_parser("evaluate", help="loss, accuracy and confusion matrix of a saved model on a CSV",
                       description="Evaluate a model saved by `train` on a CSV with features and targets.")
    p.add_argument("csv", help="samples with their targets, one per row")
    p.add_argument("--model", required=True, help="a .npz written by `train`")
    add_table_options(p)
    p.set_defaults(func=cmd_evaluate)


def format_confusion(C: np.ndarray, classes) -> str:
    """The confusion matrix as text: one row per true class, one column per predicted class."""
    names = [str(c) for c in classes]
    width = max(len(n) for n in [*names, *(str(v) for v in C.ravel()), "true\\pred"])
    head = "true\\pred".ljust(width) + "  " + "  ".join(n.rjust(width) for n in names)
    rows = [n.ljust(width) + "  " + "  ".join(str(v).rjust(width) for v in row)
            for n, row in zip(names, C, strict=True)]
    return "\n".join([head, *rows])


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Print m, the loss, and for a classifier the accuracy and the confusion matrix; exit status 0."""
    from ..data import accuracy, confusion_matrix, encode_labels, numeric_columns
    from ..io import load_model
    from ..losses import loss_value
    from .train import features

    model = load_model(args.model)
    X, rows = features(args, model)
    n0, width = model.widths[0], len(rows[0])
    if model.classes is not None:
        if width != n0 + 1:
            raise NumericError(f"a classifier's CSV needs n_0={n0} feature columns and one label column, "
                               f"got {width} columns")
        _, Y = encode_labels([r[-1] for r in rows], model.classes, rows=model.widths[-1] if
                             model.widths[-1] == 1 else None)
    else:
        if width != n0 + model.widths[-1]:
            raise NumericError(f"the CSV needs n_0={n0} feature and n_k={model.widths[-1]} target columns, "
                               f"got {width} columns")
        Y = numeric_columns(rows, slice(n0, width), args.csv).T
    A = model.predict(X)
    print(f"samples {X.shape[1]}")
    print(f"loss ({model.loss}, without the weight-decay term) {loss_value(model.loss, A, Y):.6g}")
    if model.classes is not None:
        print(f"accuracy {accuracy(A, Y):.4f}")
        print("confusion matrix (rows: true class, columns: predicted class)")
        print(format_confusion(confusion_matrix(A, Y, len(model.classes)), model.classes))
    return 0
