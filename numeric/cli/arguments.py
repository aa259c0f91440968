"""The command-line values every command shares, parsed in one place.

``--widths`` (one architecture ``3,2,1`` or several ``2,2,1;4,4,4,1``) and
``--activations`` (one name for every layer, or one per layer, comma-separated
or repeated) mean the same in ``check``, ``latex``, ``report`` and ``train``.
A value that is not of that shape raises :class:`~derivations.errors.ArchitectureError`
with the option's name and the text given; the names themselves are checked by
:mod:`derivations.activations` where they are used.
"""

from __future__ import annotations

from collections.abc import Iterable

from derivations.errors import ArchitectureError

__all__ = ["parse_widths", "parse_widths_list", "parse_activations", "ACTIVATIONS_HELP"]

ACTIVATIONS_HELP = "one name for every layer, or one per layer (comma-separated or the option repeated)"


def parse_widths(text: str, option: str = "--widths") -> tuple[int, ...]:
    """'3,2,1' -> (3, 2, 1): the widths n_0, ..., n_k of one architecture.

    >>> parse_widths("3, 2,1")
    (3, 2, 1)
    """
    try:
        return tuple(int(item) for item in text.split(","))
    except ValueError:
        raise ArchitectureError(
            f"{option} must be comma-separated integers such as 3,2,1, got {text!r}") from None


def parse_widths_list(text: str, option: str = "--widths") -> list[tuple[int, ...]]:
    """'2,2,1;4,4,4,1' -> [(2, 2, 1), (4, 4, 4, 1)]: several architectures, ';'-separated.

    >>> parse_widths_list("2,2,1; 4,4,4,1")
    [(2, 2, 1), (4, 4, 4, 1)]
    """
    parts = [part for part in text.split(";") if part.strip()]
    if not parts:
        raise ArchitectureError(f"{option} must name at least one architecture such as 2,2,1, got {text!r}")
    try:
        return [parse_widths(part, option) for part in parts]
    except ArchitectureError:
        raise ArchitectureError(
            f"{option} must look like 2,2,1 or 2,2,1;4,4,4,1 (integers), got {text!r}") from None


def parse_activations(values: str | Iterable[str] | None, option: str = "--activations") -> tuple[str, ...]:
    """One or more activation names: 'tanh' -> ('tanh',); 'tanh,sigmoid' or ['tanh', 'sigmoid']
    (a repeated option) -> ('tanh', 'sigmoid'); None -> () (the command's default).

    >>> parse_activations(["tanh, relu", "sigmoid"])
    ('tanh', 'relu', 'sigmoid')
    """
    if values is None:
        return ()
    items = [values] if isinstance(values, str) else list(values)
    names = tuple(name.strip() for item in items for name in item.split(","))
    if not names or any(not name for name in names):
        raise ArchitectureError(
            f"{option} must be one name or comma-separated names such as tanh,sigmoid, got {','.join(items)!r}")
    return names
