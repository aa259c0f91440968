"""The derivation's sections for one network: definitions, recursion, gradients, index form.

Paper: N. M. Mishachev, "Backpropagation in matrix notation", sections 2-3
(network function, affine form), 5 ((3), remarks 3-6, (4), (5)). The index
derivation follows the tutorial's "sum over all branches of the computation
graph". Every explicit matrix shown is the ground truth
(:func:`derivations.ground_truth.grad_W`), the value all correct formulas give.
"""

from __future__ import annotations

import itertools
from math import prod

import sympy as sp

from .. import formula_tex as nt
from .. import formulas, ground_truth, registry
from ..network import Network
from .blocks import Block, Equation, Section, Text, ref
from .texmath import FACTOR_SEP, matrix_lines, monomial, pack

__all__ = ["network_section", "recursion_section", "gradient_sections", "index_section", "path_count", "article",
           "MISPRINT_NOTE", "CORRECTION_NOTE"]


def _seeded(net: Network) -> bool:
    return net.n(net.depth) > 1


def article(n: int) -> str:
    """'a' or 'an' before the number n read aloud ("a 1", "an 8", "an 11").

    >>> article(1), article(8), article(11), article(2)
    ('a', 'an', 'an', 'a')
    """
    return "an" if str(n).startswith("8") or n in (11, 18) else "a"


def _grad(i: int) -> str:
    return f"\\nabla_{{W_{{{i}}}}} f"


def _column(prefix: str, i: int, n: int) -> str:
    items = [f"{prefix}_{{{i},{j}}}" for j in range(1, n + 1)]
    if n > 4:
        items = items[:2] + ["\\ldots"] + items[-1:]
    return "[" + ", ".join(items) + "]^{T}"


def path_count(net: Network) -> int:
    """Branches of the graph from one w^{(1)}_{r,c} to f: n_2 ... n_k."""
    return prod(net.widths[2:])


def _activation_text(net: Network, i: int) -> str:
    act = net.architecture.activation(i)
    if act.is_abstract:
        return f"layer {i}: arbitrary piecewise differentiable $\\sigma_{{{i},j}}$"
    value, slope, pre = f"\\sigma_{{{i},j}}", f"\\sigma'_{{{i},j}}", f"N_{{{i},j}}"
    text = f"layer {i}: {act.name}, ${value} = {act.value_latex(pre)}$"
    relation = act.relation_latex(value, slope, pre)
    return text + (f", ${relation}$" if relation else "")


_NOTATION = (
    "Notation of the paper: $A \\circ B$ is the Hadamard (entry-wise) product, "
    "$A \\bullet B = B \\cdot A$ the inverted column-by-matrix product, $\\otimes$ the Kronecker product "
    "and $\\widehat{A}$ the diagonal matrix with the column $A$ on its diagonal. ")
_SYMBOLS = (
    "Here $\\sigma_{i,j}$ stands for $\\sigma_{ij}(N_{i,j})$ and $\\sigma'_{i,j}$ for "
    "$\\sigma'_{ij}(N_{i,j})$, $\\Sigma_0 = X$, and "
    "$\\widehat{\\Sigma}'_{i} = \\operatorname{diag}(\\Sigma'_{i})$. ")
_AFFINE = (
    "Affine form: $b_i$ is the bias column of layer $i$. Section 3 of the paper embeds it in the homogeneous "
    "form: (a) the input is $[x_1, \\ldots, x_n, 1]^T$; (b) for $i < k$ the last row of $W_i$ is "
    "$[0, \\ldots, 0, 1]$; (c) the last neuron of each layer $i < k$ is ``identical'', which must mean the "
    "identity function $\\sigma(t) = t$. Then the formulas below hold unchanged for $W_i$, and "
    "$\\nabla_{b_i} f = \\Delta_i$ (the last column of $\\nabla_{W_i} f$). Caveat: the fixed last rows "
    "$[0, \\ldots, 0, 1]$ of $W_i$ receive a non-zero gradient, so in training they must be frozen "
    "(left out of the update), or condition (b) breaks.")


def _definitions(net: Network) -> list[Block]:
    k, bias = net.depth, (lambda i: f" + b_{{{i}}}" if net.is_affine else "")
    lines = [f"N_{{1}} &= W_{{1}} \\cdot X{bias(1)}"]
    lines += [f"N_{{{i}}} &= W_{{{i}}} \\cdot \\Sigma_{{{i - 1}}}{bias(i)}" for i in range(2, k + 1)]
    defs = []
    for i in range(1, k + 1):
        values, slopes = _column("\\sigma", i, net.n(i)), _column("\\sigma'", i, net.n(i))
        defs.append(f"\\Sigma_{{{i}}} &= \\Sigma_{{{i}}}(N_{{{i}}}) = {values}, \\quad "
                    f"{nt.Sigma_prime(i)} = {slopes}")
    return [Equation("definitions_N", tuple(lines)), Equation("definitions_Sigma", tuple(defs))]


def network_section(net: Network, *, entries: bool) -> list[Block]:
    """Section 2 (and 3 for affine): f as a chain and a composition, N_i, Sigma_i, Sigma'_i, hat."""
    k = net.depth
    sizes = (f"Widths $n_0, \\ldots, n_{{{k}}} = {', '.join(map(str, net.widths))}$, depth $k = {k}$; "
             "$W_i$ is an $n_i \\times n_{i-1}$ matrix; $f$ is defined in "
             f"{ref('network_function')}, $N_i$ and $\\Sigma_i$ in {ref('definitions_N')} "
             f"and {ref('definitions_Sigma')}.")
    blocks: list[Block] = [
        Section("The network function"), Text(_NOTATION + sizes),
        Equation("network_chain", tuple(pack("f", nt.chain_pieces(net.widths), rel=":"))),
        Equation("network_function", (f"f(X; W) &= {nt.network_function(k, affine=net.is_affine)}",)),
        *_definitions(net),
        Text(_SYMBOLS + "Activations: " + "; ".join(_activation_text(net, i) for i in range(1, k + 1)) + ".")]
    if net.is_affine:
        blocks.append(Text(_AFFINE))
    if _seeded(net):
        blocks.append(Text(
            f"The output has $n_{{{k}}} = {net.n(k)} > 1$ entries: we differentiate $\\langle V, f\\rangle$ "
            f"for a seed column $V$, so $\\Sigma'_{{{k}}}$ is replaced by $V \\circ \\Sigma'_{{{k}}}$ "
            f"($\\Delta_{{{k + 1}}} = V$)."))
    if entries:
        for i in range(1, k + 1):
            lhs = f"N_{{{i}}}"
            blocks.append(Equation(f"N_{i}", tuple(matrix_lines(lhs, net.N(i), index_name=lhs))))
    return blocks


def recursion_section(net: Network, *, entries: bool) -> list[Block]:
    """Remark 3: Delta_k, ..., Delta_1, and their columns when entries are written out."""
    k, seeded = net.depth, _seeded(net)
    start = (f"$\\Delta_{{{k + 1}}} = V$, the seed column" if seeded
             else f"$\\Delta_{{{k + 1}}} = W_{{{k + 1}}}^T = 1$")
    blocks: list[Block] = [Section("The recursion (remark 3)"), Text(
        f"$\\Delta_i$ is an $n_i$-column (remark 4); the recursion starts from {start}, so "
        f"{ref(f'Delta_{k}')} gives $\\Delta_{{{k}}}$ and {ref('Delta_1')} ends with $\\Delta_1$. "
        "Read right to left, the bracket after $\\Sigma_{i-1}^{T} \\otimes$ in (4) builds the same columns.")]
    for j in range(k, 0, -1):
        pieces = nt.delta_definition(k, j, seeded=seeded)
        blocks.append(Equation(f"Delta_{j}", (f"\\Delta_{{{j}}} &= {' '.join(pieces)}",)))
        if entries:
            D = formulas.Delta(net, j)
            blocks.append(Equation(f"Delta_{j}_entries", tuple(
                matrix_lines(f"\\Delta_{{{j}}}", D, index_name=f"\\Delta_{{{j}}}"))))
    return blocks


#: The remark under the printed (3) and under its correction (3'), in the document and the snippets.
MISPRINT_NOTE = "misprint in the paper: {bad} must read {good}, see (3$'$)"
CORRECTION_NOTE = "corrects the paper's misprint {bad} in (3) to {good}"


def _typo_blocks(net: Network, i: int, printed: registry.Formula, fix: registry.Formula) -> list[Block]:
    k, seeded = net.depth, _seeded(net)
    bad, good = f"$W_{{{k - 2}}}$", f"$W_{{{k - 2}}}^{{T}}$"
    printed_name, fixed_name = f"grad_W{i}_{printed.name}_printed", f"grad_W{i}_{fix.name}"
    return [Text(f"\\textbf{{Misprint.}} Formula {printed.equation} as printed in the paper, line for $W_1$; its "
                 f"factor $\\Sigma'_{{{k - 2}}} \\bullet W_{{{k - 2}}}$ lacks the transpose:"),
            Equation(printed_name, tuple(pack(_grad(i), printed.pieces(k, i, seeded=seeded))), printed.tag,
                     MISPRINT_NOTE.format(bad=bad, good=good)),
            Text(f"\\textbf{{Correction.}} With {good} restored, {ref(fixed_name)} holds:"),
            Equation(fixed_name, tuple(pack(_grad(i), fix.pieces(k, i, seeded=seeded))), fix.tag,
                     CORRECTION_NOTE.format(bad=bad, good=good))]


def _weight_blocks(net: Network, i: int) -> list[Block]:
    """grad_{W_i} f by every catalogue record the document shows; a misprinted line beside its correction."""
    k, seeded, shown = net.depth, _seeded(net), registry.document_entries("homogeneous")
    blocks: list[Block] = []
    for entry in shown:
        fix = next((f for f in shown if f.corrects == entry.name), None)
        if entry.corrects:
            continue  # shown beside the printed formula where the two differ
        if fix is not None and entry.typo_at is not None and entry.typo_at(k, i):
            blocks += _typo_blocks(net, i, entry, fix)
        else:
            pieces = entry.pieces(k, i, seeded=seeded)
            blocks.append(Equation(f"grad_W{i}_{entry.name}", tuple(pack(_grad(i), pieces)), entry.tag))
    return blocks


def _bias_blocks(net: Network, i: int, *, entries: bool) -> list[Block]:
    """The records of the affine form only (the bias gradient), with the matrix when entries are written."""
    blocks: list[Block] = []
    lhs = f"\\nabla_{{b_{{{i}}}}} f"
    for entry in registry.document_entries(net.architecture.form):
        if "homogeneous" in entry.forms:
            continue
        lines = [f"{lhs} &= {' '.join(entry.pieces(net.depth, i, seeded=_seeded(net)))}"]
        if entries:
            lines = matrix_lines(lhs, entry.truth(net, i), index_name=lhs)
        blocks.append(Equation(f"grad_b{i}", tuple(lines), entry.tag))
    return blocks


def _layer_blocks(net: Network, i: int, *, entries: bool) -> list[Block]:
    grad, rows, cols = _grad(i), net.n(i), net.n(i - 1)
    blocks: list[Block] = [Section(f"Layer {i}: ${grad}$, {article(rows)} ${rows} \\times {cols}$ matrix", 2)]
    blocks += _weight_blocks(net, i)
    if entries:
        G = ground_truth.grad_W(net, i)
        blocks += [Text(f"Written out in {ref(f'grad_W{i}_entries')} (every correct form gives this matrix):"),
                   Equation(f"grad_W{i}_entries", tuple(matrix_lines(grad, G, index_name=grad)))]
    return blocks + _bias_blocks(net, i, entries=entries)


def gradient_sections(net: Network, *, entries: bool) -> list[Block]:
    """For i = k..1: grad_{W_i} f by (3), (4), (5), the recursion; the matrix; the bias for affine nets."""
    blocks: list[Block] = [Section("The gradient, layer by layer (section 5)"), Text(
        "Formula (3) is read from left to right (remark 1), formula (4) from right to left (remark 5); "
        "the braces of the paper mark periods, not groups.")]
    for i in range(net.depth, 0, -1):
        blocks += _layer_blocks(net, i, entries=entries)
    return blocks


def _index_general(net: Network) -> str:
    k, seeded = net.depth, _seeded(net)
    j = ["r"] + [f"j_{{{layer}}}" for layer in range(2, k + 1)]   # j[l - 1] is the row index at layer l
    if not seeded:
        j[k - 1] = "1" if k > 1 else j[0]
    factors = [f"v_{{{j[k - 1]}}}"] if seeded else []
    for layer in range(k, 1, -1):
        row, col = j[layer - 1], j[layer - 2]
        factors += [f"\\sigma'_{{{layer},{row}}}", f"w^{{({layer})}}_{{{row},{col}}}"]
    factors += [f"\\sigma'_{{1,{j[0]}}}", "x_{c}"]
    summed = range(2, k + 1 if seeded else k)
    sums = " ".join(f"\\sum_{{{j[layer - 1]}=1}}^{{{net.n(layer)}}}" for layer in summed)
    return (sums + " " if sums else "") + FACTOR_SEP.join(factors)


def _branch_product(net: Network, path: tuple[int, ...]) -> sp.Expr:
    """The product of local derivatives along one branch x_1 -> N_{1,1} -> N_{2,j_2} ... (0-based rows)."""
    k = net.depth
    value = net.V[path[-1], 0] * net.sigma_prime(k, path[-1])
    for layer in range(k, 1, -1):
        value *= net.W(layer)[path[layer - 1], path[layer - 2]] * net.sigma_prime(layer - 1, path[layer - 2])
    return value * net.X[0, 0]


_INDEX_TEXT = (
    "As in the tutorial, differentiate one weight directly: $w^{(1)}_{r,c}$ reaches $f$ along every branch "
    "(path) of the computation graph $x_c \\to N_{1,r} \\to N_{2,j_2} \\to \\cdots \\to f$; each branch "
    "contributes the product of the local derivatives along it (a $\\sigma'$ at each neuron, the weight on "
    "each edge), and the derivative is the sum over all branches:")


def index_section(net: Network, *, entries: bool = True, example: bool = True) -> list[Block]:
    """The general entry of grad W_1 f in index notation, and one entry, d f / d w^{(1)}_{1,1}, as a
    sum over the branches of the computation graph (``example``; for wide nets the general formula
    and this one example stand for the matrix, whose entries are then not written out).

    The branch sum is built from the paths and checked exactly against entry (1, 1) of
    the ground truth before it is printed.
    """
    lhs = "\\frac{\\partial f}{\\partial w^{(1)}_{r,c}}"
    general = [Section("One entry in index notation"), Text(_INDEX_TEXT),
               Equation("index_general", tuple(pack(lhs, [_index_general(net)])))]
    if not example:
        return general + [Text("Every entry of the matrices above is such a sum; the network is too wide "
                               "to write one out here.")]
    paths = [(0,) + p for p in itertools.product(*(range(net.n(layer)) for layer in range(2, net.depth + 1)))]
    branches = [_branch_product(net, p) for p in paths]
    if sp.expand(sp.Add(*branches) - ground_truth.grad_W(net, 1)[0, 0]) != 0:  # pragma: no cover
        raise AssertionError("branch sum differs from the ground truth")
    count = "is one branch" if len(paths) == 1 else f"are {len(paths)} branches"
    shown = paths if len(paths) <= 8 else paths[:4] + paths[-2:]
    route = [" \\to ".join(["x_{1}"] + [f"N_{{{layer},{row + 1}}}" for layer, row in enumerate(p, 1)])
             for p in shown] + (["\\ldots"] if len(shown) < len(paths) else [])
    route = [text + (",\\quad" if n < len(route) - 1 else "") for n, text in enumerate(route)]
    terms = [FACTOR_SEP.join(monomial(b)[1]) for b in branches]
    terms = [t if n == 0 else "+ " + t for n, t in enumerate(terms)]
    target = f"\\frac{{\\partial f}}{{\\partial {sp.latex(net.W(1)[0, 0])}}}"
    where = f"in {ref('grad_W1_entries')} " if entries else "(its other entries are not written out: the net is " \
        "wide) "
    return general + [
        Text(f"For $r = c = 1$ there {count}:"),
        Equation("index_paths", tuple(pack("\\text{branches:}", route, rel="\\ "))),
        Equation("index_entry", tuple(pack(target, terms))),
        Text(f"The sum {ref('index_entry')} is entry $(1,1)$ of ${_grad(1)}$ {where}(checked exactly): the "
             "matrix formulas collect exactly these branch sums.")]
