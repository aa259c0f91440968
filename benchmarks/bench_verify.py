"""Benchmark: time to verify every formula of the paper exactly, against the simplify baseline.

Run: ``python benchmarks/bench_verify.py`` (add ``--baseline-timeout 120`` to wait longer).

For each architecture (abstract sigma): build the network, differentiate it
directly (ground truth), and check every registered formula on every layer
exactly. The baseline is what a user would write: the formula and the gradient
with sigma_ij as undefined SymPy functions, ``sympy.diff`` of the composed f,
and ``sympy.simplify(formula - gradient) == 0`` entry by entry (every formula,
the same formulas as ours; lemma (7) and Delta take the same ground truth),
run in a subprocess with a timeout.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import time

WIDTHS = [(2, 2, 1), (4, 4, 4, 1), (8, 8, 8, 1), (8, 8, 8, 8, 1), (16, 16, 1)]


def _counts(verdicts: list) -> str:
    held = sum(v is True for v in verdicts)
    return f"{len(verdicts)} ({held} hold, {len(verdicts) - held} fail)"


def ours(widths: tuple[int, ...]) -> tuple[float, str]:
    """Seconds to build the net, differentiate it and check every applicable formula exactly."""
    from derivations import FORMULAS, Architecture, Network, verify
    start = time.perf_counter()
    net = Network(Architecture(widths))
    verdicts = [verify(name, net).holds for name, form in FORMULAS.items() if not form.applies(net.architecture)]
    return time.perf_counter() - start, _counts(verdicts)


def _baseline(widths, out):
    """sympy.diff of the composed f, then sympy.simplify(formula - gradient) == 0 for every formula."""
    import sympy as sp

    from derivations import FORMULAS, Architecture, Network, ShapeError
    start = time.perf_counter()
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
    out.put((_counts(verdicts), time.perf_counter() - start))


def baseline(widths: tuple[int, ...], timeout: float) -> str:
    queue: mp.Queue = mp.Queue()
    proc = mp.Process(target=_baseline, args=(widths, queue))
    proc.start()
    proc.join(timeout)
    if proc.is_alive():
        proc.terminate()
        proc.join()
        return f"> {timeout:.0f} s (stopped)"
    counts, seconds = queue.get()
    return f"{seconds:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline-timeout", type=float, default=60.0)
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()
    print("| widths | formulas checked | ours (exact) | simplify baseline (same formulas) | speed-up |")
    print("|---|---|---|---|---|")
    ours((1, 1))  # warm-up: imports and caches, as the baseline's process has before its clock starts
    for widths in WIDTHS:
        seconds, checked = ours(widths)
        base = "-" if args.no_baseline else baseline(widths, args.baseline_timeout)
        try:
            ratio = f"{float(base.split()[0]) / seconds:.0f}x"
        except ValueError:
            ratio = f"> {args.baseline_timeout / seconds:.0f}x" if base.startswith(">") else "-"
        print(f"| {list(widths)} | {checked} | {seconds:.2f} s | {base} | {ratio} |", flush=True)


if __name__ == "__main__":
    main()
