"""The derivation in a lecturer's notation: every displayed formula reads back as claimed and is proved.

For each built-in profile (and a TOML one), the document's equations are taken from its .tex
text, stripped of alignment, label and remark, parsed by the checker in the claim's profile and
compared with the formula the document claims; the claim's verdict (the one the document
prints under it) must be a proof, except categorical cross-entropy, which the checker can only
sweep (and the document says so).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from derivations import ArchitectureError, UnsupportedNotationError, load_notation
from derivations.checker import check, parse_formula
from derivations.checker.nodes import Index, Prod, Sym, Transpose
from derivations.checker.render import normalise
from derivations.latex import Equation, derive
from derivations.latex.lecture import Claim, verdict_note
from numeric.cli import main

PROFILES = ("paper", "nielsen", "dlai", "ufldl", "cs229", "cs231n", "d2l", "rowmajor", "tutorial")
EXAMPLE_TOML = Path(__file__).resolve().parents[2] / "docs" / "example-notation.toml"


def displayed_formula(tex: str) -> tuple[str, str | None]:
    """(the formula as displayed, the remark under it) from one equation/align environment."""
    note = re.search(r"\\text\{([^{}]*)\}", tex)
    body = re.sub(r"\\begin\{\w+\}|\\end\{\w+\}|\\label\{[^}]*\}|\\tag\{[^}]*\}|\\notag", "", tex)
    body = re.sub(r"&\\quad \\text\{[^{}]*\}", "", body)
    body = body.replace("\\\\", " ").replace("&\\quad", " ").replace("&", "")
    return " ".join(body.split()), note.group(1) if note else None


def _same(shown: str, claim: Claim) -> bool:
    read = parse_formula(shown, notation=claim.notation)
    meant = parse_formula(claim.latex, notation=claim.notation)
    return (normalise(read.lhs), normalise(read.rhs)) == (normalise(meant.lhs), normalise(meant.rhs))


def _allowed(claim: Claim) -> set[str]:
    return {"proved", "holds on the sweep only"} if claim.name.startswith("cce_") else {"proved"}


def _read_back(derivation) -> list[Claim]:
    equations = {b.name: b for b in derivation.blocks if isinstance(b, Equation)}
    claims = derivation.claims
    assert claims, "no formula in the profile's notation"
    for claim in claims:
        shown, note = displayed_formula(equations[claim.name].tex())
        assert _same(shown, claim), (claim.name, shown, claim.latex)
        assert claim.result.status in _allowed(claim), (claim.name, claim.latex, claim.result.summary())
        assert note == verdict_note(claim.result), (claim.name, note)
    return claims


@pytest.mark.parametrize("name", PROFILES)
def test_every_displayed_formula_reads_back_as_claimed_and_is_proved(name):
    derivation = derive([2, 2, 1], notation=name)
    claims = _read_back(derivation)
    general = [c for c in claims if "_layer" not in c.name and not c.name.startswith(("mse", "bce", "cce", "wd",
                                                                                          "output"))]
    for claim in general[:3]:  # the checker again, from the displayed text alone
        assert check(claim.latex, notation=claim.notation).status == "proved", claim.latex


def test_a_toml_profile_is_written_in_its_own_symbols(tmp_path):
    derivation = derive([2, 2, 1], notation=load_notation(EXAMPLE_TOML))
    claims = _read_back(derivation)
    shown = {c.name: c.latex for c in claims}
    assert shown["forward_N"] == r"z_{l} = W_{l} \cdot h_{l-1} + b_{l}"
    assert shown["delta_step"] == r"e_{l} = (W_{l+1}^{T} \cdot e_{l+1}) \circ \sigma'(z_{l})"
    assert shown["grad_W"] == r"\nabla_{W_{l}} L = \frac{1}{m} e_{l} \cdot h_{l-1}^{T}"


@pytest.mark.parametrize("name, expected", [
    ("nielsen", {"forward_N": r"z^{l} = w^{l} \cdot a^{l-1} + b^{l}",
                 "delta_top_layer2": r"\delta^{3} = (a^{3} - y) \circ \sigma'(z^{3})",
                 "grad_W_layer1": r"\nabla_{w^{2}} C = \delta^{2} \cdot x^{T}"}),
    ("dlai", {"delta_top": r"dZ^{[L]} = A^{[L]} - Y",
              "grad_W": r"dW^{[l]} = \frac{1}{m} dZ^{[l]} \cdot (A^{[l-1]})^{T}",
              "grad_b": r"db^{[l]} = \frac{1}{m} dZ^{[l]} \cdot \mathbf{1}"}),
    ("rowmajor", {"forward_N": r"Z^{[l]} = A^{[l-1]} \cdot W^{[l]} + b^{[l]}",
                  "grad_W": r"dW^{[l]} = \frac{1}{m} (A^{[l-1]})^{T} \cdot dZ^{[l]}"}),
    ("ufldl", {"forward_N": r"z^{(l)} = W^{(l-1)} \cdot a^{(l-1)} + b^{(l-1)}"}),
])
def test_profiles_write_their_own_symbols_numbering_and_layout(name, expected):
    shown = {c.name: c.latex for c in derive([2, 2, 1], notation=name, verify=False).claims}
    for key, latex in expected.items():
        assert shown[key] == latex, key


def test_a_wrong_formula_in_a_profile_is_not_called_proved():
    nielsen = derive([2, 2, 1], notation="nielsen", verify=False).notation
    w_next = Sym("W", Index("i", 1))  # the transpose dropped: w^{l+1} delta^{l+1}
    claim = Claim("mutant", "delta rule without the transpose", Sym("Delta", Index("i")),
                  Prod("hadamard", Prod("dot", w_next, Sym("Delta", Index("i", 1))), Sym("Sigma_prime", Index("i"))),
                  nielsen)
    assert claim.result.status == "fails" and verdict_note(claim.result) == "fails"
    right = Claim("right", "", claim.lhs, Prod("hadamard", Prod("dot", Transpose(w_next), Sym("Delta", Index("i", 1))),
                                                 Sym("Sigma_prime", Index("i"))), nielsen)
    assert right.result.status == "proved"


def test_the_paper_document_has_lemmas_proof_steps_and_objectives():
    d = derive([2, 2, 1], verify=True)
    names = {b.name for b in d.blocks if isinstance(b, Equation)}
    assert {"lemma_eq6", "lemma_eq7", "eq6_proof_step4_printed", "eq6_proof_step4_corrected",
            "eq7_proof_step3_printed", "eq7_proof_step3_corrected", "mse_one_top", "mse_batch_W",
            "bce_batch_top", "cce_one_top", "wd_batch_W", "output_one_top"} <= names
    snippets = d.snippets()
    assert r"\text{misprint in the paper (fails)}" in snippets["eq6_proof_step4_printed"]
    assert r"\text{correction: proved for every architecture}" in snippets["eq6_proof_step4_corrected"]
    assert r"\text{proved for every architecture}" in snippets["lemma_eq6"]
    _read_back(d)


def test_label_prefix_renames_every_label_and_reference():
    d = derive([2, 2, 2, 2, 1], verify=False, label_prefix="nb2")
    doc, snippets = d.document(), d.snippets()
    assert "bpv:" not in doc and r"\label{nb2:grad_W1_eq3_printed}" in doc and r"\eqref{nb2:" in doc
    assert all("bpv:" not in s and "nb2:" in s for s in snippets.values())
    assert "bpv:" not in d.beamer()
    for bad in ("", "1a", "a b", "a:b", 3):
        with pytest.raises(ArchitectureError, match="label prefix"):
            derive([2, 1], verify=False, label_prefix=bad)


def test_unknown_notation_is_one_error():
    with pytest.raises(UnsupportedNotationError, match="unknown notation 'nielson'"):
        derive([2, 1], notation="nielson")


def test_cli_writes_notation_beamer_and_prefixed_snippets(tmp_path, capsys):
    out = tmp_path / "d.tex"
    assert main(["latex", "--widths", "2,2,1", "--notation", "dlai", "--no-verify", "--label-prefix", "ng",
                 "-o", str(out), "--snippets", str(tmp_path / "snip")]) == 0
    assert r"dZ^{[L]} = A^{[L]} - Y" in out.read_text() and "ng:" in out.read_text()
    assert "dlai notation" in (tmp_path / "snip" / "index.tex").read_text().splitlines()[0]
    assert main(["latex", "--widths", "2,1", "--beamer", "--no-verify"]) == 0
    assert r"\documentclass[10pt]{beamer}" in capsys.readouterr().out
    assert main(["latex", "--widths", "2,1", "--no-verify", "--notation-file", str(EXAMPLE_TOML)]) == 0
    assert r"z_{l} = W_{l} \cdot h_{l-1} + b_{l}" in capsys.readouterr().out
    assert main(["latex", "--widths", "2,1", "--label-prefix", "a b"]) != 0
    assert "label prefix" in capsys.readouterr().err
