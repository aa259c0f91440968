"""Every textbook formula of the profile corpus gets its expected verdict in its own notation.

The table is tests/checker/profile_corpus.py (issue 7, part 6); its verdicts come from the books,
so a failure here is either a checker gap or a corpus error, to be reconciled, never skipped.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from derivations.checker import check, notation_names
from derivations.errors import BackpropVerifyError

from .profile_corpus import EXPECTED, PROFILE_CORPUS, PROFILES

BOUND = {"max_depth": 3, "max_width": 2}
"""Small sweep: depths 1-3, widths 1-2 (enough for every shape and index mistake in the table)."""


def _case_id(case) -> str:
    label = case.description.split(":", 1)[0]
    slug = re.sub(r"[^A-Za-z0-9]+", "-", label).strip("-").lower()[:48]
    return f"{case.notation}-{case.expected}-{slug}"


def _require_profile(notation: str) -> None:
    known = notation_names()
    if notation not in known:
        pytest.fail(f"the checker does not know the notation profile {notation!r} yet; "
                    f"known: {', '.join(known)}")


def reported_readings(result) -> list:
    """The readings a result reports (the ambiguity API: ``CheckResult.readings``).

    Each reading is ``(name, CheckResult)``; returns them as a list. Fails the test with a clear
    message if ``CheckResult`` has no ``readings`` attribute.
    """
    if not hasattr(result, "readings"):
        pytest.fail("CheckResult has no `readings` attribute: the checker cannot report an ambiguity")
    return list(result.readings)


def _reading_holds(reading):
    result = reading[1] if isinstance(reading, tuple) else reading
    return result.holds


def _context(case, result=None) -> str:
    text = f"[{case.notation}] {case.latex}\n  expected {case.expected}: {case.description}"
    return text if result is None else f"{text}\n  got: {result}"


@pytest.mark.parametrize("case", PROFILE_CORPUS, ids=[_case_id(c) for c in PROFILE_CORPUS])
def test_profile_formula_gets_expected_verdict(case):
    _require_profile(case.notation)
    if case.expected == "error":
        with pytest.raises(BackpropVerifyError):
            result = check(case.latex, notation=case.notation, **BOUND)
            pytest.fail(_context(case, result))
        return
    try:
        result = check(case.latex, notation=case.notation, **BOUND)
    except BackpropVerifyError as err:
        pytest.fail(f"{_context(case)}\n  raised {type(err).__name__}: {err}")
    if case.expected == "holds":
        assert result.holds is True, _context(case, result)
    elif case.expected == "fails":
        assert result.holds is False and result.counterexample is not None, _context(case, result)
    else:
        readings = reported_readings(result)
        assert len(readings) >= 2, _context(case, result)
        assert len({_reading_holds(r) for r in readings}) >= 2, _context(case, result)


def test_profile_corpus_covers_every_profile():
    counts = Counter(c.notation for c in PROFILE_CORPUS)
    assert set(counts) == set(PROFILES)
    assert all(counts[p] >= 15 for p in PROFILES), counts
    assert {c.expected for c in PROFILE_CORPUS} <= set(EXPECTED)
    for p in PROFILES:
        kinds = Counter(c.expected for c in PROFILE_CORPUS if c.notation == p)
        assert kinds["holds"] >= 5 and kinds["fails"] >= 5 and kinds["error"] >= 1, (p, kinds)


def test_profile_corpus_ids_and_formulas_are_unique():
    ids = [_case_id(c) for c in PROFILE_CORPUS]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    keys = [(c.notation, c.latex) for c in PROFILE_CORPUS]
    assert len(keys) == len(set(keys))
