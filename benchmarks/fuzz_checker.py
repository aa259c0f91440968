"""Fuzz ``derivations.checker.check()``: every input must end in a verdict or one of our errors, in time.

Three kinds of input, in equal parts:

* ``random``: random text (LaTeX pieces, ASCII, control characters, any Unicode) and random bytes;
* ``grammar``: strings of the checker's own grammar (Hypothesis ``from_lark`` on ``grammar.lark``);
* ``mutation``: real formulas from ``tests/checker/profile_corpus.py`` with pieces inserted, deleted,
  repeated (``^T^T...``, long digits, huge layer offsets), lines joined, ``\\leftarrow`` chains.

A fraction of inputs also carries odd options (depth/width bounds, batch, activations such as
``[None]``) or a user TOML profile (``notation_from_toml``) with mutated values.

Each input runs in a worker process (a pool of ``--jobs``) under a timer and an address-space limit;
the run counts clean verdicts, our errors (``BackpropVerifyError``), uncaught exceptions (by kind,
with examples) and inputs over the time limit. The limit counts the worker's CPU time by default
(``--clock cpu``: ``ITIMER_PROF``, user + system, so a busy machine does not turn slow inputs into
hangs); ``--clock wall`` counts wall time (``ITIMER_REAL``). ``--json`` keeps each example's whole
text (up to 20,000 characters), so every slow or uncaught input can be rerun as it was.

    python benchmarks/fuzz_checker.py --n 20000 --seed 1
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import signal
import sys
import time
import traceback
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PIECES = [r"\nabla_{W_i} f", r"\Delta_i", r"\Delta_{i+1}", r"W_{i+1}^T", r"\Sigma'_i", r"\Sigma_{i-1}^T",
          "=", r"\cdot", r"\circ", r"\odot", r"\bullet", r"\otimes", "(", ")", "{", "}", "_", "^", "'",
          r"\frac{1}{m}", r"\sum_{s=1}^{m}", "+", "-", "k", r"\widehat{", r"\hat", r"\operatorname{diag}",
          ";", ",", "X", "1", r"\foo", "@", " ", r"\\", r"\quad", r"\leftarrow", "^T", "^{[l]}", "^{(l)}",
          "_{l+1}", r"\delta", "W", "b", "z", "a", r"\sigma'", "g", r"\partial", r"\frac{\partial J}{\partial",
          "$", r"\[", r"\]", "\t", "\r", "\x0c", "\n", r"\;", r"\,", r"\left(", r"\right)", "&", "0", "-39"]
NOTATIONS = ["paper", "tutorial", "nielsen", "dlai", "ufldl", "coursera", "cs229", "cs231n", "d2l",
             "rowmajor", "auto"]
TOML_VALUES = ['"abc"', "inf", "nan", "[1]", "5", "-1", "0", "1000000000", "true", '""', "{}", "1.5",
               "-99999999999999999", '"columns"', '"rows"', '["_", "^"]', '["x"]', "[[1]]"]
MAX_GENERATED = 300_000
"""Longest generated input (characters): past every cap of check(), short enough to hold 100,000."""
SIGMA = '"Sigma"'
TOML_KEYS = ["index_offset", "index_styles", "batch", "layout", "last_layer", "last_offset", "form",
             "output_activation", "output_width", "order", "star", "fixed_depth", "batch_if_summed",
             "hidden_activation", "delta_objective", "default_loss", "juxtaposition", "top_seed"]


# -- generators ---------------------------------------------------------------------------------
def random_inputs(rng: random.Random, n: int) -> list[str | bytes]:
    out: list[str | bytes] = []
    for _ in range(n):
        roll = rng.random()
        if roll < 0.4:
            out.append(" ".join(rng.choice(PIECES) for _ in range(rng.randint(0, 30))))
        elif roll < 0.7:
            out.append("".join(chr(rng.randint(0, 127)) for _ in range(rng.randint(0, 80))))
        elif roll < 0.9:
            out.append("".join(chr(rng.randint(0, 0x2FFFF)) for _ in range(rng.randint(0, 60)))
                       .encode("utf-8", "replace").decode("utf-8", "replace"))
        else:
            out.append(bytes(rng.randint(0, 255) for _ in range(rng.randint(0, 60))))
    return out


def grammar_inputs(seed: int, n: int) -> list[str]:
    """``n`` strings of grammar.lark drawn by Hypothesis (seeded, no database)."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hyp_seed
    from hypothesis.extra.lark import from_lark

    from derivations.checker.parse import parser

    out: list[str] = []

    @hyp_seed(seed)
    @settings(max_examples=n, database=None, phases=[Phase.generate], deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(from_lark(parser()))
    def draw(text):
        out.append(text)

    draw()
    return out[:n]


def _corpus() -> list[tuple[str, str]]:
    sys.path.insert(0, str(ROOT))
    from tests.checker.profile_corpus import PROFILE_CORPUS
    return [(c.notation, c.latex) for c in PROFILE_CORPUS]


def _mutate(rng: random.Random, text: str, corpus: list[tuple[str, str]]) -> str:
    for _ in range(rng.randint(1, 4)):
        roll, at = rng.random(), rng.randint(0, len(text))
        if roll < 0.2:
            text = text[:at] + rng.choice(PIECES) + text[at:]
        elif roll < 0.35 and text:
            end = min(len(text), at + rng.randint(1, 10))
            text = text[:at] + text[end:]
        elif roll < 0.45:
            text = text[:at] + rng.choice(["^T", "'", "^{T}", "{", "(", r"\hat{", "-"]) * rng.choice(
                [10, 100, 1000, 3000]) + text[at:]
        elif roll < 0.55:
            digits = "".join(rng.choice("0123456789") for _ in range(rng.choice([3, 10, 100, 4301, 6000])))
            text = text[:at] + rng.choice(["", "{i+", "{l-", "{[", "_{"]) + digits + text[at:]
        elif roll < 0.62:
            text = text.replace("l", "l+" + str(rng.choice([99, 99999, 10 ** 12])), 1) \
                .replace("i", "i+" + str(rng.choice([65, 99999, 111111111])), 1)
        elif roll < 0.72:
            other = rng.choice(corpus)[1]
            text = text + rng.choice([", ", r" \quad ", r" \\ ", " \n "]) + other
        elif roll < 0.78:
            text = (text + r" \\ ") * rng.choice([2, 20, 200, 2000])
        elif roll < 0.85:
            # a chain of definitions, each doubling the next
            k = rng.randint(2, 30)
            defs = [r"g \leftarrow a + a"] + [f"g{c} \\leftarrow g + g" for c in "abcdefghijklmnopqrstuvwxyz"][:k]
            text = ", ".join(defs) + ", " + text
        elif roll < 0.92:
            text = text[:at] + chr(rng.randint(0, 0x10FFFF) % 0xD800) + text[at:]
        else:
            text = text[:at] + text[at:][::-1]
        text = text[:MAX_GENERATED]  # repeated repeats would grow without bound (and fill the memory)
    return text


def mutation_inputs(rng: random.Random, n: int) -> list[tuple[str, str]]:
    corpus = _corpus()
    out = []
    for _ in range(n):
        notation, text = rng.choice(corpus)
        out.append((notation, _mutate(rng, text, corpus)))
    return out


def _options(rng: random.Random) -> dict:
    roll = rng.random()
    if roll < 0.8:
        return {}
    choices = {
        "max_depth": [0, 1, 2, 6, 1000000000, -1, "3", 2.5, None],
        "min_depth": [0, 1, 3, 10 ** 9, None],
        "max_width": [1, 2, 4, 10 ** 9, 0, None],
        "min_width": [1, 2, -3],
        "batch": [1, 3, 1000000000, 0, -2, "2", 10 ** 6],
        "output_width": [1, 2, 10 ** 9, 0],
        "activations": [[None], ["sigma", None], ["relu"], ["nope"], "tanh", [], [1], ["sigmoid", "relu"]],
        "order": ["left", "right", "standard", "bogus", 3],
        "form": ["affine", "homogeneous", "bogus", None],
        "sweep": [True, False],
    }
    keys = rng.sample(sorted(choices), rng.randint(1, 3))
    return {k: rng.choice(choices[k]) for k in keys}


def _toml(rng: random.Random) -> str:
    lines = ['name = "fuzz"', f'base = "{rng.choice(NOTATIONS[:-1])}"']
    for key in rng.sample(TOML_KEYS, rng.randint(1, 3)):
        lines.append(f"{key} = {rng.choice(TOML_VALUES)}")
    if rng.random() < 0.3:
        lines.append(f"[offsets]\n{rng.choice(['W', 'Delta', 'b', 'Q'])} = {rng.choice(TOML_VALUES)}")
    if rng.random() < 0.2:
        lines.append(f"[symbols]\n{rng.choice(['h', 'W', 'Q'])} = {rng.choice(TOML_VALUES + [SIGMA])}")
    return "\n".join(lines)


def crossovers(rng: random.Random, drawn: list[str], n: int) -> list[str]:
    """``n`` more grammar strings: the side of one drawn string with the side of another (Hypothesis
    draws from this grammar slowly, ~0.1 s each, so only ``--grammar-draws`` are drawn)."""
    sides = [side for text in drawn for side in text.split("=") if side.strip()] or ["a"]
    rels = [text[len(text.split("=")[0]):][:1] or "=" for text in drawn] or ["="]
    return [rng.choice(sides) + rng.choice(rels) + rng.choice(sides) for _ in range(n)]


def generate(n: int, seed: int, grammar_draws: int = 1000) -> list[dict]:
    """``n`` inputs ({"kind", "text", "notation", "options", "toml"}), a third of each kind."""
    rng = random.Random(seed)
    third = n // 3
    items = [{"kind": "random", "text": t, "notation": rng.choice(NOTATIONS)}
             for t in random_inputs(rng, third)]
    drawn = grammar_inputs(seed, min(third, grammar_draws)) if third else []
    items += [{"kind": "grammar", "text": t, "notation": rng.choice(NOTATIONS)}
              for t in drawn + crossovers(rng, drawn, third - len(drawn))]
    items += [{"kind": "mutation", "text": t, "notation": nota}
              for nota, t in mutation_inputs(rng, n - len(items))]
    for item in items:
        item["options"] = _options(rng)
        item["toml"] = _toml(rng) if rng.random() < 0.03 else None
    rng.shuffle(items)
    return items[:n]


# -- running ------------------------------------------------------------------------------------
class _Timeout(BaseException):
    pass


def _alarm(signum, frame):
    raise _Timeout()


_CLOCKS = {"cpu": (signal.ITIMER_PROF, signal.SIGPROF), "wall": (signal.ITIMER_REAL, signal.SIGALRM)}


def _init(timeout: int, memory_mb: int, clock: str = "cpu") -> None:
    import gc
    gc.callbacks.clear()  # Hypothesis's gc timer (inherited from the parent) swallows the alarm
    _init.timer, signum = _CLOCKS[clock]
    signal.signal(signum, _alarm)
    if memory_mb:
        import resource
        # on top of what the forked worker already maps (RLIMIT_AS counts virtual memory)
        status = Path("/proc/self/status")
        mapped = next((int(line.split()[1]) * 1024 for line in status.read_text().splitlines()
                       if line.startswith("VmSize:")), 0) if status.exists() else 0
        limit = mapped + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    _init.timeout = timeout


def run_one(job: tuple[int, dict]) -> tuple[int, str, str, float]:
    """(index, outcome, detail, seconds); outcome: verdict, ours, uncaught, timeout."""
    from derivations.checker import check
    from derivations.checker.toml_profile import notation_from_toml
    from derivations.errors import BackpropVerifyError

    index, item = job
    began = time.perf_counter()
    signal.setitimer(_init.timer, _init.timeout)
    try:
        notation = notation_from_toml(item["toml"]) if item["toml"] else item["notation"]
        result = check(item["text"], notation=notation, **item["options"])
        outcome, detail = "verdict", str(result.holds)
    except _Timeout:
        outcome, detail = "timeout", ""
    except BackpropVerifyError as err:
        outcome, detail = "ours", type(err).__name__
    except BaseException as err:  # noqa: BLE001 - counting what escapes is the point
        frame = traceback.extract_tb(err.__traceback__)[-1] if err.__traceback__ else None
        where = f"{Path(frame.filename).name}:{frame.lineno}" if frame else "?"
        outcome, detail = "uncaught", f"{type(err).__name__}: {str(err)[:120]} @ {where}"
    finally:
        signal.setitimer(_init.timer, 0)
    return index, outcome, detail, time.perf_counter() - began


def run(items: list[dict], *, jobs: int, timeout: int, memory_mb: int, progress: bool = True,
        clock: str = "cpu") -> dict:
    """Run every item; a worker stuck past the alarm (in C code) is killed and counted as a timeout."""
    results: dict[int, tuple[str, str, float]] = {}
    pending = list(range(len(items)))
    began = time.perf_counter()
    while pending:
        pool = mp.get_context("fork").Pool(jobs, initializer=_init, initargs=(timeout, memory_mb, clock),
                                           maxtasksperchild=2000)
        stuck = False
        try:
            it = pool.imap_unordered(run_one, [(i, items[i]) for i in pending], chunksize=1)
            while True:
                try:
                    index, outcome, detail, seconds = it.next(timeout=timeout * 8 + 60)
                except StopIteration:
                    break
                except mp.TimeoutError:
                    stuck = True
                    break
                results[index] = (outcome, detail, seconds)
                if progress and len(results) % 1000 == 0:
                    print(f"  {len(results)}/{len(items)} in {time.perf_counter() - began:.0f} s",
                          file=sys.stderr, flush=True)
        finally:
            pool.terminate()
            pool.join()
        left = [i for i in pending if i not in results]
        if stuck and left:
            # the oldest unfinished inputs hang beyond the alarm: count them, go on with the rest
            for i in left[:jobs * 4]:
                results[i] = ("timeout", "killed (alarm did not fire)", float(timeout))
            left = [i for i in pending if i not in results]
        pending = left
    return results


def summarise(items: list[dict], results: dict, timeout: int) -> dict:
    counts = Counter(outcome for outcome, _, _ in results.values())
    uncaught: dict[str, list] = defaultdict(list)
    slow = []
    for i, (outcome, detail, _seconds) in sorted(results.items()):
        item = items[i]
        example = {"text": item["text"][:20000] if isinstance(item["text"], str) else repr(item["text"][:60]),
                   "length": len(item["text"]), "notation": item["notation"],
                   "options": {k: repr(v) for k, v in item["options"].items()}, "toml": item["toml"]}
        if outcome == "uncaught":
            kind = detail.split(":", 1)[0] + " @ " + detail.rsplit(" @ ", 1)[-1]
            uncaught[kind].append({**example, "error": detail})
        elif outcome == "timeout":
            slow.append(example)
    return {"inputs": len(items), "timeout_s": timeout, "verdicts": counts["verdict"],
            "our_errors": counts["ours"], "uncaught": counts["uncaught"], "over_time": counts["timeout"],
            "uncaught_by_kind": {k: {"count": len(v), "examples": v[:3]} for k, v in
                                 sorted(uncaught.items(), key=lambda kv: -len(kv[1]))},
            "over_time_examples": slow[:10],
            "by_input_kind": {kind: dict(Counter(results[i][0] for i in results if items[i]["kind"] == kind))
                              for kind in ("random", "grammar", "mutation")}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100000, help="number of inputs (default 100000)")
    ap.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    ap.add_argument("--timeout-per-input", type=int, default=10, help="seconds per input (default 10)")
    ap.add_argument("--clock", choices=sorted(_CLOCKS), default="cpu",
                    help="what the time limit counts: the worker's CPU time (default) or wall time")
    ap.add_argument("--grammar-draws", type=int, default=1000,
                    help="grammar strings drawn by Hypothesis; the rest of that third recombines them")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    ap.add_argument("--memory-mb", type=int, default=2048, help="memory a worker may add, MB (0: no limit)")
    ap.add_argument("--json", type=Path, help="also write the summary (with examples) here")
    args = ap.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    began = time.perf_counter()
    items = generate(args.n, args.seed, args.grammar_draws)
    print(f"generated {len(items)} inputs in {time.perf_counter() - began:.0f} s", file=sys.stderr)
    import derivations.checker  # noqa: F401 - imported once, before the workers fork
    results = run(items, jobs=args.jobs, timeout=args.timeout_per_input, memory_mb=args.memory_mb,
                  clock=args.clock)
    summary = summarise(items, results, args.timeout_per_input)
    summary["seconds"] = round(time.perf_counter() - began, 1)
    summary["clock"], summary["load_after"] = args.clock, os.getloadavg()
    print(f"inputs {summary['inputs']}: verdicts {summary['verdicts']}, our errors {summary['our_errors']}, "
          f"uncaught {summary['uncaught']}, over {args.timeout_per_input} s of {args.clock} time "
          f"{summary['over_time']} ({summary['seconds']} s; load average after {summary['load_after']})")
    for kind, info in summary["uncaught_by_kind"].items():
        print(f"  {info['count']:6d}  {kind}\n          e.g. {info['examples'][0]['error'][:150]!r}"
              f"\n          input {info['examples'][0]['text'][:100]!r} {info['examples'][0]['options']}")
    for example in summary["over_time_examples"]:
        print(f"  slow: {example['text'][:100]!r} (len {example['length']}, {example['notation']}, "
              f"{example['options']}, toml={example['toml']!r})")
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1, default=str))
    return 1 if summary["uncaught"] or summary["over_time"] else 0


if __name__ == "__main__":
    sys.exit(main())
