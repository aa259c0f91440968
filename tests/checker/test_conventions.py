"""Conventions a formula cannot carry are readings (issue 12, part 3): the verdict names the one it
holds under, and a formula is never "holds" under a convention its note did not state.

Also detection by meaning: ``notation="auto"`` checks every profile that reads the symbols.
"""

from __future__ import annotations

import pytest

from derivations.checker import NOTATIONS, check
from derivations.checker.readings import DETECTION_ORDER

BOUND = {"max_depth": 3, "max_width": 2}


def _readings(result) -> dict[str, str]:
    return {name: r.verdict_word for name, r in result.readings}


def test_tutorial_cost_c_as_sum_or_mean_is_a_reading():
    # the tutorial does not say whether C sums or averages over the batch; the 1/m decides
    for latex in (r"\nabla_{W^{(l)}} C = \delta^{(l)} (a^{(l-1)})^T",
                  r"\nabla_{W^{(l)}} C = \frac{1}{m} \delta^{(l)} (a^{(l-1)})^T"):
        result = check(latex, notation="tutorial", **BOUND)
        assert result.status == "ambiguous", str(result)
        assert any("batch mean" in name for name in _readings(result)), str(result)
    wrong = check(r"\nabla_{W^{(l)}} C = \frac{1}{2} \delta^{(l)} (a^{(l-1)})^T", notation="tutorial")
    assert wrong.holds is False


def test_output_layer_written_as_l_or_as_a_number_is_a_reading():
    # Nielsen ch. 2 (30) with the output layer written l; Ng week 3 (two layers) with layer 2 on top
    for notation, latex, name in (
            ("nielsen", r"\delta^{l} = (a^{l} - y) \odot \sigma'(z^{l})", "l as the output layer L"),
            ("dlai", r"dZ^{[2]} = A^{[2]} - Y", "layer 2 as the output layer")):
        result = check(latex, notation=notation, **BOUND)
        assert result.status == "ambiguous" and _readings(result).get(name) == "holds", str(result)
    assert check(r"dZ^{[2]} = Y - A^{[2]}", notation="dlai", **BOUND).holds is False


def test_nielsen_linear_output_is_an_option_and_named_when_it_matters():
    assert check(r"\delta^L = a^L - y", notation="nielsen-linear", **BOUND).holds is True
    result = check(r"\delta^L = a^L - y", notation="nielsen", **BOUND)
    assert result.holds is False and "nielsen-linear" in result.note
    assert "nielsen-linear" not in DETECTION_ORDER  # a convention, chosen by hand, never detected


def test_subscripted_cost_is_named_not_dropped():
    result = check(r"\frac{\partial C_0}{\partial w^l_{jk}} = a^{l-1}_k \delta^l_j", notation="nielsen", **BOUND)
    assert result.holds is True and "C_0" in result.claim


def test_auto_names_the_profiles_that_agree():
    result = check(r"dZ^{[L]} = A^{[L]} - Y", notation="auto", **BOUND)
    assert result.holds is True and result.detected and "read the same in: dlai, rowmajor" in result.note


def test_auto_is_ambiguous_when_the_profiles_disagree():
    # W^{(l)} maps l to l+1 in UFLDL, l-1 to l in the tutorial: the same text, two claims
    result = check(r"\delta^{(l)} = ((W^{(l)})^T \delta^{(l+1)}) \circ f'(z^{(l)})", notation="auto", **BOUND)
    readings = _readings(result)
    assert result.status == "ambiguous" and readings["in tutorial"] == "fails" and readings["in ufldl"] == "holds"


@pytest.mark.parametrize("latex, kept, dropped", [
    (r"dW^{[l]} = \frac{1}{m} A^{[l-1]T} dZ^{[l]}", "rowmajor", "dlai"),
])
def test_auto_drops_a_profile_where_the_formula_does_not_type_check(latex, kept, dropped):
    result = check(latex, notation="auto")
    assert result.holds is True and result.notation == kept and f"does not type-check in {dropped}" in result.note


def test_a_last_layer_letter_marks_its_profile():
    # CS229 numbers the output layer r; dlai would read r as any layer and fail
    result = check(r"\frac{\partial J}{\partial a^{[r]}} = a^{[r]} - y", notation="auto", **BOUND)
    assert result.holds is True and result.notation == "cs229", str(result)


def test_detection_order_and_style_are_profile_attributes():
    ranks = [NOTATIONS[n].detect_rank for n in DETECTION_ORDER]
    assert ranks == sorted(ranks) and DETECTION_ORDER[0] == "paper"
    for prof in NOTATIONS.values():
        assert prof.usual_style == "" or prof.usual_style in prof.index_styles, prof.name


def test_a_formula_true_only_for_tanh_fails_and_names_tanh():
    # Ng, deeplearning.ai course 1 week 3 (tanh hidden layer): g'(z) written as 1 - a^2
    latex = r"dZ^{[1]} = W^{[2]T} dZ^{[2]} * (1 - (A^{[1]})^{2})"
    result = check(latex, notation="dlai")
    assert result.holds is False and result.counterexample.kind == "value"
    assert "holds when the hidden layers are tanh (--activations tanh)" in result.note
    assert check(latex, notation="dlai", activations=["tanh"]).status == "proved"
    wrong = check(r"dZ^{[1]} = W^{[2]T} dZ^{[2]} * (1 + (A^{[1]})^{2})", notation="dlai")
    assert wrong.holds is False and "holds when" not in wrong.note


def test_a_numbered_two_layer_formula_with_the_input_is_read_on_depth_two():
    # CS229 notes, two-layer network: the output o = W^{[2]} a + b^{[2]} is linear, J = 1/2 (o - y)^2
    latex = (r"\frac{\partial J}{\partial W^{[1]}} = "
             r"\left(W^{[2]\top} (a^{[2]} - y) \odot \sigma'(z^{[1]})\right) x^\top")
    result = check(latex, notation="cs229")
    assert result.holds is False
    assert "holds with a linear output layer, a^{[r]} = z^{[r]}, reading layer 2 as the output layer (depth 2)" \
        in result.note
    sigmoid_out = r"\frac{\partial J}{\partial W^{[1]}} = \left(W^{[2]\top} ((a^{[2]} - y) \odot \sigma'(z^{[2]})) " \
                  r"\odot \sigma'(z^{[1]})\right) x^\top"
    held = check(sigmoid_out, notation="cs229")
    assert held.status == "ambiguous"
    assert dict(held.readings)["layer 2 as the output layer (depth 2)"].status == "proved"
