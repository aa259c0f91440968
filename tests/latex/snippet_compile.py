"""Compile many snippets in one pdflatex run, and attribute each overfull box to its snippet.

Each snippet goes into one bare ``\\documentclass{article}`` with the packages index.tex names,
after a ``\\typeout`` marker and followed by ``\\clearpage`` (so a too-tall display is shipped,
and reported, before the next marker). One run instead of one per snippet keeps the suite fast.
"""

from __future__ import annotations

import re
from pathlib import Path

from derivations.latex import compile_pdf, overfull_boxes

MARK = "BPV-SNIPPET"


def bare(packages: str, body: str, documentclass: str = "article") -> str:
    """A minimal document: the class, the packages, the body."""
    return (f"\\documentclass{{{documentclass}}}\n\\usepackage{{{packages}}}\n\\begin{{document}}\n{body}\n"
            "\\end{document}\n")


def compile_snippets(snippets: dict[str, str], packages: str, pdf: Path) -> dict[str, float]:
    """name -> worst overfull box (pt) of each snippet, compiled together in one bare article.

    Raises LatexToolError (with the log's first error line) if any snippet does not compile.
    """
    body = "\n".join(f"\\typeout{{{MARK} {name}}}\n{tex}\n\\clearpage" for name, tex in snippets.items())
    result = compile_pdf(bare(packages, body), pdf)
    worst = dict.fromkeys(snippets, 0.0)
    current = None
    for line in result.log.splitlines():
        m = re.match(rf"{MARK} (\S+)", line)
        if m:
            current = m.group(1)
            continue
        for pt, _ in overfull_boxes(line):
            if current is not None:
                worst[current] = max(worst[current], pt)
    return worst
