"""Each package's explicit __all__ lists exactly its public names."""

import inspect

import pytest

import derivations
import numeric


@pytest.mark.parametrize("package", [derivations, numeric], ids=lambda p: p.__name__)
def test_all_equals_public_names(package):
    public = {name for name in dir(package)  # dir(): numeric imports its names on first use
              if not name.startswith("_") and not inspect.ismodule(getattr(package, name)) and name != "annotations"}
    assert set(package.__all__) == public
    assert len(package.__all__) == len(set(package.__all__))


def test_numeric_does_not_leak_into_derivations():
    import pathlib
    root = pathlib.Path(derivations.__file__).parent
    offenders = [p.name for p in root.rglob("*.py") if "import numeric" in p.read_text()
                 or "from numeric" in p.read_text()]
    assert offenders == []
