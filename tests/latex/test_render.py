"""The derivation's content: formulas, the typo and its correction, verdicts, entries, snippets, errors."""

from __future__ import annotations

import re

import pytest

from derivations import ActivationError, Architecture, ArchitectureError, FileError
from derivations.latex import Derivation, derive, write_snippets


@pytest.fixture(scope="module")
def small() -> Derivation:
    return derive([2, 2, 1])


@pytest.fixture(scope="module")
def deep() -> Derivation:
    return derive([2, 2, 2, 2, 1])


def test_every_layer_has_formulas_3_4_5_and_the_recursion(small):
    doc = small.document()
    for i in (1, 2):
        for eq in ("eq3", "eq4", "eq5", "recursion", "entries"):
            assert f"grad_W{i}_{eq}" in small.snippets(), (i, eq)
    for tag in ("3", "4", "5", "R"):
        assert doc.count(f"\\tag{{{tag}}}") == 2, tag
    assert r"\nabla_{W_{1}} f = \Sigma'_{2} \bullet W_{2}^{T} \circ \Sigma'_{1} \cdot X^{T}" in doc


def test_shallow_net_says_the_typo_is_invisible(small):
    doc = small.document()
    assert "\\tag{3'}" not in doc and "Correction" in doc and "coincide" in doc


def test_depth_four_prints_the_typo_and_flags_the_correction(deep):
    snippets = deep.snippets()
    printed, fixed = snippets["grad_W1_eq3_printed"], snippets["grad_W1_eq3_corrected"]
    assert r"\Sigma'_{2} \bullet W_{2} \circ" in printed and r"\tag{3}" in printed
    assert r"\Sigma'_{2} \bullet W_{2}^{T} \circ" in fixed and r"\tag{3'}" in fixed
    assert r"\textbf{Correction.}" in deep.document()


def test_depth_four_verdicts_reject_the_printed_formula_only(deep):
    _, verdicts = deep.verdicts
    by_name = {v.check.name: v for v in verdicts}
    assert by_name["eq3"].status == "fails" and by_name["eq3"].counterexample.layer == 1
    assert by_name["eq3"].counterexample.entry is not None
    assert all(by_name[n].holds for n in ("eq3_corrected", "eq4", "eq5", "recursion"))
    doc = deep.document()
    assert r"\textbf{(3) fails}" in doc and "(correction of (3))" in doc


def test_affine_concrete_activations_all_hold_with_the_bias_row():
    d = derive([3, 2, 1], ["tanh", "sigmoid"], "affine")
    _, verdicts = d.verdicts
    assert [v.check.name for v in verdicts][-1] == "bias_recursion"
    assert all(v.holds for v in verdicts), [str(v.counterexample) for v in verdicts]
    assert all(v.seconds >= 0 for v in verdicts)
    doc = d.document()
    assert r"\tag{Rb}" in doc and r"\tanh" in doc and "b^{(1)}_{1}" in doc


def test_index_entry_lists_every_branch():
    snippets = derive([1, 2, 3, 2, 1], verify=False).snippets()
    assert snippets["index_paths"].count(r"\to N_{3,") == 6
    assert snippets["index_entry"].count("+ ") == 5
    assert r"\sum_{j_{2}=1}^{3} \sum_{j_{3}=1}^{2}" in snippets["index_general"]


def test_wide_output_uses_the_seed_V():
    doc = derive([2, 2, 2], verify=False).document()
    assert r"(V \circ \Sigma'_{2})" in doc and "v_{1}" in doc


def test_entries_auto_off_for_large_and_error_when_forced():
    arch = Architecture((9, 9, 9, 1))
    assert Derivation(arch, verify=False).entries is False
    with pytest.raises(ArchitectureError, match="too large for written-out entries"):
        Derivation(arch, entries=True)
    doc = Derivation(arch, entries=False, verify=False).document()
    assert r"\tag{5}" in doc and "grad_W1_entries" not in doc  # no matrix written out entry by entry ...
    assert "index notation" in doc and "bpv:index_general" in doc and "bpv:index_entry" in doc  # ... but one
    assert "not written out" in doc


def test_very_wide_nets_keep_the_general_entry_only():
    doc = Derivation(Architecture((16, 16, 16, 16, 1)), verify=False).document()
    assert "bpv:index_general" in doc and "bpv:index_entry" not in doc and "too wide" in doc


@pytest.mark.parametrize("args, error, fragment", [
    (([3, 0, 1],), ArchitectureError, "n_1=0"),
    (([2],), ArchitectureError, "at least"),
    (([2, 1], "foo"), ActivationError, "unknown activation"),
    (([2, 2, 1], ["tanh"]), ArchitectureError, "one activation per layer"),
    (([2, 1], "tanh", "convex"), ArchitectureError, "form must be"),
], ids=["zero-width", "no-layer", "unknown-activation", "activation-count", "bad-form"])
def test_bad_input_gets_our_errors(args, error, fragment):
    with pytest.raises(error, match=fragment):
        derive(*args)


def test_not_an_architecture_is_rejected():
    with pytest.raises(ArchitectureError, match="expected an Architecture"):
        Derivation([2, 1])


def test_each_snippet_is_one_environment(small, tmp_path):
    for name, tex in small.snippets().items():
        assert len(re.findall(r"\\begin\{(equation|align)\}", tex)) == 1, name
        assert tex.rstrip().endswith(("\\end{equation}", "\\end{align}")), name
        assert tex.count(f"\\label{{bpv:{name}}}") == 1, name
    paths = write_snippets(small, tmp_path / "snip")
    assert paths[-1].name == "index.tex" and len(paths) == len(small.snippets()) + 1
    assert "\\input{snip/grad_W1_eq3}" in paths[-1].read_text()


def test_write_into_a_missing_directory_is_file_error_naming_it(small, tmp_path):
    with pytest.raises(FileError, match=r"cannot write the LaTeX document .*: the directory .*missing' does not"):
        small.write(tmp_path / "missing" / "notes.tex")
    assert small.write(tmp_path / "notes.tex").read_text(encoding="utf-8") == small.document()


def test_snippets_into_a_missing_parent_create_nothing(small, tmp_path):
    with pytest.raises(FileError, match="does not exist"):
        write_snippets(small, tmp_path / "missing" / "snip")
    assert list(tmp_path.iterdir()) == []


def test_repr_latex_is_mathjax_display_math(small):
    text = small._repr_latex_()
    assert text.startswith("$$") and "\\begin{document}" not in text and "\\tag" not in text
    assert "(3)" in text and "exact" in text


def test_document_is_complete_and_deterministic(small):
    doc = small.document()
    assert doc.startswith("\\documentclass") and doc.rstrip().endswith("\\end{document}")
    assert "\\usepackage{amsmath}" in doc and "amssymb" not in doc
    assert doc == derive([2, 2, 1]).document()
    assert not re.search(r"\d\.\d{3} s", doc)


def test_timings_only_on_request():
    doc = derive([2, 1], timings=True).document()
    assert re.search(r"\d\.\d{3} s", doc) and "& Time" in doc
