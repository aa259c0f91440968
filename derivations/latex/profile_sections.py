"""The derivation's sections in a notation profile: notation, forward and backward pass, layers, objectives.

Each displayed formula is a :class:`~derivations.latex.lecture.Claim`: written in the profile by
the checker's renderer, checked by the checker in that profile, its verdict set under it. The
paper's own document (:mod:`derivations.latex.sections`) gets the objectives section from here.
"""

from __future__ import annotations

import re

from ..checker import Notation
from ..checker.nodes import Index, Sym
from ..checker.notation import describe_objective
from ..checker.profile_docs import MEANING_TEXT
from ..checker.render import in_profile, to_latex
from ..network import Network
from ..output_delta import prove_output_delta
from . import lecture
from .blocks import Block, Equation, Raw, Section, Text, ref
from .lecture import Claim
from .texmath import pack, tex_escape

__all__ = ["claim_equation", "notation_section", "forward_backward_sections", "layer_sections",
           "objective_sections", "claims_of", "verification_section", "split_pieces"]

_OPERATORS = re.compile(r" (\\circ|\\cdot|\+|-) ")


def split_pieces(rhs: str) -> list[str]:
    """The right-hand side cut before each top-level operator (outside braces and parentheses).

    >>> split_pieces(r"(a - b) \\circ c + d")
    ['(a - b)', '\\\\circ c', '+ d']
    """
    pieces, depth, start = [], 0, 0
    for pos, ch in enumerate(rhs):
        depth += {"(": 1, "{": 1, ")": -1, "}": -1}.get(ch, 0)
        if depth == 0 and ch == " " and pos > start and _OPERATORS.match(rhs, pos):
            pieces.append(rhs[start:pos])
            start = pos + 1
    pieces.append(rhs[start:])
    return [p.strip() for p in pieces if p.strip()]


def claim_equation(claim: Claim, *, verify: bool) -> Equation:
    """The claim as a numbered equation, broken to fit; its verdict as the note when verified."""
    lhs, rhs = claim.latex.split(" = ", 1)
    note = lecture.verdict_note(claim.result) if verify else None
    return Equation(claim.name, tuple(pack(lhs, split_pieces(rhs))), note=note)


def _equations(claims: list[Claim], verify: bool) -> list[Block]:
    return [claim_equation(c, verify=verify) for c in claims]


def _numbering(prof: Notation) -> str:
    first = 1 if prof.offset("Sigma") == -1 else 0
    last = f"${prof.last_layer}$"
    text = (f"Layers are numbered as in {tex_escape(prof.source or prof.name)}: the input is layer {first}, "
            f"the output layer is {last}")
    if prof.offset("W") != prof.offset("Sigma"):
        text += "; a weight matrix carries the number of the layer it starts from"
    return text + "."


def notation_section(prof: Notation, net: Network) -> list[Block]:
    """What the profile's symbols mean, its layer numbering, batch layout and objectives."""
    by_meaning: dict[str, list[str]] = {}
    for key, meaning in prof.symbols.items():
        if meaning not in ("m", "V"):
            by_meaning.setdefault(meaning, []).append(f"${key}$")
    rows = [f"{', '.join(keys)} & {MEANING_TEXT[meaning]} \\\\" for meaning, keys in by_meaning.items()]
    table = ("\\begin{center}\\begin{tabular}{ll}\nsymbol & meaning \\\\\n\\hline\n" + "\n".join(rows)
             + "\n\\end{tabular}\\end{center}")
    layout = ("the samples are the rows of $X$ (every matrix is the transpose of the column form)"
              if prof.layout == "rows" else "the samples are the columns of $X$")
    words = (f"Notation profile \\texttt{{{tex_escape(prof.name)}}}. "
             f"{_numbering(prof)} In a batch, {layout}. The deltas are gradients of "
             f"{tex_escape(describe_objective(prof.delta_objective))}; the weight gradients of "
             f"{tex_escape(describe_objective(prof.default_loss))}. The network: widths "
             f"{', '.join(map(str, net.widths))} ({net.depth} layers of weights). Every formula is checked for "
             "an arbitrary activation $\\sigma$ (so for each activation)"
             + (f" with a {prof.output_activation} output layer" if prof.output_activation else "") + ".")
    return [Section("Notation"), Text(words), Raw(table)]


def forward_backward_sections(prof: Notation, *, verify: bool) -> tuple[list[Block], list[Claim]]:
    """The forward pass and the profile's delta rule (general layer), and the claims shown."""
    forward, backward = lecture.forward_claims(prof), lecture.backward_claims(prof)
    blocks: list[Block] = []
    one = lecture.one_layer_claims(prof)
    if one:
        blocks += [Section("One layer"), Text(
            f"The \\texttt{{{tex_escape(prof.name)}}} notation speaks of one layer and its upstream gradient; "
            "its unindexed symbols are that layer's:"), *_equations(one, verify)]
        backward = backward + one
    if forward:
        blocks += [Section("Forward pass"), Text("For every layer, in the profile's symbols:"),
                   *_equations(forward, verify)]
    if backward:
        top = next((c for c in backward if c.name == "delta_top"), None)
        start = (f"It starts at the output layer with {ref('delta_top')} and runs down the layers by "
                 f"{ref('delta_step')}.") if top is not None and any(c.name == "delta_step" for c in backward) else ""
        blocks += [Section("Backward pass: the delta rule"), Text(start), *_equations(backward, verify)]
    if not forward and not backward:
        blocks += [Text(f"The profile \\texttt{{{tex_escape(prof.name)}}} names no layered symbols for a "
                        "forward or backward pass.")]
    return blocks, forward + backward


def layer_sections(prof: Notation, net: Network, general: list[Claim], *, verify: bool) -> tuple[list[Block],
                                                                                                   list[Claim]]:
    """The general claims at each layer of this network, with the layer's number in the profile's numbering."""
    blocks: list[Block] = []
    shown: list[Claim] = []
    for layer, claims in lecture.layer_claims(prof, net.depth, general):
        if not claims:
            continue
        if not blocks:
            blocks.append(Section(f"Layer by layer: the network {', '.join(map(str, net.widths))}"))
            blocks.append(Text("Each formula above with the layer's number; checked for every width at this depth."))
        pre = in_profile(Sym("N", Index(None, layer)), prof)
        blocks.append(Section(f"Layer {layer} of {net.depth}: ${to_latex(pre)}$", 2))
        blocks += _equations(claims, verify)
        shown += claims
    return blocks, shown


def objective_sections(prof: Notation, *, verify: bool) -> tuple[list[Block], list[Claim]]:
    """One subsection per objective, one sample and a batch: its gradient by N at the top, one step down,
    the weights and the bias, each as a gradient of that objective."""
    blocks: list[Block] = [Section("One section per objective"), Text(
        "Every objective gives the same step down the layers and the same read-out of the weight "
        "gradient; only the last layer differs. Each gradient below is of the objective named on its left.")]
    shown: list[Claim] = []
    for obj in lecture.OBJECTIVES:
        for batch in (False, True):
            claims = lecture.objective_claims(prof, obj, batch=batch)
            if not claims:
                continue
            form = "a batch of $m$ samples" if batch else "one sample"
            blocks.append(Section(f"{obj.title}, {form}", 2))
            blocks.append(Text(f"Objective: {claims[0].added}."))
            if obj.kind == "cce":
                blocks.append(Text("Softmax ties the outputs together, so the checker has no proof here: the "
                                   "last layer is checked exactly on a sweep (depths 1--2, widths 1--2). The "
                                   "step and the read-out are those of every other objective." + _cce_proof(verify)))
            blocks += _equations(claims, verify)
            shown += claims
    return blocks, shown


def _cce_proof(verify: bool) -> str:
    """The separate proof of the softmax + cross-entropy output delta, in words (when it holds)."""
    if not verify:
        return ""
    proof = prove_output_delta("cce")
    if proof.status != "proved":
        return f" The separate symbolic check of its last-layer delta gives: {tex_escape(proof.status)}."
    return (" Its last-layer delta (the gradient by the top pre-activation: the output minus the targets, "
            "divided by $m$ for the batch objective) is proved separately for every output width and batch "
            "size by symbolic differentiation over index sums of symbolic size "
            "(\\texttt{derivations.output\\_delta}), assuming "
            f"{tex_escape(proof.assumptions[-1])}.")


def claims_of(blocks_and_claims: list[tuple[list[Block], list[Claim]]]) -> list[Claim]:
    """Every claim of several sections, in order."""
    return [c for _, claims in blocks_and_claims for c in claims]


def verification_section(claims: list[Claim]) -> list[Block]:
    """Each displayed claim's verdict with its scope (the checker's words)."""
    items = []
    for c in claims:
        r = c.result
        if r.status == "proved" and r.proof is not None:
            detail = f"proved for {r.proof.scope()}"
        elif r.counterexample is not None:
            detail = f"fails: {r.counterexample.message}"
        else:
            detail = f"{r.status}; {r.note}" if r.note else r.status
        items.append(f"\\item {ref(c.name)}: {tex_escape(detail)}")
    body = "\\begin{itemize}\\small\n" + "\n".join(items) + "\n\\end{itemize}"
    return [Section("Verification"), Text(
        "Each displayed formula was read back by the formula checker in this notation and decided exactly "
        "(a proof for every architecture, or an exact check on a stated sweep):"), Raw(body)]
