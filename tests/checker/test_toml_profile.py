"""A user's TOML profile file: unreadable or non-UTF-8 files are one-line errors naming the file."""

from __future__ import annotations

import pytest

from derivations.checker.toml_profile import load_notation
from derivations.errors import UnsupportedNotationError


def test_a_non_utf8_notation_file_is_one_line_naming_the_file_and_the_byte(tmp_path):
    path = tmp_path / "course.toml"
    path.write_bytes('name = "course"\ndescription = "Cours de r\xe9seaux"\n'.encode("latin-1"))
    with pytest.raises(UnsupportedNotationError) as info:
        load_notation(path)
    assert str(info.value) == (f"the notation file '{path}' is not UTF-8: byte 0xe9 on line 2 "
                               "(invalid continuation byte); save it as UTF-8")


def test_a_missing_notation_file_names_the_file(tmp_path):
    with pytest.raises(UnsupportedNotationError, match=r"cannot read the notation file .*absent\.toml"):
        load_notation(tmp_path / "absent.toml")


def test_a_utf8_file_with_a_byte_order_mark_loads(tmp_path):
    path = tmp_path / "course.toml"
    path.write_bytes(b'\xef\xbb\xbfname = "course"\nbase = "tutorial"\r\n')
    assert load_notation(path).name == "course"
