"""A step-by-step derivation of backpropagation for one architecture, as a LaTeX document.

:class:`Derivation` gathers the blocks of :mod:`derivations.latex.sections`
(network function, recursion, each layer's gradient by (3), (4), (5) and the
recursion, one entry in index notation) and the verdict of each formula on this
architecture (:mod:`derivations.latex.verdicts`), with the paper's typo in (3)
shown next to its correction. ``document()`` is a complete pdflatex-ready
article; ``snippets()`` gives each displayed equation alone; ``_repr_latex_``
is the Jupyter form.
"""

from __future__ import annotations

from functools import cached_property
from math import prod
from pathlib import Path

from ..errors import ArchitectureError
from ..fileio import write_atomically
from ..network import Architecture, Network
from . import sections
from .blocks import Block, Equation, Raw, Section, Text, ref
from .pdf import CompileResult, compile_pdf
from .texmath import tex_escape
from .verdicts import FormulaVerdict, verify_all

__all__ = ["Derivation", "derive", "MAX_WRITTEN_ENTRIES", "MAX_BRANCHES", "PREAMBLE", "SNIPPET_PACKAGES"]

#: The packages every snippet needs, in a bare ``\\documentclass{article}``.
SNIPPET_PACKAGES = ("amsmath",)

#: Written-out entries are offered up to this many gradient entries (sum of n_i n_{i-1}) ...
MAX_WRITTEN_ENTRIES = 64
#: ... and this many branches per entry of grad_{W_1} f (n_2 ... n_k).
MAX_BRANCHES = 16

#: The document's preamble. The equations need amsmath only (:data:`SNIPPET_PACKAGES`); the paper's
#: numbers are tags such as (3), so our own numbers read (E1), (E2), ... to keep them apart.
PREAMBLE = r"""\documentclass[10pt]{article}
\usepackage[a4paper,margin=2.2cm]{geometry}
\usepackage{amsmath}
\usepackage{booktabs}
\allowdisplaybreaks
\renewcommand{\theequation}{E\arabic{equation}}
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.5ex}
"""


def _too_large(arch: Architecture) -> str | None:
    """Why the entries cannot be written out, or None."""
    count = sum(a * b for a, b in zip(arch.widths, arch.widths[1:], strict=False))
    branches = prod(arch.widths[2:])
    if count > MAX_WRITTEN_ENTRIES:
        return f"{count} gradient entries > MAX_WRITTEN_ENTRIES={MAX_WRITTEN_ENTRIES}"
    if branches > MAX_BRANCHES:
        return f"{branches} branches per entry of grad W_1 > MAX_BRANCHES={MAX_BRANCHES}"
    return None


class Derivation:
    """The derivation of grad_W f for one architecture, in the paper's notation.

    Args:
        architecture: widths, activations, form (homogeneous or affine).
        entries: write out every matrix entry and one entry in index notation;
            None (default) does so when the architecture is small enough.
        verify: check every formula exactly against the ground truth and report it.
        timings: show the seconds each check took (off by default, so the output is deterministic).

    Raises:
        ArchitectureError: not an Architecture; ``entries=True`` on an architecture
            too large to write out (the message says why and suggests entries=False).

    >>> d = Derivation(Architecture((2, 1)), verify=False)
    >>> d.entries, "tag{3}" in d.document()
    (True, True)
    """

    def __init__(self, architecture: Architecture, *, entries: bool | None = None,
                 verify: bool = True, timings: bool = False) -> None:
        if not isinstance(architecture, Architecture):
            raise ArchitectureError(f"expected an Architecture, got architecture={architecture!r}")
        reason = _too_large(architecture)
        if entries and reason:
            raise ArchitectureError(
                f"architecture {architecture.label()} is too large for written-out entries ({reason}); "
                "use entries=False (CLI: --no-entries) for the general formulas only")
        self.architecture = architecture
        self.entries = reason is None if entries is None else bool(entries)
        self.verify = verify
        self.timings = timings
        self.net = Network(architecture)

    @cached_property
    def verdicts(self) -> tuple[float, list[FormulaVerdict]]:
        """(ground-truth seconds, one verdict per formula); empty when verify=False."""
        return verify_all(self.net) if self.verify else (0.0, [])

    @cached_property
    def blocks(self) -> list[Block]:
        """The derivation as blocks, in reading order."""
        net, entries = self.net, self.entries
        if self.verify:
            self.verdicts  # noqa: B018 -- first, so the ground truth is timed here
        out: list[Block] = sections.network_section(net, entries=entries)
        out += sections.recursion_section(net, entries=entries)
        out += sections.gradient_sections(net, entries=entries)
        if entries:
            out += sections.index_section(net)
        out += self._correction_section()
        if self.verify:
            out += self._verification_section()
        return out

    def _correction_section(self) -> list[Block]:
        k = self.net.depth
        visible = k >= 4
        text = ("\\textbf{Correction} of (3): in the line for $\\nabla_{W_1} f$ the paper prints the factor "
                "$\\Sigma'_{k-2} \\bullet W_{k-2}$; it must read $\\Sigma'_{k-2} \\bullet W_{k-2}^{T}$ "
                "like every "
                "other period. The factor exists only for depth $k \\ge 4$; ")
        text += (f"here $k = {k}$, so layer 1 above shows the printed line {ref('grad_W1_eq3_printed')}, marked "
                 f"as the misprint, and the corrected line {ref('grad_W1_eq3_corrected')}."
                 if visible else f"here $k = {k}$, so the printed and corrected forms coincide.")
        return [Section("Corrections to the paper"), Text(text)]

    def _verification_section(self) -> list[Block]:
        truth_seconds, verdicts = self.verdicts
        label = tex_escape(self.architecture.label())
        rows, details = [], []
        for v in verdicts:
            flag = " (correction of (3))" if v.check.corrects else ""
            time_cell = f" & {v.seconds:.3f} s" if self.timings else ""
            rows.append(f"({v.check.tag}) & {v.check.title}{flag} & {v.verdict_text('this network')}"
                        f"{time_cell} \\\\")
            if v.counterexample is not None:
                details.append(_counterexample_text(v))
        head = "Eq. & Formula & Verdict" + (" & Time" if self.timings else "")
        table = (f"\\begin{{center}}\\begin{{tabular}}{{{'l' * (4 if self.timings else 3)}}}\n\\toprule\n"
                 f"{head} \\\\\n\\midrule\n" + "\n".join(rows) + "\n\\bottomrule\n\\end{tabular}\\end{center}")
        jup = "$$\\begin{array}{l}" + " \\\\ ".join(v.jupyter("this network") for v in verdicts) + "\\end{array}$$"
        took = f" ({truth_seconds:.3f} s)" if self.timings else ""
        intro = Text(
            f"Each formula was compared with the ground truth (direct differentiation of $f${took}) on every "
            f"layer of {label}, as an exact polynomial identity in $x$, $w$, $\\sigma_{{i,j}}$, "
            "$\\sigma'_{i,j}$ (with the activation's relation between $\\sigma$ and $\\sigma'$ substituted); "
            "a failure is confirmed at a concrete point.")
        blocks: list[Block] = [Section("Verification"), intro, Raw(table, jup), *[Text(d) for d in details]]
        if any(v.proved for v in verdicts):
            blocks.append(Text(_PROVED_TEXT))
        return blocks

    def document(self) -> str:
        """The complete .tex document (article, amsmath), ready for pdflatex."""
        title = f"Backpropagation in matrix notation for the network {tex_escape(self.architecture.label())}"
        body = "\n\n".join(b.tex() for b in self.blocks)
        return (PREAMBLE + f"\\title{{{title}}}\n\\author{{generated by backprop-verify}}\n\\date{{}}\n"
                "\\begin{document}\n\\maketitle\n\n" + body + "\n\n\\end{document}\n")

    def snippets(self) -> dict[str, str]:
        """name -> one equation environment, for pasting into lecture notes (needs amsmath)."""
        return {b.name: b.tex() for b in self.blocks if isinstance(b, Equation)}

    def write(self, path: str | Path) -> Path:
        """Write :meth:`document` to ``path`` atomically (a temporary file, then a rename); returns the path.

        Raises:
            FileError: the directory is missing or read-only, or ``path`` is a directory.
        """
        return write_atomically({path: self.document()}, what="LaTeX document")[0]

    def pdf(self, path: str | Path) -> CompileResult:
        """Compile :meth:`document` with pdflatex into ``path`` (raises LatexToolError without pdflatex)."""
        return compile_pdf(self.document(), path)

    def _repr_latex_(self) -> str:
        parts = [b.jupyter() for b in self.blocks if not isinstance(b, Text)]
        return "\n".join(p for p in parts if p)

    def __repr__(self) -> str:
        return (f"Derivation({self.architecture!r}, entries={self.entries}, verify={self.verify}, "
                f"timings={self.timings})")


_PROVED_TEXT = (
    "``Proved for every architecture'' means every depth $k$ and every width with $n_k = 1$, for arbitrary "
    "activations: the formula is a fold over the layers $k, \\ldots, i$, and its base, step and readout are "
    "each proved as an identity by the formula checker, so induction over the layers gives the formula "
    "(\\texttt{derivations.paper\\_proofs}). The other rows are checked on this network only.")


def _counterexample_text(v: FormulaVerdict) -> str:
    ce = v.counterexample
    head = f"\\textbf{{({v.check.tag}) fails}}, first on layer {ce.layer}. "
    if ce.kind == "shape" or ce.entry is None:
        return head + "Its factors do not fit: " + tex_escape(ce.message) + "."
    r, c = ce.entry
    point = ", ".join(f"${name} = {value}$" for name, value in sorted(ce.point.items()))
    return (head + f"Layer {ce.layer}, entry $({r + 1},{c + 1})$: the formula gives ${ce.formula_value}$ but "
            f"the gradient is ${ce.truth_value}$ at {point}.")


def derive(widths, activations="sigma", form: str = "homogeneous", *, entries: bool | None = None,
           verify: bool = True, timings: bool = False) -> Derivation:
    """Shorthand for ``Derivation(Architecture(widths, activations, form), ...)``.

    >>> derive([2, 2, 1], verify=False).architecture
    Architecture([2, 2, 1], sigma, homogeneous)
    """
    return Derivation(Architecture(widths, activations, form), entries=entries, verify=verify, timings=timings)
