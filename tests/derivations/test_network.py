"""Architecture validation and the network's named objects."""

import pytest
import sympy as sp

from derivations import ActivationError, Architecture, ArchitectureError, Network


@pytest.mark.parametrize("widths, fragment", [
    ((2, 0, 1), "n_1=0"), ((3,), "at least"), ((2, -1), "n_1=-1"), ((2, 1.5), "n_1=1.5"), ("ab", "n_0='a'"),
])
def test_bad_widths_name_the_problem(widths, fragment):
    with pytest.raises(ArchitectureError, match=fragment):
        Architecture(widths)


def test_activation_count_must_match_depth():
    with pytest.raises(ArchitectureError, match="one activation per layer: k=2"):
        Architecture((2, 2, 1), ["tanh"])


def test_unknown_activation_lists_known_ones():
    with pytest.raises(ActivationError, match="known: identity, sigmoid, tanh, relu, softplus, silu, softmax, sigma"):
        Architecture((2, 1), "mish")


def test_layer_out_of_range():
    net = Network(Architecture((2, 2, 1)))
    with pytest.raises(ArchitectureError, match="in 1..2"):
        net.W(3)


def test_shapes_follow_the_paper():
    net = Network(Architecture((3, 2, 1)))
    assert net.X.shape == (3, 1)
    assert net.W(1).shape == (2, 3) and net.W(2).shape == (1, 2)
    assert net.N(1).shape == net.Sigma(1).shape == net.Sigma_prime(1).shape == (2, 1)
    assert net.Sigma_prime_hat(1) == sp.diag(*net.Sigma_prime(1))
    assert net.Sigma(0) == net.X


def test_composed_function_of_the_smallest_net():
    net = Network(Architecture((1, 1), "tanh"))
    w, x = net.W(1)[0, 0], net.X[0, 0]
    assert net.f() == sp.Matrix([[sp.tanh(w * x)]])


def test_affine_pre_activation_has_the_bias():
    net = Network(Architecture((2, 1), "identity", "affine"), batch=3)
    assert net.N(1) == net.W(1) * net.X + net.b(1) * sp.ones(1, 3)
    with pytest.raises(ArchitectureError, match="no biases"):
        Network(Architecture((2, 1))).b(1)


def test_seed_is_one_for_the_paper_and_symbols_otherwise():
    assert Network(Architecture((2, 1))).V == sp.Matrix([[1]])
    assert Network(Architecture((2, 2))).V.free_symbols
