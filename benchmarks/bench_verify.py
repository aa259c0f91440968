"""Benchmark: time to verify every formula of the paper exactly, against the simplify baseline.

Run: ``python benchmarks/bench_verify.py`` (``--repeats 3``; ``--baseline-timeout 120`` to wait longer).

For each architecture (abstract sigma): build the network, differentiate it
directly (ground truth), and check every registered formula on every layer
exactly. The baseline is what a user would write: the formula and the gradient
with sigma_ij as undefined SymPy functions, ``sympy.diff`` of the composed f,
and ``sympy.simplify(formula - gradient) == 0`` entry by entry (every formula,
the same formulas as ours; lemma (7) and Delta take the same ground truth),
run in a subprocess with a timeout (wall clock, default 60 s).

Both are timed in CPU seconds (``time.process_time``: ours in this process after one warm-up, the
baseline inside its own process after its imports), interleaved per architecture (ours, baseline,
ours, baseline, ...) ``--repeats`` times, with the caches cleared before each of ours; the table
gives min and median. The date, commit, versions and load average are printed with it. Threads are
pinned to 1 by assignment before any import.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import time

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS",
             "VECLIB_MAXIMUM_THREADS"):
    os.environ[_var] = "1"  # by assignment, before NumPy/SymPy/SymEngine are imported

from bench_proofs import machine  # noqa: E402 - after the pinning
from bench_sweep import _clear  # noqa: E402

WIDTHS = [(2, 2, 1), (4, 4, 4, 1), (8, 8, 8, 1), (8, 8, 8, 8, 1), (16, 16, 1)]


def _counts(verdicts: list) -> str:
    held = sum(v is True for v in verdicts)
    return f"{len(verdicts)} ({held} hold, {len(verdicts) - held} fail)"


def ours(widths: tuple[int, ...]) -> tuple[float, str]:
    """Seconds to build the net, differentiate it and check every applicable formula exactly."""
    from derivations import FORMULAS, Architecture, Network, verify
    _clear()
    start = time.process_time()
    net = Network(Architecture(widths))
    verdicts = [verify(name, net).holds for name, form in FORMULAS.items() if not form.applies(net.architecture)]
    return time.process_time() - start, _counts(verdicts)


def _baseline(widths, out):
    """sympy.diff of the composed f, then sympy.simplify(formula - gradient) == 0 for every formula."""
    import sympy as sp

    from derivations import FORMULAS, Architecture, Network, ShapeError
    start = time.process_time()
    net = Network(Architecture(widths))
    sub = {}
    for i in range(1, net.depth + 1):
        N = net.N(i).xreplace(sub)
        for j in range(net.n(i)):
            slope = sp.Function(f"ds{i}_{j}")
            sigma = type(f"s{i}_{j}", (sp.Function,), {"fdiff": lambda self, a=1, d=slope: d(self.args[0])})
            sub[net.sigma(i, j)], sub[net.sigma_prime(i, j)] = sigma(N[j]), slope(N[j])
    f = net.Sigma(net.depth)[0].xreplace(sub)
    grads: dict = {}
    verdicts = []
    for form in FORMULAS.values():
        if form.applies(net.architecture):
            continue
        holds = True
        for i in form.layers(net.architecture):
            try:
                claim = form.compute(net, i).xreplace(sub)
            except ShapeError:
                holds = False
                break
            target = net.W(i) if form.truth.__name__ == "grad_W" else None
            if target is None:  # Delta / lemma (7): compare through the same ground truth as ours
                truth = form.truth(net, i).xreplace(sub)
            else:
                truth = target.applyfunc(lambda w: grads.setdefault(w, sp.diff(f, w)))
            if claim.shape != truth.shape or any(sp.simplify(a - b) != 0 for a, b in zip(claim, truth, strict=True)):
                holds = False
                break
        verdicts.append(holds)
    out.put((_counts(verdicts), time.process_time() - start))


def baseline(widths: tuple[int, ...], timeout: float) -> float | None:
    """CPU seconds of the baseline on ``widths``; None when it ran past ``timeout`` (wall) seconds."""
    queue: mp.Queue = mp.Queue()
    proc = mp.Process(target=_baseline, args=(widths, queue))
    proc.start()
    proc.join(timeout)
    if proc.is_alive():
        proc.terminate()
        proc.join()
        return None
    counts, seconds = queue.get()
    return seconds


def _seconds(times: list[float | None], timeout: float) -> str:
    done = [t for t in times if t is not None]
    if len(done) < len(times):
        return f"> {timeout:.0f} s wall (stopped{f'; {len(done)} of {len(times)} ended' if done else ''})"
    return f"{min(done):.2f} / {statistics.median(done):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="timed (ours, baseline) pairs per architecture")
    parser.add_argument("--baseline-timeout", type=float, default=60.0,
                        help="wall seconds before the baseline is stopped (default 60)")
    parser.add_argument("--no-baseline", action="store_true", help="time ours only")
    args = parser.parse_args()
    if args.repeats < 1:
        parser.error(f"--repeats must be at least 1, got repeats={args.repeats!r}")
    before = machine()
    print(" ".join(f"{k}={v}" for k, v in before.items()), flush=True)
    print(f"CPU s, min / median of {args.repeats}; baseline timeout {args.baseline_timeout:.0f} s wall")
    print("| widths | formulas checked | ours (exact) | simplify baseline (same formulas) | speed-up (medians) |")
    print("|---|---|---|---|---|")
    ours((1, 1))  # warm-up: imports and caches, as the baseline's process has before its clock starts
    for widths in WIDTHS:
        mine: list[float] = []
        base: list[float | None] = []
        for _ in range(args.repeats):
            seconds, checked = ours(widths)
            mine.append(seconds)
            if not args.no_baseline:
                base.append(baseline(widths, args.baseline_timeout))
        ours_s = statistics.median(mine)
        if args.no_baseline:
            shown, ratio = "-", "-"
        elif None in base:
            shown, ratio = _seconds(base, args.baseline_timeout), f"> {args.baseline_timeout / ours_s:.0f}x"
        else:
            shown, ratio = _seconds(base, args.baseline_timeout), f"{statistics.median(base) / ours_s:.0f}x"
        print(f"| {list(widths)} | {checked} | {min(mine):.2f} / {ours_s:.2f} | {shown} | {ratio} |", flush=True)
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
