"""A proof claims every architecture: random formulas it proves hold exactly on bigger networks too.

Formulas are drawn from the public strategy ``derivations.strategies.latex_formulas``; each one
``check`` proves is checked again, exactly, on a network deeper and wider than any the proof used
(and with a larger batch where m is free). The independent float64 ground truth for fixed
templates and their mutants is in ``test_proof_numeric.py``.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from derivations import Architecture
from derivations.checker import check
from derivations.errors import BackpropVerifyError
from derivations.strategies import latex_formulas


def _bigger(result, draw_widths) -> tuple[Architecture, int]:
    proof = result.proof
    deepest = max(a.depth for a in proof.architectures)
    widest = max(max(a.widths) for a in proof.architectures)
    depth = max(deepest, proof.min_depth) + 1
    widths = draw_widths(depth, widest)
    if proof.output_width is not None:
        widths = widths[:-1] + (proof.output_width,)
    m = 1 if "m = 1" in proof.batch else widest + 1
    return Architecture(widths, "sigma", "affine" if "affine" in " ".join(result.assumptions) else "homogeneous"), m


def _holds_bigger(notation: str, latex: str, result, draw_widths) -> None:
    arch, m = _bigger(result, draw_widths)
    again = check(latex, notation=notation, architectures=[arch], batch=m)
    if again.instances:
        assert again.holds is True, f"{latex} proved ({result.proof.scope()}) but on {arch.label()}, m={m}: {again}"


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(["paper", "tutorial"]).flatmap(
    lambda n: st.tuples(st.just(n), st.lists(latex_formulas(notation=n), min_size=25, max_size=25, unique=True))),
       st.data())
def test_proved_random_formulas_hold_on_bigger_networks(drawn, data):
    notation, formulas = drawn

    def draw_widths(depth, widest):
        return tuple(data.draw(st.lists(st.integers(widest, widest + 1), min_size=depth + 1, max_size=depth + 1)))

    for latex in formulas:
        try:
            result = check(latex, notation=notation)
        except BackpropVerifyError:
            continue
        if result.status == "proved":
            _holds_bigger(notation, latex, result, draw_widths)


KNOWN = [("paper", r"\Delta_i = (W_{i+1}^T \Delta_{i+1}) \circ \Sigma'_i"),
         ("paper", r"\nabla_{W_i} f = \Delta_i \cdot \Sigma_{i-1}^T"),
         ("tutorial", r"dW^{(l)} = \frac{1}{m} \delta^{(l)} (a^{(l-1)})^T"),
         ("tutorial", r"\delta^{(l)} = ((W^{(l+1)})^T \delta^{(l+1)}) \odot f'(z^{(l)})"),
         ("nielsen", r"\delta^l_j = \sum_k w^{l+1}_{kj} \delta^{l+1}_k \sigma'(z^l_j)")]


@settings(max_examples=3, deadline=None)
@given(st.sampled_from(KNOWN), st.data())
def test_proved_textbook_formulas_hold_on_bigger_networks(case, data):
    notation, latex = case
    result = check(latex, notation=notation)
    assert result.status == "proved"

    def draw_widths(depth, widest):
        return tuple(data.draw(st.lists(st.integers(widest, widest + 1), min_size=depth + 1, max_size=depth + 1)))

    _holds_bigger(notation, latex, result, draw_widths)
