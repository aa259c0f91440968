"""The paper's matrix products, each a thin shape-checked wrapper over SymPy.

Paper section 5: the usual product ``A . B``, the Hadamard product ``A o B``,
the "bullet" ``A • B = B . A`` ("inverted" column-by-matrix product), the
Kronecker product ``A ⊗ B`` and the diagonal matrix ``hat A`` of a column.
Shape errors raise :class:`~derivations.errors.ShapeError` naming both operands.
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.kronecker import kronecker_product

from .errors import ShapeError

__all__ = ["dot", "hadamard", "bullet", "kron", "diag_hat", "shape_str"]


def shape_str(A: sp.MatrixBase) -> str:
    """'3x2' for a 3 x 2 matrix."""
    return f"{A.rows}x{A.cols}"


def _name(A: sp.MatrixBase, name: str | None) -> str:
    return f"{name} is {shape_str(A)}" if name else shape_str(A)


def dot(A: sp.MatrixBase, B: sp.MatrixBase, *, names: tuple[str, str] | None = None) -> sp.Matrix:
    """Usual product A . B; (p, q) and (q, r) give (p, r).

    >>> dot(sp.Matrix([[1, 2]]), sp.Matrix([3, 4]))
    Matrix([[11]])
    """
    if A.cols != B.rows:
        a, b = names or (None, None)
        raise ShapeError(f"matrix product needs cols(left) = rows(right): {_name(A, a or 'left')}, "
                         f"{_name(B, b or 'right')}")
    return A * B


def hadamard(A: sp.MatrixBase, B: sp.MatrixBase, *, names: tuple[str, str] | None = None) -> sp.Matrix:
    """Hadamard (entry-wise) product A o B of equal shapes.

    SymPy's ``multiply_elementwise``: the same entries as ``HadamardProduct(A, B).doit()``
    (a test pins it) at a 27th of the cost.

    >>> hadamard(sp.Matrix([1, 2]), sp.Matrix([3, 4]))
    Matrix([
    [3],
    [8]])
    """
    if A.shape != B.shape:
        a, b = names or (None, None)
        raise ShapeError(f"Hadamard product needs equal shapes: {_name(A, a or 'left')}, "
                         f"{_name(B, b or 'right')}")
    return sp.Matrix(A).multiply_elementwise(sp.Matrix(B))


def bullet(A: sp.MatrixBase, B: sp.MatrixBase, *, names: tuple[str, str] | None = None) -> sp.Matrix:
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
    return B * A


def kron(A: sp.MatrixBase, B: sp.MatrixBase) -> sp.Matrix:
    """Kronecker product A ⊗ B; (m, n) and (s, t) give (m s, n t) (SymPy's kronecker_product).

    A row (1 x q) times a column (p x 1) gives the outer product, p x q:
    ``row ⊗ col = col . row`` (the reading of formulas (4) and (5)).

    >>> kron(sp.Matrix([[1, 2]]), sp.Matrix([3, 4]))
    Matrix([
    [3, 6],
    [4, 8]])
    """
    return sp.Matrix(kronecker_product(sp.Matrix(A), sp.Matrix(B)))


def diag_hat(A: sp.MatrixBase) -> sp.Matrix:
    """hat A: the square diagonal matrix with the column A on its diagonal (section 5, remark 6).

    >>> diag_hat(sp.Matrix([1, 2]))
    Matrix([
    [1, 0],
    [0, 2]])
    """
    if A.cols != 1:
        raise ShapeError(f"hat(.) takes a column, got a {shape_str(A)} matrix")
    return sp.diag(*A)
