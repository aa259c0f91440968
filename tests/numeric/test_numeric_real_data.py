"""Training on real data sets that scikit-learn ships inside its wheel (read from local files, no download).

* digits: the UCI "Optical Recognition of Handwritten Digits" data (Alpaydin & Kaynak 1998; 1797 8 x 8
  images, 10 classes), as ``sklearn.datasets.load_digits``;
* breast cancer: the UCI "Breast Cancer Wisconsin (Diagnostic)" data (Wolberg, Street & Mangasarian
  1995; 569 samples, 30 features, malignant / benign), as ``sklearn.datasets.load_breast_cancer``.

Each test trains on a stratified 75 % and measures the accuracy on the held-out 25 % it never saw.
"""

from __future__ import annotations

import numpy as np
import pytest

from numeric.data import accuracy, encode_labels, standardize_stats, stratified_split
from numeric.train import init_model, train

datasets = pytest.importorskip("sklearn.datasets", reason="scikit-learn (the test extra) ships the data")


def _split(features: np.ndarray, labels: np.ndarray, *, rows: int | None = None):
    """(X_train, Y_train, X_test, Y_test, classes): samples as columns, a seeded stratified 25 % test split."""
    classes, Y = encode_labels(labels, rows=rows)
    X = features.T.astype(np.float64)
    keep, held = stratified_split(Y, 0.25, np.random.default_rng(0), stratify=True)
    return X[:, keep], Y[:, keep], X[:, held], Y[:, held], classes


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_digits_reach_96_percent_held_out_accuracy(dtype):
    data = datasets.load_digits()
    X, Y, X_test, Y_test, classes = _split(data.data, data.target)
    start = init_model((64, 64, 10), ("tanh", "softmax"), seed=0, classes=classes, dtype=dtype)
    start.mean, start.scale = standardize_stats(X)
    model, _ = train(start, X, Y, mode="minibatch", batch_size=32, optimizer="adam", lr=0.003, epochs=30,
                     record="none", metrics_every=None, seed=0)
    assert model.dtype == np.dtype(dtype) and model.predict(X_test).dtype == np.dtype(dtype)
    assert accuracy(model.predict(X_test), Y_test) >= 0.96  # 0.976 measured, both dtypes


def test_breast_cancer_reaches_97_percent_held_out_accuracy():
    data = datasets.load_breast_cancer()
    X, Y, X_test, Y_test, classes = _split(data.data, data.target, rows=1)
    start = init_model((30, 16, 1), ("tanh", "sigmoid"), seed=0, loss="bce", classes=classes)
    start.mean, start.scale = standardize_stats(X)
    model, history = train(start, X, Y, mode="minibatch", batch_size=32, optimizer="adam", lr=0.003,
                           epochs=60, weight_decay=0.01, val=0.2, patience=15, record="none", seed=0)
    assert history.val_accuracy and accuracy(model.predict(X_test), Y_test) >= 0.97  # 0.993 measured


@pytest.mark.parametrize("loader, widths, acts, loss, floor", [
    ("load_digits", (64, 64, 10), ("tanh", "softmax"), "cce", 0.95),  # 0.967 measured
    ("load_breast_cancer", (30, 16, 1), ("tanh", "sigmoid"), "bce", 0.97),  # 0.993 measured
])
def test_the_closing_table_runs_reach_their_held_out_accuracy(loader, widths, acts, loss, floor):
    """The configuration of benchmarks/bench_datasets.py (docs/training.md's closing table): plain gradient
    descent, lr 0.1, minibatch 32, 30 epochs, train()'s defaults, standardised with the training statistics."""
    data = getattr(datasets, loader)()
    X, Y, X_test, Y_test, classes = _split(data.data, data.target, rows=1 if widths[-1] == 1 else None)
    mean, scale = standardize_stats(X)
    start = init_model(widths, acts, seed=0, loss=loss)
    model, history = train(start, (X - mean) / scale, Y, mode="minibatch", batch_size=32, lr=0.1, epochs=30, seed=0)
    assert history.weights == [] and len(history.epoch_loss) == 30  # the fast defaults
    assert accuracy(model.predict((X_test - mean) / scale), Y_test) >= floor
