"""An independent corpus of textbook backpropagation formulas, per notation profile (issue 7, part 6).

Each entry is ``(notation, latex, expected, description)``:

* ``notation``: the profile name passed to :func:`derivations.checker.check`;
* ``latex``: the formula as the book prints it (or as a student writes it in that notation);
* ``expected``: "holds" (exact identity), "fails" (a counterexample exists), "ambiguous" (two
  readings under the profile; the checker must report them), "error" (a notation or syntax
  error is the right answer);
* ``description``: ``"short label: the reasoning"``; the label before the first colon names
  the test id, the rest says why the verdict follows from the book's own conventions.

The verdicts come from the books, not from the checker: an entry the checker gets wrong is a
gap to reconcile, never a reason to change the verdict. Sources:

* paper: N. M. Mishachev, "Backpropagation in matrix notation" (arXiv:1707.02746), (3)-(7).
* nielsen: M. Nielsen, "Neural Networks and Deep Learning", ch. 2 (BP1-BP4 and their proofs).
* dlai: A. Ng, deeplearning.ai Deep Learning Specialization, course 1, weeks 3-4.
* ufldl: UFLDL tutorial "Backpropagation Algorithm" and Coursera Machine Learning week 5.
* cs229: Stanford CS229 lecture notes, "Deep Learning", section on backpropagation.
* cs231n: Stanford CS231n notes, "Backpropagation, Intuitions" (gradients for vectorized operations).
* d2l: Dive into Deep Learning 5.3; Goodfellow, Bengio, Courville, "Deep Learning", 6.5 (alg. 6.4).
* rowmajor: the NumPy / PyTorch layout X (m x n_0), Z = A W + b, as in CS231n assignment code.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["ProfileCase", "PROFILE_CORPUS", "PROFILES", "EXPECTED"]

PROFILES = ("paper", "nielsen", "dlai", "ufldl", "cs229", "cs231n", "d2l", "rowmajor")
EXPECTED = ("holds", "fails", "ambiguous", "error")


class ProfileCase(NamedTuple):
    notation: str
    latex: str
    expected: str
    description: str


def _cases(notation: str, rows: list[tuple[str, str, str]]) -> list[ProfileCase]:
    return [ProfileCase(notation, latex, expected, description) for latex, expected, description in rows]


# -- paper: Mishachev. W_i is n_i x n_{i-1} (layer i-1 -> i), one sample, n_k = 1, objective f =
# Sigma_k. A \bullet B = B . A. Product chains: (3) is read left to right (remark 1), (4) right to
# left (remark 5); an unparenthesised chain whose two groupings differ therefore has two readings.
PAPER = _cases("paper", [
    (r"\nabla_{W_k} f = \Sigma'_k \cdot \Sigma^T_{k-1}", "holds",
     "(3) line W_k: first line of (3) without the period braces; Sigma'_k (1x1) times the row "
     "Sigma_{k-1}^T is the 1 x n_{k-1} gradient"),
    (r"\nabla_{W_{k-1}} f = ((\Sigma'_k \bullet W_k^T) \circ \Sigma'_{k-1}) \cdot \Sigma^T_{k-2}", "holds",
     "(3) line W_{k-1}, parenthesised: ((W_k^T Sigma'_k) o Sigma'_{k-1}) Sigma_{k-2}^T; the bullet "
     "is B . A, so Sigma'_k bullet W_k^T = W_k^T . Sigma'_k, a column of length n_{k-1}"),
    (r"\nabla_{W_{k-1}} f = \Sigma'_k \bullet W_k^T \circ \Sigma'_{k-1} \cdot \Sigma^T_{k-2}", "holds",
     "(3) line W_{k-1} without braces: the paper fixes the order per equation (remark 1: (3) left to "
     "right; remark 5: (4) right to left), so both groupings are candidates; right to left, "
     "Sigma'_k bullet (W_k^T o (Sigma'_{k-1} Sigma_{k-2}^T)) needs n_{k-2} = 1 (it does not type-check "
     "in general), so the only reading is left to right, where it holds"),
    (r"\Delta_i = \Sigma'_i \circ (W_{i+1}^T \cdot \Delta_{i+1})", "holds",
     "remark 3 with the Hadamard factors swapped: o is commutative; for i = k the paper's "
     "Delta_{k+1} = W_{k+1}^T = 1 gives Delta_k = Sigma'_k"),
    (r"\Delta_i = \widehat{\Sigma}'_i \cdot W_{i+1}^T \cdot \Delta_{i+1}", "holds",
     "remark 6 form of the recursion: the diagonal matrix hat Sigma'_i replaces the Hadamard "
     "product, diag(s) v = s o v"),
    (r"\nabla_{W_i} f = \Delta_i \otimes \Sigma_{i-1}^T", "holds",
     "Kronecker outer product: column (x) row = Delta_i Sigma_{i-1}^T, same n_i x n_{i-1} matrix as "
     "remark 3"),
    (r"\nabla_{W_i} f = \Sigma_{i-1}^T \otimes \Delta_i", "holds",
     "remark 5 order row (x) column: kron(row, column) is also the outer product column . row; with two "
     "factors the reading order does not matter"),
    (r"\nabla_{W_k} f = \Sigma_{k-1}^T \otimes \widehat{\Sigma}'_k", "holds",
     "(5) line W_k: hat Sigma'_k is 1x1 (n_k = 1), so the Kronecker product is Sigma'_k Sigma_{k-1}^T"),
    (r"\nabla_{W_{k-1}} f = \Sigma_{k-2}^T \otimes (\widehat{\Sigma}'_{k-1} \cdot W_k^T \cdot "
     r"\widehat{\Sigma}'_k)", "holds",
     "(5) line W_{k-1}: the parentheses fix the grouping, so no reading-order question arises; "
     "diag(Sigma'_{k-1}) W_k^T Sigma'_k = Delta_{k-1}"),
    (r"\nabla_{\Sigma_{k-1}} f = \Sigma'_k \bullet W_k^T", "holds",
     "lemma (7) at r = k-1: grad_{Sigma_k} f = 1, so (1 o Sigma'_k) bullet W_k^T = W_k^T Sigma'_k, a "
     "column of length n_{k-1}"),
    (r"\nabla_{\Sigma_{i-1}} f = W_i^T \cdot \Delta_i", "holds",
     "lemma (7) rewritten with Delta: (grad_{Sigma_i} f o Sigma'_i) = Delta_i, and bullet W_i^T is "
     "W_i^T . ; i = 1 gives the gradient w.r.t. X = Sigma_0"),
    (r"\Delta_i = (\nabla_{\Sigma_i} f) \circ \Sigma'_i", "holds",
     "Delta as in lemma (6): grad_{W_r} f = (grad_{Sigma_r} f) o Sigma'_r . Sigma_{r-1}^T and remark 3's "
     "grad_{W_i} f = Delta_i . Sigma_{i-1}^T agree, so Delta_i = grad_{Sigma_i} f o Sigma'_i"),
    (r"N_{i+1} = W_{i+1} \cdot \Sigma_i", "holds",
     "section 2 forward pass: N_1 = W_1 . X, N_{i+1} = W_{i+1} . Sigma_i(N_i), Sigma_0 = X"),
    (r"\nabla_{W_1} f = \Delta_1 \cdot X^T", "holds",
     "remark 3 at i = 1 with Sigma_0 = X: the first layer's gradient uses the input"),
    (r"\nabla_{W_{k-1}} f = \Sigma'_k \bullet W_k \circ \Sigma'_{k-1} \cdot \Sigma^T_{k-2}", "fails",
     "missing transpose (the paper's own typo pattern): W_k . Sigma'_k is the 1 x n_{k-1} row, which "
     "does not fit o Sigma'_{k-1} (a column) once n_{k-1} >= 2"),
    (r"\Delta_i = \Delta_{i+1} \cdot W_{i+1}^T \circ \Sigma'_i", "fails",
     "bullet read as a dot: Delta_{i+1} . W_{i+1}^T only works when Delta_{i+1} is a scalar (remark 2, "
     "i = k-1); for i = k-2 with n_{k-1} = 2 the product does not type-check"),
    (r"\Delta_i = \Delta_{i+1} \bullet W_{i+1}^T \circ \Sigma_i", "fails",
     "sigma instead of sigma': Sigma_i (the activations) in place of the slopes Sigma'_i"),
    (r"\nabla_{W_i} f = \Delta_i \cdot \Sigma_{i-1}", "fails",
     "missing transpose on Sigma_{i-1}: for i = k, Delta_k is 1x1 and the result is the column "
     "Sigma'_k Sigma_{k-1} (n_{k-1} x 1) instead of the 1 x n_{k-1} row"),
    (r"\nabla_{W_i} f = \Delta_{i-1} \cdot \Sigma_{i-1}^T", "fails",
     "wrong layer index on Delta: Delta_{i-1} belongs to W_{i-1}"),
    (r"\nabla_{W_{k-1}} f = \Sigma'_k \bullet W_k^T \cdot \Sigma^T_{k-2}", "fails",
     "forgotten slope factor: Sigma'_{k-1} dropped from (3) line W_{k-1}; wrong unless sigma' = 1"),
    (r"\nabla_{W_i} f = \Sigma_{i-1}^T \cdot \Delta_i", "fails",
     "wrong order of factors with a dot: row . column is an inner product (or no product); only for "
     "i = k (Delta_k a scalar, remark 2) does it coincide with the gradient"),
    (r"\Delta_i = \Delta_{i+1} \circ W_{i+1}^T \circ \Sigma'_i", "fails",
     "Hadamard instead of bullet: Delta_{i+1} (n_{i+1} x 1) o W_{i+1}^T (n_i x n_{i+1}) does not "
     "type-check when the widths differ"),
    (r"\nabla_{W_{k-1}} f = \Sigma_{k-2}^T \otimes \Sigma'_{k-1} \circ W_k^T \cdot \Sigma'_k", "holds",
     "(4) line W_{k-1} without braces: the paper reads (3) left to right (remark 1) and (4) right to "
     "left (remark 5), so both groupings are candidates; left to right ((Sigma^T (x) Sigma') o W_k^T) "
     "needs n_{k-2} = 1 (it does not type-check in general), so the only reading is right to left: "
     "Sigma_{k-2}^T (x) (Sigma'_{k-1} o W_k^T Sigma'_k), the gradient"),
    (r"\Delta_i = W_{i+1}^T \Delta_{i+1} \circ \Sigma'_i", "holds",
     "remark 3 without brackets: W^T (Delta o Sigma') would need n_{i+1} = n_i, so the only reading "
     "that type-checks is (W^T Delta) o Sigma', which holds"),
    (r"\Delta_i = W_{i+1}^T * \Delta_{i+1} \circ \Sigma'_i", "error",
     "star is no paper notation: the paper writes . for matrix products and o for Hadamard products; "
     "* is not defined, so a notation error is the right answer"),
    (r"\nabla_{W_i} f = \delta^{(i)} \cdot \Sigma_{i-1}^T", "error",
     "foreign symbol: delta^{(i)} is tutorial/UFLDL notation, the paper's delta is Delta_i"),
    (r"\Delta_i = (W_{i+1}^T \cdot \Delta_{i+1} \circ \Sigma'_i", "error",
     "unclosed parenthesis: a syntax error with a position"),
])

# -- nielsen: the input is layer 1 (a^1 = x), w^l (layer l-1 -> l) for l = 2..L, w^l_{jk} from neuron
# k of layer l-1 to neuron j of layer l. In ch. 2 the backprop equations are for ONE training example:
# C means C_x = 1/2 ||y - a^L||^2 (assumption 2 of ch. 2); the average C = 1/n sum_x C_x appears only with
# an explicit sum over x. The Hadamard product is \odot.
NIELSEN = _cases("nielsen", [
    (r"\delta^L = \nabla_a C \odot \sigma'(z^L)", "holds",
     "BP1: nabla_a C is the vector of dC/da^L_j (a without index means the output activations a^L)"),
    (r"\delta^L = (a^L - y) \odot \sigma'(z^L)", "holds",
     "BP1 for the quadratic cost: C = 1/2 ||y - a^L||^2 per example, so nabla_a C = a^L - y "
     "(no 1/n: ch. 2 works with C_x)"),
    (r"\delta^l = ((w^{l+1})^T \delta^{l+1}) \odot \sigma'(z^l)", "holds",
     "BP2 as printed: w^{l+1} maps layer l to l+1, so its transpose brings delta^{l+1} back to layer l"),
    (r"\frac{\partial C}{\partial b^l_j} = \delta^l_j", "holds",
     "BP3 in index form, as printed"),
    (r"\frac{\partial C}{\partial w^l_{jk}} = a^{l-1}_k \delta^l_j", "holds",
     "BP4 in index form, as printed: w^l_{jk} connects neuron k of layer l-1 to neuron j of layer l"),
    (r"\frac{\partial C}{\partial b^l} = \delta^l", "holds",
     "BP3 vector shorthand (Nielsen: 'dC/db = delta')"),
    (r"\frac{\partial C}{\partial w^l} = \delta^l (a^{l-1})^T", "holds",
     "BP4 as a matrix: entry (j,k) is delta^l_j a^{l-1}_k; this is the outer product in Nielsen's "
     "mini-batch update rule, for one example (C = C_x)"),
    (r"\delta^l_j = \sum_k w^{l+1}_{kj} \delta^{l+1}_k \sigma'(z^l_j)", "holds",
     "BP2 in index form (the proof of BP2): the sum is over the neurons k of layer l+1, not over "
     "examples"),
    (r"\delta^L_j = \frac{\partial C}{\partial a^L_j} \sigma'(z^L_j)", "holds",
     "BP1 in index form: as printed (BP1 componentwise)"),
    (r"\delta^L = \Sigma'(z^L) \nabla_a C", "holds",
     "BP1 in matrix form: Sigma'(z^L) is Nielsen's square diagonal matrix of sigma'(z^L_j), "
     "so the matrix product equals the Hadamard form"),
    (r"\delta^l = \Sigma'(z^l) (w^{l+1})^T \delta^{l+1}", "holds",
     "BP2 in matrix form: Sigma'(z^l) is the diagonal matrix of the slopes, as in the book's matrix rewriting of BP2"),
    (r"z^l = w^l a^{l-1} + b^l", "holds",
     "forward pass in vector form: z^l = w^l a^{l-1} + b^l, a^l = sigma(z^l)"),
    (r"\frac{\partial C}{\partial w^2} = \delta^2 x^T", "holds",
     "first weight matrix in Nielsen's numbering: the input is layer 1 (a^1 = x), so w^2 is the first "
     "weight matrix and a^{2-1} = a^1 = x"),
    (r"\frac{\partial C}{\partial w^l} = \frac{1}{n} \sum_x \delta^{x,l} (a^{x,l-1})^T", "holds",
     "average cost over n examples: (C = 1/n sum_x C_x; the outer products of the mini-batch "
     "rule): here C is the average, signalled by the explicit 1/n sum_x; delta^{x,l} is the "
     "per-example delta"),
    (r"\delta^l = (w^{l+1} \delta^{l+1}) \odot \sigma'(z^l)", "fails",
     "missing transpose in BP2: w^{l+1} delta^{l+1} only type-checks for square w^{l+1}, and is wrong "
     "then"),
    (r"\delta^L = (a^L - y) \odot \sigma(z^L)", "fails",
     "sigma instead of sigma' in BP1"),
    (r"\delta^l = ((w^{l+1})^T \delta^{l+1}) \sigma'(z^l)", "fails",
     "matrix product instead of Hadamard: two columns of length n_l do not multiply for n_l >= 2"),
    (r"\frac{\partial C}{\partial w^l} = a^{l-1} (\delta^l)^T", "fails",
     "wrong order (reading 'a_in delta_out' as a^{l-1} delta^T): gives the n_{l-1} x n_l transpose of "
     "the gradient"),
    (r"\frac{\partial C}{\partial w^l_{jk}} = a^{l-1}_j \delta^l_k", "fails",
     "indices swapped in BP4: j is the neuron of layer l, k of layer l-1"),
    (r"\delta^l = ((w^l)^T \delta^{l+1}) \odot \sigma'(z^l)", "fails",
     "wrong layer index: w^l maps layer l-1 to l; the weights after layer l are w^{l+1}"),
    (r"\frac{\partial C}{\partial b^l} = \delta^{l+1}", "fails",
     "wrong layer index in BP3 (UFLDL's shift in Nielsen's notation): b^l goes with delta^l"),
    (r"\delta^L = (y - a^L) \odot \sigma'(z^L)", "fails",
     "sign: C = 1/2 ||y - a^L||^2 gives nabla_a C = a^L - y, not y - a^L"),
    (r"\frac{\partial C}{\partial w^l} = \sum_x \delta^{x,l} (a^{x,l-1})^T", "fails",
     "1/n missing: the sum over x of per-example gradients is n times the gradient of the average "
     "cost C = 1/n sum_x C_x (any batch of n >= 2 shows it)"),
    (r"\frac{\partial C}{\partial w^1} = \delta^1 x^T", "error",
     "w^1 does not exist: Nielsen's input is layer 1 and has no weights (w^l for l = 2..L); a notation "
     "error (not an undecided verdict) is the right answer"),
    (r"\frac{\partial C}{\partial w^l} = \Delta_l (a^{l-1})^T", "error",
     "foreign symbol: Delta_l is the paper's notation; Nielsen writes delta^l"),
    (r"\delta^l = ((w^{l+1})^T \delta^{l+1} \odot \sigma'(z^l)", "error",
     "unclosed parenthesis: a syntax error"),
])

# -- dlai: Ng. A^[0] = X, examples as columns (m of them), sigmoid output, J = 1/m sum of the
# cross-entropy losses L(a, y). dZ, dA are the STACKED PER-EXAMPLE gradients (dZ = m dJ/dZ, no 1/m:
# dZ^[L] = A^[L] - Y); dW, db are gradients of J (with the 1/m). * is element-wise; superscript
# [l] is the layer, (i) the example.
DLAI = _cases("dlai", [
    (r"dZ^{[L]} = A^{[L]} - Y", "holds",
     "output layer: holds only for a sigmoid output with the cross-entropy loss (sigma' cancels); "
     "dZ is the per-example gradient stacked, so no 1/m"),
    (r"dW^{[l]} = \frac{1}{m} dZ^{[l]} A^{[l-1]T}", "holds",
     "weight gradient: the 1/m of J appears here once"),
    (r"db^{[l]} = \frac{1}{m} np.sum(dZ^{[l]}, axis=1, keepdims=True)", "holds",
     "bias gradient as on the slide: np.sum over axis 1 sums the m columns (examples), keepdims "
     "keeps an n_l x 1 column"),
    (r"db^{[l]} = \frac{1}{m} \sum_{i=1}^{m} dZ^{[l]}", "holds",
     "bias gradient in math notation: the sum over the m examples (columns)"),
    (r"dZ^{[l]} = W^{[l+1]T} dZ^{[l+1]} * g'^{[l]}(Z^{[l]})", "holds",
     "hidden layer as on the slide: * is element-wise in Ng's notation, the matrix product binds first "
     "(np.dot(W.T, dZ) * g'(Z))"),
    (r"dA^{[l-1]} = W^{[l]T} dZ^{[l]}", "holds",
     "backward step for dA: stacked per-example gradient, no 1/m (consistent with dZ)"),
    (r"dZ^{[l]} = dA^{[l]} * g'^{[l]}(Z^{[l]})", "holds",
     "linear-activation backward: element-wise product with the slopes"),
    (r"Z^{[l]} = W^{[l]} A^{[l-1]} + b^{[l]}", "holds",
     "forward pass: b^{[l]} (n_l x 1) is broadcast over the m columns"),
    (r"dW^{[1]} = \frac{1}{m} dZ^{[1]} X^T", "holds",
     "first layer: A^{[0]} = X"),
    (r"dZ^{[1]} = W^{[2]T} dZ^{[2]} * g^{[1]\prime}(Z^{[1]})", "holds",
     "week 3 two-layer slide, written g^{[1]'}: the recursion for layer 1, true for every depth >= 2"),
    (r"dz^{[L]} = a^{[L]} - y", "holds",
     "one example (lower case, week 3): dz = a - y for a sigmoid output with the cross-entropy loss"),
    (r"A^{[l]} = g^{[l]}(Z^{[l]})", "holds",
     "forward activation"),
    (r"dW^{[l]} = dZ^{[l]} A^{[l-1]T}", "fails",
     "1/m missing: dZ is not divided by m in Ng's convention, so dW needs it (m >= 2 shows it)"),
    (r"dZ^{[L]} = \frac{1}{m} (A^{[L]} - Y)", "fails",
     "1/m doubled: dZ^[L] is the per-example gradient A - Y; the 1/m belongs to dW, db only"),
    (r"dA^{[l-1]} = \frac{1}{m} W^{[l]T} dZ^{[l]}", "fails",
     "1/m inside the recursion: it would compound layer after layer"),
    (r"dZ^{[l]} = W^{[l+1]T} dZ^{[l+1]} * g^{[l]}(Z^{[l]})", "fails",
     "g instead of g'"),
    (r"dZ^{[l]} = W^{[l+1]} dZ^{[l+1]} * g'^{[l]}(Z^{[l]})", "fails",
     "missing transpose on W^{[l+1]}"),
    (r"dW^{[l]} = \frac{1}{m} A^{[l-1]T} dZ^{[l]}", "fails",
     "row-major order in a column-major course: A^T dZ is (m x n_{l-1})(n_l x m), wrong shape or value"),
    (r"dZ^{[l]} = W^{[l+1]T} dZ^{[l+1]} \cdot g'^{[l]}(Z^{[l]})", "fails",
     "matrix product instead of element-wise: two n_l x m matrices"),
    (r"dW^{[l]} = \frac{1}{m} dZ^{[l]} A^{[l]T}", "fails",
     "wrong layer index: the input of layer l is A^{[l-1]}"),
    (r"dZ^{[L]} = (A^{[L]} - Y) * g'^{[L]}(Z^{[L]})", "fails",
     "MSE habit under cross-entropy: with a sigmoid output and the cross-entropy loss sigma' has "
     "already cancelled; multiplying by g'(Z^[L]) again is wrong"),
    (r"db^{[l]} = \sum_{i=1}^{m} dZ^{[l]}", "fails",
     "1/m missing in the bias gradient"),
    (r"dW^{[l]} = \frac{1}{m} dZ^{[l]} A^{(l-1)T}", "error",
     "round brackets index examples in Ng's notation: A^{(l-1)} is example l-1, not layer l-1 "
     "(layers are [l]); a notation error"),
    (r"dW^{[l]} = \frac{1}{m} dZ^{[l]} A^{[l-1]T", "error",
     "unclosed brace in the superscript: a syntax error"),
])

# -- ufldl: W^(l) maps layer l to l+1 (s_{l+1} x s_l), a^(1) = x, output layer n_l.
# UFLDL: J(W,b;x,y) = 1/2 ||h(x) - y||^2 per example; J(W,b) = 1/m sum_i J(W,b;x^i,y^i)
# + lambda/2 sum ||W^(l)||_F^2 (no 1/m on the decay, biases not decayed); \bullet is element-wise.
# Coursera ML: Theta^(l), g sigmoid, logistic (cross-entropy) cost, .* element-wise, last layer L.
UFLDL = _cases("ufldl", [
    (r"\delta^{(n_l)} = -(y - a^{(n_l)}) \bullet f'(z^{(n_l)})", "holds",
     "UFLDL output delta, as printed: J(W,b;x,y) = 1/2 ||h - y||^2 gives -(y - a) = a - y; bullet is "
     "UFLDL's element-wise product (not the paper's bullet)"),
    (r"\delta^{(l)} = \left((W^{(l)})^T \delta^{(l+1)}\right) \bullet f'(z^{(l)})", "holds",
     "UFLDL hidden delta, as printed: W^{(l)} maps l to l+1, so W^{(l)}, not W^{(l+1)}, carries "
     "delta^{(l+1)} back"),
    (r"\nabla_{W^{(l)}} J(W,b;x,y) = \delta^{(l+1)} (a^{(l)})^T", "holds",
     "UFLDL weight gradient for one example, as printed: W^{(l)} sits between a^{(l)} and z^{(l+1)}"),
    (r"\nabla_{b^{(l)}} J(W,b;x,y) = \delta^{(l+1)}", "holds",
     "UFLDL bias gradient for one example, as printed"),
    (r"z^{(l+1)} = W^{(l)} a^{(l)} + b^{(l)}", "holds",
     "UFLDL forward pass: note z^{(l+1)} (not z^{(l)}) on the left"),
    (r"a^{(l)} = f(z^{(l)})", "holds",
     "UFLDL forward activation"),
    (r"\frac{\partial}{\partial W^{(l)}_{ij}} J(W,b;x,y) = a^{(l)}_j \delta^{(l+1)}_i", "holds",
     "UFLDL index form, as printed: W^{(l)}_{ij} connects unit j of layer l to unit i of layer l+1"),
    (r"\delta^{(l)}_i = \left(\sum_{j=1}^{s_{l+1}} W^{(l)}_{ji} \delta^{(l+1)}_j\right) f'(z^{(l)}_i)",
     "holds",
     "UFLDL index form of the hidden delta, as printed: the sum runs over the s_{l+1} units of layer "
     "l+1"),
    (r"\nabla_{W^{(l)}} J(W,b) = \frac{1}{m} \delta^{(l+1)} (a^{(l)})^T + \lambda W^{(l)}", "holds",
     "UFLDL overall cost, vectorised over m examples as columns: 1/m Delta W + lambda W; the decay "
     "lambda/2 sum ||W||^2 has no 1/m in UFLDL, so its gradient is lambda W"),
    (r"\nabla_{b^{(l)}} J(W,b) = \frac{1}{m} \sum_{i=1}^{m} \delta^{(l+1)}", "holds",
     "UFLDL overall cost, bias: the weight decay does not involve b, so only the average remains"),
    (r"\delta^{(l)} = (\Theta^{(l)})^T \delta^{(l+1)} .* g'(z^{(l)})", "holds",
     "Coursera hidden delta, as on the slide: Theta^{(l)} maps l to l+1 as in UFLDL; .* binds looser "
     "than the matrix product; Theta^{(l)} taken without its bias column (ex4 drops delta_0)"),
    (r"\delta^{(2)} = (\Theta^{(2)})^T \delta^{(3)} .* g'(z^{(2)})", "holds",
     "Coursera ex4 slide with numbers: a recursion between layers 2 and 3, true on every network that "
     "has a layer 3 (Theta^{(2)} maps layer 2 to 3), whatever the cost"),
    (r"g'(z^{(l)}) = a^{(l)} .* (1 - a^{(l)})", "holds",
     "Coursera sigmoid gradient: g is the sigmoid in Coursera ML, so g'(z) = a .* (1 - a)"),
    (r"\nabla_{W^{(l)}} J(W,b;x,y) = \delta^{(l)} (a^{(l)})^T", "fails",
     "wrong layer index under UFLDL numbering: delta^{(l)} is the paper/Nielsen habit; W^{(l)} goes "
     "with delta^{(l+1)}"),
    (r"\delta^{(l)} = \left((W^{(l+1)})^T \delta^{(l+1)}\right) \bullet f'(z^{(l)})", "fails",
     "Nielsen's numbering in UFLDL: W^{(l+1)} maps l+1 to l+2 and does not fit delta^{(l+1)}"),
    (r"\delta^{(n_l)} = (y - a^{(n_l)}) \bullet f'(z^{(n_l)})", "fails",
     "minus sign dropped from UFLDL's -(y - a)"),
    (r"\delta^{(l)} = \left(W^{(l)} \delta^{(l+1)}\right) \bullet f'(z^{(l)})", "fails",
     "missing transpose"),
    (r"\nabla_{W^{(l)}} J(W,b;x,y) = (a^{(l)})^T \delta^{(l+1)}", "fails",
     "wrong order of factors: a row times a column is an inner product, not the s_{l+1} x s_l matrix"),
    (r"\delta^{(l)} = \left((W^{(l)})^T \delta^{(l+1)}\right) \bullet f(z^{(l)})", "fails",
     "f instead of f'"),
    (r"\nabla_{b^{(l)}} J(W,b;x,y) = \delta^{(l)}", "fails",
     "wrong layer index: b^{(l)} feeds z^{(l+1)}, so its gradient is delta^{(l+1)}"),
    (r"\delta^{(n_l)} = a^{(n_l)} - y", "fails",
     "Coursera's formula with UFLDL's squared-error cost (n_l is UFLDL's last layer): the f'(z) factor "
     "is missing"),
    (r"\nabla_{W^{(l)}} J(W,b) = \frac{1}{m} \delta^{(l+1)} (a^{(l)})^T", "fails",
     "forgotten weight-decay term of J(W,b)"),
    (r"\nabla_{W^{(l)}} J(W,b) = \frac{1}{m} \delta^{(l+1)} (a^{(l)})^T + \frac{\lambda}{m} W^{(l)}",
     "fails",
     "Coursera's lambda/m in UFLDL's cost: UFLDL's decay lambda/2 sum W^2 has no 1/m"),
    (r"\delta^{(l)} = (\Theta^{(l-1)})^T \delta^{(l+1)} .* g'(z^{(l)})", "fails",
     "wrong layer index under Coursera numbering: Theta^{(l-1)} maps l-1 to l"),
    (r"\nabla_{W^{(l)}} J = \delta^{(l+1)} (a^{(l)})^T", "ambiguous",
     "bare J: UFLDL uses J for the per-example cost J(W,b;x,y) (this holds) and for the overall cost "
     "J(W,b) with the 1/m average and the weight decay (this fails); without arguments both readings "
     "exist"),
    (r"\delta^{(L)} = a^{(L)} - y", "ambiguous",
     "the profile covers two costs: Coursera's logistic cost with a sigmoid output gives a - y (holds), "
     "UFLDL's squared error gives (a - y) o f'(z) (fails); delta, a, y, L are common to both"),
    (r"\delta^{(l)} = \left((W^{(l)})^T \delta^{(l+1)}\right) \bullet f'(z^{(l)}", "error",
     "unclosed parenthesis: a syntax error"),
    (r"\delta^{(l)} = \left((W^{(l)})^T \delta^{(l+1)}\right) \bullet \Sigma'_l", "error",
     "foreign symbol: Sigma'_l is the paper's notation; UFLDL writes f'(z^{(l)})"),
])

# -- cs229: W^[k] (layer k-1 -> k), a^[0] = x, one example; k is the GENERAL layer index. The
# chain-rule identities below hold for any loss J (both sides use the same J).
CS229 = _cases("cs229", [
    (r"\frac{\partial J}{\partial W^{[k]}} = \frac{\partial J}{\partial z^{[k]}} a^{[k-1]T}", "holds",
     "weight gradient, as in the notes"),
    (r"\frac{\partial J}{\partial b^{[k]}} = \frac{\partial J}{\partial z^{[k]}}", "holds",
     "bias gradient, as in the notes"),
    (r"\frac{\partial J}{\partial a^{[k]}} = W^{[k+1]T} \frac{\partial J}{\partial z^{[k+1]}}", "holds",
     "backward through the linear map of layer k+1"),
    (r"\frac{\partial J}{\partial z^{[k]}} = \frac{\partial J}{\partial a^{[k]}} \odot \sigma'(z^{[k]})",
     "holds",
     "backward through the activation: element-wise"),
    (r"z^{[k]} = W^{[k]} a^{[k-1]} + b^{[k]}", "holds",
     "forward pass"),
    (r"a^{[k]} = \sigma(z^{[k]})", "holds",
     "forward activation"),
    (r"\frac{\partial J}{\partial z^{[k]}} = \left(W^{[k+1]T} \frac{\partial J}{\partial z^{[k+1]}}\right)"
     r" \odot \sigma'(z^{[k]})", "holds",
     "the two backward steps combined: the delta recursion in CS229 notation"),
    (r"\frac{\partial J}{\partial W^{[1]}} = \frac{\partial J}{\partial z^{[1]}} x^T", "holds",
     "first layer: a^{[0]} = x"),
    (r"\frac{\partial J}{\partial W^{[k]}_{ij}} = \frac{\partial J}{\partial z^{[k]}_i} a^{[k-1]}_j",
     "holds",
     "index form: W^{[k]}_{ij} connects unit j of layer k-1 to unit i of layer k"),
    (r"\frac{\partial J}{\partial a^{[k-1]}} = W^{[k]\top} \frac{\partial J}{\partial z^{[k]}}", "holds",
     "the backward step written for layer k-1, with \\top"),
    (r"\frac{\partial J}{\partial W^{[k]}} = a^{[k-1]} \frac{\partial J}{\partial z^{[k]}}^T", "fails",
     "wrong order: a^{[k-1]} (dJ/dz)^T is the transpose of the gradient"),
    (r"\frac{\partial J}{\partial W^{[k]}} = \frac{\partial J}{\partial z^{[k]}} a^{[k]T}", "fails",
     "wrong layer index on a: the input of layer k is a^{[k-1]}"),
    (r"\frac{\partial J}{\partial a^{[k]}} = W^{[k+1]} \frac{\partial J}{\partial z^{[k+1]}}", "fails",
     "missing transpose"),
    (r"\frac{\partial J}{\partial a^{[k]}} = W^{[k]T} \frac{\partial J}{\partial z^{[k]}}", "fails",
     "wrong layer index on W: W^{[k]} maps layer k-1 to k, so this is dJ/da^{[k-1]}"),
    (r"\frac{\partial J}{\partial z^{[k]}} = \frac{\partial J}{\partial a^{[k]}} \odot \sigma(z^{[k]})",
     "fails",
     "sigma instead of sigma'"),
    (r"\frac{\partial J}{\partial z^{[k]}} = \frac{\partial J}{\partial a^{[k]}} \sigma'(z^{[k]})", "fails",
     "matrix product instead of element-wise: two columns"),
    (r"\frac{\partial J}{\partial b^{[k]}} = \frac{\partial J}{\partial a^{[k]}}", "fails",
     "forgotten sigma' factor: dJ/db is dJ/dz, not dJ/da"),
    (r"\frac{\partial J}{\partial W^{[k]}} = \frac{\partial J}{\partial a^{[k]}} a^{[k-1]T}", "fails",
     "dJ/da instead of dJ/dz in the weight gradient"),
    (r"\frac{\partial J}{\partial W^{[k]}} = \frac{\partial J}{\partial z^{[k]}} a^{[k-1]T", "error",
     "unclosed brace: a syntax error"),
    (r"\frac{\partial J}{\partial W^{[k]}} = \Delta_k a^{[k-1]T}", "error",
     "foreign symbol: Delta_k is the paper's notation"),
])

# -- cs231n: one matrix product D = W X with upstream gradient dD = dL/dD of some scalar L (the
# notes' local-gradient form; no layer indices). dW = dD X^T, dX = W^T dD.
CS231N = _cases("cs231n", [
    (r"D = W X", "holds", "forward: the matrix product whose gradients the notes derive"),
    (r"D = W \cdot X", "holds", "forward with an explicit dot"),
    (r"dW = dD X^T", "holds", "weight gradient, as in the notes (dW = dD.dot(X.T))"),
    (r"dW = dD \cdot X^{\top}", "holds", "weight gradient with \\cdot and \\top"),
    (r"dX = W^T dD", "holds", "input gradient, as in the notes (dX = W.T.dot(dD))"),
    (r"dX = W^{\top} \cdot dD", "holds", "input gradient with \\cdot"),
    (r"dW^T = X dD^T", "holds", "the weight gradient transposed: (dD X^T)^T = X dD^T"),
    (r"dX^T = dD^T W", "holds", "the input gradient transposed"),
    (r"D^T = X^T W^T", "holds", "the forward pass transposed"),
    (r"dW = X^T dD", "fails",
     "wrong order (the notes' dimension-analysis trap): X^T dD does not have W's shape"),
    (r"dW = dD X", "fails", "missing transpose on X"),
    (r"dX = W dD", "fails", "missing transpose on W"),
    (r"dX = dD W^T", "fails", "wrong order of factors in the input gradient"),
    (r"dW = dD^T X", "fails",
     "transposes on the wrong factor: dD^T X is (N x n_out)(n_in x N), an N x N matrix at best, not dW"),
    (r"dW = dD \circ X^T", "fails", "Hadamard instead of matrix product"),
    (r"dW = \frac{1}{N} dD X^T", "fails",
     "1/N doubled: N is CS231n's batch size; the loss already averages over the batch, so the upstream "
     "dD carries the 1/N and dW = dD X^T has no extra factor"),
    (r"dW = dD * X^T", "holds",
     "star: in the notes' NumPy code * is element-wise, in a lecturer's math often the matrix product; "
     "element-wise dD (n x m) o X^T (m x n_0) does not type-check, so the only reading is the product"),
    (r"dW = dD X^T +", "error", "operator without a right operand: a syntax error"),
    (r"dW = dD X^{T", "error", "unclosed brace: a syntax error"),
])

# -- d2l: one hidden layer, no bias: z = W^(1) x, h = phi(z), o = W^(2) h, L = l(o, y),
# s = lambda/2 (||W^(1)||_F^2 + ||W^(2)||_F^2), J = L + s, one example.
# Deep Learning book alg. 6.4: a^(k) = b^(k) + W^(k) h^(k-1) is the PRE-activation, h^(k) = f(a^(k)),
# h^(0) = x, J = L(y_hat, y) + lambda Omega(theta) with Omega = 1/2 sum ||W||^2 (weights only).
D2L = _cases("d2l", [
    (r"\frac{\partial J}{\partial \mathbf{W}^{(2)}} = \frac{\partial J}{\partial \mathbf{o}} "
     r"\mathbf{h}^\top + \lambda \mathbf{W}^{(2)}", "holds",
     "W2 gradient, bold (d2l 5.3): as printed, prod(dJ/do, do/dW^(2)) + prod(dJ/ds, ds/dW^(2)); "
     "s = lambda/2 ||W^(2)||^2 gives lambda W^(2)"),
    (r"\frac{\partial J}{\partial W^{(2)}} = \frac{\partial J}{\partial o} h^\top + \lambda W^{(2)}",
     "holds",
     "W2 gradient, plain letters (d2l 5.3): the same without bold"),
    (r"\frac{\partial J}{\partial \mathbf{h}} = {\mathbf{W}^{(2)}}^\top \frac{\partial J}{\partial \mathbf{o}}",
     "holds",
     "hidden-output gradient (d2l 5.3): as printed, the transpose of W^(2) carries dJ/do back"),
    (r"\frac{\partial J}{\partial \mathbf{z}} = \frac{\partial J}{\partial \mathbf{h}} \odot "
     r"\phi'\left(\mathbf{z}\right)", "holds",
     "through phi (d2l 5.3): as printed, element-wise with phi'(z)"),
    (r"\frac{\partial J}{\partial \mathbf{W}^{(1)}} = \frac{\partial J}{\partial \mathbf{z}} \mathbf{x}^\top "
     r"+ \lambda \mathbf{W}^{(1)}", "holds",
     "W1 gradient (d2l 5.3): as printed, data term plus lambda W^(1) from s"),
    (r"\frac{\partial J}{\partial \mathbf{o}} = \frac{\partial L}{\partial \mathbf{o}}", "holds",
     "dJ/do equals dL/do (d2l 5.3): the regulariser s does not depend on o"),
    (r"\frac{\partial s}{\partial \mathbf{W}^{(1)}} = \lambda \mathbf{W}^{(1)}", "holds",
     "regulariser gradient (d2l 5.3): s = lambda/2 (||W^(1)||^2 + ||W^(2)||^2) gives lambda W^(1)"),
    (r"\frac{\partial L}{\partial \mathbf{W}^{(2)}} = \frac{\partial J}{\partial \mathbf{o}} \mathbf{h}^\top",
     "holds",
     "unregularised loss: dL/dW^(2) has no decay term, and dJ/do = dL/do"),
    (r"\mathbf{z} = \mathbf{W}^{(1)} \mathbf{x}", "holds",
     "forward z (d2l 5.3): no bias term in this section"),
    (r"\mathbf{o} = \mathbf{W}^{(2)} \mathbf{h}", "holds",
     "forward o (d2l 5.3): the output o is the pre-activation of layer 2 (no output activation)"),
    (r"\nabla_{W^{(k)}} J = \nabla_{a^{(k)}} J \, h^{(k-1)\top} + \lambda W^{(k)}", "holds",
     "alg 6.4 weights, lambda W: Omega = 1/2 sum ||W||^2 (section 7.1.1), so lambda grad Omega = lambda W"),
    (r"\nabla_{W^{(k)}} J = \nabla_{a^{(k)}} J \, h^{(k-1)\top} + \lambda \nabla_{W^{(k)}} \Omega(\theta)",
     "holds",
     "alg 6.4 weights, grad Omega: as printed (g = grad_{a^(k)} J after the Hadamard step)"),
    (r"\nabla_{a^{(k)}} J = \nabla_{h^{(k)}} J \odot f'(a^{(k)})", "holds",
     "alg 6.4 Hadamard step: g <- g o f'(a^(k)) written as an equation; the book's a^(k) is the "
     "pre-activation, h^(k) the activation"),
    (r"\nabla_{h^{(k-1)}} J = W^{(k)\top} \nabla_{a^{(k)}} J", "holds",
     "alg 6.4 propagation step: g <- W^(k)T g written as an equation"),
    (r"\nabla_{b^{(k)}} J = \nabla_{a^{(k)}} J", "holds",
     "alg 6.4 biases: Omega penalises only the weights (section 7.1), so no decay term"),
    (r"a^{(k)} = b^{(k)} + W^{(k)} h^{(k-1)}", "holds",
     "alg 6.3 forward pass: a^(k) = b^(k) + W^(k) h^(k-1), h^(0) = x"),
    (r"\frac{\partial J}{\partial \mathbf{W}^{(2)}} = \frac{\partial J}{\partial \mathbf{o}} \mathbf{h}^\top",
     "fails",
     "forgotten weight-decay term: this is dL/dW^(2), J = L + s also has lambda W^(2)"),
    (r"\frac{\partial J}{\partial \mathbf{W}^{(2)}} = \frac{\partial J}{\partial \mathbf{o}} \mathbf{h}^\top "
     r"+ \frac{\lambda}{2} \mathbf{W}^{(2)}", "fails",
     "decay factor copied from s: the 1/2 in lambda/2 ||W||^2 cancels on differentiation"),
    (r"\frac{\partial J}{\partial \mathbf{h}} = \mathbf{W}^{(2)} \frac{\partial J}{\partial \mathbf{o}}",
     "fails",
     "missing transpose"),
    (r"\frac{\partial J}{\partial \mathbf{W}^{(1)}} = \mathbf{x} \frac{\partial J}{\partial \mathbf{z}}^\top "
     r"+ \lambda \mathbf{W}^{(1)}", "fails",
     "wrong order of factors: x (dJ/dz)^T is the transpose of the data term"),
    (r"\frac{\partial J}{\partial \mathbf{z}} = \frac{\partial J}{\partial \mathbf{h}} \odot "
     r"\phi\left(\mathbf{z}\right)", "fails",
     "phi instead of phi'"),
    (r"\frac{\partial J}{\partial \mathbf{z}} = \frac{\partial J}{\partial \mathbf{h}} \phi'\left(\mathbf{z}\right)",
     "fails",
     "matrix product instead of Hadamard: two columns"),
    (r"\nabla_{W^{(k)}} J = \nabla_{a^{(k)}} J \, h^{(k)\top} + \lambda W^{(k)}", "fails",
     "wrong layer index: the input of layer k is h^(k-1)"),
    (r"\nabla_{W^{(k)}} J = \nabla_{h^{(k)}} J \, h^{(k-1)\top} + \lambda W^{(k)}", "fails",
     "gradient w.r.t. the activation h^(k) instead of the pre-activation a^(k): the f' step is skipped"),
    (r"\nabla_{b^{(k)}} J = \nabla_{a^{(k)}} J + \lambda b^{(k)}", "fails",
     "weight decay on the bias: the book's Omega does not penalise biases"),
    (r"g \leftarrow g \odot f'(a^{(k)})", "error",
     "an update, not an equation: alg. 6.4's g changes meaning at each step; write it as "
     "grad_{a^(k)} J = grad_{h^(k)} J o f'(a^(k))"),
    (r"\nabla_{W^{(k)}} J = \nabla_{a^{(k)}} J \, h^{(k-1)\top + \lambda W^{(k)}", "error",
     "unclosed brace: a syntax error"),
])

# -- rowmajor: X is m x n_0 (examples as rows), Z^[l] = A^[l-1] W^[l] + b^[l] with W^[l]
# n_{l-1} x n_l and b^[l] a row broadcast over the m rows; dZ = stacked per-example gradients (no 1/m),
# dW, db with the 1/m, as in dlai but transposed.
ROWMAJOR = _cases("rowmajor", [
    (r"Z^{[l]} = A^{[l-1]} W^{[l]} + b^{[l]}", "holds",
     "forward pass, row-major: b^{[l]} (1 x n_l) broadcast over the m rows"),
    (r"dW^{[l]} = \frac{1}{m} A^{[l-1]T} dZ^{[l]}", "holds",
     "weight gradient, row-major: (n_{l-1} x m)(m x n_l), the shape of W^{[l]}"),
    (r"db^{[l]} = \frac{1}{m} \sum_i dZ^{[l]}_{i,:}", "holds",
     "bias gradient as written: the sum of the m rows dZ_{i,:}"),
    (r"db^{[l]} = \frac{1}{m} \sum_{i=1}^{m} dZ^{[l]}", "holds",
     "bias gradient: the sum over the m examples, which are the rows here"),
    (r"db^{[l]} = \frac{1}{m} \mathbf{1}^T dZ^{[l]}", "holds",
     "bias gradient with a ones vector: 1^T (1 x m) times dZ (m x n_l) sums the rows"),
    (r"dA^{[l-1]} = dZ^{[l]} W^{[l]T}", "holds",
     "input gradient, row-major: (m x n_l)(n_l x n_{l-1})"),
    (r"dZ^{[l]} = dA^{[l]} \odot g'^{[l]}(Z^{[l]})", "holds",
     "through the activation, element-wise"),
    (r"dZ^{[l]} = \left(dZ^{[l+1]} W^{[l+1]T}\right) \odot g'^{[l]}(Z^{[l]})", "holds",
     "the delta recursion, row-major"),
    (r"dW^{[1]} = \frac{1}{m} X^T dZ^{[1]}", "holds",
     "first layer: A^{[0]} = X (m x n_0)"),
    (r"dW^{[l]T} = \frac{1}{m} dZ^{[l]T} A^{[l-1]}", "holds",
     "the weight gradient transposed (the column-major formula, with row-major symbols)"),
    (r"A^{[l]} = g^{[l]}(Z^{[l]})", "holds",
     "forward activation"),
    (r"dW^{[l]} = \frac{1}{m} dZ^{[l]} A^{[l-1]T}", "fails",
     "column-major habit: dZ A^T is (m x n_l)(n_{l-1} x m), an m x m matrix at best, not n_{l-1} x n_l"),
    (r"dA^{[l-1]} = W^{[l]T} dZ^{[l]}", "fails",
     "column-major habit in the input gradient"),
    (r"dA^{[l-1]} = dZ^{[l]} W^{[l]}", "fails",
     "missing transpose"),
    (r"dW^{[l]} = A^{[l-1]T} dZ^{[l]}", "fails",
     "1/m missing"),
    (r"db^{[l]} = \frac{1}{m} dZ^{[l]} \mathbf{1}", "fails",
     "summing the wrong axis: dZ 1 needs n_l = m and sums units, not examples"),
    (r"dZ^{[l]} = dA^{[l]} \odot g^{[l]}(Z^{[l]})", "fails",
     "g instead of g'"),
    (r"dZ^{[l]} = dA^{[l]} g'^{[l]}(Z^{[l]})", "fails",
     "matrix product instead of element-wise: two m x n_l matrices"),
    (r"dW^{[l]} = \frac{1}{m} A^{[l]T} dZ^{[l]}", "fails",
     "wrong layer index: the input of layer l is A^{[l-1]}"),
    (r"dW^{[l]} = \frac{1}{m} A^{[l-1]T} dZ^{[l]", "error",
     "unclosed brace: a syntax error"),
    (r"dW^{[l]} = \frac{1}{m} A^{[l-1]T} \Delta_l", "error",
     "foreign symbol: Delta_l is the paper's notation"),
])

PROFILE_CORPUS: list[ProfileCase] = PAPER + NIELSEN + DLAI + UFLDL + CS229 + CS231N + D2L + ROWMAJOR
"""Every entry, grouped by profile (see the module docstring)."""
