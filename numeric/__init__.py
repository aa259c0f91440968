"""NumPy side of backprop-verify: compiled gradients, trainer, I/O, plots (uses derivations' public API)."""

from __future__ import annotations

from .compile import NUMERIC_ACTIVATIONS, CompiledGradient, clear_cache, compile_gradient
from .examples import (
    EXPERIMENTS,
    Experiment,
    ExperimentResult,
    activation_neuron,
    batched_neuron,
    deep_network,
    dummy_data,
    minibatch_neuron,
    run_experiment,
    single_neuron,
)
from .io import load_model, save_model
from .plot import plot_history
from .reference import reference_forward, reference_gradients
from .train import MODES, History, Model, as_batch, init_model, train

__all__ = [
    # compile
    "CompiledGradient", "compile_gradient", "clear_cache", "NUMERIC_ACTIVATIONS",
    # train
    "MODES", "Model", "History", "init_model", "train", "as_batch",
    # io, plot
    "save_model", "load_model", "plot_history",
    # reference (tests and benchmarks)
    "reference_forward", "reference_gradients",
    # the tutorial's experiments
    "Experiment", "ExperimentResult", "EXPERIMENTS", "dummy_data", "run_experiment", "single_neuron",
    "batched_neuron", "minibatch_neuron", "activation_neuron", "deep_network",
]
