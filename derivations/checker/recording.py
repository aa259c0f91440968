"""What an evaluation saw, recorded for the proofs (:mod:`.prove`): constant sites and shapes.

Inside ``with recording() as seen:`` the evaluator notes every node whose value has constant
entries along an axis (a sum over such an axis can put a factor of the size into a coefficient)
and the shape of every matrix value.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Iterator

from ..products import is_matrix
from .nodes import Node

__all__ = ["Recording", "recording", "constant", "shape"]


@dataclass
class Recording:
    """What an evaluation saw, for :mod:`.prove`.

    Attributes:
        constants: ``(site, axis, size)`` for every node whose value has constant entries along an
            axis of that size (the ones column, a broadcast scalar or column, m, a sum over the
            samples or neurons, np.sum, the identity W_{K+1}): a sum over such an axis can put a
            factor of the size into a coefficient.
        shapes: ``id(node) -> (rows, cols)`` of every matrix value.
        leaves: ``id(symbol) -> (rows, cols)`` of a symbol's whole matrix, before neuron indices
            (w^l_{jk}) pick an entry.
    """

    constants: set = field(default_factory=set)
    shapes: dict = field(default_factory=dict)
    leaves: dict = field(default_factory=dict)


_RECORDING: ContextVar[Recording | None] = ContextVar("recording", default=None)


@contextmanager
def recording() -> Iterator[Recording]:
    """Record, while evaluating inside the ``with`` block, what :class:`Recording` lists."""
    token = _RECORDING.set(Recording())
    try:
        yield _RECORDING.get()
    finally:
        _RECORDING.reset(token)


def constant(site: Node, *sizes: int) -> None:
    seen = _RECORDING.get()
    if seen is not None:
        seen.constants.update((id(site), axis, n) for axis, n in enumerate(sizes) if n != 1)


def shape(node: Node, value, table: str = "shapes") -> None:
    seen = _RECORDING.get()
    if seen is not None and is_matrix(value):
        getattr(seen, table)[id(node)] = value.shape
