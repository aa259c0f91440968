"""The one console script, ``backprop-verify``: report, check, latex, train, predict.

Each subcommand lives in its own module (``numeric/cli_<name>.py``) with
``register(subparsers)`` adding its parser and setting ``func``. Our own errors
(:class:`derivations.errors.BackpropVerifyError`) are printed as one line and
exit with status 2; a formula that fails a check exits with 1.
"""

from __future__ import annotations

import argparse
import sys

from derivations.errors import BackpropVerifyError

from . import cli_check, cli_latex, cli_report, cli_train

__all__ = ["main", "build_parser"]


def build_parser() -> argparse.ArgumentParser:
    """The argparse parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="backprop-verify",
        description="Exact verification of backpropagation formulas, LaTeX derivations, NumPy training.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (cli_report, cli_check, cli_latex, cli_train):
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except BackpropVerifyError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
