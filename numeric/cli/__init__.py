"""The one console script, ``backprop-verify``: report, check, latex, train, predict.

Each subcommand lives in its own module (``numeric/cli/<name>.py``) with
``register(subparsers)`` adding its parser and setting ``func``. Only the module
of the command being run is imported, so ``--help`` and ``--version`` start
without SymPy, NumPy or Lark. Our own errors
(:class:`derivations.errors.BackpropVerifyError`) are printed as one line and
exit with status 2; a formula that fails a check exits with 1. Output into a
closed pipe (``| head``) ends quietly with status 0; Ctrl-C ends with one line
and status 130; ``--timeout`` past its limit ends with one line and status 2.

Run as the console script (``main()`` without ``argv``), the process is the command's own, so two
costs of a short command are skipped (with the lazy imports of :mod:`derivations`, one formula
checked from the shell went from 0.95 to 0.65 s of CPU; ``benchmarks/bench_sweep.py``, tasks
``help`` and ``check-cli``): the garbage collector pauses while the command's modules are imported
(SymPy makes many objects and little garbage there; the imported objects are then frozen, so later
collections skip them), and the process ends with ``os._exit`` once stdout and stderr are flushed,
without the interpreter's teardown (freeing every SymPy object: 0.1-0.2 s). Called with ``argv``
(tests, other programs), ``main`` does neither and returns the status.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Iterable, Sequence

__all__ = ["main", "build_parser", "COMMANDS", "add_timeout_option", "time_limited"]

COMMANDS = {
    "report": ("report", "verify every formula of the paper exactly and print the report"),
    "check": ("check", "check LaTeX gradient formulas exactly against the ground truth"),
    "latex": ("latex", "write a LaTeX derivation (document, snippets, PDF) for one architecture"),
    "train": ("train", "train an affine network by gradient descent (verified gradient)"),
    "predict": ("train", "predict with a model saved by `train`"),
    "evaluate": ("evaluate", "loss, accuracy and confusion matrix of a saved model on a CSV"),
    "notations": ("notations", "list the notation profiles, or show one profile's symbols"),
}
"""command -> (module of numeric that registers it, one-line help), in the order of ``--help``."""


def _version() -> str:
    from importlib import metadata  # lazy: 10-20 ms that only --version needs

    try:
        return metadata.version("backprop-verify")
    except metadata.PackageNotFoundError:
        return "(not installed)"


class _Version(argparse.Action):
    """``--version``: print the installed version and exit (looked up only when asked)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):  # noqa: A002
        super().__init__(option_strings, dest=dest, default=default, nargs=0,
                         help=help or "show the version and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"{parser.prog} {_version()}")
        parser.exit()


def add_timeout_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--timeout SECONDS`` (wall clock, default: no limit) to a command's parser."""
    parser.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                        help="stop with an error after this many seconds (wall clock; default: no limit); "
                             "results printed before stay")


def time_limited(args: argparse.Namespace, what: str):
    """The time limit of ``--timeout`` on the command ``what`` (a no-op without it); a value that is
    not a number of seconds > 0 raises BoundsError."""
    from derivations import time_limit

    hint = f"--timeout SECONDS (more than {args.timeout:g}), or without --timeout for no limit" \
        if isinstance(args.timeout, (int, float)) and args.timeout > 0 else "--timeout SECONDS"
    return time_limit(args.timeout, what=what, hint=hint, name="--timeout")


def build_parser(commands: Iterable[str] | None = None) -> argparse.ArgumentParser:
    """The argparse parser; ``commands`` (default: all) get their full parsers, the others only a name."""
    wanted = {COMMANDS[name][0] for name in (COMMANDS if commands is None else commands)}
    parser = argparse.ArgumentParser(
        prog="backprop-verify",
        description="Exact verification of backpropagation formulas, LaTeX derivations, NumPy training.")
    parser.add_argument("--version", action=_Version)
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


def _run(argv: Sequence[str], script: bool = False) -> int:
    command = _command(argv)
    parser = build_parser([command] if command else [])  # imports the command's modules
    if script:
        gc.freeze()  # what the imports made lives as long as the process: later collections skip it
        gc.enable()
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


def _guarded(argv: Sequence[str], script: bool) -> int:
    try:
        try:
            return _run(argv, script)
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


def _exit_now(status: int) -> None:
    """End the process with ``status`` after flushing stdout and stderr, skipping the interpreter's
    teardown (atexit handlers and the freeing of every object; the commands register no handler)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing more can be said
            pass
    os._exit(status)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    Without ``argv`` (the console script) it reads ``sys.argv`` and ends the process itself with the
    status, also after an ``argparse`` exit (``--help``, a usage error); see the module's docstring.
    With ``argv``, an ``argparse`` exit raises SystemExit as usual.
    """
    script = argv is None
    if script:
        gc.disable()  # until the command's modules are imported (re-enabled in _run)
    try:
        status = _guarded(sys.argv[1:] if script else list(argv), script)
    except SystemExit as stop:  # argparse: --help, --version, a usage error
        if not (script and (stop.code is None or isinstance(stop.code, int))):
            raise
        status = stop.code or 0
    finally:
        gc.enable()
    if script:
        _exit_now(status)
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
