"""LaTeX derivations of backpropagation for lecture notes (issues 4 and 13).

For one architecture, :class:`Derivation` writes the network function and
N_i, Sigma_i, Sigma'_i in the paper's notation, the one-dimensional (1), (2), every
layer's gradient by (3), (4), (5) and the recursion (general formula with i, k as
numbers, then the explicit matrix), one entry in index notation (sum over the branches
of the computation graph), the lemmas (6), (7) with their printed proofs step by step
(:mod:`.lemma_sections`), one section per objective in single-sample and batch form
(:mod:`.profile_sections`), the paper's misprints next to their corrections, and each
formula's exact verdict. With ``notation=`` a lecturer's profile (nielsen, dlai, ...,
or a TOML one) the document is written in that profile's symbols, layer numbering and
layout instead, each formula checked by the checker in that profile (:mod:`.lecture`).
Output: a pdflatex-ready article, a Beamer deck (:mod:`.beamer`), one-equation
snippets (labels ``<label_prefix>:<name>``), and ``_repr_latex_`` for Jupyter.

>>> d = derive([2, 2, 1], verify=False)
>>> sorted(d.snippets())[:2]
['Delta_1', 'Delta_1_entries']
"""

from __future__ import annotations

from .blocks import Equation, Raw, Section, Text, label, ref
from .lecture import Claim
from .pdf import CompileResult, LatexToolError, compile_pdf, have_tool, overfull_boxes, pdf_text, render_png
from .render import MAX_BRANCHES, MAX_WRITTEN_ENTRIES, PREAMBLE, SNIPPET_PACKAGES, Derivation, derive
from .snippets import index_header, snippet_files, write_snippets
from .verdicts import CHECKS, verify_all

__all__ = [
    # render
    "Derivation", "derive", "MAX_WRITTEN_ENTRIES", "MAX_BRANCHES", "PREAMBLE", "SNIPPET_PACKAGES",
    # lecture (a notation profile's formulas)
    "Claim",
    # blocks
    "Section", "Text", "Equation", "Raw", "label", "ref",
    # snippets
    "write_snippets", "snippet_files", "index_header",
    # verdicts
    "CHECKS", "verify_all",
    # pdf
    "LatexToolError", "CompileResult", "have_tool", "compile_pdf", "overfull_boxes", "pdf_text", "render_png",
]
