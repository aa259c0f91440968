"""Bounds on what a check may build: depth, width, batch and the size of a sweep, checked first.

Every bound is validated before any work (a request past one is a :class:`BoundsError` naming
the limit and how to raise it), and the sweep's architectures are counted without listing them.
"""

from __future__ import annotations

from itertools import product
from typing import Sequence

from ..errors import BoundsError
from ..network import Architecture

__all__ = ["MAX_ARCHITECTURES", "MAX_DEPTH", "MAX_WIDTH", "MAX_BATCH", "check_bound", "architectures_up_to"]

MAX_ARCHITECTURES = 5000
"""Largest sweep accepted (depth 4, widths 1-3 is 120; depth 6, widths 1-4 is 5460)."""


MAX_DEPTH = 32
"""Deepest network a sweep builds (max_depth, a profile's fixed depth)."""

MAX_WIDTH = 16
"""Widest layer a sweep builds (max_width, output_width)."""

MAX_BATCH = 64
"""Largest batch m (the batch option, a profile's batch)."""

_LIMITS = {"min_depth": "MAX_DEPTH", "max_depth": "MAX_DEPTH", "min_width": "MAX_WIDTH", "max_width": "MAX_WIDTH",
           "output_width": "MAX_WIDTH", "batch": "MAX_BATCH"}


def check_bound(name: str, value, lowest: int = 1) -> int:
    """``value`` if it is an integer in lowest..its limit (MAX_DEPTH, MAX_WIDTH or MAX_BATCH), else BoundsError."""
    if isinstance(value, bool) or not isinstance(value, int) or value < lowest:
        raise BoundsError(f"{name} must be an integer >= {lowest}, got {name}={value!r}")
    limit = _LIMITS.get(name)
    if limit is not None and value > globals()[limit]:
        raise BoundsError(f"{name} must be <= {limit}={globals()[limit]} (raise derivations.checker.bounds."
                          f"{limit}), got {name}={value!r}")
    return value


def _count(min_depth: int, max_depth: int, span: int, kinds: int) -> int:
    """Architectures in the bound, counted without enumerating (stops once past MAX_ARCHITECTURES)."""
    total = 0
    for d in range(min_depth, max_depth + 1):
        total += kinds * span ** d
        if total > MAX_ARCHITECTURES:
            break
    return total


def architectures_up_to(*, min_depth: int = 1, max_depth: int = 4, min_width: int = 1, max_width: int = 3,
                        output_width: int = 1, activations: Sequence[str] = ("sigma",),
                        form: str = "homogeneous") -> list[Architecture]:
    """All architectures in the bound, smallest first (``Architecture.size``).

    Hidden and input widths range over min_width..max_width; the output width is fixed.

    >>> [a.label() for a in architectures_up_to(max_depth=1, max_width=2)]
    ['[1,1] sigma', '[2,1] sigma']
    """
    for name, value in (("min_depth", min_depth), ("max_depth", max_depth), ("min_width", min_width),
                        ("max_width", max_width), ("output_width", output_width)):
        check_bound(name, value)
    if min_depth > max_depth:
        raise BoundsError(f"Cannot have max_depth={max_depth} < min_depth={min_depth}")
    if min_width > max_width:
        raise BoundsError(f"Cannot have max_width={max_width} < min_width={min_width}")
    acts = [activations] if isinstance(activations, str) else list(activations)
    count = _count(min_depth, max_depth, max_width - min_width + 1, len(acts))
    if count > MAX_ARCHITECTURES:
        raise BoundsError(f"the bound spans {count} architectures, more than "
                                f"MAX_ARCHITECTURES={MAX_ARCHITECTURES}; lower max_depth or max_width")
    out = [Architecture(ws + (output_width,), act, form)
           for d in range(min_depth, max_depth + 1)
           for ws in product(range(min_width, max_width + 1), repeat=d) for act in acts]
    return sorted(out, key=lambda a: (a.size, a.activations))
