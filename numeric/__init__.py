"""NumPy side of backprop-verify: compiled gradients, trainer, I/O, plots (uses derivations' public API).

The names below are imported on first use (PEP 562), so ``import numeric.cli`` stays light and
``backprop-verify --help`` starts without NumPy or SymPy.
"""

from __future__ import annotations

import typing as _typing

from derivations import lazy_exports as _lazy_exports

_EXPORTS = {
    "compile": ("CompiledGradient", "compile_gradient", "clear_cache", "NUMERIC_ACTIVATIONS", "OUTPUT_ACTIVATIONS"),
    "losses": ("LOSS_NAMES",),
    "optim": ("OPTIMIZERS",),
    "data": ("encode_labels", "stratified_split", "standardize_stats", "accuracy", "confusion_matrix"),
    "train": ("MODES", "Model", "History", "init_model", "train", "as_batch"),
    "io": ("save_model", "load_model"),
    "plot": ("plot_history",),
    # reference (tests and benchmarks)
    "reference": ("reference_forward", "reference_gradients"),
    # the tutorial's experiments
    "examples": ("Experiment", "ExperimentResult", "EXPERIMENTS", "dummy_data", "run_experiment",
                 "single_neuron", "batched_neuron", "minibatch_neuron", "activation_neuron", "deep_network",
                 "FLOWERS", "flowers_data", "write_flowers_csv"),
}

__all__ = [name for names in _EXPORTS.values() for name in names]

if _typing.TYPE_CHECKING:  # what a type checker sees; at run time __getattr__ imports on first use
    from .compile import (  # noqa: F401
        NUMERIC_ACTIVATIONS,
        OUTPUT_ACTIVATIONS,
        CompiledGradient,
        clear_cache,
        compile_gradient,
    )
    from .data import accuracy, confusion_matrix, encode_labels, standardize_stats, stratified_split  # noqa: F401
    from .examples import (  # noqa: F401
        EXPERIMENTS,
        FLOWERS,
        Experiment,
        ExperimentResult,
        activation_neuron,
        batched_neuron,
        deep_network,
        dummy_data,
        flowers_data,
        minibatch_neuron,
        run_experiment,
        single_neuron,
        write_flowers_csv,
    )
    from .io import load_model, save_model  # noqa: F401
    from .losses import LOSS_NAMES  # noqa: F401
    from .optim import OPTIMIZERS  # noqa: F401
    from .plot import plot_history  # noqa: F401
    from .reference import reference_forward, reference_gradients  # noqa: F401
    from .train import MODES, History, Model, as_batch, init_model, train  # noqa: F401


_lazy_exports(__name__, _EXPORTS)
