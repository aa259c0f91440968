"""The pieces a derivation is made of, each rendered for a .tex document or for Jupyter.

A derivation is a list of blocks: :class:`Section`, :class:`Text`,
:class:`Equation` (one display environment; the unit of a snippet) and
:class:`Raw` (e.g. the verdict table). Multi-line equations use ``align*``
(pages may break between lines: the preamble sets ``\\allowdisplaybreaks``);
one line uses ``equation*``. Tags are explicit (``\\tag{3}``), so the paper's
numbers appear in the PDF as "(3)".
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Section", "Text", "Equation", "Raw", "Block"]


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


@dataclass(frozen=True)
class Equation:
    """One displayed equation (possibly several aligned lines) with an optional tag.

    Attributes:
        name: a file-name-safe id, used for snippets (e.g. ``grad_W1_eq3``).
        lines: align-style lines (``lhs &= ...``, ``&\\quad ...``).
        tag: the printed label without parentheses ("3", "3'", "R"), or None.
    """

    name: str
    lines: tuple[str, ...]
    tag: str | None = None

    def _tag(self) -> str:
        return f" \\tag{{{self.tag}}}" if self.tag else ""

    def tex(self) -> str:
        """One ``equation*`` or ``align*`` environment."""
        if len(self.lines) == 1:
            line = _drop_alignment(self.lines[0])
            return f"\\begin{{equation*}}\n  {line}{self._tag()}\n\\end{{equation*}}"
        body = [self.lines[0] + self._tag()] + list(self.lines[1:])
        return "\\begin{align*}\n  " + " \\\\\n  ".join(body) + "\n\\end{align*}"

    def jupyter(self) -> str:
        """``$$\\begin{aligned}...\\end{aligned}$$`` with the tag as text (MathJax-safe)."""
        label = f" \\qquad \\text{{({self.tag})}}" if self.tag else ""
        if len(self.lines) == 1:
            return f"$${_drop_alignment(self.lines[0])}{label}$$"
        return "$$\\begin{aligned}" + " \\\\ ".join(self.lines) + f"\\end{{aligned}}{label}$$"


Block = Section | Text | Equation | Raw
