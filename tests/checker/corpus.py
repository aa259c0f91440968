"""A corpus of formulas from the paper, the tutorial and common student mistakes, with verdicts.

Each :class:`Case` is (latex, notation, expected, description, options): ``expected`` is
"holds" (exact identity on every architecture in the bound), "value" (fails with a
value counterexample), "shape" (fails because a product does not type-check) or "ambiguous"
(the profile does not fix a reading and the readings' verdicts differ);
``options`` are extra keyword arguments of :func:`derivations.checker.check`.
"""

from __future__ import annotations

from typing import NamedTuple


class Case(NamedTuple):
    latex: str
    notation: str
    expected: str
    description: str
    options: dict = {}


K4 = {"min_depth": 4, "max_depth": 4}
RIGHT = {"order": "right"}
LEFT = {"order": "left"}
"""The paper fixes the reading per formula (remark 1: (3) and the lemmas left to right; remark 5: (4)
right to left); without ``order`` a chain whose readings disagree is reported as ambiguous."""

PAPER = [
    # -- formula (3), line by line (actions left to right, remark 1) ---------------------------
    Case(r"\nabla_{W_k} f = \Sigma'_k \cdot \Sigma^T_{k-1}", "paper", "holds", "(3), line W_k"),
    Case(r"\nabla_{W_{k-1}} f = \underline{\Sigma'_k \bullet W_k^T} \circ "
         r"\widetilde{\Sigma'_{k-1} \cdot \Sigma^T_{k-2}}", "paper", "holds", "(3), line W_{k-1}, with braces", LEFT),
    Case(r"\nabla_{W_{k-2}} f = \Sigma'_k \bullet W_k^T \circ \Sigma'_{k-1} \bullet W_{k-1}^T \circ "
         r"\Sigma'_{k-2} \cdot \Sigma^T_{k-3}", "paper", "holds", "(3), line W_{k-2}", LEFT),
    Case(r"\nabla_{W_1} f = \underline{\Sigma'_4 \bullet W_4^T} \circ \underline{\Sigma'_3 \bullet W_3^T} "
         r"\circ \underline{\Sigma'_2 \bullet W_2} \circ \widetilde{\Sigma'_1 \cdot X^T}", "paper", "shape",
         "(3), line W_1 as printed for k = 4: the typo W_{k-2} without transpose", K4),
    Case(r"\nabla_{W_1} f = \Sigma'_4 \bullet W_4^T \circ \Sigma'_3 \bullet W_3^T \circ "
         r"\Sigma'_2 \bullet W_2^T \circ \Sigma'_1 \cdot X^T", "paper", "holds",
         "(3), line W_1 for k = 4, typo corrected", {**K4, **LEFT}),
    Case(r"\nabla_{W_i} f = \Delta_{i+2} \bullet W_{i+2}^T \circ \Sigma'_{i+1} \bullet W_{i+1} \circ "
         r"\Sigma'_i \cdot \Sigma^T_{i-1}", "paper", "shape",
         "the typo in the general pattern: W_{i+1} without transpose"),
    Case(r"\nabla_{W_i} f = \Delta_{i+2} \bullet W_{i+2}^T \circ \Sigma'_{i+1} \bullet W_{i+1}^T \circ "
         r"\Sigma'_i \cdot \Sigma^T_{i-1}", "paper", "holds", "(3), two periods then Delta_{i+2}", LEFT),
    Case(r"\nabla_{W_{k-1}} f = \Sigma'_k \cdot W_k^T \circ \Sigma'_{k-1} \cdot \Sigma^T_{k-2}", "paper",
         "holds", "remark 2: Sigma'_k is a scalar, so the bullet may be a dot", LEFT),
    # -- the recursion (remark 3) ----------------------------------------------------------------
    Case(r"\Delta_i = \Delta_{i+1} \bullet W_{i+1}^T \circ \Sigma_i'", "paper", "holds",
         "remark 3, bullet form (Delta_{k+1} = W_{k+1}^T = 1)", LEFT),
    Case(r"\Delta_i = (W_{i+1}^T \cdot \Delta_{i+1}) \circ \Sigma_i'", "paper", "holds",
         "remark 3, dot form"),
    Case(r"\nabla_{W_i} f = \Delta_i \cdot \Sigma_{i-1}^T", "paper", "holds", "remark 3: grad = Delta . Sigma^T"),
    Case(r"\nabla_{W_i} f = (W_{i+1}^T \Delta_{i+1}) \circ \Sigma'_i \cdot \Sigma_{i-1}^T", "paper", "holds",
         "one step of the recursion, juxtaposition for the product", LEFT),
    Case(r"\Delta_k = \Sigma'_k", "paper", "holds", "start of the recursion (n_k = 1)"),
    # -- (4): actions right to left (remark 5) ---------------------------------------------------
    Case(r"\nabla_{W_k} f = \Sigma_{k-1}^T \otimes \Sigma_k'", "paper", "holds", "(4), line W_k", RIGHT),
    Case(r"\nabla_{W_{k-1}} f = \Sigma_{k-2}^T \otimes \Sigma_{k-1}' \circ W_k^T \cdot \Sigma_k'", "paper",
         "holds", "(4), line W_{k-1}, right to left", RIGHT),
    Case(r"\nabla_{W_{k-2}} f = \widetilde{\Sigma_{k-3}^T \otimes \Sigma_{k-2}'} \circ "
         r"\underbrace{W_{k-1}^T \cdot \Sigma_{k-1}'} \circ \underbrace{W_k^T \cdot \Sigma_k'}", "paper",
         "holds", "(4), line W_{k-2}, right to left", RIGHT),
    Case(r"\nabla_{W_{k-2}} f = \Sigma_{k-3}^T \otimes \Sigma_{k-2}' \circ W_{k-1}^T \cdot \Sigma_{k-1}' "
         r"\circ W_k^T \cdot \Sigma_k'", "paper", "shape", "(4) misread left to right", LEFT),
    # -- (5): diagonal matrices ------------------------------------------------------------------
    Case(r"\nabla_{W_{k-1}} f = \Sigma_{k-2}^T \otimes (\widehat{\Sigma}'_{k-1} \cdot W_k^T \cdot "
         r"\widehat{\Sigma}'_k)", "paper", "holds", "(5), line W_{k-1}"),
    Case(r"\nabla_{W_{k-2}} f = \Sigma_{k-3}^T \otimes (\operatorname{diag}(\Sigma'_{k-2}) \cdot W_{k-1}^T "
         r"\cdot \operatorname{diag}(\Sigma'_{k-1}) \cdot W_k^T \cdot \hat\Sigma'_k)", "paper", "holds",
         "(5), line W_{k-2}, with diag"),
    # -- lemmas (6), (7) -------------------------------------------------------------------------
    Case(r"\nabla_{W_r} f = (\nabla_{\Sigma_r} f) \circ \Sigma'_r \cdot \Sigma^T_{r-1}", "paper", "holds",
         "lemma (6)", LEFT),
    Case(r"\nabla_{\Sigma_r} f(X; W) = (\nabla_{\Sigma_{r+1}} f) \circ \Sigma'_{r+1} \bullet W^T_{r+1}",
         "paper", "holds", "lemma (7)", LEFT),
    Case(r"\nabla_{\Sigma_k} f = 1", "paper", "holds", "grad of f w.r.t. its own output (n_k = 1)"),
    # -- student mistakes ------------------------------------------------------------------------
    Case(r"\Delta_i = (W_{i+1} \cdot \Delta_{i+1}) \circ \Sigma'_i", "paper", "shape", "missing transpose"),
    Case(r"\Delta_i = (\Delta_{i+1} \cdot W_{i+1}^T) \circ \Sigma'_i", "paper", "shape", "factors swapped"),
    Case(r"\nabla_{W_i} f = \Delta_i \circ \Sigma_{i-1}^T", "paper", "shape",
         "Hadamard product instead of the outer product"),
    Case(r"\Delta_i = W_{i+1}^T \cdot \Delta_{i+1}", "paper", "value", "forgotten derivative factor"),
    Case(r"\Delta_i = (W_{i+1}^T \cdot \Delta_{i+1}) \circ \Sigma_i", "paper", "value",
         "sigma instead of sigma'"),
    Case(r"\nabla_{W_i} f = \Delta_i \cdot \Sigma_i^T", "paper", "value", "wrong layer index Sigma_i"),
    Case(r"\nabla_{W_i} f = \Delta_{i+1} \cdot \Sigma_{i-1}^T", "paper", "value", "wrong layer index Delta_{i+1}"),
    Case(r"\Delta_i = (W_i^T \cdot \Delta_{i+1}) \circ \Sigma'_i", "paper", "value", "wrong layer index W_i"),
]

TUTORIAL = [
    Case(r"\delta^{(L)} = (a^{(L)} - y) \odot f'(z^{(L)})", "tutorial", "holds", "output delta"),
    Case(r"\delta^{(l)} = (W^{(l+1)})^T \delta^{(l+1)} \odot f'(z^{(l)})", "tutorial", "holds",
         "delta rule, vectorised"),
    Case(r"\delta^{(l)} = f'(z^{(l)}) \odot (W^{(l+1)})^T \delta^{(l+1)}", "tutorial", "holds",
         "delta rule, Hadamard factor first (standard precedence)"),
    Case(r"\frac{\partial C}{\partial z^{(l)}} = \left((W^{(l+1)})^{\top} \delta^{(l+1)}\right) \odot "
         r"\sigma'(z^{(l)})", "tutorial", "holds", "delta rule as a partial derivative"),
    Case(r"dW^{(l)} = \frac{1}{m} \delta^{(l)} (a^{(l-1)})^T", "tutorial", "holds", "weight gradient"),
    Case(r"\frac{\partial L}{\partial W^{(l)}} = \frac{\delta^{(l)} (a^{(l-1)})^T}{m}", "tutorial", "holds",
         "weight gradient as a fraction"),
    Case(r"db^{(l)} = \frac{1}{m} \sum_{i=1}^{m} \delta^{(l)}", "tutorial", "holds", "bias gradient, a sum"),
    Case(r"db^{(l)} = \frac{1}{m} \delta^{(l)} \mathbf{1}", "tutorial", "holds", "bias gradient, ones vector"),
    Case(r"z^{(l)} = W^{(l)} a^{(l-1)} + b^{(l)}", "tutorial", "holds", "forward pass (b broadcast)"),
    # -- student mistakes ------------------------------------------------------------------------
    Case(r"dW^{(l)} = \delta^{(l)} (a^{(l-1)})^T", "tutorial", "value", "1/m missing"),
    Case(r"\delta^{(L)} = \frac{1}{m} (a^{(L)} - y) \odot f'(z^{(L)})", "tutorial", "value",
         "1/m in the wrong place (in the per-sample delta)"),
    Case(r"db^{(l)} = \sum_{i=1}^{m} \delta^{(l)}", "tutorial", "value", "1/m missing in the bias gradient"),
    Case(r"dW^{(l)} = \frac{1}{m} (a^{(l-1)})^T \delta^{(l)}", "tutorial", "shape", "wrong order"),
    Case(r"\delta^{(l)} = W^{(l+1)} \delta^{(l+1)} \odot f'(z^{(l)})", "tutorial", "shape", "missing transpose"),
    Case(r"\delta^{(l)} = (W^{(l+1)})^T \delta^{(l+1)} \odot f(z^{(l)})", "tutorial", "value",
         "sigma instead of sigma'"),
    Case(r"\delta^{(l)} = (W^{(l+1)})^T \delta^{(l+1)}", "tutorial", "value", "forgotten derivative factor"),
    Case(r"\delta^{(L)} = (a^{(L)} - y) f'(z^{(L)})", "tutorial", "holds",
         "juxtaposed columns: as a matrix product it does not type-check, so only element-wise is a reading"),
    Case(r"dW^{(l)} = \frac{1}{m} \delta^{(l)} (a^{(l)})^T", "tutorial", "value",
         "wrong layer index a^{(l)} (1x1 on the smallest net, so a value counterexample)"),
    Case(r"\delta^{(L)} = (y - a^{(L)}) \odot f'(z^{(L)})", "tutorial", "value", "sign flipped"),
]

CORPUS = PAPER + TUTORIAL
