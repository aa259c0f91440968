"""Progress on long work: a bar on stderr only (off with --quiet), results printed as they are decided."""

from __future__ import annotations

import io
import json
import re
import sys

import pytest

import derivations.checker.files as files
from derivations.checker import check_text
from numeric.cli import main

FORMULAS = "\n".join([
    r"\Delta_i = (W_{i+1}^T \cdot \Delta_{i+1}) \circ \Sigma'_i",
    "# a comment",
    r"\nabla_{W_i} f = \Delta_i \cdot \Sigma_i^T",
    r"\nabla_{W_i} f = \Delta_i \cdot",
    r"\nabla_{W_i} f = \Delta_i \cdot \Sigma_{i-1}^T",
])
BAR_MARK = "|"  # tqdm's bar frame; no result line of these formulas contains it


class _Terminal(io.StringIO):
    """A stderr that says it is a terminal, so tqdm's disable=None leaves the bar on."""

    def isatty(self) -> bool:
        return True


def _terminals(monkeypatch) -> tuple[io.StringIO, _Terminal]:
    """(stdout, stderr): stderr a terminal, and the bar shows at once (no 2 s delay).

    Called in the test body: pytest's capture puts its own streams back after fixtures have run.
    """
    out, err = io.StringIO(), _Terminal()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr("numeric.progress.DELAY", 0.0)
    return out, err


@pytest.fixture
def formula_file(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text(FORMULAS, encoding="utf-8")
    return str(path)


def test_check_shows_a_bar_on_a_terminal_stderr_and_never_on_stdout(formula_file, monkeypatch):
    out, err = _terminals(monkeypatch)
    main(["check", formula_file, "--max-depth", "2"])
    assert "check:" in err.getvalue() and "/4 [" in err.getvalue()  # total: the 4 formulas
    assert "check:" not in out.getvalue() and BAR_MARK not in out.getvalue()
    assert "2/4 formulas proved" in out.getvalue()


def test_check_quiet_writes_nothing_on_stderr(formula_file, monkeypatch):
    out, err = _terminals(monkeypatch)
    main(["check", formula_file, "--max-depth", "2", "--quiet"])
    assert err.getvalue() == ""
    assert "2/4 formulas proved" in out.getvalue()


def test_report_quiet_writes_nothing_on_stderr_and_the_bar_otherwise(monkeypatch):
    out, err = _terminals(monkeypatch)
    args = ["report", "--widths", "2,1", "--no-affine", "--json"]
    assert main([*args, "--quiet"]) == 0
    assert err.getvalue() == ""
    json.loads(out.getvalue())
    out.truncate(0), out.seek(0)
    main(args)
    assert "report:" in err.getvalue()
    json.loads(out.getvalue())  # stdout is the JSON alone


def test_check_file_results_keep_the_order_and_text_of_check_text(formula_file, capsys):
    expected = [r.summary() for r in check_text(FORMULAS, max_depth=2)]
    assert main(["check", formula_file, "--max-depth", "2"]) == 1
    captured = capsys.readouterr()
    lines = captured.out.strip().split("\n")
    assert "\n".join(lines[:-1]) == "\n".join(expected), captured.out
    assert lines[-1] == "2/4 formulas proved for every architecture (paper notation)"
    assert BAR_MARK not in captured.out and captured.err == ""


def test_check_prints_each_result_before_the_next_formula_is_checked(formula_file, monkeypatch):
    out, printed_before = io.StringIO(), []
    real_check = files.check

    def spy(*args, **kwargs):
        printed_before.append(len(re.findall(r"^line \d+:", out.getvalue(), re.M)))
        return real_check(*args, **kwargs)

    monkeypatch.setattr(files, "check", spy)
    monkeypatch.setattr(sys, "stdout", out)
    main(["check", formula_file, "--max-depth", "2", "--quiet"])
    assert printed_before == [0, 1, 2, 3]


def test_check_json_prints_one_document_at_the_end(formula_file, capsys):
    main(["check", formula_file, "--max-depth", "2", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert [d["line"] for d in data] == [1, 3, 4, 5]


def test_report_widths_restrict_the_sweep_to_those_architectures(capsys):
    main(["report", "--widths", "2,1;2,2,1", "--no-affine", "--json", "--quiet"])
    data = json.loads(capsys.readouterr().out)
    swept = [tuple(a) for s in data["sweeps"].values() for a in s["architectures"]]
    assert swept and set(swept) == {(2, 1), (2, 2, 1)}
    assert {c["architecture"] for c in data["cells"]} == {"[2,1] sigma", "[2,2,1] sigma"}
    assert data["sweep_bounds"].startswith("listed: [2,1], [2,2,1]")


def test_report_bounds_given_with_widths_sweep_the_bounds(capsys):
    main(["report", "--widths", "2,1", "--max-depth", "2", "--max-width", "2", "--no-affine", "--json", "-q"])
    data = json.loads(capsys.readouterr().out)
    swept = {tuple(a) for s in data["sweeps"].values() for a in s["architectures"]}
    assert (1, 1) in swept and (2, 2, 1) in swept
