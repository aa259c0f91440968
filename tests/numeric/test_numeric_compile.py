"""Compiled gradients: compiled only once proved, equal to hand-written backprop, pass central differences."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import numeric.compile as compile_module
from derivations import ActivationError, NumericError
from derivations.delta_rule import DELTA_RULE_LATEX, prove_delta_rule
from numeric.compile import NUMERIC_ACTIVATIONS, clear_cache, compile_gradient
from numeric.reference import reference_gradients

from .helpers import assert_directional, directional_mismatch, random_problem


@st.composite
def problems(draw, *, max_depth=3, max_width=4, max_batch=5):
    """(widths, activations, batch, seed) of a random affine network and data."""
    depth = draw(st.integers(1, max_depth))
    widths = tuple(draw(st.lists(st.integers(1, max_width), min_size=depth + 1, max_size=depth + 1)))
    acts = tuple(draw(st.lists(st.sampled_from(NUMERIC_ACTIVATIONS), min_size=depth, max_size=depth)))
    return widths, acts, draw(st.integers(1, max_batch)), draw(st.integers(0, 2**16))


@given(problems())
def test_compiled_gradient_equals_handwritten_backprop(problem):
    widths, acts, m, seed = problem
    W, b, X, Y = random_problem(widths, m, seed)
    loss, dW, db = compile_gradient(acts)(W, b, X, Y)
    ref_loss, ref_dW, ref_db = reference_gradients(W, b, X, Y, acts)
    label = f"{widths} {acts} m={m} seed={seed}"
    np.testing.assert_allclose(loss, ref_loss, rtol=1e-12, err_msg=f"loss, {label}")
    for i in W:
        np.testing.assert_allclose(dW[i], ref_dW[i], rtol=1e-10, atol=1e-14, err_msg=f"dW_{i}, {label}")
        np.testing.assert_allclose(db[i], ref_db[i], rtol=1e-10, atol=1e-14, err_msg=f"db_{i}, {label}")


@given(problems())
def test_compiled_gradient_passes_central_differences(problem):
    widths, acts, m, seed = problem
    W, b, X, Y = random_problem(widths, m, seed)
    _, dW, db = compile_gradient(acts)(W, b, X, Y)
    assert_directional(dW, db, W, b, X, Y, acts, label=f"{widths} {acts} m={m} seed={seed}")


@pytest.mark.parametrize("scale", [2.0, 0.5, -1.0])
def test_central_difference_check_rejects_a_wrong_gradient(scale):
    """The check can fail: a gradient off by a factor (e.g. a missing 1/m) is caught."""
    acts = ("tanh", "sigmoid")
    W, b, X, Y = random_problem((3, 4, 2), 5, seed=1)
    _, dW, db = compile_gradient(acts)(W, b, X, Y)
    analytic, numeric = directional_mismatch({i: scale * G for i, G in dW.items()}, db, W, b, X, Y, acts)
    assert abs(analytic - numeric) > 1e-3 * abs(numeric)
    with pytest.raises(AssertionError, match="directional derivative"):
        assert_directional({i: scale * G for i, G in dW.items()}, db, W, b, X, Y, acts)


def test_compiled_object_carries_a_proof_per_hidden_output_pair():
    grad = compile_gradient(("relu", "tanh", "identity"), widths=(5, 300, 2, 1))
    assert [(p.hidden, p.output) for p in grad.proofs] == [("relu", "identity"), ("tanh", "identity")]
    for proof in grad.proofs:
        assert [name for name, _ in proof.lines] == [name for name, _ in DELTA_RULE_LATEX]
        assert all(r.status == "proved" for r in proof.results), str(proof)
    assert grad.verdict.holds is True and grad.verdict.seconds > 0 and grad.verdict.architectures
    assert "every width" in grad.verdict.note and "relu/identity" in grad.verdict.note
    assert "proved" in repr(grad) and "prove_delta_rule" in type(grad).__doc__
    assert "delta^(L)" in grad.formula
    assert "@" in grad.source or ".dot(" in grad.source


def test_one_layer_network_is_proved_with_its_output_activation():
    assert [(p.hidden, p.output) for p in compile_gradient(("sigmoid",)).proofs] == [("sigmoid", "sigmoid")]


def test_compile_is_cached_per_activations_and_depth():
    assert compile_gradient("tanh", depth=2) is compile_gradient(["tanh", "tanh"])
    assert compile_gradient("tanh", depth=2) is not compile_gradient("tanh", depth=3)


def test_proof_is_shared_by_every_depth():
    """The proof depends on the (hidden, output) pair only: depth 10 reuses the one made for depth 2."""
    shallow, deep = compile_gradient(("tanh", "identity")), compile_gradient(("tanh",) * 9 + ("identity",))
    assert deep.proofs == shallow.proofs and deep.proofs[0] is shallow.proofs[0]


MUTATED_RULE = tuple((name, latex.replace(r"\frac{1}{m}", r"\frac{1}{2}") if name == "dW" else latex)
                     for name, latex in DELTA_RULE_LATEX)


@pytest.fixture
def fresh_cache():
    clear_cache()
    yield
    clear_cache()


def test_compile_refuses_a_rule_that_is_not_proved(monkeypatch, fresh_cache):
    """With dW = delta a^T / 2 as the rule's LaTeX, compiling stops with one line naming the line and verdict."""
    monkeypatch.setattr(compile_module, "prove_delta_rule",
                        lambda hidden, output: prove_delta_rule(hidden, output, rule=MUTATED_RULE))
    with pytest.raises(NumericError, match=r"the delta rule's dW line .*'fails', not 'proved'") as info:
        compile_gradient(("tanh", "identity"))
    assert "\n" not in str(info.value) and r"\frac{1}{2}" in str(info.value)
    assert ("tanh", "identity") not in compile_module._CACHE


def test_compiled_code_size_does_not_grow_with_the_widths():
    """Matrix-level code: widths 256 and batch 1024 use the same few lines as widths 2."""
    grad = compile_gradient(("tanh", "identity"))
    assert len(grad.source.splitlines()) < 20
    W, b, X, Y = random_problem((256, 256, 1), 1024, seed=2)
    loss, dW, db = grad(W, b, X, Y)
    ref_loss, ref_dW, _ = reference_gradients(W, b, X, Y, ("tanh", "identity"))
    np.testing.assert_allclose(dW[1], ref_dW[1], rtol=1e-9, atol=1e-15)


@pytest.mark.parametrize("acts, error", [(("sigma",), ActivationError), (("nope",), ActivationError),
                                         ((), ActivationError)])
def test_non_numeric_activation_is_refused(acts, error):
    with pytest.raises(error):
        compile_gradient(acts)


def test_single_name_needs_depth():
    with pytest.raises(NumericError, match="depth"):
        compile_gradient("tanh")


@pytest.mark.parametrize("change, fragment", [
    (lambda W, b, X, Y: (W, b, X[:2], Y), "layer 1"),
    (lambda W, b, X, Y: (W, b, X, Y[:, :2]), "same m"),
    (lambda W, b, X, Y: (W, {1: b[1]}, X, Y), "layers 1..2"),
    (lambda W, b, X, Y: (W, b, X[:, :0], Y[:, :0]), "m >= 1"),
    (lambda W, b, X, Y: (W, b, X, np.vstack([Y, Y])), "output width"),
])
def test_bad_shapes_raise_numeric_error(change, fragment):
    W, b, X, Y = random_problem((3, 2, 1), 4)
    with pytest.raises(NumericError, match=fragment):
        compile_gradient(("tanh", "identity"))(*change(W, b, X, Y))


def test_lists_instead_of_arrays_raise_numeric_error():
    W, b, X, Y = random_problem((3, 2, 1), 4)
    with pytest.raises(NumericError, match="NumPy arrays"):
        compile_gradient(("tanh", "identity"))(W, b, X.tolist(), Y)
