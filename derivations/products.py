"""The paper's matrix products, each a thin shape-checked wrapper over SymPy or SymEngine.

Paper section 5: the usual product ``A . B``, the Hadamard product ``A o B``,
the "bullet" ``A • B = B . A`` ("inverted" column-by-matrix product), the
Kronecker product ``A ⊗ B`` and the diagonal matrix ``hat A`` of a column.
Shape errors raise :class:`~derivations.errors.ShapeError` naming both operands.

Every product takes SymPy or SymEngine matrices: SymPy operands give a SymPy matrix; when
either operand is a SymEngine matrix, both are taken as SymEngine matrices and so is the result
(the checker's evaluation computes in SymEngine, the paper's proofs and lemmas in SymPy).
"""

from __future__ import annotations

from typing import Union

import symengine as se
import sympy as sp
from sympy.matrices.expressions.kronecker import kronecker_product

from .errors import ShapeError

__all__ = ["dot", "hadamard", "bullet", "kron", "diag_hat", "shape_str", "is_matrix", "Matrix"]

Matrix = Union[sp.MatrixBase, se.DenseMatrix]
"""A SymPy or a SymEngine matrix."""


def is_matrix(value: object) -> bool:
    """Whether ``value`` is a matrix (SymPy or SymEngine), not a scalar.

    >>> is_matrix(sp.Matrix([1])), is_matrix(se.Matrix([1])), is_matrix(sp.Integer(1))
    (True, True, False)
    """
    return isinstance(value, (sp.MatrixBase, se.DenseMatrix))


def _is_engine(A: Matrix) -> bool:
    return isinstance(A, se.DenseMatrix)


def _one_kind(A: Matrix, B: Matrix) -> tuple[Matrix, Matrix]:
    """(A, B) as SymEngine matrices when either is one; SymPy operands as they are."""
    if not (_is_engine(A) or _is_engine(B)):
        return A, B
    return (A if _is_engine(A) else se.Matrix(A)), (B if _is_engine(B) else se.Matrix(B))


def shape_str(A: Matrix) -> str:
    """'3x2' for a 3 x 2 matrix."""
    return f"{A.rows}x{A.cols}"


def _name(A: Matrix, name: str | None) -> str:
    return f"{name} is {shape_str(A)}" if name else shape_str(A)


def dot(A: Matrix, B: Matrix, *, names: tuple[str, str] | None = None) -> Matrix:
    """Usual product A . B; (p, q) and (q, r) give (p, r).

    >>> dot(sp.Matrix([[1, 2]]), sp.Matrix([3, 4]))
    Matrix([[11]])
    """
    if A.cols != B.rows:
        a, b = names or (None, None)
        raise ShapeError(f"matrix product needs cols(left) = rows(right): {_name(A, a or 'left')}, "
                         f"{_name(B, b or 'right')}")
    A, B = _one_kind(A, B)
    return A * B


def hadamard(A: Matrix, B: Matrix, *, names: tuple[str, str] | None = None) -> Matrix:
    """Hadamard (entry-wise) product A o B of equal shapes: (A o B)_{rc} = A_{rc} B_{rc}.

    SymPy's ``multiply_elementwise``: the same entries as ``HadamardProduct(A, B).doit()``
    (a test pins it) at a 27th of the cost; SymEngine's for SymEngine operands.

    >>> hadamard(sp.Matrix([1, 2]), sp.Matrix([3, 4]))
    Matrix([
    [3],
    [8]])
    """
    if A.shape != B.shape:
        a, b = names or (None, None)
        raise ShapeError(f"Hadamard product needs equal shapes: {_name(A, a or 'left')}, "
                         f"{_name(B, b or 'right')}")
    A, B = _one_kind(A, B)
    if _is_engine(A):
        return A.multiply_elementwise(B)
    return sp.Matrix(A).multiply_elementwise(sp.Matrix(B))


def bullet(A: Matrix, B: Matrix, *, names: tuple[str, str] | None = None) -> Matrix:
    """The paper's bullet product A • B = B . A (section 5): column A, matrix B.

    Shapes: A is q x 1 (or q x r), B is p x q; the result B . A is p x 1.

    >>> bullet(sp.Matrix([1, 1]), sp.Matrix([[1, 2], [3, 4]]))
    Matrix([
    [3],
    [7]])
    """
    if B.cols != A.rows:
        a, b = names or (None, None)
        raise ShapeError(f"bullet product A • B = B . A needs cols(B) = rows(A): "
                         f"{_name(A, a or 'A')}, {_name(B, b or 'B')}")
    A, B = _one_kind(A, B)
    return B * A


def kron(A: Matrix, B: Matrix) -> Matrix:
    """Kronecker product A ⊗ B; (m, n) and (s, t) give (m s, n t), entry (i s + k, j t + l) = A_{ij} B_{kl}
    (SymPy's kronecker_product for SymPy operands).

    A row (1 x q) times a column (p x 1) gives the outer product, p x q:
    ``row ⊗ col = col . row`` (the reading of formulas (4) and (5)).

    >>> kron(sp.Matrix([[1, 2]]), sp.Matrix([3, 4]))
    Matrix([
    [3, 6],
    [4, 8]])
    """
    A, B = _one_kind(A, B)
    if not _is_engine(A):
        return sp.Matrix(kronecker_product(sp.Matrix(A), sp.Matrix(B)))
    s, t = B.shape
    rows, cols = A.rows * s, A.cols * t
    return se.Matrix(rows, cols, [A[r // s, c // t] * B[r % s, c % t] for r in range(rows) for c in range(cols)])


def diag_hat(A: Matrix) -> Matrix:
    """hat A: the square diagonal matrix with the column A on its diagonal (section 5, remark 6).

    >>> diag_hat(sp.Matrix([1, 2]))
    Matrix([
    [1, 0],
    [0, 2]])
    """
    if A.cols != 1:
        raise ShapeError(f"hat(.) takes a column, got a {shape_str(A)} matrix")
    return se.diag(*A) if _is_engine(A) else sp.diag(*A)
