"""Proofs for every architecture: formulas wrong only past the old sweep fail, right ones are proved.

The old default (depths 1-4, widths 1-3, n_k = 1, the profile's m) let each mutant below through
as "holds exactly"; each must now come back "fails" with a counterexample, and each correct
formula "proved" with its scope and assumptions printed (docs/proofs.md).
"""

from __future__ import annotations

import itertools
import json

import pytest

from derivations.checker import check
from derivations.checker.prove import MAX_POINTS
from numeric.cli import main

from .corpus import CORPUS
from .profile_corpus import PROFILE_CORPUS

RECURSION = r"\Delta_i = (W_{i+1}^T \Delta_{i+1}) \circ \Sigma'_i"


def _gram_determinant(vectors: list[str]) -> str:
    """det [u_a^T u_b] written out (24 terms): identically 0 when the u_a have at most 3 entries."""
    terms = []
    for perm in itertools.permutations(range(4)):
        inversions = sum(perm[a] > perm[b] for a in range(4) for b in range(a + 1, 4))
        product = " ".join(f"({vectors[a]}^T {vectors[perm[a]]})" for a in range(4))
        terms.append(("- " if inversions % 2 else "+ ") + product)
    return " ".join(terms).removeprefix("+ ")


GRAM = _gram_determinant([r"\Sigma_i", r"\Sigma'_i", r"(\Sigma_i \circ \Sigma'_i)", r"(\Sigma_i \circ \Sigma_i)"])

PAST_THE_SWEEP = [
    # (id, notation, formula, what must show in the counterexample)
    ("half-for-1/m-tutorial", "tutorial", r"dW^{(l)} = \frac{1}{2} \delta^{(l)} (a^{(l-1)})^T", "m = 1"),
    ("half-for-1/m-dlai", "dlai", r"dW^{[l]} = \frac{1}{2} dZ^{[l]} A^{[l-1]T}", "m = 1"),
    ("half-for-1/m-rowmajor", "rowmajor", r"dW^{[l]} = \frac{1}{2} A^{[l-1]T} dZ^{[l]}", "m = 1"),
    ("2/(m m)-for-1/m-nielsen", "nielsen",
     r"\frac{\partial C}{\partial w^l} = \frac{2}{m m} \sum_x \delta^{x,l} (a^{x,l-1})^T", "m = 1"),
    ("offset-from-k-true-at-depth-4-only", "paper", r"\nabla_{W_{k-3}} f = \Delta_{k-3} X^T", "[1,1,1,1,1,1]"),
    ("gram-term-zero-for-widths-up-to-3", "paper",
     r"\nabla_{W_i} f = \Delta_i \cdot \Sigma_{i-1}^T + (" + GRAM + r") \Delta_i \cdot \Sigma_{i-1}^T", "[1,4,"),
    ("right-only-for-one-output", "dlai",
     r"dZ^{[L]} = A^{[L]} - Y + (np.sum(A^{[L]} - Y, axis=0, keepdims=True) - (A^{[L]} - Y))", ",2]"),
]


@pytest.mark.parametrize("notation, latex, where", [c[1:] for c in PAST_THE_SWEEP],
                         ids=[c[0] for c in PAST_THE_SWEEP])
def test_mutant_past_the_old_sweep_fails_with_a_counterexample(notation, latex, where):
    result = check(latex, notation=notation)
    assert result.status == "fails", result.summary()
    ce = result.counterexample
    assert ce is not None and ce.kind == "value" and where in ce.message, ce.message


def test_a_sweep_never_fixes_the_batch_it_claims_every_m_for():
    """The first round's sweep ran at m = 2 only, where 1/2 = 1/m; every sweep now adds m + 1."""
    for options in (dict(sweep=True), dict(max_width=2)):
        result = check(PAST_THE_SWEEP[0][2], notation="tutorial", **options)
        assert result.status == "fails" and "m = 3" in result.counterexample.message, options
    assert check(PAST_THE_SWEEP[0][2], notation="tutorial", max_depth=2).status == "fails"  # a bounded proof
    right = check(r"dW^{(l)} = \frac{1}{m} \delta^{(l)} (a^{(l-1)})^T", notation="tutorial", max_width=2)
    assert right.status == "holds on the sweep only" and "m = 3" in right.note


def test_fixing_the_batch_makes_half_right_and_the_verdict_says_m():
    result = check(PAST_THE_SWEEP[0][2], notation="tutorial", batch=2)
    assert result.status == "proved" and "m = 2" in result.proof.scope()


PROVED = [
    ("paper", RECURSION, 1),
    ("paper", r"\nabla_{W_i} f = \Delta_i \cdot \Sigma_{i-1}^T", 1),
    ("paper", r"\nabla_{W_i} f = \Sigma_{i-1}^T \otimes \Delta_i", 1),
    ("paper", r"\nabla_{\Sigma_{r-1}} f = W_r^T (\Sigma'_r \circ \nabla_{\Sigma_r} f)", 1),
    ("paper", r"\nabla_{W_{k-2}} f = \Sigma'_k \bullet W_k^T \circ \Sigma'_{k-1} \bullet W_{k-1}^T "
              r"\circ \Sigma'_{k-2} \cdot \Sigma^T_{k-3}", 3),
    ("tutorial", r"dW^{(l)} = \frac{1}{m} \delta^{(l)} (a^{(l-1)})^T", 1),
    ("tutorial", r"\delta^{(L)} = (a^{(L)} - y) \odot f'(z^{(L)})", 1),
    ("nielsen", r"\delta^l_j = \sum_k w^{l+1}_{kj} \delta^{l+1}_k \sigma'(z^l_j)", 2),
    ("dlai", r"db^{[l]} = \frac{1}{m} np.sum(dZ^{[l]}, axis=1, keepdims=True)", 1),
    ("rowmajor", r"dW^{[l]} = \frac{1}{m} A^{[l-1]T} dZ^{[l]}", 1),
]


@pytest.mark.parametrize("notation, latex, depth", PROVED, ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(PROVED)])
def test_correct_formula_is_proved_for_every_architecture(notation, latex, depth):
    result = check(latex, notation=notation)
    assert result.status == "proved", result.summary()
    proof = result.proof
    assert proof.min_depth == depth and proof.max_depth is None and "every width" in proof.scope()
    assert proof.models and len(proof.models) <= MAX_POINTS * 4
    every_m = "every m" in proof.scope()
    assert every_m == (notation in ("tutorial", "dlai", "rowmajor")), proof.scope()


def test_recursion_bound_counts_dimensions_not_factors():
    proof = check(RECURSION).proof
    assert proof.width_bound == 2  # W^T Delta o Sigma': one index per dimension survives the contractions


def test_verdict_prints_every_assumption_in_text_and_json():
    result = check(r"dW^{(l)} = \frac{1}{m} \delta^{(l)} (a^{(l-1)})^T", notation="tutorial")
    text = str(result)
    for words in ("proved", "every n_k", "every m", "form: affine", "activations: sigma", "1/(2m) sum"):
        assert words in text, text
    data = json.loads(json.dumps(result.to_dict()))
    assert data["status"] == "proved" and data["proof"]["scope"].startswith("depth k >= 1")
    assert "n_k: any" in data["assumptions"]


def test_paper_fixes_one_output_and_one_sample_and_says_so():
    result = check(r"\Delta_k = \Sigma'_k")
    assert result.status == "proved"
    assert "n_k = 1 (fixed)" in result.assumptions and "n_k = 1, m = 1 (one sample)" in result.proof.scope()


def test_formula_naming_both_ends_holds_on_the_sweep_only_and_says_why():
    result = check(r"\Delta_i = (W_{i+1}^T \Delta_{i+1}) \circ \Sigma'_i + 0 \cdot (\Sigma_k^T \Sigma_k) \Delta_i")
    assert result.status == "holds on the sweep only" and result.proof is None
    assert "not proved: the formula names a general layer i and the last layer" in result.note
    assert "depths 5-6, widths 1-2" in result.note


def test_max_depth_proves_those_depths_only():
    result = check(r"\nabla_{W_{k-3}} f = \Delta_{k-3} X^T", max_depth=4)
    assert result.status == "proved" and result.proof.scope().startswith("depth k = 4,")


@pytest.mark.parametrize("case", [*PROFILE_CORPUS, *CORPUS], ids=lambda c: c.description.split(":")[0][:40])
def test_corpus_verdicts_hold_as_proofs(case):
    notation = getattr(case, "notation", "paper")
    options = dict(getattr(case, "options", {}) or {})
    if case.expected == "error":
        return  # reading errors are the parser's, tested with the corpora themselves
    try:
        result = check(case.latex, notation=notation, **options)
    except Exception as err:  # noqa: BLE001 - the corpora's own tests cover unreadable entries
        pytest.skip(f"not readable here: {err}")
    if case.expected == "holds":
        assert result.status == "proved", result.summary()
    elif case.expected == "fails":
        assert result.status == "fails" and result.counterexample is not None, result.summary()


def test_cli_sweep_and_batch_options(capsys):
    assert main(["check", "--notation", "tutorial", r"dW^{(l)} = \frac{1}{2} \delta^{(l)} (a^{(l-1)})^T"]) == 1
    assert "fails" in capsys.readouterr().out
    assert main(["check", "--notation", "tutorial", "--batch", "2",
                 r"dW^{(l)} = \frac{1}{2} \delta^{(l)} (a^{(l-1)})^T"]) == 0
    assert "m = 2" in capsys.readouterr().out
    assert main(["check", "--sweep", RECURSION]) == 0
    out = capsys.readouterr().out
    assert "holds on the sweep only" in out and "1 hold on the sweep only" in out
