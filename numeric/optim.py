"""Update rules for the trainer: plain gradient descent, momentum, Adam.

Each optimiser updates the parameters in place from the gradients of one step; parameters and
gradients are keyed by (kind, layer) with kind "W" or "b", so every W^(l), b^(l) keeps its own state.

* ``"gd"``: theta <- theta - lr g;
* ``"momentum"``: v <- mu v + g, theta <- theta - lr v (heavy ball; Polyak 1964, as in PyTorch's SGD);
* ``"adam"``: Kingma & Ba 2015, algorithm 1: m <- b1 m + (1 - b1) g, v <- b2 v + (1 - b2) g^2,
  theta <- theta - lr m_hat / (sqrt(v_hat) + eps), with the bias corrections m_hat = m / (1 - b1^t),
  v_hat = v / (1 - b2^t).

Learning-rate schedules (:func:`scheduled_lr`, applied at the start of every epoch e = 1..E):
``"constant"``; ``"step"``: lr gamma^floor((e - 1) / step_every) (step decay, as PyTorch's StepLR);
``"cosine"``: lr (1 + cos(pi (e - 1) / E)) / 2 (cosine annealing to 0 without restarts, Loshchilov &
Hutter 2017, SGDR eq. 5 with eta_min = 0 and one cycle).
"""

from __future__ import annotations

import math

import numpy as np

from derivations import NumericError

__all__ = ["OPTIMIZERS", "SCHEDULES", "Optimizer", "make_optimizer", "scheduled_lr", "check_schedule"]

OPTIMIZERS = {"gd": "plain gradient descent", "momentum": "gradient descent with momentum (heavy ball)",
              "adam": "Adam (Kingma & Ba 2015)"}

Key = tuple[str, int]


class Optimizer:
    """One update rule with its state; ``step(params, grads)`` changes ``params`` in place."""

    def __init__(self, name: str, lr: float, *, momentum: float = 0.9, beta1: float = 0.9,
                 beta2: float = 0.999, eps: float = 1e-8) -> None:
        self.name, self.lr, self.momentum = name, lr, momentum
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.t = 0
        self._m: dict[Key, np.ndarray] = {}
        self._v: dict[Key, np.ndarray] = {}

    def step(self, params: dict[Key, np.ndarray], grads: dict[Key, np.ndarray]) -> None:
        """Apply one update to every parameter."""
        self.t += 1
        for key, g in grads.items():
            params[key] -= self._direction(key, g)

    def step_list(self, params: list[np.ndarray], grads: list[np.ndarray]) -> None:
        """Apply one update to ``params[j]`` from ``grads[j]`` (the trainer's inner loop; the state is
        keyed by position). The gradients are fresh arrays of this step: plain descent scales them in place.
        """
        self.t += 1
        if self.name == "gd":
            for p, g in zip(params, grads, strict=True):
                g *= self.lr
                p -= g
            return
        for j, (p, g) in enumerate(zip(params, grads, strict=True)):
            p -= self._direction(j, g)

    def _direction(self, key: Key, g: np.ndarray) -> np.ndarray:
        if self.name == "gd":
            return self.lr * g
        if self.name == "momentum":
            v = self._m[key] = self.momentum * self._m.get(key, 0.0) + g
            return self.lr * v
        m = self._m[key] = self.beta1 * self._m.get(key, 0.0) + (1 - self.beta1) * g
        v = self._v[key] = self.beta2 * self._v.get(key, 0.0) + (1 - self.beta2) * g * g
        m_hat, v_hat = m / (1 - self.beta1 ** self.t), v / (1 - self.beta2 ** self.t)
        return self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


def make_optimizer(name: str, lr: float, *, momentum: float = 0.9) -> Optimizer:
    """The optimiser ``name`` ("gd", "momentum", "adam") with learning rate ``lr``.

    Raises:
        NumericError: an unknown name, or momentum outside [0, 1).
    """
    key = {"sgd": "gd", "plain": "gd"}.get(str(name).lower(), str(name).lower())
    if key not in OPTIMIZERS:
        raise NumericError(f"optimizer must be one of {', '.join(OPTIMIZERS)}, got optimizer={name!r}")
    if not 0 <= momentum < 1:
        raise NumericError(f"momentum must be in [0, 1), got momentum={momentum!r}")
    return Optimizer(key, lr, momentum=momentum)


SCHEDULES = {"constant": "the same learning rate every epoch",
             "step": "lr times gamma every step_every epochs", "cosine": "cosine annealing from lr to 0"}


def check_schedule(schedule: str, epochs: int, step_every: int | None, gamma: float) -> int | None:
    """The step interval to use (default max(1, epochs // 3) for "step"); NumericError for bad options."""
    if schedule not in SCHEDULES:
        raise NumericError(f"schedule must be one of {', '.join(SCHEDULES)}, got schedule={schedule!r}")
    if step_every is not None and (isinstance(step_every, bool) or not isinstance(step_every, int) or step_every < 1):
        raise NumericError(f"step_every must be an integer >= 1, got step_every={step_every!r}")
    if not isinstance(gamma, (int, float)) or not 0 < gamma <= 1:
        raise NumericError(f"gamma must be in (0, 1], got gamma={gamma!r}")
    return (step_every or max(1, epochs // 3)) if schedule == "step" else step_every


def scheduled_lr(schedule: str, lr: float, epoch: int, epochs: int, *, step_every: int = 1,
                 gamma: float = 0.1) -> float:
    """The learning rate of epoch ``epoch`` (1..epochs) under ``schedule`` (see the module docstring).

    >>> scheduled_lr("step", 1.0, 4, 9, step_every=3, gamma=0.5), scheduled_lr("cosine", 1.0, 1, 4)
    (0.5, 1.0)
    """
    if schedule == "step":
        return lr * gamma ** ((epoch - 1) // step_every)
    if schedule == "cosine":
        return lr * (1 + math.cos(math.pi * (epoch - 1) / epochs)) / 2
    return lr
