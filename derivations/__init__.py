"""backprop-verify, symbolic side: network functions, ground truth, the paper's formulas, exact checks."""

from __future__ import annotations

from .activations import ACTIVATIONS, Activation, activation_names, get_activation
from .affine import Embedding, check_affine_equivalence, embed
from .checker import ORDERS, CheckResult, check, get_notation, load_notation, notation_names
from .checker.files import FormulaSource, extract_formulas, iter_check_sources, layout_of, read_sources
from .delta_rule import (
    DELTA_RULE,
    LOSSES,
    DeltaRuleProof,
    apply_delta_rule,
    delta_rule_on,
    prove_delta_rule,
    verify_delta_rule,
)
from .errors import (
    ActivationError,
    ArchitectureError,
    BackpropVerifyError,
    BoundsError,
    DataFileError,
    DivergenceError,
    FileError,
    FormulaSyntaxError,
    NumericError,
    ShapeError,
    TimeLimitError,
    UnknownNameError,
    UnsupportedNotationError,
)
from .exact import Counterexample, Verdict, compare, specialization
from .fileio import check_writable, read_text, write_atomically
from .formulas import (
    Delta,
    eq1,
    eq1_recursion,
    eq2,
    eq3,
    eq3_corrected,
    eq4,
    eq4_grouped,
    eq5,
    grad_b_recursion,
    grad_recursion,
    top_slope,
)
from .ground_truth import LAMBDA, OUTPUT, Objective, cross_entropy, grad_b, grad_N, grad_Sigma, grad_W, mse
from .latex import Derivation, derive, snippet_files
from .lemmas import eq6, eq6_proof_step, eq6_proof_step_corrected, eq7
from .network import FORMS, Architecture, Network, Widths
from .products import bullet, diag_hat, dot, hadamard, kron
from .registry import FORMULAS, Formula, get_formula, verify
from .report import DEFAULT_WIDTHS, Report, paper_report
from .sweep import architectures, sweep

__all__ = [
    # errors
    "BackpropVerifyError", "ArchitectureError", "BoundsError", "ActivationError", "ShapeError",
    "FormulaSyntaxError", "UnsupportedNotationError", "NumericError", "DivergenceError",
    "FileError", "DataFileError", "UnknownNameError", "TimeLimitError",
    # activations, network
    "Activation", "ACTIVATIONS", "get_activation", "activation_names",
    "Architecture", "Network", "Widths", "FORMS",
    # products
    "dot", "hadamard", "bullet", "kron", "diag_hat",
    # ground truth
    "Objective", "OUTPUT", "LAMBDA", "mse", "cross_entropy", "grad_W", "grad_b", "grad_Sigma", "grad_N",
    # formulas
    "eq1", "eq2", "eq1_recursion", "eq3", "eq3_corrected", "Delta", "grad_recursion",
    "grad_b_recursion", "eq4", "eq4_grouped", "eq5", "top_slope",
    "eq6", "eq7", "eq6_proof_step", "eq6_proof_step_corrected",
    # exact check, registry, sweep, report
    "Verdict", "Counterexample", "compare", "specialization",
    "Formula", "FORMULAS", "get_formula", "verify", "architectures", "sweep", "Report", "paper_report",
    "DEFAULT_WIDTHS",
    # the formula checker, its profiles and formula files
    "check", "CheckResult", "ORDERS", "get_notation", "notation_names", "load_notation",
    "FormulaSource", "extract_formulas", "iter_check_sources", "layout_of", "read_sources",
    # the tutorial's delta rule
    "DELTA_RULE", "LOSSES", "DeltaRuleProof", "apply_delta_rule", "delta_rule_on", "prove_delta_rule",
    "verify_delta_rule",
    # files
    "read_text", "write_atomically", "check_writable",
    # affine <-> homogeneous
    "Embedding", "embed", "check_affine_equivalence",
    # LaTeX derivations (derivations.latex)
    "derive", "Derivation", "snippet_files",
]
