"""`backprop-verify notations`: the profiles the checker reads, and one profile's symbol table."""

from __future__ import annotations

from pathlib import Path

import pytest

from derivations import notation_names
from numeric.cli import main


def test_lists_every_profile_with_its_aliases(capsys):
    assert main(["notations"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0].split(" (")[0] for line in lines] == list(notation_names())
    assert any(line.startswith("dlai (also ng") for line in lines)


@pytest.mark.parametrize("name, symbol", [("nielsen", "`w`"), ("ng", "`Z`"), ("paper", "`\\Sigma'`")])
def test_shows_one_profile_by_name_or_alias(name, symbol, capsys):
    assert main(["notations", name]) == 0
    out = capsys.readouterr().out
    assert out.startswith("### `") and "| symbol | meaning | shape | ours |" in out and symbol in out


def test_unknown_profile_is_one_line_and_status_2(capsys):
    assert main(["notations", "hinton"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: unknown notation 'hinton'") and err.count("\n") == 1


def test_a_user_profile_from_toml(capsys):
    path = Path(__file__).resolve().parents[2] / "docs" / "example-notation.toml"
    assert main(["notations", "--notation-file", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("### `mycourse`") and "| `e` | " in out
