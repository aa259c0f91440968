"""Public Hypothesis strategies and assert_gradient_matches (numeric, stated tolerance)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from derivations import Architecture, ArchitectureError, BackpropVerifyError, BoundsError, Network
from derivations.checker import check
from derivations.strategies import activations, architectures, networks, points
from derivations.testing import assert_gradient_matches, verified_gradients


@given(architectures(min_depth=2, max_depth=3, min_width=2, max_width=3, output_width=1))
def test_architectures_respect_their_bounds(arch):
    assert 2 <= arch.depth <= 3 and arch.widths[-1] == 1
    assert all(2 <= n <= 3 for n in arch.widths[:-1])


@given(architectures(max_depth=3, max_width=2, output_width=1, activations=["sigma"]))
def test_recursion_holds_exactly_on_drawn_architectures(arch):
    assert check(r"\Delta_i = (W_{i+1}^T \cdot \Delta_{i+1}) \circ \Sigma'_i", architectures=[arch]).holds


@given(architectures(max_depth=3, max_width=2, output_width=1, activations=["sigma"]))
def test_missing_transpose_mutant_is_rejected_on_drawn_non_square_nets(arch):
    result = check(r"\Delta_i = (W_{i+1} \cdot \Delta_{i+1}) \circ \Sigma'_i", architectures=[arch])
    square = all(a == b for a, b in zip(arch.widths[1:-1], arch.widths[2:], strict=False))
    assert result.holds is (True if square else False)


@pytest.mark.parametrize("kwargs, message", [
    (dict(min_depth=2, max_depth=1), "Cannot have max_depth=1 < min_depth=2"),
    (dict(max_width=0), "max_width must be an integer >= 1"),
    (dict(min_depth=1.5), "min_depth must be an integer"),
    (dict(forms=["row-major"]), "forms must be"),
    (dict(output_width=0), "output_width must be an integer >= 1"),
])
def test_architectures_validates_arguments(kwargs, message):
    with pytest.raises(BackpropVerifyError, match=message):
        architectures(**kwargs)


def test_other_strategies_validate_arguments():
    with pytest.raises(ArchitectureError, match="Cannot have max_batch=1 < min_batch=2"):
        networks(min_batch=2, max_batch=1)
    with pytest.raises(BoundsError, match="Cannot have max_value"):
        points(Network(Architecture((1, 1))), min_value=1.0, max_value=0.0)
    with pytest.raises(ArchitectureError, match="no activation"):
        activations(names=["sigma"], concrete=True)


@given(st.data())
def test_points_have_the_network_shapes_and_bounds(data):
    net = data.draw(networks(architectures=architectures(max_depth=2, forms=["affine"]), max_batch=3))
    p = data.draw(points(net, min_value=-1.0, max_value=1.0))
    assert p.X.shape == (net.n(0), net.m) and p.Y.shape == (net.n(net.depth), net.m)
    assert all(p.W[i].shape == net.W(i).shape and p.b[i].shape == (net.n(i), 1) for i in p.W)
    assert all(np.all(np.abs(a) <= 1.0) for a in [p.X, *p.W.values(), *p.b.values()])


def _backprop(X, W, b, Y, *, mutant=""):
    """A textbook NumPy delta rule for tanh with MSE 1/(2m); ``mutant`` breaks one thing."""
    k, m = len(W), X.shape[1]
    A, D = [X], [None]
    for i in range(1, k + 1):
        Z = W[i] @ A[-1] + b[i]
        A.append(np.tanh(Z))
        D.append(1 - np.tanh(Z) ** 2)
    delta = (A[k] - Y) * (1 if mutant == "no-derivative" else D[k])
    dW, db = {}, {}
    for i in range(k, 0, -1):
        dW[i] = delta @ A[i - 1].T if mutant == "no-1/m" else delta @ A[i - 1].T / m
        db[i] = delta.sum(axis=1, keepdims=True) / m
        if i > 1:
            square = W[i].shape[0] == W[i].shape[1]
            back = W[i] if mutant == "no-transpose" and square else W[i].T
            delta = (back @ delta) * D[i - 1]
    return dW, db


_ARCHS = architectures(min_depth=2, max_depth=3, min_width=2, max_width=3, activations=["tanh"], forms=["affine"])


@given(st.data())
def test_textbook_backprop_matches_the_verified_gradient(data):
    arch = data.draw(_ARCHS)
    point = data.draw(points(Network(arch, batch=2)))
    assert_gradient_matches(_backprop, arch, point=point, objective="1/(2m)")


@pytest.mark.parametrize("mutant", ["no-derivative", "no-1/m", "no-transpose"])
def test_mutated_backprop_is_rejected(mutant):
    arch = Architecture((2, 3, 3, 1), "tanh", "affine")
    with pytest.raises(AssertionError, match="rtol="):
        assert_gradient_matches(lambda *a: _backprop(*a, mutant=mutant), arch, objective="1/(2m)", batch=2)


def test_reference_gradient_of_output_for_one_neuron():
    arch = Architecture((1, 1), "identity")
    from derivations.strategies import Point
    dW, db = verified_gradients(arch, Point(np.array([[3.0]]), {1: np.array([[2.0]])}))
    assert dW[1].tolist() == [[3.0]] and db == {}
