"""The paper's gradient formulas (sections 4-5), as printed, one function each.

Every function takes a :class:`~derivations.network.Network` and a layer index
i (1..k) and returns the n_i x n_{i-1} matrix the formula gives for
grad_{W_i} f. They use the named layer values Sigma_i, Sigma'_i and the paper's
products (:mod:`derivations.products`). Nothing here differentiates: the
ground truth (:mod:`derivations.ground_truth`) is the only reference.

Wider outputs (n_k > 1) and batches: the formulas are stated for n_k = 1 and
one sample. For n_k > 1 we differentiate the scalar <V, f> with the seed column
V (:attr:`Network.V`), i.e. Sigma'_k is replaced by V o Sigma'_k
(Delta_{k+1} = V); with n_k = 1, V = [1] and the printed formula is unchanged.
Under that reading (3), its correction, the recursion, (4) and (5) hold for any
n_k; (1)/(2) are the one-dimensional case only. The recursion also takes a
batch (m > 1), where it gives the gradient of sum_s <V_s, f(X_s)>.
"""

from __future__ import annotations

import sympy as sp

from .errors import ArchitectureError
from .network import Network
from .products import bullet, diag_hat, dot, hadamard, kron

__all__ = ["eq1", "eq2", "eq1_recursion", "eq3", "eq3_corrected", "Delta", "grad_recursion",
           "grad_b_recursion", "eq4", "eq4_grouped", "eq5", "top_slope", "eq3_typo", "eq3_typo_factor"]


def _single_sample(net: Network, eq: str) -> None:
    if net.m != 1:
        raise ArchitectureError(f"formula {eq} is stated for one sample X (m = 1), got batch m={net.m}")


def _one_dimensional(net: Network, eq: str) -> None:
    if not net.architecture.is_one_dimensional:
        raise ArchitectureError(f"formula {eq} is the one-dimensional case n_0 = ... = n_k = 1, "
                                f"got widths={list(net.widths)}")


def top_slope(net: Network) -> sp.Matrix:
    """Sigma'_k o V: the seeded top slope, n_k x m (= Sigma'_k when n_k = m = 1)."""
    return hadamard(net.V, net.Sigma_prime(net.depth), names=("V", f"Sigma'_{net.depth}"))


# -- section 4: the one-dimensional case ---------------------------------------------------
def eq1(net: Network, i: int) -> sp.Matrix:
    """grad_{w_i} f by formula (1): sigma'_k w_k sigma'_{k-1} w_{k-1} ... sigma'_i sigma_{i-1}.

    Paper: section 4, (1), with sigma_0 = x. Shapes: all 1 x 1 (n_0 = ... = n_k = 1).

    >>> from derivations.network import Architecture, Network
    >>> eq1(Network(Architecture((1, 1, 1))), 1)
    Matrix([[\\sigma'_{1,1}*\\sigma'_{2,1}*w^{(2)}_{1,1}*x_{1}]])
    """
    _one_dimensional(net, "(1)")
    net.architecture.check_layer(i)
    value = net.sigma_prime(net.depth, 0)
    for j in range(net.depth, i, -1):
        value = value * net.W(j)[0, 0] * net.sigma_prime(j - 1, 0)
    return sp.Matrix([[value * net.Sigma(i - 1)[0, 0]]])


def eq2(net: Network, i: int) -> sp.Matrix:
    """grad_{w_i} f by formula (2): the same product grouped in periods (sigma'_j w_j) ... (sigma'_i sigma_{i-1}).

    Paper: section 4, (2) (the braces only show the periodicity).
    """
    _one_dimensional(net, "(2)")
    net.architecture.check_layer(i)
    periods = [net.sigma_prime(j, 0) * net.W(j)[0, 0] for j in range(net.depth, i, -1)]
    return sp.Matrix([[sp.Mul(*periods) * net.sigma_prime(i, 0) * net.Sigma(i - 1)[0, 0]]])


def eq1_recursion(net: Network, i: int) -> sp.Matrix:
    """grad_{w_i} f = Delta_i sigma_{i-1} with Delta_i = Delta_{i+1} w_{i+1} sigma'_i, Delta_{k+1} = w_{k+1} = 1.

    Paper: section 4, the recursion after (2).
    """
    _one_dimensional(net, "(1) recursion")
    net.architecture.check_layer(i)
    delta = sp.Integer(1)
    for j in range(net.depth, i - 1, -1):
        w_next = net.W(j + 1)[0, 0] if j < net.depth else sp.Integer(1)
        delta = delta * w_next * net.sigma_prime(j, 0)
    return sp.Matrix([[delta * net.Sigma(i - 1)[0, 0]]])


# -- section 5: the general case ---------------------------------------------------------
def eq3_typo(k: int, i: int) -> bool:
    """True on the line of the printed (3) with the misprint: the line for W_1 (i = 1), depth k >= 4."""
    return i == 1 and k >= 4


def eq3_typo_factor(k: int, i: int, j: int) -> bool:
    """True for the factor Sigma'_j • W_j that the printed (3) leaves untransposed: j = k - 2 in the line for W_1."""
    return eq3_typo(k, i) and j == k - 2


def _eq3(net: Network, i: int, *, as_printed: bool) -> sp.Matrix:
    _single_sample(net, "(3)")
    net.architecture.check_layer(i)
    k = net.depth
    acc = top_slope(net)
    for j in range(k, i, -1):
        typo = as_printed and eq3_typo_factor(k, i, j)
        Wj = net.W(j) if typo else net.W(j).T
        if j < k:
            acc = hadamard(acc, net.Sigma_prime(j), names=("accumulated column", f"Sigma'_{j}"))
        acc = bullet(acc, Wj, names=("accumulated column", f"W_{j}" + ("" if typo else "^T")))
    acc = hadamard(acc, net.Sigma_prime(i), names=("accumulated column", f"Sigma'_{i}")) if i < k else acc
    return dot(acc, net.Sigma(i - 1).T, names=("accumulated column", f"Sigma_{i - 1}^T"))


def eq3(net: Network, i: int) -> sp.Matrix:
    """grad_{W_i} f by formula (3) exactly as printed, typo included.

    Paper: section 5, (3): Sigma'_k • W_k^T o Sigma'_{k-1} • W_{k-1}^T o ... o Sigma'_i . Sigma_{i-1}^T.
    Reading: actions left to right (remark 1): ((((Sigma'_k • W_k^T) o Sigma'_{k-1}) • W_{k-1}^T) ...
    o Sigma'_i) . Sigma_{i-1}^T, so o always joins two n_j-columns; A • B = B . A.
    Typo: the last line (i = 1) prints the factor Sigma'_{k-2} • W_{k-2} without the
    transpose; it exists when k - 2 >= 2, i.e. depth k >= 4. We reproduce it there;
    :func:`eq3_corrected` restores W_{k-2}^T.
    Shapes: columns n_k, n_{k-1}, ..., n_i, then n_i x n_{i-1}.
    Raises:
        ShapeError: the untransposed W_{k-2} does not fit (n_{k-3} != n_{k-2}).

    >>> from derivations.network import Architecture, Network
    >>> eq3(Network(Architecture((2, 2, 1))), 2).shape
    (1, 2)
    """
    return _eq3(net, i, as_printed=True)


def eq3_corrected(net: Network, i: int) -> sp.Matrix:
    """grad_{W_i} f by formula (3) with the typo fixed (W_{k-2}^T in the line for W_1).

    Paper: section 5, (3), corrected. Same reading as :func:`eq3`.
    """
    return _eq3(net, i, as_printed=False)


def Delta(net: Network, i: int) -> sp.Matrix:
    """Delta_i of remark 3: Delta_i = Delta_{i+1} • W_{i+1}^T o Sigma'_i = (W_{i+1}^T . Delta_{i+1}) o Sigma'_i.

    Paper: section 5, remark 3, with Delta_{k+1} = V (= 1) and W_{k+1}^T = 1.
    Shapes: n_i x m (a column for one sample).

    >>> from derivations.network import Architecture, Network
    >>> Delta(Network(Architecture((2, 2, 1))), 1).shape
    (2, 1)
    """
    net.architecture.check_layer(i)
    delta = top_slope(net)
    for j in range(net.depth - 1, i - 1, -1):
        delta = hadamard(bullet(delta, net.W(j + 1).T, names=(f"Delta_{j + 1}", f"W_{j + 1}^T")),
                         net.Sigma_prime(j), names=(f"W_{j + 1}^T Delta_{j + 1}", f"Sigma'_{j}"))
    return delta


def grad_recursion(net: Network, i: int) -> sp.Matrix:
    """grad_{W_i} f = Delta_i . Sigma_{i-1}^T (remark 3; remark 4 gives the shape n_i x n_{i-1})."""
    return dot(Delta(net, i), net.Sigma(i - 1).T, names=(f"Delta_{i}", f"Sigma_{i - 1}^T"))


def grad_b_recursion(net: Network, i: int) -> sp.Matrix:
    """grad_{b_i} f = Delta_i . 1_m (affine form; the bias sees every sample), n_i x 1."""
    return Delta(net, i) * sp.ones(net.m, 1)


def eq4(net: Network, i: int) -> sp.Matrix:
    """grad_{W_i} f by formula (4): Sigma_{i-1}^T ⊗ Sigma'_i o W_{i+1}^T . Sigma'_{i+1} o ... o W_k^T . Sigma'_k.

    Paper: section 5, remark 5, (4). Reading: actions right to left, each operator
    applied to everything on its right: Sigma_{i-1}^T ⊗ (Sigma'_i o (W_{i+1}^T .
    (Sigma'_{i+1} o ... (W_k^T . Sigma'_k)))). The braces mark periods, not groups
    (:func:`eq4_grouped` is the grouped reading; it fails). The final
    row ⊗ column is the outer product column . row.
    Shapes: columns n_k, n_{k-1}, ..., n_i; result n_i x n_{i-1}.
    """
    _single_sample(net, "(4)")
    net.architecture.check_layer(i)
    acc = top_slope(net)
    for j in range(net.depth, i, -1):
        acc = dot(net.W(j).T, acc, names=(f"W_{j}^T", "accumulated column"))
        acc = hadamard(net.Sigma_prime(j - 1), acc, names=(f"Sigma'_{j - 1}", f"W_{j}^T . (...)"))
    return kron(net.Sigma(i - 1).T, acc)


def eq4_grouped(net: Network, i: int) -> sp.Matrix:
    """The other reading of (4): each brace a group, Hadamard products left to right.

    (Sigma_{i-1}^T ⊗ Sigma'_i) o (W_{i+1}^T . Sigma'_{i+1}) o ... o (W_k^T . Sigma'_k), with
    M o c for an n x p matrix M and an n-column c read as the row scaling hat(c) . M.
    Kept to show the reading matters: it fails (shape or value) once k - i >= 2.
    """
    _single_sample(net, "(4) grouped")
    net.architecture.check_layer(i)
    acc = kron(net.Sigma(i - 1).T, top_slope(net) if i == net.depth else net.Sigma_prime(i))
    for j in range(i + 1, net.depth + 1):
        slope = top_slope(net) if j == net.depth else net.Sigma_prime(j)
        group = dot(net.W(j).T, slope, names=(f"W_{j}^T", f"Sigma'_{j}"))
        acc = dot(diag_hat(group), acc, names=(f"hat(W_{j}^T Sigma'_{j})", "accumulated matrix"))
    return acc


def eq5(net: Network, i: int) -> sp.Matrix:
    """grad_{W_i} f by formula (5): Sigma_{i-1}^T ⊗ (hat Sigma'_i . W_{i+1}^T ... W_k^T . hat Sigma'_k).

    Paper: section 5, remark 6, (5): the columns Sigma'_j become diagonal matrices
    hat Sigma'_j and the Hadamard products become matrix products. For n_k > 1 the
    chain is closed by the seed V (a column); for n_k = 1, V = 1.
    Shapes: the bracket is n_i x 1; result n_i x n_{i-1}.
    """
    _single_sample(net, "(5)")
    net.architecture.check_layer(i)
    chain = net.Sigma_prime_hat(i)
    for j in range(i + 1, net.depth + 1):
        chain = dot(dot(chain, net.W(j).T, names=("left factors", f"W_{j}^T")), net.Sigma_prime_hat(j),
                    names=("left factors", f"hat Sigma'_{j}"))
    chain = dot(chain, net.V, names=("bracket", "V"))
    return kron(net.Sigma(i - 1).T, chain)
