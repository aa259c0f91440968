"""The compiled gradient of every output/loss pair against PyTorch autograd (skipped without torch, which
CI does not install: ``pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu``)."""

from __future__ import annotations

import numpy as np
import pytest

from numeric import compile_gradient

torch = pytest.importorskip("torch", reason="PyTorch is optional (the bench extra)")

CASES = [(("tanh", "identity"), "mse"), (("relu", "sigmoid"), "bce"), (("tanh", "tanh", "softmax"), "cce"),
         (("sigmoid", "sigmoid"), "mse")]
TORCH_F = {"tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid, "identity": lambda z: z}


def _torch_loss(acts, loss, W, b, X, Y, lam):
    a = X
    for i, name in enumerate(acts, start=1):
        z = W[i - 1] @ a + b[i - 1]
        a = torch.log_softmax(z, dim=0) if name == "softmax" else TORCH_F[name](z)
    m = X.shape[1]
    if loss == "mse":
        J = ((a - Y) ** 2).sum() / (2 * m)
    elif loss == "bce":
        J = -(Y * torch.log(a) + (1 - Y) * torch.log(1 - a)).sum() / m
    else:
        J = -(Y * a).sum() / m  # a holds log softmax
    return J + lam * sum((w ** 2).sum() for w in W) / (2 * m)


@pytest.mark.parametrize("acts, loss", CASES, ids=[f"{'-'.join(a)}-{loss}" for a, loss in CASES])
@pytest.mark.parametrize("lam", [0.0, 0.3])
def test_compiled_gradient_equals_pytorch_autograd(acts, loss, lam):
    rng = np.random.default_rng(0)
    widths = (4, *([3] * (len(acts) - 1)), 3 if acts[-1] == "softmax" else 2)
    W = {i: rng.normal(size=(widths[i], widths[i - 1])) for i in range(1, len(widths))}
    b = {i: rng.normal(size=(widths[i], 1)) for i in range(1, len(widths))}
    X, m = rng.normal(size=(4, 5)), 5
    Y = np.eye(widths[-1])[:, rng.integers(0, widths[-1], m)] if loss == "cce" else rng.uniform(size=(widths[-1], m))
    grad = compile_gradient(acts, loss=loss, weight_decay=lam > 0)
    J, dW, db = grad(W, b, X, Y, decay=lam)
    tW = [torch.tensor(W[i], requires_grad=True) for i in sorted(W)]
    tb = [torch.tensor(b[i], requires_grad=True) for i in sorted(b)]
    tJ = _torch_loss(acts, loss, tW, tb, torch.tensor(X), torch.tensor(Y), lam)
    grads = torch.autograd.grad(tJ, tW + tb)
    assert J == pytest.approx(float(tJ.detach()), rel=1e-12)
    for i in W:
        np.testing.assert_allclose(dW[i], grads[i - 1].numpy(), rtol=1e-10, atol=1e-12, err_msg=f"dW_{i}")
        np.testing.assert_allclose(db[i], grads[len(W) + i - 1].numpy(), rtol=1e-10, atol=1e-12, err_msg=f"db_{i}")
