"""The registry's verify: one shared network per architecture, the comparison in SymEngine."""

from derivations import FORMULAS, Architecture, Network, verify
from derivations.registry import network


def test_verify_shares_one_network_per_architecture():
    network.cache_clear()
    arch = Architecture((2, 2, 1))
    verify("eq3_corrected", arch)
    net = network(arch)
    assert net is network(Architecture((2, 2, 1)))
    assert any(key[0] == "grad" for key in net._cache if isinstance(key, tuple))


def test_verify_converts_no_ground_truth_to_sympy():
    arch = Architecture((3, 2, 2, 1))
    net = Network(arch)
    for name in ("eq3_corrected", "recursion", "eq4", "eq5", "Delta"):
        assert verify(name, net).holds is True, name
    assert not [key for key in net._cache if isinstance(key, tuple) and key[0] == "sympy-grad"]


def test_verdicts_are_the_same_on_a_shared_or_a_fresh_network():
    network.cache_clear()
    arch = Architecture((2, 3, 2, 1))
    for name, form in FORMULAS.items():
        if form.applies(arch):
            continue
        shared, fresh = verify(name, arch), verify(name, Network(arch))
        assert (shared.holds, shared.counterexample) == (fresh.holds, fresh.counterexample), name
