"""Every correct formula holds exactly on drawn architectures and activations; the typos fail."""

import pytest
from hypothesis import given

from derivations import FORMULAS, Architecture, Network, ShapeError, compare, eq3, eq4, grad_W, verify
from derivations.formulas import eq3_corrected
from derivations.space import ArchitectureSpace
from derivations.strategies import architectures as architectures_strategy

CORRECT = [n for n, f in FORMULAS.items() if not (f.typo or f.reading)]


def drawn_architectures(max_depth=4, max_width=3, output_width=None):
    """Depth 1-4, widths 1-3, one activation per layer from every registered one (public strategy)."""
    return architectures_strategy(max_depth=max_depth, max_width=max_width, output_width=output_width,
                                  mixed_activations=True)


@pytest.mark.parametrize("name", CORRECT)
@given(arch=drawn_architectures(output_width=1))
def test_correct_formula_holds_exactly(name, arch):
    if FORMULAS[name].applies(arch):
        return
    assert verify(name, arch).holds is True


@given(arch=drawn_architectures(max_depth=3))
def test_recursion_and_kronecker_forms_hold_for_wide_outputs_with_the_seed(arch):
    for name in ("recursion", "eq3_corrected", "eq4", "eq5", "Delta"):
        assert verify(name, arch).holds is True, name


@given(arch=drawn_architectures(max_depth=3, max_width=2))
def test_recursion_holds_on_batches(arch):
    net = Network(arch.with_(form="affine"), batch=2)
    assert verify("recursion", net).holds is True


def test_printed_eq3_fails_from_depth_four_and_holds_below():
    for arch in ArchitectureSpace(max_depth=3, max_width=2):
        assert verify("eq3", arch).holds is True
    assert verify("eq3", Architecture((1, 2, 2, 1, 1))).holds is False
    with pytest.raises(ShapeError, match="W_2 is 2x1"):
        eq3(Network(Architecture((1, 1, 2, 1, 1))), 1)


def test_eq3_typo_is_only_in_the_line_for_W1():
    net = Network(Architecture((2, 2, 2, 2, 1)))
    for i in (2, 3, 4):
        assert eq3(net, i) == eq3_corrected(net, i)
    assert eq3(net, 1) != eq3_corrected(net, 1)


def test_reading_of_eq4_right_to_left_is_pinned():
    """(4) holds read right to left; the grouped reading does not (shape or value)."""
    arch = Architecture((2, 2, 2, 2, 1))
    assert verify("eq4", arch).holds is True
    assert verify("eq4_grouped", arch).holds is False
    net = Network(arch)
    assert compare(net, eq4(net, 1), grad_W(net, 1)) is None


def test_one_dimensional_formulas_do_not_apply_elsewhere():
    with pytest.raises(Exception, match="one-dimensional"):
        verify("eq1", Architecture((2, 1)))
