"""The built-in notation profiles: the paper, Nielsen, deeplearning.ai, UFLDL / Coursera ML,
CS229, CS231n, d2l / the Deep Learning book, and a row-major (NumPy ``X @ W``) layout.

Each profile is a symbol table (written symbol -> meaning, see :mod:`.notation`) with its
layer numbering, batch layout, output activation and loss conventions; ``docs/notations.md``
lists them with one checked example each. Written index -> our index: ours = written +
``offsets[meaning]``; the written last-layer letter is our depth K + ``last_offset``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Mapping

from ..errors import UnsupportedNotationError
from .notation import BUILT_IN, Notation, Variant, _frozen

__all__ = ["NOTATIONS", "PAPER", "TUTORIAL", "NIELSEN", "NIELSEN_LINEAR", "DLAI", "UFLDL", "COURSERA", "CS229",
           "CS231N", "D2L", "ROWMAJOR", "BISHOP", "get_notation", "notation_names"]

_SIGMA_FUNCTIONS = {"\\sigma": "Sigma", "\\sigma'": "Sigma_prime", "f": "Sigma", "f'": "Sigma_prime",
                    "g": "Sigma", "g'": "Sigma_prime"}
_SHIFT_ALL = {"W": -1, "b": -1, "N": -1, "Sigma": -1, "Sigma_prime": -1, "Delta": -1, "dA": -1,
              "dW": -1, "db": -1}
_SHIFT_NODES = {"N": -1, "Sigma": -1, "Sigma_prime": -1, "Delta": -1, "dA": -1}

PAPER = Notation(
    name="paper",
    description="Mishachev: N_i, Sigma_i, Sigma'_i, Delta_i, W_i (maps layer i-1 to i), X, f; one sample",
    symbols=_frozen({"W": "W", "N": "N", "\\Sigma": "Sigma", "\\Sigma'": "Sigma_prime",
                     "\\Delta": "Delta", "X": "X", "x": "X", "V": "V", "Y": "Y", "b": "b",
                     "m": "m", "f": "output", "w": "W", "\\sigma": "Sigma", "\\sigma'": "Sigma_prime"}),
    functions=_frozen({"\\Sigma": "Sigma", "\\Sigma'": "Sigma_prime", "\\sigma": "Sigma",
                       "\\sigma'": "Sigma_prime"}),
    losses=_frozen({"f": "output", "L": "1/(2m)", "J": "1/(2m)", "C": "1/2"}),
    delta_objective="output", default_loss="output", last_layer="k", batch=1, output_width=1,
    form="homogeneous", order="left", scalar_1x1=True, top_seed=True, broadcast=False,
    index_styles=("_",), scalar_symbols=("w", "\\sigma", "\\sigma'"),
    detect_rank=0, usual_style="_",
    marks=("\\Sigma'", "\\Delta_"),
    source="N. Mishachev, backpropagation in matrix notation (arXiv:1707.02746)",
)

_TUTORIAL = Notation(
    name="tutorial",
    description="the project tutorial's delta rule: z^(l), a^(l), W^(l), b^(l), delta^(l), f'(z^(l)), y; "
                "a batch of m samples as columns; MSE L = 1/(2m) sum ||a^(L) - y||^2",
    symbols=_frozen({"W": "W", "b": "b", "z": "N", "a": "Sigma", "\\delta": "Delta", "d": "Delta", "x": "X",
                     "X": "X", "y": "Y", "Y": "Y", "m": "m", "dW": "dW", "db": "db"}),
    functions=_frozen(_SIGMA_FUNCTIONS),
    losses=_frozen({"L": "1/(2m)", "J": "1/(2m)", "E": "1/(2m)", "C": "1/2"}),
    delta_objective="1/2", default_loss="1/(2m)", last_layer="L", batch=2,
    form="affine", order="standard", scalar_1x1=False, top_seed=False, broadcast=True,
    juxtaposition="ambiguous", index_styles=("(", "[", "_"),
    detect_rank=4, usual_style="(",
    marks=("\\odot", "dW^{(", "db^{("),
    source="docs/tutorial: the vectorised delta rule (derivations/delta_rule.py)",
)

TUTORIAL = replace(_TUTORIAL, conventions=(
    Variant("C as the batch mean 1/(2m) sum ||a^(L) - y||^2",
            replace(_TUTORIAL, losses=_frozen({**_TUTORIAL.losses, "C": "1/(2m)"})), when=("dC/dW", "dC/db")),
))

_NIELSEN = Notation(
    name="nielsen",
    description="Nielsen, Neural Networks and Deep Learning ch. 2: w^l, b^l, z^l = w^l a^{l-1} + b^l, "
                "a^l = sigma(z^l), delta^l; a^1 = x (the input is layer 1); C = 1/(2n) sum_x ||y - a^L||^2",
    symbols=_frozen({"w": "W", "W": "W", "b": "b", "z": "N", "a": "Sigma", "\\delta": "Delta",
                     "x": "X", "y": "Y", "n": "m", "m": "m"}),
    functions=_frozen({"\\sigma": "Sigma", "\\sigma'": "Sigma_prime", "\\Sigma'": "Sigma_prime_hat"}),
    losses=_frozen({"C": "mse 1/(2m)", "C_0": "mse 1/(2m)", "C_x": "mse 1/2"}),
    delta_objective="mse 1/2", default_loss="mse 1/(2m)", last_layer="L", last_offset=1,
    offsets=_frozen(_SHIFT_ALL), defaults=_frozen({"a": "L"}), batch=1, batch_if_summed=2,
    form="affine", order="standard", broadcast=True, index_styles=("^", "("),
    detect_rank=2, usual_style="^",
    marks=("\\partialC", "\\odot", "\\nabla_aC"),
    source="M. Nielsen, Neural Networks and Deep Learning, ch. 2 (equations BP1-BP4)",
)

NIELSEN_LINEAR = replace(
    _NIELSEN, name="nielsen-linear", output_activation="identity", detect_rank=1000, aliases=("nielsen-regression",),
    description=_NIELSEN.description + "; the output layer is linear (a^L = z^L, so sigma'(z^L) = 1)",
    source=_NIELSEN.source + "; the linear output of ch. 3, problem on quadratic cost with linear neurons",
)

NIELSEN = replace(_NIELSEN, hints=(
    Variant("a linear output layer, a^L = z^L (--notation nielsen-linear)", NIELSEN_LINEAR, when=("L",)),
))

_DLAI = Notation(
    name="dlai",
    description="deeplearning.ai / Andrew Ng: Z^[l] = W^[l] A^[l-1] + b^[l], A^[0] = X, examples as "
                "columns; sigmoid output, J = -1/m sum(Y log A + (1-Y) log(1-A)); dZ^[L] = A^[L] - Y, "
                "dW^[l] = 1/m dZ^[l] A^[l-1]T; * is element-wise (or, where only that type-checks, a matrix product)",
    symbols=_frozen({"W": "W", "b": "b", "Z": "N", "A": "Sigma", "X": "X", "Y": "Y", "m": "m",
                     "dZ": "Delta", "dA": "dA", "dW": "dW", "db": "db", "z": "N", "a": "Sigma",
                     "dz": "Delta", "da": "dA", "dw": "dW",
                     "x": "X", "y": "Y", "\\lambda": "lambda"}),
    functions=_frozen(_SIGMA_FUNCTIONS),
    losses=_frozen({"J": "bce 1/m", "L": "bce 1", "\\mathcal{L}": "bce 1"}),
    delta_objective="bce 1", default_loss="bce 1/m", last_layer="L", batch=2,
    form="affine", output_activation="sigmoid", order="standard", broadcast=True, star="ambiguous",
    index_styles=("[", "_"), aliases=("ng", "deeplearning.ai"),
    one_example_symbols=("z", "a", "dz", "da", "dw", "x", "y"),
    detect_rank=1, usual_style="[",
    source="A. Ng, deeplearning.ai Deep Learning Specialization, course 1, week 4",
)

DLAI = replace(_DLAI, variants=(
    Variant("the L2-regularised cost J + lambda/(2m) sum ||W||^2 (course 2)",
            replace(_DLAI, losses=_frozen({**_DLAI.losses, "J": "bce 1/m + wd 1/(2m)"}),
                    default_loss="bce 1/m + wd 1/(2m)"), selects=("\\lambda",)),
))

_UFLDL = Notation(
    name="ufldl",
    description="UFLDL tutorial: W^(l) maps layer l to l+1 (so its gradient uses delta^(l+1)), "
                "a^(1) = x, z^(l+1) = W^(l) a^(l) + b^(l), output layer n_l (or L); bullet is "
                "element-wise; J(W,b;x,y) = 1/2 ||a^(n_l) - y||^2, J(W,b) = 1/m sum J(W,b;x,y) + "
                "lambda/2 sum ||W||^2; Theta, g, .* select Coursera ML's logistic cost",
    symbols=_frozen({"W": "W", "b": "b", "z": "N", "a": "Sigma", "\\delta": "Delta", "x": "X",
                     "y": "Y", "m": "m", "\\lambda": "lambda", "h": "output", "\\Theta": "W"}),
    functions=_frozen({"f": "Sigma", "f'": "Sigma_prime", "\\sigma": "Sigma", "\\sigma'": "Sigma_prime"}),
    losses=_frozen({"J": "mse 1/(2m) + wd 1/2", "J(x,y)": "mse 1/2"}),
    delta_objective="mse 1/2", default_loss="mse 1/(2m) + wd 1/2", last_layer="L", last_offset=1,
    last_aliases=("n_l",), detect_letters=("n_l",), offsets=_frozen(_SHIFT_NODES), batch=1, batch_if_summed=2,
    form="affine",
    order="standard", broadcast=True, star="dot", bullet="hadamard", index_styles=("(",),
    detect_rank=5, usual_style="(",
    marks=("\\bullet", "J(W,b", "n_l", "s_{l", ".*", "h_{W,b}", "\\frac{\\partial}{\\partial"),
    source="A. Ng et al., UFLDL tutorial, Backpropagation Algorithm",
)

COURSERA = replace(
    _UFLDL, name="coursera",
    description="Coursera Machine Learning (Ng, 2011): Theta^(l) maps layer l to l+1, a^(1) = x, "
                "sigmoid units g, J = -1/m sum[y log h + (1-y) log(1-h)] + lambda/(2m) sum Theta^2; "
                "delta^(L) = a^(L) - y; .* element-wise, * and ' as in Octave",
    functions=_frozen({**_SIGMA_FUNCTIONS}),
    losses=_frozen({"J": "bce 1/m + wd 1/(2m)", "J(x,y)": "bce 1"}),
    delta_objective="bce 1", default_loss="bce 1/m + wd 1/(2m)", output_activation="sigmoid",
    hidden_activation="sigmoid", prime="transpose", aliases=("coursera-ml",),
    detect_rank=1000,
    source="A. Ng, Coursera Machine Learning, week 5 (ex4)",
)

UFLDL = replace(_UFLDL, variants=(
    Variant("J as the one-example cost J(W,b;x,y)",
            replace(_UFLDL, losses=_frozen({"J": "mse 1/2"}), default_loss="mse 1/2"), when=("J",)),
    Variant("Coursera ML's logistic cost with sigmoid units", replace(COURSERA, name="ufldl"),
            when=("L",), selects=("\\Theta", "g", "g'")),
))

_CS229 = Notation(
    name="cs229",
    description="Stanford CS229 notes: z^[k] = W^[k] a^[k-1] + b^[k], a^[0] = x, r layers, "
                "J = 1/2 (a^[r] - y)^2 for one example; dJ/dW^[k], dJ/dz^[k], dJ/da^[k]",
    symbols=_frozen({"W": "W", "b": "b", "z": "N", "a": "Sigma", "x": "X", "y": "Y", "o": "output",
                     "m": "m", "\\delta": "Delta"}),
    functions=_frozen(_SIGMA_FUNCTIONS),
    losses=_frozen({"J": "mse 1/2"}),
    delta_objective="mse 1/2", default_loss="mse 1/2", last_layer="r", detect_letters=("r",), batch=1,
    form="affine",
    order="standard", broadcast=True, index_styles=("[", "("),
    detect_rank=3, usual_style="[",
    marks=("\\frac{\\partialJ}{\\partial", "\\odot", "\\top", "^{[k"),
    source="Stanford CS229 lecture notes, Deep Learning (backpropagation)",
)

CS229 = replace(_CS229, hints=(
    Variant("a linear output layer, a^{[r]} = z^{[r]}",
            replace(_CS229, output_activation="identity"), when=("J",)),
))

CS231N = Notation(
    name="cs231n",
    description="Stanford CS231n, gradients of a matrix product: D = W X, upstream dD; "
                "dW = dD X^T, dX = W^T dD (one layer, any upstream gradient)",
    symbols=_frozen({"W": "W", "X": "X", "D": "N", "dD": "Delta", "dW": "dW", "dX": "dA",
                     "b": "b", "db": "db", "N": "m"}),
    functions=_frozen({}),
    losses=_frozen({"L": "output", "f": "output"}),
    delta_objective="output", default_loss="output", last_layer="L",
    defaults=_frozen({"W": "1", "D": "1", "dD": "1", "dW": "1", "dX": "0", "b": "1", "db": "1"}),
    batch=2, form="homogeneous", order="standard", broadcast=True, star="ambiguous",
    detect_rank=8, usual_style="",
    source="Stanford CS231n notes, Backpropagation, Intuitions (gradients for vectorized operations)",
)

D2L = Notation(
    name="d2l",
    description="Dive into Deep Learning 5.3 / Goodfellow et al. algorithm 6.4: z = W^(1) x, h = phi(z), "
                "o = W^(2) h, J = L + s with s = lambda/2 (||W^(1)||^2 + ||W^(2)||^2); "
                "the book's a^(k) (pre-activation), h^(k), h^(0) = x, l layers",
    symbols=_frozen({"W": "W", "b": "b", "x": "X", "z": "N", "h": "Sigma", "a": "N", "o": "output",
                     "\\hat{y}": "output", "\\lambda": "lambda", "y": "Y"}),
    functions=_frozen({"\\phi": "Sigma", "\\phi'": "Sigma_prime", "f": "Sigma", "f'": "Sigma_prime",
                       "\\sigma": "Sigma", "\\sigma'": "Sigma_prime"}),
    losses=_frozen({"J": "output + wd 1/2", "L": "output", "s": "wd 1/2", "\\Omega": "omega 1/2"}),
    delta_objective="output + wd 1/2", default_loss="output + wd 1/2", last_layer="l",
    defaults=_frozen({"z": "1", "h": "1"}), fixed_depth=2, batch=1, form="homogeneous",
    output_activation="identity", order="standard", index_styles=("(",), aliases=("dlbook",),
    detect_rank=7, usual_style="(",
    marks=("\\top", "\\odot", "\\phi", "h^{(", "^{(k", "\\Omega", "\\mathbf{x}"),
    source="A. Zhang et al., Dive into Deep Learning 5.3; Goodfellow, Bengio, Courville, Deep Learning, 6.5",
)

_ROWMAJOR = Notation(
    name="rowmajor",
    description="row-major batches (NumPy, PyTorch): X is m x n_0, Z^[l] = A^[l-1] W^[l] + b^[l] "
                "with W^[l] n_{l-1} x n_l and b^[l] a row; dlai's losses, so dZ^[L] = A^[L] - Y, "
                "dW^[l] = 1/m A^[l-1]T dZ^[l]",
    symbols=DLAI.symbols, functions=DLAI.functions, losses=DLAI.losses,
    delta_objective="bce 1", default_loss="bce 1/m", last_layer="L", batch=2, layout="rows",
    form="affine", output_activation="sigmoid", order="standard", broadcast=True, star="ambiguous",
    index_styles=("[", "_"), aliases=("row-major",),
    detect_rank=9, usual_style="[",
    source="CS231n assignment code, PyTorch nn.Linear: the batch as rows",
)

ROWMAJOR = replace(_ROWMAJOR, variants=(
    Variant("the L2-regularised cost J + lambda/(2m) sum ||W||^2",
            replace(_ROWMAJOR, losses=_frozen({**_ROWMAJOR.losses, "J": "bce 1/m + wd 1/(2m)"}),
                    default_loss="bce 1/m + wd 1/(2m)"), selects=("\\lambda",)),
))

BISHOP = Notation(
    name="bishop",
    description="Bishop, Pattern Recognition and Machine Learning 5.3: a_j = sum_i w_ji x_i + w_j0 (pre-activation), "
                "z_j = h(a_j), y_k = a_k (linear output); the layer is the neuron letter (i input, j hidden, "
                "k output) or w^(1), w^(2); E_n = 1/2 sum_k (y_k - t_k)^2, E = sum_n E_n",
    symbols=_frozen({"w": "W", "a": "N", "z": "Sigma", "x": "X", "t": "Y", "y": "output", "\\delta": "Delta",
                     "b": "b"}),
    functions=_frozen({"h": "Sigma", "h'": "Sigma_prime", "\\sigma": "Sigma", "\\sigma'": "Sigma_prime"}),
    losses=_frozen({"E_n": "mse 1/2", "E": "mse 1/2"}),
    delta_objective="mse 1/2", default_loss="mse 1/2", last_layer="K", batch=1, form="affine",
    output_activation="identity", order="standard", broadcast=True, index_styles=("(", "_"),
    letter_layers=_frozen({"i": 0, "j": 1, "k": 2}), detect_rank=10, usual_style="(",
    source="C. M. Bishop, Pattern Recognition and Machine Learning, 5.3.1-5.3.2 (error backpropagation)",
)

_ALL = (PAPER, TUTORIAL, NIELSEN, NIELSEN_LINEAR, DLAI, UFLDL, COURSERA, CS229, CS231N, D2L, ROWMAJOR, BISHOP)
NOTATIONS: Mapping[str, Notation] = _frozen({p.name: p for p in _ALL})
BUILT_IN.update(NOTATIONS)
_ALIASES = {a: p.name for p in _ALL for a in p.aliases}


def notation_names() -> tuple[str, ...]:
    """The names of the built-in notation profiles."""
    return tuple(NOTATIONS)


def get_notation(notation: str | Notation) -> Notation:
    """The profile called ``notation`` or one of its aliases (a :class:`Notation` passes through).

    Raises:
        UnsupportedNotationError: unknown name; the message lists the known ones.
    """
    if isinstance(notation, Notation):
        return notation
    key = str(notation).strip().lower()
    try:
        return NOTATIONS[_ALIASES.get(key, key)]
    except KeyError:
        raise UnsupportedNotationError(
            f"unknown notation {notation!r}; known: {', '.join(notation_names())} "
            f"(or 'auto' to detect it from the symbols)") from None
