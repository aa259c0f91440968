"""The exception hierarchy of backprop-verify (STYLE section 6).

Every error a user can meet derives from :class:`BackpropVerifyError`, and each
subclass also inherits the builtin it refines, so ``except ValueError`` keeps
working. Foreign failures (SymPy, SymEngine, Lark, NumPy) are wrapped with
``raise ... from err``.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "BackpropVerifyError",
    "UnknownNameError",
    "ArchitectureError",
    "BoundsError",
    "ActivationError",
    "ShapeError",
    "FormulaSyntaxError",
    "UnsupportedNotationError",
    "NumericError",
    "DivergenceError",
    "FileError",
    "DataFileError",
    "TimeLimitError",
]


class BackpropVerifyError(Exception):
    """Root of every error raised by backprop-verify."""


class UnknownNameError(BackpropVerifyError, ValueError):
    """A name we do not know: a formula, objective, notation profile, loss or optimizer; the
    message names the kind and lists the known names."""


class ArchitectureError(BackpropVerifyError, ValueError):
    """Widths < 1, lengths that disagree, a layer index out of range."""


class BoundsError(ArchitectureError):
    """Bounds that contradict each other or the formula: max_depth < min_depth, widths < 1, or
    depth bounds under which no layer fits the formula's indices."""


class ActivationError(UnknownNameError):
    """An unknown activation name; the message lists the known ones."""


class ShapeError(BackpropVerifyError, ValueError):
    """A product or formula whose operand shapes do not fit."""


class FormulaSyntaxError(BackpropVerifyError, ValueError):
    """Malformed formula text, with the position and a caret context.

    Attributes:
        line, column: 1-based position of the offending character.
        context: the source line with a caret under the position.
        label: a short description of what went wrong.
    """

    def __init__(self, message: str, *, line: int = 1, column: int = 1,
                 context: str = "", label: str = "") -> None:
        self.line, self.column, self.context, self.label = line, column, context, label
        full = f"{message} (line {line}, column {column})"
        if context:
            full += "\n" + context
        super().__init__(full)


class UnsupportedNotationError(BackpropVerifyError, ValueError):
    """The formula parses, but we cannot decide it (unknown symbol, notation)."""


class NumericError(BackpropVerifyError, ValueError):
    """Bad numeric input: NaN/inf, wrong shapes, empty batch, bad learning rate."""


class DivergenceError(NumericError):
    """Training diverged (loss became inf or NaN); carries the history so far."""

    def __init__(self, message: str, history: Any = None) -> None:
        self.history = history
        super().__init__(message)


class FileError(BackpropVerifyError, OSError):
    """A file we cannot read or write: missing directory, a directory, no permission, not UTF-8.

    The message names the path; nothing half-written is left behind (see :mod:`derivations.fileio`).
    """


class DataFileError(NumericError):
    """A data or model file whose content is wrong: a CSV without numbers or with ragged rows,
    a model file with a bad header, shapes or dtypes. The message names the file."""


class TimeLimitError(BackpropVerifyError, TimeoutError):
    """The work ran past the time limit the user set (``--timeout`` / ``timeout=``); the message
    says the limit and how to raise it."""
