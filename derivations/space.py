"""The space of architectures a sweep runs over, and the limits on what any check may build.

One :class:`ArchitectureSpace` (depths, widths, output width, activations, form) is the only
enumerator of architectures: the registry's sweep (:mod:`derivations.sweep`), the checker's
bounded sweep (:mod:`derivations.checker.bounds`) and the Hypothesis strategies
(:mod:`derivations.strategies`) validate their bounds through it. Every bound is checked when
the space is made, before any work: a request past a limit is a :class:`BoundsError` naming the
limit and how to raise it, and the size of the space is counted without listing it.

Order of enumeration: :attr:`Architecture.size` (depth, then total width, then the widths
lexicographically), then the activations; so the first failure of a sweep is the smallest.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from typing import Iterator, Sequence

from .errors import BoundsError
from .network import FORMS, Architecture

__all__ = ["ArchitectureSpace", "MAX_ARCHITECTURES", "MAX_DEPTH", "MAX_WIDTH", "MAX_BATCH", "check_bound",
           "check_range", "sorted_by_size"]

MAX_ARCHITECTURES = 5000
"""Largest sweep accepted (depth 4, widths 1-3 is 120; depth 6, widths 1-4 is 5460)."""

MAX_DEPTH = 32
"""Deepest network a sweep builds (max_depth, a profile's fixed depth)."""

MAX_WIDTH = 16
"""Widest layer a sweep builds (max_width, output_width)."""

MAX_BATCH = 64
"""Largest batch m (the batch option, a profile's batch)."""

_LIMITS = {"min_depth": "MAX_DEPTH", "max_depth": "MAX_DEPTH", "min_width": "MAX_WIDTH", "max_width": "MAX_WIDTH",
           "output_width": "MAX_WIDTH", "batch": "MAX_BATCH", "min_batch": "MAX_BATCH", "max_batch": "MAX_BATCH"}


def check_bound(name: str, value, lowest: int = 1) -> int:
    """``value`` if it is an integer in lowest..its limit (MAX_DEPTH, MAX_WIDTH or MAX_BATCH), else BoundsError.

    >>> check_bound("max_depth", 4)
    4
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < lowest:
        raise BoundsError(f"{name} must be an integer >= {lowest}, got {name}={value!r}")
    limit = _LIMITS.get(name)
    if limit is not None and value > globals()[limit]:
        raise BoundsError(f"{name} must be <= {limit}={globals()[limit]} (raise derivations.space.{limit}), "
                          f"got {name}={value!r}")
    return value


def check_range(lo_name: str, lo, hi_name: str, hi) -> None:
    """Both bounds valid (:func:`check_bound`) and lo <= hi, else BoundsError ("Cannot have ...")."""
    check_bound(lo_name, lo)
    check_bound(hi_name, hi)
    if hi < lo:
        raise BoundsError(f"Cannot have {hi_name}={hi} < {lo_name}={lo}")


@dataclass(frozen=True)
class ArchitectureSpace:
    """Every architecture with depth k in min_depth..max_depth and widths n_0..n_{k-1} in
    min_width..max_width; n_k is ``output_width``, or ranges like the others when it is None.

    Attributes:
        activations: one activation name per network drawn from these (each network uses one
            name for every layer).
        form: "homogeneous" or "affine".

    Raises (when made):
        BoundsError: a bound that is not an integer >= 1, past its limit, min above max, or a space
            of more than MAX_ARCHITECTURES architectures.

    >>> [a.label() for a in ArchitectureSpace(max_depth=1, max_width=2)]
    ['[1,1] sigma', '[2,1] sigma']
    >>> len(ArchitectureSpace())
    120
    """

    min_depth: int = 1
    max_depth: int = 4
    min_width: int = 1
    max_width: int = 3
    output_width: int | None = 1
    activations: tuple[str, ...] = ("sigma",)
    form: str = "homogeneous"

    def __post_init__(self) -> None:
        check_range("min_depth", self.min_depth, "max_depth", self.max_depth)
        check_range("min_width", self.min_width, "max_width", self.max_width)
        if self.output_width is not None:
            check_bound("output_width", self.output_width)
        acts = (self.activations,) if isinstance(self.activations, str) else tuple(self.activations)
        if not acts or not all(isinstance(a, str) for a in acts):
            raise BoundsError(f"activations must be one or more names, got activations={self.activations!r}")
        object.__setattr__(self, "activations", acts)
        if self.form not in FORMS:
            raise BoundsError(f"form must be one of {', '.join(FORMS)}, got form={self.form!r}")
        count = len(self)
        if count > MAX_ARCHITECTURES:
            raise BoundsError(f"the bound spans {count} architectures, more than MAX_ARCHITECTURES="
                              f"{MAX_ARCHITECTURES} (raise derivations.space.MAX_ARCHITECTURES); "
                              f"lower max_depth or max_width")

    def __len__(self) -> int:
        """How many architectures, counted without listing them (stops once past MAX_ARCHITECTURES)."""
        span = self.max_width - self.min_width + 1
        tops = span if self.output_width is None else 1
        total = 0
        for depth in range(self.min_depth, self.max_depth + 1):
            total += len(self.activations) * tops * span ** depth
            if total > MAX_ARCHITECTURES:
                break
        return total

    def __iter__(self) -> Iterator[Architecture]:
        """The architectures, smallest first (:attr:`Architecture.size`, then the activations)."""
        widths = range(self.min_width, self.max_width + 1)
        tops = widths if self.output_width is None else (self.output_width,)
        found = [Architecture(hidden + (top,), act, self.form)
                 for depth in range(self.min_depth, self.max_depth + 1)
                 for hidden in product(widths, repeat=depth) for top in tops for act in self.activations]
        return iter(sorted(found, key=lambda a: (a.size, a.activations)))

    def describe(self) -> str:
        """In words, e.g. 'depths 1-4, widths 1-3, n_k = 1'."""
        nk = "n_k in the same range" if self.output_width is None else f"n_k = {self.output_width}"
        return (f"depths {self.min_depth}-{self.max_depth}, widths {self.min_width}-{self.max_width}, {nk}, "
                f"activations {', '.join(self.activations)}, {self.form}")


def sorted_by_size(archs: Sequence[Architecture]) -> list[Architecture]:
    """``archs`` in the order of a space's enumeration (smallest first)."""
    return sorted(archs, key=lambda a: (a.size, a.activations))
