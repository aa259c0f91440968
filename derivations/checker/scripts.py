"""Sub- and superscripts of a symbol: layer index, primes, transposes, neuron and sample indices.

``W_{i+1}``, ``a^{(l)}``, ``A^{[l]}``, ``w^l`` (Nielsen: a bare superscript is a layer index),
``\\Sigma'_i``, ``W^T``, ``(W^{(l)})^\\top``; in an index form the subscript after a layer index
names neurons (``\\delta^l_j``, ``w^l_{jk}``, ``dZ^{[l]}_{i,:}``); ``\\delta^{x,l}`` and
``a^{[l](i)}`` name the sample of a sum. ``n_l`` reads as UFLDL's last layer.
"""

from __future__ import annotations

from dataclasses import replace

from ..errors import UnsupportedNotationError
from .chains import Chain, Group, Marker, resolve, ungroup, unsupported
from .nodes import Add, Hat, Index, Node, Num, Prod, Sub, Sym, Transpose

__all__ = ["apply_scripts", "layer_index", "MAX_LAYER_OFFSET"]

MAX_LAYER_OFFSET = 64
"""Largest |offset| of a layer index (``i+64``, ``l-3``, ``7``); the sweep tries every layer in between."""


def _bounded(index: Index, node: Node) -> Index:
    if abs(index.offset) > MAX_LAYER_OFFSET:
        raise unsupported(f"a layer index offset must satisfy |offset| <= MAX_LAYER_OFFSET={MAX_LAYER_OFFSET} "
                          f"(raise derivations.checker.scripts.MAX_LAYER_OFFSET), got offset={index.offset}",
                          node)
    return index


def _index(node: Node, order: str) -> Index:
    """A layer index from a resolved subscript: i, k-1, (l+1), 3."""
    node = resolve(node, order)
    if isinstance(node, Group) and len(node.args) == 1:
        node = node.args[0]
    if isinstance(node, Sym) and len(node.name) == 1 and node.index is None and not node.primes:
        return Index(node.name, 0)
    if isinstance(node, Sym) and node.name == "n" and node.index is not None and node.index.var \
            and not node.index.offset and not node.primes:
        return Index(f"n_{node.index.var}", 0)  # UFLDL's last layer n_l
    if isinstance(node, Num) and node.value.denominator == 1:
        return _bounded(Index(None, int(node.value)), node)
    if isinstance(node, (Add, Sub)) and isinstance(node.right, Num) and node.right.value.denominator == 1:
        inner = _index(node.left, order)
        step = int(node.right.value) * (1 if isinstance(node, Add) else -1)
        return _bounded(Index(inner.var, inner.offset + step), node)
    raise unsupported("a layer index must read i, i+1, k-2, (l-1) or a number", node)


def _neurons(arg) -> tuple[str, ...] | None:
    """Neuron index letters of a subscript: j, jk, {kj}, {j,k}, {i,:}; None if it is no such list."""
    if isinstance(arg, Marker) and arg.kind == "subpair":
        parts = list(arg.sub.args)
    else:
        parts = [n for _, n in arg.items] if isinstance(arg, Chain) else [arg]
    if all((isinstance(p, Sym) and len(p.name) == 1 and p.index is None and not p.primes)
           or (isinstance(p, Marker) and p.kind == "colon") for p in parts):
        return tuple(p.name if isinstance(p, Sym) else ":" for p in parts)
    return None


def apply_scripts(base, scripts, where: dict, order: str) -> Node:
    base = resolve(base, order) if isinstance(base, Chain) else base
    if isinstance(base, Group) and scripts and all(kind == "prime" for kind, _ in scripts):
        return replace(base, primes=base.primes + len(scripts), **where)  # g(z1)': see chains.resolve
    if isinstance(base, Group) and len(scripts) == 1 and _is_square(scripts[0]):
        inner = ungroup(base)  # (Z)^{2}, (1 - A^{[1]})^2: NumPy's Z**2, element by element
        return Prod("hadamard", inner, inner, **where)
    if isinstance(base, Group) and scripts:
        base = ungroup(base)
    index, primes, transposes, raw_sub, style = None, 0, 0, None, "_"
    neurons: tuple[str, ...] = ()
    sample, letter_sub = None, None
    for kind, arg in scripts:
        if kind == "prime":
            primes += 1
        elif kind == "sub":
            if isinstance(base, Sym) and base.name in ("\\nabla", "\\sum"):
                raw_sub = arg if isinstance(arg, Marker) else resolve(arg, order)
            elif (index is not None and style != "_" and not neurons) or \
                    (isinstance(arg, Marker) and arg.kind == "subpair") or \
                    (index is None and len(_neurons(arg) or ()) > 1):  # W_{ij}^{(l)}: neurons first
                found = _neurons(arg)
                if found is None:
                    raise unsupported("neuron indices after a layer index must be letters (j, jk)", arg)
                neurons = found
            else:
                index = _set_index(index, _index(arg, order), arg)
                letter_sub = _neurons(arg)
        elif isinstance(base, Sym) and base.name == "\\sum":
            continue  # the upper bound (m) of a sum over the batch
        elif index is not None and style == "_" and letter_sub and not neurons and _has_layer(arg, order, base):
            neurons, index, letter_sub = letter_sub, None, None  # \delta_j^{(l+1)}: j names a neuron
            t, p, idx, smp = _read_sup(arg, order, base)
            transposes, primes, sample = transposes + t, primes + p, smp or sample
            index, style = idx
        elif isinstance(arg, Marker) and arg.kind == "pair":
            first, second = arg.sub.args
            if not (isinstance(first, Sym) and len(first.name) == 1 and first.index is None):
                raise unsupported("a superscript pair reads {x,l}: sample letter, layer index", first)
            sample = first.name
            index, style = _set_index(index, _index(second, order), arg), "^"
        else:
            if index is not None and style == "_" and _bare_index(arg):
                raise unsupported("a superscript must be T, \\top, ' or a layer index (l)", arg)
            t, p, idx, smp = _read_sup(arg, order, base)
            transposes, primes = transposes + t, primes + p
            sample = smp or sample
            if idx is not None:
                index, style = _set_index(index, idx[0], arg), idx[1]
    if isinstance(base, Sym):
        if base.name in ("\\nabla", "\\sum"):
            out: Node = Marker(base.name[1:], raw_sub, **where)
        else:
            out = Sym(base.name, index if index is not None else base.index, base.primes + primes,
                      style if index is not None else base.style, neurons or base.neurons,
                      sample or base.sample, **where)
    elif isinstance(base, Hat) and isinstance(base.arg, Sym):
        inner = base.arg
        out = Hat(Sym(inner.name, index if index is not None else inner.index, inner.primes + primes,
                      style if index is not None else inner.style, **where), **where)
    elif index is not None or primes:
        raise unsupported("a layer index or prime needs a symbol, got", base)
    else:
        out = base
    for _ in range(transposes):
        out = Transpose(out, **where)
    return out


def _bare_index(arg) -> bool:
    """A superscript that would be read as a layer index w^l (not T, \\top, ', (l))."""
    items = arg.items if isinstance(arg, Chain) else ((None, arg),)
    return not all((isinstance(n, Sym) and n.name == "T") or isinstance(n, (Marker, Group)) for _, n in items)


def _set_index(old: Index | None, new: Index, node) -> Index:
    if old is not None:
        raise unsupported("two layer indices on one symbol", node)
    return new


def _read_sup(arg, order: str, base) -> tuple[int, int, tuple[Index, str] | None, str | None]:
    """(transposes, primes, (layer index, style), sample letter) from a superscript: T, \\top, (l),
    [l], (l)T, [l]', \\prime, [l](i) (layer l of sample i), or a bare index l, L, l+1, 2 (Nielsen's w^l)."""
    items = arg.items if isinstance(arg, Chain) else ((None, arg),)
    if (not isinstance(arg, Chain) and not _is_script_item(arg)) or \
            (isinstance(arg, Chain) and not any(_is_script_item(n) for _, n in arg.items)):
        return 0, 0, (_index(arg, order), "^"), None
    t = p = 0
    idx, sample = None, None
    for _, item in items:
        if isinstance(item, Sym) and item.name == "T" and item.index is None and not item.primes:
            t += 1
        elif isinstance(item, Marker) and item.kind in ("top", "prime"):
            t, p = (t + 1, p) if item.kind == "top" else (t, p + 1)
        elif isinstance(item, Sym) and item.name == "T" and item.primes and item.index is None:
            t, p = t + 1, p + item.primes
        elif isinstance(item, Group) and len(item.args) == 1 and idx is not None and \
                isinstance(item.args[0], Sym) and len(item.args[0].name) == 1:
            sample = item.args[0].name  # a^{[l](i)}: sample i of layer l
        elif isinstance(item, Group) and len(item.args) == 1:  # [l], (l); g^{[1]'}: a prime after it
            idx = (_set_index(idx and idx[0], _index(item.args[0], order), item), item.kind)
            p += item.primes
        elif isinstance(item, Transpose) and item.src[:1] in ("(", "[") and idx is None:
            t, idx = t + 1, (_index(item.arg, order), item.src[0])  # A^{[l-1]^T}: the layer, transposed
        else:
            raise unsupported("a superscript must be T, \\top, ' or a layer index (l)", item)
    return t, p, idx, sample


def _is_script_item(item) -> bool:
    return (isinstance(item, Sym) and item.name == "T" and item.index is None) or \
        isinstance(item, (Marker, Group)) or (isinstance(item, Transpose) and item.src[:1] in ("(", "["))


def _has_layer(arg, order: str, base) -> bool:
    """The superscript ``arg`` carries a layer index (l), [l], L, l+1 (not only T or primes; a bare
    number, W_i^2, is a power, not a layer)."""
    try:
        idx = _read_sup(arg, order, base)[2]
    except UnsupportedNotationError:
        return False
    return idx is not None and (idx[1] != "^" or idx[0].var is not None)


def _is_square(script) -> bool:
    """A superscript 2: ``^2`` or ``^{2}``."""
    kind, arg = script
    if isinstance(arg, Chain) and len(arg.items) == 1:
        arg = arg.items[0][1]
    return kind == "sup" and isinstance(arg, Num) and arg.value == 2


layer_index = _index
