"""backprop-verify, symbolic side: network functions, ground truth, the paper's formulas, exact checks.

The names below are imported on first use (PEP 562, as in :mod:`numeric`): ``from derivations
import check`` loads the checker and what it needs, not the LaTeX writer, the registry, the report
or the delta rule, so one formula checked from the shell starts faster. The errors are imported at
once (small, and every caller needs them).
"""

from __future__ import annotations

import typing as _typing

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
from .lazy import lazy_exports

_EXPORTS = {
    "activations": ("ACTIVATIONS", "Activation", "activation_names", "get_activation"),
    "affine": ("Embedding", "check_affine_equivalence", "embed"),
    "checker": ("ORDERS", "CheckResult", "check", "get_notation", "load_notation", "notation_names"),
    "checker.files": ("FormulaSource", "extract_formulas", "iter_check_sources", "layout_of", "read_sources"),
    "checker.profile_docs": ("profile_section",),
    "delta_rule": ("DELTA_RULE", "LOSSES", "DeltaRuleProof", "apply_delta_rule", "delta_rule_on",
                   "prove_delta_rule", "verify_delta_rule"),
    "exact": ("compare", "specialization"),
    "fileio": ("check_writable", "read_text", "write_atomically"),
    "formulas": ("Delta", "eq1", "eq1_recursion", "eq2", "eq3", "eq3_corrected", "eq4", "eq4_grouped", "eq5",
                 "grad_b_recursion", "grad_recursion", "top_slope"),
    "ground_truth": ("LAMBDA", "OUTPUT", "Objective", "cross_entropy", "grad_b", "grad_N", "grad_Sigma",
                     "grad_W", "mse"),
    "latex": ("Derivation", "derive", "snippet_files"),
    "lemmas": ("eq6", "eq6_proof_step", "eq6_proof_step_corrected", "eq7"),
    "limits": ("time_limit",),
    "network": ("FORMS", "Architecture", "Network", "Widths"),
    "output_delta": ("OUTPUT_DELTAS", "OutputDelta", "OutputDeltaProof", "prove_output_delta"),
    "products": ("bullet", "diag_hat", "dot", "hadamard", "kron"),
    "registry": ("FORMULAS", "Formula", "get_formula", "verify"),
    "report": ("DEFAULT_WIDTHS", "Report", "paper_report"),
    "space": ("ArchitectureSpace",),
    "sweep": ("sweep",),
    "verdict": ("Counterexample", "Verdict"),
}

__all__ = [
    # errors
    "BackpropVerifyError", "ArchitectureError", "BoundsError", "ActivationError", "ShapeError",
    "FormulaSyntaxError", "UnsupportedNotationError", "NumericError", "DivergenceError",
    "FileError", "DataFileError", "UnknownNameError", "TimeLimitError",
    # packaging: names imported on first use (numeric uses it too)
    "lazy_exports",
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
    "Formula", "FORMULAS", "get_formula", "verify", "ArchitectureSpace", "sweep", "Report", "paper_report",
    "DEFAULT_WIDTHS",
    # the formula checker, its profiles and formula files
    "check", "CheckResult", "ORDERS", "get_notation", "notation_names", "load_notation", "profile_section",
    "FormulaSource", "extract_formulas", "iter_check_sources", "layout_of", "read_sources",
    # the tutorial's delta rule
    "DELTA_RULE", "LOSSES", "DeltaRuleProof", "apply_delta_rule", "delta_rule_on", "prove_delta_rule",
    "verify_delta_rule",
    # the output deltas of the trainer's output/loss pairs, proved for every n_k and m
    "OUTPUT_DELTAS", "OutputDelta", "OutputDeltaProof", "prove_output_delta",
    # files, time limits
    "read_text", "write_atomically", "check_writable", "time_limit",
    # affine <-> homogeneous
    "Embedding", "embed", "check_affine_equivalence",
    # LaTeX derivations (derivations.latex)
    "derive", "Derivation", "snippet_files",
]

if _typing.TYPE_CHECKING:  # what a type checker sees; at run time __getattr__ imports on first use
    from .activations import ACTIVATIONS, Activation, activation_names, get_activation  # noqa: F401
    from .affine import Embedding, check_affine_equivalence, embed  # noqa: F401
    from .checker import ORDERS, CheckResult, check, get_notation, load_notation, notation_names  # noqa: F401
    from .checker.files import (  # noqa: F401
        FormulaSource,
        extract_formulas,
        iter_check_sources,
        layout_of,
        read_sources,
    )
    from .checker.profile_docs import profile_section  # noqa: F401
    from .delta_rule import (  # noqa: F401
        DELTA_RULE,
        LOSSES,
        DeltaRuleProof,
        apply_delta_rule,
        delta_rule_on,
        prove_delta_rule,
        verify_delta_rule,
    )
    from .exact import compare, specialization  # noqa: F401
    from .fileio import check_writable, read_text, write_atomically  # noqa: F401
    from .formulas import (  # noqa: F401
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
    from .ground_truth import (  # noqa: F401
        LAMBDA,
        OUTPUT,
        Objective,
        cross_entropy,
        grad_b,
        grad_N,
        grad_Sigma,
        grad_W,
        mse,
    )
    from .latex import Derivation, derive, snippet_files  # noqa: F401
    from .lemmas import eq6, eq6_proof_step, eq6_proof_step_corrected, eq7  # noqa: F401
    from .limits import time_limit  # noqa: F401
    from .network import FORMS, Architecture, Network, Widths  # noqa: F401
    from .output_delta import OUTPUT_DELTAS, OutputDelta, OutputDeltaProof, prove_output_delta  # noqa: F401
    from .products import bullet, diag_hat, dot, hadamard, kron  # noqa: F401
    from .registry import FORMULAS, Formula, get_formula, verify  # noqa: F401
    from .report import DEFAULT_WIDTHS, Report, paper_report  # noqa: F401
    from .space import ArchitectureSpace  # noqa: F401
    from .sweep import sweep  # noqa: F401
    from .verdict import Counterexample, Verdict  # noqa: F401


lazy_exports(__name__, _EXPORTS)
