"""Accuracy and time per epoch on two real data sets: ``numeric.train`` vs hand-written NumPy vs PyTorch CPU.

Run: ``python benchmarks/bench_datasets.py`` (not a test; ``--help`` prints the options and runs nothing;
needs scikit-learn, the ``test`` extra). Prints a Markdown table.

Data (bundled in scikit-learn's wheel, read from local files, no download):

* ``sklearn.datasets.load_digits()``: UCI "Optical Recognition of Handwritten Digits" (E. Alpaydin,
  C. Kaynak, 1998), 1797 8 x 8 images, 10 classes; network [64, 64, 10], tanh, softmax, cross-entropy.
* ``sklearn.datasets.load_breast_cancer()``: UCI "Breast Cancer Wisconsin (Diagnostic)" (W. H. Wolberg,
  W. N. Street, O. L. Mangasarian, 1995), 569 samples, 30 features, 2 classes; network [30, 16, 1],
  tanh, sigmoid, binary cross-entropy.

Each set is split once, stratified and seeded, into 75 % training and 25 % held out; the features are
standardised with the training statistics. The three contestants start from the same weights (ours,
``init_model(seed=0)``), visit the minibatches (32) in the same order (``numpy.random.default_rng(0)``, one
permutation per epoch, as ``train`` does) and take plain gradient-descent steps with the same learning rate,
so they compute the same thing; each computes the batch loss from its forward pass. ``train`` runs with its
defaults (no snapshots, no full-data pass). Accuracy is on the held-out 25 %. Time: each whole run is
repeated; the contestants take turns in every repeat (interleaved); the table gives the minimum and the median
of the time per epoch, in process CPU time by default (``--clock``). Threads: ``BENCH_THREADS`` (default 1),
assigned to the BLAS variables before NumPy is imported, and ``torch.set_num_threads``. PyTorch is skipped if
it is not installed.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

import benchtools  # first: it pins the BLAS threads before NumPy is imported
import numpy as np


@dataclass(frozen=True)
class Task:
    name: str
    loader: str
    widths: tuple[int, ...]
    activations: tuple[str, str]
    loss: str
    lr: float
    epochs: int


TASKS = (Task("digits", "load_digits", (64, 64, 10), ("tanh", "softmax"), "cce", 0.1, 30),
         Task("breast cancer", "load_breast_cancer", (30, 16, 1), ("tanh", "sigmoid"), "bce", 0.1, 30))
BATCH = 32


def load(task: Task, dtype: str):
    """(X, Y, X_test, Y_test, classes): samples as columns, standardised with the training statistics."""
    from sklearn import datasets

    from numeric.data import encode_labels, standardize_stats, stratified_split

    data = getattr(datasets, task.loader)()
    classes, Y = encode_labels(data.target, rows=1 if task.widths[-1] == 1 else None)
    X = data.data.T.astype(np.float64)
    keep, held = stratified_split(Y, 0.25, np.random.default_rng(0), stratify=True)
    mean, scale = standardize_stats(X[:, keep])
    X = (X - mean) / scale
    cast = lambda A: np.ascontiguousarray(A, dtype=dtype)  # noqa: E731
    return cast(X[:, keep]), cast(Y[:, keep]), cast(X[:, held]), cast(Y[:, held]), classes


def accuracy(A: np.ndarray, Y: np.ndarray) -> float:
    if Y.shape[0] == 1:
        return float(np.mean((A > 0.5) == (Y > 0.5)))
    return float(np.mean(A.argmax(axis=0) == Y.argmax(axis=0)))


def ours(task, X, Y, X_test, Y_test):
    from numeric.train import init_model, train

    start = init_model(task.widths, task.activations, seed=0, loss=task.loss, dtype=X.dtype.name)

    def run():
        model, _ = train(start, X, Y, mode="minibatch", batch_size=BATCH, lr=task.lr, epochs=task.epochs, seed=0,
                         progress=False)
        return accuracy(model.predict(X_test), Y_test)
    return run, start


def hand_written(task, X, Y, X_test, Y_test, start):
    """The plain NumPy loop: forward, the batch loss from it, backward (output delta a - y), W -= lr dW."""
    W0 = [start.weights[i] for i in (1, 2)]
    b0 = [start.biases[i] for i in (1, 2)]
    tiny, lr = np.finfo(X.dtype).tiny, task.lr

    def forward(W, b, x):
        h = np.tanh(W[0] @ x + b[0])
        z = W[1] @ h + b[1]
        if task.loss == "cce":
            e = np.exp(z - z.max(axis=0, keepdims=True))
            return h, e / e.sum(axis=0, keepdims=True)
        return h, 1 / (1 + np.exp(-z))

    def run():
        W, b = [w.copy() for w in W0], [c.copy() for c in b0]
        rng, losses = np.random.default_rng(0), []
        for _ in range(task.epochs):
            order = rng.permutation(X.shape[1])
            Xe, Ye = X[:, order], Y[:, order]
            for s in range(0, X.shape[1], BATCH):
                x, y = Xe[:, s:s + BATCH], Ye[:, s:s + BATCH]
                m = x.shape[1]
                h, a = forward(W, b, x)
                if task.loss == "cce":
                    losses.append(float(-np.sum(y * np.log(np.maximum(a, tiny))) / m))
                else:
                    losses.append(float(-np.sum(y * np.log(np.maximum(a, tiny))
                                                + (1 - y) * np.log(np.maximum(1 - a, tiny))) / m))
                delta2 = a - y
                delta1 = (W[1].T @ delta2) * (1 - h * h)
                W[1] -= lr * (delta2 @ h.T) / m
                b[1] -= lr * delta2.sum(axis=1, keepdims=True) / m
                W[0] -= lr * (delta1 @ x.T) / m
                b[0] -= lr * delta1.sum(axis=1, keepdims=True) / m
        return accuracy(forward(W, b, X_test)[1], Y_test)
    return run


def pytorch(task, X, Y, X_test, Y_test, start):
    """The same loop in PyTorch: autograd of the batch loss, then p -= lr grad (no optimiser object)."""
    torch = benchtools.get_torch()
    if torch is None:
        return None
    tX, tY, tX_test = torch.from_numpy(X), torch.from_numpy(Y), torch.from_numpy(X_test)

    def forward(params, x):
        W1, b1, W2, b2 = params
        z = W2 @ torch.tanh(W1 @ x + b1) + b2
        return z

    def run():
        params = [torch.from_numpy(P.copy()).requires_grad_() for i in (1, 2)
                  for P in (start.weights[i], start.biases[i])]
        rng = np.random.default_rng(0)
        for _ in range(task.epochs):
            order = torch.from_numpy(rng.permutation(X.shape[1]))
            Xe, Ye = tX[:, order], tY[:, order]
            for s in range(0, X.shape[1], BATCH):
                x, y = Xe[:, s:s + BATCH], Ye[:, s:s + BATCH]
                z = forward(params, x)
                if task.loss == "cce":
                    loss = -(y * torch.log_softmax(z, dim=0)).sum() / x.shape[1]
                else:
                    loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y, reduction="sum") / x.shape[1]
                grads = torch.autograd.grad(loss, params)
                with torch.no_grad():
                    for p, g in zip(params, grads, strict=True):
                        p -= task.lr * g
        with torch.no_grad():
            z = forward(params, tX_test)
            A = torch.softmax(z, dim=0) if task.loss == "cce" else torch.sigmoid(z)
        return accuracy(A.numpy(), Y_test)
    return run


def bench(task: Task, dtype: str, args) -> dict:
    X, Y, X_test, Y_test, _ = load(task, dtype)
    run, start = ours(task, X, Y, X_test, Y_test)
    runs = {"ours": run, "numpy": hand_written(task, X, Y, X_test, Y_test, start)}
    torch_run = None if args.no_torch else pytorch(task, X, Y, X_test, Y_test, start)
    if torch_run is not None:
        runs["torch"] = torch_run
    accuracies, times = benchtools.measure(runs, args.repeats)  # the warm-up run gives the accuracy
    per_epoch = benchtools.min_median(times, task.epochs)
    return dict(task=task, dtype=dtype, m=X.shape[1], m_test=X_test.shape[1], accuracy=accuracies, time=per_epoch)


def table(rows) -> str:
    lines = ["| data set (train / held out) | network | dtype | epochs | "
             "held-out accuracy: ours / NumPy / PyTorch | ms per epoch, min / median: ours | hand NumPy | "
             "PyTorch CPU | ours / NumPy (min) | "
             "ours / PyTorch (min) |", "|" + "---|" * 10]
    for r in rows:
        task, acc, t = r["task"], r["accuracy"], r["time"]
        accs = " / ".join(f"{acc[n]:.3f}" if n in acc else "–" for n in ("ours", "numpy", "torch"))
        cell = lambda n, t=t: f"{t[n][0] * 1e3:.2f} / {t[n][1] * 1e3:.2f}" if n in t else "skipped"  # noqa: E731
        vs = lambda n, t=t: f"{t['ours'][0] / t[n][0]:.2f}x" if n in t else "–"  # noqa: E731
        net = f"{list(task.widths)} {','.join(task.activations)}, {task.loss}"
        lines.append(f"| {task.name} ({r['m']} / {r['m_test']}) | {net} | {r['dtype']} | {task.epochs} | {accs} | "
                     f"{cell('ours')} | {cell('numpy')} | {cell('torch')} | {vs('numpy')} | {vs('torch')} |")
    note = f"minibatch {BATCH}, plain gradient descent, lr {TASKS[0].lr}; ratios < 1: ours faster"
    return "\n".join(lines) + "\n\n" + note


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                epilog="Threads: BENCH_THREADS (default 1). Prints a Markdown table.")
    p.add_argument("--repeats", type=int, default=7, help="timed runs per contestant (default 7)")
    benchtools.add_common_arguments(p)
    args = benchtools.parse_args(p, argv)
    print(benchtools.header() + " (before)")
    rows = [bench(task, dtype, args) for task in TASKS for dtype in args.dtypes]
    print(benchtools.header() + " (after)\n")
    print(table(rows))


if __name__ == "__main__":
    main()
