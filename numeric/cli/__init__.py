"""The one console script, ``backprop-verify``: report, check, latex, train, predict.

Each subcommand lives in its own module (``numeric/cli/<name>.py``) with
``register(subparsers)`` adding its parser and setting ``func``. Only the module
of the command being run is imported, so ``--help`` and ``--version`` start
without SymPy, NumPy or Lark. Our own errors
(:class:`derivations.errors.BackpropVerifyError`) are printed as one line and
exit with status 2; a formula that fails a check exits with 1. Output into a
closed pipe (``| head``) ends quietly with status 0; Ctrl-C ends with one line
and status 130.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Iterable, Sequence
from importlib import metadata

__all__ = ["main", "build_parser", "COMMANDS"]

COMMANDS = {
    "report": ("report", "verify every formula of the paper exactly and print the report"),
    "check": ("check", "check LaTeX gradient formulas exactly against the ground truth"),
    "latex": ("latex", "write a LaTeX derivation (document, snippets, PDF) for one architecture"),
    "train": ("train", "train an affine network by gradient descent (verified gradient)"),
    "predict": ("train", "predict with a model saved by `train`"),
    "evaluate": ("evaluate", "loss, accuracy and confusion matrix of a saved model on a CSV"),
}
"""command -> (module of numeric that registers it, one-line help), in the order of ``--help``."""


def _version() -> str:
    try:
        return metadata.version("backprop-verify")
    except metadata.PackageNotFoundError:
        return "(not installed)"


def build_parser(commands: Iterable[str] | None = None) -> argparse.ArgumentParser:
    """The argparse parser; ``commands`` (default: all) get their full parsers, the others only a name."""
    wanted = {COMMANDS[name][0] for name in (COMMANDS if commands is None else commands)}
    parser = argparse.ArgumentParser(
        prog="backprop-verify",
        description="Exact verification of backpropagation formulas, LaTeX derivations, NumPy training.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
        if name in sub.choices:
            continue  # registered with another command of its module (train, predict)
        if module in wanted:
            importlib.import_module(f".{module}", __package__).register(sub)
        else:
            sub.add_parser(name, help=help_text, add_help=False)
    return parser


def _command(argv: Sequence[str]) -> str | None:
    """The command named in ``argv`` (the top level has no option taking a value)."""
    first = next((a for a in argv if not a.startswith("-")), None)
    return first if first in COMMANDS else None


def _run(argv: Sequence[str]) -> int:
    command = _command(argv)
    parser = build_parser([command] if command else [])
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    from derivations.errors import BackpropVerifyError

    try:
        return int(args.func(args) or 0)
    except BackpropVerifyError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        try:
            return _run(argv)
        finally:
            sys.stdout.flush()  # a closed pipe shows up here rather than at interpreter exit
    except BrokenPipeError:
        # The reader left (`| head`): the standard recipe, point stdout at devnull so that the
        # flush at exit stays quiet, and end normally.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
