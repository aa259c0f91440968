"""Formula files: LaTeX with % check markers, or one formula per line."""

import pytest

from derivations.checker import check_file, check_text, extract_formulas
from derivations.errors import FileError

TEX = r"""\documentclass{article}
\begin{document}
Unchecked: \begin{equation} a = b \end{equation}
% check: recursion
\begin{equation}
  \Delta_i = (W_{i+1}^T \cdot \Delta_{i+1}) \circ \Sigma'_i \label{eq:rec}
\end{equation}
% check
\begin{align*}
  \nabla_{W_i} f &= \Delta_i \cdot \Sigma_{i-1}^T \\
  \nabla_{W_i} f &= \Delta_i \cdot \Sigma_i^T  % a mistake
\end{align*}
% check: broken
\[ \Delta_i = W_i \cdot \]
\end{document}
"""


def test_marked_environments_are_extracted_with_lines_and_labels():
    found = extract_formulas(TEX)
    assert [(f.line, f.label) for f in found] == [(6, "recursion"), (10, ""), (11, ""), (14, "broken")]
    assert "label" not in found[0].text and "%" not in found[2].text


def test_plain_files_have_one_formula_per_line():
    found = extract_formulas("# comment\n\\Delta_i = \\Sigma'_i\n\n% also a comment\nX = X\n")
    assert [(f.line, f.text) for f in found] == [(2, "\\Delta_i = \\Sigma'_i"), (5, "X = X")]


def test_check_text_gives_one_result_per_formula_and_keeps_going_after_errors():
    results = check_text(TEX, max_depth=2, max_width=2)
    assert [r.status for r in results] == ["holds on the sweep only"] * 2 + ["fails", "error"]
    assert [r.status for r in check_text(TEX)][:2] == ["proved", "proved"]
    assert results[3].line == 14 and "line 14" in results[3].error and "^" in results[3].error


def test_check_file_reads_a_path(tmp_path):
    path = tmp_path / "notes.tex"
    path.write_text(TEX, encoding="utf-8")
    assert len(check_file(path, max_depth=1)) == 4


def test_marker_options_apply_to_their_environment():
    text = ("% check [order=right, max-depth=3]: (4)\n\\[ \\nabla_{W_{k-1}} f = \\Sigma_{k-2}^T \\otimes "
            "\\Sigma_{k-1}' \\circ W_k^T \\cdot \\Sigma_k' \\]\n")
    (result,) = check_text(text)
    assert result.holds is True and result.label == "(4)"
    assert max(a.depth for a in result.architectures) == 3


def test_bad_marker_option_is_an_error_result_at_its_line_and_the_rest_is_checked():
    text = "\n% check [colour=red]\n\\[ a = b \\]\n% check\n\\[ \\Delta_k = \\Sigma'_k \\]\n"
    bad, good = check_text(text, max_depth=1)
    assert bad.status == "error" and "bad option 'colour=red'" in bad.error and bad.line == 3
    assert good.holds is True and good.line == 5


def test_a_non_utf8_formula_file_is_one_line_naming_the_file_and_the_byte(tmp_path):
    path = tmp_path / "notes.tex"
    path.write_bytes("% check\n\\[ \\Delta_i = \\Sigma'_i \\] % \xa7 2\n".encode("latin-1"))
    with pytest.raises(FileError) as info:
        check_file(path)
    assert str(info.value) == (f"the formula file '{path}' is not UTF-8: byte 0xa7 on line 2 "
                               "(invalid start byte); save it as UTF-8")
