"""Sweeps over architectures in increasing size; the first failure is the smallest counterexample.

Order: depth, then total width, then the widths lexicographically
(:attr:`Architecture.size`). The default bounds are those of the issue: depths
1-4, widths 1-3, output width 1.
"""

from __future__ import annotations

import itertools
import time
from typing import Iterable, Iterator

from .errors import ArchitectureError
from .exact import Verdict
from .network import Architecture
from .registry import Formula, get_formula, verify

__all__ = ["architectures", "sweep"]


def architectures(*, min_depth: int = 1, max_depth: int = 4, min_width: int = 1, max_width: int = 3,
                  output_width: int | None = 1, activations: str = "sigma",
                  form: str = "homogeneous") -> Iterator[Architecture]:
    """All architectures within the bounds, smallest first.

    Args:
        min_depth, max_depth: bounds on k.
        min_width, max_width: bounds on every width n_0..n_{k-1} (and n_k if output_width is None).
        output_width: n_k, fixed (the paper's n_k = 1), or None to range it too.
        activations: one activation name for every layer.
        form: "homogeneous" or "affine".
    Raises:
        ArchitectureError: inconsistent bounds ("max_depth=1 < min_depth=2").
    """
    for lo, hi, what in [(min_depth, max_depth, "depth"), (min_width, max_width, "width")]:
        if lo < 1 or hi < lo:
            raise ArchitectureError(f"need 1 <= min_{what} <= max_{what}, got min_{what}={lo}, max_{what}={hi}")
    found = []
    for k in range(min_depth, max_depth + 1):
        widths = range(min_width, max_width + 1)
        tops = widths if output_width is None else [output_width]
        for hidden in itertools.product(widths, repeat=k):
            for top in tops:
                found.append(Architecture(hidden + (top,), activations, form))
    yield from sorted(found, key=lambda a: a.size)


def sweep(formula: str | Formula, archs: Iterable[Architecture] | None = None) -> Verdict:
    """Check ``formula`` on each architecture in increasing size; stop at the first failure.

    Architectures the formula does not apply to are skipped. A shape failure is
    reported as the counterexample; the smallest failure *by value* (where the
    shapes fit) is then also searched for and given in ``note``.
    """
    form = get_formula(formula)
    start = time.perf_counter()
    checked, shape_first = [], None
    for arch in sorted(archs if archs is not None else architectures(), key=lambda a: a.size):
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
