"""Names of a package imported from their submodules on first use (PEP 562), for ``derivations``
and ``numeric`` alike: ``import derivations`` stays light, and ``derivations.check`` loads the
checker only when it is first asked for.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Mapping

__all__ = ["lazy_exports"]


class _LazyPackage(types.ModuleType):
    """Keeps an exported name whose submodule has the same name (``derivations.sweep``, the function;
    ``numeric.train``) when that submodule is imported: the import system would rebind it to the module."""

    def __setattr__(self, name: str, value) -> None:
        if not (name in self.__dict__.get("_lazy_modules", ()) and isinstance(value, types.ModuleType)):
            super().__setattr__(name, value)


def lazy_exports(package: str, exports: Mapping[str, tuple[str, ...]]) -> None:
    """Give the package ``package`` (``__name__`` of its ``__init__``) the names of ``exports``
    (submodule -> names), each imported from its submodule when first used, then kept; the last line
    of ``derivations/__init__.py`` and of ``numeric/__init__.py``.
    """
    module = sys.modules[package]
    modules = {name: sub for sub, names in exports.items() for name in names}

    def load(name: str):
        sub = modules.get(name)
        if sub is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{sub}", package), name)
        setattr(module, name, value)
        return value

    def names() -> list[str]:
        return sorted({*vars(module), *module.__all__})

    module.__getattr__, module.__dir__ = load, names  # PEP 562
    module.__class__ = _LazyPackage
    module._lazy_modules = modules
