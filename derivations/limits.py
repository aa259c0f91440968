"""A time limit on a block of work: ``with time_limit(30): ...`` raises TimeLimitError past 30 s.

The limit is wall-clock time, kept by ``signal.setitimer(ITIMER_REAL)`` on the main thread. When
it runs out, a private ``BaseException`` is raised where the work is (as Ctrl-C raises
KeyboardInterrupt), so no ``except BackpropVerifyError`` or ``except Exception`` inside the work
can swallow it, and ``finally`` clauses (temporary files, progress bars) still run (a repeat of the
expiry waits while one is propagating); leaving the block turns it into
:class:`~derivations.errors.TimeLimitError` with the limit and how to raise it.

Limits:
    The timer fires between Python steps: one long call into C (a SymEngine expansion) ends
    before the error is raised. Off the main thread, and where ``setitimer`` does not exist
    (Windows), the block runs without a limit. An outer timer that would fire sooner is left
    alone (it governs); a later one is re-armed with its remaining time on exit.
"""

from __future__ import annotations

import math
import signal
import sys
import threading
import time
from types import TracebackType

from .errors import BoundsError, TimeLimitError

__all__ = ["time_limit", "check_timeout"]


_AGAIN = 0.1
"""Seconds between repeats of the expiry: one raised where it cannot propagate (a ``__del__``, a
``gc`` callback, a bare ``except BaseException: pass``) is raised again until the block ends."""


class _Expired(BaseException):
    """Raised by the timer inside the block; never seen outside :class:`time_limit`."""


def check_timeout(seconds, name: str = "timeout") -> float | None:
    """``seconds`` as a float if it is a finite number > 0; None stays None (no limit); else BoundsError.

    >>> check_timeout(2)
    2.0
    """
    if seconds is None:
        return None
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) \
            or not math.isfinite(seconds) or seconds <= 0:
        raise BoundsError(f"{name} must be a number of seconds > 0, got {name}={seconds!r}")
    return float(seconds)


def _available() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


class time_limit:  # noqa: N801 - used as a function: `with time_limit(30):`
    """Context manager: the block must end within ``seconds`` (wall clock), else TimeLimitError.

    Args:
        seconds: the limit; None means no limit (the block runs as it is).
        what: what is limited, for the message ("check", "the report").
        hint: how to raise the limit, for the message (default: "a larger timeout").
        name: the parameter's name in the BoundsError for a bad ``seconds`` ("--timeout" in the CLI).

    Raises:
        BoundsError: ``seconds`` is not a finite number > 0.
        TimeLimitError: the block ran past the limit ("check ran past the time limit of 2 s;
            raise it with ..."); what was printed or written before stays.

    >>> with time_limit(5, what="a sum"):
    ...     sum(range(10))
    45
    """

    def __init__(self, seconds: float | None, *, what: str = "the work",
                 hint: str = "a larger timeout", name: str = "timeout") -> None:
        self.seconds = check_timeout(seconds, name)
        self.what, self.hint = what, hint
        self._armed = False

    def _fire(self, signum, frame) -> None:
        if not self._armed or isinstance(sys.exc_info()[1], _Expired):
            return  # after the block, or the expiry is on its way out (a finally clause runs): let it
        raise _Expired()

    def __enter__(self) -> time_limit:
        if self.seconds is None or not _available():
            return self
        self._old_handler = signal.getsignal(signal.SIGALRM)
        self._old_delay, self._old_interval = signal.getitimer(signal.ITIMER_REAL)
        if self._old_delay and self._old_delay <= self.seconds:
            return self  # an outer limit ends sooner: it governs
        self._began = time.monotonic()
        self._armed = True
        signal.signal(signal.SIGALRM, self._fire)
        signal.setitimer(signal.ITIMER_REAL, self.seconds, _AGAIN)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if not self._armed and not hasattr(self, "_began"):
            return
        self._armed = False  # first: a signal from here on is ignored
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self._old_handler)
        spent = time.monotonic() - self.__dict__.pop("_began")
        if self._old_delay:  # an outer timer, due later: re-arm it with what is left of it
            signal.setitimer(signal.ITIMER_REAL, max(self._old_delay - spent, 1e-6), self._old_interval)
        if exc_type is not None and issubclass(exc_type, _Expired):
            raise TimeLimitError(f"{self.what} ran past the time limit of {self.seconds:g} s; "
                                 f"raise it with {self.hint}") from None
