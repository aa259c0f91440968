"""The one result type of the package: :class:`Verdict` (proved / holds on the sweep only / fails /
undecided), and the :class:`Counterexample` a failing verdict carries, with their text and LaTeX.

Every check returns a Verdict: the registry's per-architecture check (:func:`derivations.registry.verify`),
the report, the LaTeX document, the delta rule, the compiled gradient, and the formula checker, whose
:class:`derivations.checker.CheckResult` is a Verdict with what the checker knows besides. How a
verdict is decided is :mod:`derivations.exact`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .network import Architecture

__all__ = ["Counterexample", "Verdict", "latex_text", "counterexample_lines"]


@dataclass(frozen=True)
class Counterexample:
    """Where a formula and the ground truth differ.

    Attributes:
        architecture: the network (the smallest one in a sweep).
        layer: the layer index i of W_i (or r of Sigma_r) being checked.
        entry: 0-based (row, column) of the first differing entry, None for a shape failure.
        point: symbol name -> value (str) at which the two sides differ.
        formula_value, truth_value: the two sides' values there (str).
        kind: "value" (sides differ) or "shape" (the formula does not type-check).
        message: one readable line.
    """

    architecture: Architecture
    layer: int | None
    entry: tuple[int, int] | None
    point: dict = field(default_factory=dict)
    formula_value: str = ""
    truth_value: str = ""
    kind: str = "value"
    message: str = ""

    def __str__(self) -> str:
        return self.message

    def _repr_latex_(self) -> str:
        return f"$\\text{{{latex_text(self.message)}}}$"


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking one formula: the one result type of the package.

    Attributes:
        formula: the formula's label (registry name, claim or LaTeX).
        holds: True (exact identity on every architecture checked, or proved), False (a
            counterexample), None (undecided: non-zero polynomial, no witness found).
        architectures: the architectures on which it was decided.
        counterexample: the (smallest) counterexample when holds is False.
        seconds: wall time of the check.
        method: how it was decided.
        note: extra information (why undecided, why only swept).
        proof: the certificate for every architecture when there is one (a checker ``Proof``, a
            :mod:`~derivations.paper_proofs` induction or obligation, or the proof's own Verdict).
        assumptions: what the verdict assumes, in words.
        scope: where it holds (the proof's scope, or the sweep's bounds).
        checks: (role, LaTeX, CheckResult) behind a proof.
        entry: the registry record checked, when there is one.
        definition: True for a step that is a definition (nothing to check).

    ``status`` is "proved", "holds on the sweep only", "fails", "undecided" (or "definition"),
    the vocabulary of the checker's CheckResult.
    """

    formula: str
    holds: bool | None
    architectures: tuple = ()
    counterexample: Counterexample | None = None
    seconds: float = 0.0
    method: str = "exact polynomial identity"
    note: str = ""
    proof: Any = None
    assumptions: tuple[str, ...] = ()
    scope: str = ""
    checks: tuple = ()
    entry: Any = field(default=None, compare=False)
    definition: bool = False

    @property
    def status(self) -> str:
        """'proved', 'holds on the sweep only', 'fails', 'undecided' or 'definition'."""
        if self.definition:
            return "definition"
        if self.holds:
            return "proved" if self.proof is not None else "holds on the sweep only"
        return {False: "fails", None: "undecided"}[self.holds]

    @property
    def proved(self) -> bool:
        """True when proved for every architecture."""
        return self.status == "proved"

    @property
    def name(self) -> str:
        """Alias of ``formula`` (the former paper_proofs.Finding's name)."""
        return self.formula

    @property
    def why(self) -> str:
        """Alias of ``note`` (why undecided or only swept)."""
        return self.note

    @property
    def check(self) -> Any:
        """Alias of ``entry``: the catalogue record checked (tag, title, corrects)."""
        return self.entry

    def statement(self) -> str:
        """'proved for every architecture (every k, every width): <scope>; method: ...' and the like."""
        if self.status == "proved" and self.scope.startswith("one-dimensional"):
            return f"proved for every k ({self.scope}); method: {self.method}"
        if self.status == "proved":
            return f"proved for every architecture (every k, every width): {self.scope}; method: {self.method}"
        if self.status == "holds on the sweep only":
            return f"holds on the sweep only ({self.scope}; why: {self.note})"
        if self.status == "fails":
            return "fails" + (f": {self.counterexample.message}" if self.counterexample else "")
        return self.status + (f" ({self.note})" if self.note else "")

    def verdict_text(self, label: str = "this architecture") -> str:
        """'proved for every architecture', 'holds exactly on <label>', 'counterexample' or 'undecided'."""
        if self.proved:
            return "proved for every architecture"
        return {True: f"holds exactly on {label}", False: "counterexample", None: "undecided"}[self.holds]

    def jupyter(self, label: str = "this architecture") -> str:
        """One display-math line: tag, title and verdict in ``\\text{}``, then the counterexample's math."""
        tag, title = (self.entry.tag, self.entry.title) if self.entry is not None else ("", self.formula)
        head = f"\\text{{({tag}) {title}: {latex_text(self.verdict_text(label))}}}"
        if self.counterexample is None:
            return head
        return head + " \\\\ " + " \\\\ ".join(counterexample_lines(self.counterexample))

    def to_dict(self) -> dict:
        """A JSON-ready dictionary: status, scope, method, why, counterexample, the obligations."""
        return {"status": self.status, "scope": self.scope, "method": self.method, "why": self.note,
                "counterexample": None if self.counterexample is None else self.counterexample.message,
                "assumptions": list(self.assumptions),
                "obligations": [{"role": role, "latex": latex, "status": r.status,
                                 "scope": r.proof.scope() if r.proof else "",
                                 "method": r.proof.method if r.proof else r.note,
                                 "counterexample": r.counterexample.message if r.counterexample else None}
                                for role, latex, r in self.checks]}

    def __str__(self) -> str:
        text = f"{self.formula}: {self.status}"
        if self.counterexample is not None:
            text += f" — {self.counterexample.message}"
        return text

    def _repr_latex_(self) -> str:
        if getattr(self.entry, "tag", ""):  # a formula of the LaTeX document: its tag, title, counterexample
            return "$$\\begin{array}{l}" + self.jupyter() + "\\end{array}$$"
        return f"$\\text{{{latex_text(str(self))}}}$"


def counterexample_lines(ce: Counterexample, *, per_line: int = 6) -> list[str]:
    """The counterexample as math lines: layer, entry, both values, then the point (``per_line`` per line).

    >>> lines = counterexample_lines(Counterexample(Architecture((1, 1)), 1, (0, 0), {"x_{1}": "2"}, "0", "1"))
    >>> len(lines), lines[-1]
    (2, 'x_{1} = 2')
    """
    if ce.kind == "shape" or ce.entry is None:
        return [f"\\text{{layer {ce.layer}: {latex_text(ce.message)}}}"]
    r, c = ce.entry
    head = (f"\\text{{layer {ce.layer}, entry }}({r + 1},{c + 1})\\text{{: formula}} = {ce.formula_value}"
            f"\\text{{, gradient}} = {ce.truth_value}\\text{{ at}}")
    items = [f"{name} = {value}" for name, value in sorted(ce.point.items())]
    return [head] + [", ".join(items[n:n + per_line]) for n in range(0, len(items), per_line)]


def latex_text(text: str) -> str:
    """Escape plain text for \\text{...}: backslashes, braces, _, ^, $, %, &, #, ~."""
    table = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "_": r"\_", "^": r"\^{}", "$": r"\$",
             "%": r"\%", "&": r"\&", "#": r"\#", "~": r"\~{}"}
    return "".join(table.get(ch, ch) for ch in text)
