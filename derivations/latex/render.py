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

import re
from functools import cached_property
from math import prod
from pathlib import Path

from ..checker import PAPER, Notation, get_notation
from ..errors import ArchitectureError
from ..fileio import write_atomically
from ..network import Architecture, Network
from ..verdict import Verdict
from . import beamer, lemma_sections, profile_sections, sections
from .blocks import Block, Equation, Raw, Section, Text, ref
from .lecture import Claim
from .pdf import CompileResult, compile_pdf
from .texmath import tex_escape
from .verdicts import verify_all

__all__ = ["Derivation", "derive", "MAX_WRITTEN_ENTRIES", "MAX_BRANCHES", "PREAMBLE", "SNIPPET_PACKAGES"]

_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9-]*")

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
        notation: "paper" (default: the paper's (3)-(7), lemmas, objectives) or a lecturer's profile
            (a name of :func:`derivations.checker.notation_names` or a Notation, e.g. from a TOML
            file): the forward and backward pass, every layer and every objective in its symbols,
            layer numbering and layout, each formula checked by the checker in that profile.
        label_prefix: the prefix of every ``\\label`` and ``\\eqref`` ("bpv:grad_W1_eq3"), so the
            snippets of two documents can be used side by side.

    Raises:
        ArchitectureError: not an Architecture; ``entries=True`` on an architecture
            too large to write out (the message says why and suggests entries=False); a bad label prefix.
        UnsupportedNotationError: an unknown notation name.

    >>> d = Derivation(Architecture((2, 1)), verify=False)
    >>> d.entries, "tag{3}" in d.document()
    (True, True)
    """

    def __init__(self, architecture: Architecture, *, entries: bool | None = None,
                 verify: bool = True, timings: bool = False, notation: str | Notation = "paper",
                 label_prefix: str = "bpv") -> None:
        if not isinstance(architecture, Architecture):
            raise ArchitectureError(f"expected an Architecture, got architecture={architecture!r}")
        if not isinstance(label_prefix, str) or not _PREFIX.fullmatch(label_prefix):
            raise ArchitectureError("a label prefix is a letter followed by letters, digits or '-', "
                                    f"got label_prefix={label_prefix!r}")
        self.notation = get_notation(notation)
        self.label_prefix = label_prefix
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
        self._claims: list[Claim] = []

    @cached_property
    def verdicts(self) -> tuple[float, list[Verdict]]:
        """(ground-truth seconds, one verdict per formula); empty when verify=False."""
        return verify_all(self.net) if self.verify else (0.0, [])

    @property
    def in_paper_notation(self) -> bool:
        """True for the paper's own notation (the document with (3)-(7)); False for a lecturer's profile."""
        return self.notation == PAPER

    @cached_property
    def blocks(self) -> list[Block]:
        """The derivation as blocks, in reading order."""
        if not self.in_paper_notation:
            return self._profile_blocks()
        net, entries = self.net, self.entries
        if self.verify:
            self.verdicts  # noqa: B018 -- first, so the ground truth is timed here
        out: list[Block] = sections.network_section(net, entries=entries)
        out += lemma_sections.one_dimensional_section(verify=self.verify)
        out += sections.recursion_section(net, entries=entries)
        out += sections.gradient_sections(net, entries=entries)
        out += sections.index_section(net, entries=entries, example=prod(net.widths[2:]) <= MAX_BRANCHES)
        out += lemma_sections.lemma_sections(verify=self.verify)
        objectives, self._claims = profile_sections.objective_sections(self.notation, verify=self.verify)
        out += objectives
        out += self._correction_section()
        if self.verify:
            out += self._verification_section()
            out += profile_sections.verification_section(self._claims)[1:]
        return out

    def _profile_blocks(self) -> list[Block]:
        """The derivation in a lecturer's profile: notation, forward/backward pass, layers, objectives."""
        prof, verify = self.notation, self.verify
        out = profile_sections.notation_section(prof, self.net)
        general, shown = profile_sections.forward_backward_sections(prof, verify=verify)
        layers, at_layers = profile_sections.layer_sections(prof, self.net, shown, verify=verify)
        objectives, per_objective = profile_sections.objective_sections(prof, verify=verify)
        out += general + layers + objectives
        self._claims = shown + at_layers + per_objective
        if verify:
            out += profile_sections.verification_section(self._claims)
        return out

    @property
    def claims(self) -> list[Claim]:
        """The displayed formulas written in the notation profile, each with its checker verdict."""
        self.blocks  # noqa: B018 -- building the blocks collects them
        return list(self._claims)

    def _labelled(self, text: str) -> str:
        """``text`` with the label prefix applied to every \\label and \\eqref."""
        return text if self.label_prefix == "bpv" else text.replace("{bpv:", "{" + self.label_prefix + ":")

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

    def title(self) -> str:
        """The document's title (text mode)."""
        label = tex_escape(self.architecture.label())
        if self.in_paper_notation:
            return f"Backpropagation in matrix notation for the network {label}"
        return f"Backpropagation for the network {label} in the {tex_escape(self.notation.name)} notation"

    def document(self) -> str:
        """The complete .tex document (article, amsmath), ready for pdflatex."""
        body = "\n\n".join(b.tex() for b in self.blocks)
        return self._labelled(
            PREAMBLE + f"\\title{{{self.title()}}}\n\\author{{generated by backprop-verify}}\n\\date{{}}\n"
            "\\begin{document}\n\\maketitle\n\n" + body + "\n\n\\end{document}\n")

    def beamer(self) -> str:
        """The same derivation as a Beamer deck, one idea per frame (:mod:`derivations.latex.beamer`)."""
        return self._labelled(beamer.deck(self.title(), self.blocks))

    def snippets(self) -> dict[str, str]:
        """name -> one equation environment, for pasting into lecture notes (needs amsmath)."""
        return {b.name: self._labelled(b.tex()) for b in self.blocks if isinstance(b, Equation)}

    def write(self, path: str | Path) -> Path:
        """Write :meth:`document` to ``path`` atomically (a temporary file, then a rename); returns the path.

        Raises:
            FileError: the directory is missing or read-only, or ``path`` is a directory.
        """
        return write_atomically({path: self.document()}, what="LaTeX document")[0]

    def pdf(self, path: str | Path, *, beamer: bool = False) -> CompileResult:
        """Compile :meth:`document` (or :meth:`beamer`) with pdflatex into ``path`` (LatexToolError without it)."""
        return compile_pdf(self.beamer() if beamer else self.document(), path)

    def _repr_latex_(self) -> str:
        parts = [b.jupyter() for b in self.blocks if not isinstance(b, Text)]
        return "\n".join(p for p in parts if p)

    def __repr__(self) -> str:
        extra = "" if self.in_paper_notation else f", notation={self.notation.name!r}"
        extra += "" if self.label_prefix == "bpv" else f", label_prefix={self.label_prefix!r}"
        return (f"Derivation({self.architecture!r}, entries={self.entries}, verify={self.verify}, "
                f"timings={self.timings}{extra})")


_PROVED_TEXT = (
    "``Proved for every architecture'' means every depth $k$ and every width with $n_k = 1$, for arbitrary "
    "activations: the formula is a fold over the layers $k, \\ldots, i$, and its base, step and readout are "
    "each proved as an identity by the formula checker, so induction over the layers gives the formula "
    "(\\texttt{derivations.paper\\_proofs}). The other rows are checked on this network only.")


def _counterexample_text(v: Verdict) -> str:
    ce = v.counterexample
    head = f"\\textbf{{({v.check.tag}) fails}}, first on layer {ce.layer}. "
    if ce.kind == "shape" or ce.entry is None:
        return head + "Its factors do not fit: " + tex_escape(ce.message) + "."
    r, c = ce.entry
    point = ", ".join(f"${name} = {value}$" for name, value in sorted(ce.point.items()))
    return (head + f"Layer {ce.layer}, entry $({r + 1},{c + 1})$: the formula gives ${ce.formula_value}$ but "
            f"the gradient is ${ce.truth_value}$ at {point}.")


def derive(widths, activations="sigma", form: str = "homogeneous", *, entries: bool | None = None,
           verify: bool = True, timings: bool = False, notation: str | Notation = "paper",
           label_prefix: str = "bpv") -> Derivation:
    """Shorthand for ``Derivation(Architecture(widths, activations, form), ...)``.

    >>> derive([2, 2, 1], verify=False).architecture
    Architecture([2, 2, 1], sigma, homogeneous)
    """
    return Derivation(Architecture(widths, activations, form), entries=entries, verify=verify, timings=timings,
                      notation=notation, label_prefix=label_prefix)
