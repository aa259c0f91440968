"""numeric.memory: the allocator tuning is applied once, and can be turned off."""

import numeric.memory as memory


def test_keep_freed_memory_is_idempotent_and_reports_a_bool(monkeypatch):
    monkeypatch.setattr(memory, "_applied", None)
    first = memory.keep_freed_memory()
    assert isinstance(first, bool)
    assert memory.keep_freed_memory() is first


def test_opt_out_leaves_malloc_alone(monkeypatch):
    monkeypatch.setattr(memory, "_applied", None)
    monkeypatch.setenv("BACKPROP_VERIFY_NO_MALLOPT", "1")
    assert memory.keep_freed_memory() is False
