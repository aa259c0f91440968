"""pdflatex on the document and on its snippets, for five architectures in three notations, and the deck.

Issue 13's table: [2,2,1], [3,2,1] affine, [2,2,2,2,1], [6,5,4,1] and [8,8,8,1], each in the
paper's, Nielsen's and deeplearning.ai's notation. The document must compile without an error
or an overfull box over 10pt, pdftotext must find its headings and equation numbers, and every
snippet must compile in a bare article (one pdflatex run for all of them) without an overfull
box over 10pt. The verdicts are off here (tests/latex/test_profiles.py checks them); the remark
under each formula is set by ``verify`` alone, so a verified document is compiled once too.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from derivations.latex import compile_pdf, derive, pdf_text, snippet_files

from .snippet_compile import compile_snippets

ARCHITECTURES = {
    "221": ([2, 2, 1],),
    "321-affine": ([3, 2, 1], ["tanh", "sigmoid"], "affine"),
    "22221": ([2, 2, 2, 2, 1],),
    "6541": ([6, 5, 4, 1],),
    "8881": ([8, 8, 8, 1],),
}
NOTATIONS = {
    "paper": ["(3)", "(4)", "(5)", "(6)", "(7)", "(E1)", "Misprint", "One section per objective",
              "Binary cross-entropy", "Weight decay"],
    "nielsen": ["Forward pass", "Backward pass", "Layer 1 of", "(E1)", "Mean squared error", "a batch of"],
    "dlai": ["Forward pass", "Backward pass", "Layer 1 of", "(E1)", "Categorical cross-entropy", "a batch of"],
}


@pytest.mark.parametrize("notation", NOTATIONS)
@pytest.mark.parametrize("key", ARCHITECTURES)
def test_document_and_snippets_compile_in_each_notation(latex_tools, tmp_path, key, notation):
    d = derive(*ARCHITECTURES[key], notation=notation, verify=False)
    result = compile_pdf(d.document(), tmp_path / "doc.pdf")
    assert result.worst_overfull() <= 10.0, result.overfull
    text = pdf_text(result.pdf)
    for label in NOTATIONS[notation]:
        assert label in text, label
    assert "??" not in text
    if notation != "paper":
        depth = len(ARCHITECTURES[key][0]) - 1
        assert f"Layer {depth} of {depth}" in text
    files = snippet_files(d, tmp_path / "snip")
    index = files.pop(tmp_path / "snip" / "index.tex")
    packages = re.search(r"^% needs: \\usepackage\{([^}]*)\}$", index, re.M).group(1)
    assert packages == "amsmath"
    report = compile_snippets({p.stem: tex for p, tex in files.items()}, packages, tmp_path / "snip.pdf")
    assert {name: pt for name, pt in report.items() if pt > 10.0} == {}


@pytest.mark.parametrize("notation", ["paper", "nielsen"])
def test_verified_document_compiles_with_its_verdicts(latex_tools, tmp_path, notation):
    result = derive([2, 2, 1], notation=notation).pdf(tmp_path / "v.pdf")
    assert result.worst_overfull() <= 10.0, result.overfull
    text = pdf_text(result.pdf)
    assert "proved for every architecture" in text and "Verification" in text


def _have_beamer() -> bool:
    kpsewhich = shutil.which("kpsewhich")
    if kpsewhich is None:
        return False
    found = subprocess.run([kpsewhich, "beamer.cls", "pgf.sty"], capture_output=True, text=True).stdout.split()
    return len(found) == 2


@pytest.mark.parametrize("notation", ["paper", "dlai"])
def test_beamer_deck_compiles_one_idea_per_frame(latex_tools, tmp_path, notation):
    if not _have_beamer():
        if os.environ.get("REQUIRE_LATEX") == "1":
            pytest.fail("REQUIRE_LATEX=1 but beamer/pgf missing (apt-get install texlive-pictures)")
        pytest.skip("beamer or pgf not installed (texlive-latex-recommended, texlive-pictures)")
    d = derive([2, 2, 2, 2, 1], notation=notation, verify=notation == "paper")  # with the verdict table
    deck = d.beamer()
    frames = deck.count("\\begin{frame}")
    equations = sum(1 for line in deck.splitlines() if line.startswith(("\\begin{equation}", "\\begin{align}")))
    assert frames >= equations > 10
    result = d.pdf(tmp_path / "deck.pdf", beamer=True)
    assert result.worst_overfull() <= 10.0, result.overfull
    text = pdf_text(result.pdf)
    assert "??" not in text  # references to matrices left to the article resolve too
    assert text.count("\f") >= frames  # one page per frame at least (frame breaks may add pages)
    assert ("Misprint" if notation == "paper" else "Backward pass") in text
