"""Lecture notes as they are written: .tex, .md and .ipynb read without markers, end to end."""

from __future__ import annotations

import json

import pytest

from derivations.checker.files import check_file, check_text, extract_formulas, layout_of
from derivations.errors import FileError
from numeric.cli import main

NOTES_TEX = r"""\documentclass[11pt]{article}
\usepackage{amsmath, amssymb}
\newcommand{\R}{\mathbb{R}}
\title{Backpropagation, lecture 4}
\begin{document}
\maketitle
\section{The recursion}
The cost is $f(X; W)$ and $\Delta_i$ is the error of layer $i$; printing costs $5 a page.
We use the notation of the paper; see equation~\eqref{eq:rec}.
\begin{equation}
  \Delta_i = (W_{i+1}^T \cdot \Delta_{i+1}) \circ \Sigma'_i \label{eq:rec}
\end{equation}
\subsection{Gradients}
Hence, for every layer,
\begin{align}
  \nabla_{W_i} f &= \Delta_i \cdot \Sigma_{i-1}^T, \label{eq:grad} \\
  \nabla_{W_i} f &= \Delta_i \cdot \Sigma_i^T. \label{eq:wrong}
\end{align}
% a plain comment, and 50% of a sentence
\end{document}
"""

NOTES_MD = r"""# Backpropagation, lecture 4

The cost is $f(X; W)$; `$not math$` is code, and so is the block below.

```python
grad = delta @ x.T  # $\Delta_i = 0$
```

$$
\Delta_i = (W_{i+1}^T \cdot \Delta_{i+1}) \circ \Sigma'_i
$$

```math
\nabla_{W_i} f = \Delta_i \cdot \Sigma_{i-1}^T
```

And a mistake inline: $\nabla_{W_i} f = \Delta_i \cdot \Sigma_i^T$, while $x = 2$ is no gradient.
"""

VERDICTS = [("holds", 11), ("holds", 16), ("fails", 17)]


def _notebook(*cells: tuple[str, str]) -> str:
    return json.dumps({"cells": [{"cell_type": kind, "metadata": {}, "source": src.splitlines(keepends=True)}
                                 for kind, src in cells], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def _verdicts(results) -> list[tuple[str, int]]:
    return [(r.verdict_word, r.line) for r in results]


def test_a_tex_file_without_markers_is_read_as_a_document(tmp_path):
    path = tmp_path / "notes.tex"
    path.write_text(NOTES_TEX, encoding="utf-8")
    results = check_file(path, max_depth=2)
    assert _verdicts(results) == VERDICTS, [r.summary() for r in results]
    assert [r.label for r in results] == ["eq:rec", "eq:grad", "eq:wrong"]
    assert not any(r.error for r in results)
    assert results[1].formula == r"\nabla_{W_i} f = \Delta_i \cdot \Sigma_{i-1}^T"


def test_a_markdown_file_without_markers_is_read_as_a_document(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text(NOTES_MD, encoding="utf-8")
    assert [(r.verdict_word, r.line) for r in check_file(path, max_depth=2)] == [
        ("holds", 10), ("holds", 14), ("fails", 17)]


def test_a_notebook_reports_each_formula_with_its_cell_and_line(tmp_path):
    path = tmp_path / "notes.ipynb"
    path.write_text(_notebook(("markdown", "# Lecture 4\n<!-- notation: paper -->"), ("code", "x = 1  # $a = b$"),
                              ("markdown", NOTES_MD)), encoding="utf-8")
    found = extract_formulas(path.read_text(encoding="utf-8"), layout="notebook")
    assert [(f.cell, f.line) for f in found] == [(3, 10), (3, 14), (3, 17)]
    assert [r.verdict_word for r in check_file(path, max_depth=2)] == ["holds", "holds", "fails"]


@pytest.mark.parametrize("name", ["notes.tex", "notes.md", "notes.ipynb"])
def test_the_cli_names_file_and_line_of_each_result(tmp_path, capsys, name):
    path = tmp_path / name
    text = {"notes.tex": NOTES_TEX, "notes.md": NOTES_MD}.get(name) or _notebook(("markdown", NOTES_MD))
    path.write_text(text, encoding="utf-8")
    assert main(["check", str(path), "--max-depth", "2"]) == 1
    out = capsys.readouterr().out
    assert "error" not in out and "2/3 formulas proved" in out
    where = f"{path}, cell 1, line 17: " if name.endswith("ipynb") else f"{path}:17: "
    assert where in out
    assert main(["check", str(path), "--max-depth", "2", "--json"]) == 1
    entries = json.loads(capsys.readouterr().out)
    assert {e["file"] for e in entries} == {str(path)} and [e["status"] for e in entries][2] == "fails"


def test_nocheck_skips_the_next_display_and_check_markers_make_a_file_explicit():
    auto = "\\[ \\Delta_k = \\Sigma'_k \\]\n% nocheck\n\\[ L = \\frac12 (y - a)^2 \\]\n$\\Delta_i = 0$\n"
    assert [f.line for f in extract_formulas(auto, layout="tex")] == [1, 4]
    explicit = "\\[ a = b \\]\n% check: last\n$\\Delta_k = \\Sigma'_k$\n\\[ c = d \\]\n"
    assert [(f.line, f.label) for f in extract_formulas(explicit, layout="tex")] == [(3, "last")]
    markdown = "$$a = b$$\n<!-- nocheck -->\n$$c = d$$\n"
    assert [f.text for f in extract_formulas(markdown, layout="markdown")] == ["a = b"]


@pytest.mark.parametrize(("inline", "found"), [
    (r"$\Delta_i = \Sigma'_i$", True), (r"$dW^{[l]} = dZ^{[l]} A^{[l-1]T}$", True),
    (r"$\frac{\partial C}{\partial w} = a \delta$", True), (r"$W \leftarrow W - \eta \nabla_W f$", True),
    (r"$x = 2$", False), (r"$\Delta_i$", False), (r"$f(X; W)$", False), ("costs $5 and $6", False),
])
def test_inline_math_is_a_formula_only_when_it_is_an_equation_about_a_gradient(inline, found):
    assert bool(extract_formulas(f"Text {inline} text.\n", layout="tex")) is found, inline


def test_align_rows_continuations_labels_and_tags():
    text = r"""\begin{align*}
  \nabla_{W_i} f &= \Delta_i \cdot \Sigma_{i-1}^T \\
    &= \Delta_i \Sigma_{i-1}^T \tag{4} \\[2pt]
  \Delta_i &= \Sigma'_i \circ {} \nonumber \\
    & \quad (W_{i+1}^T \Delta_{i+1}) \label{rec}
\end{align*}"""
    found = extract_formulas(text, layout="tex")
    assert [(f.line, f.text, f.label) for f in found] == [
        (2, r"\nabla_{W_i} f = \Delta_i \cdot \Sigma_{i-1}^T", ""),
        (3, r"\nabla_{W_i} f = \Delta_i \Sigma_{i-1}^T", "(4)"),
        (4, r"\Delta_i = \Sigma'_i \circ {} \quad (W_{i+1}^T \Delta_{i+1})", "rec")]


def test_a_file_notation_is_declared_once_for_the_formulas_after_it(tmp_path):
    path = tmp_path / "nielsen.tex"
    path.write_text("% notation: nielsen\n\\documentclass{article}\n\\begin{document}\n"
                    "\\[ \\delta^L = \\nabla_a C \\odot \\sigma'(z^L) \\]\n\\end{document}\n", encoding="utf-8")
    (result,) = check_file(path, max_depth=2)
    assert result.notation == "nielsen" and result.line == 4


def test_an_unreadable_formula_is_reported_at_its_line_and_the_rest_is_checked():
    text = "\\[ \\Delta_i = W_i \\cdot \\]\n\\begin{equation}\n\\Delta_k = \\Sigma'_k\n\\end{equation}\n" \
           "\\begin{equation} \\Delta_k = \n"
    bad, good, unclosed = check_text(text, layout="tex", max_depth=1)
    assert bad.status == "error" and bad.line == 1 and "line 1" in bad.error
    assert good.holds is True and good.line == 3
    assert unclosed.status == "error" and unclosed.line == 5 and "never closed" in unclosed.error


def test_layouts_follow_the_extension():
    assert [layout_of(n) for n in ("a.tex", "a.MD", "a.ipynb", "a.txt", "a")] == [
        "tex", "markdown", "notebook", "plain", "plain"]


@pytest.mark.parametrize(("name", "content", "fragment"), [
    ("empty.tex", b"", "is empty"),
    ("blank.md", b"  \n\n", "is empty"),
    ("figure.tex", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is a binary file"),
    ("utf16.tex", "\\[ a = b \\]".encode("utf-16"), "is UTF-16, not UTF-8"),
    ("latin1.md", "$$\\Delta_i = 0$$ \xa7".encode("latin-1"), "is not UTF-8: byte 0xa7"),
    ("broken.ipynb", b'{"cells": [', "is not a Jupyter notebook"),
    ("list.ipynb", b"[1, 2]", "is not a Jupyter notebook"),
])
def test_bad_files_are_one_line_errors_naming_the_file(tmp_path, capsys, name, content, fragment):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FileError, match=fragment) as info:
        check_file(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and str(path) in err and "Traceback" not in err


def test_directories_and_missing_notes_are_errors_not_formulas(tmp_path, capsys):
    assert main(["check", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err
    with pytest.raises(FileError, match="is a directory"):
        check_file(tmp_path)
    assert main(["check", str(tmp_path / "missing.tex")]) == 2
    assert "no such file" in capsys.readouterr().err
