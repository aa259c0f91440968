"""The proofs of the report are about the code it runs: each obligation is proved, its Python is the
same claim, and the fold the obligations describe is the registry's code (Hypothesis, every layer)."""

from dataclasses import replace

import pytest
import sympy as sp
from hypothesis import given

from derivations import (
    FORMULAS,
    Architecture,
    Network,
    ShapeError,
    compare,
    grad_N,
    grad_Sigma,
    grad_W,
    lemmas,
    verify,
)
from derivations.paper_proofs import INDUCTIONS, LEMMAS, PRINTED_PROOFS, TYPO_STEPS, find
from derivations.products import bullet, diag_hat, dot
from derivations.registry import proved_by
from derivations.strategies import architectures

BY_KEY = {ind.key: ind for ind in INDUCTIONS}


def _is_zero(difference: sp.Matrix) -> bool:
    return all(sp.expand(e) == 0 for e in difference)


def _arch_strategy(ind):
    if ind.case:  # (1), (2): the one-dimensional case
        return architectures(max_depth=4, max_width=1, activations=["sigma"])
    return architectures(max_depth=4, max_width=3, activations=["sigma"])


@pytest.mark.parametrize("ind", INDUCTIONS, ids=lambda ind: ind.key)
def test_fold_of_the_obligations_is_the_registry_code(ind):
    @given(arch=_arch_strategy(ind))
    def check(arch):
        net = Network(arch)
        for name in [n for n, f in FORMULAS.items() if f.proof is ind]:
            for i in range(1, arch.depth + 1):
                code, fold = FORMULAS[name].compute(net, i), ind.fold(net, i)
                assert code.shape == fold.shape and _is_zero(code - fold), (name, arch, i)
    check()


def _mutant_step(net, j, delta):
    """The step of (3) without its slope: Delta_{j+1} • W_{j+1}^T (the o Sigma'_j dropped)."""
    return bullet(delta, net.W(j + 1).T)


def test_fold_comparison_rejects_a_mutated_step():
    mutated = replace(BY_KEY["eq3"], next=_mutant_step)
    net = Network(Architecture((2, 2, 2, 1)))
    assert not _is_zero(FORMULAS["eq3_corrected"].compute(net, 1) - mutated.fold(net, 1))


@given(arch=architectures(max_depth=3, max_width=3, output_width=1, activations=["sigma", "tanh"]))
def test_python_of_each_obligation_states_the_same_claim(arch):
    """base: Delta_k; step: Delta_{j+1} -> Delta_j; readout: Delta_i -> grad_{W_i} f, with the true Delta."""
    net = Network(arch)
    k = arch.depth
    for ind in INDUCTIONS:
        if ind.case and not arch.is_one_dimensional:
            continue
        assert compare(net, ind.first(net), grad_N(net, k)) is None, (ind.key, "base")
        for j in range(1, k):
            assert compare(net, ind.next(net, j, grad_N(net, j + 1)), grad_N(net, j)) is None, (ind.key, j)
        for i in range(1, k + 1):
            if ind.out is not None:
                assert compare(net, ind.out(net, i, grad_N(net, i)), grad_W(net, i)) is None, (ind.key, i)


@pytest.mark.parametrize("name", ["eq1", "eq3_corrected", "Delta", "recursion", "eq4", "eq5", "eq6", "eq7"])
def test_every_obligation_is_proved_by_the_checker(name):
    finding = find(name, proved_by(name))
    assert finding.status == "proved", finding.line()
    assert all(result.proof is not None for _, _, result in finding.checks)


def test_eq4_obligations_are_read_right_to_left():
    assert all(ob.order == "right" for ob in BY_KEY["eq4"].obligations)


@pytest.mark.parametrize("name", sorted(TYPO_STEPS))
def test_typos_fail_as_latex_steps(name):
    finding = find(name, TYPO_STEPS[name])
    assert finding.status == "fails" and finding.counterexample is not None


def test_typo_steps_fail_where_the_sweep_does():
    eq3 = find("eq3", TYPO_STEPS["eq3"]).counterexample
    assert eq3.architecture.widths == (1, 1, 2, 1, 1) and eq3.kind == "shape"
    step = find("eq6_proof", TYPO_STEPS["eq6_proof"]).counterexample
    assert step.architecture.widths == (1, 1) and step.kind == "value"


@given(arch=architectures(max_depth=3, max_width=3, activations=["sigma"]))
def test_corrected_proof_steps_are_their_stacked_latex(arch):
    """Rows/entries of the corrected 4th (6) and 3rd (7) expressions, stacked, are the LaTeX the checker proves."""
    net = Network(arch)
    for r in range(1, arch.depth + 1):
        assert _is_zero(lemmas.eq6_proof_step_corrected(net, r) - lemmas.eq6(net, r))
    for r in range(arch.depth):
        stacked = dot(dot(net.W(r + 1).T, diag_hat(net.Sigma_prime(r + 1))), grad_Sigma(net, r + 1))
        assert _is_zero(lemmas.eq7_proof_step_corrected(net, r) - stacked)


def test_latex_of_the_corrected_steps_is_what_the_registry_maps():
    assert LEMMAS["eq6_proof_corrected"].latex == PRINTED_PROOFS["(6)"][3].corrected
    assert LEMMAS["eq7_proof_corrected"].latex == PRINTED_PROOFS["(7)"][3].corrected


@given(arch=architectures(max_depth=3, max_width=2, activations=["sigma", "tanh", "relu"]))
def test_chain_rule_steps_of_the_printed_proofs_hold(arch):
    net = Network(arch)
    for r in range(1, arch.depth + 1):
        truth = grad_W(net, r)
        assert compare(net, lemmas.eq6_proof_chain_rule(net, r), truth) is None
        assert compare(net, lemmas.eq6_proof_substituted(net, r), truth) is None
    for r in range(arch.depth):
        truth = grad_Sigma(net, r)
        assert compare(net, lemmas.eq7_proof_chain_rule(net, r), truth) is None
        assert compare(net, lemmas.eq7_proof_substituted(net, r), truth) is None


def test_registry_check_of_a_proof_step_is_not_vacuous():
    """The 3rd expression of (6) with the neuron's input Sigma_r (the printed 4th's slip) is rejected."""
    net = Network(Architecture((1, 1, 1)))
    wrong = replace(FORMULAS["eq6_proof_substituted"], compute=lemmas.eq6_proof_step)
    assert verify(wrong, net).holds is False


def test_printed_proof_of_7_is_a_shape_slip_only():
    one_dim = Network(Architecture((1, 1, 1)))
    assert compare(one_dim, lemmas.eq7_proof_step(one_dim, 0), grad_Sigma(one_dim, 0)) is None
    with pytest.raises(ShapeError, match=r"Sigma'_1 is 2x1, \(W_1\^T\)\^1 is 1x2"):
        lemmas.eq7_proof_step(Network(Architecture((1, 2, 1))), 0)
