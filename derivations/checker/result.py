"""The verdict on one formula read by the checker: :class:`CheckResult`, a :class:`Verdict`.

The package has one result type, :class:`derivations.verdict.Verdict` (proved / holds on the
sweep only / fails / undecided); a ``CheckResult`` is that verdict with what the checker
knows besides: the notation, the claim in words, where the formula stood in a file, and the
readings or equations it was split into.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..verdict import Verdict, latex_text

__all__ = ["CheckResult"]


@dataclass(frozen=True, kw_only=True)
class CheckResult(Verdict):
    """The verdict on one formula (the fields of :class:`Verdict`, then these, by keyword).

    Attributes:
        formula: the LaTeX text checked.
        holds: True (proved, or an exact identity on every instance swept), False
            (counterexample), None (undecided, ambiguous or an error).
        architectures: every architecture on which at least one layer was checked.
        counterexample: the smallest counterexample when ``holds`` is False.
        proof: the checker's :class:`~derivations.checker.prove.Proof` when proved.
        notation: the profile's name.
        claim: what the left-hand side states, in words.
        instances: how many (architecture, layer) pairs (or local models) were checked.
        line, label: position and label in a formula file (None / "" for a single formula).
        error: for a file entry that could not be read: the error message (holds is None).
        readings: (name, CheckResult) per reading when the notation leaves the formula ambiguous.
        parts: one CheckResult per equation of a line (or per link of a chained '=').
        detected: the notation was detected from the symbols.
        read_in: with detection, every profile whose reading gives this verdict (they agree).
    """

    notation: str = ""
    claim: str = ""
    instances: int = 0
    line: int | None = None
    label: str = ""
    error: str = ""
    readings: tuple = ()
    parts: tuple = ()
    detected: bool = False
    read_in: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """``method`` and ``scope`` of the Verdict from the checker's proof (or the sweep)."""
        if self.proof is not None:
            object.__setattr__(self, "method", self.proof.method)
            object.__setattr__(self, "scope", self.proof.scope())
        elif self.holds is not None:
            object.__setattr__(self, "method", "exact polynomial identity on each instance of the sweep")

    @property
    def status(self) -> str:
        """'proved', 'holds on the sweep only', 'fails', 'ambiguous', 'undecided' or 'error'."""
        if self.error:
            return "error"
        if self.holds is None and self.readings:
            return "ambiguous"
        if self.holds and self.parts:
            return "proved" if all(p.status == "proved" for p in self.parts) else "holds on the sweep only"
        if self.holds and self.readings:
            return "proved" if all(r.status == "proved" for _, r in self.readings) else "holds on the sweep only"
        if self.holds:
            return "proved" if self.proof is not None else "holds on the sweep only"
        return {False: "fails", None: "undecided"}[self.holds]

    @property
    def verdict_word(self) -> str:
        """'holds' (proved or on the sweep), 'fails', 'ambiguous', 'undecided' or 'error' (the corpus' words)."""
        return "holds" if self.status in ("proved", "holds on the sweep only") else self.status

    def summary(self) -> str:
        """One or two readable lines."""
        where = f"line {self.line}: " if self.line is not None else ""
        if self.label:
            where = f"{where[:-2]} [{self.label}]: " if where else f"[{self.label}] "
        if self.error:
            return f"{where}{self.formula}\n  error: {self.error}"
        if self.parts:
            head = f"{where}{self.formula}\n  {self.status} ({len(self.parts)} equations, {self.notation})"
            return head + "".join("\n  | " + p.summary().replace("\n", "\n  | ") for p in self.parts)
        text = f"{where}{self.formula}\n  {self.status}"
        if self.readings:
            text += f" in the {self.notation} notation{' (detected)' if self.detected else ''}: "
            text += "; ".join(f"read {name}: {r.status}" for name, r in self.readings)
            for name, r in self.readings:
                if r.counterexample is not None:
                    text += f"\n    {name}: {r.counterexample.message}"
            return text + (f"\n  note: {self.note}" if self.note else "")
        if self.holds and self.proof is not None:
            text += f" ({self.claim}) for {self.proof.scope()}\n  proof: {self.proof.method}; index bound " \
                    f"{self.proof.width_bound}; checked exactly on {', '.join(self.proof.models[:3])}" \
                    + (f" and {len(self.proof.models) - 3} more" if len(self.proof.models) > 3 else "")
        elif self.holds:
            text += f" ({self.claim}) on {len(self.architectures)} architectures, {self.instances} layers"
            depths = sorted({a.depth for a in self.architectures})
            widths = sorted({n for a in self.architectures for n in a.widths})
            if depths:
                text += f", depths {depths[0]}-{depths[-1]}, widths {widths[0]}-{widths[-1]}"
        elif self.counterexample is not None:
            text += f": {self.counterexample.message}"
        text += f"\n  notation: {self.notation}{' (detected from the symbols)' if self.detected else ''}"
        if self.assumptions:
            text += f"\n  assuming: {'; '.join(self.assumptions)}"
        if self.note:
            text += f"\n  note: {self.note}"
        return text

    __str__ = summary

    def to_dict(self) -> dict:
        """A JSON-ready dictionary."""
        ce = self.counterexample
        return {
            "formula": self.formula, "notation": self.notation, "status": self.status,
            "holds": self.holds, "claim": self.claim, "line": self.line, "label": self.label,
            "architectures": [a.label() for a in self.architectures], "instances": self.instances,
            "seconds": round(self.seconds, 3), "note": self.note, "error": self.error,
            "detected": self.detected, "read_in": list(self.read_in),
            "readings": {name: r.to_dict() for name, r in self.readings},
            "proof": None if self.proof is None else self.proof.to_dict(), "assumptions": list(self.assumptions),
            "parts": [p.to_dict() for p in self.parts],
            "counterexample": None if ce is None else {
                "architecture": ce.architecture.label(), "widths": list(ce.architecture.widths),
                "layer": ce.layer, "entry": None if ce.entry is None else list(ce.entry),
                "point": dict(ce.point), "formula_value": ce.formula_value, "truth_value": ce.truth_value,
                "kind": ce.kind, "message": ce.message},
        }

    def _repr_latex_(self) -> str:
        """The formula in math mode, then the verdict as text: scope, or the counterexample."""
        detail = ""
        if self.proof is not None:
            detail = f" for {self.proof.scope()}"
        elif self.counterexample is not None:
            detail = f": {self.counterexample.message}"
        elif self.note:
            detail = f" ({self.note})"
        return f"${self.formula} \\quad \\text{{{latex_text(self.status + detail)}}}$"
