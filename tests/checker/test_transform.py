"""Reading of product chains, decorations, indices, and render -> parse round trips."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from derivations.checker import parse_formula
from derivations.checker.nodes import Apply, Grad, Hat, Index, Prod, SumBatch, Sym, Transpose
from derivations.checker.render import formula_latex, normalise, to_latex

from .corpus import CORPUS


def rhs(latex: str, order: str = "left", notation: str = "paper"):
    return parse_formula(latex, order=order, notation=notation).rhs


def test_left_order_groups_actions_left_to_right():
    node = rhs(r"\Delta_i = \Delta_{i+1} \bullet W_{i+1}^T \circ \Sigma'_i")
    assert isinstance(node, Prod) and node.op == "hadamard"
    assert isinstance(node.left, Prod) and node.left.op == "bullet"


def test_right_order_groups_actions_right_to_left():
    node = rhs(r"\Delta_i = \Sigma_{k-1}^T \otimes \Sigma_k' \circ W_k^T", order="right")
    assert node.op == "kron" and node.right.op == "hadamard"


def test_standard_order_binds_matrix_products_tighter_than_hadamard():
    node = rhs(r"\delta^{(l)} = f'(z^{(l)}) \odot (W^{(l+1)})^T \delta^{(l+1)}", notation="tutorial",
               order="standard")
    assert node.op == "hadamard" and isinstance(node.left, Apply) and node.right.op == "juxt"


def test_decorations_are_spliced_not_grouped():
    plain = rhs(r"\Delta_i = \Sigma'_k \bullet W_k^T \circ \Sigma'_{k-1} \bullet W_{k-1}^T")
    braced = rhs(r"\Delta_i = \underline{\Sigma'_k \bullet W_k^T} \circ \underline{\Sigma'_{k-1} \bullet W_{k-1}^T}")
    assert normalise(plain) == normalise(braced)


@pytest.mark.parametrize("written, index", [("W_i", Index("i")), ("W_{i+1}", Index("i", 1)),
                                             ("W_{k-2}", Index("k", -2)), ("W_3", Index(None, 3)),
                                             ("W^{(l-1)}", Index("l", -1)), ("W^{[l]}", Index("l"))])
def test_layer_indices_are_read_in_both_positions(written, index):
    node = rhs(f"X = {written}", notation="tutorial" if "^" in written else "paper")
    assert node == Sym("W", index)


def test_transpose_spellings_agree():
    spellings = [r"W_i^T", r"W_i^{T}", r"W_i^\top", r"W_i^{\top}", r"W^T_i", r"(W_i)^T", r"{W_i}^T"]
    assert {rhs(f"X = {s}") for s in spellings} == {Transpose(Sym("W", Index("i")))}


def test_hat_and_diag_agree():
    forms = [r"\widehat{\Sigma}'_i", r"\widehat{\Sigma'_i}", r"\hat\Sigma'_i", r"\operatorname{diag}(\Sigma'_i)",
             r"\mathrm{diag}(\Sigma'_i)"]
    assert {normalise(rhs(f"X = {s}")) for s in forms} == {Hat(Sym("\\Sigma", Index("i"), 1))}


def test_nabla_and_partial_give_gradients():
    a = parse_formula(r"\nabla_{W_i} f(X; W) = W_i").lhs
    b = parse_formula(r"\frac{\partial f}{\partial W_i} = W_i").lhs
    assert normalise(a) == normalise(b) == Grad("f", Sym("W", Index("i")))


def test_sum_takes_the_rest_of_the_chain():
    node = rhs(r"db^{(l)} = \frac{1}{m} \sum_{i=1}^{m} \delta^{(l)} \mathbf{1}", notation="tutorial")
    assert isinstance(node.right, SumBatch) and isinstance(node.right.body, Prod)


def test_sources_name_the_subexpression():
    node = rhs(r"\Delta_i = (W_{i+1}^T \cdot \Delta_{i+1}) \circ \Sigma'_i")
    assert node.left.src == r"(W_{i+1}^T \cdot \Delta_{i+1})"
    assert node.right.src == r"\Sigma'_i"


@pytest.mark.parametrize("case", CORPUS, ids=[c.description for c in CORPUS])
def test_render_then_parse_gives_the_same_ast(case):
    order = case.options.get("order")
    f = parse_formula(case.latex, notation=case.notation, order=order)
    for reading in ("left", "right", "standard"):
        g = parse_formula(formula_latex(f), notation=case.notation, order=reading)
        assert (normalise(g.lhs), normalise(g.rhs)) == (normalise(f.lhs), normalise(f.rhs)), case.latex


_SYMS = st.sampled_from([r"W_{i}", r"\Sigma_{i-1}", r"\Sigma'_{i}", r"\Delta_{i+1}", "X", r"W_{i+1}^{T}"])
_OPS = st.sampled_from([r" \cdot ", r" \circ ", r" \bullet ", r" \otimes ", " "])


@given(st.lists(st.tuples(_OPS, _SYMS), min_size=1, max_size=6), _SYMS,
       st.sampled_from(["left", "right", "standard"]))
def test_render_round_trip_on_drawn_chains(tail, head, order):
    text = r"\Delta_i = " + head + "".join(op + s for op, s in tail)
    f = parse_formula(text, order=order)
    g = parse_formula(to_latex(f.lhs) + " = " + to_latex(f.rhs), order=order)
    assert normalise(g.rhs) == normalise(f.rhs), text
