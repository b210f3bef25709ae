"""Sensitivity without false alarms: the homework's closed forms, proved on hypothesis examples.

A correct closed form must pass every example (150 by default, 10,000 under ``-m slow``).  A
closed form corrupted by a relative δ, in one entry or in its overall scale, must fail every
example: δ = 1e-9 with complex step, δ = 1e-6 with central differences (Richardson) alone
(100 examples by default, 2,000 under ``-m slow``; Hessians: 50 and 2,000).
δ is relative to the gradient's size: the corrupted entry moves by δ·max|∇|.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from closed_forms import GRADIENT_CASES, HESSIAN_CASES, JACOBIAN_CASES
from symcheck.testing import assert_gradient, assert_hessian, assert_jacobian

EXAMPLES = 150
SLOW_EXAMPLES = 10_000
CORRUPTION_EXAMPLES = 100
SLOW_CORRUPTION_EXAMPLES = 2_000
# Corruption is relative to max|∇|; below this size the absolute floor (atol) of the
# tolerances decides, and "relative" stops meaning anything.
SMALLEST_GRADIENT = 1e-2

CORRUPTION_CAUGHT = {"complex_step": 1e-9, "central": 1e-6}


def _settings(examples: int):
    return settings(max_examples=examples, derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


def corrupt(value: np.ndarray, position: int, delta: float, where: str) -> np.ndarray:
    """Return ``value`` with one entry moved by δ·max|value|, or scaled by 1 + δ."""
    out = np.array(value, dtype=float)
    if where == "scale":
        return out * (1 + delta)
    out.flat[position % out.size] += delta * np.max(np.abs(out))
    return out


def _ids(cases):
    return [c.key for c in cases]


def _prove_correct(case, assert_derivative, examples):
    @_settings(examples)
    @given(case.args)
    def correct_closed_form_passes(args):
        assert_derivative(case.f, case.derivative, *args, wrt=case.wrt)

    correct_closed_form_passes()


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=_ids(GRADIENT_CASES))
def test_correct_gradient_passes(case):
    _prove_correct(case, assert_gradient, EXAMPLES)


@pytest.mark.parametrize("case", JACOBIAN_CASES, ids=_ids(JACOBIAN_CASES))
def test_correct_jacobian_passes(case):
    _prove_correct(case, assert_jacobian, EXAMPLES)


@pytest.mark.parametrize("case", HESSIAN_CASES, ids=_ids(HESSIAN_CASES))
def test_correct_hessian_passes(case):
    _prove_correct(case, assert_hessian, EXAMPLES // 3)


@pytest.mark.slow
@pytest.mark.parametrize("case", GRADIENT_CASES + JACOBIAN_CASES, ids=_ids(GRADIENT_CASES + JACOBIAN_CASES))
def test_correct_first_derivative_passes_10000_examples(case):
    check = assert_jacobian if case in JACOBIAN_CASES else assert_gradient
    _prove_correct(case, check, SLOW_EXAMPLES)


@pytest.mark.slow
@pytest.mark.parametrize("case", HESSIAN_CASES, ids=_ids(HESSIAN_CASES))
def test_correct_hessian_passes_2000_examples(case):
    _prove_correct(case, assert_hessian, SLOW_CORRUPTION_EXAMPLES)


def _prove_caught(case, assert_derivative, method, where, examples):
    delta = CORRUPTION_CAUGHT[method]

    @_settings(examples)
    @given(case.args, st.integers(0, 10 ** 6))
    def corruption_is_caught(args, position):
        value = np.asarray(case.derivative(*args), dtype=float)
        assume(np.max(np.abs(value)) >= SMALLEST_GRADIENT)
        wrong = corrupt(value, position, delta, where)
        with pytest.raises(AssertionError, match=method):
            assert_derivative(case.f, lambda *_: wrong, *args, wrt=case.wrt, method=method)

    corruption_is_caught()


FIRST_ORDER = [(c, assert_gradient) for c in GRADIENT_CASES] + [(c, assert_jacobian) for c in JACOBIAN_CASES]
FIRST_ORDER_IDS = _ids(GRADIENT_CASES + JACOBIAN_CASES)


@pytest.mark.parametrize("where", ["entry", "scale"])
@pytest.mark.parametrize("method", ["complex_step", "central"])
@pytest.mark.parametrize("case, check", FIRST_ORDER, ids=FIRST_ORDER_IDS)
def test_corrupted_closed_form_is_caught(case, check, method, where):
    _prove_caught(case, check, method, where, CORRUPTION_EXAMPLES)


@pytest.mark.slow
@pytest.mark.parametrize("where", ["entry", "scale"])
@pytest.mark.parametrize("method", ["complex_step", "central"])
@pytest.mark.parametrize("case, check", FIRST_ORDER, ids=FIRST_ORDER_IDS)
def test_corrupted_closed_form_is_caught_2000_examples(case, check, method, where):
    _prove_caught(case, check, method, where, SLOW_CORRUPTION_EXAMPLES)


def test_corruption_helper_moves_one_entry_by_delta_times_the_largest():
    value = np.array([[1.0, -4.0], [2.0, 0.5]])
    moved = corrupt(value, 5, 1e-3, "entry")        # position 5 % 4 = 1 → flat entry 1
    assert np.count_nonzero(moved != value) == 1
    assert moved.flat[1] - value.flat[1] == pytest.approx(4e-3)
    np.testing.assert_array_equal(corrupt(value, 0, 0.5, "scale"), 1.5 * value)
