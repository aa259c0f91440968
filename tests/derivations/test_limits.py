"""time_limit: past the limit a TimeLimitError naming it; nothing inside the block can swallow the
expiry; the timer and the handler are put back as they were."""

from __future__ import annotations

import math
import signal
import threading
import time

import pytest

from derivations import BackpropVerifyError, BoundsError, TimeLimitError, time_limit
from derivations.checker import check


def _spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_a_block_past_its_limit_raises_time_limit_error_naming_the_limit_and_the_way_to_raise_it():
    with pytest.raises(TimeLimitError, match=r"^spinning ran past the time limit of 0\.2 s; raise it with --t$"):
        with time_limit(0.2, what="spinning", hint="--t"):
            _spin(10)


def test_a_block_within_its_limit_returns_and_leaves_no_timer_behind():
    before = signal.getsignal(signal.SIGALRM)
    with time_limit(5):
        _spin(0.01)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is before


def test_the_expiry_is_not_swallowed_by_except_clauses_inside_the_block():
    caught = []
    with pytest.raises(TimeLimitError):
        with time_limit(0.2):
            for _ in range(100):
                try:
                    _spin(0.05)
                except (BackpropVerifyError, Exception) as err:  # noqa: BLE001 - the point of the test
                    caught.append(err)
    assert caught == []


def test_an_expiry_swallowed_inside_the_block_is_raised_again():
    with pytest.raises(TimeLimitError):
        with time_limit(0.2):
            try:
                _spin(0.5)
            except BaseException:  # noqa: BLE001, S110 - as a __del__ or a gc callback would lose it
                pass
            _spin(10)


def test_cleanup_in_finally_clauses_runs_to_its_end():
    cleaned = []
    with pytest.raises(TimeLimitError):
        with time_limit(0.1):
            try:
                _spin(10)
            finally:
                _spin(0.35)  # several repeats of the expiry fall in here: none may cut it short
                cleaned.append(True)
    assert cleaned == [True]


def test_the_time_limit_error_is_ours_and_a_timeout_error():
    assert issubclass(TimeLimitError, BackpropVerifyError) and issubclass(TimeLimitError, TimeoutError)


def test_a_long_check_is_stopped_by_the_limit():
    began = time.monotonic()
    with pytest.raises(TimeLimitError, match="check"):
        with time_limit(0.5, what="check"):
            check(r"\Delta_i = (W_{i+1}^T \Delta_{i+1}) \circ \Sigma'_i", sweep=True, max_depth=5)
    assert time.monotonic() - began < 30


@pytest.mark.parametrize("seconds", [0, -1, math.nan, math.inf, "3", True])
def test_limits_that_are_not_positive_finite_numbers_are_refused(seconds):
    with pytest.raises(BoundsError, match="timeout must be a number of seconds > 0"):
        time_limit(seconds)


def test_none_means_no_limit():
    with time_limit(None):
        _spin(0.01)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_an_outer_timer_due_later_is_re_armed_with_its_remaining_time():
    fired = []
    old = signal.signal(signal.SIGALRM, lambda *a: fired.append(True))
    try:
        signal.setitimer(signal.ITIMER_REAL, 2.0)
        with time_limit(5):
            _spin(0.1)
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 1.0 < left < 1.95
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    assert fired == []


def test_an_outer_timer_due_sooner_governs():
    fired = []
    old = signal.signal(signal.SIGALRM, lambda *a: fired.append(True))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.1)
        with time_limit(5):
            _spin(0.3)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    assert fired == [True]


def test_off_the_main_thread_the_block_runs_without_a_limit():
    done = []

    def work():
        with time_limit(0.05):
            _spin(0.2)
        done.append(True)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert done == [True]
