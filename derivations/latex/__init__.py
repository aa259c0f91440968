"""LaTeX derivations of backpropagation for lecture notes (issue 4).

For one architecture, :class:`Derivation` writes the network function and
N_i, Sigma_i, Sigma'_i in the paper's notation, every layer's gradient by (3),
(4), (5) and the recursion (general formula with i, k as numbers, then the
explicit matrix), one entry in index notation (sum over the branches of the
computation graph), the paper's typo in (3) next to its correction, and each
formula's exact verdict with its time. Output: a pdflatex-ready document,
one-equation snippets, and ``_repr_latex_`` for Jupyter.

>>> d = derive([2, 2, 1], verify=False)
>>> sorted(d.snippets())[:2]
['Delta_1', 'Delta_1_entries']
"""

from __future__ import annotations

from .blocks import Equation, Raw, Section, Text, label, ref
from .pdf import CompileResult, LatexToolError, compile_pdf, have_tool, overfull_boxes, pdf_text, render_png
from .render import MAX_BRANCHES, MAX_WRITTEN_ENTRIES, PREAMBLE, SNIPPET_PACKAGES, Derivation, derive
from .snippets import index_header, snippet_files, write_snippets
from .verdicts import CHECKS, FormulaCheck, FormulaVerdict, verify_all

__all__ = [
    # render
    "Derivation", "derive", "MAX_WRITTEN_ENTRIES", "MAX_BRANCHES", "PREAMBLE", "SNIPPET_PACKAGES",
    # blocks
    "Section", "Text", "Equation", "Raw", "label", "ref",
    # snippets
    "write_snippets", "snippet_files", "index_header",
    # verdicts
    "FormulaCheck", "FormulaVerdict", "CHECKS", "verify_all",
    # pdf
    "LatexToolError", "CompileResult", "have_tool", "compile_pdf", "overfull_boxes", "pdf_text", "render_png",
]
