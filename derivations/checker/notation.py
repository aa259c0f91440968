"""Notation profiles: what the symbols of a formula mean, as data.

A :class:`Notation` maps written symbols (``"W"``, ``"\\Sigma'"``, ``"a"``, ``"dW"``)
to *meanings* (:data:`MEANINGS`), says how a written layer index maps to ours
(``offsets``, ``last_layer``/``last_offset``), and fixes the batch layout, the network
form, the output activation, the objectives and the reading order of product chains.
The grammar stays notation-neutral; the built-in profiles are in :mod:`.profiles`, a
user profile can be read from TOML (:mod:`.toml_profile`).

Meanings (``net`` is a :class:`~derivations.network.Network`, K its depth; our layers):

* ``W``: ``net.W(j)``, n_j x n_{j-1}, 1..K (W_{K+1} = I with ``top_seed``);
* ``b``: ``net.b(j)``, n_j x 1, 1..K (affine network);
* ``N``, ``Sigma``, ``Sigma_prime``: ``net.N(j)``, ``net.Sigma(j)`` (0..K, Sigma_0 = X),
  ``net.Sigma_prime(j)``, n_j x m;
* ``Delta``: the true ``grad_N(net, j, delta objective)``, n_j x m, 1..K (Delta_{K+1} = V
  with ``top_seed``); ``dA``: the true ``grad_Sigma(net, j, delta objective)``, 0..K;
* ``X``, ``Y``, ``V``, ``output`` (Sigma_K), ``m`` (a scalar), ``lambda`` (the weight-decay
  factor): no layer index;
* ``dW``, ``db``: the true gradients of the default loss, 1..K.

With ``layout="rows"`` every matrix is transposed at the evaluation boundary (the
user's W is our W^T, X is m x n_0, dW is our grad_W^T), so the identity test is unchanged.

Objectives are written ``"output"``, ``"<kind> <scale>"`` (kind mse, bce, cce; scale
1/(2m), 1/m, 1/2, 1) or a bare scale (MSE), optionally followed by ``" + wd <scale>"``
(L2 weight decay lambda * scale * sum ||W_i||^2); ``"wd <scale>"`` is the decay term alone,
``"omega <scale>"`` the same without lambda (the Deep Learning book's Omega).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from ..errors import UnsupportedNotationError

__all__ = ["Notation", "Variant", "MEANINGS", "SCALES", "parse_objective", "describe_objective"]

MEANINGS = ("W", "b", "N", "Sigma", "Sigma_prime", "Delta", "dA", "X", "Y", "V", "output", "m",
            "lambda", "dW", "db")
SCALES = ("1/(2m)", "1/m", "1/2", "1")
KINDS = ("output", "mse", "bce", "cce", "wd", "omega", "seed")
LAYOUTS = ("columns", "rows")


def _frozen(d: Mapping) -> Mapping:
    return MappingProxyType(dict(d))


def parse_objective(spec: str) -> tuple[str, str, str | None]:
    """(kind, scale, weight_decay) of an objective spec such as ``"bce 1/m + wd 1/(2m)"``.

    >>> parse_objective("1/(2m)"), parse_objective("output + wd 1/2")
    (('mse', '1/(2m)', None), ('output', '1', '1/2'))
    """
    base, _, decay = (p.strip() for p in str(spec).partition("+"))
    words = base.split()
    if len(words) == 1 and words[0] in SCALES:
        words = ["mse", words[0]]
    if words and words[0] in ("wd", "omega"):
        if len(words) != 2 or words[1] not in SCALES or decay:
            raise UnsupportedNotationError(f"bad objective {spec!r}: write '{words[0]} <scale>'")
        return words[0], "1", words[1]
    wd = None
    if decay:
        dwords = decay.split()
        if len(dwords) != 2 or dwords[0] != "wd" or dwords[1] not in SCALES:
            raise UnsupportedNotationError(f"bad weight decay in {spec!r}: write '+ wd <scale>', "
                                           f"scale one of {SCALES}")
        wd = dwords[1]
    if words == ["output"]:
        return "output", "1", wd
    if len(words) != 2 or words[0] not in KINDS or words[1] not in SCALES:
        raise UnsupportedNotationError(
            f"bad objective {spec!r}: write 'output' or '<kind> <scale>' with kind in "
            f"{KINDS[:4]} and scale in {SCALES}, optionally '+ wd <scale>'")
    return words[0], words[1], wd


def describe_objective(spec: str) -> str:
    """Words for an objective spec: "binary cross-entropy, 1/m sum + lambda 1/(2m) sum ||W||^2"."""
    kind, scale, wd = parse_objective(spec)
    total = "summed over the samples" if scale == "1" else f"{scale} sum"
    base = {"output": "the network output (seed V)", "mse": f"squared error, {total}",
            "bce": f"binary cross-entropy, {total}", "cce": f"cross-entropy, {total}",
            "wd": "weight decay alone", "omega": f"Omega = {wd} sum ||W_i||^2 (no lambda)",
            "seed": f"{scale} sum of a per-sample loss of the layer above (seed V)"}[kind]
    return base + (f" + lambda {wd} sum ||W_i||^2" if wd else "")


@dataclass(frozen=True)
class Notation:
    """A notation profile: symbol table, index convention, batch layout and losses.

    Attributes:
        name: the key in ``NOTATIONS``.
        description: one line for ``--help`` and the docs.
        symbols: written symbol (name + primes) -> meaning, e.g. ``"\\Sigma'": "Sigma_prime"``.
        functions: written function -> meaning of ``fn(N_j)``: ``"f'": "Sigma_prime"``.
        losses: objective name -> objective spec: ``"f": "output"``, ``"J": "bce 1/m"``.
        delta_objective: the objective of Delta / delta / dZ / dA.
        default_loss: the objective of dW, db.
        last_layer: the letter of the last layer (k, L, r).
        last_offset: the written last layer is K + last_offset (Nielsen, UFLDL: 1, the input is layer 1).
        offsets: meaning -> our index minus the written one (Nielsen: a^l is our Sigma_{l-1}: -1).
        defaults: symbol -> written index used when the symbol has none (CS231n: W is layer 1).
        fixed_depth: the depth swept when a formula uses a symbol of ``defaults`` (d2l: 2).
        batch: m, samples as columns (1: a single sample).
        batch_if_summed: m used instead of ``batch`` when the formula sums over samples or uses m.
        layout: "columns" (X is n_0 x m) or "rows" (X is m x n_0, every matrix transposed).
        form: "homogeneous" or "affine" (b_i in a formula forces "affine").
        output_activation: the last layer's activation (sigmoid, softmax, identity), None: abstract.
        output_width: the width n_K when the notation fixes it (the paper's scalar f: 1), None when
            a formula must hold for every n_K (proofs take it free; the sweep uses 1).
        min_output_width: the smallest n_K a free output width takes (2 for softmax).
        order: reading of product chains (see :data:`derivations.checker.transform.ORDERS`).
        scalar_1x1: a 1x1 matrix multiplies like a scalar (paper, remark 2).
        top_seed: Delta_{k+1} = V and W_{k+1}^T = 1 (paper, remark 3).
        broadcast: a column (row) adds to a matrix column by column (row by row), as in NumPy.
        star: what ``*`` means: "error" (refused), "hadamard" (NumPy, dlai), "dot" (Octave) or
            "ambiguous" (both readings are checked and reported).
        prime: what ``A'`` means on a matrix symbol: "derivative" or "transpose" (Octave).
        index_styles: how layer indices may be written: "_" (W_i), "(" (W^{(l)}), "[" (W^{[l]}), "^" (w^l).
        bullet: what ``\\bullet`` means: the paper's "bullet" (A . B = B A) or "hadamard" (UFLDL).
        juxtaposition: "product" (a matrix product, the books' convention) or "ambiguous" (two
            operands of the same non-square shape are read both ways, the tutorial).
        last_aliases: other names of the last layer (UFLDL's n_l).
        hidden_activation: the hidden layers' activation (Coursera: sigmoid), None: abstract.
        detect_rank: with ``notation="auto"``, among profiles that read a formula with the same
            verdict and match its index style equally well, the lowest rank names the result.
        usual_style: the index style the profile's source writes ("_", "(", "[", "^"; "" none), which
            auto detection prefers.
        marks: pieces of LaTeX the profile's source prints and most others do not (UFLDL's
            ``\\bullet``, ``J(W,b``, ``.*``; spaces ignored): with ``notation="auto"`` each one found
            adds to the evidence for the profile's reading (see :mod:`.detect`).
        detect_letters: layer letters that mark the profile's source (UFLDL's n_l, CS229's r): with
            ``notation="auto"``, a formula using one is read only by the profiles that declare it.
        scalar_symbols: symbols that only exist in the one-dimensional case n_0 = ... = n_k = 1 (the
            paper's lower-case w_i, sigma_i of section 4): a formula using one is checked at width 1.
        one_example_symbols: symbols of one example (Ng's lower-case dz, a, x, y): a formula whose
            batch-sized symbols are all of these is checked with m = 1.
        letter_layers: neuron letter -> written layer, for a source that names layers by the neuron
            letters (Bishop: i input 0, j hidden 1, k output 2; see :mod:`.letterlayers`); the
            network is then the two-layer one of the largest layer.
        conventions: :class:`Variant` readings of a convention the source leaves open (the tutorial's
            C as batch sum or mean; Nielsen's output layer sigmoid or linear): checked as equals of the
            profile's own reading when the formula uses a key of their ``when``, so a verdict that
            depends on the convention is "ambiguous" and names it.
        hints: :class:`Variant` conventions the source rules out but other notes use (Nielsen's output
            layer is sigmoid; regression notes make it linear): a formula that fails is checked under
            them too, and the verdict stays "fails" with a note naming the one it holds under.
        variants: :class:`Variant` readings of the same symbols (UFLDL's two costs named J).
        source: where the notation comes from.
    """

    name: str
    description: str
    symbols: Mapping[str, str]
    functions: Mapping[str, str] = field(default_factory=dict)
    losses: Mapping[str, str] = field(default_factory=dict)
    delta_objective: str = "output"
    default_loss: str = "output"
    last_layer: str = "k"
    last_offset: int = 0
    offsets: Mapping[str, int] = field(default_factory=dict)
    defaults: Mapping[str, str] = field(default_factory=dict)
    fixed_depth: int | None = None
    batch: int = 1
    batch_if_summed: int | None = None
    layout: str = "columns"
    form: str = "homogeneous"
    output_activation: str | None = None
    output_width: int | None = None
    min_output_width: int = 1
    order: str = "left"
    scalar_1x1: bool = False
    top_seed: bool = False
    broadcast: bool = False
    star: str = "error"
    prime: str = "derivative"
    index_styles: tuple[str, ...] = ("_", "(", "[")
    bullet: str = "bullet"
    juxtaposition: str = "product"
    last_aliases: tuple[str, ...] = ()
    hidden_activation: str | None = None
    scalar_symbols: tuple[str, ...] = ()
    detect_rank: int = 100
    usual_style: str = ""
    detect_letters: tuple[str, ...] = ()
    marks: tuple[str, ...] = ()
    one_example_symbols: tuple[str, ...] = ()
    letter_layers: Mapping[str, int] = field(default_factory=dict)
    conventions: tuple = ()
    hints: tuple = ()
    variants: tuple = ()
    aliases: tuple[str, ...] = ()
    source: str = ""

    def __post_init__(self) -> None:
        bad = {k: v for k, v in self.symbols.items() if v not in MEANINGS}
        bad.update({k: v for k, v in self.functions.items()
                    if v not in ("Sigma", "Sigma_prime", "Sigma_prime_hat")})
        bad.update({k: v for k, v in self.offsets.items() if k not in MEANINGS})
        if bad:
            raise UnsupportedNotationError(f"notation {self.name!r}: unknown meanings {bad}; "
                                           f"symbols take {MEANINGS}")
        for spec in (*self.losses.values(), self.delta_objective, self.default_loss):
            parse_objective(spec)
        checks = [(self.order in ("left", "right", "standard"), "order"),
                  (self.form in ("homogeneous", "affine"), "form"),
                  (self.layout in LAYOUTS, "layout"),
                  (self.star in ("error", "hadamard", "dot", "ambiguous"), "star"),
                  (self.bullet in ("bullet", "hadamard"), "bullet"),
                  (self.juxtaposition in ("product", "ambiguous"), "juxtaposition"),
                  (self.prime in ("derivative", "transpose"), "prime"),
                  (set(self.index_styles) <= {"_", "(", "[", "^"}, "index_styles"),
                  (self.usual_style in ("", "_", "(", "[", "^"), "usual_style"),
                  (isinstance(self.batch, int) and not isinstance(self.batch, bool) and self.batch >= 1, "batch"),
                  (isinstance(self.last_layer, str) and len(self.last_layer) == 1, "last_layer")]
        for ok, name in checks:
            if not ok:
                raise UnsupportedNotationError(
                    f"notation {self.name!r}: bad {name}, got {name}={getattr(self, name)!r}")

    def meaning(self, key: str) -> str:
        """The meaning of a written symbol (name with primes).

        Raises:
            UnsupportedNotationError: the symbol is unknown; the message lists the known ones
                and the built-in profiles that define it.
        """
        try:
            return self.symbols[key]
        except KeyError:
            raise UnsupportedNotationError(_unknown("symbol", key, self, "symbols")) from None

    def loss(self, key: str, per_sample: bool = False) -> str:
        """The objective spec named ``key`` (f, L, C, J, ...); ``per_sample``: written J(W,b;x,y)."""
        if per_sample and f"{key}(x,y)" in self.losses:
            return self.losses[f"{key}(x,y)"]
        try:
            return self.losses[key]
        except KeyError:
            raise UnsupportedNotationError(_unknown("objective", key, self, "losses")) from None

    def offset(self, meaning: str) -> int:
        """Our layer index minus the written one for symbols of this meaning."""
        return self.offsets.get(meaning, 0)

    def __repr__(self) -> str:
        return f"Notation({self.name!r})"


@dataclass(frozen=True)
class Variant:
    """Another reading of a profile's symbols: ``notation`` is checked too when the formula uses a
    key of ``when`` (symbols, functions, objective names, layer letters, gradients "dC/dW"), and
    replaces the profile when it uses a key of ``selects`` (symbols only the variant's source
    writes, e.g. Coursera's Theta and g)."""

    label: str
    notation: Notation
    when: tuple[str, ...] = ()
    selects: tuple[str, ...] = ()


BUILT_IN: dict[str, Notation] = {}
"""The built-in profiles by name, filled by :mod:`.profiles` when it is imported (for the hints of
unknown-symbol errors: which profiles do define the symbol)."""


def _unknown(what: str, key: str, prof: Notation, table: str) -> str:
    known = ", ".join(sorted(getattr(prof, table)))
    defining = [n for n, p in BUILT_IN.items() if key in getattr(p, table) and n != prof.name]
    hint = (f"; defined by the profiles {', '.join(defining)} (use --notation NAME)" if defining
            else "; no built-in profile defines it")
    return f"unknown {what} {key!r} in the {prof.name!r} notation; known: {known}{hint}"
