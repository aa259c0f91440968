"""NumPy side of backprop-verify: compiled gradients, trainer, I/O, plots (uses derivations' public API)."""

__all__: list[str] = []
