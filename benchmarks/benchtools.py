"""What the ``bench_*.py`` scripts share: pinned threads, the clock, the common options, the header line, torch.

Import this module before NumPy: importing it *assigns* ``BENCH_THREADS`` (default 1) to OPENBLAS/OMP/MKL/BLIS,
which BLAS reads only when NumPy is first imported. The scripts run as ``python benchmarks/bench_x.py``, so
``import benchtools`` finds this file next to them.
"""

from __future__ import annotations

import os

THREADS = os.environ.get("BENCH_THREADS", "1")
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ[_var] = THREADS  # assigned, not setdefault: before NumPy is imported

import argparse  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

SIZES = [(64, 64, 64, 1), (256, 256, 1), (784, 256, 128, 10)]
DTYPES = ("float64", "float32")
CLOCK = {"now": time.process_time, "name": "process CPU time"}
"""The timer: process CPU time by default (``--clock process``): on a shared machine it leaves out the
time the process waits for a core, which wall time (``--clock wall``) counts."""


def add_common_arguments(p: argparse.ArgumentParser, sizes: bool = False) -> None:
    """``--sizes`` (when asked), ``--dtypes``, ``--no-torch`` and ``--clock``, in that order."""
    if sizes:
        p.add_argument("--sizes", default=None, help="e.g. '64,64,64,1;256,256,1' (default: the three in SIZES)")
    p.add_argument("--dtypes", default=",".join(DTYPES), help="float64,float32 (default both)")
    p.add_argument("--no-torch", action="store_true", help="skip PyTorch even when it is installed")
    p.add_argument("--clock", choices=["process", "wall"], default="process",
                   help="process CPU time (default; robust on a shared machine) or wall time")


def parse_args(p: argparse.ArgumentParser, argv=None) -> argparse.Namespace:
    """Parse, switch ``CLOCK`` to wall time for ``--clock wall``; ``dtypes`` becomes a list and ``sizes``
    (when present) a list of width tuples, SIZES by default."""
    args = p.parse_args(argv)
    if args.clock == "wall":
        CLOCK.update(now=time.perf_counter, name="wall time")
    args.dtypes = args.dtypes.split(",")
    if hasattr(args, "sizes"):
        args.sizes = SIZES if args.sizes is None else [tuple(int(w) for w in s.split(",")) for s in
                                                       args.sizes.split(";")]
    return args


def get_torch():
    """``torch`` with ``set_num_threads(BENCH_THREADS)``, or None when it is not installed."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(int(THREADS))
    return torch


def header() -> str:
    """Date, versions, machine, CPUs, load average, threads, torch and the clock: one line."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    torch = get_torch()
    note = "PyTorch not installed" if torch is None else f"torch {torch.__version__}"
    return (f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; NumPy {np.__version__}, Python "
            f"{platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs, load average "
            f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, {THREADS} thread(s); {note}; clock: {CLOCK['name']}")


def measure(runs: dict, repeats: int, seconds: float | None = None) -> tuple[dict, dict]:
    """(name -> the warm-up call's result, name -> seconds per call in each repeat).

    Every contestant is called once first (warm-up: compile, caches, allocator). Then, in every repeat, the
    contestants take turns. Without ``seconds`` each turn times one call; with it, a batch of calls lasting
    about ``seconds``, its size calibrated in wall time after the warm-up.
    """
    first, calls = {}, {}
    for name, fn in runs.items():
        first[name] = fn()
        calls[name] = 1
        if seconds is not None:
            start, n = time.perf_counter(), 0
            while time.perf_counter() - start < seconds / 3:  # calibration: wall time is fine
                fn()
                n += 1
            calls[name] = max(1, int(n * 3))
    times = {name: [] for name in runs}
    for _ in range(repeats):
        for name, fn in runs.items():
            t0 = CLOCK["now"]()
            for _ in range(calls[name]):
                fn()
            times[name].append((CLOCK["now"]() - t0) / calls[name])
    return first, times


def min_median(times: dict, per: int = 1) -> dict:
    """name -> (minimum, median) of its times, each divided by ``per`` (e.g. epochs per run)."""
    return {name: (min(t) / per, statistics.median(t) / per) for name, t in times.items()}
