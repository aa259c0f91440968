"""Compile a generated document with pdflatex and inspect the result (log, text, page image).

Tools: ``pdflatex`` (TeX Live), ``pdftotext`` and ``pdftoppm`` (poppler-utils).
Each runs in a temporary directory (pdflatex with ``-no-shell-escape
-interaction=nonstopmode -halt-on-error``); a missing tool or a failed run raises :class:`LatexToolError`.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import BackpropVerifyError
from ..fileio import check_writable, write_atomically

__all__ = ["LatexToolError", "CompileResult", "have_tool", "compile_pdf", "overfull_boxes", "pdf_text",
           "render_png"]

_RERUN = re.compile(r"Rerun to get cross-references right|There were undefined references")
_OVERFULL = re.compile(r"Overfull \\[hv]box \((\d+(?:\.\d+)?)pt too (?:wide|high)\)[^\n]*")


class LatexToolError(BackpropVerifyError, RuntimeError):
    """pdflatex / pdftotext / pdftoppm is missing, failed, or timed out."""


@dataclass(frozen=True)
class CompileResult:
    """A compiled document.

    Attributes:
        pdf: where the PDF was written.
        log: the pdflatex log.
        overfull: (points, log line) of every overfull box.
    """

    pdf: Path
    log: str
    overfull: tuple[tuple[float, str], ...]

    def worst_overfull(self) -> float:
        """The largest overfull amount in pt (0.0 if none)."""
        return max((pt for pt, _ in self.overfull), default=0.0)


def have_tool(name: str) -> bool:
    """True if the command ``name`` is on PATH."""
    return shutil.which(name) is not None


def _need(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise LatexToolError(f"{name} is not installed; install {package} (e.g. apt-get install {package}), "
                             "or write the .tex file only")
    return path


def _run(cmd: list[str], cwd: Path, timeout: float) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as err:
        raise LatexToolError(f"{Path(cmd[0]).name} timed out after {timeout:.0f} s") from err


def _stderr(proc: subprocess.CompletedProcess) -> str:
    return proc.stderr.decode(errors="replace").strip()


def overfull_boxes(log: str) -> tuple[tuple[float, str], ...]:
    """(pt, line) of each 'Overfull \\hbox (...pt too wide)' in a pdflatex log.

    >>> overfull_boxes("Overfull \\\\hbox (12.5pt too wide) in paragraph at lines 3--4")
    ((12.5, 'Overfull \\\\hbox (12.5pt too wide) in paragraph at lines 3--4'),)
    """
    return tuple((float(m.group(1)), m.group(0)) for m in _OVERFULL.finditer(log))


def compile_pdf(tex: str, pdf: str | Path, *, timeout: float = 120.0) -> CompileResult:
    """Compile the document text ``tex`` with pdflatex; the PDF is copied to ``pdf``.

    pdflatex runs with ``-no-shell-escape`` (a document cannot start programs), a second time
    when the log asks for it (cross-references); the PDF is written atomically and its
    directory must exist.

    Raises:
        LatexToolError: pdflatex missing, a LaTeX error (the message quotes the log's
            first error line), or a timeout.
        FileError: ``pdf`` cannot be written.
    """
    exe = _need("pdflatex", "texlive-latex-recommended")
    pdf = check_writable(pdf, what="PDF")
    with tempfile.TemporaryDirectory(prefix="bpv-latex-") as tmp:
        work = Path(tmp)
        (work / "doc.tex").write_text(tex, encoding="utf-8")
        cmd = [exe, "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"]
        log_file = work / "doc.log"
        for _ in range(2):  # a second run resolves \eqref (the .aux of the first)
            proc = _run(cmd, work, timeout)
            log = log_file.read_text(encoding="utf-8", errors="replace") if log_file.exists() else ""
            if proc.returncode != 0 or not _RERUN.search(log):
                break
        if proc.returncode != 0 or not (work / "doc.pdf").exists():
            errors = [line for line in log.splitlines() if line.startswith("!")]
            first = errors[0] if errors else "no error line in the log"
            raise LatexToolError(f"pdflatex failed (exit {proc.returncode}): {first}")
        write_atomically({pdf: (work / "doc.pdf").read_bytes()}, what="PDF")
    return CompileResult(pdf, log, overfull_boxes(log))


def pdf_text(pdf: str | Path, *, timeout: float = 60.0) -> str:
    """The text of a PDF by pdftotext (poppler-utils)."""
    exe = _need("pdftotext", "poppler-utils")
    pdf = Path(pdf).resolve()
    proc = _run([exe, str(pdf), "-"], pdf.parent, timeout)
    if proc.returncode != 0:
        raise LatexToolError(f"pdftotext failed on {pdf.name}: {_stderr(proc)}")
    return proc.stdout.decode("utf-8", errors="replace")


def render_png(pdf: str | Path, png: str | Path, *, page: int = 1, dpi: int = 80,
               timeout: float = 60.0) -> Path:
    """Page ``page`` of a PDF as a PNG (pdftoppm -r dpi -singlefile)."""
    exe = _need("pdftoppm", "poppler-utils")
    pdf, png = Path(pdf).resolve(), Path(png).resolve()
    png.parent.mkdir(parents=True, exist_ok=True)
    stem = png.with_suffix("")
    cmd = [exe, "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(stem)]
    proc = _run(cmd, pdf.parent, timeout)
    if proc.returncode != 0 or not stem.with_suffix(".png").exists():
        raise LatexToolError(f"pdftoppm failed on {pdf.name}: {_stderr(proc)}")
    return stem.with_suffix(".png")
