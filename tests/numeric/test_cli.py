"""The console script's edges: light --help/--version, quiet broken pipes, Ctrl-C, paths it reports."""

from __future__ import annotations

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
