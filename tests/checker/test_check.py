"""check(): verdicts, smallest counterexamples, shape failures, results, bounds."""

import json

import pytest

from derivations import Architecture, ArchitectureError, Verdict
from derivations.checker import PAPER, CheckResult, Notation, check, get_notation
from derivations.errors import BoundsError, UnsupportedNotationError
from derivations.space import ArchitectureSpace

RECURSION = r"\Delta_i = (W_{i+1}^T \cdot \Delta_{i+1}) \circ \Sigma'_i"


def test_correct_recursion_is_proved_for_every_depth_width_and_output():
    result = check(RECURSION)
    assert result.status == "proved" and result.counterexample is None
    assert result.proof.min_depth == 1 and result.proof.output_width == 1
    assert "n_k = 1 (fixed)" in result.assumptions and "m = 1 (one sample)" in str(result)


def test_the_sweep_asked_for_covers_every_architecture_and_layer():
    result = check(RECURSION, sweep=True)
    assert result.status == "holds on the sweep only" and "not proved: a sweep was asked for" in result.note
    every = set(ArchitectureSpace())  # depths 1-4, widths 1-3, then 5-6 and n_k = 2, m + 1
    assert every <= set(result.architectures) and len(result.architectures) > len(every)
    assert result.instances == sum(a.depth for a in result.architectures)


def test_counterexample_is_the_smallest_architecture_with_values():
    result = check(r"\Delta_i = W_{i+1}^T \cdot \Delta_{i+1}")
    ce = result.counterexample
    assert result.holds is False and ce.kind == "value"
    assert ce.architecture == Architecture((1, 1)) and ce.layer == 1 and ce.entry == (0, 0)
    assert ce.formula_value != ce.truth_value and ce.point


def test_shape_failure_names_the_subexpression_and_shapes():
    ce = check(r"\Delta_i = (W_{i+1} \cdot \Delta_{i+1}) \circ \Sigma'_i").counterexample
    assert ce.kind == "shape" and ce.architecture.widths == (1, 2, 1)
    assert r"(W_{i+1} \cdot \Delta_{i+1}) is 1x2" in ce.message and r"\Sigma'_i is 2x1" in ce.message


def test_layers_follow_the_formula_indices():
    result = check(r"\nabla_{W_{k-2}} f = \Sigma'_k \bullet W_k^T \circ \Sigma'_{k-1} \bullet W_{k-1}^T "
                   r"\circ \Sigma'_{k-2} \cdot \Sigma^T_{k-3}", order="left")
    assert result.status == "proved" and result.proof.min_depth == 3
    assert min(a.depth for a in result.architectures) == 3


def test_depth_bounds_that_contradict_the_indices_are_a_named_error():
    with pytest.raises(BoundsError, match="no layer of a network of depth 1..2 fits"):
        check(r"\nabla_{W_i} f = W_{i+7}", max_depth=2)
    result = check(r"\nabla_{W_i} f = W_{i+7}", max_depth=2, sweep=True)
    assert result.holds is None and "no architecture" in result.note


def test_bounds_are_validated_like_hypothesis():
    with pytest.raises(ArchitectureError, match="Cannot have max_depth=1 < min_depth=2"):
        check(RECURSION, min_depth=2, max_depth=1)
    with pytest.raises(ArchitectureError, match="max_width"):
        check(RECURSION, max_width=0)
    with pytest.raises(ArchitectureError, match="MAX_ARCHITECTURES"):
        check(RECURSION, max_depth=12)


def test_architectures_are_swept_smallest_first():
    archs = list(ArchitectureSpace(max_depth=2, max_width=2))
    assert archs == sorted(archs, key=lambda a: a.size) and len(archs) == 2 + 4


def test_explicit_architectures_and_concrete_activations():
    archs = [Architecture((2, 3, 1), "tanh"), Architecture((1, 2, 1), "relu")]
    assert check(RECURSION, architectures=archs).holds is True


def test_result_serialises_to_json_and_to_a_verdict():
    result = check(r"\nabla_{W_i} f = \Delta_i \cdot \Sigma_i^T", max_depth=2)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["status"] == "fails" and data["counterexample"]["widths"] == [1, 1]
    assert isinstance(result, Verdict) and result.holds is False and result.status == "fails"
    assert "fails" in str(result) and isinstance(result, CheckResult)


def test_notation_is_a_data_object_that_can_be_extended():
    rowish = Notation(**{**PAPER.__dict__, "name": "paper-variant",
                         "symbols": {**PAPER.symbols, "G": "Delta"}})
    assert check(r"G_i = (W_{i+1}^T G_{i+1}) \circ \Sigma'_i", notation=rowish, max_depth=2).holds
    with pytest.raises(UnsupportedNotationError, match="unknown notation"):
        get_notation("no-such-course")
    with pytest.raises(UnsupportedNotationError, match="unknown meanings"):
        Notation("bad", "", {"W": "weights"})


def test_tutorial_batch_and_loss_conventions():
    assert check(r"\delta^{(L)} = (a^{(L)} - y) \odot f'(z^{(L)})", notation="tutorial", batch=3,
                 max_depth=2).holds
    assert check(r"\frac{\partial L}{\partial z^{(L)}} = \frac{1}{m} (a^{(L)} - y) \odot f'(z^{(L)})",
                 notation="tutorial", max_depth=2).holds


def test_shifted_general_index_covers_the_same_layers():
    plain = check(RECURSION, max_depth=3)
    shifted = check(r"\Delta_{i-1} = (W_{i}^T \cdot \Delta_{i}) \circ \Sigma'_{i-1}", max_depth=3)
    assert shifted.holds and shifted.instances == plain.instances
