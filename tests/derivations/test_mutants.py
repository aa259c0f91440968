"""Every mutant of the recursion is rejected with a concrete counterexample."""

import pytest

from derivations import Formula, sweep
from derivations.ground_truth import grad_W
from derivations.space import ArchitectureSpace
from tests.mutants import MUTANTS

ARCHS = list(ArchitectureSpace(max_depth=3, max_width=2))


@pytest.mark.parametrize("name", sorted(MUTANTS), ids=sorted(MUTANTS))
def test_mutant_is_rejected_with_a_counterexample(name):
    mutant = Formula(name, "mutant", name, "", MUTANTS[name], truth=grad_W)
    verdict = sweep(mutant, ARCHS)
    assert verdict.holds is False, name
    ce = verdict.counterexample
    assert ce is not None and ce.message
    if ce.kind == "value":
        assert ce.formula_value != ce.truth_value
        assert ce.entry is not None and ce.point


@pytest.mark.parametrize("name", sorted(MUTANTS), ids=sorted(MUTANTS))
def test_mutant_fails_already_on_2_2_1(name):
    """Each mistake shows on the small [2,2,1] net: no mutant needs a big architecture."""
    mutant = Formula(name, "mutant", name, "", MUTANTS[name], truth=grad_W)
    verdict = sweep(mutant, [a for a in ARCHS if a.widths == (2, 2, 1)])
    assert verdict.holds is False
