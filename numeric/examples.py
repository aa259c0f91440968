"""The tutorial's five experiments on its 3-feature dummy data, reproduced with our trainer.

Data (the tutorial's tables are images, now lost; we rebuilt them from the text:
"Each sample has 3 features. The desired output is 1, if the first feature is 1.
The other 2 features do not matter"): every 0/1 feature vector except [1, 0, 0],
target = the first feature, so the training set has m = 7 samples (columns). The
unseen test sample is [1, 0, 0] with target 1. An affine linear neuron fits the data
exactly only with w = [1, 0, 0], b = 0 (the 7 samples and a bias column have rank 4).

Each experiment returns an :class:`ExperimentResult` (prediction on the unseen
sample, trained model, history). The settings and the tutorial's printed prediction
are in :data:`EXPERIMENTS`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import numpy as np

from .train import History, Model, init_model, train

__all__ = ["Experiment", "ExperimentResult", "EXPERIMENTS", "dummy_data", "run_experiment", "report",
           "single_neuron", "batched_neuron", "minibatch_neuron", "activation_neuron", "deep_network",
           "FLOWERS", "flowers_data", "write_flowers_csv"]

UNSEEN = (1.0, 0.0, 0.0)


@dataclass(frozen=True)
class Experiment:
    """One of the tutorial's runs: architecture, mode and settings, and its printed prediction."""

    name: str
    title: str
    widths: tuple[int, ...]
    activations: tuple[str, ...]
    mode: str
    lr: float
    epochs: int
    batch_size: int | None = None
    seed: int = 0
    tutorial_prediction: float = float("nan")


@dataclass
class ExperimentResult:
    """prediction: a^(k) on the unseen sample [1, 0, 0] (target 1)."""

    experiment: Experiment
    prediction: float
    model: Model
    history: History


EXPERIMENTS: dict[str, Experiment] = {e.name: e for e in (
    Experiment("single_neuron", "linear neuron, one sample a step", (3, 1), ("identity",), "sgd",
               0.05, 130, tutorial_prediction=0.9992918862001037),
    Experiment("batched_neuron", "linear neuron, all samples at once (tutorial: 'stochastic')",
               (3, 1), ("identity",), "full", 0.05, 2000, tutorial_prediction=0.9999991060923578),
    Experiment("minibatch_neuron", "linear neuron, minibatches", (3, 1), ("identity",), "minibatch",
               0.05, 150, batch_size=2, tutorial_prediction=0.9956078874633946),
    Experiment("activation_neuron", "sigmoid neuron, minibatches", (3, 1), ("sigmoid",), "minibatch",
               0.05, 3000, batch_size=2, tutorial_prediction=0.9394357707018176),
    Experiment("deep_network", "deep network [3, 4, 1], tanh then sigmoid, minibatches", (3, 4, 1),
               ("tanh", "sigmoid"), "minibatch", 0.05, 1000, batch_size=2,
               tutorial_prediction=0.9514167066315814),
)}


def dummy_data() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(X, Y, X_test, Y_test): X 3 x 7 (0/1 features), Y = first feature (1 x 7); test [1, 0, 0] -> 1."""
    samples = [c for c in itertools.product((0.0, 1.0), repeat=3) if c != UNSEEN]
    X = np.array(samples).T
    return X, X[:1].copy(), np.array(UNSEEN).reshape(3, 1), np.ones((1, 1))


def run_experiment(name: str, **changes) -> ExperimentResult:
    """Run EXPERIMENTS[name] (fields may be overridden, e.g. epochs=10) on the dummy data."""
    experiment = replace(EXPERIMENTS[name], **changes)
    X, Y, X_test, _ = dummy_data()
    start = init_model(experiment.widths, experiment.activations, seed=experiment.seed)
    model, history = train(start, X, Y, mode=experiment.mode, lr=experiment.lr, epochs=experiment.epochs,
                           batch_size=experiment.batch_size, seed=experiment.seed)
    return ExperimentResult(experiment, float(model.predict(X_test)[0, 0]), model, history)


def single_neuron(**changes) -> ExperimentResult:
    """The tutorial's first neuron: linear, one sample a step (weights -> [1, 0, 0], bias -> 0)."""
    return run_experiment("single_neuron", **changes)


def batched_neuron(**changes) -> ExperimentResult:
    """The linear neuron trained on all samples at once (full-batch; the tutorial says 'stochastic')."""
    return run_experiment("batched_neuron", **changes)


def minibatch_neuron(**changes) -> ExperimentResult:
    """The linear neuron trained on random minibatches."""
    return run_experiment("minibatch_neuron", **changes)


def activation_neuron(**changes) -> ExperimentResult:
    """A neuron with an activation (sigmoid), minibatches."""
    return run_experiment("activation_neuron", **changes)


def deep_network(**changes) -> ExperimentResult:
    """The tutorial's 'Final Code': a deep network, output-layer weights and bias tracked."""
    return run_experiment("deep_network", **changes)


FLOWERS = {  # class -> per-feature (mean, std): sepal length, sepal width, petal length, petal width, cm
    "setosa": ((5.0, 0.35), (3.4, 0.38), (1.46, 0.17), (0.25, 0.11)),
    "versicolor": ((5.9, 0.52), (2.8, 0.31), (4.26, 0.47), (1.33, 0.20)),
    "virginica": ((6.6, 0.64), (3.0, 0.32), (5.55, 0.55), (2.03, 0.27)),
}
"""A synthetic, iris-like data set for the command-line example (a CSV needing no download; the real data
sets, digits and breast cancer, come from scikit-learn in the tests): 50 samples per class from independent normals
with these (mean, std), rounded to 0.1 cm as measured flowers are. The values are close to Fisher's
iris statistics; the samples are NOT the iris data."""


def flowers_data(*, per_class: int = 50, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(X 4 x m, labels m) of the synthetic flowers (:data:`FLOWERS`), classes in blocks, deterministic."""
    rng = np.random.default_rng(seed)
    X = np.hstack([np.round(np.array([rng.normal(mu, sd, per_class) for mu, sd in stats]), 1)
                   for stats in FLOWERS.values()])
    return np.maximum(X, 0.1), np.repeat(np.array(list(FLOWERS), dtype=np.str_), per_class)


def write_flowers_csv(path, **options) -> None:
    """Write :func:`flowers_data` as a CSV with a header, one flower per row, the class name last."""
    X, labels = flowers_data(**options)
    lines = ["sepal_length,sepal_width,petal_length,petal_width,species"]
    lines += [",".join([*(f"{v:.1f}" for v in X[:, j]), labels[j]]) for j in range(X.shape[1])]
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")


def report() -> None:
    """Run every experiment and print ours next to the tutorial's prediction."""
    for key in EXPERIMENTS:
        result = run_experiment(key)
        e = result.experiment
        print(f"{key:18s} mode={e.mode:9s} lr={e.lr} epochs={e.epochs} batch={e.batch_size} seed={e.seed}: "
              f"ours {result.prediction:.7f}  tutorial {e.tutorial_prediction:.7f}  "
              f"W_k={np.round(result.model.weights[len(e.widths) - 1], 4).tolist()} "
              f"b_k={np.round(result.model.biases[len(e.widths) - 1], 4).ravel().tolist()}")


if __name__ == "__main__":  # pragma: no cover
    report()
