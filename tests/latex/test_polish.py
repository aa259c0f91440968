"""Text and Jupyter polish: labels and refs, grammar, the seed text, the affine caveat, valid _repr_latex_."""

from __future__ import annotations

import re

import pytest

import derivations
from derivations.latex import Derivation, compile_pdf, derive, pdf_text


@pytest.fixture(scope="module")
def deep() -> Derivation:
    return derive([2, 2, 2, 2, 1])


def test_derive_and_derivation_are_exported_by_derivations():
    assert derivations.derive is derive and derivations.Derivation is Derivation
    assert {"derive", "Derivation"} <= set(derivations.__all__)


def test_every_equation_is_labelled_and_every_eqref_resolves(deep):
    doc = deep.document()
    labels = set(re.findall(r"\\label\{([^}]*)\}", doc))
    refs = set(re.findall(r"\\eqref\{([^}]*)\}", doc))
    assert len(labels) == len(deep.snippets()) and refs and refs <= labels
    assert doc.count(r"\begin{equation}") + doc.count(r"\begin{align}") == len(labels)


@pytest.mark.parametrize("widths, phrase", [
    ([2, 1], r"a $1 \times 2$ matrix"), ([8, 8, 1], r"an $8 \times 8$ matrix"),
], ids=["a-1x2", "an-8x8"])
def test_article_before_the_matrix_size(widths, phrase):
    doc = derive(widths, verify=False, entries=False).document()
    assert phrase in doc and r"an $1 \times" not in doc


def test_branches_label_has_no_space_before_the_colon():
    tex = derive([2, 2, 1], verify=False).snippets()["index_paths"]
    assert r"\text{branches:}" in tex and ":\\ " not in tex and "} :" not in tex


def test_wide_output_text_starts_from_the_seed_only():
    doc = derive([2, 2, 2], verify=False).document()
    assert r"$\Delta_{3} = V$, the seed column" in doc and r"W_{3}^T = 1" not in doc
    assert r"$\Delta_{3} = W_{3}^T = 1$" in derive([2, 2, 1], verify=False).document()


def test_affine_paragraph_states_the_section_3_caveat():
    doc = derive([3, 2, 1], ["tanh", "sigmoid"], "affine", verify=False).document()
    assert "must mean the identity function" in doc and "must be frozen" in doc


def test_correction_section_refers_to_both_lines(deep):
    doc = deep.document()
    assert r"\eqref{bpv:grad_W1_eq3_printed}, marked as the misprint" in doc
    assert r"\eqref{bpv:grad_W1_eq3_corrected}" in doc


def test_verdicts_say_proved_for_every_architecture_where_the_checker_proves_it(deep):
    _, verdicts = deep.verdicts
    text = {v.check.tag: v.verdict_text() for v in verdicts}
    assert text == {"3": "counterexample", "3'": "proved for every architecture",
                    "4": "proved for every architecture", "5": "proved for every architecture",
                    "R": "proved for every architecture"}
    assert all(v.proof.status == "proved" for v in verdicts if v.proved)


def test_wide_output_and_affine_weights_get_the_one_architecture_check():
    _, wide = derive([2, 2, 2]).verdicts
    assert not any(v.proved for v in wide)
    _, affine = derive([3, 2, 1], ["tanh", "sigmoid"], "affine").verdicts
    assert [v.check.tag for v in affine if v.proved] == ["Rb"]
    assert "holds exactly on this architecture" in affine[0].verdict_text()


def _math_only(text: str) -> str:
    """What is left outside $$...$$ and $...$ (must be blank: Jupyter shows it raw)."""
    return re.sub(r"\$\$.*?\$\$|\$.*?\$", "", text, flags=re.S).strip()


def test_jupyter_forms_are_math_only_and_show_the_counterexample(deep):
    text = deep._repr_latex_()
    assert _math_only(text) == "" and r"\label" not in text and r"\eqref" not in text
    assert r"\text{(3) formula (3) as printed: counterexample}" in text
    assert r"\text{layer 1, entry }(1,1)" in text and "misprint in the paper" in text
    _, verdicts = deep.verdicts
    assert all(_math_only(v._repr_latex_()) == "" for v in verdicts)


@pytest.mark.parametrize("arch", [([2, 2, 2, 2, 1],), ([3, 2, 1], ["tanh", "sigmoid"], "affine")],
                         ids=["22221", "321-affine"])
def test_jupyter_forms_compile_with_pdflatex(latex_tools, tmp_path, arch):
    d = derive(*arch)
    parts = [d._repr_latex_()] + [v._repr_latex_() for v in d.verdicts[1]]
    parts += [v.counterexample._repr_latex_() for v in d.verdicts[1] if v.counterexample is not None]
    body = "\n\n".join(parts)
    tex = f"\\documentclass{{article}}\n\\usepackage{{amsmath}}\n\\begin{{document}}\n{body}\n\\end{{document}}\n"
    result = compile_pdf(tex, tmp_path / "jupyter.pdf")
    assert "counterexample" in pdf_text(result.pdf) or arch[0] == [3, 2, 1]
