"""The report and the `report` command."""

import json

import pytest

from derivations import paper_report
from derivations.paper_proofs import SWEPT_STEPS
from numeric.cli import main

EVERY_ARCHITECTURE = ["eq3_corrected", "Delta", "recursion", "eq4", "eq5", "eq6", "eq7", "eq6_proof_corrected",
                      "eq7_proof_corrected"]


@pytest.fixture(scope="module")
def small_report():
    return paper_report([(2, 2, 1), (2, 2, 2, 2, 1)], max_depth=4, max_width=2)


def test_small_report_finds_the_three_typos(small_report):
    report = small_report
    assert report.all_as_expected
    assert report.typos_found == ["eq3", "eq6_proof", "eq7_proof"]
    typos = report.typos
    assert len(typos) == 3
    for _, printed, _fix, fixed in typos:
        assert printed.holds is False and fixed.holds is True
    assert "W_{k-2}^T" in report.to_text()


@pytest.mark.parametrize("name", EVERY_ARCHITECTURE)
def test_correct_formulas_are_proved_for_every_architecture(small_report, name):
    finding = small_report.findings[name]
    assert finding.status == "proved", finding.statement()
    assert finding.statement().startswith("proved for every architecture (every k, every width)"), name
    assert "every width" in finding.scope and finding.method


def test_one_dimensional_formulas_are_proved_for_every_k(small_report):
    for name in ("eq1", "eq2", "eq1_recursion"):
        finding = small_report.findings[name]
        assert finding.status == "proved" and finding.scope.startswith("one-dimensional case"), name
        assert "induction" in finding.method


def test_chain_formulas_are_proved_by_induction_with_three_obligations(small_report):
    finding = small_report.findings["eq3_corrected"]
    assert [role for role, _, _ in finding.checks] == ["base", "step", "readout"]
    assert all(result.status == "proved" for _, _, result in finding.checks)
    assert "induction" in finding.method


def test_steps_the_grammar_cannot_write_hold_on_the_sweep_only_and_say_why(small_report):
    for name in SWEPT_STEPS:
        finding = small_report.findings[name]
        assert finding.status == "holds on the sweep only", name
        assert "grammar" in finding.why and "architectures" in finding.scope


def test_printed_formulas_keep_their_smallest_counterexamples(small_report):
    eq3 = small_report.findings["eq3"].counterexample
    assert (eq3.architecture.widths, eq3.layer, eq3.kind) == ((1, 1, 2, 1, 1), 1, "shape")
    step = small_report.findings["eq6_proof"].counterexample
    assert (step.architecture.widths, step.layer, step.entry, step.kind) == ((1, 1), 1, (0, 0), "value")
    slip = small_report.findings["eq7_proof"].counterexample
    assert (slip.architecture.widths, slip.layer, slip.kind) == ((1, 2, 1), 0, "shape")


def test_printed_proof_of_6_fails_only_at_its_fourth_expression(small_report):
    rows = small_report.steps["(6)"]
    failing = [step.number for step, printed, _ in rows if printed.status == "fails"]
    assert failing == [4]
    step, _, fixed = rows[3]
    assert step.typo == "eq6_proof" and fixed.status == "proved"


def test_printed_proof_of_7_fails_only_at_its_third_expression(small_report):
    rows = small_report.steps["(7)"]
    assert [step.number for step, printed, _ in rows if printed.status == "fails"] == [3]
    assert all(fixed is None or fixed.status == "proved" for _, _, fixed in rows)


def test_affine_statements_hold_on_the_sweep_only_and_say_why(small_report):
    by_name = {f.name: f for f in small_report.affine_findings}
    for claim in ("(a)-(c): homogeneous f = affine f", "bias gradient = last column of grad W_i"):
        assert by_name[claim].status == "holds on the sweep only"
        assert "two networks" in by_name[claim].why
    assert by_name[r"proved half: \nabla_{b_i} f = \Delta_i"].status == "proved"
    assert by_name["(b) survives training: fixed last rows of W_i (i<k) get zero gradient"].status == "fails"


def test_markdown_and_text_name_the_verdicts(small_report):
    md = small_report.to_markdown()
    assert "| eq3_corrected | (3) | proved |" in md
    text = small_report.to_text()
    assert "holds on the sweep only" in text and "TYPO; corrected" in text


def test_report_command_json_and_exit_code(capsys):
    code = main(["report", "--widths", "2,1;2,2,1", "--max-depth", "2", "--max-width", "2", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["sweeps"]["eq6_proof"]["status"] == "fails"
    assert data["sweeps"]["eq3_corrected"]["status"] == "proved"  # not swept: proved
    assert data["verdicts"]["eq3_corrected"]["status"] == "proved"
    assert [o["status"] for o in data["verdicts"]["eq4"]["obligations"]] == ["proved"] * 3
    assert data["printed_proofs"]["(6)"][3]["corrected"]["status"] == "proved"
    assert data["typos_found"] == ["eq6_proof", "eq7_proof"]  # (3)'s typo needs depth 4
    assert data["all_as_expected"] and code == 0
    assert {"cells", "affine", "typos", "activations", "seconds"} <= set(data)


def test_report_command_sweep_proved_sweeps_everything(capsys):
    code = main(["report", "--widths", "2,1", "--max-depth", "2", "--max-width", "1", "--sweep-proved",
                 "--no-affine", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["sweeps"]["eq3_corrected"]["status"] == "holds on the sweep only"
    assert data["verdicts"]["eq3_corrected"]["status"] == "proved" and code == 0


def test_report_command_bad_widths_is_a_clear_error(capsys):
    assert main(["report", "--widths", "2,0,1"]) == 2
    assert "n_1=0" in capsys.readouterr().err


def test_sweep_widths_restrict_the_sweep_and_progress_counts_every_unit():
    calls = []
    report = paper_report([(2, 1)], sweep_widths=[(2, 2, 1), (2, 1)], affine=False,
                          progress=lambda done, total, label: calls.append((done, total, label)))
    for name, verdict in report.sweeps.items():
        assert {a.widths for a in verdict.architectures} <= {(2, 1), (2, 2, 1)}, name
    assert report.sweeps["eq6_proof_chain_rule"].architectures[0].widths == (2, 1)  # smallest first
    assert report.sweep_bounds.startswith("listed: [2,1], [2,2,1]")
    dones = [done for done, _, _ in calls]
    assert dones == sorted(dones) and calls[-1][0] == calls[-1][1] == len(calls) - 1
    assert "sweep eq3" in [label for _, _, label in calls] and "prove eq4" in [label for _, _, label in calls]


def test_a_formula_that_applies_to_none_of_the_swept_widths_is_undecided_not_an_error():
    report = paper_report([(2, 1)], sweep_widths=[(2, 1)], sweep_proved=True, affine=False)
    assert report.sweeps["eq1"].holds is None and "applies to none" in report.sweeps["eq1"].note
    assert report.findings["eq1"].status == "proved"
