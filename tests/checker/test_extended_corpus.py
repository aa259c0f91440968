"""Every formula of the extended corpus (tests/checker/extended_corpus.py) gets its cited verdict in
its own profile, and the corpus keeps its shape: at least 60 cases, correct ones and mistakes in
every profile. A wrong formula that comes back "holds" fails here."""

from __future__ import annotations

from collections import Counter

import pytest

from .extended_corpus import EXTENDED, run


@pytest.mark.parametrize("case", EXTENDED, ids=[f"{c.notation}-{c.expected}-{i}" for i, c in enumerate(EXTENDED)])
def test_extended_formula_gets_its_cited_verdict(case):
    word, _, text = run(case)
    assert word == case.expected, f"[{case.notation}] {case.latex} ({case.source})\n{text}"


def test_extended_corpus_has_sixty_cited_cases_of_both_kinds_per_profile():
    assert len(EXTENDED) >= 60
    assert len({(c.notation, c.latex) for c in EXTENDED}) == len(EXTENDED)
    kinds = Counter((c.notation, c.expected) for c in EXTENDED)
    for notation in {c.notation for c in EXTENDED}:
        assert kinds[(notation, "holds")] >= 3 and kinds[(notation, "fails")] >= 3, notation
    assert all(c.source for c in EXTENDED)
