"""Layers named by neuron letters, as Bishop writes a two-layer network: i input, j hidden, k output.

Bishop (Pattern Recognition and Machine Learning, 5.3.1) writes ``a_j = \\sum_i w_{ji} x_i``,
``z_j = h(a_j)``, ``\\delta_k = y_k - t_k``, ``\\delta_j = h'(a_j) \\sum_k w_{kj} \\delta_k``: no
layer index, the layer is the letter of the neuron. A profile with ``letter_layers`` (letter ->
written layer) reads such a symbol as an index form at that layer (``\\delta_j`` is entry j of
delta at layer 1), and ``w_{kj}`` as the weights of the layer of its row letter.

:func:`~.formula.parse_formula` calls :func:`name_layers` right after the transform, so for a
profile with ``letter_layers`` the layers are read from the letters before the index check.
"""

from __future__ import annotations

from dataclasses import replace

from .nodes import Formula, Index, Node, Sym
from .notation import Notation

__all__ = ["name_layers"]

_NO_LAYER = ("X", "Y", "output", "V", "m", "lambda")


def name_layers(formula: Formula, prof: Notation) -> Formula:
    """``formula`` (as :func:`~.transform.to_formula` reads it) with the layers its neuron letters
    name in ``prof`` (unchanged when the profile has no ``letter_layers``)."""
    if not prof.letter_layers:
        return formula
    return Formula(formula.text, _layers(formula.lhs, prof), _layers(formula.rhs, prof))


def _layers(node: Node, prof: Notation) -> Node:
    """``node`` with each letter-named symbol given its layer: delta_j -> delta at j's layer, entry j."""
    node = node.map_children(lambda child: _layers(child, prof))
    if not isinstance(node, Sym):
        return node
    layers, meaning = prof.letter_layers, prof.symbols.get(node.key)
    idx = node.index
    if idx is not None and node.style == "_" and not idx.offset and idx.var in layers and not node.neurons:
        if meaning in _NO_LAYER or meaning is None:  # x_i, t_k, y_k: one entry, no layer
            return replace(node, index=None, neurons=(idx.var,))
        return replace(node, index=Index(None, layers[idx.var]), neurons=(idx.var,), style=prof.index_styles[0])
    if idx is None and node.neurons and node.neurons[0] in layers and meaning not in _NO_LAYER:
        return replace(node, index=Index(None, layers[node.neurons[0]]), style=prof.index_styles[0])  # w_{kj}
    return node
