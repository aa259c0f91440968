"""Check a formula from lecture notes: LaTeX -> exact verdict on every architecture up to a bound.

Pipeline: ``parse`` (Lark grammar in ``grammar.lark``, positioned errors) -> ``transform``
(parse tree -> the AST of ``nodes``; ``chains`` groups products by reading order) ->
``notation`` (what the symbols mean) -> ``evaluate`` (SymPy matrices on one network) ->
``check`` (sweep, compare with the ground truth). ``files`` reads formula files, ``render``
prints an AST back as LaTeX.
"""

from __future__ import annotations

from .check import MAX_ARCHITECTURES, CheckResult, architectures_up_to, check, parse_formula
from .files import FormulaSource, check_file, check_text, extract_formulas
from .nodes import Formula
from .notation import NOTATIONS, PAPER, TUTORIAL, Notation, get_notation, notation_names
from .transform import ORDERS

__all__ = [
    # check
    "check", "CheckResult", "parse_formula", "architectures_up_to", "MAX_ARCHITECTURES",
    # files
    "check_file", "check_text", "extract_formulas", "FormulaSource",
    # notation
    "Notation", "NOTATIONS", "PAPER", "TUTORIAL", "get_notation", "notation_names",
    # transform
    "Formula", "ORDERS",
]
