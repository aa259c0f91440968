"""Robust edges: every cap is checked before any work and reported as one of our errors; the crash
kinds a fuzz run found end in our errors; a seeded fuzz sample ends in verdicts or our errors."""

import signal
import sys
from pathlib import Path

import pytest

from derivations.checker import check
from derivations.checker.parse import MAX_DIGITS
from derivations.checker.readings import MAX_EQUATIONS, MAX_EXPANSION, MAX_INPUT
from derivations.checker.scripts import MAX_LAYER_OFFSET
from derivations.checker.toml_profile import notation_from_toml
from derivations.errors import (
    ActivationError,
    BackpropVerifyError,
    BoundsError,
    FormulaSyntaxError,
    UnsupportedNotationError,
)
from derivations.space import MAX_BATCH, MAX_DEPTH, ArchitectureSpace

BP3 = r"\nabla_{W_i} f = \Delta_i \cdot \Sigma_{i-1}^T"


# -- caps ----------------------------------------------------------------------------------------
def test_input_size_is_capped_per_call_not_per_equation():
    line = r" \\ ".join([r"\Delta_i = \Delta_i"] * (MAX_INPUT // 10))
    with pytest.raises(FormulaSyntaxError, match="MAX_INPUT"):
        check(line)


def test_layer_offsets_are_capped():
    with pytest.raises(UnsupportedNotationError, match=f"MAX_LAYER_OFFSET={MAX_LAYER_OFFSET}"):
        check(r"\Delta_{i+99999} = \Delta_{i+99999}")
    with pytest.raises(UnsupportedNotationError, match="MAX_LAYER_OFFSET"):
        check(r"W^{[l+1111111111]} = W^{[l+1111111111]}", notation="dlai")
    assert check(r"\Delta_{i+3} = \Delta_{i+3}", max_depth=2, max_width=2).holds


def test_digits_are_capped_before_parsing():
    with pytest.raises(FormulaSyntaxError, match=f"MAX_DIGITS={MAX_DIGITS}"):
        check(r"\Delta_{" + "1" * 4301 + "} = 1")


def test_definition_expansion_is_capped():
    names = ["g"] + [f"g{c}" for c in "abcdefghijklmn"]
    defs = [r"g \leftarrow \Delta_i + \Delta_i"] + [
        f"{new} \\leftarrow {old} + {old}" for old, new in zip(names, names[1:], strict=False)]
    with pytest.raises(UnsupportedNotationError, match=f"MAX_EXPANSION={MAX_EXPANSION}"):
        check(", ".join(defs) + f", \\Delta_i = {names[-1]}")


def test_equations_per_line_are_capped():
    with pytest.raises(UnsupportedNotationError, match=f"MAX_EQUATIONS={MAX_EQUATIONS}"):
        check(r" \quad ".join([r"\Delta_i = \Delta_i"] * (MAX_EQUATIONS + 1)))


def test_depth_and_width_bounds_are_validated_before_enumerating():
    with pytest.raises(BoundsError, match=f"MAX_DEPTH={MAX_DEPTH}"):
        check(BP3, max_depth=1000000000, max_width=1)
    with pytest.raises(BoundsError, match="MAX_WIDTH"):
        check(BP3, max_width=10 ** 9)
    with pytest.raises(BoundsError, match="MAX_DEPTH"):
        ArchitectureSpace(max_depth=10 ** 9, max_width=1)


def test_batch_is_capped_in_options_and_toml():
    with pytest.raises(BoundsError, match=f"MAX_BATCH={MAX_BATCH}"):
        check(BP3, batch=1000000000)
    with pytest.raises(UnsupportedNotationError, match="batch must be in"):
        notation_from_toml('name = "x"\nbatch = 1000000000')


@pytest.mark.parametrize("line, words", [
    ('index_offset = "abc"', "index_offset must be an integer"),
    ("index_offset = inf", "index_offset must be an integer"),
    ("index_offset = [1]", "index_offset must be an integer"),
    ("index_offset = 99999", "index_offset must be in"),
    ("index_styles = 5", "index_styles must be a list of strings"),
    ('[offsets]\nW = "x"', "offsets.W must be an integer"),
    ("layout = 3", "layout must be a string"),
    ("top_seed = 1", "top_seed must be true or false"),
])
def test_toml_values_are_type_checked_in_one_line(line, words):
    with pytest.raises(UnsupportedNotationError, match=words) as err:
        notation_from_toml(f'name = "x"\nbase = "tutorial"\n{line}')
    assert "\n" not in str(err.value)


# -- crash kinds the fuzz run found ----------------------------------------------------------------
def test_long_transpose_and_prime_chains_end_in_our_error():
    for tail in ("^T" * 2400, "'" * 4900):
        with pytest.raises(BackpropVerifyError):
            check(r"\Delta_i = \Delta_i" + tail)


def test_hat_of_a_bare_token_is_not_an_attribute_error():
    with pytest.raises(BackpropVerifyError):
        check("-39\t\r\x0c&=\\hat\\ I\t\\;", notation="ufldl")


def test_activation_none_names_the_parameter():
    with pytest.raises(ActivationError, match="activation"):
        check(BP3, activations=[None])
    with pytest.raises(ActivationError, match="activations="):
        check(BP3, activations=["sigma", None])
    with pytest.raises(ActivationError, match="activations="):
        check(BP3, activations=[1])


def test_no_activations_is_an_activation_error_not_an_index_error():
    with pytest.raises(ActivationError, match="activations=\\[\\]"):
        check(BP3, activations=[], min_depth=3)


# -- a seeded fuzz sample ------------------------------------------------------------------------
def _sample():
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    import fuzz_checker
    return fuzz_checker.generate(200, seed=7, grammar_draws=30)


class _SlowError(Exception):
    pass


def _alarm(signum, frame):
    raise _SlowError()


def test_seeded_fuzz_sample_ends_in_a_verdict_or_our_error():
    old = signal.signal(signal.SIGALRM, _alarm)
    slow, escaped = [], []
    try:
        for item in _sample():
            signal.alarm(10)
            try:
                notation = notation_from_toml(item["toml"]) if item["toml"] else item["notation"]
                result = check(item["text"], notation=notation, **item["options"])
                assert result.holds in (True, False, None)
            except BackpropVerifyError:
                pass
            except _SlowError:
                slow.append(item["text"][:80])
            except Exception as err:  # noqa: BLE001 - collected and reported below
                escaped.append((item["text"][:80], item["options"], repr(err)[:200]))
            finally:
                signal.alarm(0)
    finally:
        signal.signal(signal.SIGALRM, old)
    assert not escaped, escaped[:5]
    assert not slow, slow[:5]
