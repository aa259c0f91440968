"""The console script's edges: light --help/--version, quiet broken pipes, Ctrl-C, paths it reports."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import metadata

import numpy as np
import pytest

from numeric.cli import COMMANDS, main
from numeric.cli import train as cli_train
from numeric.io import save_model
from numeric.train import init_model

HEAVY = ("sympy", "numpy", "lark")


def _python(code: str, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120,
                          **kwargs)


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_import_neither_sympy_numpy_nor_lark(flag):
    code = ("import sys\nfrom numeric.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            f"print('loaded:', sorted(m for m in {HEAVY!r} if m in sys.modules))")
    proc = _python(code, flag)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "loaded: []", proc.stdout


def test_version_prints_the_installed_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"backprop-verify {metadata.version('backprop-verify')}"


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert all(name in out for name in COMMANDS)


def test_a_closed_stdout_ends_quietly_with_status_0(tmp_path):
    save_model(tmp_path / "m.npz", init_model((2, 1), "tanh"))
    np.savetxt(tmp_path / "x.csv", np.random.default_rng(0).normal(size=(20000, 2)), delimiter=",")
    proc = subprocess.Popen([sys.executable, "-m", "numeric.cli", "predict", "--model", str(tmp_path / "m.npz"),
                             str(tmp_path / "x.csv")], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()  # `| head -1`: read one line, then close the pipe
    proc.stdout.close()
    _, err = proc.communicate(timeout=120)
    assert float(first) and proc.returncode == 0 and err == b"", err.decode()


def test_ctrl_c_ends_with_one_line_on_stderr_and_status_130(monkeypatch, capsys):
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_train, "cmd_train", interrupted)
    assert main(["train", "--dummy"]) == 130
    assert capsys.readouterr().err == "interrupted\n"


def test_train_reports_the_path_it_really_wrote(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["train", "--dummy", "--epochs", "1", "-o", "model"]) == 0
    assert "model saved to model.npz" in capsys.readouterr().out and (tmp_path / "model.npz").exists()


def test_train_checks_its_outputs_before_training(tmp_path, capsys):
    assert main(["train", "--dummy", "-o", str(tmp_path / "missing" / "m")]) == 2
    out, err = capsys.readouterr()
    assert "epoch" not in out
    assert err == f"error: cannot write the model '{tmp_path / 'missing' / 'm.npz'}': the directory " \
                  f"'{tmp_path / 'missing'}' does not exist\n"


# -- --timeout ------------------------------------------------------------------------------------
SLOW = r"\Delta_i = (W_{i+1}^T \Delta_{i+1}) \circ \Sigma'_i"  # with --sweep --max-depth 5: ~50 s


def test_check_past_its_timeout_ends_with_one_line_and_status_2(capsys):
    assert main(["check", "--timeout", "0.3", "--sweep", "--max-depth", "5", "--quiet", SLOW]) == 2
    out, err = capsys.readouterr()
    assert err == ("error: check ran past the time limit of 0.3 s; raise it with --timeout SECONDS "
                   "(more than 0.3), or without --timeout for no limit\n")
    assert "formulas proved" not in out


def test_report_past_its_timeout_ends_with_one_line_and_status_2(capsys):
    assert main(["report", "--timeout", "0.2", "--quiet"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("error: the report ran past the time limit of 0.2 s; raise it with")


def test_a_timeout_long_enough_changes_nothing(capsys):
    assert main(["check", "--timeout", "600", r"\nabla_{W_i} f = \Delta_i \cdot \Sigma_{i-1}^T"]) == 0
    assert "1/1 formulas proved" in capsys.readouterr().out


@pytest.mark.parametrize("value", ["0", "-2", "nan", "inf"])
def test_a_timeout_that_is_not_a_positive_number_of_seconds_is_refused(value, capsys):
    assert main(["check", "--timeout", value, "a = b"]) == 2
    assert capsys.readouterr().err.startswith("error: --timeout must be a number of seconds > 0, got --timeout=")


# -- the console script ends itself --------------------------------------------------------------
def test_the_script_prints_everything_before_it_ends_and_keeps_its_status():
    proc = subprocess.run([sys.executable, "-m", "numeric.cli", "check", "--json", SLOW,
                           r"\Delta_i = W_{i+1}^T \Delta_{i+1}"], capture_output=True, text=True, timeout=300)
    entries = json.loads(proc.stdout)
    assert [e["holds"] for e in entries] == [True, False] and proc.returncode == 1, proc.stderr


def test_the_script_reads_formulas_from_stdin():
    proc = subprocess.run([sys.executable, "-m", "numeric.cli", "check", "-"], input=SLOW + "\n",
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and "1/1 formulas proved" in proc.stdout, proc.stderr


def test_check_imports_neither_the_latex_writer_nor_the_report():
    code = ("import sys\nfrom numeric.cli import main\nmain(sys.argv[1:])\n"
            "print('loaded:', sorted(m for m in ('derivations.latex', 'derivations.report', 'derivations.registry',"
            " 'derivations.delta_rule') if m in sys.modules))")
    proc = _python(code, "check", SLOW)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "loaded: []", proc.stdout
