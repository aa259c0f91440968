"""A new activation entry reaches the compiled NumPy gradient too, with no change to numeric/compile.py."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from derivations import activations as registry
from derivations.activations import ACTIVATIONS, NumpyForm, S, Z
from numeric.compile import clear_cache, compile_gradient
from numeric.reference import reference_gradients

# sigma = z^2 / 2 + z: value and slope polynomial in z; f' = z + 1 evaluated at z
HALF_SQUARE = registry.Activation("half_square", Z**2 / 2 + Z, r"\operatorname{hs}", value=Z**2 / 2 + Z,
                                  slope=Z + 1, numpy=NumpyForm(lambda z: 0.5 * z * z + z, lambda z: z + 1.0))
# sigma = e^z: f' = a, written through the value
EXPO = registry.Activation("expo", sp.exp(Z), r"\exp", slope=S,
                           numpy=NumpyForm(np.exp, np.exp, lambda a: a))


@pytest.fixture(params=[HALF_SQUARE, EXPO], ids=lambda a: a.name)
def new(request, monkeypatch) -> str:
    """A copy of the registry with one new entry, and no compiled gradient cached before or after."""
    monkeypatch.setattr(registry, "ACTIVATIONS", {**ACTIVATIONS, request.param.name: request.param})
    clear_cache()
    yield request.param.name
    clear_cache()


def test_a_new_entry_compiles_and_matches_the_hand_written_backprop(new):
    rng = np.random.default_rng(0)
    widths, m = (3, 2, 1), 4
    W = {i: 0.5 * rng.standard_normal((widths[i], widths[i - 1])) for i in (1, 2)}
    b = {i: 0.5 * rng.standard_normal((widths[i], 1)) for i in (1, 2)}
    X, Y = rng.standard_normal((3, m)), rng.standard_normal((1, m))
    grad = compile_gradient(new, depth=2)
    assert all(p.proved for p in grad.proofs) and f"f_{new}(" in grad.source
    loss, dW, db = grad(W, b, X, Y)
    ref_loss, ref_dW, ref_db = reference_gradients(W, b, X, Y, (new, new))
    assert loss == pytest.approx(ref_loss, rel=1e-12)
    for i in (1, 2):
        np.testing.assert_allclose(dW[i], ref_dW[i], rtol=1e-10, atol=1e-12, err_msg=f"{new}: dW_{i}")
        np.testing.assert_allclose(db[i], ref_db[i], rtol=1e-10, atol=1e-12, err_msg=f"{new}: db_{i}")
