"""The bounds of one check, validated once when made: :class:`CheckBounds`.

The public :func:`derivations.check` turns its keyword arguments into one frozen
``CheckBounds``, which travels unchanged through the readings to each formula's check
(:func:`.check.check_formula`). Its sweeps are :class:`derivations.space.ArchitectureSpace`
objects, the package's one enumerator of architectures, which also holds the limits
(MAX_DEPTH, MAX_WIDTH, MAX_BATCH, MAX_ARCHITECTURES) every bound is checked against first.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ActivationError, ArchitectureError, BoundsError
from ..network import Architecture
from ..space import MAX_ARCHITECTURES, MAX_BATCH, MAX_DEPTH, MAX_WIDTH, ArchitectureSpace, check_bound

__all__ = ["CheckBounds", "NO_BOUNDS", "MAX_ARCHITECTURES", "MAX_DEPTH", "MAX_WIDTH", "MAX_BATCH", "check_bound"]

DEFAULT_WIDTHS = (1, 3)
"""min_width, max_width of a check when none are asked for (a proof is then for every width)."""


@dataclass(frozen=True)
class CheckBounds:
    """What a check may assume and build, as the user asked (None: the default or the profile's).

    Attributes:
        min_depth, max_depth: prove (or sweep) for these depths only; None: every depth.
        min_width, max_width: widths swept; other than 1-3, the check is a sweep of those widths.
        output_width: fix n_k (None: the profile's, else every n_k).
        activations: hidden-layer activation names; the abstract "sigma" decides for all at once.
        batch: fix the batch size m (None: every m, or the profile's).
        form: "homogeneous" or "affine" (None: from the symbols, else the profile's).
        architectures: check exactly these instead of a bound (a sweep).
        sweep: sweep the bounds instead of proving.

    Raises (when made):
        BoundsError: a bound that is not an integer >= 1, is past its limit, or min above max.
        ActivationError: no activation, or one that is not a name.
        ArchitectureError: ``architectures`` holding something other than Architecture objects.
    """

    min_depth: int | None = None
    max_depth: int | None = None
    min_width: int = DEFAULT_WIDTHS[0]
    max_width: int = DEFAULT_WIDTHS[1]
    output_width: int | None = None
    activations: tuple[str, ...] = ("sigma",)
    batch: int | None = None
    form: str | None = None
    architectures: tuple[Architecture, ...] | None = None
    sweep: bool = False

    def __post_init__(self) -> None:
        for name in ("min_depth", "max_depth", "min_width", "max_width", "output_width", "batch"):
            if getattr(self, name) is not None:
                check_bound(name, getattr(self, name))
        for lo, hi in (("min_depth", "max_depth"), ("min_width", "max_width")):
            low, high = getattr(self, lo), getattr(self, hi)
            if low is not None and high is not None and high < low:
                raise BoundsError(f"Cannot have {hi}={high} < {lo}={low}")
        acts = self.activations
        if isinstance(acts, str):
            acts = (acts,)
        if not isinstance(acts, (tuple, list)):
            raise ActivationError(f"activations must be a name or a sequence of names, got activations={acts!r}")
        if not acts:
            raise ActivationError(f"activations must name at least one activation, got activations={acts!r}")
        if not all(isinstance(a, str) for a in acts):
            raise ActivationError(f"activations must be names (str), got activations={list(acts)!r}")
        object.__setattr__(self, "activations", tuple(acts))
        if self.architectures is not None:
            archs = tuple(self.architectures)
            bad = next((a for a in archs if not isinstance(a, Architecture)), None)
            if bad is not None:
                raise ArchitectureError(f"architectures must hold Architecture objects, got {bad!r}")
            object.__setattr__(self, "architectures", archs)

    @property
    def widths_bounded(self) -> bool:
        """True when widths other than the default 1-3 were asked for (the check is then a sweep)."""
        return (self.min_width, self.max_width) != DEFAULT_WIDTHS

    @property
    def depths(self) -> tuple[int, ...] | None:
        """The depths asked for, or None for every depth."""
        if self.max_depth is None:
            return None
        return tuple(range(self.min_depth or 1, self.max_depth + 1))

    @property
    def bounded(self) -> bool:
        """True when the user bounded the sweep (depths, widths or explicit architectures)."""
        return self.architectures is not None or self.max_depth is not None or self.min_depth is not None \
            or self.widths_bounded

    def space(self, *, fixed_depth: int | None, output_width: int, form: str) -> ArchitectureSpace:
        """The architectures of these bounds (a profile's fixed depth wins; default depths 1-4)."""
        return ArchitectureSpace(min_depth=fixed_depth or self.min_depth or 1,
                                 max_depth=fixed_depth or self.max_depth or 4, min_width=self.min_width,
                                 max_width=self.max_width, output_width=output_width,
                                 activations=self.activations, form=form)


NO_BOUNDS = CheckBounds()
"""The bounds of a check given no options: a proof for every architecture, else the default sweep."""
