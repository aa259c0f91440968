"""Notation profiles (issue 7): layouts, index offsets, losses, readings, detection, TOML, round trips.

The textbook corpus is tests/checker/profile_corpus.py (an independent table); these tests pin
the mechanisms one by one on hand-sized bounds (depth <= 3, widths <= 2).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from derivations.checker import NOTATIONS, check, detect_notation, get_notation, parse_formula, split_equations
from derivations.checker.formula import translate
from derivations.checker.notation import parse_objective
from derivations.checker.render import formula_latex, normalise
from derivations.checker.toml_profile import load_notation, notation_from_toml
from derivations.errors import FormulaSyntaxError, UnsupportedNotationError
from numeric.cli import main

SMALL = {"max_depth": 2, "max_width": 2}
EXAMPLE_TOML = Path(__file__).resolve().parents[2] / "docs" / "example-notation.toml"

# (profile, formula, expected): one textbook formula and one mistake per profile, as the CLI decides.
DECIDED = [
    ("paper", r"\Delta_i = (W_{i+1}^T \cdot \Delta_{i+1}) \circ \Sigma'_i", "holds"),
    ("paper", r"\Delta_i = (W_{i}^T \cdot \Delta_{i+1}) \circ \Sigma'_i", "fails"),
    ("tutorial", r"dW^{(l)} = \frac{1}{m} \delta^{(l)} (a^{(l-1)})^T", "holds"),
    ("tutorial", r"dW^{(l)} = \delta^{(l)} (a^{(l-1)})^T", "fails"),
    ("nielsen", r"\delta^l = ((w^{l+1})^T \delta^{l+1}) \odot \sigma'(z^l)", "holds"),
    ("nielsen", r"\delta^l = ((w^{l})^T \delta^{l+1}) \odot \sigma'(z^l)", "fails"),
    ("nielsen-linear", r"\delta^L = a^L - y", "holds"),
    ("bishop", r"\delta_j = h'(a_j) \sum_k w_{kj} \delta_k", "holds"),
    ("bishop", r"\delta_j = h'(a_j) \sum_k w_{jk} \delta_k", "fails"),
    ("nielsen-linear", r"\delta^L = (a^L - y) \odot a^L", "fails"),
    ("dlai", r"dZ^{[l]} = W^{[l+1]T} dZ^{[l+1]} * g'(Z^{[l]})", "holds"),
    ("dlai", r"dZ^{[l]} = W^{[l+1]T} dZ^{[l+1]} \ast g'(Z^{[l]})", "holds"),
    ("dlai", r"dZ^{[l]} = W^{[l+1]} dZ^{[l+1]} \ast g'(Z^{[l]})", "fails"),
    ("dlai", r"db^{[l]} = np.sum(dZ^{[l]}, axis=1, keepdims=True)", "fails"),
    ("ufldl", r"\nabla_{W^{(l)}} J(W,b;x,y) = \delta^{(l+1)} (a^{(l)})^T", "holds"),
    ("ufldl", r"\nabla_{W^{(l)}} J(W,b;x,y) = \delta^{(l)} (a^{(l)})^T", "fails"),
    ("coursera", r"\delta^{(L)} = a^{(L)} - y", "holds"),
    ("coursera", r"\delta^{(l)} = (\Theta^{(l)})' \delta^{(l+1)} .* g'(z^{(l)})", "holds"),
    ("cs229", r"\frac{\partial J}{\partial W^{[k]}} = \frac{\partial J}{\partial z^{[k]}} a^{[k-1]\top}", "holds"),
    ("cs229", r"\frac{\partial J}{\partial a^{[k]}} = W^{[k]\top} \frac{\partial J}{\partial z^{[k+1]}}", "fails"),
    ("cs231n", r"dW = dD X^T", "holds"),
    ("cs231n", r"dX = W^T dD", "holds"),
    ("d2l", r"\frac{\partial J}{\partial W^{(1)}} = \frac{\partial J}{\partial z} x^\top + \lambda W^{(1)}", "holds"),
    ("d2l", r"\frac{\partial J}{\partial W^{(1)}} = \frac{\partial J}{\partial z} x^\top", "fails"),
    ("rowmajor", r"dW^{[l]} = \frac{1}{m} A^{[l-1]T} dZ^{[l]}", "holds"),
    ("rowmajor", r"Z^{[l]} = W^{[l]} A^{[l-1]} + b^{[l]}", "fails"),
]


def _word(result) -> str:
    return {True: "holds", False: "fails"}.get(result.holds, result.status)


@pytest.mark.parametrize("notation, latex, expected", DECIDED, ids=[f"{n}-{e}-{i}" for i, (n, _, e) in
                                                                     enumerate(DECIDED)])
def test_every_profile_decides_its_formulas(notation, latex, expected):
    assert _word(check(latex, notation=notation, **SMALL)) == expected, latex


def test_every_builtin_profile_is_in_the_table_and_documented():
    assert {n for n, _, _ in DECIDED} == set(NOTATIONS)
    docs = (Path(__file__).resolve().parents[2] / "docs" / "notations.md").read_text(encoding="utf-8")
    for name, prof in NOTATIONS.items():
        assert f"`{name}`" in docs and prof.description and prof.source, name


def test_row_major_layout_transposes_at_the_boundary():
    forward = check(r"Z^{[l]} = A^{[l-1]} W^{[l]} + b^{[l]}", notation="rowmajor", **SMALL)
    assert forward.holds
    ce = check(r"dW^{[l]} = \frac{1}{m} dZ^{[l]} A^{[l-1]T}", notation="rowmajor", **SMALL).counterexample
    assert ce is not None and ce.kind in ("shape", "value")


def test_index_offsets_follow_each_books_numbering():
    # Nielsen and UFLDL number the input as layer 1; UFLDL's W^(l) maps l to l+1.
    assert check(r"a^1 = x", notation="nielsen", **SMALL).holds
    assert check(r"a^{(1)} = x", notation="ufldl", **SMALL).holds
    assert check(r"z^{(l+1)} = W^{(l)} a^{(l)} + b^{(l)}", notation="ufldl", **SMALL).holds
    with pytest.raises(UnsupportedNotationError, match="names no layer"):
        check(r"\frac{\partial C}{\partial w^1} = \delta^1 x^T", notation="nielsen", **SMALL)


def test_counterexample_speaks_the_profiles_symbols_and_numbering():
    result = check(r"\frac{\partial C}{\partial w^l} = \delta^{l+1} (a^{l-1})^T", notation="nielsen",
                   max_depth=3, max_width=2)
    message = result.counterexample.message
    assert "layer l=2 (nielsen numbering)" in message and "w^{2}_{1,1}" in message
    dlai = check(r"dW^{[l]} = dZ^{[l]} A^{[l-1]T}", notation="dlai", **SMALL).counterexample.message
    assert "W^{[1]}_{1,1}" in dlai and "X_{1,2}" in dlai


def test_losses_per_profile():
    # cross-entropy with a sigmoid output: dZ = A - Y (dlai), delta = a - y (Coursera)
    assert check(r"dZ^{[L]} = A^{[L]} - Y", notation="dlai", **SMALL).holds
    assert not check(r"dZ^{[L]} = (A^{[L]} - Y) * g'(Z^{[L]})", notation="dlai", **SMALL).holds
    # the 1/m and lambda conventions: UFLDL's J(W,b) = 1/m sum + lambda/2 sum W^2
    good = r"\nabla_{W^{(l)}} J(W,b) = \frac{1}{m} \sum_{i=1}^m \delta^{(l+1)(i)} (a^{(l)(i)})^T + \lambda W^{(l)}"
    assert check(good, notation="ufldl", **SMALL).holds
    doubled = good.replace(r"\frac{1}{m}", r"\frac{1}{m} \frac{1}{m}")
    assert check(doubled, notation="ufldl", **SMALL).holds is False
    assert parse_objective("bce 1/m + wd 1/(2m)") == ("bce", "1/m", "1/(2m)")
    with pytest.raises(UnsupportedNotationError, match="bad objective"):
        parse_objective("hinge 1/m")


def test_softmax_output_with_cross_entropy_from_a_toml_profile():
    softmax = notation_from_toml('name = "dlai-softmax"\nbase = "dlai"\noutput_activation = "softmax"\n'
                                 'output_width = 2\ndelta_objective = "cce 1"\ndefault_loss = "cce 1/m"\n'
                                 '[losses]\nJ = "cce 1/m"\n')
    assert check(r"dZ^{[L]} = A^{[L]} - Y", notation=softmax, max_depth=2, max_width=2).holds
    assert check(r"dW^{[L]} = \frac{1}{m} (A^{[L]} - Y) A^{[L-1]T}", notation=softmax, max_depth=2,
                 max_width=2).holds
    with pytest.raises(UnsupportedNotationError, match="softmax"):
        check(r"dZ^{[L]} = (A^{[L]} - Y) * g'(Z^{[L]})", notation=softmax, max_depth=1, max_width=2)


def test_lambda_selects_the_regularised_cost_in_dlai_and_rowmajor():
    decay = r"dW^{[l]} = \frac{1}{m} dZ^{[l]} A^{[l-1]T} + \frac{\lambda}{m} W^{[l]}"
    assert check(decay, notation="dlai", **SMALL).holds
    assert check(decay.replace(r"\frac{\lambda}{m}", r"\lambda"), notation="dlai", **SMALL).holds is False
    assert check(r"dW^{[l]} = \frac{1}{m} A^{[l-1]T} dZ^{[l]} + \frac{\lambda}{m} W^{[l]}", notation="rowmajor",
                 **SMALL).holds


def test_index_form_is_checked_entry_by_entry():
    assert check(r"\frac{\partial C}{\partial w^l_{jk}} = a^{l-1}_k \delta^l_j", notation="nielsen", **SMALL).holds
    swapped = check(r"\frac{\partial C}{\partial w^l_{jk}} = a^{l-1}_j \delta^l_k", notation="nielsen",
                    max_depth=2, max_width=2)
    assert swapped.holds is False
    bp2 = r"\delta^l_j = \sum_k w^{l+1}_{kj} \delta^{l+1}_k \sigma'(z^l_j)"
    assert check(bp2, notation="nielsen", max_depth=3, max_width=2).holds


SQUARE = {"min_width": 2, "max_width": 2, "output_width": 2, "max_depth": 3}
"""Every width 2: both groupings of a chain type-check, so only the verdicts can tell them apart."""


def test_ambiguous_reading_order_reports_both_verdicts():
    result = check(r"\Delta_i = W_{i+1}^T \Delta_{i+1} \circ \Sigma'_i", **SQUARE)
    assert result.status == "ambiguous" and result.holds is None
    verdicts = {name: r.holds for name, r in result.readings}
    assert verdicts == {"left to right": True, "right to left": False}
    summary = result.summary()
    assert "read left to right: holds on the sweep only" in summary and "read right to left: fails" in summary
    assert check(r"\Delta_i = W_{i+1}^T \Delta_{i+1} \circ \Sigma'_i", order="left", **SQUARE).holds


def test_a_reading_that_does_not_type_check_is_dropped_and_named():
    formula = r"\nabla_{W_{k-1}} f = \Sigma_{k-2}^T \otimes \Sigma'_{k-1} \circ W_k^T \cdot \Sigma'_k"
    result = check(formula, **SMALL)
    assert result.holds is True and "not read left to right: that reading does not type-check" in result.note
    forced = check(formula, order="left", **SMALL)
    assert forced.holds is False and forced.counterexample.kind == "shape"


def test_juxtaposition_and_star_keep_only_the_reading_that_type_checks():
    juxt = check(r"\delta^{(L)} = (a^{(L)} - y) f'(z^{(L)})", notation="tutorial", **SMALL)
    assert juxt.holds is True and "not read juxtaposition as matrix product" in juxt.note
    star = check(r"dW = dD * X^T", notation="cs231n", **SMALL)
    assert star.holds is True and "not read * element-wise" in star.note
    both_wrong = check(r"dW = dD * X", notation="cs231n", **SMALL)
    assert both_wrong.holds is False
    with pytest.raises(UnsupportedNotationError, match="ambiguous"):
        check(r"\Delta_i = W_{i+1}^T * \Delta_{i+1}", **SMALL)


def test_ufldl_cost_named_j_has_two_readings():
    bare = check(r"\nabla_{W^{(l)}} J = \delta^{(l+1)} (a^{(l)})^T", notation="ufldl", **SMALL)
    assert bare.status == "ambiguous"
    assert check(r"\nabla_{W^{(l)}} J(W,b;x,y) = \delta^{(l+1)} (a^{(l)})^T", notation="ufldl", **SMALL).holds


@pytest.mark.parametrize("latex, expected", [
    (r"dZ^{[L]} = A^{[L]} - Y", "dlai"),
    (r"\delta^l = ((w^{l+1})^T \delta^{l+1}) \odot \sigma'(z^l)", "nielsen"),
    (r"\Delta_i = (W_{i+1}^T \Delta_{i+1}) \circ \Sigma'_i", "paper"),
    # CS229 notes (3.29): the fraction dJ/dz, ^{[k]} and \odot are its marks (dlai writes dZ^{[l]})
    (r"\frac{\partial J}{\partial z^{[k]}} = \frac{\partial J}{\partial a^{[k]}} \odot \sigma'(z^{[k]})", "cs229"),
    (r"dW = dD X^T", "cs231n"),
])
def test_detection_names_the_profile(latex, expected):
    prof, fits = detect_notation(latex)
    assert prof.name == expected and expected in fits
    result = check(latex, notation="auto", **SMALL)
    assert result.detected and result.notation == expected and "(detected" in result.summary()


def test_unknown_symbol_names_the_profiles_that_define_it():
    with pytest.raises(UnsupportedNotationError, match=r"unknown symbol 'dZ'.*dlai, rowmajor"):
        check(r"dZ^{[L]} = A^{[L]} - Y", **SMALL)
    with pytest.raises(UnsupportedNotationError, match="no notation profile reads"):
        check(r"Q = R", notation="auto")
    with pytest.raises(UnsupportedNotationError, match=r"round brackets number the examples"):
        check(r"dW^{[l]} = \frac{1}{m} dZ^{[l]} A^{(l-1)T}", notation="dlai", **SMALL)


def test_several_equations_on_one_line_are_each_checked():
    assert split_equations(r"a = b, \quad c = d.") == ["a = b", "c = d"]
    line = r"\delta^L = (a^L - y) \odot \sigma'(z^L), \quad \frac{\partial C}{\partial b^l} = \delta^{l+1}"
    result = check(line, notation="nielsen", **SMALL)
    assert result.holds is False and [p.holds for p in result.parts] == [True, False]
    assert "2 equations" in result.summary()


def test_fonts_transposes_and_octave_operators():
    for latex in (r"\boldsymbol{\delta}^{(l)} = (\mathbf{W}^{(l+1)})^\intercal \boldsymbol{\delta}^{(l+1)} "
                  r"\odot f'(\mathbf{z}^{(l)})",
                  r"\delta^{(l)} = (W^{(l+1)})^{\top} \delta^{(l+1)} \odot f'(z^{(l)})"):
        assert check(latex, notation="tutorial", **SMALL).holds, latex
    assert check(r"\delta^{(2)} = (\Theta^{(2)})' * \delta^{(3)} .* g'(z^{(2)})", notation="coursera",
                 max_depth=3, max_width=2).holds


def test_example_toml_profile_decides_its_formulas():
    prof = load_notation(EXAMPLE_TOML)
    assert prof.name == "mycourse"
    assert check(r"e_l = (W_{l+1}^T e_{l+1}) \odot \sigma'(z_l)", notation=prof, **SMALL).holds
    assert check(r"\frac{\partial L}{\partial W_l} = \frac{1}{m} e_l h_{l-1}^T", notation=prof, **SMALL).holds
    assert check(r"\frac{\partial L}{\partial W_l} = e_l h_{l-1}^T", notation=prof, **SMALL).holds is False


def test_toml_profile_from_a_base_and_its_errors():
    shifted = notation_from_toml('name = "n1"\nbase = "tutorial"\nindex_offset = -1\n')
    assert shifted.offset("W") == -1 and shifted.last_offset == 1
    assert check(r"a^{(1)} = x", notation=shifted, **SMALL).holds
    for text, fragment in (('name = "x"\ncolour = 1', "unknown keys"), ("name = ", "not valid TOML"),
                           ('name = "x"\n[symbols]\nW = "weights"', "unknown meanings"),
                           ('description = "no name"', "needs name")):
        with pytest.raises(UnsupportedNotationError, match=fragment):
            notation_from_toml(text)


@pytest.mark.parametrize("source, target, latex", [
    ("nielsen", "ufldl", r"\delta^l = ((w^{l+1})^T \delta^{l+1}) \odot \sigma'(z^l)"),
    ("nielsen", "ufldl", r"\delta^l = ((w^{l})^T \delta^{l+1}) \odot \sigma'(z^l)"),
    ("ufldl", "nielsen", r"z^{(l+1)} = W^{(l)} a^{(l)} + b^{(l)}"),
    ("nielsen", "ufldl", r"\delta^l_j = \sum_k w^{l+1}_{kj} \delta^{l+1}_k \sigma'(z^l_j)"),
    ("ufldl", "nielsen", r"\delta^{(n_l)} = -(y - a^{(n_l)}) \bullet f'(z^{(n_l)})"),
    ("tutorial", "tutorial", r"dW^{(l)} = \frac{1}{m} \delta^{(l)} (a^{(l-1)})^T"),
])
def test_round_trip_render_in_another_profile_parse_back_same_verdict(source, target, latex):
    src, dst = get_notation(source), get_notation(target)
    formula = parse_formula(latex, notation=src)
    rendered = translate(formula, src, dst)
    back = parse_formula(rendered, notation=dst)
    assert translate(back, dst, dst) == rendered
    assert _word(check(latex, notation=src, max_depth=3, max_width=2)) == \
        _word(check(rendered, notation=dst, max_depth=3, max_width=2)), rendered


def test_round_trip_of_the_textbook_corpus_between_nielsen_and_ufldl():
    from .profile_corpus import PROFILE_CORPUS

    done = 0
    for source, target in (("nielsen", "ufldl"), ("ufldl", "nielsen")):
        src, dst = get_notation(source), get_notation(target)
        for case in (c for c in PROFILE_CORPUS if c.notation == source and c.expected in ("holds", "fails")):
            try:
                rendered = translate(parse_formula(case.latex, notation=src), src, dst)
            except UnsupportedNotationError:
                continue  # a symbol or loss the other book does not have
            verdict = _word(check(case.latex, notation=src, max_depth=3, max_width=2))
            assert verdict in ("holds", "fails") and verdict == \
                _word(check(rendered, notation=dst, max_depth=3, max_width=2)), (case.latex, rendered)
            done += 1
    assert done >= 10


def test_translation_refuses_profiles_whose_conventions_differ():
    formula = parse_formula(r"Z^{[l]} = W^{[l]} A^{[l-1]} + b^{[l]}", notation="dlai")
    with pytest.raises(UnsupportedNotationError, match="conventions differ in layout"):
        translate(formula, get_notation("dlai"), get_notation("rowmajor"))


def test_round_trip_within_each_profile_gives_the_same_ast():
    for notation, latex, _ in DECIDED:
        f = parse_formula(latex, notation=notation)  # with Bishop's letter-named layers
        g = parse_formula(formula_latex(f), notation=notation)
        assert (normalise(g.lhs), normalise(g.rhs)) == (normalise(f.lhs), normalise(f.rhs)), latex


def test_cli_notation_auto_file_and_tex_marker(tmp_path, capsys):
    assert main(["check", "--notation", "auto", "--max-depth", "2", "--max-width", "2",
                 r"dZ^{[L]} = A^{[L]} - Y"]) == 0
    assert "dlai (detected from the symbols)" in capsys.readouterr().out
    assert main(["check", "--notation-file", str(EXAMPLE_TOML), "--max-depth", "2", "--max-width", "2",
                 r"e_L = (h_L - y) \odot \sigma'(z_L)"]) == 0
    assert "mycourse" in capsys.readouterr().out
    tex = tmp_path / "notes.tex"
    tex.write_text("% notation: nielsen\n% check\n\\begin{equation}\n"
                   "\\delta^L = (a^L - y) \\odot \\sigma'(z^L)\n\\end{equation}\n", encoding="utf-8")
    assert main(["check", str(tex), "--max-depth", "2", "--max-width", "2"]) == 0
    assert "nielsen" in capsys.readouterr().out
    assert main(["check", "--notation-file", str(tmp_path / "missing.toml"), "a = b"]) == 2
    capsys.readouterr()
    assert main(["check", "--json", "--max-depth", "3", "--min-width", "2", "--max-width", "2", "--output-width", "2",
                 r"\Delta_i = W_{i+1}^T \Delta_{i+1} \circ \Sigma'_i"]) == 1
    (entry,) = json.loads(capsys.readouterr().out)
    assert entry["status"] == "ambiguous"
    assert {k: v["status"] for k, v in entry["readings"].items()} == {
        "left to right": "holds on the sweep only", "right to left": "fails"}


def test_syntax_errors_stay_positioned_in_every_profile():
    with pytest.raises(FormulaSyntaxError, match="operator without a right operand"):
        check(r"dW = dD X^T +", notation="cs231n")


def test_leftarrow_names_a_quantity_for_the_equations_after_it():
    # the Deep Learning book's algorithm 6.4, one iteration of the loop over k
    loop = (r"g \leftarrow \nabla_{h^{(k)}} J, \quad g \leftarrow \nabla_{a^{(k)}} J = g \odot f'(a^{(k)}), "
            r"\quad \nabla_{W^{(k)}} J = g h^{(k-1)\top} + \lambda \nabla_{W^{(k)}} \Omega(\theta), "
            r"\quad g \leftarrow \nabla_{h^{(k-1)}} J = W^{(k)\top} g")
    result = check(loop, notation="d2l", **SMALL)
    assert result.holds and len(result.parts) == 3
    assert r"(\nabla_{a^{(k)}} J) h^{(k-1)\top}" in result.parts[1].formula
    wrong = loop.replace(r"\nabla_{h^{(k)}} J, \quad", r"\nabla_{h^{(k-1)}} J, \quad")
    assert check(wrong, notation="d2l", **SMALL).holds is False
    with pytest.raises(UnsupportedNotationError, match="an update"):
        check(r"g \leftarrow g \odot f'(a^{(k)})", notation="d2l", **SMALL)


def test_ufldl_batch_gradient_averages_the_one_example_gradients():
    per_example = r"\frac{\partial}{\partial W^{(l)}} J(W,b;x^{(i)},y^{(i)})"
    good = rf"\frac{{\partial}}{{\partial W^{{(l)}}}} J(W,b) = \left[ \frac{{1}}{{m}} \sum_{{i=1}}^m {per_example} " \
           r"\right] + \lambda W^{(l)}"
    assert check(good, notation="ufldl", **SMALL).holds
    assert check(good.replace(r"\frac{1}{m}", ""), notation="ufldl", **SMALL).holds is False
