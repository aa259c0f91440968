"""Benchmark: CPU time of the exact check, the building block of every proof and sweep, and of start-up.

Run: ``python benchmarks/bench_sweep.py`` (``--repeats 5``; ``--widths 8,8,8,8,8,1``; ``--only registry``).

Six tasks, each timed in CPU seconds (user + system: ``time.process_time`` of this process plus
``getrusage(RUSAGE_CHILDREN)`` of the commands it starts), interleaved over the repeats (registry,
report, check, help, check-cli, report-cli, registry, ...) so that machine noise spreads evenly:

* ``registry``: every registry formula that applies, verified on one architecture (default
  [8,8,8,8,1], abstract sigma) with ``derivations.registry.verify(name, architecture)``;
* ``report``: ``derivations.report.paper_report()`` with its defaults;
* ``check``: ``derivations.checker.check`` on five fixed formulas of the paper, proof mode;
* ``help``: a whole ``python -m numeric.cli --help`` process (the console script's start-up);
* ``check-cli``: a whole ``python -m numeric.cli check`` process on one formula (README's first one):
  start-up, imports, the proof, the exit (target: <= 1 s of CPU);
* ``report-cli``: a whole ``python -m numeric.cli report`` process (target: <= 10 s of CPU);
* ``note-cli``: a whole ``python -m numeric.cli check --notation auto note.tex`` process on a 200-line
  LaTeX note (preamble, sections, prose) holding 30 equations, the first 30 dlai formulas of the test
  corpora that hold or fail (target: <= 30 s of CPU).

Before every timed call SymPy's cache and every memo of derivations (``functools.lru_cache``: networks,
the checker's proofs the report reuses) are cleared, so each in-process time is "after import", cold
(one untimed warm-up call per task loads the modules and builds the parser). The table gives the
min and median over the repeats, the date, commit, Python and SymPy versions, and the load average
before and after the run (a busy machine inflates CPU time too, through caches and frequency).
Threads are pinned to 1 by assignment before any import (the commands started inherit it).
The three process tasks run as this Python runs them: with ``PYTHONDONTWRITEBYTECODE=1`` set, every
module of the project is compiled anew in each process (about 0.1 s more than with .pyc files).
"""

from __future__ import annotations

import argparse
import importlib
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_proofs import machine

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS",
             "VECLIB_MAXIMUM_THREADS"):
    os.environ[_var] = "1"  # by assignment, before NumPy/SymPy/SymEngine are imported

TARGET = 3.0  # CPU seconds: every registry formula on [8,8,8,8,1] (issue "Robust edges", item 4)
CLI_TARGET = 1.0  # CPU seconds: one formula checked from the shell, the whole process (item 1)
REPORT_TARGET = 10.0  # CPU seconds: the whole report command (item 4)
NOTE_TARGET = 30.0  # CPU seconds: a 200-line note with 30 formulas (issue "Read real lecture notes")
NOTE = Path(tempfile.gettempdir()) / "bench_sweep_note.tex"
CLI_FORMULA = r"\Delta_i = (W_{i+1}^T \Delta_{i+1}) \circ \Sigma'_i"

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
    """Empty SymPy's cache and every memo of derivations (networks, proofs the report reuses, activation
    templates): each timed call starts cold. The grammar's parser stays built (part of start-up)."""
    import sys

    from sympy.core.cache import clear_cache

    importlib.import_module("derivations.checker.check")
    for name, module in list(sys.modules.items()):
        if not name.startswith("derivations") or module is None:
            continue
        for value in list(vars(module).values()):
            if callable(getattr(value, "cache_clear", None)) and getattr(value, "__module__", "") == name \
                    and value.__name__ != "parser":
                value.cache_clear()
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


def _command(*args: str) -> str:
    """Run ``python -m numeric.cli ARGS`` (stdout kept, checked); returns its last line."""
    proc = subprocess.run([sys.executable, "-m", "numeric.cli", *args], capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"numeric.cli {' '.join(args)} ended with {proc.returncode}: {proc.stderr[-300:]}")
    return proc.stdout.strip().splitlines()[-1][:60]


def task_help(widths: tuple[int, ...]) -> str:
    """One whole ``--help`` process."""
    _command("--help")
    return "usage printed"


def task_check_cli(widths: tuple[int, ...]) -> str:
    """One whole ``check`` process on one formula."""
    return _command("check", CLI_FORMULA)


def task_report_cli(widths: tuple[int, ...]) -> str:
    """One whole ``report`` process (what ``time backprop-verify report`` shows)."""
    _command("report", "--quiet")
    return "report printed"


def write_note(path: Path, lines: int = 200, formulas: int = 30) -> None:
    """A LaTeX note of ``lines`` lines: a preamble, a section every ten formulas, a prose line before each
    equation environment, filler prose to the length; the equations are the first ``formulas`` dlai
    formulas of tests/checker/profile_corpus.py and extended_corpus.py that hold or fail."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.checker.extended_corpus import EXTENDED
    from tests.checker.profile_corpus import PROFILE_CORPUS

    chosen = [c.latex for c in (*PROFILE_CORPUS, *EXTENDED) if c.notation == "dlai" and c.expected in
              ("holds", "fails")][:formulas]
    out = ["\\documentclass{article}", "\\usepackage{amsmath}", "\\begin{document}"]
    for k, latex in enumerate(chosen):
        if k % 10 == 0:
            out.append(f"\\section{{Backward propagation, part {k // 10 + 1}}}")
        out += [f"The gradient of step {k + 1}, in the course's notation, is", "\\begin{equation}", latex,
                "\\end{equation}"]
    out += [f"Prose line {n} of the note, with no formula in it." for n in range(lines - len(out) - 1)]
    path.write_text("\n".join([*out, "\\end{document}"]) + "\n", encoding="utf-8")


def task_note_cli(widths: tuple[int, ...]) -> str:
    """One whole ``check --notation auto`` process on the 200-line note."""
    return _command("check", "--quiet", "--notation", "auto", str(NOTE))


TASKS = {"registry": task_registry, "report": task_report, "check": task_check, "help": task_help,
         "check-cli": task_check_cli, "report-cli": task_report_cli, "note-cli": task_note_cli}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(task, widths: tuple[int, ...]) -> tuple[float, str]:
    _clear()
    start, children = time.process_time(), _children_cpu()
    summary = task(widths)
    return time.process_time() - start + _children_cpu() - children, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per task (default 3)")
    parser.add_argument("--widths", default="8,8,8,8,1", help="architecture of the registry task")
    parser.add_argument("--only", choices=list(TASKS), action="append", help="run only these tasks")
    args = parser.parse_args()
    widths = tuple(int(w) for w in args.widths.split(","))
    names = args.only or list(TASKS)
    before = machine()
    print(" ".join(f"{k}={v}" for k, v in before.items()), flush=True)
    load_before = before["load"]
    if "note-cli" in names:
        write_note(NOTE)
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
    if "report-cli" in names:
        verdict = "met" if statistics.median(times["report-cli"]) <= REPORT_TARGET else "missed"
        print(f"target: backprop-verify report <= {REPORT_TARGET:.0f} s CPU (median): {verdict}")
    if "note-cli" in names:
        verdict = "met" if statistics.median(times["note-cli"]) <= NOTE_TARGET else "missed"
        print(f"target: a 200-line note with 30 formulas, --notation auto, <= {NOTE_TARGET:.0f} s CPU (median): "
              f"{verdict}")
    if "check-cli" in names:
        verdict = "met" if statistics.median(times["check-cli"]) <= CLI_TARGET else "missed"
        print(f"target: one formula checked from the shell <= {CLI_TARGET:.0f} s CPU (median): {verdict}")


if __name__ == "__main__":
    main()
