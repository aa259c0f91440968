"""Fuzzing: any text, and any string of the grammar, ends in a verdict or one of our errors."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark

from derivations.checker import CheckResult, check
from derivations.checker.parse import parser
from derivations.errors import BackpropVerifyError
from derivations.strategies import latex_formulas

_FAST = dict(max_depth=2, max_width=2)
_PIECES = st.sampled_from([r"\nabla_{W_i} f", r"\Delta_i", r"\Delta_{i+1}", r"W_{i+1}^T", r"\Sigma'_i",
                           r"\Sigma_{i-1}^T", "=", r"\cdot", r"\circ", r"\bullet", r"\otimes", "(", ")",
                           "{", "}", "_", "^", "'", r"\frac{1}{m}", r"\sum_{s=1}^{m}", "+", "-", "k",
                           r"\widehat{", r"\operatorname{diag}", ";", "X", "1", r"\foo", "@", " "])


def _ends_well(text: str, notation: str = "paper") -> None:
    try:
        result = check(text, notation=notation, **_FAST)
    except BackpropVerifyError:
        return
    assert isinstance(result, CheckResult) and result.holds in (True, False, None)


@settings(suppress_health_check=list(HealthCheck))
@given(st.text(max_size=80), st.sampled_from(["paper", "tutorial"]))
def test_arbitrary_text_ends_in_a_verdict_or_our_error(text, notation):
    _ends_well(text, notation)


@settings(suppress_health_check=list(HealthCheck))
@given(st.lists(_PIECES, max_size=25).map(" ".join))
def test_near_miss_formulas_end_in_a_verdict_or_our_error(text):
    _ends_well(text)


@settings(suppress_health_check=list(HealthCheck))
@given(from_lark(parser()), st.sampled_from(["paper", "tutorial"]))
def test_grammar_strings_end_in_a_verdict_or_our_error(text, notation):
    _ends_well(text, notation)



@settings(suppress_health_check=list(HealthCheck))
@given(st.sampled_from(["paper", "tutorial"]).flatmap(
    lambda n: st.tuples(st.just(n), latex_formulas(notation=n))))
def test_well_formed_formulas_always_get_a_verdict(drawn):
    notation, text = drawn
    result = check(text, notation=notation, **_FAST)  # must not raise: every piece is known
    assert result.holds in (True, False, None)
