"""Generated documents compile with pdflatex, without overfull lines, and hold the formula labels."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from derivations import FileError
from derivations.latex import LatexToolError, compile_pdf, derive, overfull_boxes, pdf_text, render_png
from derivations.latex import pdf as pdf_module

DOCUMENTS = [
    (([2, 2, 1], "sigma", "homogeneous"),
     ["(3)", "(4)", "(5)", "(R)", "(E1)", "Correction", "holds exactly", "proved for every architecture"]),
    (([3, 2, 1], ["tanh", "sigmoid"], "affine"),
     ["(3)", "(4)", "(5)", "(Rb)", "tanh", "Correction", "must be frozen", "holds exactly on this network"]),
    (([2, 2, 2, 2, 1], "sigma", "homogeneous"),
     ["(3)", "(3\u2019)", "(4)", "(5)", "Misprint.", "misprint in the paper", "Correction", "counterexample",
      "(3) fails", "proved for every architecture"]),
    (([6, 5, 4, 1], "sigma", "homogeneous"), ["(3)", "(4)", "(5)", "(R)", "(E1)", "5,6"]),
]


@pytest.mark.parametrize("arch, labels", DOCUMENTS,
                         ids=["221-sigma", "321-tanh-sigmoid-affine", "22221-typo", "6541-wide"])
def test_document_compiles_cleanly(latex_tools, tmp_path, arch, labels):
    result = derive(*arch).pdf(tmp_path / "notes.pdf")
    assert result.pdf.exists()
    assert result.worst_overfull() <= 10.0, result.overfull
    text = pdf_text(result.pdf)
    for label in labels:
        assert label in text, label
    assert "??" not in text  # every \\eqref resolved (pdflatex ran twice)
    png = render_png(result.pdf, tmp_path / "page1.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_latex_error_is_reported_with_the_log_line(latex_tools, tmp_path):
    bad = "\\documentclass{article}\\begin{document}\\undefinedmacro\\end{document}"
    with pytest.raises(LatexToolError, match="Undefined control sequence"):
        compile_pdf(bad, tmp_path / "bad.pdf")


def test_missing_pdflatex_is_our_error(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf_module.shutil, "which", lambda name: None)
    with pytest.raises(LatexToolError, match="pdflatex is not installed"):
        derive([2, 1], verify=False).pdf(tmp_path / "x.pdf")
    assert shutil.which is pdf_module.shutil.which


def test_overfull_boxes_are_parsed():
    log = "Overfull \\hbox (3.1pt too wide) in alignment\nfoo\nOverfull \\hbox (12.75pt too wide) detected at"
    assert [pt for pt, _ in overfull_boxes(log)] == [3.1, 12.75]


def test_pdflatex_runs_without_shell_escape(monkeypatch, tmp_path):
    commands = []

    def run(cmd, cwd, timeout):
        commands.append(cmd)
        return subprocess.CompletedProcess(cmd, 1, b"", b"")

    monkeypatch.setattr(pdf_module, "_need", lambda name, package: name)
    monkeypatch.setattr(pdf_module, "_run", run)
    with pytest.raises(LatexToolError, match="pdflatex failed"):
        compile_pdf("\\documentclass{article}", tmp_path / "x.pdf")
    assert commands[0][:2] == ["pdflatex", "-no-shell-escape"]


def test_a_pdf_into_a_missing_directory_fails_before_pdflatex_runs(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf_module, "_need", lambda name, package: name)
    monkeypatch.setattr(pdf_module, "_run", lambda *args: pytest.fail("pdflatex started"))
    with pytest.raises(FileError, match="cannot write the PDF .*does not exist"):
        compile_pdf("\\documentclass{article}", tmp_path / "missing" / "x.pdf")
