"""Markdown for ``docs/notations.md``: each profile's symbol table, generated from the profile itself.

``python -m derivations.checker.profile_docs`` prints the tables (the lead pastes them into the
README); shapes are stated in the profile's own layer numbering (``n_l`` is the width of the
profile's layer l), with the batch of m samples as columns or rows.
"""

from __future__ import annotations

from .notation import Notation, describe_objective
from .profiles import NOTATIONS

__all__ = ["symbol_table", "profile_section", "MEANING_TEXT"]

MEANING_TEXT = {
    "W": "weights", "b": "bias", "N": "pre-activation", "Sigma": "activation (layer output)",
    "Sigma_prime": "slopes sigma'(pre-activation)", "Delta": "gradient w.r.t. the pre-activation",
    "dA": "gradient w.r.t. the activation", "X": "input", "Y": "targets", "V": "seed (cotangent)",
    "output": "network output", "m": "batch size", "lambda": "weight-decay factor",
    "dW": "gradient of the loss w.r.t. W", "db": "gradient of the loss w.r.t. b",
}


def _width(written: str, shift: int) -> str:
    if shift == 0:
        return f"n_{written}"
    return f"n_{{{written}{shift:+d}}}"


def _shape(meaning: str, prof: Notation) -> str:
    node = prof.offset("Sigma")
    batch = "m" if prof.batch > 1 or prof.batch_if_summed else "1"
    if meaning in ("W", "dW"):
        shift = prof.offset(meaning) - node
        shape = (_width("l", shift), _width("l", shift - 1))
    elif meaning in ("b", "db"):
        shape = (_width("l", prof.offset(meaning) - node), "1")
    elif meaning in ("N", "Sigma", "Sigma_prime", "Delta", "dA"):
        shape = (_width("l", prof.offset(meaning) - node), batch)
    elif meaning in ("X",):
        shape = ("n_0" if node == 0 else "n_1", batch)
    elif meaning in ("Y", "V", "output"):
        shape = (f"n_{prof.last_layer}", batch)
    else:
        return "scalar"
    if prof.layout == "rows":
        shape = shape[::-1]
    return f"{shape[0]} x {shape[1]}"


def symbol_table(prof: Notation) -> str:
    """The Markdown table symbol | meaning | shape | our symbol for one profile."""
    rows = ["| symbol | meaning | shape | ours |", "|---|---|---|---|"]
    for key, meaning in prof.symbols.items():
        ours = meaning if not prof.offset(meaning) else f"{meaning}, layer {prof.offset(meaning):+d}"
        default = f" (unindexed: layer {prof.defaults[key]})" if key in prof.defaults else ""
        rows.append(f"| `{key}` | {MEANING_TEXT[meaning]}{default} | {_shape(meaning, prof)} | {ours} |")
    for key, meaning in prof.functions.items():
        rows.append(f"| `{key}(z)` | {'activation' if meaning == 'Sigma' else 'slope'} function "
                    f"({meaning}) | as z | {meaning} |")
    for key, spec in prof.losses.items():
        words = describe_objective(spec).replace("|", "\\|")
        rows.append(f"| `{key}` (objective) | {words} | scalar | `{spec}` |")
    return "\n".join(rows)


def profile_section(prof: Notation) -> str:
    """One profile: description, conventions, symbol table."""
    conventions = [
        f"layers: the last is `{prof.last_layer}`" + (f" (= our depth {prof.last_offset:+d})"
                                                       if prof.last_offset else ""),
        f"batch: {prof.batch} sample(s) as {prof.layout}"
        + (f" ({prof.batch_if_summed} when the formula sums over samples)" if prof.batch_if_summed else ""),
        f"delta / dZ objective: {describe_objective(prof.delta_objective)}",
        f"dW, db objective: {describe_objective(prof.default_loss)}",
        f"output activation: {prof.output_activation or 'abstract sigma'}"
        + (f", hidden: {prof.hidden_activation}" if prof.hidden_activation else ""),
        f"products: chains read {prof.order}; `*` {prof.star}; `\\bullet` {prof.bullet}; "
        f"juxtaposition {prof.juxtaposition}; `'` {prof.prime}",
    ]
    if prof.variants:
        conventions.append("other readings: " + "; ".join(v.label for v in prof.variants))
    if prof.conventions:
        conventions.append("conventions read both ways: " + "; ".join(v.label for v in prof.conventions))
    if prof.hints:
        conventions.append("named when a formula fails but holds under: " + "; ".join(v.label for v in prof.hints))
    if prof.marks or prof.usual_style:
        conventions.append("auto detection: " + ", ".join(
            ([f"index style `{prof.usual_style}`"] if prof.usual_style else [])
            + [f"mark `{m}`" for m in prof.marks]) + f"; rank {prof.detect_rank}")
    if prof.letter_layers:
        conventions.append("layers named by the neuron letters: "
                           + ", ".join(f"{k} = layer {v}" for k, v in prof.letter_layers.items()))
    head = f"### `{prof.name}`\n\n{prof.description}.\nSource: {prof.source}.\n\n"
    return head + "\n".join(f"- {c}" for c in conventions) + "\n\n" + symbol_table(prof) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print("\n".join(profile_section(p) for p in NOTATIONS.values()))
