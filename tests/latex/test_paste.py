"""Snippets that paste: each compiles alone in a bare article, fits its width, and marks the misprint.

Every snippet of ``--snippets DIR`` goes into ``\\documentclass{article}`` with exactly the
packages index.tex names in its header comment; pdflatex must exit cleanly with no overfull
box over 10pt (horizontal: too wide; vertical: a display too tall for the page, i.e. run off it).
"""

from __future__ import annotations

import re

import pytest

from derivations.latex import compile_pdf, derive, pdf_text, snippet_files

from .snippet_compile import compile_snippets

ARCHITECTURES = {
    "221": ([2, 2, 1],),
    "321-affine": ([3, 2, 1], ["tanh", "sigmoid"], "affine"),
    "22221": ([2, 2, 2, 2, 1],),
    "6541": ([6, 5, 4, 1],),
}


def _bare(packages: str, body: str) -> str:
    return f"\\documentclass{{article}}\n\\usepackage{{{packages}}}\n\\begin{{document}}\n{body}\n\\end{{document}}\n"


def _files(arch, tmp_path):
    files = snippet_files(derive(*arch, verify=False), tmp_path / "snip")
    index = files.pop(tmp_path / "snip" / "index.tex")
    packages = re.search(r"^% needs: \\usepackage\{([^}]*)\}$", index, re.M)
    assert packages, index.splitlines()[:3]
    return files, index, packages.group(1)


@pytest.mark.parametrize("key", ARCHITECTURES)
def test_every_snippet_compiles_alone_without_overfull_boxes(latex_tools, tmp_path, key):
    files, _, packages = _files(ARCHITECTURES[key], tmp_path)
    assert packages == "amsmath"
    report = compile_snippets({p.stem: tex for p, tex in files.items()}, packages, tmp_path / "all.pdf")
    assert len(report) == len(files)
    assert {name: pt for name, pt in report.items() if pt > 10.0} == {}


def test_the_snippet_compiler_attributes_an_overfull_box_to_its_snippet(latex_tools, tmp_path):
    wide = "\\begin{equation}\n" + " + ".join(["x_{1}"] * 60) + "\n\\end{equation}"
    report = compile_snippets({"fine": "\\begin{equation} x \\end{equation}", "wide": wide}, "amsmath",
                              tmp_path / "two.pdf")
    assert report["fine"] == 0.0 and report["wide"] > 100.0


def test_wide_layer_entries_break_across_pages_and_are_all_there(latex_tools, tmp_path):
    files, _, packages = _files(ARCHITECTURES["6541"], tmp_path)
    tex = files[tmp_path / "snip" / "grad_W1_entries.tex"]
    assert tex.count(r"\displaybreak[1]") == 5 * 6 - 1 and tex.count(r"(\nabla_{W_{1}} f)_{") == 30
    result = compile_pdf(_bare(packages, tex), tmp_path / "w1.pdf")
    assert result.worst_overfull() == 0.0, result.overfull
    text = pdf_text(result.pdf)
    assert text.count("\f") >= 2 and "5,6" in text  # several pages, the last entry (5,6) printed


def test_index_marks_the_misprint_beside_its_correction(latex_tools, tmp_path):
    files, index, packages = _files(ARCHITECTURES["22221"], tmp_path)
    lines = index.splitlines()
    printed = lines.index(r"\input{snip/grad_W1_eq3_printed}")
    assert "Misprint." in lines[printed - 1] and "Correction." in lines[printed + 2]
    assert lines[printed + 3] == r"\input{snip/grad_W1_eq3_corrected}"
    for path, tex in files.items():
        (path.parent).mkdir(exist_ok=True)
        path.write_text(tex)
    doc = tmp_path / "notes.tex"
    result = compile_pdf(_bare(packages, index).replace(r"\input{snip/", r"\input{" + str(tmp_path) + "/snip/"),
                         doc.with_suffix(".pdf"))
    assert result.worst_overfull() <= 10.0, result.overfull
    text = pdf_text(result.pdf)
    for fragment in ("Misprint.", "misprint in the paper", "Correction.", "(3’)", "corrects the paper’s misprint"):
        assert fragment in text, fragment


def test_the_printed_snippet_itself_carries_the_misprint_remark():
    snippets = derive([2, 2, 2, 2, 1], verify=False).snippets()
    assert r"\text{misprint in the paper: $W_{2}$ must read $W_{2}^{T}$" in snippets["grad_W1_eq3_printed"]
    assert r"\text{corrects the paper's misprint $W_{2}$ in (3)" in snippets["grad_W1_eq3_corrected"]
