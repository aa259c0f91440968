"""Benchmark: CPU time of the exact check, the building block of every proof and sweep.

Run: ``python benchmarks/bench_sweep.py`` (``--repeats 5``; ``--widths 8,8,8,8,8,1``; ``--only registry``).

Three tasks, each timed in CPU seconds (``time.process_time``), interleaved over the repeats
(registry, report, check, registry, report, check, ...) so that machine noise spreads evenly:

* ``registry``: every registry formula that applies, verified on one architecture (default
  [8,8,8,8,1], abstract sigma) with ``derivations.registry.verify(name, architecture)``;
* ``report``: ``derivations.report.paper_report()`` with its defaults;
* ``check``: ``derivations.checker.check`` on five fixed formulas of the paper, proof mode.

Before every timed call the registry's and the checker's network caches and SymPy's cache are
cleared, so each time is "after import" (one untimed warm-up call per task). The table gives the
min and median over the repeats, and the load average before and after the run (a busy machine
inflates CPU time too, through caches and frequency). Threads are pinned to 1 before any import.
"""

from __future__ import annotations

import argparse
import importlib
import os
import statistics
import time

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS",
             "VECLIB_MAXIMUM_THREADS"):
    os.environ[_var] = "1"  # by assignment, before NumPy/SymPy/SymEngine are imported

TARGET = 3.0  # CPU seconds: every registry formula on [8,8,8,8,1] (issue "Robust edges", item 4)

CHECKS: tuple[tuple[str, dict], ...] = (
    (r"\nabla_{W_k} f = \Sigma'_k \cdot \Sigma^T_{k-1}", {}),
    (r"\nabla_{W_i} f = \Delta_i \cdot \Sigma_{i-1}^T", {}),
    (r"\Delta_i = (W_{i+1}^T \cdot \Delta_{i+1}) \circ \Sigma_i'", {}),
    (r"\nabla_{W_{k-1}} f = \Sigma_{k-2}^T \otimes \Sigma_{k-1}' \circ W_k^T \cdot \Sigma_k'", {"order": "right"}),
    (r"\nabla_{W_i} f = \Delta_{i+2} \bullet W_{i+2}^T \circ \Sigma'_{i+1} \bullet W_{i+1} \circ "
     r"\Sigma'_i \cdot \Sigma^T_{i-1}", {}),
)
"""Five formulas of tests/checker/corpus.py: three that hold, one right-to-left chain, one shape typo."""


def _clear() -> None:
    from sympy.core.cache import clear_cache

    from derivations import registry

    importlib.import_module("derivations.checker.check")._network.cache_clear()
    if hasattr(registry, "network"):  # the shared per-architecture network (absent before item 4)
        registry.network.cache_clear()
    clear_cache()


def task_registry(widths: tuple[int, ...]) -> str:
    """Verify every applicable registry formula on ``widths``; returns the verdict counts."""
    from derivations import FORMULAS, Architecture, verify

    arch = Architecture(widths)
    verdicts = [verify(name, arch).holds for name, form in FORMULAS.items() if not form.applies(arch)]
    return f"{len(verdicts)} formulas, {sum(v is True for v in verdicts)} hold"


def task_report(widths: tuple[int, ...]) -> str:
    """The whole paper report with its defaults."""
    from derivations import paper_report

    report = paper_report()
    return f"{len(report.findings)} findings"


def task_check(widths: tuple[int, ...]) -> str:
    """check() in proof mode on the five fixed formulas."""
    from derivations.checker import check

    results = [check(latex, notation="paper", **options) for latex, options in CHECKS]
    return ", ".join(str(r.holds) for r in results)


TASKS = {"registry": task_registry, "report": task_report, "check": task_check}


def _timed(task, widths: tuple[int, ...]) -> tuple[float, str]:
    _clear()
    start = time.process_time()
    summary = task(widths)
    return time.process_time() - start, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per task (default 3)")
    parser.add_argument("--widths", default="8,8,8,8,1", help="architecture of the registry task")
    parser.add_argument("--only", choices=list(TASKS), action="append", help="run only these tasks")
    args = parser.parse_args()
    widths = tuple(int(w) for w in args.widths.split(","))
    names = args.only or list(TASKS)
    load_before = os.getloadavg()
    for name in names:  # warm-up: imports, parser, lazy modules
        TASKS[name]((2, 2, 1) if name == "registry" else widths)
    times: dict[str, list[float]] = {name: [] for name in names}
    summaries: dict[str, str] = {}
    for _ in range(args.repeats):
        for name in names:
            seconds, summaries[name] = _timed(TASKS[name], widths)
            times[name].append(seconds)
    load_after = os.getloadavg()
    print(f"load average (1, 5, 15 min): before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
          f"after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}; {os.cpu_count()} cores")
    print("| task | min CPU s | median CPU s | repeats | result |")
    print("|---|---|---|---|---|")
    for name in names:
        label = f"registry {list(widths)}" if name == "registry" else name
        print(f"| {label} | {min(times[name]):.2f} | {statistics.median(times[name]):.2f} | "
              f"{len(times[name])} | {summaries[name]} |")
    if "registry" in names and widths == (8, 8, 8, 8, 1):
        verdict = "met" if min(times["registry"]) <= TARGET else "missed"
        print(f"target: registry [8,8,8,8,1] <= {TARGET:.0f} s CPU: {verdict}")


if __name__ == "__main__":
    main()
