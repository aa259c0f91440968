"""The paper's general formulas with i and k replaced by numbers, as lists of LaTeX pieces.

Paper: N. M. Mishachev, "Backpropagation in matrix notation", sections 2, 3 and 5
((3), remarks 3-6, (4), (5)). Each function returns the right-hand side as
pieces that :func:`~derivations.latex.texmath.pack` may break between (the catalogue,
:mod:`derivations.registry`, holds them as each record's ``pieces``); a piece
starts with its own operator (``\\circ``, ``\\cdot``). ``seeded`` is True for
n_k > 1, where we differentiate <V, f> and Sigma'_k is replaced by V o Sigma'_k
(Delta_{k+1} = V), as :mod:`derivations.formulas` does.
"""

from __future__ import annotations

from .formulas import eq3_typo, eq3_typo_factor

__all__ = ["Sigma", "Sigma_prime", "hat", "top", "eq3_pieces", "eq4_pieces", "eq5_pieces",
           "recursion_pieces", "delta_definition", "network_function", "chain_pieces", "typo_in_eq3"]


def Sigma(i: int, *, T: bool = False) -> str:
    """``\\Sigma_{i}`` (``X`` for i = 0), transposed on request."""
    base = "X" if i == 0 else f"\\Sigma_{{{i}}}"
    return base + ("^{T}" if T else "")


def Sigma_prime(i: int) -> str:
    """``\\Sigma'_{i}``."""
    return f"\\Sigma'_{{{i}}}"


def hat(i: int) -> str:
    """``\\widehat{\\Sigma}'_{i}``, the diagonal matrix with Sigma'_i on its diagonal."""
    return f"\\widehat{{\\Sigma}}'_{{{i}}}"


def top(k: int, seeded: bool) -> str:
    """The top slope: Sigma'_k, or (V o Sigma'_k) for a seeded (n_k > 1) output."""
    return f"(V \\circ {Sigma_prime(k)})" if seeded else Sigma_prime(k)


def _slope(j: int, k: int, seeded: bool) -> str:
    return top(k, seeded) if j == k else Sigma_prime(j)


def typo_in_eq3(k: int, i: int) -> bool:
    """True where the printed (3) drops a transpose (:func:`derivations.formulas.eq3_typo`)."""
    return eq3_typo(k, i)


def eq3_pieces(k: int, i: int, *, seeded: bool = False, printed: bool = False) -> list[str]:
    """Formula (3) for grad_{W_i} f, read left to right (remark 1); ``printed`` keeps the typo.

    >>> eq3_pieces(2, 1)
    ["\\\\Sigma'_{2} \\\\bullet W_{2}^{T}", "\\\\circ \\\\Sigma'_{1} \\\\cdot X^{T}"]
    """
    pieces = []
    for j in range(k, i, -1):
        typo = printed and eq3_typo_factor(k, i, j)
        W = f"W_{{{j}}}" + ("" if typo else "^{T}")
        pieces.append(("" if j == k else "\\circ ") + f"{_slope(j, k, seeded)} \\bullet {W}")
    pieces.append(("" if i == k else "\\circ ") + f"{_slope(i, k, seeded)} \\cdot {Sigma(i - 1, T=True)}")
    return pieces


def eq4_pieces(k: int, i: int, *, seeded: bool = False) -> list[str]:
    """Formula (4) for grad_{W_i} f, read right to left (remark 5).

    >>> eq4_pieces(2, 1)
    ["X^{T} \\\\otimes \\\\Sigma'_{1}", "\\\\circ W_{2}^{T} \\\\cdot \\\\Sigma'_{2}"]
    """
    pieces = [f"{Sigma(i - 1, T=True)} \\otimes {_slope(i, k, seeded)}"]
    pieces += [f"\\circ W_{{{j}}}^{{T}} \\cdot {_slope(j, k, seeded)}" for j in range(i + 1, k + 1)]
    return pieces


def eq5_pieces(k: int, i: int, *, seeded: bool = False) -> list[str]:
    """Formula (5) for grad_{W_i} f: diagonal matrices hat Sigma'_j instead of Hadamard products.

    >>> eq5_pieces(1, 1)
    ["X^{T} \\\\otimes \\\\widehat{\\\\Sigma}'_{1}"]
    """
    close = " \\cdot V" if seeded else ""
    if i == k and not seeded:
        return [f"{Sigma(i - 1, T=True)} \\otimes {hat(i)}"]
    pieces = [f"{Sigma(i - 1, T=True)} \\otimes \\bigl({hat(i)}"]
    pieces += [f"\\cdot W_{{{j}}}^{{T}} \\cdot {hat(j)}" for j in range(i + 1, k + 1)]
    pieces[-1] += close + " \\bigr)"
    return pieces


def recursion_pieces(i: int) -> list[str]:
    """Remark 3: grad_{W_i} f = Delta_i . Sigma_{i-1}^T."""
    return [f"\\Delta_{{{i}}} \\cdot {Sigma(i - 1, T=True)}"]


def delta_definition(k: int, j: int, *, seeded: bool = False) -> list[str]:
    """Remark 3: Delta_k = Sigma'_k and Delta_j = Delta_{j+1} • W_{j+1}^T o Sigma'_j for j < k."""
    if j == k:
        return [top(k, seeded)]
    return [f"\\Delta_{{{j + 1}}} \\bullet W_{{{j + 1}}}^{{T}} \\circ {Sigma_prime(j)}",
            f"= (W_{{{j + 1}}}^{{T}} \\cdot \\Delta_{{{j + 1}}}) \\circ {Sigma_prime(j)}"]


def network_function(k: int, *, affine: bool = False) -> str:
    """f(X; W) = Sigma_k(W_k . Sigma_{k-1}( ... Sigma_1(W_1 . X) ... )), elided beyond five layers.

    >>> network_function(2)
    '\\\\Sigma_{2}(W_{2} \\\\cdot \\\\Sigma_{1}(W_{1} \\\\cdot X))'
    """
    bias = (lambda i: f" + b_{{{i}}}") if affine else (lambda i: "")
    inner = f"W_{{1}} \\cdot X{bias(1)}"
    layers = range(2, k + 1) if k <= 5 else [2, None, k - 1, k]
    for i in layers:
        if i is None:
            inner = f"\\cdots {inner} \\cdots"
            continue
        inner = f"W_{{{i}}} \\cdot {Sigma(i - 1)}({inner}){bias(i)}"
    return f"{Sigma(k)}({inner})"


def chain_pieces(widths: tuple[int, ...]) -> list[str]:
    """The arrow chain R^{n_0} -W_1-> R^{n_1} =Sigma_1=> R^{n_1} ... of section 2, one piece per layer."""
    pieces = [f"\\mathbf{{R}}^{{{widths[0]}}}"]  # not mathbb: snippets need amsmath only
    for i in range(1, len(widths)):
        n = widths[i]
        pieces.append(f"\\xrightarrow{{W_{{{i}}}}} \\mathbf{{R}}^{{{n}}} "
                      f"\\xrightarrow{{\\Sigma_{{{i}}}}} \\mathbf{{R}}^{{{n}}}")
    return pieces
