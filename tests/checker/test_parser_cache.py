"""The analysed grammar is cached in the user's cache directory; a missing, unwritable or corrupt
cache never stops a formula from being read (each case in a fresh process, as from the shell)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

CODE = ("from derivations.checker.parse import parser, _cache_file\n"
        "print(parser().parse(r'\\Delta_i = W_i').data, _cache_file())")


def _run(cache_home) -> str:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    return subprocess.run([sys.executable, "-c", CODE], env=env, capture_output=True, text=True,
                          check=True).stdout.split()


def test_the_cache_is_written_once_and_read_back(tmp_path):
    first = _run(tmp_path)
    cached = list((tmp_path / "backprop-verify").iterdir())
    assert first[1] == str(cached[0]) and cached[0].stat().st_size > 0
    assert _run(tmp_path) == first


@pytest.mark.parametrize("corrupt", [b"", b"not a cache\n", b"0" * 64 + b"\n\x80garbage"])
def test_a_corrupt_cache_is_rebuilt(tmp_path, corrupt):
    _run(tmp_path)
    (cached,) = (tmp_path / "backprop-verify").iterdir()
    cached.write_bytes(corrupt)
    assert _run(tmp_path)[0] == "start"
    assert cached.read_bytes() != corrupt  # rebuilt


def test_no_cache_where_the_directory_cannot_be_made(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert _run(blocker) == ["start", "False"]
