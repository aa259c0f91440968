"""A real public lecture note checked end to end: an excerpt of Nielsen, Neural Networks and Deep
Learning, ch. 2 (tests/checker/notes/nielsen_ch2.md, cited in its header), in the book's notation.

Each formula found gets the verdict the book implies. The forward pass (25) applies sigma to the
expression w^l a^{l-1} + b^l, read as the pre-activation it equals, and its index form (23) sigma
to a neuron sum, read as the entry of the pre-activation it equals; (31) drops every index on
purpose ("understood" per neuron), which cannot be read (reported with the reason, the file still
checked).
"""

from __future__ import annotations

from pathlib import Path

from derivations.checker.files import check_file, check_text

NOTE = Path(__file__).parent / "notes" / "nielsen_ch2.md"

EXPECTED = {  # line: (label, verdict)
    16: ("(23)", "holds"), 20: ("(25)", "holds"), 22: ("", "holds"), 35: ("(BP1)", "holds"),
    37: ("(BP1a)", "holds"), 39: ("", "holds"), 41: ("(30)", "holds"), 45: ("(BP2)", "holds"),
    49: ("(BP3)", "holds"), 51: ("(31)", "error"), 55: ("(BP4)", "holds"), 61: ("(33)", "holds"),
    63: ("(34)", "holds"), 67: ("(36)", "holds"), 69: ("(39)", "holds"), 71: ("(40)", "holds"),
    73: ("(43)", "holds"), 75: ("(45)", "holds"), 81: ("", "holds"), 83: ("", "holds"), 84: ("", "holds"),
    85: ("", "holds"),
}


def test_nielsen_chapter_two_gets_the_books_verdicts():
    results = check_file(NOTE)
    got = {r.line: (r.label, r.verdict_word) for r in results}
    assert got == EXPECTED, "\n".join(str(r) for r in results if EXPECTED.get(r.line, ("", ""))[1] != r.verdict_word)
    assert all(r.notation == "nielsen" for r in results if not r.error)


def test_a_typo_in_the_note_is_caught_on_its_line():
    text = NOTE.read_text(encoding="utf-8").replace(r"((w^{l+1})^T \delta^{l+1}) \odot \sigma'(z^l) \tag{BP2}",
                                                    r"(w^{l+1} \delta^{l+1}) \odot \sigma'(z^l) \tag{BP2}")
    by_line = {r.line: r for r in check_text(text, layout="markdown")}
    assert by_line[45].holds is False and by_line[45].counterexample is not None
    assert by_line[83].holds is True


def test_the_index_form_of_the_forward_pass_is_read_and_its_mistakes_are_refused_not_held():
    # Nielsen (23): sigma of a neuron's sum is sigma of that neuron's pre-activation
    text = NOTE.read_text(encoding="utf-8")
    for wrong in (r"w^l_{kj}", r"w^l_{jk} a^{l}_k"):  # transposed weight; the wrong layer's activations
        mutated = text.replace(r"w^l_{jk} a^{l-1}_k + b^l_j", wrong if "a^" in wrong else wrong + " a^{l-1}_k + b^l_j")
        line16 = {r.line: r for r in check_text(mutated, layout="markdown")}[16]
        assert line16.holds is not True and "pre-activation" in line16.error, str(line16)
