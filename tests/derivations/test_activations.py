"""Each Activation carries its whole algebra, consistently; a new activation is one registry entry."""

from __future__ import annotations

import numpy as np
import pytest
import symengine as se
import sympy as sp

from derivations import ActivationError, Architecture, Formula, Network, get_activation, grad_W, sweep, verify
from derivations import activations as registry
from derivations.activations import ACTIVATIONS, H, NumpyForm, S, Z, activation_names
from derivations.exact import specialization
from derivations.latex import derive
from tests.mutants import MUTANTS

CONCRETE = [n for n in activation_names() if not get_activation(n).is_abstract]
POINTS = [sp.Rational(-3, 2), sp.Rational(-1, 3), sp.Rational(1, 2), sp.Integer(2)]


def _relation_holds(act, z0) -> bool:
    """Some h in {0, 1} (any h when unused) makes the relation's value and slope sigma(z0), sigma'(z0)."""
    sigma, slope = act.sigma.subs(Z, z0), act.sigma_prime.subs(Z, z0)
    for h0 in ((0, 1) if act.uses_idempotent else (0,)):
        value = sigma if act.value is None else sp.sympify(act.value).subs({Z: z0, H: h0})
        d = slope if act.slope is None else sp.sympify(act.slope).subs({S: value, Z: z0, H: h0})
        if sp.simplify(value - sigma) == 0 and sp.simplify(d - slope) == 0:
            return True
    return False


@pytest.mark.parametrize("name", CONCRETE)
def test_the_exact_checks_relation_holds_for_sigma_and_sigma_prime(name):
    act = get_activation(name)
    for z0 in POINTS:
        assert _relation_holds(act, z0), (name, z0)


@pytest.mark.parametrize("name", activation_names(numeric=True))
def test_numpy_pair_and_slope_through_the_value_agree_with_sympy(name):
    act = get_activation(name)
    z = np.linspace(-3.0, 3.0, 13) + 0.05  # off the ReLU kink
    f, fprime = act.numpy_pair()
    exact_f = np.array([float(act.sigma.subs(Z, v)) for v in z])
    exact_slope = np.array([float(act.sigma_prime.subs(Z, v)) for v in z])
    np.testing.assert_allclose(f(z), exact_f, rtol=1e-12, atol=1e-14, err_msg=f"{name}: f")
    np.testing.assert_allclose(fprime(z), exact_slope, rtol=1e-12, atol=1e-14, err_msg=f"{name}: f'")
    if act.numpy.slope_of_value is not None:
        np.testing.assert_allclose(act.numpy.slope_of_value(f(z)), exact_slope, rtol=1e-12, atol=1e-14,
                                   err_msg=f"{name}: f' through the value")


def test_forward_is_exact_when_algebraic_50_digits_when_transcendental_and_none_on_a_kink():
    relu, tanh = get_activation("relu"), get_activation("tanh")
    assert relu.forward(sp.Rational(3, 2)) == (sp.Rational(3, 2), 1)
    assert relu.forward(sp.Integer(0)) is None
    value, slope = tanh.forward(sp.Integer(1))
    assert isinstance(value, sp.Float) and abs(value - sp.tanh(1)) < sp.Float(10) ** -45
    assert abs(slope - (1 - sp.tanh(1) ** 2)) < sp.Float(10) ** -45


def test_specialize_substitutes_the_value_into_the_slope_and_needs_h_for_relu():
    s, d, N, h = (se.Symbol(x) for x in "s d N h".split())
    assert get_activation("identity").specialize(s, d, N) == {s: N, d: 1}
    assert get_activation("relu").specialize(s, d, N, h) == {s: N * h, d: h}
    assert get_activation("softplus").specialize(s, d, N) == {}
    with pytest.raises(ActivationError, match="fresh 0/1 symbol"):
        get_activation("relu").specialize(s, d, N)


def test_a_template_outside_z_s_h_is_rejected():
    with pytest.raises(ActivationError, match="value template"):
        registry.Activation("bad", Z**2, "b", value=S**2)


def test_abstract_and_layerwise_activations_have_no_numeric_form():
    for name in ("sigma", "softmax"):
        with pytest.raises(ActivationError, match="identity, sigmoid, tanh, relu, softplus"):
            get_activation(name).numpy_pair()


def test_prove_composite_flag_matches_substituted_values():
    """derivations.checker.prove treats identity and ReLU as composite: exactly the entries with a value."""
    assert {n for n in activation_names() if get_activation(n).substitutes_value} == {"identity", "relu"}


# -- a new activation is one entry --------------------------------------------------------
NEW = {
    # polynomial: value and slope substituted, witnesses exact
    "square": registry.Activation("square", Z**2, r"\operatorname{sq}", value=Z**2, slope=2 * Z,
                                  numpy=NumpyForm(np.square, lambda z: 2.0 * z)),
    # transcendental, value free, slope through the value: d = s
    "expo": registry.Activation("expo", sp.exp(Z), r"\exp", slope=S,
                                numpy=NumpyForm(np.exp, np.exp, lambda a: a)),
}


@pytest.fixture(params=sorted(NEW))
def new(request, monkeypatch) -> str:
    """A copy of the registry with one new entry; nothing else is touched."""
    monkeypatch.setattr(registry, "ACTIVATIONS", {**ACTIVATIONS, request.param: NEW[request.param]})
    return request.param


def test_a_new_entry_is_known_everywhere(new):
    assert get_activation(new) is NEW[new] and new in activation_names(numeric=True)
    assert _relation_holds(NEW[new], sp.Rational(1, 2))
    assert specialization(Network(Architecture((1, 1), new)))[0]


def test_a_new_entry_is_decided_exactly(new):
    for name in ("eq3_corrected", "eq4", "eq5", "recursion"):
        verdict = verify(name, Architecture((2, 2, 1), new))
        assert verdict.holds is True, (new, name, str(verdict))


def test_the_exact_check_uses_the_new_relation(new):
    """sigma in place of sigma' is right only when sigma' = sigma (expo), and the check knows it."""
    arch = Architecture((1, 1, 1), new)
    mutant = Formula("sigma_for_sigma_prime", "mutant", "", "", MUTANTS["sigma_for_sigma_prime"], truth=grad_W)
    assert verify(mutant, arch).holds is (new == "expo")


def test_the_witness_search_finds_a_counterexample_for_a_mutant(new):
    mutant = Formula("dropped_slope", "mutant", "", "", MUTANTS["dropped_slope"], truth=grad_W)
    verdict = sweep(mutant, [Architecture((1, 1, 1), new), Architecture((2, 2, 1), new)])
    ce = verdict.counterexample
    assert verdict.holds is False and ce.kind == "value" and ce.point, str(verdict)
    assert sp.N(sp.sympify(ce.formula_value) - sp.sympify(ce.truth_value)) != 0
    net = Network(ce.architecture)
    x, w1 = (sp.sympify(ce.point[str(sym)]) for sym in (net.X[0], net.W(1)[0, 0]))
    shown = sp.sympify(ce.point[str(net.sigma_prime(1, 0))])  # the forward pass of the new activation
    assert abs(sp.N(shown - NEW[new].sigma_prime.subs(Z, w1 * x))) < 1e-12


def test_the_latex_derivation_renders_the_new_activation(new):
    doc = derive([2, 2, 1], new).document()  # verified: the table lists the exact verdicts
    value = {"square": r"\sigma_{1,j} = N_{1,j}^{2}", "expo": r"\sigma_{1,j} = e^{N_{1,j}}"}[new]
    relation = {"square": r"\sigma'_{1,j} = 2 N_{1,j}", "expo": r"\sigma'_{1,j} = \sigma_{1,j}"}[new]
    assert f"layer 1: {new}, ${value}$, ${relation}$" in doc
    assert "(4) & formula (4), read right to left & proved for every architecture" in doc


def test_the_numpy_pair_of_the_new_entry(new):
    f, fprime = get_activation(new).numpy_pair()
    z = np.array([-1.0, 0.5, 2.0])
    np.testing.assert_allclose(fprime(z), [float(NEW[new].sigma_prime.subs(Z, v)) for v in z], rtol=1e-12)
    np.testing.assert_allclose(f(z), [float(NEW[new].sigma.subs(Z, v)) for v in z], rtol=1e-12)
