"""A softmax output layer in a checked formula (the classifiers of d2l 4.1, CS231n, DLAI course 2).

Regression: a softmax layer of width 1 was read as a coordinate-wise activation by the ground
truth (one argument looked like sigma(z)), which raised instead of giving the 1x1 Jacobian.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from derivations import Architecture, Network, check, get_notation, grad_N
from derivations.ground_truth import cross_entropy

SOFTMAX = replace(get_notation("dlai"), name="dlai-softmax", output_activation="softmax",
                  delta_objective="cce 1", default_loss="cce 1/m")


def test_a_width_one_softmax_layer_has_its_jacobian():
    net = Network(Architecture((2, 1), "softmax"), batch=1)
    assert grad_N(net, 1).shape == (1, 1)
    assert grad_N(net, 1, cross_entropy()).shape == (1, 1)


@pytest.mark.parametrize("latex, status", [
    (r"dZ^{[L]} = A^{[L]} - Y", "holds on the sweep only"),
    (r"dW^{[L]} = \frac{1}{m} dZ^{[L]} A^{[L-1]T}", "holds on the sweep only"),
    (r"dZ^{[L]} = \frac{1}{m}(A^{[L]} - Y)", "fails"),
    (r"dZ^{[L]} = A^{[L]} \circ (1 - A^{[L]}) - Y", "fails"),
])
def test_softmax_cross_entropy_formulas_are_decided(latex, status):
    result = check(latex, notation=SOFTMAX)
    assert result.status == status
    if status == "holds on the sweep only":
        assert "softmax" in result.note
