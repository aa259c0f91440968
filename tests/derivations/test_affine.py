"""Section 3: the affine network embeds into the homogeneous one; the construction's gap."""

import pytest

from derivations import Architecture, ArchitectureError, check_affine_equivalence, embed


@pytest.mark.parametrize("widths", [(2, 1), (2, 2, 1), (3, 2, 2, 1), (1, 2, 3)])
@pytest.mark.parametrize("act", ["sigma", "tanh", "relu"])
def test_function_and_bias_gradient_agree(widths, act):
    agree, bias, frozen = check_affine_equivalence(Architecture(widths, act, "affine"))
    assert agree.holds is True and bias.holds is True
    assert frozen.holds is (len(widths) == 2)


def test_embedding_widths_and_fixed_entries():
    emb = embed(Architecture((3, 2, 1), "tanh", "affine"))
    assert emb.homogeneous.widths == (4, 3, 1)
    assert emb.homogeneous.fixed[emb.homogeneous.X[3, 0]] == 1
    assert (1, 2) in emb.homogeneous.formal_neurons


def test_embed_needs_affine():
    with pytest.raises(ArchitectureError, match="affine"):
        embed(Architecture((2, 1)))
