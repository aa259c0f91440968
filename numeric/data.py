"""Data for the trainer: CSV tables, class labels, standardisation, stratified validation splits.

Samples are columns inside (X is n_0 x m); a CSV has one sample per row. A label column of integers
or strings becomes classes: ``classes`` are the sorted distinct labels (as text), and Y is their
one-hot encoding, n_classes x m (or, for two classes with a sigmoid output, one row: 1 for the second
class). The class names travel with the model (:mod:`numeric.io`).
"""

from __future__ import annotations

import csv
import io as _io

import numpy as np

from derivations import DataFileError, NumericError, read_text

__all__ = ["read_table", "looks_like_header", "encode_labels", "decode_labels", "labels_of", "standardize_stats",
           "stratified_split", "accuracy", "confusion_matrix"]


def _number(cell: str) -> float | None:
    try:
        return float(cell)
    except ValueError:
        return None


def looks_like_header(rows: list[list[str]]) -> bool:
    """The first of several rows has no number in it (names such as "x1,x2,label")."""
    return len(rows) > 1 and all(_number(cell) is None for cell in rows[0])


def read_table(path: str, *, header: bool | None = None, delimiter: str = ",") -> tuple[list[str], list[list[str]]]:
    """(column names, rows of cells) of a delimited text file; ``header=None`` takes the first line as
    the header only when none of its cells is a number (:func:`looks_like_header`), so a data row with
    a typo stays data and its bad cell is reported. Lines starting with ``#`` and blank lines are skipped.

    Raises:
        NumericError: missing file, not UTF-8, ragged rows, no data rows, a bad delimiter.
    """
    if len(delimiter) != 1:
        raise NumericError(f"the delimiter must be one character, got delimiter={delimiter!r} "
                           "(write --delimiter ';' or --delimiter tab)")
    text = read_text(path, what="CSV file", error=NumericError)
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    rows = [[cell.strip() for cell in row] for row in csv.reader(_io.StringIO("\n".join(lines)), delimiter=delimiter)]
    if header is None:
        header = looks_like_header(rows)
    names = rows.pop(0) if header and rows else []
    if not rows:
        raise DataFileError(f"{path!r} has no data rows")
    counts = sorted({len(r) for r in rows})
    if len(counts) != 1:
        raise DataFileError(f"{path!r}: rows have different numbers of columns {counts} "
                           f"(is the delimiter {delimiter!r} right?)")
    return names or [f"column {j + 1}" for j in range(counts[0])], rows


def numeric_columns(rows: list[list[str]], columns: slice, path: str) -> np.ndarray:
    """The cells of ``columns`` as a float array, rows x columns; DataFileError names the first bad cell."""
    out = []
    for number, row in enumerate(rows, start=1):
        values = [_number(cell) for cell in row[columns]]
        if any(v is None for v in values):
            raise DataFileError(f"{path!r} data row {number}: features must be numbers, got {row[columns]!r} "
                                "(only the target column may hold class names)")
        out.append(values)
    return np.array(out, dtype=np.float64)


def _label(cell: str) -> str:
    value = _number(cell)
    return cell if value is None or not value.is_integer() else str(int(value))


def labels_of(cells) -> np.ndarray:
    """Class labels as text: integers written as "3.0" become "3"."""
    return np.array([_label(str(c)) for c in cells], dtype=np.str_)


def _sort_key(label: str):
    value = _number(label)
    return (0, value, "") if value is not None else (1, 0.0, label)


def encode_labels(labels, classes=None, *, rows: int | None = None) -> tuple[tuple[str, ...], np.ndarray]:
    """(classes, Y): Y one-hot, n_classes x m, columns in the order of ``classes`` (default: the sorted
    distinct labels, numbers by value). ``rows=1`` with two classes gives one row, 1 for classes[1].

    Raises:
        NumericError: a label not among ``classes``, or fewer than two classes.

    >>> encode_labels(["b", "a", "b"])[1]
    array([[0., 1., 0.],
           [1., 0., 1.]])
    """
    labels = labels_of(labels)
    classes = tuple(sorted(set(labels.tolist()), key=_sort_key)) if classes is None else tuple(classes)
    if len(classes) < 2:
        raise NumericError(f"a classification needs at least two classes, got {list(classes)}")
    index = {c: j for j, c in enumerate(classes)}
    unknown = sorted(set(labels.tolist()) - set(index))
    if unknown:
        raise NumericError(f"labels {unknown[:5]} are not among the model's classes {list(classes)}")
    codes = np.array([index[label] for label in labels.tolist()], dtype=np.int64)
    if rows == 1:
        if len(classes) != 2:
            raise NumericError(f"one output row (sigmoid) fits two classes, got {len(classes)}: {list(classes)}")
        return classes, codes.reshape(1, -1).astype(np.float64)
    return classes, np.eye(len(classes))[:, codes]


def class_codes(A: np.ndarray) -> np.ndarray:
    """The class index of each column of outputs or targets A (argmax; one row: A > 0.5)."""
    return (A[0] > 0.5).astype(np.int64) if A.shape[0] == 1 else np.argmax(A, axis=0)


def decode_labels(A: np.ndarray, classes) -> np.ndarray:
    """The class names of the columns of A (n_L x m)."""
    return np.asarray(classes, dtype=np.str_)[class_codes(A)]


def standardize_stats(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(mean, scale), both n_0 x 1, of the features of X (n_0 x m); a constant feature gets scale 1."""
    mean = X.mean(axis=1, keepdims=True)
    scale = X.std(axis=1, keepdims=True)
    return mean, np.where(scale > 0, scale, 1.0)


def stratified_split(Y: np.ndarray, fraction: float, rng: np.random.Generator,
                     *, stratify: bool) -> tuple[np.ndarray, np.ndarray]:
    """(train indices, validation indices) of the m columns of Y; with ``stratify`` each class gives
    round(fraction * its count) samples to validation (at least one when it has two or more).

    Raises:
        NumericError: fraction outside (0, 1), or a split that leaves either part empty.
    """
    m = Y.shape[1]
    if not 0 < fraction < 1:
        raise NumericError(f"the validation fraction must be in (0, 1), got val={fraction!r}")
    groups = [np.flatnonzero(class_codes(Y) == c) for c in np.unique(class_codes(Y))] if stratify \
        else [np.arange(m)]
    val = []
    for group in groups:
        take = int(round(fraction * len(group)))
        take = max(take, 1) if len(group) >= 2 else take
        val.extend(rng.permutation(group)[:take].tolist())
    val_idx = np.array(sorted(val), dtype=np.int64)
    train_idx = np.setdiff1d(np.arange(m), val_idx)
    if len(val_idx) == 0 or len(train_idx) == 0:
        raise NumericError(f"val={fraction} of m={m} samples leaves an empty training or validation set")
    return train_idx, val_idx


def accuracy(A: np.ndarray, Y: np.ndarray) -> float:
    """The fraction of columns whose predicted class (argmax, or > 0.5 for one row) is the target's."""
    return float(np.mean(class_codes(A) == class_codes(Y)))


def confusion_matrix(A: np.ndarray, Y: np.ndarray, n_classes: int) -> np.ndarray:
    """C[t, p] = the number of samples of true class t predicted as p, n_classes x n_classes."""
    C = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(C, (class_codes(Y), class_codes(A)), 1)
    return C
