"""LaTeX formula text -> Lark parse tree, with positioned, labelled syntax errors.

The grammar lives in ``grammar.lark`` beside this file (loaded with
``Lark.open(..., rel_to=__file__)``). Nothing in the text is ever executed: it is
only tokenised and parsed. Every Lark failure becomes a
:class:`~derivations.errors.FormulaSyntaxError` with the 1-based line and column,
a caret context (``UnexpectedInput.get_context``) and a short label chosen by
``UnexpectedInput.match_examples`` from the table :data:`ERROR_EXAMPLES`.
"""

from __future__ import annotations

import hashlib
import os
import re
from functools import lru_cache
from pathlib import Path

import lark
from lark import Lark, Tree
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput

from ..errors import FormulaSyntaxError

__all__ = ["parser", "parse_tree", "strip_math", "ERROR_EXAMPLES", "MAX_LENGTH", "MAX_DIGITS"]

MAX_LENGTH = 5000
"""Longest formula accepted (characters); longer text is refused before parsing."""

MAX_DIGITS = 30
"""Most digits in one number (an index, a constant); longer runs are refused before parsing."""

ERROR_EXAMPLES: dict[str, list[str]] = {
    "missing '=': write LHS = RHS": [r"\Delta_i", r"\nabla_{W_i} f", r"a \cdot b"],
    "missing right-hand side": [r"\Delta_i =", r"\nabla_{W_i} f = "],
    "missing left-hand side": [r"= \Delta_i", r"= a"],
    "more than one '='": [r"a = b = c", r"\Delta_i = a = b"],
    "operator without a right operand": [r"a = b \cdot", r"a = b \circ", r"a = b +", r"a = b \odot"],
    "two operators in a row": [r"a = b \cdot \circ c", r"a = b + \cdot c", r"a = \circ b"],
    "unclosed parenthesis or brace": [r"a = (b", r"a = W_{i", r"a = \frac{1}{m", r"a = ((b)"],
    "closing parenthesis without an opening one": [r"a = b)", r"a = b}", r"a) = b"],
    "empty subscript, superscript or group": [r"a = W_{}", r"a = W^{}", r"a = ()"],
    "a comma or semicolon outside f(X; W)": [r"a = b, c", r"a = b; c", r"a = W_i, c"],
    "subscript or superscript without a base": [r"a = _i", r"a = ^T", r"a = b + ^T"],
}


GRAMMAR = Path(__file__).with_name("grammar.lark")


def _cache_file() -> str | bool:
    """Where Lark keeps the analysed grammar between runs: a file in the user's cache directory
    ($XDG_CACHE_HOME or ~/.cache, never the shared /tmp) named by a hash of the grammar and the Lark
    version; Lark checks its own hash on load and rebuilds when it differs. False (no cache) when
    that directory cannot be made or written."""
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "backprop-verify"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        digest = hashlib.sha256((GRAMMAR.read_text(encoding="utf-8") + lark.__version__).encode()).hexdigest()
    except (OSError, RuntimeError):  # RuntimeError: no home directory
        return False
    return str(folder / f"grammar-{digest[:16]}.lark") if os.access(folder, os.W_OK) else False


@lru_cache(maxsize=None)
def parser() -> Lark:
    """The LALR parser of ``grammar.lark`` (built once a process; the analysis cached on disk)."""
    cache = _cache_file()
    kept = dict(cache=cache, cache_grammar=True) if cache else {}  # the grammar too: Hypothesis' from_lark reads it
    return Lark.open(str(GRAMMAR), parser="lalr", lexer="basic", propagate_positions=True,
                     maybe_placeholders=False, **kept)


_DELIMITERS = [(r"$$", r"$$"), (r"\[", r"\]"), (r"\(", r"\)"), ("$", "$")]
_ENV = re.compile(r"^\\begin\{(equation|align|displaymath|gather|multline)\*?\}(.*)"
                  r"\\end\{\1\*?\}$", re.S)


def strip_math(text: str) -> str:
    r"""Remove one pair of surrounding math delimiters ($...$, $$...$$, \[...\], equation env).

    >>> strip_math(r"$\Delta_i = 1$")
    '\\Delta_i = 1'
    """
    s = text.strip()
    m = _ENV.match(s)
    if m:
        return m.group(2).strip()
    for left, right in _DELIMITERS:
        if len(s) >= len(left) + len(right) and s.startswith(left) and s.endswith(right):
            return s[len(left):len(s) - len(right)].strip()
    return s


def _label(err: UnexpectedInput, text: str) -> str:
    if isinstance(err, UnexpectedCharacters):
        return f"unexpected character {text[err.pos_in_stream]!r}"
    try:
        label = err.match_examples(parser().parse, ERROR_EXAMPLES, use_accepts=True)
    except LarkError:
        label = None
    if label:
        return label
    if isinstance(err, UnexpectedEOF) or getattr(getattr(err, "token", None), "type", "") == "$END":
        return "unexpected end of formula"
    token = getattr(err, "token", None)
    return f"unexpected {token!s:.20}" if token is not None else "syntax error"


def _position(err: UnexpectedInput, text: str) -> tuple[int, int, int]:
    pos = getattr(err, "pos_in_stream", None)
    if pos is None or pos < 0 or isinstance(err, UnexpectedEOF) or \
            getattr(getattr(err, "token", None), "type", "") == "$END":
        pos = len(text)
    return _position_of(pos, text)


def _position_of(pos: int, text: str) -> tuple[int, int, int]:
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return pos, line, column


def _context(text: str, pos: int, span: int = 40) -> str:
    start = max(text.rfind("\n", 0, pos) + 1, pos - span)
    end = text.find("\n", pos)
    end = len(text) if end < 0 else min(end, pos + span)
    return text[start:end] + "\n" + " " * (pos - start) + "^"


def parse_tree(text: str) -> Tree:
    """Parse one formula ``LHS = RHS`` (math delimiters already removed).

    Raises:
        FormulaSyntaxError: with line, column, a caret context and a label.
    """
    if not isinstance(text, str):
        raise FormulaSyntaxError(f"a formula must be a string, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise FormulaSyntaxError(f"formula longer than {MAX_LENGTH} characters, got {len(text)}",
                                 label="too long")
    if not text.strip():
        raise FormulaSyntaxError("empty formula: write LHS = RHS", label="empty formula")
    digits = re.search(r"\d{%d,}" % (MAX_DIGITS + 1), text)
    if digits:
        _, line, column = _position_of(digits.start(), text)
        raise FormulaSyntaxError(
            f"a number with {len(digits.group())} digits, more than MAX_DIGITS={MAX_DIGITS} "
            "(derivations.checker.parse.MAX_DIGITS)", line=line, column=column,
            context=_context(text, digits.start()), label="number too long")
    try:
        return parser().parse(text)
    except UnexpectedInput as err:
        pos, line, column = _position(err, text)
        label = _label(err, text)
        at_end = pos >= len(text)
        context = _context(text, pos) if at_end else err.get_context(text, span=40).rstrip("\n")
        raise FormulaSyntaxError(label, line=line, column=column, context=context, label=label) from err
    except (LarkError, RecursionError) as err:
        raise FormulaSyntaxError(f"cannot parse the formula: {type(err).__name__}",
                                 label="syntax error") from err
