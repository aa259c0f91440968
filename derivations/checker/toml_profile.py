"""A user-defined notation profile from a small TOML file (``tomllib``, the standard library).

Keys (all optional except ``name``; ``base`` starts from a built-in profile and overrides it)::

    name = "mycourse"                # the profile's name in verdicts
    base = "tutorial"                # a built-in profile to start from
    description = "..."
    layout = "columns"               # or "rows" (X is m x n_0, W is our W^T)
    index_offset = 0                 # our layer = written layer + index_offset (-1: the input is layer 1)
    last_layer = "L"                 # the letter of the output layer
    batch = 2                        # m, the samples (columns or rows)
    form = "affine"                  # or "homogeneous"
    output_activation = "sigmoid"    # sigmoid, softmax, identity; omit for an abstract sigma
    delta_objective = "mse 1/2"      # objective of the symbols meaning Delta / dA
    default_loss = "mse 1/(2m)"      # objective of dW, db
    order = "standard"               # left, right, standard
    star = "hadamard"                # error, hadamard, dot, ambiguous
    [symbols]                        # written symbol -> meaning (see MEANINGS)
    h = "Sigma"
    [functions]                      # written function -> Sigma, Sigma_prime or Sigma_prime_hat
    "\\sigma'" = "Sigma_prime"
    [losses]                         # objective name -> "output", "<mse|bce|cce> <scale>" [+ wd <scale>]
    L = "mse 1/(2m)"
    [offsets]                        # per meaning, overrides index_offset
    W = 0

``docs/example-notation.toml`` is a worked example (tested in tests/checker/test_profiles.py).
"""

from __future__ import annotations

import tomllib
from dataclasses import fields, replace
from pathlib import Path

from ..errors import UnsupportedNotationError
from ..fileio import read_text
from .bounds import MAX_BATCH, MAX_DEPTH, MAX_WIDTH
from .notation import Notation, _frozen
from .profiles import get_notation
from .scripts import MAX_LAYER_OFFSET

__all__ = ["load_notation", "notation_from_toml", "TOML_KEYS"]

_LAYERED = ("W", "b", "N", "Sigma", "Sigma_prime", "Delta", "dA", "dW", "db")
_TABLES = ("symbols", "functions", "losses", "offsets", "defaults")
_SCALARS = ("name", "base", "description", "layout", "index_offset", "last_layer", "last_offset", "batch",
            "batch_if_summed", "form", "output_activation", "output_width", "hidden_activation",
            "delta_objective", "default_loss", "order", "star", "bullet", "prime", "juxtaposition",
            "scalar_1x1", "top_seed", "broadcast", "fixed_depth", "index_styles", "source")
TOML_KEYS = _SCALARS + _TABLES
"""The keys a TOML profile may use."""

_STR = ("name", "base", "description", "layout", "last_layer", "form", "output_activation", "hidden_activation",
        "delta_objective", "default_loss", "order", "star", "bullet", "prime", "juxtaposition", "source")
_BOOL = ("scalar_1x1", "top_seed", "broadcast")
_INTS = {"index_offset": (-MAX_LAYER_OFFSET, MAX_LAYER_OFFSET), "last_offset": (-MAX_LAYER_OFFSET, MAX_LAYER_OFFSET),
         "batch": (1, MAX_BATCH), "batch_if_summed": (1, MAX_BATCH), "output_width": (1, MAX_WIDTH),
         "fixed_depth": (1, MAX_DEPTH)}


def _int(origin: str, key: str, value, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise UnsupportedNotationError(f"{origin}: {key} must be an integer, got {key}={value!r}")
    if not low <= value <= high:
        raise UnsupportedNotationError(f"{origin}: {key} must be in {low}..{high}, got {key}={value!r}")
    return value


def _check_types(data: dict, origin: str) -> None:
    """One-line errors for values of the wrong type or out of range (before building anything)."""
    for key, value in data.items():
        if key in _STR and not isinstance(value, str):
            raise UnsupportedNotationError(f"{origin}: {key} must be a string, got {key}={value!r}")
        if key in _BOOL and not isinstance(value, bool):
            raise UnsupportedNotationError(f"{origin}: {key} must be true or false, got {key}={value!r}")
        if key in _INTS:
            _int(origin, key, value, *_INTS[key])
        if key == "index_styles" and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise UnsupportedNotationError(f"{origin}: index_styles must be a list of strings, got "
                                           f"index_styles={value!r}")
        if key in _TABLES:
            if not isinstance(value, dict):
                raise UnsupportedNotationError(f"{origin}: [{key}] must be a table, got {key}={value!r}")
            for k, v in value.items():
                if key == "offsets":
                    _int(origin, f"offsets.{k}", v, -MAX_LAYER_OFFSET, MAX_LAYER_OFFSET)
                elif not isinstance(v, str):
                    raise UnsupportedNotationError(f"{origin}: [{key}] values must be strings, got {k}={v!r}")


def notation_from_toml(text: str, *, origin: str = "TOML") -> Notation:
    """The :class:`Notation` described by TOML ``text``.

    Raises:
        UnsupportedNotationError: bad TOML, an unknown key, or values the profile refuses.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise UnsupportedNotationError(f"{origin}: not valid TOML: {err}") from err
    unknown = sorted(set(data) - set(TOML_KEYS))
    if unknown:
        raise UnsupportedNotationError(f"{origin}: unknown keys {unknown}; known: {', '.join(TOML_KEYS)}")
    if not isinstance(data.get("name"), str) or not data["name"].strip():
        raise UnsupportedNotationError(f"{origin}: a profile needs name = \"...\"")
    _check_types(data, origin)
    base = get_notation(data.pop("base")) if "base" in data else None
    offset = data.pop("index_offset", None)
    changes: dict = {k: v for k, v in data.items() if k not in _TABLES}
    if "index_styles" in changes:
        changes["index_styles"] = tuple(changes["index_styles"])
    for table in _TABLES:
        if table in data:
            if not isinstance(data[table], dict):
                raise UnsupportedNotationError(f"{origin}: [{table}] must be a table")
            inherited = dict(getattr(base, table)) if base is not None and table != "offsets" else {}
            changes[table] = _frozen({**inherited, **data[table]})
    if offset is not None:
        changes["offsets"] = _frozen({**{m: int(offset) for m in _LAYERED}, **changes.get("offsets", {})})
        changes.setdefault("last_offset", -int(offset))
    changes.setdefault("variants", ())
    try:
        if base is not None:
            return replace(base, **changes)
        names = {f.name for f in fields(Notation)}
        return Notation(**{"description": f"user profile from {origin}", "symbols": {},
                           **{k: v for k, v in changes.items() if k in names}})
    except (TypeError, ValueError) as err:
        raise UnsupportedNotationError(f"{origin}: {err}") from err


def load_notation(path: str | Path) -> Notation:
    """The profile in the TOML file at ``path`` (see the module docstring for the keys).

    Raises:
        UnsupportedNotationError: the file cannot be read or is not UTF-8 (the message names it),
            or its TOML is refused (see :func:`notation_from_toml`).
    """
    text = read_text(path, what="notation file", error=UnsupportedNotationError)
    return notation_from_toml(text, origin=Path(path).name)
