"""Width estimates, packing, monomial order and the matrix/index-form switch."""

from __future__ import annotations

import pytest
import sympy as sp

from derivations import Architecture, Network, grad_W
from derivations.latex.texmath import (
    TEXT_WIDTH,
    matrix_lines,
    monomial,
    pack,
    polynomial_pieces,
    tex_escape,
    tex_width,
)

# (tex, width measured by pdflatex \setbox/\wd at 10pt): the estimate may be a little narrower or wider
MEASURED = [("x", 5.7), (r"w^{(2)}_{1,1}", 18.2), (r"\sigma'_{2,1}", 16.6), ("a + b", 21.8),
            (r"a \circ b", 19.0), (r"\nabla_{W_{1}} f", 26.2),
            (r"\sigma'_{3,1} w^{(3)}_{1,1} \sigma'_{2,1} w^{(2)}_{1,1} \sigma'_{1,1} x_{1}", 96.2)]


@pytest.mark.parametrize("tex, measured", MEASURED, ids=[t for t, _ in MEASURED])
def test_tex_width_is_close_to_tex(tex, measured):
    assert 0.7 * measured <= tex_width(tex) <= 1.4 * measured, tex


def test_pack_keeps_every_line_within_the_width():
    pieces = [f"+ w^{{(1)}}_{{{j},1}} x_{{{j}}} \\sigma'_{{1,{j}}}" for j in range(40)]
    lines = pack(r"\nabla_{W_{1}} f", pieces)
    assert len(lines) > 1
    assert all(tex_width(line) <= TEXT_WIDTH + 10 for line in lines)
    assert lines[0].startswith(r"\nabla_{W_{1}} f &= ") and lines[1].startswith(r"&\quad +")


def test_monomial_factors_follow_the_path():
    net = Network(Architecture((1, 1, 1)))
    sign, factors = monomial(sp.expand(grad_W(net, 1)[0, 0]))
    assert sign == "+"
    assert factors == [r"\sigma'_{2,1}", "w^{(2)}_{1,1}", r"\sigma'_{1,1}", "x_{1}"]


def test_polynomial_pieces_keep_signs():
    x, y = sp.symbols("x_{1} x_{2}")
    assert polynomial_pieces(x - 2 * y) == ["x_{1}", "- 2 \\, x_{2}"]
    assert polynomial_pieces(sp.Integer(0)) == ["0"]


def test_small_matrix_is_a_bmatrix_and_wide_one_goes_to_index_form():
    small = matrix_lines("A", sp.Matrix([[1, 2], [3, 4]]), index_name="A")
    assert len(small) == 1 and r"\begin{bmatrix}" in small[0]
    wide = matrix_lines("A", sp.Matrix([list(range(1, 6))]), index_name="A")
    assert len(wide) == 5 and wide[4].startswith("(A)_{1,5} &= 5")


def test_tex_escape_escapes_specials():
    assert tex_escape("a_b & 50% {x}") == r"a\_b \& 50\% \{x\}"
