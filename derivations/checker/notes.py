r"""Math in lecture notes as they are written: LaTeX (.tex), Markdown (.md), Jupyter (.ipynb).

Nothing has to be marked. The formulas of a document are

* every display: ``equation``, ``align``, ``gather``, ``multline``, ``flalign``, ``alignat``,
  ``eqnarray`` (starred or not), ``\[ .. \]``, ``$$ .. $$`` and, in Markdown, a ```` ```math ````
  fence; rows split at ``\\`` (``&`` dropped; a row starting with ``=`` continues the previous
  row's left-hand side; a row without ``=`` continues the previous row, as in ``multline``);
* an inline ``$ .. $`` or ``\( .. \)`` only when it is an equation about a gradient or a delta
  (``=`` or ``\leftarrow``, and ``\nabla``, ``\partial``, ``\delta``, ``\Delta``, ``dW``,
  ``dZ``... of some profile).

The preamble (before ``\begin{document}``), prose, headings, comments and code are skipped.
``\label{..}`` names a formula (else ``\tag{..}``). A comment ``% nocheck`` (Markdown:
``<!-- nocheck -->``) skips the next formula. A file with ``% check`` markers is explicit:
only the formulas after a marker are checked (``% check [options]: label``, see files.py).
``% notation: NAME`` (``<!-- notation: NAME -->``) sets the profile of the formulas after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .profiles import NOTATIONS

__all__ = ["FormulaSource", "latex_sources", "markdown_sources", "OPTION_TYPES"]

OPTION_TYPES = {"order": str, "notation": str, "min_depth": int, "max_depth": int, "min_width": int,
                "max_width": int, "output_width": int, "batch": int}


@dataclass(frozen=True)
class FormulaSource:
    """One formula found in a file: its 1-based line, its text, its label.

    ``cell`` is the notebook cell (1-based, counting every cell) or None; ``error`` says why the
    entry cannot be read (it is reported as an error result, the rest of the file still checked).
    """

    line: int
    text: str
    label: str = ""
    options: tuple = ()  # (key, value) pairs from % check [key=value, ...] and % notation: NAME
    cell: int | None = None
    error: str = ""


@dataclass(frozen=True)
class _Mark:
    pos: int
    check: bool  # True: % check, False: % nocheck, None: a notation declaration
    label: str = ""
    options: tuple = ()
    error: str = ""


_ENVS = "equation|align|gather|multline|flalign|alignat|eqnarray"
_OPEN = re.compile(rf"\\begin\{{({_ENVS}|verbatim|lstlisting|minted|comment)(\*?)\}}|\\\[|\$\$|\\\(|(?<!\\)\$")
_CLOSE = {"\\[": re.compile(r"\\\]"), "$$": re.compile(r"\$\$"), "\\(": re.compile(r"\\\)"),
          "$": re.compile(r"(?<=[^\s\\])\$(?!\d)|\n[ \t]*\n|\\begin\{|\\end\{|\\\[|\$\$")}
_COMMENT = re.compile(r"(?<!\\)%.*$", re.M)
_MARK = re.compile(r"^\s*(no)?check\b(?:\s*\[([^\]]*)\])?\s*:?\s*(.*?)\s*$")
_NOTATION = re.compile(r"^\s*notation\s*:\s*([A-Za-z0-9_.-]+)\s*$")
_HTML_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
_FENCE = re.compile(r"^([ \t]*)(`{3,}|~{3,})[ \t]*([\w+-]*)[^\n]*\n(.*?)^\1?[ \t]*\2[ \t]*$", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.S)
_LABEL = re.compile(r"\\label\{([^{}]*)\}")
_TAG = re.compile(r"\\tag\*?\{([^{}]*)\}")
_NOISE = re.compile(r"\\(?:label|tag\*?|intertext|shortintertext)\{[^{}]*\}"
                    r"|\\(?:nonumber|notag|displaystyle)(?![A-Za-z])"
                    r"|\\(?:begin|end)\{(?:split|aligned|gathered|multlined)\}(?:\[[a-z]\])?")
_TRAILER = re.compile(r"(?:(?:\\q?quad|,)\s*\\(?:text|mbox|textrm|mathrm)\{[^{}]*\}.*"
                      r"|(?:\\[,;:! ]|\\q?quad|[.,;\s])+)$", re.S)
_ROW_BREAK = re.compile(r"\\\\(?:\s*\[[^\]]*\])?")
_RELATION = re.compile(r"=|\\leftarrow(?![A-Za-z])|\\gets(?![A-Za-z])")


def _gradient_pattern() -> re.Pattern:
    names = {"nabla", "partial", "delta", "Delta"}
    words = {k for prof in NOTATIONS.values() for k, v in prof.symbols.items()
             if v in ("Delta", "dW", "db", "dA") and not k.startswith("\\")}
    alternatives = [rf"\\{n}(?![A-Za-z])" for n in sorted(names)] + \
        [rf"(?<![A-Za-z\\]){re.escape(w)}(?![A-Za-z])" for w in sorted(words)] + [r"\\frac\{d"]
    return re.compile("|".join(alternatives))


GRADIENT = _gradient_pattern()
"""A gradient or delta symbol of some profile: an inline equation with one is checked."""


def _blank(m: re.Match) -> str:
    return re.sub(r"[^\n]", " ", m.group(0))


def _parse_options(text: str | None) -> tuple[tuple, str]:
    """``order=right, max_depth=4`` -> ((key, value), ...), or an error message."""
    out = []
    for item in filter(None, (p.strip() for p in (text or "").split(","))):
        key, _, value = (x.strip() for x in item.partition("="))
        key = key.replace("-", "_")
        kind = OPTION_TYPES.get(key)
        if kind is None or not value or (kind is int and not value.isdigit()):
            return (), f"bad option {item!r} in a check marker; known: {', '.join(OPTION_TYPES)}"
        out.append((key, kind(value)))
    return tuple(out), ""


def _mark(pos: int, comment: str) -> _Mark | None:
    found = _NOTATION.match(comment)
    if found:
        return _Mark(pos, None, options=(("notation", found.group(1)),))
    found = _MARK.match(comment)
    if not found:
        return None
    options, error = _parse_options(found.group(2))
    return _Mark(pos, not found.group(1), found.group(3), options, error)


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _rows(body: str, start: int, text: str, kind: str) -> list[tuple[int, str, str]]:
    """(position, formula, label) of each row of a display whose body starts at ``start``."""
    out: list[tuple[int, str, str]] = []
    pieces, pos = [], 0
    for brk in _ROW_BREAK.finditer(body):
        pieces.append((pos, body[pos:brk.start()]))
        pos = brk.end()
    pieces.append((pos, body[pos:]))
    for offset, piece in pieces:
        labels = _LABEL.findall(piece) or [f"({t})" for t in _TAG.findall(piece)]
        row = re.sub(r"[ \t]+", " ", _TRAILER.sub("", _NOISE.sub(" ", piece).replace("&", " "))).strip()
        if not row:
            continue
        where = start + offset + len(piece) - len(piece.lstrip())
        if out and (kind.startswith("multline") or not _RELATION.search(row)):
            p, prev, label = out[-1]
            out[-1] = (p, f"{prev} {row}", label or (labels[0] if labels else ""))
        elif out and _RELATION.match(row):
            lhs = _RELATION.split(out[-1][1], maxsplit=1)[0].strip()
            out.append((where, f"{lhs} {row}", labels[0] if labels else ""))
        else:
            out.append((where, row, labels[0] if labels else ""))
    if kind.split("*")[0] in ("equation", "multline", "\\[", "$$", "math"):
        label = next((lab for _, _, lab in out if lab), "")
        out = [(p, r, lab or label) for p, r, lab in out]
    return out


def _items(work: str, start: int, stop: int) -> list[tuple]:
    """(start, end, kind, body start, body end) of each math item of ``work[start:stop]``; a display
    that is never closed has end None."""
    out, pos = [], start
    while True:
        opener = _OPEN.search(work, pos, stop)
        if opener is None:
            return out
        kind = opener.group(0) if not opener.group(1) else opener.group(1) + opener.group(2)
        close = (re.compile(re.escape(f"\\end{{{kind}}}")) if opener.group(1) else _CLOSE[kind]).search(
            work, opener.end(), stop)
        if close is None or (kind == "$" and close.group(0) != "$"):
            if kind != "$":
                out.append((opener.start(), None, kind, opener.end(), opener.end()))
            pos = opener.end()
            continue
        if opener.group(1) in ("verbatim", "lstlisting", "minted", "comment"):
            pos = close.end()
            continue
        out.append((opener.start(), close.end(), kind, opener.end(), close.start()))
        pos = close.end()


def _sources(text: str, work: str, marks: list[_Mark], items: list[tuple], cell: int | None,
             notation: str | None) -> tuple[list[FormulaSource], str | None]:
    """Choose the items to check (markers, then the automatic rules) and split them into rows."""
    explicit = any(m.check for m in marks)
    out, pending, k = [], None, 0
    for start, end, kind, body_start, body_end in sorted(items, key=lambda it: it[0]):
        same_line = work.find("\n", start)
        same_line = len(work) if same_line < 0 else same_line
        while k < len(marks) and (marks[k].pos < start or (end and marks[k].pos < min(end, same_line))):
            if marks[k].check is None:
                notation = dict(marks[k].options)["notation"]
            else:
                pending = marks[k]
            k += 1
        line = _line(text, start)
        if end is None:
            if pending is not None or not explicit:
                out.append(FormulaSource(line, text[start:body_start], cell=cell,
                                         error=f"the math environment {kind} opened on line {line} is never closed"))
            continue
        body = work[body_start:body_end]
        display = kind not in ("$", "\\(")
        if not display and not _RELATION.search(body):
            continue  # inline math that is no equation: never a formula, a marker waits for the next
        chosen = pending.check if pending is not None else (not explicit and (display or bool(GRADIENT.search(body))))
        mark, pending = pending, None
        if not chosen:
            continue
        if mark is not None and mark.error:
            out.append(FormulaSource(line, body.strip(), mark.label, cell=cell, error=mark.error))
            continue
        options = ((("notation", notation),) if notation else ()) + (mark.options if mark else ())
        if kind.startswith("alignat"):
            body = re.sub(r"^\s*\{\d+\}", _blank, body)
        for pos, row, label in _rows(body, body_start, text, kind):
            out.append(FormulaSource(_line(text, pos), row, (mark.label if mark else "") or label, options, cell))
    for m in marks[k:]:
        if m.check is None:
            notation = dict(m.options)["notation"]
    return out, notation


def latex_sources(text: str, *, cell: int | None = None, notation: str | None = None) -> list[FormulaSource]:
    r"""The formulas of a LaTeX document (rules: see the module docstring).

    >>> [(f.line, f.text, f.label) for f in latex_sources("\\documentclass{article}\n"
    ...  "\\begin{document}\nProse, $x$.\n\\begin{equation}\\Delta_i = \\Sigma'_i \\label{d}\n"
    ...  "\\end{equation}\n\\end{document}\n")]
    [(4, "\\Delta_i = \\Sigma'_i", 'd')]
    """
    marks: list[_Mark] = []
    for m in _COMMENT.finditer(text):
        mark = _mark(m.start(), m.group(0).lstrip("%"))
        if mark is not None:
            marks.append(mark)
    work = _COMMENT.sub(_blank, text)
    begin = re.search(r"\\begin\{document\}", work)
    end = re.search(r"\\end\{document\}", work)
    start, stop = (begin.end() if begin else 0), (end.start() if end else len(work))
    return _sources(text, work, marks, _items(work, start, stop), cell, notation)[0]


def markdown_sources(text: str, *, cell: int | None = None, notation: str | None = None
                     ) -> tuple[list[FormulaSource], str | None]:
    """The formulas of a Markdown text, and the notation declared last (for a notebook's next cell).

    >>> [(f.line, f.text) for f in markdown_sources("# Backprop\\n\\n$$\\\\Delta_k = \\\\Sigma'_k$$\\n")[0]]
    [(3, "\\\\Delta_k = \\\\Sigma'_k")]
    """
    marks: list[_Mark] = []
    for m in _HTML_COMMENT.finditer(text):
        mark = _mark(m.start(), m.group(1))
        if mark is not None:
            marks.append(mark)
    work = _HTML_COMMENT.sub(_blank, text)
    fences: list[tuple] = []
    for m in _FENCE.finditer(work):
        if m.group(3).lower() in ("math", "latex"):
            fences.append((m.start(), m.end(), "math", m.start(4), m.end(4)))
    work = _FENCE.sub(_blank, work)
    work = _CODE_SPAN.sub(_blank, work)
    items = _items(work, 0, len(work)) + fences
    for fence in fences:  # the body of a math fence is read from the work copy too
        work = work[:fence[3]] + text[fence[3]:fence[4]] + work[fence[4]:]
    return _sources(text, work, marks, items, cell, notation)
