"""The exact check: specialisations are real, counterexamples are genuine, shapes are reported."""

import sympy as sp

from derivations import Architecture, Network, compare, grad_W
from derivations.exact import specialization


def _no_slope(net, i):
    """grad W_1 without the hidden slope: right only when sigma' = 1 (identity)."""
    return (net.W(2).T * net.Sigma_prime(2)) * net.Sigma(0).T


def test_identity_specialisation_accepts_what_abstract_sigma_rejects():
    for act, expected in [("identity", None), ("sigma", "fails"), ("tanh", "fails"), ("relu", "fails")]:
        net = Network(Architecture((2, 2, 1), act))
        result = compare(net, _no_slope(net, 1), grad_W(net, 1), layer=1)
        assert (result is None) == (expected is None), act


def test_sigmoid_relation_is_used():
    net = Network(Architecture((1, 1), "sigmoid"))
    s = net.sigma(1, 0)
    claim = sp.Matrix([[s * (1 - s) * net.X[0]]])
    assert compare(net, claim, grad_W(net, 1)) is None
    assert compare(Network(Architecture((1, 1), "tanh")), claim, grad_W(net, 1)) is not None
    assert specialization(net)[0]


def test_counterexample_values_really_differ():
    net = Network(Architecture((2, 2, 1)))
    ce = compare(net, 2 * grad_W(net, 1), grad_W(net, 1), layer=1)
    assert ce.kind == "value" and ce.layer == 1 and ce.entry == (0, 0)
    assert sp.Rational(ce.formula_value) == 2 * sp.Rational(ce.truth_value) != 0


def test_shape_mismatch_is_a_shape_counterexample():
    net = Network(Architecture((3, 2, 1)))
    ce = compare(net, grad_W(net, 1).T, grad_W(net, 1), layer=1)
    assert ce.kind == "shape" and "3x2" in ce.message and "2x3" in ce.message


def test_jupyter_latex_of_a_failing_verdict_escapes_the_message():
    import re

    from derivations import verify
    verdict = verify("eq6_proof", Architecture((2, 2, 1)))
    for text in (verdict._repr_latex_(), verdict.counterexample._repr_latex_()):
        body = text[len("$\\text{"):-2]
        assert text.startswith("$\\text{") and text.endswith("}$")
        assert not re.search(r"(?<!\\)[_^]", body.replace("\\textbackslash{}", ""))
        assert "\\textbackslash{}sigma" in body


def test_compare_gives_the_same_counterexample_for_a_sympy_or_symengine_truth():
    from derivations.ground_truth import engine_truth

    net = Network(Architecture((2, 3, 1)))
    claim = _no_slope(net, 1)
    rebuilt = grad_W(net, 1).applyfunc(sp.expand)  # the same values, not the memoised matrix
    results = [compare(net, claim, truth, layer=1) for truth in
               (grad_W(net, 1), engine_truth(grad_W, net, 1), rebuilt)]
    assert results[0].kind == "value"
    assert results[0] == results[1] == results[2]


def test_witness_for_the_abstract_sigma_needs_no_pre_activation(monkeypatch):
    net = Network(Architecture((2, 2, 1)))
    expected = compare(net, _no_slope(net, 1), grad_W(net, 1), layer=1)

    def no_pre_activation(self, i):
        raise AssertionError("the abstract sigma's witness point must not build N_i")

    monkeypatch.setattr(Network, "N", no_pre_activation)
    fresh = Network(Architecture((2, 2, 1)))
    assert compare(fresh, _no_slope(fresh, 1), grad_W(fresh, 1), layer=1) == expected
