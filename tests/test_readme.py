"""Every example of README.md is run and its printed output compared, so the page cannot go stale.

```console blocks: each ``$ backprop-verify ...`` line is run through :func:`numeric.cli.main` (in a
temporary directory, one per block) and its standard output must equal the lines below it; a line
``...`` stands for any number of lines. ```pycon blocks are run as doctests.
"""

from __future__ import annotations

import doctest
import re
import shlex
from pathlib import Path

import pytest

from numeric.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"^```(console|pycon)\n(.*?)^```", re.S | re.M)


def _blocks(kind: str) -> list[str]:
    return [body for k, body in BLOCK.findall(README.read_text(encoding="utf-8")) if k == kind]


def _sessions(body: str) -> list[tuple[str, list[str]]]:
    """(command, expected output lines) for each ``$`` line of a console block."""
    out: list[tuple[str, list[str]]] = []
    for line in body.rstrip("\n").split("\n"):
        if line.startswith("$ "):
            out.append((line[2:], []))
        elif out:
            out[-1][1].append(line)
    return out


def _matches(expected: list[str], got: list[str]) -> bool:
    """``got`` equals ``expected`` where each ``...`` line matches any run of lines."""
    if not expected:
        return not got
    if expected[0] == "...":
        return any(_matches(expected[1:], got[k:]) for k in range(len(got) + 1))
    return bool(got) and got[0].rstrip() == expected[0].rstrip() and _matches(expected[1:], got[1:])


CONSOLE = _blocks("console")


@pytest.mark.parametrize("body", CONSOLE, ids=[f"console-{n}" for n in range(len(CONSOLE))])
def test_readme_console_example_prints_what_the_readme_shows(body, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "samples.csv").write_text("1,0,0\n0,1,1\n", encoding="utf-8")
    for command, expected in _sessions(body):
        argv = shlex.split(command)
        assert argv[0] == "backprop-verify", command
        main(argv[1:])
        got = capsys.readouterr().out.rstrip("\n").split("\n") if expected else []
        assert _matches(expected, got), f"$ {command}\n--- README shows:\n" + "\n".join(expected) + \
            "\n--- printed:\n" + "\n".join(got)


@pytest.mark.parametrize("body", _blocks("pycon"))
def test_readme_python_example_runs_as_shown(body):
    test = doctest.DocTestParser().get_doctest(body, {}, "README", str(README), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.failures == 0, f"README example failed:\n{body}"


def test_readme_has_examples_and_no_stale_verdict_words():
    text = README.read_text(encoding="utf-8")
    assert len(CONSOLE) >= 5 and _blocks("pycon")
    assert "holds exactly on 120" not in text and "SPEED_TABLE" not in text
