"""`backprop-verify latex`: files, snippets, PDF, and clear errors (exit 2)."""

from __future__ import annotations

import pytest

from derivations.latex import pdf as pdf_module
from numeric.cli import main


def test_writes_document_and_snippets(tmp_path, capsys):
    out, snip = tmp_path / "notes.tex", tmp_path / "snip"
    code = main(["latex", "--widths", "3,2,1", "--activations", "tanh,sigmoid", "--form", "affine",
                 "-o", str(out), "--snippets", str(snip)])
    assert code == 0
    assert out.read_text().startswith("\\documentclass")
    assert (snip / "grad_W1_eq4.tex").exists() and (snip / "index.tex").exists()
    assert "wrote" in capsys.readouterr().err


def test_output_is_deterministic_unless_timings_are_asked_for(capsys):
    argv = ["latex", "--widths", "2,1"]
    outputs = []
    for extra in ([], [], ["--timings"]):
        assert main(argv + extra) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] != outputs[2] and "& Time" in outputs[2] and "& Time" not in outputs[0]


def test_snippet_index_names_the_packages_and_marks_the_misprint(tmp_path):
    snip = tmp_path / "snip"
    assert main(["latex", "--widths", "2,2,2,2,1", "--no-verify", "--snippets", str(snip),
                 "-o", str(tmp_path / "n.tex")]) == 0
    index = (snip / "index.tex").read_text()
    assert "% needs: \\usepackage{amsmath}" in index and "\\textbf{Misprint.}" in index


def test_prints_to_stdout_without_output(capsys):
    assert main(["latex", "--widths", "2,1", "--no-verify"]) == 0
    assert "\\end{document}" in capsys.readouterr().out


@pytest.mark.parametrize("argv, fragment", [
    (["--widths", "3,x,1"], "comma-separated integers"),
    (["--widths", "3,0,1"], "n_1=0"),
    (["--widths", "3,2,1", "--activations", "foo"], "unknown activation 'foo'"),
    (["--widths", "9,9,9,1", "--entries"], "too large for written-out entries"),
    (["--widths", "2,1", "--pdf"], "--pdf needs -o"),
], ids=["not-integer", "zero", "activation", "too-large", "pdf-without-output"])
def test_bad_input_exits_2_with_a_clear_message(argv, fragment, capsys):
    assert main(["latex", *argv]) == 2
    assert fragment in capsys.readouterr().err


def test_pdf_without_pdflatex_is_a_clear_error(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(pdf_module.shutil, "which", lambda name: None)
    assert main(["latex", "--widths", "2,1", "--no-verify", "-o", str(tmp_path / "n.tex"), "--pdf"]) == 2
    assert "pdflatex is not installed" in capsys.readouterr().err


def test_pdf_is_written_next_to_the_tex(latex_tools, tmp_path):
    out = tmp_path / "notes.tex"
    assert main(["latex", "--widths", "2,2,1", "-o", str(out), "--pdf"]) == 0
    assert out.with_suffix(".pdf").exists()


@pytest.mark.parametrize("target, fragment", [
    ("missing/notes.tex", "the directory '{tmp}/missing' does not exist"),
    ("adir", "it is a directory"),
], ids=["missing-directory", "directory"])
def test_an_unwritable_output_is_one_line_naming_the_path(tmp_path, capsys, target, fragment):
    (tmp_path / "adir").mkdir()
    assert main(["latex", "--widths", "2,1", "--no-verify", "-o", str(tmp_path / target)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"'{tmp_path / target}'" in err and fragment.format(tmp=tmp_path) in err


def test_snippets_to_an_unwritable_place_write_no_tex_either(tmp_path, capsys):
    (tmp_path / "afile").write_text("")
    argv = ["latex", "--widths", "2,1", "--no-verify", "-o", str(tmp_path / "notes.tex"),
            "--snippets", str(tmp_path / "afile" / "snip")]
    assert main(argv) == 2
    assert "is not a directory" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


def test_a_write_failing_midway_keeps_the_old_tex_and_leaves_nothing_else(tmp_path, capsys, monkeypatch):
    from derivations import fileio

    (tmp_path / "notes.tex").write_text("old")
    calls = []

    def fsync(fd):
        calls.append(fd)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(fileio.os, "fsync", fsync)
    argv = ["latex", "--widths", "2,1", "--no-verify", "-o", str(tmp_path / "notes.tex"),
            "--snippets", str(tmp_path / "snip")]
    assert main(argv) == 2
    assert "No space left on device" in capsys.readouterr().err
    assert (tmp_path / "notes.tex").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.tex"]


def test_timeout_stops_the_verification_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "notes.tex"
    assert main(["latex", "--widths", "8,8,8,8,1", "--timeout", "0.5", "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: latex ran past the time limit of 0.5 s") and "\n" not in err
    assert not out.exists() and list(tmp_path.iterdir()) == []
