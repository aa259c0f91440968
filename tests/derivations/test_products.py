"""The paper's products: shapes, values, and errors that name both operands."""

import pytest
import symengine as se
import sympy as sp

from derivations import ShapeError, bullet, diag_hat, dot, hadamard, kron

n, m = 3, 2
A = sp.Matrix(n, m, lambda r, c: sp.Symbol(f"a{r}{c}"))
B = sp.Matrix(n, m, lambda r, c: sp.Symbol(f"b{r}{c}"))
col = sp.Matrix(n, 1, lambda r, _: sp.Symbol(f"c{r}"))
row = sp.Matrix(1, m, lambda _, c: sp.Symbol(f"r{c}"))


def test_hadamard_is_entrywise():
    assert hadamard(A, B) == sp.Matrix(n, m, lambda r, c: A[r, c] * B[r, c])


def test_hadamard_agrees_with_sympys_hadamard_product():
    from sympy.matrices.expressions.hadamard import hadamard_product

    assert hadamard(A, B) == sp.Matrix(hadamard_product(sp.ImmutableMatrix(A), sp.ImmutableMatrix(B)).doit())


def test_hadamard_rejects_unequal_shapes_naming_operands():
    with pytest.raises(ShapeError, match=r"Sigma'_2 is 3x1, W_3\^T is 2x3"):
        hadamard(col, A.T, names=("Sigma'_2", "W_3^T"))


def test_bullet_is_the_reversed_product():
    M = sp.Matrix(m, n, lambda r, c: sp.Symbol(f"m{r}{c}"))
    assert bullet(col, M) == M * col
    with pytest.raises(ShapeError, match="bullet"):
        bullet(col, A)


def test_row_kron_column_is_the_outer_product():
    assert kron(row, col) == col * row
    assert kron(row, col).shape == (n, m)


def test_kron_shape_rule():
    assert kron(A, B).shape == (n * n, m * m)


def test_diag_hat_turns_hadamard_into_product():
    assert diag_hat(col) * col == hadamard(col, col)
    with pytest.raises(ShapeError, match="takes a column"):
        diag_hat(A)


def test_dot_shape_error_is_ours_and_a_value_error():
    with pytest.raises(ValueError, match="cols\\(left\\) = rows\\(right\\)"):
        dot(A, B)



@pytest.mark.parametrize("product, left, right", [(hadamard, A, B), (dot, A, B.T), (bullet, col, A.T),
                                                  (kron, A, B), (kron, row, col)])
def test_symengine_operands_give_the_sympy_entries_as_a_symengine_matrix(product, left, right):
    expected = product(left, right)
    for a, b in [(se.Matrix(left), se.Matrix(right)), (left, se.Matrix(right)), (se.Matrix(left), right)]:
        got = product(a, b)
        assert isinstance(got, se.DenseMatrix) and got.shape == expected.shape
        assert sp.Matrix(got.rows, got.cols, [sp.sympify(e) for e in got]) == expected
    hat = diag_hat(se.Matrix(col))
    assert isinstance(hat, se.DenseMatrix) and sp.Matrix(hat.tolist()) == diag_hat(col)


def test_symengine_shape_errors_name_the_operands_as_sympys():
    for a, b in [(se.Matrix(col), se.Matrix(A.T)), (col, se.Matrix(A.T))]:
        with pytest.raises(ShapeError, match=r"Sigma'_2 is 3x1, W_3\^T is 2x3"):
            hadamard(a, b, names=("Sigma'_2", "W_3^T"))
    with pytest.raises(ShapeError, match="cols\\(left\\) = rows\\(right\\)"):
        dot(se.Matrix(A), se.Matrix(B))
    with pytest.raises(ShapeError, match="takes a column"):
        diag_hat(se.Matrix(A))
