"""Losses beyond the network function: MSE conventions, cross-entropy (sigmoid/softmax), weight decay."""

import pytest
import sympy as sp

from derivations import (
    Architecture,
    ArchitectureError,
    Network,
    UnknownNameError,
    compare,
    grad_N,
    grad_W,
    hadamard,
    mse,
)
from derivations.ground_truth import LAMBDA, Objective, cross_entropy


def _softmax_net(widths, obj):
    arch = Architecture(widths, ["tanh"] * (len(widths) - 2) + ["softmax"], "affine")
    return Network(arch, batch=2, fixed=obj.constraints(Network(arch, batch=2)))


@pytest.mark.parametrize("widths", [(2, 3), (2, 2, 3), (1, 2, 2)])
def test_softmax_cross_entropy_delta_is_a_minus_y(widths):
    obj = cross_entropy("1")
    net = _softmax_net(widths, obj)
    k = net.depth
    assert compare(net, net.Sigma(k) - net.Y, grad_N(net, k, obj)) is None
    wrong = hadamard(net.Sigma(k) - net.Y, net.Sigma(k))
    assert compare(net, wrong, grad_N(net, k, obj)).kind == "value"


def test_softmax_cross_entropy_needs_targets_that_sum_to_one():
    obj = cross_entropy("1")
    net = Network(Architecture((2, 3), "softmax"))
    assert compare(net, net.Sigma(1) - net.Y, grad_N(net, 1, obj)) is not None


def test_sigmoid_binary_cross_entropy_cancels_the_slope():
    obj = cross_entropy("1/m", binary=True)
    net = Network(Architecture((2, 2, 1), ["tanh", "sigmoid"], "affine"), batch=2)
    delta = (net.Sigma(2) - net.Y) / 2
    assert compare(net, delta * net.Sigma(1).T, grad_W(net, 2, obj)) is None
    with_slope = hadamard(net.Sigma(2) - net.Y, net.Sigma_prime(2)) / 2
    assert compare(net, with_slope * net.Sigma(1).T, grad_W(net, 2, obj)) is not None


@pytest.mark.parametrize("decay, factor", [("1/2", 1), ("1/(2m)", sp.Rational(1, 2))])
def test_weight_decay_adds_lambda_w(decay, factor):
    obj = mse(weight_decay=decay)
    net = Network(Architecture((2, 2, 1), "tanh", "affine"), batch=2)
    data = hadamard(net.Sigma(2) - net.Y, net.Sigma_prime(2)) * net.Sigma(1).T / 2
    assert compare(net, data + factor * LAMBDA * net.W(2), grad_W(net, 2, obj)) is None
    assert compare(net, data, grad_W(net, 2, obj)) is not None


def test_mse_scale_conventions_differ_by_their_factor():
    net = Network(Architecture((2, 1), "tanh", "affine"), batch=2)
    assert sp.expand(grad_W(net, 1, mse("1/m")) - 2 * grad_W(net, 1, mse("1/(2m)"))) == sp.zeros(1, 2)


def test_bad_objective_settings_are_our_errors():
    with pytest.raises(UnknownNameError, match="unknown objective kind"):
        Objective("hinge")
    with pytest.raises(UnknownNameError, match="loss scale"):
        mse("1/3")


def test_softmax_layer_has_no_slope_column():
    net = Network(Architecture((2, 3), "softmax"))
    with pytest.raises(ArchitectureError, match="Jacobian"):
        net.Sigma_prime(1)
    assert net.softmax_jacobian(1).shape == (3, 3)
