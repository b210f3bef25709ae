"""assert_gradient / assert_jacobian / assert_hessian: pass quietly, fail loudly and precisely."""

from __future__ import annotations

import numpy as np
import pytest

from symcheck.errors import UsageError
from symcheck.testing import assert_gradient, assert_hessian, assert_jacobian

X = np.array([[1.0, 2.0, -0.5], [3.0, -1.0, 0.25]])
a, b = np.array([[1.0], [-2.0]]), np.array([[0.5], [1.5], [-1.0]])


def frobenius(X):
    return np.trace(X @ X.T)


def test_correct_derivatives_return_none():
    assert assert_gradient(frobenius, lambda X: 2 * X, X) is None               # HW 1.3
    assert assert_gradient(lambda a, X, b: (a.T @ X @ b).item(), lambda a, X, b: a @ b.T,
                           a, X, b, wrt=1) is None                                # HW 1.4
    M = np.array([[2.0, 1.0], [0.5, 3.0]])
    assert assert_jacobian(lambda x: M.T @ M @ x, lambda x: M.T @ M, np.ones((2, 1))) is None   # HW 1.1
    assert assert_hessian(frobenius, lambda X: 2 * np.eye(6), X) is None
    assert assert_hessian(frobenius, lambda X: 2 * np.eye(6), X, grad=lambda X: 2 * X) is None


def test_failure_names_entry_expected_got_method_step_and_tolerance():
    offset = np.zeros_like(X)
    offset[0, 2] = 1e-6
    wrong = lambda X: 2 * X + offset  # noqa: E731
    with pytest.raises(AssertionError) as info:
        assert_gradient(frobenius, wrong, X)
    text = str(info.value)
    for piece in ("gradient with respect to args[0]", "entry [0, 2]", "expected -1 ", "got -0.999999",
                  "complex_step, h=1e-150", "rtol 1e-12", "atol 1e-13"):
        assert piece in text, piece


def test_failure_says_when_complex_step_did_not_apply():
    f = lambda x: np.sum(np.abs(x) ** 3)                                         # abs: not analytic
    with pytest.raises(AssertionError, match="central, relative step .*complex step does not apply"):
        assert_gradient(f, lambda x: 3 * x ** 2, np.array([1.0, -2.0]))         # sign lost at -2
    assert_gradient(f, lambda x: 3 * x * np.abs(x), np.array([1.0, -2.0]))


def test_wrong_shape_is_an_assertion_error_naming_both_shapes():
    with pytest.raises(AssertionError, match=r"shape \(3, 2\), expected \(2, 3\)"):
        assert_gradient(frobenius, lambda X: 2 * X.T, X)


def test_wrong_jacobian_and_hessian_fail():
    M = np.array([[2.0, 1.0], [0.5, 3.0]])
    with pytest.raises(AssertionError, match=r"Jacobian .* entry \[\d, \d\]"):
        assert_jacobian(lambda x: M.T @ M @ x, lambda x: M @ M.T, np.ones((2, 1)))
    with pytest.raises(AssertionError, match="Hessian .*central∘complex_step"):
        assert_hessian(frobenius, lambda X: np.eye(6), X)


def test_helpers_hide_their_frames_from_tracebacks():
    for helper in (assert_gradient, assert_jacobian, assert_hessian):
        assert "__tracebackhide__" in helper.__code__.co_varnames


BAD_CALLS = [
    (dict(f=1, g=lambda X: X, args=(X,)), "f=1 is not callable"),
    (dict(f=frobenius, g=np.ones(3), args=(X,)), "closed form .* is not callable"),
    (dict(f=frobenius, g=lambda X: X, args=()), "no point was given"),
    (dict(f=frobenius, g=lambda X: X, args=(X,), wrt=1), "wrt=1 is not the position of one of the 1"),
    (dict(f=frobenius, g=lambda X: X, args=(X,), wrt="X"), "wrt='X'.*use an integer from 0 to 0"),
    (dict(f=frobenius, g=lambda X: X, args=(X,), method="forward"),
     "method='forward' is not a derivative method.*write one of 'auto'"),
    (dict(f=frobenius, g=lambda X: X, args=(X,), rtol=2.0), "rtol=2.0 is not a relative tolerance"),
    (dict(f=frobenius, g=lambda X: X, args=(np.array([np.inf]),)), "args\\[0\\] has non-finite"),
]


@pytest.mark.parametrize("helper", [assert_gradient, assert_jacobian, assert_hessian])
@pytest.mark.parametrize("call, message", BAD_CALLS)
def test_bad_calls_raise_usage_error_before_computing(helper, call, message):
    kwargs = {k: v for k, v in call.items() if k not in ("f", "g", "args")}
    with pytest.raises(UsageError, match=message):
        helper(call["f"], call["g"], *call["args"], **kwargs)
