"""Reading UTF-8 files with one-line errors; writing outputs atomically, all or none."""

from __future__ import annotations

import os
import stat

import pytest

from derivations import FileError, NumericError
from derivations.fileio import check_writable, read_text, write_atomically


def _fail(fh):
    fh.write(b"half a model")
    raise OSError(28, "No space left on device")


def test_read_text_of_a_non_utf8_file_names_the_file_the_byte_and_the_line(tmp_path):
    path = tmp_path / "notes.tex"
    path.write_bytes("a = b\n\\Delta_i = \xe9\n".encode("latin-1"))
    with pytest.raises(FileError, match="is not UTF-8: byte 0xe9 on line 2") as info:
        read_text(path, what="formula file")
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_read_text_drops_the_byte_order_mark_and_normalises_line_ends(tmp_path):
    (tmp_path / "x.csv").write_bytes(b"\xef\xbb\xbf1,2\r\n3,4\r5,6\n")
    assert read_text(tmp_path / "x.csv") == "1,2\n3,4\n5,6\n"


def test_read_text_of_a_missing_file_raises_the_given_error(tmp_path):
    with pytest.raises(NumericError, match="cannot read the CSV file .*absent.csv"):
        read_text(tmp_path / "absent.csv", what="CSV file", error=NumericError)


def test_write_atomically_writes_every_output_and_leaves_no_temporary(tmp_path):
    paths = write_atomically({tmp_path / "a.tex": "α\n", tmp_path / "b.bin": b"\x00\x01"})
    assert paths == [tmp_path / "a.tex", tmp_path / "b.bin"]
    assert (tmp_path / "a.tex").read_text(encoding="utf-8") == "α\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.tex", "b.bin"]


def test_a_failed_write_changes_no_output_and_leaves_no_temporary(tmp_path):
    (tmp_path / "a.tex").write_text("old")
    with pytest.raises(FileError, match=r"cannot write the file .*b\.npz.*No space left") as info:
        write_atomically({tmp_path / "a.tex": "new", tmp_path / "b.npz": _fail})
    assert isinstance(info.value, OSError)
    assert (tmp_path / "a.tex").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.tex"]


def test_a_failed_write_removes_the_directory_it_created(tmp_path):
    with pytest.raises(FileError):
        write_atomically({tmp_path / "snip" / "a.tex": _fail}, directory=tmp_path / "snip")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("target, fragment", [
    ("missing/out.tex", "the directory '{tmp}/missing' does not exist"),
    ("adir", "it is a directory"),
    ("afile/out.tex", "'{tmp}/afile' is not a directory"),
], ids=["missing-directory", "directory", "file-as-directory"])
def test_unwritable_targets_are_one_line_errors_naming_the_path(tmp_path, target, fragment):
    (tmp_path / "adir").mkdir()
    (tmp_path / "afile").write_text("")
    with pytest.raises(FileError) as info:
        write_atomically({tmp_path / target: "x"}, what="LaTeX document")
    message = str(info.value)
    assert f"cannot write the LaTeX document '{tmp_path / target}'" in message
    assert fragment.format(tmp=tmp_path) in message and "\n" not in message


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions, not root")
def test_a_read_only_directory_is_reported_before_writing(tmp_path):
    (tmp_path / "ro").mkdir(mode=0o500)
    with pytest.raises(FileError, match="is not writable"):
        check_writable(tmp_path / "ro" / "m.npz")


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_a_replaced_file_keeps_its_permission_bits(tmp_path):
    path = tmp_path / "notes.tex"
    path.write_text("old")
    path.chmod(0o640)
    write_atomically({path: "new"})
    assert stat.S_IMODE(path.stat().st_mode) == 0o640 and path.read_text() == "new"


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_a_symlink_is_written_through(tmp_path):
    (tmp_path / "real.tex").write_text("old")
    (tmp_path / "link.tex").symlink_to(tmp_path / "real.tex")
    write_atomically({tmp_path / "link.tex": "new"})
    assert (tmp_path / "link.tex").is_symlink() and (tmp_path / "real.tex").read_text() == "new"
