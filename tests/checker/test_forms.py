"""Forms as real sources write them (issue 12, part 2): each is read, and a mutant of it is caught.

Each row is (notation, formula as the source writes it, a mutant with one realistic mistake, the
source). The formula must hold and the mutant must fail: a form that is read but decided wrongly,
or a mutant that comes back "holds", fails the test.
"""

from __future__ import annotations

import pytest

from derivations.checker import check
from derivations.errors import UnsupportedNotationError

BOUND = {"max_depth": 3, "max_width": 2}

FORMS = [
    # chained '=': every right-hand side against the left-hand side
    ("paper", r"\Delta_i = \Sigma'_i \circ (W_{i+1}^T \cdot \Delta_{i+1}) = (W_{i+1}^T \cdot \Delta_{i+1}) \circ "
              r"\Sigma'_i",
     r"\Delta_i = \Sigma'_i \circ (W_{i+1}^T \cdot \Delta_{i+1}) = (W_{i+1} \cdot \Delta_{i+1}) \circ \Sigma'_i",
     "Mishachev, arXiv:1707.02746, remark 3 (a chain of '=')"),
    # the paper's one-dimensional section 4, lower-case w and sigma
    ("paper", r"\nabla_{w_i} f = \sigma'_k w_k \cdots w_{i+1} \sigma'_i \sigma_{i-1}",
     r"\nabla_{w_i} f = \sigma'_k w_k \cdots w_{i+1} \sigma'_i \sigma_{i}",
     "Mishachev, arXiv:1707.02746, section 4, (1)"),
    # subscript before superscript
    ("ufldl", r"\delta_i^{(l)} = \left( \sum_{j=1}^{s_{l+1}} W_{ji}^{(l)} \delta_j^{(l+1)} \right) f'(z_i^{(l)})",
     r"\delta_i^{(l)} = \left( \sum_{j=1}^{s_{l+1}} W_{ij}^{(l)} \delta_j^{(l+1)} \right) f'(z_i^{(l)})",
     "UFLDL tutorial, Backpropagation Algorithm, step 3 (per-unit form)"),
    ("nielsen", r"\delta_j^{L} = \frac{\partial C}{\partial a_j^L} \sigma'(z_j^L)",
     r"\delta_j^{L} = \frac{\partial C}{\partial a_j^L} \sigma(z_j^L)",
     "Nielsen, Neural Networks and Deep Learning, ch. 2, (BP1), subscript typed first"),
    # f^{'} and sigma^{'}
    ("ufldl", r"\delta^{(l)} = ((W^{(l)})^T \delta^{(l+1)}) \bullet f^{'}(z^{(l)})",
     r"\delta^{(l)} = ((W^{(l)})^T \delta^{(l+1)}) \bullet f(z^{(l)})",
     "UFLDL tutorial, Backpropagation Algorithm, vectorised step 3, prime typed as ^{'}"),
    ("nielsen", r"\delta^l = ((w^{l+1})^T \delta^{l+1}) \odot \sigma^{'}(z^l)",
     r"\delta^l = (w^{l+1} \delta^{l+1}) \odot \sigma^{'}(z^l)",
     "Nielsen ch. 2, (BP2), prime typed as ^{'}"),
    # A^{[l-1]^T}, A^{[l-1]T}, thin spaces
    ("dlai", r"dW^{[l]} = \frac{1}{m} dZ^{[l]} A^{[l-1]^T}", r"dW^{[l]} = dZ^{[l]} A^{[l-1]^T}",
     "Ng, deeplearning.ai course 1 week 4, Forward and backward propagation (transpose inside the index)"),
    ("dlai", r"dW^{[l]} = \frac{1}{m}\, dZ^{[l]} \; A^{[l-1]T}", r"dW^{[l]} = \frac{1}{m}\, dZ^{[l]} \; A^{[l]T}",
     "Ng, deeplearning.ai course 1 week 4, with LaTeX thin spaces"),
    # lower-case dw, dz, a: one example
    ("dlai", r"dW^{[2]} = dz^{[2]} a^{[1]T}", r"dW^{[2]} = dz^{[2]} a^{[2]T}",
     "Ng, deeplearning.ai course 1 week 3, Gradient descent for neural networks (one example)"),
    ("dlai", r"dw^{[l]} = \frac{1}{m} dz^{[l]} a^{[l-1]T}", r"dw^{[l]} = \frac{1}{m} dz^{[l]} a^{[l-1]}",
     "Ng, deeplearning.ai course 1 week 4, lower-case dw typed"),
    # (A)^2 as NumPy's power
    ("dlai", r"dZ^{[1]} = W^{[2]T} dZ^{[2]} * (1 - (A^{[1]})^{2})", r"dZ^{[1]} = W^{[2]T} dZ^{[2]} * (1 - A^{[1]})^{2}",
     "Ng, deeplearning.ai course 1 week 3, planar data assignment: dZ1 = W2.T dZ2 * (1 - np.power(A1, 2)), tanh"),
    # course code names
    ("dlai", r"dW2 = \frac{1}{m} dZ2 A1^T", r"dW2 = \frac{1}{m} dZ2 A2^T",
     "Ng, deeplearning.ai course 1 week 3, planar data assignment: dW2 = 1/m * np.dot(dZ2, A1.T)"),
    ("dlai", r"dZ1 = W2^T dZ2 * g(Z1)'", r"dZ1 = W2^T dZ2 * g(Z1)",
     "the same step as a Q&A thread types it, with the prime after the argument"),
    ("dlai", r"dW2 = \frac{1}{m} dZ2 A1.T", r"dW2 = \frac{1}{m} dZ2 A1",
     "the same assignment with NumPy's .T"),
    # a sample index outside a sum: the claim for every example i
    ("dlai", r"dZ^{[L](i)} = A^{[L](i)} - Y^{(i)}", r"dZ^{[L](i)} = Y^{(i)} - A^{[L](i)}",
     "Ng, deeplearning.ai course 1 week 3, the step for example i"),
    ("cs229", r"\delta^{[k]} = (W^{[k+1]\top} \delta^{[k+1]}) \odot \sigma'(z^{[k]})",
     r"\delta^{[k]} = (W^{[k+1]} \delta^{[k+1]}) \odot \sigma'(z^{[k]})",
     "Stanford CS229 notes, Deep Learning, backpropagation, delta^{[k]} = dJ/dz^{[k]}"),
    # \partial J(W,b) with the cost's arguments
    ("ufldl", r"\frac{\partial J(W,b;x,y)}{\partial W^{(l)}} = \delta^{(l+1)} (a^{(l)})^T",
     r"\frac{\partial J(W,b;x,y)}{\partial W^{(l)}} = \delta^{(l)} (a^{(l)})^T",
     "UFLDL tutorial, Backpropagation Algorithm, step 4 as a partial derivative"),
    ("nielsen", r"\frac{\partial C(W,b)}{\partial w^l} = \delta^l (a^{l-1})^T",
     r"\frac{\partial C(W,b)}{\partial w^l} = \delta^l (a^{l})^T",
     "Nielsen ch. 2, (BP4) in matrix form, the cost written with its arguments"),
    ("ufldl", r"\nabla_{W^{(l)}} J(W,b;x,y) = \delta^{(l+1)} (a^{(l)})^T",
     r"\nabla_{W^{(l)}} J(W,b;x,y) = \delta^{(l)} (a^{(l)})^T",
     "UFLDL tutorial, Backpropagation Algorithm, step 4 (vectorised)"),
    # Goodfellow's running gradient g
    ("d2l", r"g \leftarrow \nabla_{h^{(k)}} J, \quad g \leftarrow \nabla_{a^{(k)}} J = g \odot f'(a^{(k)})",
     r"g \leftarrow \nabla_{h^{(k)}} J, \quad g \leftarrow \nabla_{a^{(k)}} J = g \odot f(a^{(k)})",
     "Goodfellow, Bengio, Courville, Deep Learning, algorithm 6.4"),
    ("d2l", r"g \leftarrow \nabla_{a^{(k)}} J, \quad g \leftarrow \nabla_{h^{(k-1)}} J = W^{(k)T} g",
     r"g \leftarrow \nabla_{a^{(k)}} J, \quad g \leftarrow \nabla_{h^{(k-1)}} J = W^{(k)} g",
     "Goodfellow et al., Deep Learning, algorithm 6.4, last step"),
    # d^{(l)} for delta
    ("tutorial", r"d^{(l)} = (W^{(l+1)})^T d^{(l+1)} \circ f'(z^{(l)})",
     r"d^{(l)} = W^{(l+1)} d^{(l+1)} \circ f'(z^{(l)})",
     "the delta written d, as in Coursera ML ex4's d2 = Theta2' * d3 .* sigmoidGradient(z2)"),
    # neuron-indexed targets
    ("nielsen", r"\delta^L_j = (a^L_j - y_j) \sigma'(z^L_j)", r"\delta^L_j = (a^L_j - y_j) \sigma(z^L_j)",
     "Nielsen ch. 2, (BP1) for the quadratic cost"),
    ("ufldl", r"\delta^{(n_l)}_i = -(y_i - a^{(n_l)}_i) f'(z^{(n_l)}_i)",
     r"\delta^{(n_l)}_i = (y_i - a^{(n_l)}_i) f'(z^{(n_l)}_i)",
     "UFLDL tutorial, Backpropagation Algorithm, step 2"),
    # \times as an element-wise product
    ("nielsen", r"\delta^l = ((w^{l+1})^T \delta^{l+1}) \times \sigma'(z^l)",
     r"\delta^l = ((w^{l+1})^T \delta^{l+1}) \times \sigma(z^l)",
     "Nielsen ch. 2, (BP2) as lecture slides type it, with \\times for the Hadamard product"),
    # the prime after the layer superscript: g^{[1]'}
    ("dlai", r"dz^{[1]} = W^{[2]T} dz^{[2]} * g^{[1]'}(z^{[1]})", r"dz^{[1]} = W^{[2]T} dz^{[2]} * g^{[1]}(z^{[1]})",
     "Ng, deeplearning.ai course 1 week 3, Gradient descent for neural networks (summary slide)"),
    # * written for the matrix product in notes in Ng's notation (and element-wise where only that fits)
    ("dlai", r"dW^{[l]} = 1/m * dZ^{[l]} * A^{[l-1]^T}", r"dW^{[l]} = 1/m * dZ^{[l]} * A^{[l]^T}",
     "notes on DLAI course 1 week 4, wiki.movedesign.de, data_mining:neural_network:deep_neural_nets"),
    ("dlai", r"dA^{[l-1]} = W^{[l]^T} * dZ^{[l]}", r"dA^{[l-1]} = W^{[l]} * dZ^{[l]}",
     "notes on DLAI course 1 week 4, wiki.movedesign.de, data_mining:neural_network:deep_neural_nets"),
]
"""(notation, formula, mutant, source)."""

def _options(latex: str) -> dict:
    """The sweep bound; tanh for the planar-data form 1 - A^2 (the course's g^{[1]} = tanh)."""
    return {**BOUND, **({"activations": ("tanh",)} if "^{2}" in latex else {})}


@pytest.mark.parametrize("notation,latex,mutant,source", FORMS, ids=[f[3][:40] for f in FORMS])
def test_form_from_a_source_holds(notation, latex, mutant, source):
    result = check(latex, notation=notation, **_options(latex))
    assert result.holds is True, f"{source}\n{result}"


@pytest.mark.parametrize("notation,latex,mutant,source", FORMS, ids=[f[3][:40] for f in FORMS])
def test_mutant_of_a_form_fails(notation, latex, mutant, source):
    result = check(mutant, notation=notation, **_options(mutant))
    assert result.holds is False, f"{source}\n{result}"


def test_chained_equation_names_each_link():
    result = check(FORMS[0][2], notation="paper", **BOUND)
    assert [p.holds for p in result.parts] == [True, False]
    assert "each right-hand side against the left-hand side" in result.claim


def test_times_reading_is_said():
    result = check(r"\delta^l = ((w^{l+1})^T \delta^{l+1}) \times \sigma'(z^l)", notation="nielsen", **BOUND)
    assert "not read \\times as matrix product" in result.note


def test_lower_case_dlai_is_one_example_and_says_so():
    result = check(r"dW^{[2]} = dz^{[2]} a^{[1]T}", notation="dlai", **BOUND)
    assert "one example, m = 1" in result.note


def test_paper_lower_case_is_the_one_dimensional_case():
    result = check(FORMS[1][1], notation="paper", **BOUND)
    assert "one-dimensional" in result.note and all(set(a.widths) == {1} for a in result.architectures)


def test_neuron_index_on_a_target_is_no_layer_index():
    result = check(r"\frac{\partial C}{\partial a^L_j} = a^L_j - y_j", notation="nielsen", **BOUND)
    assert result.holds is True, str(result)


def test_square_reading_is_said():
    result = check(r"dZ^{[1]} = W^{[2]T} dZ^{[2]} * (1 - (A^{[1]})^{2})", notation="dlai", activations=("tanh",))
    assert result.holds is True and "read element-wise" in result.note


def test_neuron_letters_need_a_layer_index_to_mark_others():
    # W_{ij} without a layer names no neuron of a layer: Delta_i keeps its layer index i
    with pytest.raises(UnsupportedNotationError, match=r"W_\{ij\}: \{i,j\} reads as neuron indices"):
        check(r"\Delta_i = W_{ij}", **BOUND)


def test_a_cost_written_as_a_word_asks_for_its_letter():
    with pytest.raises(UnsupportedNotationError, match=r"a word, 'loss'.*write a cost by its letter"):
        check(r"\frac{\partial \text{loss}}{\partial W^{[l]}} = dZ^{[l]} A^{[l-1]T}", notation="dlai")
