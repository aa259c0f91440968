"""Benchmark: proof mode against sweep mode of the checker, on every formula of both corpora.

Run: ``python benchmarks/bench_proofs.py`` (``--repeats 5``; ``--json`` prints one JSON document instead).

For each formula of tests/checker/corpus.py and tests/checker/profile_corpus.py, in one process:
``check(latex, notation=..., sweep=False)`` (a proof for every architecture, the default) and
``check(..., sweep=True)`` (depths 1-4, widths 1-3, n_k = 1, the profile's batch m), interleaved
(proof, sweep, proof, sweep ...), ``--repeats`` times, after one warm-up call per notation in each
mode. Times are CPU seconds of this process (``time.process_time``: user + system, so other jobs on a
shared machine inflate them less than wall time). Before every timed call the checker's network cache
and SymPy's cache are cleared, so each time is one formula "after import" (the parser and lazy
imports are warm). A formula's time is its
median over the repeats (its min too for the target); the sweep/proof ratio pairs the two calls
made back to back, so machine noise mostly cancels. Threads are pinned to 1 before any import.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS",
             "VECLIB_MAXIMUM_THREADS"):
    os.environ[_var] = "1"  # by assignment, before NumPy/SymPy/SymEngine are imported

ROOT = Path(__file__).resolve().parents[1]
TARGET = 2.0  # seconds: "proving any single formula of the corpus <= 2 s on one core after import"
STATUSES = {"proved": "proved", "holds on the sweep only": "sweep-only", "fails": "fails",
            "ambiguous": "ambiguous", "undecided": "undecided", "error": "error", "crash": "crash"}


def _formulas() -> list[tuple[str, str, str, dict]]:
    """(label, notation, latex, options) for both corpora; a case's options (order, k = 4) are kept."""
    sys.path.insert(0, str(ROOT))
    from tests.checker.corpus import CORPUS
    from tests.checker.profile_corpus import PROFILE_CORPUS

    rows = [(f"corpus/{c.description[:50]}", c.notation, c.latex, dict(c.options)) for c in CORPUS]
    return rows + [(f"{c.notation}/{c.description.split(':', 1)[0][:50]}", c.notation, c.latex, {})
                   for c in PROFILE_CORPUS]


def _run(check, clear, notation: str, latex: str, options: dict, sweep: bool) -> tuple[float, str, tuple]:
    """CPU seconds, status and per-reading verdict words of one cold call of check()."""
    from derivations.errors import BackpropVerifyError

    clear()
    start = time.process_time()
    try:
        result = check(latex, notation=notation, sweep=sweep, **options)
    except BackpropVerifyError:
        return time.process_time() - start, "error", ()
    except Exception as err:  # a crash is a finding, not a reason to stop the run
        return time.process_time() - start, f"crash ({type(err).__name__}: {str(err)[:60]})", ()
    seconds = time.process_time() - start
    return seconds, result.status, tuple((name, r.verdict_word) for name, r in result.readings)


def _word(status: str) -> str:
    return "holds" if status in ("proved", "holds on the sweep only") else status.split(" (")[0]


def _agreement(proof: tuple, sweep: tuple) -> str:
    """'' when the modes agree on holds/fails, 'past' when only the proof finds a failure, else 'DISAGREE'."""
    pairs = list(zip((_word(w) for _, w in proof[2]), (_word(w) for _, w in sweep[2]), strict=False))
    pairs.append((_word(proof[1]), _word(sweep[1])))
    if all(a == b for a, b in pairs):
        return ""
    return "past" if all(a == b or (a, b) == ("fails", "holds") for a, b in pairs) else "DISAGREE"


def measure(formulas: list, repeats: int) -> list[dict]:
    from sympy.core.cache import clear_cache

    from derivations.checker import check
    from derivations.checker.check import _network

    def clear() -> None:
        _network.cache_clear()
        clear_cache()

    for notation in dict.fromkeys(f[1] for f in formulas):  # warm-up: one formula per notation, both modes
        first = next(f for f in formulas if f[1] == notation)
        for sweep in (False, True):
            _run(check, clear, notation, first[2], first[3], sweep)
    rows = [{"label": f[0], "notation": f[1], "latex": f[2], "proof": [], "sweep": []} for f in formulas]
    for _ in range(repeats):
        for row, (_, notation, latex, options) in zip(rows, formulas, strict=True):
            row["proof"].append(_run(check, clear, notation, latex, options, False))
            row["sweep"].append(_run(check, clear, notation, latex, options, True))
    for row in rows:
        for mode in ("proof", "sweep"):
            times = [r[0] for r in row[mode]]
            row[f"{mode}_s"], row[f"{mode}_min_s"] = statistics.median(times), min(times)
            row[f"{mode}_status"] = row[mode][0][1]
        row["ratio"] = statistics.median(s[0] / p[0] for p, s in zip(row["proof"], row["sweep"], strict=True))
        row["agreement"] = _agreement(row["proof"][0], row["sweep"][0])
        row["stable"] = all(len({r[1:] for r in row[m]}) == 1 for m in ("proof", "sweep"))
        del row["proof"], row["sweep"]
    return rows


def machine() -> dict:
    import importlib.metadata as md
    import subprocess

    def git(*cmd: str) -> str:
        return subprocess.run(["git", *cmd], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    dirty = len(git("status", "--porcelain", "--", "derivations").splitlines())
    return {"commit": f"{git('rev-parse', '--short', 'HEAD')}+{dirty} changed files in derivations/",
            "nproc": os.cpu_count(), "python": platform.python_version(), "sympy": md.version("sympy"),
            "symengine": md.version("symengine"), "date": datetime.datetime.now().isoformat(timespec="seconds"),
            "load": os.getloadavg()}


def _summary(rows: list[dict], repeats: int) -> None:
    n = len(rows)
    print(f"\n{n} formulas, {repeats} repeats, CPU seconds per formula = median over repeats, cold caches\n")
    print("| mode | " + " | ".join(STATUSES.values()) + " | min | median | max | total |")
    print("|---" * (len(STATUSES) + 5) + "|")
    for mode in ("proof", "sweep"):
        counts = [sum(r[f"{mode}_status"].split(" (")[0] == s for r in rows) for s in STATUSES]
        t = sorted(r[f"{mode}_s"] for r in rows)
        print(f"| {mode} | " + " | ".join(map(str, counts)) +
              f" | {t[0]:.3f} s | {statistics.median(t):.3f} s | {t[-1]:.3f} s | {sum(t):.1f} s |")
    ratios = sorted(r["ratio"] for r in rows)
    total = sum(r["sweep_s"] for r in rows) / sum(r["proof_s"] for r in rows)
    print(f"\nsweep/proof: median of per-formula paired ratios {statistics.median(ratios):.2f}x "
          f"(min {ratios[0]:.2f}x, max {ratios[-1]:.2f}x); ratio of totals {total:.2f}x")
    print("\n10 slowest formulas in proof mode (median, min over repeats):")
    for r in sorted(rows, key=lambda r: -r["proof_s"])[:10]:
        print(f"  {r['proof_s']:6.2f} s  {r['proof_min_s']:6.2f} s  {r['proof_status']:<24}  {r['label']}")
    past = [r for r in rows if r["agreement"] == "past"]
    bad = [r for r in rows if r["agreement"] == "DISAGREE"]
    print(f"\nmodes disagree on holds/fails: {len(bad)} (must be 0); "
          f"failures found by the proof past the sweep: {len(past)}")
    for r in bad + past:
        print(f"  {r['agreement'] or '?'}: proof {r['proof_status']}, sweep {r['sweep_status']}: {r['label']}"
              f"\n      {r['latex']}")
    unstable = [r["label"] for r in rows if not r["stable"]]
    if unstable:
        print(f"\nstatus changed between repeats: {unstable}")
    worst_min, worst_med = max(rows, key=lambda r: r["proof_min_s"]), max(rows, key=lambda r: r["proof_s"])
    verdict = "PASS" if worst_min["proof_min_s"] <= TARGET else "FAIL"
    print(f"\ntarget: any single formula <= {TARGET:.0f} s on one core after import (proof mode): {verdict}, "
          f"max {worst_min['proof_min_s']:.2f} s (min over repeats; {worst_min['label']}); "
          f"max of medians {worst_med['proof_s']:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="timed (proof, sweep) pairs per formula")
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of tables")
    parser.add_argument("--limit", type=int, default=None, help="only the first N formulas (smoke test)")
    args = parser.parse_args()
    if args.repeats < 1:
        parser.error(f"--repeats must be at least 1, got repeats={args.repeats!r}")
    before = machine()
    if not args.json:
        print(" ".join(f"{k}={v}" for k, v in before.items()), flush=True)
    start = time.perf_counter()
    rows = measure(_formulas()[:args.limit], args.repeats)
    wall, after = time.perf_counter() - start, os.getloadavg()
    if args.json:
        print(json.dumps({"machine": before, "load_after": after, "repeats": args.repeats, "wall_s": wall,
                          "target_s": TARGET, "formulas": rows}, indent=1))
        return
    _summary(rows, args.repeats)
    print(f"\nwall {wall:.0f} s; load average before {before['load']}, after {after}")


if __name__ == "__main__":
    main()
