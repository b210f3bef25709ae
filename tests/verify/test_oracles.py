"""The oracles against independent truths: SymPy's scalar derivatives, Kronecker identities."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
import sympy as sp

from symcheck.errors import ShapeError, UsageError
from symcheck.tolerances import TOLERANCES
from symcheck.verify import (
    check_gradient,
    check_hessian,
    check_jacobian,
    complex_step_jacobian,
    central_jacobian,
    gradient,
    jacobian,
    vec,
    vec_hessian,
)

EPS = np.finfo(float).eps


def _squire_trapp():
    """f(x) = eˣ / √(sin³x + cos³x), the test function of Squire & Trapp (1998), and f′ by SymPy."""
    t = sp.Symbol("t")
    expr = sp.exp(t) / sp.sqrt(sp.sin(t) ** 3 + sp.cos(t) ** 3)
    exact = float(sp.diff(expr, t).subs(t, sp.Rational(3, 2)).evalf(30))
    f = lambda x: (np.exp(x) / np.sqrt(np.sin(x) ** 3 + np.cos(x) ** 3)).sum()  # noqa: E731
    return f, np.array([1.5]), exact


def test_complex_step_reaches_machine_precision_on_squire_trapp():
    f, x, exact = _squire_trapp()
    got = complex_step_jacobian(f, x)[0, 0]
    assert abs(got - exact) <= 4 * EPS * abs(exact)


@pytest.mark.parametrize("richardson, bound", [(True, 1e-10), (False, 1e-8)])
def test_central_differences_reach_their_expected_accuracy(richardson, bound):
    # plain: error ~ ε^(2/3) ≈ 4e-11; Richardson: ~ ε^(4/5) ≈ 3e-13 (times |f|/|f′| factors)
    f, x, exact = _squire_trapp()
    got, step = central_jacobian(f, x, richardson=richardson)
    assert abs(got[0, 0] - exact) <= bound * abs(exact)
    assert step == pytest.approx(EPS ** (1 / 5) if richardson else EPS ** (1 / 3))


def test_richardson_beats_plain_central_differences():
    f, x, exact = _squire_trapp()
    plain = abs(central_jacobian(f, x, richardson=False)[0][0, 0] - exact)
    extrapolated = abs(central_jacobian(f, x, richardson=True)[0][0, 0] - exact)
    assert extrapolated < plain / 10


def test_plain_central_step_beats_much_smaller_and_much_larger_steps():
    # Error ≈ h² |f‴|/6 + ε|f|/h is smallest near h ∝ ε^(1/3) (Sauer, Numerical Analysis §5.1):
    # a step 100× smaller drowns in rounding, 100× larger in truncation.
    f, x, exact = _squire_trapp()
    ours, step = central_jacobian(f, x, richardson=False)
    h = step * abs(x[0])
    for other in (h / 100, h * 100):
        assert abs(ours[0, 0] - exact) < abs((f(x + other) - f(x - other)) / (2 * other) - exact)


def test_jacobian_of_axb_is_kronecker_in_column_major_layout():
    # vec(AXB) = (Bᵀ ⊗ A) vec(X)   (Matrix Cookbook eq. 520)
    rng = np.random.default_rng(0)
    A, X, B = rng.normal(size=(2, 3)), rng.normal(size=(3, 4)), rng.normal(size=(4, 5))
    expected = np.kron(B.T, A)
    for method in ("complex_step", "central", "central_plain"):
        got = jacobian(lambda X: A @ X @ B, X, method=method).value
        assert got.shape == (10, 12)
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-7 * np.abs(expected).max())


def test_gradient_has_the_shape_of_the_variable():
    X = np.arange(6.0).reshape(2, 3)
    d = gradient(lambda X: np.sum(X ** 3), X)
    assert d.value.shape == (2, 3)
    np.testing.assert_allclose(d.value, 3 * X ** 2, rtol=1e-15)


def test_vec_hessian_matches_kronecker_form():
    # f = tr(XᵀAX) ⇒ d²f = 2 tr(dXᵀ A dX) ⇒ H = I ⊗ (A + Aᵀ)   (Matrix Cookbook eq. 520)
    rng = np.random.default_rng(1)
    A, X = rng.normal(size=(3, 3)), rng.normal(size=(3, 2))
    expected = np.kron(np.eye(2), A + A.T)
    d = vec_hessian(lambda X: np.trace(X.T @ A @ X), X)
    assert d.method == "central∘complex_step"
    np.testing.assert_allclose(d.value, expected, atol=1e-9)
    exact = vec_hessian(lambda X: np.trace(X.T @ A @ X), X, grad=lambda X: (A + A.T) @ X)
    assert exact.method == "complex_step"
    np.testing.assert_allclose(exact.value, expected, atol=4 * EPS * np.abs(expected).max())


NON_ANALYTIC = [
    # (name, f, true gradient, what the note must say)
    ("abs", lambda x: np.sum(np.abs(x)), np.sign, "real float64 result"),
    ("conj", lambda x: np.sum(x * np.conj(x)), lambda x: 2 * x, "not analytic"),
    ("x|x|", lambda x: np.sum(x * np.abs(x)), lambda x: 2 * np.abs(x), "not analytic"),
    ("real", lambda x: np.sum(np.real(x) ** 3) + 0j, lambda x: 3 * x ** 2, "not analytic"),
    ("float()", lambda x: float(np.sum(x ** 2)), lambda x: 2 * x, "ComplexWarning"),
    ("astype", lambda x: np.sum(x.astype(float) ** 2), lambda x: 2 * x, "ComplexWarning"),
    ("math.exp", lambda x: math.exp(x.tolist()[0]) + x[1] ** 2, lambda x: np.array([math.exp(x[0]), 2 * x[1]]),
     "TypeError"),
]


@pytest.mark.parametrize("name, f, true_gradient, reason", NON_ANALYTIC, ids=[c[0] for c in NON_ANALYTIC])
def test_auto_falls_back_to_central_differences_and_says_why(name, f, true_gradient, reason):
    x = np.array([1.25, -2.5])
    d = gradient(f, x)
    assert d.method == "central"
    assert reason in d.note and "used central differences" in d.note
    np.testing.assert_allclose(d.value, true_gradient(x), rtol=1e-9)
    report = check_gradient(f, x, true_gradient(x))
    assert report.passed and report.note == d.note and "used central differences" in str(report)


def test_explicit_complex_step_refuses_a_function_that_drops_the_imaginary_part():
    with pytest.raises(UsageError, match="method='complex_step' cannot be used.*ComplexWarning"):
        gradient(lambda x: float(np.sum(x ** 2)), np.ones(2), method="complex_step")


def test_a_wrong_gradient_is_reported_with_entry_values_method_and_step():
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    wrong = 2 * X
    wrong[1, 0] += 1e-9
    report = check_gradient(lambda X: np.sum(X ** 2), X, wrong)
    assert not report.passed
    assert report.worst_index == (1, 0)
    assert report.expected == pytest.approx(6.0, rel=1e-15) and report.got == wrong[1, 0]
    assert report.method == "complex_step" and report.step == 1e-150
    assert report.tolerance == TOLERANCES["complex_step"]
    assert report.max_rel_error == pytest.approx(1e-9 / 8, rel=1e-3)
    text = str(report)
    for piece in ("entry [1, 0]", "expected 6", "got 6.000000001", "complex_step", "h=1e-150",
                  "rtol 1e-12"):
        assert piece in text
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.passed = True


def test_rtol_overrides_the_method_tolerance():
    X = np.array([[1.0, 2.0]])
    off = 2 * X * (1 + 1e-9)
    assert not check_gradient(lambda X: np.sum(X ** 2), X, off).passed
    assert check_gradient(lambda X: np.sum(X ** 2), X, off, rtol=1e-8).passed


def test_nan_in_the_closed_form_fails():
    report = check_gradient(lambda x: np.sum(x ** 2), np.ones(2), np.array([2.0, np.nan]))
    assert not report.passed and report.worst_index == (1,)


def test_hessian_and_jacobian_checks_report_matrix_entries():
    M = np.array([[1.0, 2.0], [0.0, 3.0]])
    report = check_jacobian(lambda x: M.T @ M @ x, np.ones((2, 1)), M @ M.T)   # wrong: MMᵀ ≠ MᵀM
    assert not report.passed and report.kind == "Jacobian" and len(report.worst_index) == 2
    good = check_hessian(lambda X: np.trace(X @ X.T), np.ones((2, 3)), 2 * np.eye(6))
    assert good.passed and good.method == "central∘complex_step"
    assert good.tolerance == TOLERANCES["second_order_complex_step"]


BAD_CALLS = [
    (lambda: gradient(np.sum, np.ones(2), method="forward"), UsageError,
     "method='forward' is not a derivative method.*'auto', 'complex_step'"),
    (lambda: gradient(np.sum, np.array([1.0, np.nan])), UsageError, "x has non-finite entries"),
    (lambda: gradient(np.sum, "abc"), UsageError, "x='abc' is not a real array"),
    (lambda: gradient(lambda x: 2 * x, np.ones(3)), UsageError, "f returns 3 values.*use a Jacobian"),
    (lambda: vec_hessian(lambda x: 2 * x, np.ones(3)), UsageError, "f returns 3 values"),
    (lambda: check_gradient(np.sum, np.ones((2, 3)), np.ones((3, 2))), ShapeError,
     r"gradient has shape \(3, 2\), expected \(2, 3\).*shape of the variable"),
    (lambda: check_jacobian(lambda x: 2 * x, np.ones(3), np.ones((3, 2))), ShapeError,
     r"Jacobian has shape \(3, 2\), expected \(3, 3\).*numerator layout"),
    (lambda: check_hessian(np.sum, np.ones(3), np.ones((3,))), ShapeError, "n×n"),
]


@pytest.mark.parametrize("call, error, message", BAD_CALLS)
def test_bad_calls_raise_symcheck_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_vec_is_column_major():
    X = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert vec(X).tolist() == [1.0, 4.0, 2.0, 5.0, 3.0, 6.0]
