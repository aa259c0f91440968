"""Check a formula from lecture notes: LaTeX -> exact verdict on every architecture up to a bound.

Pipeline: ``readings`` (equations of a line, ``\\leftarrow``, profile detection, ambiguous
readings) -> ``parse`` (Lark grammar in ``grammar.lark``, positioned errors) -> ``transform``
(parse tree -> the AST of ``nodes``; ``scripts`` reads indices, ``chains`` groups products by
reading order) -> ``notation`` / ``profiles`` (what the symbols mean: paper, tutorial, nielsen,
dlai, ufldl, coursera, cs229, cs231n, d2l, rowmajor; ``toml_profile`` for a user's) ->
``evaluate`` (SymEngine matrices on one network; ``indexforms`` for entries) -> ``check`` (sweep,
compare with the ground truth; ``display`` names counterexamples in the profile's symbols).
``files`` reads formula files, ``render`` prints an AST back as LaTeX (in any profile:
``translate``), ``profile_docs`` writes the symbol tables of docs/notations.md.
"""

from __future__ import annotations

from .bounds import MAX_ARCHITECTURES, CheckBounds
from .files import FormulaSource, check_file, check_text, extract_formulas
from .formula import parse_formula, translate
from .nodes import Formula
from .notation import Notation
from .profiles import NOTATIONS, PAPER, TUTORIAL, get_notation, notation_names
from .readings import check, detect_notation, split_equations
from .result import CheckResult
from .toml_profile import load_notation
from .transform import ORDERS

__all__ = [
    # check
    "check", "CheckResult", "CheckBounds", "MAX_ARCHITECTURES",
    # formula
    "parse_formula", "translate",
    # files
    "check_file", "check_text", "extract_formulas", "FormulaSource",
    # notation
    "Notation", "NOTATIONS", "PAPER", "TUTORIAL", "get_notation", "notation_names",
    "load_notation",
    # readings
    "detect_notation", "split_equations",
    # transform
    "Formula", "ORDERS",
]
