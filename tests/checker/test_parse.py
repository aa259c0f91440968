"""Parse errors carry a position, a caret context and a label; nothing foreign escapes."""

import pytest

from derivations.checker import check, parse_formula
from derivations.checker.parse import ERROR_EXAMPLES, parse_tree, strip_math
from derivations.errors import FormulaSyntaxError, UnsupportedNotationError

BAD = [
    (r"\nabla_{W_i} f =", FormulaSyntaxError, "missing right-hand side"),
    (r"\Delta_i", FormulaSyntaxError, "missing '='"),
    (r"\Delta_i = (W_{i+1}^T \Delta_{i+1} \circ \Sigma'_i", FormulaSyntaxError, "unclosed"),
    (r"\Delta_i = W_{i+1}^T \cdot", FormulaSyntaxError, "operator without a right operand"),
    (r"\Delta_i = W_{i+1}^T \cdot \circ \Sigma'_i", FormulaSyntaxError, "two operators"),
    (r"\Delta_i = W_{}", FormulaSyntaxError, "empty"),
    (r"\Delta_i = W_{i+1} = Q_i", UnsupportedNotationError, "unknown symbol 'Q'"),  # a chain: each link read
    (r"\Delta_i = = W_i", FormulaSyntaxError, "missing right-hand side"),
    (r"\Delta_i = W_i)", FormulaSyntaxError, "closing parenthesis"),
    (r"\Delta_i = \foo W_i", FormulaSyntaxError, r"unknown LaTeX command \foo"),
    (r"\Delta_i = W_i @ X", FormulaSyntaxError, "unexpected character '@'"),
    ("", FormulaSyntaxError, "empty formula"),
    (r"\nabla_{W_1} f = \Sigma'_k \bullet W_k^T \cdots \Sigma'_1 \cdot X^T", UnsupportedNotationError,
     "ellipsis"),
    (r"\Delta_i = W_i^2", UnsupportedNotationError, "superscript"),
    (r"\Delta_i = Q_i", UnsupportedNotationError, "unknown symbol 'Q'"),
    (r"\Delta_i = W", UnsupportedNotationError, "needs a layer index"),
    (r"\Delta_i = W_{i,j}", UnsupportedNotationError, "neuron indices"),
    (r"\Delta_i = W_i, c", FormulaSyntaxError, "a comma or semicolon"),
    (r"\Delta_i = W_{2i}", UnsupportedNotationError, "a layer index must read"),
    (r"\nabla_{W_i} g = W_i", UnsupportedNotationError, "unknown objective 'g'"),
    (r"\Delta_i = \Delta_j", UnsupportedNotationError, "at most one general layer index"),
    (r"\Delta_i = \frac{1}{W_i}", UnsupportedNotationError, "division by a matrix"),
    (r"\Delta_i = \operatorname{tr}(W_i)", UnsupportedNotationError, "operatorname{tr}"),
    (r"\Delta_i = W_{i+1}^T * \Delta_{i+1}", UnsupportedNotationError, "'*' is ambiguous"),
]


@pytest.mark.parametrize("latex, error, fragment", BAD, ids=[b[2] for b in BAD])
def test_bad_formula_raises_our_error_with_message(latex, error, fragment):
    with pytest.raises(error) as info:
        check(latex, max_depth=2, max_width=2)
    assert fragment in str(info.value), latex


def test_syntax_error_points_at_the_position_with_a_caret():
    with pytest.raises(FormulaSyntaxError) as info:
        parse_tree(r"\Delta_i = W_i @ X")
    err = info.value
    assert (err.line, err.column) == (1, 16)
    assert err.context.splitlines()[-1].index("^") == err.context.splitlines()[0].index("@")


def test_syntax_error_on_second_line_reports_line_two():
    with pytest.raises(FormulaSyntaxError) as info:
        parse_tree("\\Delta_i =\n W_i \\cdot")
    assert info.value.line == 2


def test_every_error_example_is_really_an_error_with_its_label():
    for label, examples in ERROR_EXAMPLES.items():
        for text in examples:
            with pytest.raises(FormulaSyntaxError) as info:
                parse_tree(text)
            assert info.value.label == label, text


@pytest.mark.parametrize("wrapped", [r"$a = b$", r"$$a = b$$", r"\[a = b\]",
                                     "\\begin{equation}a = b\\end{equation}"])
def test_math_delimiters_are_stripped(wrapped):
    assert strip_math(wrapped) == "a = b"


def test_spacing_and_sizing_commands_are_ignored():
    a = parse_formula(r"\Delta_i = \left( W_{i+1}^{\top} \, \Delta_{i+1} \right) \circ \Sigma'_i")
    b = parse_formula(r"\Delta_i = (W_{i+1}^T \Delta_{i+1}) \circ \Sigma'_i")
    assert a.rhs == b.rhs


def test_too_long_input_is_refused():
    with pytest.raises(FormulaSyntaxError, match="longer than"):
        parse_tree("a = " + "b" * 6000)


def test_deep_nesting_is_our_error():
    with pytest.raises(UnsupportedNotationError, match="nested too deeply"):
        check(r"\nabla_{W_i} f = " + "(" * 400 + "W_i" + ")" * 400)
