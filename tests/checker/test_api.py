"""Each public module's __all__ lists exactly its public names (as hypothesis.strategies does)."""

import inspect

import pytest

import derivations.checker as checker
import derivations.strategies as strategies
import derivations.testing as testing


@pytest.mark.parametrize("module", [checker, strategies, testing], ids=lambda m: m.__name__)
def test_all_lists_the_public_names(module):
    public = {n for n, v in vars(module).items() if not n.startswith("_") and not inspect.ismodule(v)
              and getattr(v, "__module__", module.__name__).startswith(module.__name__)}
    assert set(module.__all__) == public
