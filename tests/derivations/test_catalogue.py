"""Each catalogue record's LaTeX, parsed by the checker, is exactly its computation (shown = computed)."""

import pytest

from derivations.checker import get_notation, parse_formula
from derivations.checker.instance import letters, sides
from derivations.exact import compare
from derivations.network import Architecture, Network
from derivations.registry import FORMULAS, document_entries, verify
from derivations.verdict import Verdict

PAPER = get_notation("paper")
ARCHITECTURES = [((2, 3, 2, 1), "homogeneous"), ((2, 2, 2, 2, 1), "homogeneous"), ((1, 1, 1), "homogeneous"),
                 ((2, 2, 1), "affine")]


def _record(name):
    form = FORMULAS[name]
    if form.unchecked:
        pytest.skip(f"{name}: {form.unchecked}")
    return form


@pytest.mark.parametrize("name", list(FORMULAS))
def test_catalogue_latex_is_exactly_its_computation(name):
    form = _record(name)
    parsed = parse_formula(form.latex, notation="paper", order=form.order)
    _, letter = letters(parsed, PAPER)
    checked = 0
    for widths, kind in ARCHITECTURES:
        arch = Architecture(widths, "sigma", kind)
        if form.applies(arch):
            continue
        net = Network(arch)
        for i in form.layers(arch):
            _, shown = sides(parsed, net, {letter: i, "k": net.depth}, PAPER)
            assert compare(net, shown, form.compute(net, i), layer=i) is None, f"{form.latex} on {arch.label()}, {i}"
            checked += 1
    assert checked, name


def test_every_unchecked_record_says_why():
    for form in FORMULAS.values():
        assert form.unchecked is None or len(form.unchecked) > 20, form.name


def test_document_entries_come_from_the_catalogue():
    assert [f.tag for f in document_entries("homogeneous")] == ["3", "3'", "4", "5", "R"]
    assert [f.tag for f in document_entries("affine")] == ["3'", "4", "5", "R", "Rb"]
    assert all(f.pieces is not None for f in document_entries("affine"))


def test_verify_returns_the_one_verdict_with_the_proof_vocabulary():
    v = verify("eq3_corrected", Architecture((2, 2, 1)))
    assert isinstance(v, Verdict) and v.status == "holds on the sweep only" and v.entry is FORMULAS["eq3_corrected"]
    bad = verify("eq3", Architecture((2, 2, 2, 2, 1)))
    assert bad.status == "fails" and bad.counterexample is not None
