"""The `backprop-verify check` command: exit codes, text and JSON output."""

import json

from numeric.cli import main

GOOD = r"\nabla_{W_i} f = \Delta_i \cdot \Sigma_{i-1}^T"
BAD = r"\nabla_{W_i} f = \Delta_i \cdot \Sigma_i^T"


def test_exit_zero_when_all_hold(capsys):
    assert main(["check", GOOD, "--max-depth", "2"]) == 0
    assert "proved" in capsys.readouterr().out


def test_exit_one_when_a_formula_fails(capsys):
    assert main(["check", GOOD, BAD, "--max-depth", "2"]) == 1
    out = capsys.readouterr().out
    assert "fails" in out and "1/2 formulas proved for every architecture" in out


def test_json_output(capsys):
    assert main(["check", "--json", "--notation", "tutorial", "--max-depth", "2",
                 r"dW^{(l)} = \frac{1}{m} \delta^{(l)} (a^{(l-1)})^T"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)
    assert entry["status"] == "proved" and entry["notation"] == "tutorial"


def test_syntax_error_is_one_line_and_status_two(capsys):
    assert main(["check", r"\Delta_i = W_i \cdot"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "Traceback" not in err


def test_file_argument(tmp_path, capsys):
    path = tmp_path / "formulas.txt"
    path.write_text(GOOD + "\n" + BAD + "\n", encoding="utf-8")
    assert main(["check", str(path), "--max-depth", "2", "--json"]) == 1
    assert [e["line"] for e in json.loads(capsys.readouterr().out)] == [1, 2]


def test_dash_reads_formulas_from_standard_input(monkeypatch, capsys):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("\\Delta_k = \\Sigma'_k\n\\Delta_i = \\Sigma'_i\n"))
    assert main(["check", "-"]) == 1
    out = capsys.readouterr().out
    assert "line 1: " in out and "line 2: " in out and "1/2 formulas proved" in out
