"""The layout promises of the code (issue 11): no import cycle, numeric light and on the public API,
and a new activation added in one place reaching the exact check, the LaTeX and the trainer."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

import derivations
from derivations import Architecture, Derivation, check
from derivations.activations import ACTIVATIONS, Activation, NumpyForm, Z

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("derivations", "numeric")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module of ours that ``path`` imports, at the top or inside a function."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}  # `from . import x`: x may be a module
    return found


def _graph() -> dict[str, set[str]]:
    files = [p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")]
    modules = {_module_name(p): p for p in files}
    return {name: {m for m in _imports(path) if m in modules and m != name} for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for v in graph:
        if v not in index:
            visit(v)
    return out


def _parent_packages(graph):
    """A package's __init__ importing its own submodules is no cycle in practice; drop those edges
    from a submodule back up to a package that contains it (Python runs the package first)."""
    return {v: {w for w in ws if not v.startswith(w + ".")} for v, ws in graph.items()}


def test_no_import_cycle_even_counting_imports_inside_functions():
    cycles = _cycles(_parent_packages(_graph()))
    assert cycles == [], f"import cycles: {cycles}"


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c"]]


def _imported_modules(path: Path) -> set[str]:
    """The modules named by ``import m`` and ``from m import ...`` in ``path`` (absolute ones)."""
    tree = ast.parse(path.read_text())
    return {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names} | \
        {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and not node.level}


def test_numeric_uses_only_the_public_api_of_derivations():
    offenders = sorted(f"{_module_name(p)} imports {m}" for p in (ROOT / "numeric").rglob("*.py")
                       for m in _imported_modules(p)
                       if m.startswith("derivations") and m not in ("derivations", "derivations.errors"))
    assert offenders == []


def test_importing_numeric_loads_neither_lark_nor_the_checker():
    code = ("import sys, numeric\n"
            "print(sorted(m for m in ('lark', 'derivations.checker', 'sympy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# -- a new activation is one entry ---------------------------------------------------------------
ARCTAN = Activation("arctan", sp.atan(Z), r"\arctan", numpy=NumpyForm(np.arctan, lambda z: 1.0 / (1.0 + z * z)))


@pytest.fixture
def arctan(monkeypatch):
    """An activation the package has never seen, added as one entry of the registry."""
    monkeypatch.setitem(ACTIVATIONS, "arctan", ARCTAN)
    return "arctan"


def test_a_new_activation_is_proved_and_refuted_by_the_checker(arctan):
    good = check(r"\nabla_{W_i} f = \Delta_i \cdot \Sigma_{i-1}^T", activations=(arctan,))
    assert good.status == "proved" and any("arctan" in a for a in good.assumptions)
    assert check(r"\nabla_{W_i} f = \Delta_i \cdot \Sigma_{i-1}", activations=(arctan,)).status == "fails"


def test_a_new_activation_reaches_the_latex(arctan):
    document = Derivation(Architecture((2, 1), arctan)).document()
    assert r"\operatorname{atan}" in document and "[2,1] arctan" in document


def test_a_new_activation_reaches_the_trainer(arctan):
    from numeric import compile_gradient, init_model

    rng = np.random.default_rng(0)
    model = init_model([3, 2, 1], arctan, seed=1)
    X, Y = rng.normal(size=(3, 5)), rng.normal(size=(1, 5))
    grad = compile_gradient(model.activations, loss="mse")
    _, dW, _ = grad(model.weights, model.biases, X, Y)
    W, eps = {i: w.copy() for i, w in model.weights.items()}, 1e-6
    W[1][1, 2] += eps
    up = grad(W, model.biases, X, Y)[0]
    W[1][1, 2] -= 2 * eps
    down = grad(W, model.biases, X, Y)[0]
    assert grad.status == "proved" and model.activations[0] == "arctan"
    assert dW[1][1, 2] == pytest.approx((up - down) / (2 * eps), rel=1e-5, abs=1e-8)


def test_the_registry_is_the_only_place_naming_activations():
    """No module other than activations.py spells out an activation's relation or NumPy code."""
    spelled = ("1 - s**2", "s - s**2", "np.tanh(", "logaddexp")
    offenders = sorted(str(p.relative_to(ROOT)) for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")
                       if p.name != "activations.py" and any(s in p.read_text() for s in spelled))
    assert offenders == []
    assert derivations.get_activation("swish").name == "silu"
