"""The lemmas (6), (7) of the paper's section 6 and their printed proofs, step by step, each step checked.

Paper: N. M. Mishachev, "Backpropagation in matrix notation", section 6. The statements and the
steps come from :mod:`derivations.paper_proofs` (``LEMMAS``, ``PRINTED_PROOFS``): a step the
checker's grammar can write is proved by it for every architecture; a step it cannot write (rows
W_r^i, gradients of a neuron Sigma_r^i) is the registry formula of :mod:`derivations.lemmas`,
checked exactly on a small sweep (:data:`STEP_SWEEP`); a definition is marked as such. A misprinted
step is shown as printed, marked, with its correction and the correction's verdict beside it.
"""

from __future__ import annotations

from functools import lru_cache

from .. import paper_proofs as pp
from ..errors import BackpropVerifyError
from ..network import Architecture
from ..registry import FORMULAS
from ..sweep import sweep
from ..verdict import Verdict
from .blocks import Block, Equation, Section, Text, ref

__all__ = ["STEP_SWEEP", "lemma_sections", "step_verdicts", "one_dimensional_section"]

#: The architectures on which a proof step the grammar cannot write is checked (exactly).
STEP_SWEEP = ((1, 1), (2, 1), (1, 2, 1), (2, 2, 1), (2, 3, 1), (2, 2, 2, 1))

_LEFT = {"(6)": (r"\nabla_{W_r} f", r"\nabla_{W_r} f"), "(7)": (r"\nabla_{\Sigma_r} f", r"\nabla_{\Sigma_r^i} f")}
_LEMMA_KEY = {"(6)": "eq6", "(7)": "eq7"}


@lru_cache(maxsize=None)
def _swept(name: str) -> Verdict:
    return sweep(name, [Architecture(w) for w in STEP_SWEEP])


def _find(name: str, proof: pp.Obligation) -> Verdict:
    """The proof's verdict; a checker error becomes an undecided verdict naming it (never "proved")."""
    try:
        return pp.find(name, proof)
    except BackpropVerifyError as err:
        return Verdict(name, None, note=f"the checker could not decide it: {err}")


@lru_cache(maxsize=None)
def step_verdicts(eq: str) -> tuple[tuple[pp.Step, Verdict, Verdict | None], ...]:
    """(step, verdict as printed, verdict of the correction or None) for each step of the proof of ``eq``."""
    sweeps = {name: _swept(name) for name in (*pp.SWEPT_STEPS, "eq7_proof")}
    sweeps["eq7_proof_corrected"] = _find("eq7_proof_corrected", FORMULAS["eq7_proof_corrected"].proof)
    return tuple((s, *pp.run_step(s, sweeps, decide=_find)) for s in pp.PRINTED_PROOFS[eq])


def _words(v: Verdict) -> str:
    if v.definition:
        return "definition"
    if v.status == "proved":
        return "proved for every architecture"
    if v.status == "holds on the sweep only":
        return "holds on the sweep"
    return v.status


def _corrected_text(step: pp.Step) -> str:
    """The corrected step, as printed in the paper's own form."""
    if step.typo == "eq6_proof":
        return FORMULAS["eq6_proof_corrected"].latex
    return FORMULAS["eq7_proof_corrected"].latex


def _step_blocks(eq: str, key: str, verify: bool) -> list[Block]:
    blocks: list[Block] = []
    for step, printed, fixed in step_verdicts(eq):
        left = _LEFT[eq][0 if step.number == 0 else 1]
        name = f"{key}_proof_step{step.number}"
        if step.typo:
            bad = "misprint in the paper" + (f" ({_words(printed)})" if verify else "")
            blocks += [Equation(f"{name}_printed", (f"{left} &= {step.printed}",), note=bad),
                       Equation(f"{name}_corrected", (f"{left} &= {_corrected_text(step)}",),
                                note="correction" + (f": {_words(fixed)}" if verify and fixed else "")),
                       Text(f"\\textbf{{Misprint}} in step {step.number}: {ref(name + '_printed')} as printed; "
                            f"{ref(name + '_corrected')} is the correction. "
                            f"{_TYPO_WORDS[step.typo]}")]
        else:
            blocks.append(Equation(name, (f"{left} &= {step.printed}",), note=_words(printed) if verify else None))
    return blocks


_TYPO_WORDS = {
    "eq6_proof": "The row factor must be $\\Sigma_{r-1}^T$, the input of layer $r$ (as the step's own final "
                 "result says), not $\\Sigma_r^T$.",
    "eq7_proof": "$(W_{r+1}^T)^i$ is a row; the Hadamard product with the column $\\Sigma'_{r+1}$ needs the "
                 "column $((W_{r+1}^T)^i)^T$ (a shape slip: the entries are right).",
}


def lemma_sections(*, verify: bool) -> list[Block]:
    """Section 6: (6) and (7) with their verdicts, then each printed proof, step by step."""
    blocks: list[Block] = [Section("The lemmas (6) and (7) and their proofs (section 6)"), Text(
        "Here $\\nabla_{\\Sigma_r} f$ is the gradient of $f$ with respect to the layer output $\\Sigma_r$ "
        "taken as a variable, and $W_r^i$, $\\Sigma_r^i$ are the $i$-th row of $W_r$ and the $i$-th neuron. "
        "Each step of a printed proof is compared with the chain's left end: a step the formula checker can "
        "write is proved for every architecture; a step with rows $W_r^i$ or the gradient of a neuron is "
        "checked exactly on the architectures " + ", ".join(f"[{','.join(map(str, w))}]" for w in STEP_SWEEP)
        + ".")]
    for eq in ("(6)", "(7)"):
        key = _LEMMA_KEY[eq]
        lemma = pp.LEMMAS[key]
        verdict = _find(key, lemma) if verify else None
        blocks += [Section(f"Lemma {eq}", 2),
                   Equation(f"lemma_{key}", (lemma.latex.replace(" = ", " &= ", 1),), eq.strip("()"),
                            _words(verdict) if verdict else None),
                   Text(f"The printed proof of {ref('lemma_' + key)}, one expression per line:")]
        blocks += _step_blocks(eq, key, verify)
    return blocks


_ONE_D = (("eq1", "1"), ("eq2", "2"), ("eq1_recursion", None))


def one_dimensional_section(*, verify: bool) -> list[Block]:
    """Section 4: the one-dimensional formulas (1), (2) and their recursion, as printed, with their verdicts."""
    blocks: list[Block] = [Section("The one-dimensional case (section 4)"), Text(
        "With one neuron per layer ($n_0 = \\cdots = n_k = 1$) the weights $w_i$ and the values "
        "$\\sigma_i$, $\\sigma'_i$ are numbers, and the gradient is a product, (1), grouped by periods in (2):")]
    for name, tag in _ONE_D:
        record = FORMULAS[name]
        note = None
        if verify:
            verdict = _find(name, record.proof)
            note = ("proved for every depth (one-dimensional case)" if verdict.status == "proved"
                    and verdict.scope.startswith("one-dimensional") else _words(verdict))
        lines = tuple(part.replace(" = ", " &= ", 1) for part in record.latex.split(",\\ "))
        blocks.append(Equation(f"one_dimensional_{name}", lines, tag, note))
    return blocks
