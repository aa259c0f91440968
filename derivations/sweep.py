"""Sweeps over architectures in increasing size; the first failure is the smallest counterexample.

The architectures come from :class:`derivations.space.ArchitectureSpace` (order: depth, then
total width, then the widths lexicographically, :attr:`Architecture.size`); the default space
is depths 1-4, widths 1-3, output width 1.
"""

from __future__ import annotations

import time
from typing import Iterable

from .errors import ArchitectureError
from .network import Architecture
from .registry import Formula, get_formula, verify
from .space import ArchitectureSpace, sorted_by_size
from .verdict import Verdict

__all__ = ["sweep"]


def sweep(formula: str | Formula, archs: Iterable[Architecture] | None = None) -> Verdict:
    """Check ``formula`` on each architecture in increasing size; stop at the first failure.

    Architectures the formula does not apply to are skipped. A shape failure is
    reported as the counterexample; the smallest failure *by value* (where the
    shapes fit) is then also searched for and given in ``note``.
    """
    form = get_formula(formula)
    start = time.perf_counter()
    checked, shape_first = [], None
    for arch in sorted_by_size(archs if archs is not None else ArchitectureSpace()):
        if form.applies(arch):
            continue
        verdict = verify(form, arch)
        checked.append(arch)
        if verdict.holds is False:
            ce = verdict.counterexample
            if ce.kind == "shape":
                shape_first = shape_first or ce
                continue
            if shape_first is not None:
                return Verdict(form.name, False, tuple(checked), shape_first, time.perf_counter() - start,
                               note=f"smallest failure by value: {ce.message}")
            return Verdict(form.name, False, tuple(checked), ce, time.perf_counter() - start)
        if verdict.holds is None:
            return Verdict(form.name, None, tuple(checked), None, time.perf_counter() - start, note=verdict.note)
    if shape_first is not None:
        return Verdict(form.name, False, tuple(checked), shape_first, time.perf_counter() - start)
    if not checked:
        raise ArchitectureError(f"formula {form.name} applies to none of the architectures given")
    return Verdict(form.name, True, tuple(checked), None, time.perf_counter() - start)
