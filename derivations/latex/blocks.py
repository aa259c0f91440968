"""The pieces a derivation is made of, each rendered for a .tex document or for Jupyter.

A derivation is a list of blocks: :class:`Section`, :class:`Text`,
:class:`Equation` (one display environment; the unit of a snippet) and
:class:`Raw` (e.g. the verdict table). Every equation is numbered and carries
``\\label{bpv:<name>}``: one line uses ``equation``, several use ``align`` with
``\\notag`` on every line but the first. The paper's formulas keep their
numbers as explicit tags (``\\tag{3}`` prints "(3)"). A long ``align`` may break
across pages between entries (``\\displaybreak[1]``), so a snippet fits a bare
article too. Needs ``amsmath`` only.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Section", "Text", "Equation", "Raw", "Block", "label", "ref", "BREAK_AFTER_LINES"]


@dataclass(frozen=True)
class Section:
    """A heading; level 1 is \\section, 2 is \\subsection."""

    title: str
    level: int = 1

    def tex(self) -> str:
        return f"\\{'sub' * (self.level - 1)}section*{{{self.title}}}"

    def jupyter(self) -> str:
        return f"$$\\textbf{{{self.title}}}$$"


@dataclass(frozen=True)
class Text:
    """A paragraph of LaTeX text (inline math allowed)."""

    tex_text: str

    def tex(self) -> str:
        return self.tex_text

    def jupyter(self) -> str:
        return ""


@dataclass(frozen=True)
class Raw:
    """Verbatim LaTeX for the document (a table), with an optional Jupyter form."""

    tex_text: str
    jupyter_text: str = ""

    def tex(self) -> str:
        return self.tex_text

    def jupyter(self) -> str:
        return self.jupyter_text


def _drop_alignment(line: str) -> str:
    """The line without its first '&' (the alignment point added by ``pack``)."""
    return line.replace("&", "", 1)


#: An align with more lines than this may break across pages between entries.
BREAK_AFTER_LINES = 12


def label(name: str) -> str:
    """The ``\\label`` key of the equation ``name``; use it with ``\\eqref``.

    >>> label("grad_W1_eq3")
    'bpv:grad_W1_eq3'
    """
    return f"bpv:{name}"


def ref(name: str) -> str:
    """``\\eqref{bpv:<name>}``: the equation's number in parentheses, e.g. "(E3)" or "(3')"."""
    return f"\\eqref{{{label(name)}}}"


@dataclass(frozen=True)
class Equation:
    """One displayed, numbered equation (possibly several aligned lines) with an optional paper tag.

    Attributes:
        name: a file-name-safe id, used for snippets and the label (e.g. ``grad_W1_eq3``).
        lines: align-style lines (``lhs &= ...``, ``&\\quad ...``).
        tag: the printed label without parentheses ("3", "3'", "R"), or None (numbered by LaTeX).
        note: a remark set under the equation in ``\\text{}`` (e.g. "misprint in the paper").
    """

    name: str
    lines: tuple[str, ...]
    tag: str | None = None
    note: str | None = None

    def _marks(self) -> str:
        tag = f" \\tag{{{self.tag}}}" if self.tag else ""
        return f"{tag} \\label{{{label(self.name)}}}"

    def _all_lines(self) -> list[str]:
        lines = list(self.lines)
        if self.note:
            lines.append(f"&\\quad \\text{{{self.note}}}")
        return lines

    def tex(self) -> str:
        """One ``equation`` or ``align`` environment, labelled ``bpv:<name>``."""
        lines = self._all_lines()
        if len(lines) == 1:
            line = _drop_alignment(lines[0])
            return f"\\begin{{equation}}\n  {line}{self._marks()}\n\\end{{equation}}"
        breakable = len(lines) > BREAK_AFTER_LINES
        body = [lines[0] + self._marks()]
        for line in lines[1:]:
            gap = " \\displaybreak[1]" if breakable and not line.startswith("&") else ""
            body[-1] += gap
            body.append(line + " \\notag")
        return "\\begin{align}\n  " + " \\\\\n  ".join(body) + "\n\\end{align}"

    def jupyter(self) -> str:
        """``$$\\begin{aligned}...\\end{aligned}$$`` with the tag as text (MathJax-safe, no labels)."""
        label_text = f" \\qquad \\text{{({self.tag})}}" if self.tag else ""
        lines = self._all_lines()
        if len(lines) == 1:
            return f"$${_drop_alignment(lines[0])}{label_text}$$"
        return "$$\\begin{aligned}" + " \\\\ ".join(lines) + f"\\end{{aligned}}{label_text}$$"


Block = Section | Text | Equation | Raw
