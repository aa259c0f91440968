"""translate: profiles may be given by name, and the formula as LaTeX."""

from __future__ import annotations

import pytest

from derivations.checker import get_notation, parse_formula
from derivations.checker.formula import translate
from derivations.errors import UnsupportedNotationError

NIELSEN = r"\delta^l = ((w^{l+1})^T \delta^{l+1}) \odot \sigma'(z^l)"


def test_translate_accepts_profile_names_as_well_as_notations():
    src, dst = get_notation("nielsen"), get_notation("ufldl")
    expected = translate(parse_formula(NIELSEN, notation=src), src, dst)
    assert translate(parse_formula(NIELSEN, notation="nielsen"), "nielsen", "ufldl") == expected
    assert translate(NIELSEN, "Nielsen", dst) == expected


def test_translate_names_an_unknown_profile_or_a_wrong_formula():
    formula = parse_formula(NIELSEN, notation="nielsen")
    with pytest.raises(UnsupportedNotationError, match="unknown notation 'nielson'; known:"):
        translate(formula, "nielson", "ufldl")
    with pytest.raises(UnsupportedNotationError, match="translate needs a Formula or its LaTeX as formula, got int"):
        translate(3, "nielsen", "ufldl")
