"""Seconds per gradient: the compiled delta rule vs a hand-written NumPy backprop vs PyTorch CPU autograd.

Run: ``python benchmarks/bench_numeric.py`` (not a test; ``--help`` prints the options and runs nothing).
Prints a Markdown table: per gradient (loss, forward and backward on one batch of m = 256 columns) for
[64,64,64,1], [256,256,1] and [784,256,128,10], float64 and float32. Hidden layers tanh; one output:
identity with J = 1/(2m) sum ||a - y||^2; ten outputs: softmax with cross-entropy.

Fairness: every contestant computes J and all dW, db from the same arrays; the three answers are compared
before timing. Threads: ``BENCH_THREADS`` (default 1) is *assigned* to OPENBLAS/OMP/MKL/BLIS before NumPy is
imported and passed to ``torch.set_num_threads``. The contestants take turns inside every repeat
(interleaved), each timed over a batch of calls of about ``--seconds``; the table gives the minimum and the
median over the repeats, in process CPU time by default (``--clock``). "GEMM %" counts the matrix-product
FLOPs actually executed per gradient (forward W a, backward W^T delta below the output, dW = delta a^T: 2 n_i
n_{i-1} m each) at our minimum time, against the one-thread rate of a square 512 GEMM in the same dtype, timed
as a fourth contestant in the same interleaved repeats (its minimum). PyTorch is skipped if it is not
installed (``pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu``).
"""

from __future__ import annotations

import argparse

import benchtools  # first: it pins the BLAS threads before NumPy is imported
import numpy as np


def _acts(widths):
    return ("tanh",) * (len(widths) - 2) + ("softmax" if widths[-1] > 1 else "identity",)


def _problem(widths, m, dtype, seed=0):
    rng = np.random.default_rng(seed)
    layers = range(1, len(widths))
    W = {i: rng.normal(0, 1 / np.sqrt(widths[i - 1]), (widths[i], widths[i - 1])).astype(dtype) for i in layers}
    b = {i: rng.normal(0, 0.1, (widths[i], 1)).astype(dtype) for i in layers}
    X = rng.normal(size=(widths[0], m)).astype(dtype)
    Y = (np.eye(widths[-1])[:, rng.integers(0, widths[-1], m)] if widths[-1] > 1
         else rng.normal(size=(1, m))).astype(dtype)
    return W, b, X, Y


def ours(W, b, X, Y, acts):
    from numeric.compile import compile_gradient

    grad = compile_gradient(acts)
    return lambda: grad(W, b, X, Y)


def hand_written(W, b, X, Y, acts):
    """A plain NumPy backprop: tanh' = 1 - a^2, output delta a - y, W^T delta, dW = delta a^T / m."""
    k, m = len(W), X.shape[1]

    def run():
        a = [X]
        for i in range(1, k):
            a.append(np.tanh(W[i] @ a[-1] + b[i]))
        z = W[k] @ a[-1] + b[k]
        if acts[-1] == "softmax":
            e = np.exp(z - z.max(axis=0, keepdims=True))
            out = e / e.sum(axis=0, keepdims=True)
            loss = float(-np.sum(Y * np.log(np.maximum(out, np.finfo(out.dtype).tiny))) / m)
        else:
            out = z
            loss = float(np.vdot(out - Y, out - Y) / (2 * m))
        delta, dW, db = out - Y, {}, {}
        for i in range(k, 0, -1):
            dW[i] = (delta @ a[i - 1].T) * (1 / m)
            db[i] = delta.sum(axis=1, keepdims=True) * (1 / m)
            if i > 1:
                delta = (W[i].T @ delta) * (1 - a[i - 1] ** 2)
        return loss, dW, db
    return run


def pytorch(W, b, X, Y, acts):
    """Forward, loss and ``torch.autograd.grad`` on tensors sharing the NumPy arrays; None without torch."""
    torch = benchtools.get_torch()
    if torch is None:
        return None
    tW = [torch.from_numpy(W[i]).requires_grad_() for i in sorted(W)]
    tb = [torch.from_numpy(b[i]).requires_grad_() for i in sorted(b)]
    tX, tY, m = torch.from_numpy(X), torch.from_numpy(Y), X.shape[1]

    def run():
        a = tX
        for i in range(len(tW) - 1):
            a = torch.tanh(tW[i] @ a + tb[i])
        z = tW[-1] @ a + tb[-1]
        loss = (-(tY * torch.log_softmax(z, dim=0)).sum() / m if acts[-1] == "softmax"
                else ((z - tY) ** 2).sum() / (2 * m))
        grads = torch.autograd.grad(loss, tW + tb)
        k = len(tW)
        return float(loss.detach()), {i + 1: g.numpy() for i, g in enumerate(grads[:k])}, \
            {i + 1: g.numpy() for i, g in enumerate(grads[k:])}
    return run


def _agree(results: dict, dtype: str) -> None:
    """Every contestant's J and dW, db match ours (rtol 1e-8 in float64, 1e-3 in float32)."""
    rtol, atol = (1e-8, 1e-10) if dtype == "float64" else (1e-3, 1e-5)
    loss, dW, db = results["ours"]
    for name, (other_loss, other_dW, other_db) in results.items():
        assert np.isclose(loss, other_loss, rtol=rtol), f"{name}: loss {other_loss} != ours {loss}"
        for i in dW:
            assert np.allclose(dW[i], other_dW[i], rtol=rtol, atol=atol), f"{name}: dW_{i} disagrees"
            assert np.allclose(db[i], other_db[i], rtol=rtol, atol=atol), f"{name}: db_{i} disagrees"
            assert dW[i].dtype == np.dtype(dtype), f"ours: dW_{i} is {dW[i].dtype}, not {dtype}"


def gemm_flops(widths, m) -> int:
    """Matrix-product FLOPs of one gradient: forward and dW every layer, W^T delta below the output."""
    layers = [widths[i] * widths[i - 1] for i in range(1, len(widths))]
    return 2 * m * (2 * sum(layers) + sum(layers[1:]))


def gemm_square(dtype, n=512):
    """A one-thread n x n x n GEMM in ``dtype`` (2 n^3 FLOPs), timed as a contestant so it sees the same load."""
    rng = np.random.default_rng(1)
    A, B = rng.normal(size=(n, n)).astype(dtype), rng.normal(size=(n, n)).astype(dtype)
    return lambda: A @ B


def bench(widths, dtype, args) -> dict:
    acts = _acts(widths)
    W, b, X, Y = _problem(widths, args.batch, dtype)
    runs = {"ours": ours(W, b, X, Y, acts), "numpy": hand_written(W, b, X, Y, acts)}
    torch_run = None if args.no_torch else pytorch(W, b, X, Y, acts)
    if torch_run is not None:
        runs["torch"] = torch_run
    _agree({name: fn() for name, fn in runs.items()}, dtype)
    _, times = benchtools.measure({**runs, "gemm": gemm_square(dtype)}, args.repeats, args.seconds)
    row = benchtools.min_median(times)
    peak = 2 * 512 ** 3 / row.pop("gemm")[0]
    return dict(widths=widths, dtype=dtype, times=row, gemm=gemm_flops(widths, args.batch) / row["ours"][0] / peak,
                peak=peak)


def _ms(pair) -> str:
    return f"{pair[0] * 1e3:.3f} / {pair[1] * 1e3:.3f}"


def table(rows, batch) -> str:
    lines = [f"| widths (m = {batch}) | dtype | ours ms (min / median) | hand NumPy ms | PyTorch CPU ms | "
             "NumPy / ours (min, median) | PyTorch / ours (min, median) | ours GEMM % |", "|" + "---|" * 8]
    for r in rows:
        t = r["times"]
        ratio = lambda name, t=t: f"{t[name][0] / t['ours'][0]:.2f}x, {t[name][1] / t['ours'][1]:.2f}x"  # noqa: E731
        lines.append(f"| {list(r['widths'])} | {r['dtype']} | {_ms(t['ours'])} | {_ms(t['numpy'])} | "
                     + (f"{_ms(t['torch'])} | " if "torch" in t else "skipped (not installed) | ")
                     + f"{ratio('numpy')} | " + (f"{ratio('torch')} | " if "torch" in t else "– | ")
                     + f"{100 * r['gemm']:.0f} % of {r['peak'] / 1e9:.1f} GFLOP/s |")
    return "\n".join(lines) + "\n\nratios > 1: ours is faster"


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                epilog="Threads: BENCH_THREADS (default 1). Prints a Markdown table.")
    p.add_argument("--batch", type=int, default=256, help="m, columns per batch (default 256)")
    p.add_argument("--repeats", type=int, default=9, help="interleaved timed repeats (default 9)")
    p.add_argument("--seconds", type=float, default=0.2, help="time per contestant per repeat (default 0.2)")
    benchtools.add_common_arguments(p, sizes=True)
    args = benchtools.parse_args(p, argv)
    print(benchtools.header() + " (before)")
    rows = [bench(w, d, args) for w in args.sizes for d in args.dtypes]
    print(benchtools.header() + " (after)\n")
    print(table(rows, args.batch))


if __name__ == "__main__":
    main()
