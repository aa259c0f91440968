"""Formula files: lecture notes as they are written, or one formula per line.

The layout follows the file's extension (:func:`layout_of`):

* ``.tex`` (``.latex``, ``.ltx``), ``.md`` (``.markdown``) and ``.ipynb`` are read as documents:
  their math is found without markers (rules in :mod:`derivations.checker.notes`; a notebook's
  Markdown cells, each formula with its cell number and its line in the cell).
* any other extension (``.txt``): one formula per non-empty line; lines starting with ``#`` or
  ``%`` are comments.

Markers override the automatic choice: ``% check [order=right, max_depth=4]: label`` before a
formula (Markdown: ``<!-- check: label -->``) makes the file explicit, only marked formulas are
checked; ``% nocheck`` skips the next one. ``% notation: NAME`` (``# notation: NAME`` in a plain
file, ``<!-- notation: NAME -->`` in Markdown; NAME a profile or ``auto``) chooses the profile of
the formulas after it; ``notation=...`` in a marker overrides it for one formula.

A formula that cannot be read (a syntax error, an environment never closed, a bad marker
option) is a result with ``error`` set, at its line; the rest of the file is still checked.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from ..errors import BackpropVerifyError, FileError, FormulaSyntaxError
from ..fileio import read_text
from .detect import DETECTION_ORDER, is_auto
from .notes import FormulaSource, latex_sources, markdown_sources
from .readings import CheckResult, check

__all__ = ["FormulaSource", "LAYOUTS", "layout_of", "extract_formulas", "read_sources", "check_text",
           "check_file", "file_notation", "iter_check_text", "iter_check_sources"]

LAYOUTS = ("tex", "markdown", "notebook", "plain")
_SUFFIXES = {".tex": "tex", ".latex": "tex", ".ltx": "tex", ".md": "markdown", ".markdown": "markdown",
             ".ipynb": "notebook"}
_NOTATION = re.compile(r"^\s*[%#]\s*notation\s*:\s*([A-Za-z0-9_.-]+)\s*$")
_LATEX = re.compile(r"\\documentclass|\\begin\{(?:document|equation|align|gather|multline)|\\\[|\$\$")


def layout_of(path: str | Path) -> str:
    """'tex', 'markdown' or 'notebook' for a document's extension, else 'plain' (one formula a line).

    >>> layout_of("notes.tex"), layout_of("notes.ipynb"), layout_of("formulas.txt")
    ('tex', 'notebook', 'plain')
    """
    return _SUFFIXES.get(Path(path).suffix.lower(), "plain")


def _guess_layout(text: str) -> str:
    if text.lstrip().startswith("{") and '"cells"' in text:
        return "notebook"
    return "tex" if _LATEX.search(text) else "plain"


def _plain_formulas(text: str) -> list[FormulaSource]:
    out, options = [], ()
    for number, line in enumerate(text.split("\n"), start=1):
        chosen = _NOTATION.match(line)
        if chosen:
            options = (("notation", chosen.group(1)),)
        elif line.strip() and not line.lstrip().startswith(("#", "%")):
            out.append(FormulaSource(number, line.strip(), options=options))
    return out


def _notebook_formulas(text: str, name: str) -> list[FormulaSource]:
    """The formulas of a notebook's Markdown cells (JSON read with the json module, never evaluated)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise FileError(f"{name} is not a Jupyter notebook: {err.msg} on line {err.lineno}") from err
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, list):
        raise FileError(f"{name} is not a Jupyter notebook: no list of \"cells\"")
    out, notation = [], None
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        found, notation = markdown_sources(source.replace("\r\n", "\n"), cell=number, notation=notation)
        out.extend(found)
    return out


def extract_formulas(text: str, *, layout: str | None = None, name: str = "the text") -> list[FormulaSource]:
    """The formulas of a file's text, with line numbers (layouts: see the module docstring).

    ``layout`` is one of :data:`LAYOUTS`; None guesses it from the text (a notebook's JSON,
    LaTeX environments or ``\\documentclass``, else one formula per line).

    >>> [f.line for f in extract_formulas("a = b\\n\\n# note\\nc = d")]
    [1, 4]

    Raises:
        FileError: a notebook that is not valid JSON (``name`` names it in the message).
    """
    layout = layout or _guess_layout(text)
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, got layout={layout!r}")
    if layout == "tex":
        return latex_sources(text)
    if layout == "markdown":
        return markdown_sources(text)[0]
    if layout == "notebook":
        return _notebook_formulas(text, name)
    return _plain_formulas(text)


def read_sources(path: str | Path) -> list[FormulaSource]:
    """The formulas of the file at ``path``, in the layout of its extension (:func:`layout_of`).

    Raises:
        FileError: a directory, a missing, unreadable, binary, empty or non-UTF-8 file, or a
            notebook that is not JSON; the one-line message names the file.
    """
    text = read_text(path, what="formula file")
    if not text.strip():
        raise FileError(f"the formula file {str(path)!r} is empty")
    return extract_formulas(text, layout=layout_of(path), name=f"the formula file {str(path)!r}")


def _error_result(src: FormulaSource, err: BackpropVerifyError, notation: str) -> CheckResult:
    if isinstance(err, FormulaSyntaxError):
        line = src.line + err.line - 1
        message = f"{err.label or 'syntax error'} (line {line}, column {err.column})"
        if err.context:
            message += "\n" + err.context
    else:
        message = str(err)
    return CheckResult(src.text, None, notation=str(notation), line=src.line, label=src.label,
                       error=f"{type(err).__name__}: {message}")


def _check_source(src: FormulaSource, options: dict) -> CheckResult:
    chosen = {**options, **dict(src.options)}
    if src.error:
        err = FormulaSyntaxError(src.error, line=1, label=src.error)
        return _error_result(src, err, getattr(chosen.get("notation", "paper"), "name", chosen.get("notation")))
    try:
        res = check(src.text, **chosen)
    except BackpropVerifyError as err:
        notation = chosen.get("notation", "paper")
        return _error_result(src, err, getattr(notation, "name", notation))
    return replace(res, line=src.line, label=src.label)


def iter_check_sources(sources: Iterable[FormulaSource], *, progress: Callable[[], object] | None = None,
                       **options) -> Iterator[CheckResult]:
    """Yield the result of each formula found in a file, in order, each when it is decided.

    The formulas read with ``notation="auto"`` (the option, or ``% notation: auto``) are read in
    one notation when the file shows one (:func:`file_notation`): they are all checked first, then
    yielded. ``progress`` is called once per formula checked.
    """
    sources = list(sources)
    results = _checked(sources, options, progress)
    if not any(_is_auto(src, options) for src in sources):
        yield from results
        return
    first = list(results)
    chosen = file_notation([r for src, r in zip(sources, first, strict=True) if _is_auto(src, options)])
    for src, result in zip(sources, first, strict=True):
        if chosen is None or not _is_auto(src, options) or result.error or \
                (result.notation == chosen[0] and result.status != "ambiguous"):
            yield result
            continue
        again = _check_source(src, {**options, "prefer": chosen[0]})
        yield replace(again, note="; ".join(x for x in (again.note, chosen[1]) if x)) \
            if again.notation == chosen[0] and not again.error else result


def _checked(sources: list[FormulaSource], options: dict, progress: Callable[[], object] | None
             ) -> Iterator[CheckResult]:
    """Each formula's result when it is decided, ``progress`` called after each."""
    for src in sources:
        result = _check_source(src, options)
        if progress is not None:
            progress()
        yield result


def _is_auto(src: FormulaSource, options: dict) -> bool:
    """Whether the formula is read with detection (the option, or its own marker's notation)."""
    return is_auto({**options, **dict(src.options)}.get("notation", "paper"))


def file_notation(results: list[CheckResult]) -> tuple[str, str] | None:
    """The notation of a file whose formulas were each detected alone, and words saying so; None
    when fewer than two formulas, or not more than half of the decided ones, read in one profile.

    A lecture note keeps one notation: a formula that alone reads best in another profile
    (row-major and dlai write the same symbols; only the shapes tell them apart) is read in the
    file's. A formula counts for every profile it reads the same in (:attr:`CheckResult.read_in`);
    ties go to the profile more formulas read in alone, then to auto detection's rank.
    """
    decided = [r.read_in or (r.notation,) for r in results if not r.error and r.status != "ambiguous"]
    if not decided:
        return None
    counts = Counter(name for names in decided for name in names)
    alone = Counter(names[0] for names in decided if len(names) == 1)
    rank = {name: i for i, name in enumerate(DETECTION_ORDER)}
    name = min(counts, key=lambda n: (-counts[n], -alone[n], rank.get(n, len(rank))))
    if counts[name] < 2 or 2 * counts[name] <= len(decided):
        return None
    return name, f"the file's notation is {name}: {counts[name]} of its {len(decided)} formulas read in it"
def iter_check_text(text: str, *, layout: str | None = None, **options) -> Iterator[CheckResult]:
    """Yield the result of each formula of a file's text as soon as it is decided, in file order.

    The formulas are found first (:func:`extract_formulas`); then each is checked when the next
    result is asked for. ``len(extract_formulas(text))`` results are yielded;
    ``list(iter_check_text(...)) == check_text(...)``.

    Raises:
        FileError: ``layout="notebook"`` and the text is not a notebook's JSON.
    """
    return iter_check_sources(extract_formulas(text, layout=layout), **options)


def check_text(text: str, *, layout: str | None = None, **options) -> list[CheckResult]:
    """Check every formula of a file's text; options as for :func:`check`.

    A formula that cannot be read gives a result with ``error`` set (the others are still checked).
    :func:`iter_check_text` gives the same results one by one, as they are decided.
    """
    return list(iter_check_text(text, layout=layout, **options))


def check_file(path: str | Path, **options) -> list[CheckResult]:
    """Check every formula of the file at ``path`` (layout from its extension, see :func:`read_sources`).

    Raises:
        FileError: the file cannot be read, is empty, binary or not UTF-8 (the message names it).
    """
    return list(iter_check_sources(read_sources(path), **options))
