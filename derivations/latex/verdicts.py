"""Verdicts for the derivation: each catalogue formula against the ground truth on one architecture.

A thin adapter over the catalogue (:data:`derivations.registry.FORMULAS`): the formulas the
document shows are the records with a ``tag`` (:func:`derivations.registry.document_entries`),
each checked by ``registry.verify`` (every layer, exact polynomial identity, a witness point for
a failure). The result is the one :class:`~derivations.verdict.Verdict`; its ``entry`` (alias
``check``) is the record (tag, title, corrects), ``verdict_text`` and ``jupyter`` its wording.

Where the record names a proof for every architecture (:mod:`derivations.paper_proofs`:
induction over the layers, each obligation proved by :func:`derivations.checker.check`), the
verdict carries that proof's Verdict as ``proof`` and its status is "proved"; the proofs' scope
is n_k = 1 and the form they are stated in (homogeneous, the bias row affine), so another network
gets the one-architecture check only ("holds on the sweep only": a sweep of one).
"""

from __future__ import annotations

import time
from dataclasses import replace

from .. import ground_truth, paper_proofs, registry
from ..network import Network
from ..registry import Formula
from ..verdict import Verdict, counterexample_lines

__all__ = ["CHECKS", "checks_for", "verify_all", "proof_for",
           "counterexample_lines"]

CHECKS: tuple[Formula, ...] = registry.document_entries("homogeneous")
"""The records the document shows for a homogeneous network (read from the catalogue)."""


def checks_for(net: Network) -> tuple[Formula, ...]:
    """The formulas the derivation verifies on ``net`` (the catalogue's records for its form)."""
    return registry.document_entries(net.architecture.form)


def verify_all(net: Network) -> tuple[float, list[Verdict]]:
    """(seconds for the ground truth, one verdict per formula of :func:`checks_for`)."""
    start = time.perf_counter()
    for i in range(1, net.depth + 1):
        ground_truth.grad_W(net, i)
        if net.is_affine:
            ground_truth.grad_b(net, i)
    truth_seconds = time.perf_counter() - start
    verdicts = [registry.verify(entry, net) for entry in checks_for(net)]
    return truth_seconds, [replace(v, proof=proof_for(net, v.entry)) if v.holds else v for v in verdicts]


def proof_for(net: Network, check: Formula) -> Verdict | None:
    """The proved Verdict of :mod:`derivations.paper_proofs` covering ``check`` on ``net``, or None.

    Runs the record's proof (``paper_proofs.find``, cached per obligation); None when the record
    names none (the printed (3)), when it fails, or when its scope (n_k = 1, the form it is stated
    in: homogeneous, or affine for an affine-only record) does not cover ``net``.
    """
    if net.n(net.depth) != 1 or check.proof is None:
        return None
    if net.is_affine and "homogeneous" in check.forms:  # the chains are proved in homogeneous form
        return None
    finding = paper_proofs.find(check.name, check.proof, "sigma")  # arbitrary sigma: covers every activation
    return finding if finding.status == "proved" and "n_k = 1" in finding.scope else None
