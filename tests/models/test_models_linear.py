"""Least squares and ridge against independent oracles: NumPy lstsq, the optimality condition,
the augmented least-squares form of ridge, and scikit-learn."""

import numpy as np
import pytest
from hypothesis import given, strategies as st

from symcheck.errors import UsageError
from symcheck.models import least_squares, ridge, ridge_path
from symcheck.tolerances import TOLERANCES

SYMBOLIC = TOLERANCES["symbolic"]


def _problem(seed, N, m, k=None):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(N, m)) * rng.uniform(0.1, 10, size=m) + rng.normal(size=m)
    y = rng.normal(size=(N,) if k is None else (N, k))
    return X, y


def _close(got, want, tol=SYMBOLIC):
    np.testing.assert_allclose(got, want, rtol=tol.rtol, atol=tol.atol * max(1.0, np.abs(want).max()))


@given(seed=st.integers(0, 2**32 - 1), N=st.integers(2, 30), m=st.integers(1, 8),
       lam=st.floats(1e-3, 1e3), method=st.sampled_from(["svd", "normal"]))
def test_ridge_solves_the_normal_equations_of_eq_4(seed, N, m, lam, method):
    # Oracle: the gradient of ‖y − Xβ‖² + λ‖β‖² vanishes: Xᵀ(Xβ − y) + λβ = 0 (homework eq. 4).
    X, y = _problem(seed, N, m)
    beta = ridge(X, y, lam, method=method, fit_intercept=False).coef
    residual_gradient = X.T @ (X @ beta - y) + lam * beta
    scale = np.abs(X.T @ y).max() + lam * np.abs(beta).max() + np.abs(X.T @ X @ beta).max()
    assert np.abs(residual_gradient).max() <= 1e-9 * max(scale, 1.0)


@given(seed=st.integers(0, 2**32 - 1), N=st.integers(2, 30), m=st.integers(1, 8),
       lam=st.floats(1e-3, 1e3), k=st.one_of(st.none(), st.integers(1, 3)))
def test_ridge_equals_augmented_least_squares(seed, N, m, lam, k):
    # Oracle: ridge is least squares on [X; √λ I], [y; 0]  (Hastie et al., ESL ex. 3.12).
    X, y = _problem(seed, N, m, k)
    X_aug = np.vstack([X, np.sqrt(lam) * np.eye(m)])
    y_aug = np.concatenate([y, np.zeros((m,) + y.shape[1:])])
    want = np.linalg.lstsq(X_aug, y_aug, rcond=None)[0]
    for method in ("svd", "normal"):
        _close(ridge(X, y, lam, method=method, fit_intercept=False).coef, want)


@given(seed=st.integers(0, 2**32 - 1), N=st.integers(1, 20), m=st.integers(1, 8))
def test_least_squares_is_the_minimum_norm_solution(seed, N, m):
    # Oracle: NumPy's lstsq (LAPACK gelsd) returns the minimum-norm least-squares solution.
    X, y = _problem(seed, N, m)
    _close(least_squares(X, y, fit_intercept=False).coef, np.linalg.lstsq(X, y, rcond=None)[0])


def test_rank_deficient_ridge_tends_to_the_pseudo_inverse():
    X, y = _problem(1, 40, 3)
    X = np.column_stack([X, X[:, 0] + X[:, 1], 2 * X[:, 2]])      # rank 3 of 5 columns
    pinv = np.linalg.pinv(X) @ y
    _close(least_squares(X, y, fit_intercept=False).coef, pinv)
    errors = [np.abs(ridge(X, y, lam, fit_intercept=False).coef - pinv).max()
              for lam in (1e-2, 1e-4, 1e-6, 1e-8)]
    assert errors == sorted(errors, reverse=True) and errors[-1] < 1e-8


def test_intercept_is_unpenalised_and_equals_a_column_of_ones_at_lambda_0():
    X, y = _problem(2, 50, 4)
    fit = least_squares(X, y)
    want = np.linalg.lstsq(np.column_stack([np.ones(50), X]), y, rcond=None)[0]
    _close(np.concatenate([[fit.intercept], fit.coef]), want)
    # With a penalty, shifting y by a constant moves only the intercept.
    a, b = ridge(X, y, 5.0), ridge(X, y + 100.0, 5.0)
    _close(b.coef, a.coef)
    assert b.intercept == pytest.approx(a.intercept + 100.0, rel=1e-12)


def test_ridge_path_matches_single_fits():
    X, y = _problem(3, 30, 5)
    lambdas = [0.0, 0.5, 50.0]
    for fit, lam in zip(ridge_path(X, y, lambdas), lambdas):
        _close(fit.coef, ridge(X, y, lam, method="normal").coef)


def test_sklearn_linear_regression_and_ridge_agree_to_1e_8():
    sklearn_linear = pytest.importorskip("sklearn.linear_model")
    from symcheck.models._data import Standardizer, read_csv, shipped_dataset

    X, y, names, _ = read_csv(shipped_dataset()).features_and_target("target")
    Z = Standardizer.fit(X, names, source="diabetes")(X)
    ours = least_squares(Z, y)
    theirs = sklearn_linear.LinearRegression().fit(Z, y)
    np.testing.assert_allclose(ours.coef, theirs.coef_, rtol=1e-8, atol=1e-8)
    assert ours.intercept == pytest.approx(theirs.intercept_, rel=1e-8)
    for lam in (0.01, 1.0, 10.0, 1000.0):
        theirs = sklearn_linear.Ridge(alpha=lam, solver="svd").fit(Z, y)
        for method in ("svd", "normal"):
            ours = ridge(Z, y, lam, method=method)
            np.testing.assert_allclose(ours.coef, theirs.coef_, rtol=1e-8, atol=1e-8)
            rmse_ours = np.sqrt(np.mean((ours.predict(Z) - y) ** 2))
            rmse_theirs = np.sqrt(np.mean((theirs.predict(Z) - y) ** 2))
            assert rmse_ours == pytest.approx(rmse_theirs, rel=1e-8)


@pytest.mark.parametrize("call, fragment", [
    (lambda: ridge([[1.0]], [1.0], -1.0), "lam=-1.0"),
    (lambda: ridge([[1.0]], [1.0], float("nan")), "lam=nan"),
    (lambda: ridge([[1.0]], [1.0], 1.0, method="qr"), "method='qr'"),
    (lambda: ridge([1.0, 2.0], [1.0, 2.0], 1.0), "X has shape (2,)"),
    (lambda: ridge([[1.0], [2.0]], [1.0], 1.0), "y has shape (1,)"),
    (lambda: least_squares([[np.nan]], [1.0]), "NaN"),
])
def test_bad_calls_raise_usage_errors(call, fragment):
    with pytest.raises(UsageError, match=None) as info:
        call()
    assert fragment in str(info.value) and info.value.fix
