"""Formula files: several formulas, each with its line number.

Two layouts are read:

* **LaTeX** (the text contains ``% check``): each math environment (``equation``,
  ``align``, ``gather``, ``multline``, starred or not, ``\\[ .. \\]``, ``$$ .. $$``) that
  follows a comment ``% check`` or ``% check: label`` (on the line before, or on the
  ``\\begin`` line) is checked; rows separated by ``\\\\`` are separate formulas;
  ``\\label``, ``\\tag``, ``\\nonumber``, ``\\notag``, ``&`` and comments are ignored;
  ``% check [order=right, max_depth=4]: label`` sets options for that environment.
* **plain**: one formula per non-empty line; lines starting with ``#`` or ``%`` are comments.

In both layouts a line ``% notation: NAME`` (or ``# notation: NAME``; NAME a profile or
``auto``) chooses the notation profile of the formulas after it; ``notation=...`` in a
``% check [...]`` marker overrides it for one environment.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import BackpropVerifyError, FormulaSyntaxError
from ..fileio import read_text
from .readings import CheckResult, check

__all__ = ["FormulaSource", "extract_formulas", "check_text", "check_file", "iter_check_text"]

_MARK = re.compile(r"(?<!\\)%\s*check\b(?:\s*\[([^\]]*)\])?\s*:?\s*(.*)$", re.M)
_OPTION_TYPES = {"order": str, "notation": str, "min_depth": int, "max_depth": int, "min_width": int,
                 "max_width": int, "output_width": int, "batch": int}
_BEGIN = re.compile(r"\\begin\{(equation|align|gather|multline)(\*?)\}|\\\[|\$\$")
_NOTATION = re.compile(r"^\s*[%#]\s*notation\s*:\s*([A-Za-z0-9_.-]+)\s*$", re.M)
_NOISE = re.compile(r"\\(label|tag)\{[^{}]*\}|\\(nonumber|notag)(?![A-Za-z])|(?<!\\)%.*$", re.M)


@dataclass(frozen=True)
class FormulaSource:
    """One formula found in a file: its 1-based line, its text, its label."""

    line: int
    text: str
    label: str = ""
    options: tuple = ()  # (key, value) pairs from % check [key=value, ...]


def _end_pattern(begin: re.Match) -> str:
    if begin.group(1):
        return re.escape(f"\\end{{{begin.group(1)}{begin.group(2)}}}")
    return r"\\\]" if begin.group(0) == "\\[" else r"\$\$"


def _blank(m: re.Match) -> str:
    return " " * len(m.group(0))


def _options(text: str | None, line: int) -> tuple:
    """Parse ``order=right, max_depth=4`` from a marker."""
    out = []
    for item in filter(None, (p.strip() for p in (text or "").split(","))):
        key, _, value = (x.strip() for x in item.partition("="))
        kind = _OPTION_TYPES.get(key.replace("-", "_"))
        if kind is None or not value or (kind is int and not value.isdigit()):
            raise FormulaSyntaxError(f"bad option {item!r} in % check [...]; known: {', '.join(_OPTION_TYPES)}",
                                     line=line, label="bad check option")
        out.append((key.replace("-", "_"), kind(value)))
    return tuple(out)


def _split_rows(body: str, first_line: int, label: str, options: tuple = ()) -> list[FormulaSource]:
    out, line = [], first_line
    for part in re.split(r"(\\\\)", _NOISE.sub(_blank, body)):
        if part == "\\\\":
            continue
        stripped = part.strip()
        if stripped:
            lead = part[: len(part) - len(part.lstrip())]
            out.append(FormulaSource(line + lead.count("\n"), stripped, label, options))
        line += part.count("\n")
    return out


def _latex_formulas(text: str) -> list[FormulaSource]:
    lines = text.split("\n")
    offsets = [0]
    for ln in lines:
        offsets.append(offsets[-1] + len(ln) + 1)
    found: list[FormulaSource] = []
    pos = 0
    for number, ln in enumerate(lines):
        mark = _MARK.search(ln)
        if not mark or offsets[number] < pos:
            continue
        begin = _BEGIN.search(text, offsets[number])
        if begin is None:
            break
        end = re.compile(_end_pattern(begin)).search(text, begin.end())
        if end is None:
            raise FormulaSyntaxError("math environment is never closed",
                                     line=text.count("\n", 0, begin.start()) + 1, column=1,
                                     label="unclosed environment")
        body = text[begin.end():end.start()]
        found.extend(_split_rows(body, text.count("\n", 0, begin.end()) + 1, mark.group(2).strip(),
                                 _options(mark.group(1), number + 1)))
        pos = end.end()
    return found


def extract_formulas(text: str) -> list[FormulaSource]:
    """The formulas of a file's text, with line numbers (layouts: see the module docstring).

    >>> [f.line for f in extract_formulas("a = b\\n\\n# note\\nc = d")]
    [1, 4]
    """
    if _MARK.search(text) and ("\\begin" in text or "\\[" in text or "$$" in text):
        return _latex_formulas(text)
    return [FormulaSource(n, ln.strip()) for n, ln in enumerate(text.split("\n"), start=1)
            if ln.strip() and not ln.lstrip().startswith(("#", "%"))]


def _error_result(src: FormulaSource, err: BackpropVerifyError, notation: str) -> CheckResult:
    if isinstance(err, FormulaSyntaxError):
        line = src.line + err.line - 1
        message = f"{err.label or 'syntax error'} (line {line}, column {err.column})"
        if err.context:
            message += "\n" + err.context
    else:
        message = str(err)
    return CheckResult(src.text, str(notation), None, line=src.line, label=src.label,
                       error=f"{type(err).__name__}: {message}")


def iter_check_text(text: str, **options) -> Iterator[CheckResult]:
    """Yield the result of each formula of a file's text as soon as it is decided, in file order.

    The formulas are found first (a file that cannot be split into formulas raises before any
    check); then each is checked when the next result is asked for. ``len(extract_formulas(text))``
    results are yielded; ``list(iter_check_text(...)) == check_text(...)``.

    Raises:
        FormulaSyntaxError: a math environment is never closed, or a bad ``% check [...]`` option.
    """
    chosen = [(text.count("\n", 0, m.start()) + 1, m.group(1)) for m in _NOTATION.finditer(text)]
    return (_check_source(src, chosen, options) for src in extract_formulas(text))


def _check_source(src: FormulaSource, chosen: list[tuple[int, str]], options: dict) -> CheckResult:
    named = [name for line, name in chosen if line <= src.line]
    local = {"notation": named[-1]} if named else {}
    try:
        res = check(src.text, **{**options, **local, **dict(src.options)})
    except BackpropVerifyError as err:
        notation = {**options, **local}.get("notation", "paper")
        return _error_result(src, err, getattr(notation, "name", notation))
    return CheckResult(**{**res.__dict__, "line": src.line, "label": src.label})


def check_text(text: str, **options) -> list[CheckResult]:
    """Check every formula of a file's text; options as for :func:`check`.

    A formula that cannot be read gives a result with ``error`` set (the others are still checked).
    :func:`iter_check_text` gives the same results one by one, as they are decided.
    """
    return list(iter_check_text(text, **options))


def check_file(path: str | Path, **options) -> list[CheckResult]:
    """Check every formula of the file at ``path`` (see :func:`check_text`).

    Raises:
        FileError: the file cannot be read or is not UTF-8 (the message names it and the bad byte).
    """
    return check_text(read_text(path, what="formula file"), **options)
