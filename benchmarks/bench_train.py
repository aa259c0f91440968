"""Seconds per training epoch: ``numeric.train`` vs a plain hand-written NumPy loop (vs PyTorch CPU).

Run: ``python benchmarks/bench_train.py`` (not a test; ``--help`` lists the options). Prints a Markdown table.

Every contestant does the same work per epoch: one permuted copy of the data, then for each minibatch
(a view of it) the forward pass, the loss of the batch from that forward pass, the backward pass and
a plain gradient-descent update. No weight snapshots and no full-data loss: ``train``'s defaults
(``record="none"``, ``metrics_every=None``; its epoch loss is the mean of the batch losses).
Hidden layers are tanh; an output width of 1 is an identity output with J = 1/(2m) sum ||a - y||^2,
10 outputs are softmax with cross-entropy.

Data: scikit-learn's bundled digits (the UCI optical recognition of handwritten digits set, 1797 8 x 8 images,
read from the wheel) upscaled by nearest neighbour to n_0 = 16 x 16 or 28 x 28; random normal data of the same
size when scikit-learn is missing. Threads: ``BENCH_THREADS`` (default 1) for NumPy's BLAS and PyTorch; each
contestant runs once per repeat, in turns, and the table gives the minimum and the median over the repeats, in
process CPU time by default (``--clock``). PyTorch is skipped when it is not installed.
"""

from __future__ import annotations

import argparse

import benchtools  # first: it pins the BLAS threads before NumPy is imported
import numpy as np


def _data(widths, dtype, seed=0):
    """(X n_0 x m, Y n_k x m, source): digits upscaled to n_0 pixels, targets "digit >= 5" or one-hot."""
    side = int(round(np.sqrt(widths[0])))
    try:
        from sklearn.datasets import load_digits

        digits = load_digits()
        pick = np.arange(side) * 8 // side  # nearest-neighbour upscaling of the 8 x 8 images
        X = digits.images[:, pick][:, :, pick].reshape(len(digits.target), -1).T / 16.0
        labels, source = digits.target, f"digits {side}x{side}"
    except ImportError:
        rng = np.random.default_rng(seed)
        X, labels, source = rng.normal(size=(widths[0], 1797)), rng.integers(0, 10, 1797), "random"
    Y = np.eye(10)[:, labels] if widths[-1] == 10 else (labels >= 5).reshape(1, -1).astype(float)
    return np.ascontiguousarray(X, dtype=dtype), np.ascontiguousarray(Y, dtype=dtype), source


def _acts(widths):
    return ("tanh",) * (len(widths) - 2) + ("softmax" if widths[-1] > 1 else "identity",)


def ours(widths, X, Y, epochs, batch, lr):
    from numeric.train import init_model, train

    start = init_model(widths, _acts(widths), seed=0, dtype=X.dtype.name)
    return lambda: train(start, X, Y, mode="minibatch", lr=lr, epochs=epochs, batch_size=batch, seed=0,
                         progress=False)  # the defaults: no snapshots, no extra full-data pass


def hand_written(widths, X, Y, epochs, batch, lr):
    """The plain NumPy loop: lists of W, b; forward, loss, backward, W -= lr dW."""
    rng0 = np.random.default_rng(0)
    k, dt = len(widths) - 1, X.dtype
    W0 = [rng0.normal(0, 1 / np.sqrt(widths[i]), (widths[i + 1], widths[i])).astype(dt) for i in range(k)]
    softmax_out = widths[-1] > 1

    def run():
        W, b = [w.copy() for w in W0], [np.zeros((w.shape[0], 1), dt) for w in W0]
        rng, losses = np.random.default_rng(0), []
        for _ in range(epochs):
            order = rng.permutation(X.shape[1])
            Xe, Ye = X[:, order], Y[:, order]
            for s in range(0, X.shape[1], batch):
                a = [Xe[:, s:s + batch]]
                y, m = Ye[:, s:s + batch], a[0].shape[1]
                for i in range(k - 1):
                    a.append(np.tanh(W[i] @ a[-1] + b[i]))
                z = W[-1] @ a[-1] + b[-1]
                if softmax_out:
                    e = np.exp(z - z.max(axis=0, keepdims=True))
                    out = e / e.sum(axis=0, keepdims=True)
                    losses.append(float(-np.sum(y * np.log(np.maximum(out, 1e-30))) / m))
                else:
                    out = z
                    losses.append(float(np.sum((out - y) ** 2) / (2 * m)))
                delta = out - y
                for i in range(k - 1, -1, -1):
                    dW, db = delta @ a[i].T / m, delta.sum(axis=1, keepdims=True) / m
                    if i:
                        delta = (W[i].T @ delta) * (1 - a[i] ** 2)
                    W[i] -= lr * dW
                    b[i] -= lr * db
        return W, losses
    return run


def pytorch(widths, X, Y, epochs, batch, lr):
    torch = benchtools.get_torch()
    if torch is None:
        return None
    tX, tY = torch.from_numpy(X), torch.from_numpy(Y)
    g = torch.Generator().manual_seed(0)
    k = len(widths) - 1

    def run():
        W = [(torch.randn(widths[i + 1], widths[i], generator=g, dtype=tX.dtype) / widths[i] ** 0.5)
             .requires_grad_() for i in range(k)]
        b = [torch.zeros(widths[i + 1], 1, dtype=tX.dtype, requires_grad=True) for i in range(k)]
        for _ in range(epochs):
            order = torch.randperm(tX.shape[1], generator=g)
            Xe, Ye = tX[:, order], tY[:, order]
            for s in range(0, tX.shape[1], batch):
                a, y = Xe[:, s:s + batch], Ye[:, s:s + batch]
                for i in range(k - 1):
                    a = torch.tanh(W[i] @ a + b[i])
                z = W[-1] @ a + b[-1]
                if widths[-1] > 1:
                    loss = -(y * torch.log_softmax(z, dim=0)).sum() / y.shape[1]
                else:
                    loss = ((z - y) ** 2).sum() / (2 * y.shape[1])
                grads = torch.autograd.grad(loss, W + b)
                with torch.no_grad():
                    for p, gp in zip(W + b, grads, strict=True):
                        p -= lr * gp
    return run


def bench(widths, dtype, args) -> dict:
    X, Y, source = _data(widths, dtype)
    opts = (args.epochs, args.batch, args.lr)
    runs = {"ours": ours(widths, X, Y, *opts), "numpy": hand_written(widths, X, Y, *opts)}
    torch_run = None if args.no_torch else pytorch(widths, X, Y, *opts)
    if torch_run is not None:
        runs["torch"] = torch_run
    _, times = benchtools.measure(runs, args.repeats)
    per_epoch = benchtools.min_median(times, args.epochs)
    return dict(widths=widths, dtype=dtype, source=source, m=X.shape[1], **per_epoch)


def _cell(pair) -> str:
    return f"{pair[0] * 1e3:.2f} / {pair[1] * 1e3:.2f}"


def table(rows, batch: int) -> str:
    lines = ["| widths | dtype | data (m) | ours ms/epoch (min / median) | hand-written NumPy (min / median) | "
             "PyTorch CPU (min / median) | ours / NumPy (min, median) |", "|" + "---|" * 7]
    for r in rows:
        torch_cell = _cell(r["torch"]) if "torch" in r else "skipped (not installed)"
        ratio = f"{r['ours'][0] / r['numpy'][0]:.2f}x, {r['ours'][1] / r['numpy'][1]:.2f}x"
        lines.append(f"| {list(r['widths'])} | {r['dtype']} | {r['source']} ({r['m']}) | {_cell(r['ours'])} | "
                     f"{_cell(r['numpy'])} | {torch_cell} | {ratio} |")
    return "\n".join(lines) + f"\n\nminibatch {batch}, plain gradient descent"


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--epochs", type=int, default=3, help="epochs per timed run (default 3)")
    p.add_argument("--batch", type=int, default=32, help="minibatch size (default 32)")
    p.add_argument("--lr", type=float, default=0.01, help="learning rate (default 0.01)")
    p.add_argument("--repeats", type=int, default=7, help="timed runs per contestant (default 7)")
    benchtools.add_common_arguments(p, sizes=True)
    args = benchtools.parse_args(p, argv)
    rows = [bench(w, d, args) for w in args.sizes for d in args.dtypes]
    print(benchtools.header() + " (after the runs)\n")
    print(table(rows, args.batch))


if __name__ == "__main__":
    main()
