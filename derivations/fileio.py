"""Files a user names: UTF-8 text read with one-line errors, outputs written atomically.

Every output goes first to a temporary file in its own directory and is then moved over the
target with :func:`os.replace`, so no reader ever sees a half-written file and a failure leaves
the old file (or none) in place. :func:`write_atomically` writes several outputs as one unit:
nothing is renamed until every temporary is complete.
"""

from __future__ import annotations

import codecs
import os
import secrets
import stat
from collections.abc import Callable, Mapping
from contextlib import suppress
from pathlib import Path
from typing import BinaryIO, Union

from .errors import BackpropVerifyError, FileError

__all__ = ["Content", "read_text", "check_writable", "write_atomically"]

Content = Union[str, bytes, Callable[[BinaryIO], object]]
"""What :func:`write_atomically` writes: text (as UTF-8), bytes, or a function writing to a binary file."""

_Path = Union[str, os.PathLike]
_OTHER_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
               (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))


def read_text(path: _Path, *, what: str = "file", error: type[BackpropVerifyError] = FileError) -> str:
    """The text of the UTF-8 file at ``path``; a byte-order mark is dropped, line ends become ``\\n``.

    Raises:
        FileError (or ``error``): the file is missing, a directory or unreadable, binary (a NUL
            byte), UTF-16/32 (by its byte-order mark) or not UTF-8 (the message gives the first
            bad byte and its line).
    """
    p = Path(path)
    if p.is_dir():
        raise error(f"cannot read the {what} {str(p)!r}: it is a directory")
    try:
        data = p.read_bytes()
    except OSError as err:
        raise error(f"cannot read the {what} {str(p)!r}: {err.strerror or err}") from err
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    for bom, encoding in _OTHER_BOMS:
        if data.startswith(bom):
            raise error(f"the {what} {str(p)!r} is {encoding}, not UTF-8; save it as UTF-8")
    if b"\0" in data:
        line = data.count(b"\n", 0, data.index(b"\0")) + 1
        raise error(f"the {what} {str(p)!r} is a binary file, not text (a NUL byte on line {line})")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise error(f"the {what} {str(p)!r} is not UTF-8: byte 0x{data[err.start]:02x} on line {line} "
                    f"({err.reason}); save it as UTF-8") from err
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_writable(path: _Path, *, what: str = "file", error: type[BackpropVerifyError] = FileError) -> Path:
    """``path`` as a Path, once it looks writable: its directory exists and it is not a directory.

    Raises:
        FileError (or ``error``): the directory is missing or read-only, or ``path`` is a directory.
    """
    p = Path(path)
    parent = p.parent
    if p.is_dir():
        reason = "it is a directory"
    elif not parent.is_dir():
        reason = f"{str(parent)!r} is not a directory" if parent.exists() else \
            f"the directory {str(parent)!r} does not exist"
    elif not os.access(parent, os.W_OK | os.X_OK):
        reason = f"the directory {str(parent)!r} is not writable"
    else:
        return p
    raise error(f"cannot write the {what} {str(p)!r}: {reason}")


def write_atomically(outputs: Mapping[_Path, Content], *, directory: _Path | None = None, what: str = "file",
                     error: type[BackpropVerifyError] = FileError) -> list[Path]:
    """Write each ``path -> content`` of ``outputs`` as one unit; returns the paths.

    ``directory`` (for outputs that go into a new directory) is created first if missing; its
    parent must exist. Every target is checked (:func:`check_writable`); then each content is
    written to a temporary file beside its target and synced; only when all are complete are
    they renamed over the targets (:func:`os.replace`; a symlink is written through). A replaced
    file keeps its permission bits. On failure the temporaries and the new directory are removed:
    no target has changed.

    Raises:
        FileError (or ``error``): a target or the directory cannot be written; the message names it.
    """
    made = _make_directory(Path(directory), what, error) if directory is not None else None
    temps: dict[Path, str] = {}
    current = None
    try:
        targets = [check_writable(p, what=what, error=error) for p in outputs]
        for current, content in zip(targets, outputs.values(), strict=True):
            temps[current] = _temporary(Path(os.path.realpath(current)), content)
        for current, temp in temps.items():
            os.replace(temp, os.path.realpath(current))
    except BaseException as err:
        for temp in temps.values():
            with suppress(OSError):
                os.remove(temp)
        if made is not None:
            with suppress(OSError):
                made.rmdir()
        if isinstance(err, OSError) and not isinstance(err, BackpropVerifyError):
            raise error(f"cannot write the {what} {str(current)!r}: {err.strerror or err}") from err
        raise
    return targets


def _make_directory(directory: Path, what: str, error: type[BackpropVerifyError]) -> Path | None:
    """Create ``directory`` if missing; returns it when it was created."""
    if directory.is_dir():
        return None
    check_writable(directory, what=f"{what} directory", error=error)
    try:
        directory.mkdir()
    except OSError as err:
        raise error(f"cannot create the {what} directory {str(directory)!r}: {err.strerror or err}") from err
    return directory


def _temporary(target: Path, content: Content) -> str:
    """Write ``content`` to a new file beside ``target``; returns its name (removed again on failure)."""
    temp = str(target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp"))
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            if callable(content):
                content(fh)
            else:
                fh.write(content.encode("utf-8") if isinstance(content, str) else content)
            fh.flush()
            os.fsync(fh.fileno())
        if target.exists():
            os.chmod(temp, stat.S_IMODE(target.stat().st_mode))
    except BaseException:
        with suppress(OSError):
            os.remove(temp)
        raise
    return temp
