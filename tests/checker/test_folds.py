r"""Formulas with an ellipsis (\cdots, \ldots, \dots) are folds over the layers: read, proved by induction.

The paper prints (1)-(5) with ellipses (N. M. Mishachev, "Backpropagation in matrix notation",
sections 4-5). The general forms below are the printed lines with a general layer i (the printed
lines for W_1 where they have no typo); each must be proved for every depth and width from its
base, step and readout, each mutant must fail with a counterexample, and an ellipsis whose
written repetitions do not align must be refused with a message saying what was expected.
"""

from __future__ import annotations

import pytest
import sympy as sp

from derivations.checker import PAPER, check, parse_formula
from derivations.checker.evaluate import evaluate
from derivations.checker.nodes import Fold, Index, walk
from derivations.checker.prove import Proof
from derivations.checker.render import normalise, to_latex
from derivations.errors import UnsupportedNotationError
from derivations.ground_truth import grad_W
from derivations.network import Architecture, Network

EQ3 = (r"\nabla_{W_i} f = \Sigma'_k \bullet W_k^T \circ \Sigma'_{k-1} \bullet W_{k-1}^T \circ \cdots \circ "
       r"\Sigma'_i \cdot \Sigma_{i-1}^T")
EQ4 = (r"\nabla_{W_i} f = \Sigma_{i-1}^T \otimes \Sigma'_i \circ W_{i+1}^T \cdot \Sigma'_{i+1} \circ \cdots \circ "
       r"W_{k-1}^T \cdot \Sigma'_{k-1} \circ W_k^T \cdot \Sigma'_k")
EQ5 = (r"\nabla_{W_i} f = \Sigma_{i-1}^T \otimes (\widehat{\Sigma}'_i \cdot W_{i+1}^T \cdot \widehat{\Sigma}'_{i+1} "
       r"\cdots W_{k-1}^T \cdot \widehat{\Sigma}'_{k-1} \cdot W_k^T \cdot \widehat{\Sigma}'_k)")
EQ1 = r"\nabla_{W_i} f = \Sigma'_k W_k \Sigma'_{k-1} W_{k-1} \cdots \Sigma'_i \Sigma_{i-1}"
EQ2 = (r"\nabla_{W_i} f = \underline{\Sigma'_k W_k} \underline{\Sigma'_{k-1} W_{k-1}} \cdots "
       r"\overline{\Sigma'_i \Sigma_{i-1}}")

PROVED = [
    # (id, LaTeX, reading order: None = the paper's own, left to right, remark 1)
    ("(3)", EQ3, None),
    ("(3) one repetition each side", r"\nabla_{W_i} f = \Sigma'_k \bullet W_k^T \circ \cdots \circ \Sigma'_{i+1} "
                                     r"\bullet W_{i+1}^T \circ \Sigma'_i \cdot \Sigma_{i-1}^T", None),
    ("(3) line for W_1, transpose restored", r"\nabla_{W_1} f = \Sigma'_k \bullet W_k^T \circ \Sigma'_{k-1} "
                                             r"\bullet W_{k-1}^T \circ \cdots \circ \Sigma'_2 \bullet W_2^T \circ "
                                             r"\Sigma'_1 \cdot X^T", None),
    ("(4) right to left", EQ4, "right"),
    ("(4) line for W_1 as printed", r"\nabla_{W_1} f = \widetilde{X^T \otimes \Sigma_1'} \circ \underbrace{W_2^T "
                                    r"\cdot \Sigma_2'} \circ \cdots \underbrace{W_{k-2}^T \cdot \Sigma_{k-2}'} \circ "
                                    r"\underbrace{W_{k-1}^T \cdot \Sigma_{k-1}'} \circ \underbrace{W_k^T \cdot "
                                    r"\Sigma_k'}", "right"),
    ("(5)", EQ5, None),
    ("(5) line for W_1 as printed", r"\nabla_{W_1} f = X^T \otimes (\widehat{\Sigma}'_1 \cdot W_2^T \cdot "
                                    r"\widehat{\Sigma}'_2 \cdot \dots W_{k-2}^T \cdot \widehat{\Sigma}'_{k-2} \cdot "
                                    r"W_{k-1}^T \cdot \widehat{\Sigma}'_{k-1} \cdot W_k^T \cdot "
                                    r"\widehat{\Sigma}'_k)", None),
    ("remark 3 unrolled", r"\Delta_i = \Sigma'_i \circ W_{i+1}^T \cdot \Sigma'_{i+1} \circ W_{i+2}^T \cdot \ldots "
                          r"\circ W_k^T \cdot \Sigma'_k", "right"),
    ("letter j", EQ3.replace("W_i}", "W_j}").replace("_i ", "_j ").replace("{i-1}", "{j-1}"), None),
]


@pytest.mark.parametrize("latex, order", [c[1:] for c in PROVED], ids=[c[0] for c in PROVED])
def test_paper_fold_is_proved_by_induction_for_every_depth_and_width(latex, order):
    result = check(latex, order=order)
    assert result.status == "proved", result.summary()
    proof = result.proof
    assert isinstance(proof, Proof) and proof.max_depth is None and "every width" in proof.scope(), latex
    for words in ("induction", "base `", "step `", "readout `"):
        assert words in proof.method, proof.method
    assert proof.models and result.instances == len(proof.models)


def test_proof_of_eq3_names_its_invariant_and_the_lemmas_it_rests_on():
    method = check(EQ3).proof.method
    assert r"I(j) = \nabla_{\Sigma_{j-1}} f" in method, method  # the paper's (7) is the step, (6) the readout
    assert r"step `\nabla_{\Sigma_{i-1}} f = (\nabla_{\Sigma_{i}} f \circ \Sigma'_{i}) \bullet W_{i}^{T}`" in method
    assert r"readout `\nabla_{W_{i}} f = (\nabla_{\Sigma_{i}} f \circ \Sigma'_{i}) \cdot \Sigma_{i-1}^{T}`" in method


def test_fold_that_may_be_empty_proves_the_formula_without_it_too():
    method = check(EQ4, order="right").proof.method
    assert r"empty fold `\nabla_{W_{k}} f = \Sigma_{k-1}^{T} \otimes \Sigma'_{k}`" in method, method


def test_fold_is_proved_for_each_activation_asked_for():
    assert check(EQ3, order="left", activations=("tanh", "relu")).status == "proved"


MUTANTS = [
    # (id, LaTeX, order): each wrong on some network the sweep reaches
    ("transpose dropped in the unit", EQ3.replace("W_k^T", "W_k").replace("W_{k-1}^T", "W_{k-1}"), "left"),
    ("wrong step direction", r"\nabla_{W_i} f = \Sigma_{i-1}^T \otimes \Sigma'_i \circ W_k^T \cdot \Sigma'_k \circ "
                             r"W_{k-1}^T \cdot \Sigma'_{k-1} \circ \cdots \circ W_{i+1}^T \cdot "
                             r"\Sigma'_{i+1}", "right"),
    ("Sigma_i for Sigma_{i-1} in the tail", EQ3.replace(r"\Sigma_{i-1}^T", r"\Sigma_i^T"), "left"),
    ("unit right only at the top (cdot for bullet)", EQ3.replace(r"\bullet", r"\cdot"), "left"),
    ("slope of the wrong layer in (4)", EQ4.replace(r"\Sigma'_{i+1} \circ", r"\Sigma'_{i+2} \circ")
     .replace(r"\Sigma'_{k-1} \circ", r"\Sigma'_{k} \circ"), "right"),
    ("(4) read left to right", EQ4, "left"),
]


@pytest.mark.parametrize("latex, order", [c[1:] for c in MUTANTS], ids=[c[0] for c in MUTANTS])
def test_mutated_fold_fails_with_a_counterexample(latex, order):
    result = check(latex, order=order)
    assert result.status == "fails", result.summary()
    assert result.counterexample is not None and result.counterexample.architecture.depth >= 1


@pytest.mark.parametrize("latex", [EQ1, EQ2], ids=["(1)", "(2)"])
def test_one_dimensional_formulas_fail_for_wider_layers_and_hold_on_the_width_one_sweep(latex):
    wide = check(latex, order="left")
    assert wide.status == "fails" and max(wide.counterexample.architecture.widths) > 1, wide.summary()
    narrow = check(latex, order="left", max_width=1)
    assert narrow.status == "holds on the sweep only" and "widths are bounded to 1-1" in narrow.note


UNREAD = [
    # (LaTeX, what the message must say)
    (r"\nabla_{W_1} f = \underline{\Sigma'_k \bullet W_k^T} \circ \underline{\Sigma'_{k-1} \bullet W_{k-1}^T} \circ "
     r"\underline{\Sigma'_{k-2} \bullet W_{k-2}} \cdots \underline{\Sigma'_2 \bullet W_2^T} \circ "
     r"\widetilde{\Sigma'_1 \cdot X^T}", r"`W_{k-2}` where the repetition needs `W_{k-2}^{T}`"),
    (r"\nabla_{W_1} f = \Sigma'_k \bullet W_k^T \cdots \Sigma'_1 \cdot X^T", "two neighbouring repetitions"),
    (r"\nabla_{W_i} f = \Sigma'_k \bullet W_k^T \circ \Sigma'_{k-1} \bullet W_{k-1}^T \circ \cdots \circ X^T",
     "continue that unit"),
    (r"\nabla_{W_i} f = \Sigma'_k + \cdots + \Sigma'_i", "written on both sides"),
    (r"\nabla_{W_i} f = \Sigma'_k \cdots \Sigma'_{k-1} \cdots \Sigma'_i", "one ellipsis per product chain"),
    (r"\nabla_{W_i} f = \Sigma'_k \circ \cdots^T \circ \Sigma'_i", "no sub- or superscript"),
]


@pytest.mark.parametrize("latex, fragment", UNREAD, ids=[u[1] for u in UNREAD])
def test_unaligned_ellipsis_is_refused_saying_what_was_expected(latex, fragment):
    with pytest.raises(UnsupportedNotationError) as info:
        check(latex)
    assert "ellipsis" in str(info.value) and fragment in str(info.value), str(info.value)


READINGS = [
    # (LaTeX, order, unit at j, first, last, step, tail)
    (EQ3, "left", r"\Sigma'_{j} \bullet W_{j}^{T}", "k", "i+1", -1, r"\Sigma'_{i} \cdot \Sigma_{i-1}^{T}"),
    (EQ4, "right", r"\Sigma'_{j} \circ W_{j+1}^{T}", "i", "k-1", 1, r"\Sigma'_{k}"),
    (EQ1, "left", r"\Sigma'_{j} \cdot W_{j}", "k", "i+1", -1, r"\Sigma'_{i} \cdot \Sigma_{i-1}"),
]


@pytest.mark.parametrize("latex, order, unit, first, last, step, tail", READINGS, ids=["(3)", "(4)", "(1)"])
def test_ellipsis_reads_as_the_shortest_unit_with_its_ends_and_step(latex, order, unit, first, last, step, tail):
    (fold,) = [n for n in walk(parse_formula(latex, order=order).rhs) if isinstance(n, Fold)]
    assert to_latex(fold.unit) == unit and (str(fold.first), str(fold.last), fold.step) == (first, last, step)
    assert to_latex(fold.tail) == tail and fold.order == order


def test_rendered_fold_parses_back_to_the_same_fold():
    for latex, order in ((EQ3, "left"), (EQ4, "right"), (EQ5, "left")):
        rhs = parse_formula(latex, order=order).rhs
        assert normalise(parse_formula(f"x = {to_latex(rhs)}", order=order).rhs) == normalise(rhs), latex


@pytest.mark.parametrize("widths", [(2, 3, 1), (3, 2, 2, 1), (2, 1, 3, 2, 1)])
def test_written_out_fold_is_the_gradient_on_every_layer(widths):
    net, rhs = Network(Architecture(widths)), parse_formula(EQ3, order="left").rhs
    for i in range(1, net.depth):
        value = evaluate(rhs, net, {"k": net.depth, "i": i}, PAPER)
        assert all(sp.expand(e) == 0 for e in value - grad_W(net, i)), (widths, i)


def test_the_sweep_writes_the_fold_out_and_says_why_it_is_no_proof():
    result = check(EQ3, order="left", sweep=True)
    assert result.status == "holds on the sweep only" and "a sweep was asked for" in result.note
    bounded = check(EQ3, order="left", max_depth=3)
    assert bounded.status == "holds on the sweep only" and "an induction covers every depth" in bounded.note


def test_fold_ends_are_its_layers_and_the_bound_letter_is_no_index_of_the_formula():
    fold = next(n for n in walk(parse_formula(EQ3, order="left").rhs) if isinstance(n, Fold))
    assert fold.count({"k": 5, "i": 2}) == 3 and [str(f.index) for _, f in fold.items({"k": 5, "i": 2})[::2][:3]] \
        == ["k", "k-1", "k-2"]
    assert fold.layer(2) == Index("k", -2)
