"""The report and the `report` command."""

import json

from derivations import paper_report
from numeric.cli import main


def test_small_report_finds_both_typos():
    report = paper_report([(2, 2, 1), (2, 2, 2, 2, 1)], max_depth=4, max_width=2)
    assert report.all_as_expected
    assert report.typos_found == ["eq3", "eq6_proof"]
    typos = report.typos
    assert len(typos) == 2
    for _, printed, _fix, fixed in typos:
        assert printed.holds is False and fixed.holds is True
    assert "W_{k-2}^T" in report.to_text()


def test_report_command_json_and_exit_code(capsys):
    code = main(["report", "--widths", "2,1;2,2,1", "--max-depth", "2", "--max-width", "2", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["sweeps"]["eq6_proof"]["status"] == "fails"
    assert data["sweeps"]["eq3_corrected"]["status"] == "holds exactly"
    assert data["typos_found"] == ["eq6_proof"]  # (3)'s typo needs depth 4
    assert data["all_as_expected"] and code == 0


def test_report_command_bad_widths_is_a_clear_error(capsys):
    assert main(["report", "--widths", "2,0,1"]) == 2
    assert "n_1=0" in capsys.readouterr().err
