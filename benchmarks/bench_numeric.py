"""Gradient evaluations per second: compiled delta rule vs hand-written NumPy vs PyTorch CPU autograd.

Run: ``python benchmarks/bench_numeric.py`` (not a test; ``--help`` runs nothing). Prints a Markdown table.
Loss J = 1/(2m) sum ||a - y||^2, float64 everywhere, tanh hidden layers and an identity
output, batch m = 256 (columns). Threads: ``BENCH_THREADS`` (default 1) for NumPy's BLAS and
PyTorch alike; one thread keeps the numbers stable on a shared machine. "compile" is
``compile_gradient`` from an empty cache: the exact check of the delta rule on the
clipped network plus building and lambdifying the matrix formula. PyTorch is skipped
if it is not installed (``pip install torch==2.13.0``).
"""

from __future__ import annotations

import os

THREADS = os.environ.get("BENCH_THREADS", "1")
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ[_var] = THREADS  # assigned, not setdefault: before NumPy is imported

import argparse  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from numeric.compile import clear_cache, compile_gradient  # noqa: E402
from numeric.reference import reference_gradients  # noqa: E402

SIZES = [(64, 64, 64, 1), (256, 256, 1)]
BATCH = 256
SECONDS = 0.3  # per timing repeat
REPEATS = 7


def _problem(widths, m, seed=0):
    rng = np.random.default_rng(seed)
    layers = range(1, len(widths))
    W = {i: rng.normal(0, 1 / np.sqrt(widths[i - 1]), (widths[i], widths[i - 1])) for i in layers}
    b = {i: rng.normal(0, 0.1, (widths[i], 1)) for i in layers}
    return W, b, rng.normal(size=(widths[0], m)), rng.normal(size=(widths[-1], m))


def _rates(*fns) -> list[float]:
    """Best-of-REPEATS calls per second of each fn; the fns take turns, so load changes hit all alike."""
    calls = []
    for fn in fns:
        fn()
        start, n = time.perf_counter(), 0
        while time.perf_counter() - start < 0.1:
            fn()
            n += 1
        calls.append(max(1, int(n * SECONDS / 0.1)))
    best = [float("inf")] * len(fns)
    for _ in range(REPEATS):
        for j, fn in enumerate(fns):
            t0 = time.perf_counter()
            for _ in range(calls[j]):
                fn()
            best[j] = min(best[j], (time.perf_counter() - t0) / calls[j])
    return [1.0 / t for t in best]


def _torch_rate(W, b, X, Y, acts):
    try:
        import torch
    except ImportError:
        return None, "not installed"
    torch.set_num_threads(int(THREADS))
    tW = {i: torch.tensor(M, requires_grad=True) for i, M in W.items()}
    tb = {i: torch.tensor(M, requires_grad=True) for i, M in b.items()}
    tX, tY = torch.tensor(X), torch.tensor(Y)
    params = [P for i in sorted(tW) for P in (tW[i], tb[i])]
    fns = {"tanh": torch.tanh, "identity": lambda z: z}

    def step():
        a = tX
        for i in sorted(tW):
            a = fns[acts[i - 1]](tW[i] @ a + tb[i])
        loss = ((a - tY) ** 2).sum() / (2 * tX.shape[1])
        return torch.autograd.grad(loss, params)

    ours = compile_gradient(acts)(W, b, X, Y)[1]
    got = step()
    assert np.allclose(got[0].numpy(), ours[1], rtol=1e-9, atol=1e-12), "PyTorch disagrees"
    return _rates(step)[0], f"torch {torch.__version__}, {torch.get_num_threads()} threads"


def bench(widths):
    acts = ("tanh",) * (len(widths) - 2) + ("identity",)
    clear_cache()
    t0 = time.perf_counter()
    grad = compile_gradient(acts, widths=widths)
    compile_s = time.perf_counter() - t0
    W, b, X, Y = _problem(widths, BATCH)
    ours, ref = grad(W, b, X, Y), reference_gradients(W, b, X, Y, acts)
    assert all(np.allclose(ours[1][i], ref[1][i], rtol=1e-9, atol=1e-12) for i in W), "compiled != reference"
    compiled, numpy_rate = _rates(lambda: grad(W, b, X, Y), lambda: reference_gradients(W, b, X, Y, acts))
    return dict(widths=widths, compiled=compiled, numpy=numpy_rate, compile_s=compile_s,
                verify_s=grad.verdict.seconds, problem=(W, b, X, Y, acts))


def table(rows) -> str:
    head = ("| widths (batch 256) | compiled (grad/s) | hand-written NumPy (grad/s) | PyTorch CPU autograd "
            "(grad/s) | compiled / NumPy | compiled / PyTorch | compile time (of which exact check) |")
    lines = [head, "|" + "---|" * 7]
    for r in rows:
        torch_cell = f"{r['torch']:,.0f}" if r["torch"] else f"skipped ({r['note']})"
        vs_torch = f"{r['compiled'] / r['torch']:.2f}x" if r["torch"] else "–"
        lines.append(f"| {list(r['widths'])} | {r['compiled']:,.0f} | {r['numpy']:,.0f} | {torch_cell} | "
                     f"{r['compiled'] / r['numpy']:.2f}x | {vs_torch} | {r['compile_s']:.2f} s "
                     f"({r['verify_s']:.2f} s) |")
    return "\n".join(lines)


def main(argv=None) -> None:
    argparse.ArgumentParser(description=__doc__.split("\n")[0],
                            epilog="Threads: BENCH_THREADS (default 1). Prints a Markdown table.").parse_args(argv)
    rows = [bench(w) for w in SIZES]  # all NumPy timings first: PyTorch's threads may linger
    for r in rows:
        r["torch"], r["note"] = _torch_rate(*r.pop("problem"))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"NumPy {np.__version__}, Python {platform.python_version()}, {platform.machine()}, "
          f"{os.cpu_count()} CPUs, load average {load:.1f}, {THREADS} thread(s); {rows[0]['note']}; float64, "
          f"tanh hidden / identity output\n")
    print(table(rows))


if __name__ == "__main__":
    main()
