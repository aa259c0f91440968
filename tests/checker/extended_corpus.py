"""An extended corpus of cited backpropagation formulas, correct ones and realistic mistakes (issue 12).

Each entry is ``(notation, latex, expected, source)``: ``expected`` is "holds" for a formula the
source prints (or a form of it), "fails" for a realistic mistake (missing transpose, 1/2 for 1/m,
wrong layer index, sigma for sigma', wrong sign or axis). The verdicts come from the sources'
own conventions, never from the checker. Run ``python -m tests.checker.extended_corpus`` for the
per-profile table (read, right, wrong, ambiguous, unreadable); ``--by-source`` groups by the cited
work, ``--auto`` checks every case with ``notation="auto"``.

Sources (cited per entry): Mishachev, arXiv:1707.02746 (paper); Nielsen, Neural Networks and Deep
Learning, ch. 2 (nielsen); Ng, deeplearning.ai course 1 weeks 3-4 (dlai); UFLDL tutorial,
Backpropagation Algorithm (ufldl); Stanford CS229 notes "Deep Learning" section 3 (cs229);
Stanford CS231n notes "Backpropagation, Intuitions" (cs231n); Dive into Deep Learning 5.3 and
Goodfellow et al., Deep Learning, algorithm 6.4 (d2l); CS231n assignment 2 ``layers.py``
(rowmajor); Bishop, Pattern Recognition and Machine Learning, 5.3.1-5.3.2 (bishop); the project
tutorial's vectorised delta rule (tutorial).
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from typing import NamedTuple

from derivations.checker import check
from derivations.errors import BackpropVerifyError

__all__ = ["Case", "EXTENDED", "run", "source_of", "table"]


class Case(NamedTuple):
    notation: str
    latex: str
    expected: str
    source: str


_P, _N, _D, _U = "Mishachev 1707.02746", "Nielsen ch. 2", "Ng DLAI c1", "UFLDL Backpropagation Algorithm"
_C9, _C2, _DL, _GF = "CS229 notes, Deep Learning 3.", "CS231n notes, Backprop", "d2l 5.3", "Goodfellow 6.5, alg. 6.4"
_RM, _TU = "CS231n assignment 2 layers.py", "project tutorial, delta rule"
_B = "Bishop, PRML 5.3.1"

EXTENDED: list[Case] = [Case(*row) for row in [
    # -- paper ---------------------------------------------------------------------------------
    ("paper", r"\nabla_{W_i} f = (\Sigma'_i \circ (W_{i+1}^T \cdot \Delta_{i+1})) \cdot \Sigma_{i-1}^T", "holds",
     f"{_P}, remark 3, Delta_i substituted"),
    ("paper", r"\Delta_k = \Sigma'_k", "holds", f"{_P}, remark 3, Delta_k (n_k = 1, f = Sigma_k)"),
    ("paper", r"\nabla_{W_k} f = \Delta_k \cdot \Sigma_{k-1}^T = \Sigma'_k \cdot \Sigma_{k-1}^T", "holds",
     f"{_P}, (3) first line as a chain"),
    ("paper", r"\nabla_{w_k} f = \sigma'_k \sigma_{k-1}", "holds", f"{_P}, section 4, (1) with i = k"),
    ("paper", r"\Delta_i = \Sigma'_i \circ (W_{i+1} \cdot \Delta_{i+1})", "fails", f"{_P}, remark 3, transpose lost"),
    ("paper", r"\nabla_{W_i} f = \Delta_i \cdot \Sigma_i^T", "fails", f"{_P}, remark 3, wrong layer of Sigma"),
    ("paper", r"\Delta_i = \Sigma_i \circ (W_{i+1}^T \cdot \Delta_{i+1})",
     "fails", f"{_P}, remark 3, Sigma for Sigma'"),
    ("paper", r"\nabla_{w_{k-1}} f = \sigma'_k w_k \sigma_{k-2}",
     "fails", f"{_P}, section 4, (1), sigma'_{{k-1}} lost"),
    # -- nielsen -------------------------------------------------------------------------------
    ("nielsen", r"\frac{\partial C}{\partial b^l_j} = \delta^l_j", "holds", f"{_N}, (BP3)"),
    ("nielsen", r"\frac{\partial C}{\partial w^l_{jk}} = a^{l-1}_k \delta^l_j", "holds", f"{_N}, (BP4)"),
    ("nielsen", r"\delta^l_j = \sum_k w^{l+1}_{kj} \delta^{l+1}_k \sigma'(z^l_j)",
     "holds", f"{_N}, (45), proof of BP2"),
    ("nielsen", r"\frac{\partial C}{\partial b^l} = \delta^l", "holds", f"{_N}, (BP3) as a vector"),
    ("nielsen", r"\delta^L_j = \frac{\partial C}{\partial a^L_j} \sigma'(z^L_j)", "holds", f"{_N}, (BP1)"),
    ("nielsen", r"\frac{\partial C}{\partial w^l_{jk}} = a^{l}_k \delta^l_j",
     "fails", f"{_N}, (BP4), wrong layer of a"),
    ("nielsen", r"\delta^l_j = \sum_k w^{l+1}_{jk} \delta^{l+1}_k \sigma'(z^l_j)",
     "fails", f"{_N}, (45), w_jk for w_kj"),
    ("nielsen", r"\delta^l = (w^{l+1} \delta^{l+1}) \odot \sigma'(z^l)", "fails", f"{_N}, (BP2), transpose lost"),
    ("nielsen", r"\delta^L = (a^L - y) \odot \sigma(z^L)", "fails", f"{_N}, (30), sigma for sigma'"),
    ("nielsen", r"\frac{\partial C}{\partial b^l} = \delta^{l+1}", "fails", f"{_N}, (BP3), wrong layer"),
    # -- dlai ----------------------------------------------------------------------------------
    ("dlai", r"dW^{[2]} = \frac{1}{m} dZ^{[2]} A^{[1]T}", "holds", f"{_D} week 3, gradient descent for NNs"),
    ("dlai", r"db^{[2]} = \frac{1}{m} np.sum(dZ^{[2]}, axis=1, keepdims=True)", "holds", f"{_D} week 3"),
    ("dlai", r"dZ^{[1]} = W^{[2]T} dZ^{[2]} * g^{[1]\prime}(Z^{[1]})", "holds", f"{_D} week 3"),
    ("dlai", r"dW^{[1]} = \frac{1}{m} dZ^{[1]} X^T", "holds", f"{_D} week 3"),
    ("dlai", r"dA^{[l-1]} = W^{[l]T} dZ^{[l]}", "holds", f"{_D} week 4, backward propagation for layer l"),
    ("dlai", r"dZ^{[L]} = A^{[L]} - Y", "holds", f"{_D} week 4, sigmoid output, cross-entropy"),
    ("dlai", r"dW^{[l]} = \frac{1}{2} dZ^{[l]} A^{[l-1]T}", "fails", f"{_D} week 4, 1/2 for 1/m"),
    ("dlai", r"dA^{[l-1]} = W^{[l]} dZ^{[l]}", "fails", f"{_D} week 4, transpose lost"),
    ("dlai", r"dZ^{[l]} = dA^{[l]} * g^{[l]}(Z^{[l]})", "fails", f"{_D} week 4, g for g'"),
    ("dlai", r"dW^{[l]} = \frac{1}{m} dZ^{[l]} A^{[l]T}", "fails", f"{_D} week 4, wrong layer of A"),
    ("dlai", r"dZ^{[L]} = Y - A^{[L]}", "fails", f"{_D} week 4, sign"),
    # -- ufldl ---------------------------------------------------------------------------------
    ("ufldl", r"\delta^{(n_l)} = -(y - a^{(n_l)}) \bullet f'(z^{(n_l)})", "holds", f"{_U}, vectorised step 2"),
    ("ufldl", r"\nabla_{b^{(l)}} J(W,b;x,y) = \delta^{(l+1)}", "holds", f"{_U}, vectorised step 4"),
    ("ufldl", r"\delta^{(l)}_i = \left(\sum_{j} W^{(l)}_{ji} \delta^{(l+1)}_j\right) f'(z^{(l)}_i)", "holds",
     f"{_U}, step 3"),
    ("ufldl", r"\delta^{(l)} = \left((W^{(l)})^T \delta^{(l+1)}\right) \bullet f'(z^{(l)})", "holds",
     f"{_U}, vectorised step 3"),
    ("ufldl", r"\delta^{(l)} = ((W^{(l)})^T \delta^{(l+1)}) \bullet f(z^{(l)})", "fails", f"{_U}, f for f'"),
    ("ufldl", r"\nabla_{W^{(l)}} J(W,b;x,y) = \delta^{(l)} (a^{(l)})^T", "fails", f"{_U}, step 4, wrong layer"),
    ("ufldl", r"\delta^{(n_l)} = (y - a^{(n_l)}) \bullet f'(z^{(n_l)})", "fails", f"{_U}, step 2, sign"),
    ("ufldl", r"\nabla_{W^{(l)}} J(W,b;x,y) = \delta^{(l+1)} a^{(l)}", "fails", f"{_U}, step 4, transpose lost"),
    # -- cs229 ---------------------------------------------------------------------------------
    ("cs229", r"\frac{\partial J}{\partial W^{[k]}} = \frac{\partial J}{\partial z^{[k]}} a^{[k-1]\top}", "holds",
     f"{_C9}3, (3.26)"),
    ("cs229", r"\frac{\partial J}{\partial a^{[k-1]}} = W^{[k]\top} \frac{\partial J}{\partial z^{[k]}}", "holds",
     f"{_C9}3, (3.28)"),
    ("cs229", r"\frac{\partial J}{\partial z^{[k]}} = \frac{\partial J}{\partial a^{[k]}} \odot \sigma'(z^{[k]})",
     "holds", f"{_C9}3, (3.29)"),
    ("cs229", r"\frac{\partial J}{\partial b^{[k]}} = \frac{\partial J}{\partial z^{[k]}}", "holds", f"{_C9}3"),
    ("cs229", r"\frac{\partial J}{\partial a^{[r]}} = a^{[r]} - y", "holds", f"{_C9}3, J = 1/2 (a^[r] - y)^2"),
    ("cs229", r"\frac{\partial J}{\partial W^{[k]}} = \frac{\partial J}{\partial z^{[k]}} a^{[k]\top}", "fails",
     f"{_C9}3, wrong layer"),
    ("cs229", r"\frac{\partial J}{\partial a^{[k-1]}} = W^{[k]} \frac{\partial J}{\partial z^{[k]}}", "fails",
     f"{_C9}3, transpose lost"),
    ("cs229", r"\frac{\partial J}{\partial z^{[k]}} = \frac{\partial J}{\partial a^{[k]}} \odot \sigma(z^{[k]})",
     "fails", f"{_C9}3, sigma for sigma'"),
    ("cs229", r"\frac{\partial J}{\partial a^{[r]}} = \frac{1}{2} (a^{[r]} - y)", "fails", f"{_C9}3, the 1/2 kept"),
    # -- cs231n --------------------------------------------------------------------------------
    ("cs231n", r"dW = dD \cdot X^\top", "holds", f"{_C2}, dW = dD.dot(X.T)"),
    ("cs231n", r"dX = W^T dD", "holds", f"{_C2}, dX = W.T.dot(dD)"),
    ("cs231n", r"dW = dD \, X^{\top}", "holds", f"{_C2}, with a thin space"),
    ("cs231n", r"dX = W^{\top} \cdot dD", "holds", f"{_C2}"),
    ("cs231n", r"dX = W dD", "fails", f"{_C2}, transpose lost"),
    ("cs231n", r"dW = X^T dD", "fails", f"{_C2}, factors swapped"),
    ("cs231n", r"dX = dD W^T", "fails", f"{_C2}, factors swapped"),
    ("cs231n", r"dW = dD X", "fails", f"{_C2}, transpose lost"),
    # -- d2l / Goodfellow ----------------------------------------------------------------------
    ("d2l", r"\frac{\partial J}{\partial W^{(2)}} = \frac{\partial J}{\partial o} h^{\top} + \lambda W^{(2)}", "holds",
     f"{_DL}, (5.3.9)"),
    ("d2l", r"\frac{\partial J}{\partial h} = {W^{(2)}}^\top \frac{\partial J}{\partial o}",
     "holds", f"{_DL}, (5.3.10)"),
    ("d2l", r"\frac{\partial J}{\partial z} = \frac{\partial J}{\partial h} \odot \phi'(z)",
     "holds", f"{_DL}, (5.3.11)"),
    ("d2l", r"\frac{\partial J}{\partial W^{(1)}} = \frac{\partial J}{\partial z} \mathbf{x}^\top + \lambda W^{(1)}",
     "holds", f"{_DL}, (5.3.12)"),
    ("d2l", r"g \leftarrow \nabla_{a^{(k)}} J, \quad "
            r"\nabla_{W^{(k)}} J = g h^{(k-1)\top} + \lambda \nabla_{W^{(k)}} \Omega",
     "holds", f"{_GF}"),
    ("d2l", r"\frac{\partial J}{\partial W^{(2)}} = \frac{\partial J}{\partial o} h^\top", "fails",
     f"{_DL}, (5.3.9), regulariser lost"),
    ("d2l", r"\frac{\partial J}{\partial h} = W^{(2)} \frac{\partial J}{\partial o}",
     "fails", f"{_DL}, transpose lost"),
    ("d2l", r"\frac{\partial J}{\partial z} = \frac{\partial J}{\partial h} \odot \phi(z)",
     "fails", f"{_DL}, phi for phi'"),
    ("d2l", r"g \leftarrow \nabla_{a^{(k)}} J, \quad "
            r"\nabla_{W^{(k)}} J = g h^{(k)\top} + \lambda \nabla_{W^{(k)}} \Omega",
     "fails", f"{_GF}, wrong layer of h"),
    # -- rowmajor ------------------------------------------------------------------------------
    ("rowmajor", r"dA^{[l-1]} = dZ^{[l]} (W^{[l]})^T", "holds", f"{_RM}, affine_backward: dx = dout.dot(w.T)"),
    ("rowmajor", r"db^{[l]} = \frac{1}{m} np.sum(dZ^{[l]}, axis=0, keepdims=True)", "holds",
     f"{_RM}, db = dout.sum(axis=0), mean loss"),
    ("rowmajor", r"dZ^{[L]} = A^{[L]} - Y", "holds", f"{_RM}, sigmoid output, cross-entropy"),
    ("rowmajor", r"dW^{[2]} = \frac{1}{m} A^{[1]T} dZ^{[2]}", "holds", f"{_RM}, dw = x.T.dot(dout)"),
    ("rowmajor", r"db^{[l]} = \frac{1}{m} np.sum(dZ^{[l]}, axis=1, keepdims=True)", "fails", f"{_RM}, wrong axis"),
    ("rowmajor", r"dA^{[l-1]} = W^{[l]} dZ^{[l]}", "fails", f"{_RM}, column-major habit"),
    ("rowmajor", r"dZ^{[L]} = Y - A^{[L]}", "fails", f"{_RM}, sign"),
    ("rowmajor", r"dW^{[2]} = A^{[1]T} dZ^{[2]}", "fails", f"{_RM}, 1/m lost"),
    # -- bishop: layers named by the neuron letters i (input), j (hidden), k (output) ------------
    ("bishop", r"\delta_k = y_k - t_k", "holds", f"{_B}, (5.54)"),
    ("bishop", r"\delta_j = h'(a_j) \sum_k w_{kj} \delta_k", "holds", f"{_B}, (5.56)"),
    ("bishop", r"\frac{\partial E_n}{\partial w_{ji}} = \delta_j z_i", "holds", f"{_B}, (5.53)"),
    ("bishop", r"\frac{\partial E_n}{\partial w^{(2)}_{kj}} = \delta_k z_j", "holds", f"{_B}, (5.67)"),
    ("bishop", r"\frac{\partial E_n}{\partial w^{(1)}_{ji}} = \delta_j x_i", "holds", f"{_B}, (5.67)"),
    ("bishop", r"\delta_k = t_k - y_k", "fails", f"{_B}, (5.54), sign"),
    ("bishop", r"\delta_j = h'(a_j) \sum_k w_{jk} \delta_k", "fails", f"{_B}, (5.56), w_jk for w_kj"),
    ("bishop", r"\delta_j = h(a_j) \sum_k w_{kj} \delta_k", "fails", f"{_B}, (5.56), h for h'"),
    ("bishop", r"\frac{\partial E_n}{\partial w^{(2)}_{kj}} = \delta_k x_j", "fails", f"{_B}, (5.67), x for z"),
    # -- tutorial ------------------------------------------------------------------------------
    ("tutorial", r"dW^{(l)} = \frac{1}{m} \delta^{(l)} (a^{(l-1)})^T", "holds", f"{_TU}"),
    ("tutorial", r"db^{(l)} = \frac{1}{m} \delta^{(l)} \mathbf{1}", "holds", f"{_TU}"),
    ("tutorial", r"\delta^{(l)} = (W^{(l+1)})^T \delta^{(l+1)} \odot f'(z^{(l)})", "holds", f"{_TU}"),
    ("tutorial", r"dW^{(l)} = \frac{1}{2m} \delta^{(l)} (a^{(l-1)})^T", "fails", f"{_TU}, 1/(2m) for 1/m"),
    ("tutorial", r"\delta^{(l)} = (W^{(l)})^T \delta^{(l+1)} \odot f'(z^{(l)})", "fails", f"{_TU}, wrong layer of W"),
    ("tutorial", r"dW^{(l)} = \frac{1}{m} \delta^{(l)} a^{(l-1)}", "fails", f"{_TU}, transpose lost"),
]]
"""The cases, grouped by profile."""

BOUND: dict = {}
"""No bounds: what a user gets by default (a proof, or the fallback sweep)."""


def run(case: Case, *, notation: str | None = None):
    """(verdict word, seconds, text) of one case: holds, fails, ambiguous, undecided or unreadable."""
    began = time.perf_counter()
    try:
        result = check(case.latex, notation=notation or case.notation, **BOUND)
    except BackpropVerifyError as err:
        return "unreadable", time.perf_counter() - began, f"{type(err).__name__}: {err}"
    return result.verdict_word, time.perf_counter() - began, str(result)


def source_of(case: Case) -> str:
    """The work a case cites, without its equation or section ("Nielsen ch. 2", "Bishop, PRML 5.3.1")."""
    return case.source.split(", ")[0] if not case.source.startswith("Bishop") else ", ".join(
        case.source.split(", ")[:2])


def table(*, auto: bool = False, by_source: bool = False) -> str:
    """The table per profile (or per cited source): correct formulas decided "holds", mistakes
    caught, false holds, ambiguous, unreadable."""
    rows: dict[str, Counter] = {}
    for case in EXTENDED:
        word, _, _ = run(case, notation="auto" if auto else None)
        c = rows.setdefault(source_of(case) if by_source else case.notation, Counter())
        kind = "correct" if case.expected == "holds" else "mistake"
        c[kind] += 1
        c[f"{kind} right"] += word == case.expected
        c[f"{kind} false holds"] += kind == "mistake" and word == "holds"
        c["ambiguous"] += word == "ambiguous"
        c["unreadable"] += word == "unreadable"
    head = (f"| {'source' if by_source else 'profile'} | correct: holds | mistakes: caught | false holds | "
            "ambiguous | unreadable |")
    lines = [head, "|---|---|---|---|---|---|"]
    total = Counter()
    for name, c in [*rows.items(), ("all", None)]:
        c = c if c is not None else total
        if name != "all":
            total.update(c)
        lines.append(f"| {name} | {c['correct right']}/{c['correct']} | {c['mistake right']}/{c['mistake']} | "
                     f"{c['mistake false holds']} | {c['ambiguous']} | {c['unreadable']} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(auto="--auto" in sys.argv, by_source="--by-source" in sys.argv))
