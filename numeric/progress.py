"""A progress bar for the long commands (``check`` on a file, ``report``): tqdm on stderr.

The bar appears only when it is wanted: stderr is a terminal (tqdm's ``disable=None``), the
work has lasted :data:`DELAY` seconds (tqdm's ``delay``), and ``--quiet`` was not given. It
never goes to stdout: results are printed with :meth:`Progress.write`, which lifts the bar off
the terminal for the line (``tqdm.write``) once the bar is showing, and flushes, so a pipe sees
each result as soon as it is decided.

    with Progress(total=3, unit="formula", quiet=args.quiet) as bar:
        for result in results:
            bar.write(result.summary())
            bar.advance()
"""

from __future__ import annotations

import sys

__all__ = ["Progress", "DELAY"]

DELAY = 2.0
"""Seconds of work before the bar appears (short commands never show one)."""


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


class Progress:
    """A tqdm bar on stderr over ``total`` units, off with ``quiet=True`` or when stderr is no terminal.

    Args:
        total: the number of units (None: unknown; :meth:`report` may set it later).
        desc: the bar's label, e.g. "check".
        unit: what one step counts, e.g. "formula".
        quiet: never show the bar (``--quiet``).
        force: show the bar even when stderr is no terminal (still after :data:`DELAY` seconds).
    """

    def __init__(self, *, total: int | None = None, desc: str = "", unit: str = "it", quiet: bool = False,
                 force: bool = False) -> None:
        self._bar = None
        if quiet or not (force or _is_terminal(sys.stderr)):
            return  # no bar can show: tqdm (about 55 ms to import) is not even loaded
        from tqdm import tqdm  # lazy: --help, --version and piped output stay light

        self._tqdm = tqdm
        self._bar = tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, delay=DELAY, disable=False,
                         leave=False, dynamic_ncols=True)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def showing(self) -> bool:
        """True once the bar has been drawn (enabled and past its delay)."""
        bar = self._bar
        return bar is not None and not bar.disable and bar.last_print_t >= bar.start_t + bar.delay

    def start(self, total: int) -> None:
        """Set the number of units (e.g. epochs, once they are known) and count from 0."""
        if self._bar is not None:
            self._bar.reset(total=total)

    def advance(self, n: int = 1, label: str | None = None) -> None:
        """Count ``n`` more units done; ``label`` names the work now running (shown after the count)."""
        if self._bar is None:
            return
        if label is not None:
            self._bar.set_postfix_str(label, refresh=False)
        self._bar.update(n)

    def report(self, done: int, total: int, label: str = "") -> None:
        """Callback form, ``(done, total, label)``: ``done`` of ``total`` units finished, ``label`` running now.

        This is the ``progress`` argument of :func:`derivations.report.paper_report`.
        """
        if self._bar is not None:
            self._bar.total = total
            self.advance(done - self._bar.n, label)

    def write(self, line: str) -> None:
        """Print ``line`` on stdout (never into the bar), and flush."""
        if self.showing:
            self._tqdm.write(line, file=sys.stdout)
        else:
            print(line, file=sys.stdout)
        sys.stdout.flush()

    def close(self) -> None:
        """Remove the bar (it leaves nothing behind on the terminal)."""
        if self._bar is not None:
            self._bar.close()
