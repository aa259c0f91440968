"""Every corpus formula gets its expected verdict (the table is tests/checker/corpus.py)."""

from collections import Counter

import pytest

from derivations.checker import check

from .corpus import CORPUS


def _verdict(case) -> str:
    result = check(case.latex, notation=case.notation, **case.options)
    if result.holds:
        return "holds"
    if result.status == "ambiguous":
        return "ambiguous"
    return result.counterexample.kind if result.counterexample is not None else "undecided"


@pytest.mark.parametrize("case", CORPUS, ids=[c.description for c in CORPUS])
def test_corpus_formula_gets_expected_verdict(case):
    assert _verdict(case) == case.expected, case.latex


def test_corpus_is_large_and_mixed():
    counts = Counter(c.expected for c in CORPUS)
    assert len(CORPUS) >= 30
    assert counts["holds"] >= 10 and counts["value"] >= 5 and counts["shape"] >= 5
    assert {c.notation for c in CORPUS} == {"paper", "tutorial"}
