"""LaTeX for formulas that must fit the page: width estimates, line packing, matrices.

Nothing here knows about networks beyond the symbol names of
:class:`~derivations.network.Network` (``x_{c}``, ``w^{(i)}_{r,c}``,
``\\sigma_{i,j}``, ``\\sigma'_{i,j}``, ``v_{j}``). The width estimate is a rough
model of TeX's math typesetting at 10pt (calibrated with ``\\setbox``/``\\wd``
measurements: a letter ~6pt, a script character ~3.8pt, a binary operator with
its spacing ~11pt); it errs on the wide side so a packed line never overfills.
"""

from __future__ import annotations

import re

import sympy as sp

__all__ = ["TEXT_WIDTH", "FACTOR_SEP", "tex_width", "pack", "monomial", "polynomial_pieces",
           "matrix_lines", "tex_escape"]

#: Usable width in pt for one display line: a bare ``\documentclass{article}`` (10pt, \textwidth = 345pt,
#: so a snippet fits any lecture notes at least that wide), minus room for an equation number.
TEXT_WIDTH = 290.0

#: Between the factors of a monomial: a thin space keeps sigma'_{2,1} w^{(2)}_{1,1} apart.
FACTOR_SEP = r" \, "

_GLYPH, _UPPER = 6.0, 8.5
_COMMANDS = {
    "circ": 11.0, "bullet": 11.0, "otimes": 12.0, "cdot": 7.5, "times": 11.0, "to": 14.0,
    "quad": 10.0, "qquad": 20.0, ",": 1.7, ";": 2.8, "!": -1.7, " ": 3.4, "cdots": 14.0, "ldots": 14.0,
    "dots": 14.0, "sum": 17.0, "nabla": 8.5, "partial": 6.0, "in": 10.0, "mathbb": 0.0, "mathbf": 0.0, "left": 0.0,
    "right": 0.0, "bigl": 1.0, "bigr": 1.0, "Bigl": 2.0, "Bigr": 2.0, "widehat": 0.0, "tilde": 0.0,
    "notag": 0.0, "displaystyle": 0.0, "coloneqq": 16.0, "mapsto": 14.0, "prime": 3.0,
    "operatorname": 0.0, "mathrm": 0.0, "text": 0.0, "textstyle": 0.0,
}
_TEXTUAL = {"operatorname", "mathrm", "text", "textrm", "mathit"}
_CHARS = {"=": 13.5, "+": 11.0, "-": 11.0, "(": 4.0, ")": 4.0, "[": 3.0, "]": 3.0, ",": 3.0, "'": 2.5,
          "&": 0.0, " ": 0.0, "<": 13.5, ">": 13.5, "|": 3.0, ".": 3.0, ":": 4.0}
_PATH_ORDER = [  # (regex on a symbol name, rank): path order sigma'_k w_k ... sigma'_i sigma_{i-1} (x)
    (re.compile(r"^v_\{(\d+)"), lambda m: (10 ** 6, 0)),
    (re.compile(r"^\\sigma'_\{(\d+),"), lambda m: (int(m.group(1)), 2)),
    (re.compile(r"^w\^\{\((\d+)\)\}"), lambda m: (int(m.group(1)), 1)),
    (re.compile(r"^b\^\{\((\d+)\)\}"), lambda m: (int(m.group(1)), 1)),
    (re.compile(r"^\\sigma_\{(\d+),"), lambda m: (int(m.group(1)), 3)),
    (re.compile(r"^x_\{"), lambda m: (0, 3)),
]


def _group(tex: str, pos: int) -> tuple[str, int]:
    """The argument starting at pos (a {...} group or one token) and the position after it."""
    while pos < len(tex) and tex[pos] == " ":
        pos += 1
    if pos >= len(tex):
        return "", pos
    if tex[pos] == "{":
        depth = 0
        for end in range(pos, len(tex)):
            depth += {"{": 1, "}": -1}.get(tex[end], 0)
            if depth == 0:
                return tex[pos + 1:end], end + 1
        return tex[pos + 1:], len(tex)
    if tex[pos] == "\\":
        m = re.match(r"\\([A-Za-z]+|.)", tex[pos:])
        return m.group(0), pos + m.end()
    return tex[pos], pos + 1


def tex_width(tex: str, scale: float = 1.0) -> float:
    """Estimated width in pt of inline/display math ``tex`` at 10pt (an overestimate).

    >>> tex_width("x") < tex_width("x + y") < tex_width("x + y + z")
    True
    """
    width, pos, scripts = 0.0, 0, {}
    while pos < len(tex):
        ch = tex[pos]
        if ch in "^_":
            arg, pos = _group(tex, pos + 1)
            scripts[ch] = tex_width(arg, 0.65)
            continue
        if scripts:  # sub- and superscript are stacked: the wider counts
            width += max(scripts.values()) * scale
            scripts = {}
        if ch == "\\":
            m = re.match(r"\\([A-Za-z]+|.)", tex[pos:])
            name, pos = m.group(1), pos + m.end()
            if name == "frac":
                num, pos = _group(tex, pos)
                den, pos = _group(tex, pos)
                width += max(tex_width(num, scale), tex_width(den, scale)) + 2 * scale
            elif name in _TEXTUAL:
                arg, pos = _group(tex, pos)
                width += 5.0 * len(re.sub(r"\\[A-Za-z]+|[{}]", "", arg)) * scale
            elif name in ("xrightarrow", "overset", "underbrace", "overbrace"):
                arg, pos = _group(tex, pos)
                width += max(20.0, tex_width(arg, 0.65) + 8) * scale
            elif name == "sum":  # limits sit above and below the sign
                limits = 0.0
                while pos < len(tex) and tex[pos] in "^_":
                    arg, pos = _group(tex, pos + 1)
                    limits = max(limits, tex_width(arg, 0.65))
                width += max(17.0, limits) * scale
            elif name in ("begin", "end"):
                _, pos = _group(tex, pos)
            else:
                width += _COMMANDS.get(name, _GLYPH) * scale
            continue
        pos += 1
        if ch in "{}":
            continue
        width += _CHARS.get(ch, _UPPER if ch.isupper() else _GLYPH) * scale
    if scripts:
        width += max(scripts.values()) * scale
    return width


def tex_escape(text: str) -> str:
    """Text-mode escape of &, %, $, #, _, {, }, ~, ^ and backslash."""
    table = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
             "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
    return "".join(table.get(c, c) for c in text)


def pack(lhs: str, pieces: list[str], *, width: float = TEXT_WIDTH, rel: str = "=") -> list[str]:
    """Lines ``lhs &= p0 p1 ...`` / ``&\\quad p_j ...`` for an align environment, each within width.

    Pieces are joined greedily; a continuation line starts with the piece's own
    operator (``+ ...``, ``\\circ ...``). One piece wider than a line gets a line alone.

    >>> pack("a", ["b", "+ c"])
    ['a &= b + c']
    """
    first = f"{lhs} &{rel} "
    lines, current, used = [], first, tex_width(first)
    indent = tex_width(r"\quad") + tex_width(lhs) * 0.3
    for idx, piece in enumerate(pieces):
        w = tex_width(piece) + 3.4
        if idx and used + w > width:
            lines.append(current.rstrip())
            current, used = r"&\quad ", indent
        current += piece + " "
        used += w
    lines.append(current.rstrip())
    return lines


def _order_key(sym: sp.Basic) -> tuple:
    name = sp.latex(sym)
    for pattern, rank in _PATH_ORDER:
        m = pattern.match(name)
        if m:
            layer, r = rank(m)
            return (-layer, -r, name)
    return (1, 0, name)


def monomial(term: sp.Expr) -> tuple[str, list[str]]:
    """(sign, factors) of a monomial, its factors in path order: sigma'_k w_k ... sigma'_i sigma_{i-1}.

    >>> monomial(sp.Symbol("x_{1}") * sp.Symbol("\\\\sigma'_{1,1}"))
    ('+', ["\\\\sigma'_{1,1}", 'x_{1}'])
    """
    coeff, rest = term.as_coeff_Mul()
    sign = "-" if coeff < 0 else "+"
    factors = []
    if abs(coeff) != 1:
        factors.append(sp.latex(abs(coeff)))
    powers = rest.as_powers_dict() if rest != 1 else {}
    for base in sorted(powers, key=_order_key):
        e = powers[base]
        text = sp.latex(base)
        factors.append(text if e == 1 else f"{{{text}}}^{{{sp.latex(e)}}}")
    return sign, factors or ["1"]


def polynomial_pieces(expr: sp.Expr, *, width: float = TEXT_WIDTH) -> list[str]:
    """Pieces (``t0``, ``+ t1``, ...) of the expanded polynomial, terms sorted along the paths.

    A single monomial wider than ``width`` is cut into factor pieces.
    """
    expr = sp.expand(expr)
    if expr == 0:
        return ["0"]
    terms = sorted((monomial(t) for t in sp.Add.make_args(expr)),  # biases after the weighted terms
                   key=lambda t: (t[1][-1].startswith("b^"), [f for f in t[1] if not f[0].isdigit()], t[0]))
    pieces = []
    for idx, (sign, factors) in enumerate(terms):
        lead = "- " if sign == "-" else ("" if idx == 0 else "+ ")
        text = lead + FACTOR_SEP.join(factors)
        if tex_width(text) <= width * 0.8:
            pieces.append(text)
            continue
        pieces.append(lead + factors[0])
        pieces.extend(r"\cdot " + f for f in factors[1:])
    return pieces


def matrix_lines(lhs: str, M: sp.MatrixBase, *, index_name: str, width: float = TEXT_WIDTH,
                 max_cols: int = 4) -> list[str]:
    """Lines for ``lhs = M``: one bmatrix line if it fits, else entry-wise index form.

    Index form writes ``(index_name)_{r,c} = ...`` per entry (1-based; ``_{r}`` for a
    column), each entry packed over as many lines as it needs.
    """
    cells = [[" ".join(polynomial_pieces(M[r, c], width=width)) for c in range(M.cols)]
             for r in range(M.rows)]
    col_w = [max(tex_width(cells[r][c]) for r in range(M.rows)) for c in range(M.cols)]
    total = tex_width(lhs + " = ") + sum(col_w) + 10.0 * (M.cols - 1) + 14.0
    if M.cols <= max_cols and total <= width and M.rows <= 12:
        body = r" \\[0.8ex] ".join(" & ".join(row) for row in cells)
        return [f"{lhs} &= \\begin{{bmatrix}} {body} \\end{{bmatrix}}"]
    lines = []
    for r in range(M.rows):
        for c in range(M.cols):
            sub = f"{r + 1}" if M.cols == 1 else f"{r + 1},{c + 1}"
            lines.extend(pack(f"({index_name})_{{{sub}}}", polynomial_pieces(M[r, c], width=width),
                              width=width))
    return lines
