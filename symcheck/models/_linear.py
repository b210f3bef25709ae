"""Least squares and ridge regression, by the SVD and by the normal equations.

Objective (the homework's eq. 3):  minimise ‖y − Xβ‖² + λ‖β‖²  over β.

Intercept convention: with ``fit_intercept=True`` (the default) the columns of X and y are
centred first and β is fitted to the centred data; the intercept is then ȳ − x̄ᵀβ.  The
intercept is therefore *never penalised*: this is the same convention as scikit-learn's
``Ridge(alpha=λ)``.  With ``fit_intercept=False`` the data are used as given.

Shapes: X (N×m), y (N,) or (N×k); β (m,) or (m×k); the intercept is a float or (k,).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from symcheck.errors import UsageError

__all__ = ["LinearFit", "least_squares", "ridge", "ridge_path", "singular_value_cutoff"]


@dataclass(frozen=True)
class LinearFit:
    """A fitted linear model ŷ = Xβ + intercept, with the λ it was fitted with (0 for OLS)."""

    coef: np.ndarray
    intercept: float | np.ndarray
    lam: float

    def predict(self, X) -> np.ndarray:
        """Return Xβ + intercept for X (N×m)."""
        return np.asarray(X, dtype=np.float64) @ self.coef + self.intercept


def singular_value_cutoff(s: np.ndarray, shape: tuple[int, int]) -> float:
    """Return the threshold below which a singular value counts as zero (NumPy's pinv rule).

    >>> singular_value_cutoff(np.array([2.0, 1.0]), (10, 2))
    4.44...e-15
    """
    return float(s.max(initial=0.0) * max(shape) * np.finfo(np.float64).eps)


def _validated(X, y) -> tuple[np.ndarray, np.ndarray]:
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if X.ndim != 2:
        raise UsageError(f"X has shape {X.shape}", where="X", fix="pass a 2-D array (N×m)")
    if y.ndim not in (1, 2) or y.shape[0] != X.shape[0]:
        raise UsageError(f"y has shape {y.shape} but X has {X.shape[0]} rows", where="y",
                         fix="pass y with one entry (or row) per row of X")
    if not (np.isfinite(X).all() and np.isfinite(y).all()):
        raise UsageError("X or y contains NaN or infinity", where="X, y",
                         fix="remove or impute the missing values first")
    return X, y


def _validated_lambda(lam) -> float:
    lam = float(lam)
    if not np.isfinite(lam) or lam < 0:
        raise UsageError(f"lam={lam!r} is not a finite number ≥ 0", where="lam",
                         fix="use a penalty such as 0, 0.1 or 10")
    return lam


def _centred(X: np.ndarray, y: np.ndarray, fit_intercept: bool):
    if not fit_intercept:
        return X, y, np.zeros(X.shape[1]), np.zeros(y.shape[1:])
    x_mean, y_mean = X.mean(axis=0), y.mean(axis=0)
    return X - x_mean, y - y_mean, x_mean, y_mean


def _intercept(x_mean, y_mean, coef):
    # b = ȳ − x̄ᵀβ : the unpenalised intercept of the centred problem
    intercept = y_mean - x_mean @ coef
    return float(intercept) if np.ndim(intercept) == 0 else intercept


def _reduced_svd(X: np.ndarray, y: np.ndarray, fit_intercept: bool):
    """Return U, s, Vᵀ of the centred X = U S Vᵀ and Uᵀy, without forming the N-row U.

    QR of the augmented matrix [X | y] = Q [R | c] gives X = QR and y = Qc with Q's columns
    orthonormal, so ‖y − Xβ‖² = ‖c − Rβ‖² + const; the SVD of the small R = U_R S Vᵀ then
    gives Uᵀy = U_Rᵀ c.  This is as stable as an SVD of X and costs one Householder QR.
    """
    N, m = X.shape
    Y = y.reshape(N, -1)
    augmented = np.empty((N, m + Y.shape[1]))
    x_mean = X.mean(axis=0) if fit_intercept else np.zeros(m)
    y_mean = y.mean(axis=0) if fit_intercept else np.zeros(y.shape[1:])
    np.subtract(X, x_mean, out=augmented[:, :m])
    np.subtract(Y, np.reshape(y_mean, (1, -1)), out=augmented[:, m:])
    R_aug = np.linalg.qr(augmented, mode="r")
    U, s, Vt = np.linalg.svd(R_aug[:, :m], full_matrices=False)
    Uty = U.T @ R_aug[:, m:]
    return U, s, Vt, (Uty if y.ndim == 2 else Uty[:, 0]), x_mean, y_mean


def ridge_path(X, y, lambdas: Sequence[float], *, fit_intercept: bool = True) -> list[LinearFit]:
    """Fit ridge regression for every λ in ``lambdas`` from one thin SVD of X.

    With X = U S Vᵀ, β(λ) = V diag(s / (s² + λ)) Uᵀ y (the SVD is taken of R from a QR of
    [X | y], which gives the same s, V and Uᵀy without forming U).  Singular values below
    :func:`singular_value_cutoff` are treated as exactly zero, so λ = 0 gives the minimum-norm
    least-squares solution (the pseudo-inverse) even when X is rank-deficient, and β(λ) → β(0)
    smoothly as λ → 0.

    Args:
        X: features (N×m).  y: targets (N,) or (N×k).
        lambdas: penalties λ ≥ 0.
        fit_intercept: centre X and y first (default True; the intercept is not penalised).

    Returns:
        One :class:`LinearFit` per λ, in order; ``coef`` is (m,) or (m×k).

    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]); y = np.array([1.0, 2.0, 3.0])
    >>> [fit.coef.round(6).tolist() for fit in ridge_path(X, y, [0.0, 1.0], fit_intercept=False)]
    [[1.0, 2.0], [0.875, 1.375]]
    """
    X, y = _validated(X, y)
    lambdas = [_validated_lambda(lam) for lam in lambdas]
    U, s, Vt, Uty, x_mean, y_mean = _reduced_svd(X, y, fit_intercept)
    kept = s > singular_value_cutoff(s, X.shape)
    fits = []
    for lam in lambdas:
        # filter factors s / (s² + λ); a zero singular value contributes nothing
        d = np.zeros_like(s)
        d[kept] = s[kept] / (s[kept] ** 2 + lam)
        coef = Vt.T @ (d[:, None] * Uty if Uty.ndim == 2 else d * Uty)
        fits.append(LinearFit(coef, _intercept(x_mean, y_mean, coef), lam))
    return fits


def least_squares(X, y, *, fit_intercept: bool = True) -> LinearFit:
    """Fit ordinary least squares by the SVD pseudo-inverse: β = X⁺y (minimum norm).

    Args:
        X: features (N×m).  y: targets (N,) or (N×k).
        fit_intercept: centre X and y first (default True).

    >>> X = np.array([[1.0], [2.0], [3.0]]); y = np.array([2.0, 4.0, 6.0])
    >>> least_squares(X, y, fit_intercept=False).coef
    array([2.])
    """
    return ridge_path(X, y, [0.0], fit_intercept=fit_intercept)[0]


def ridge(X, y, lam: float, *, method: str = "svd", fit_intercept: bool = True) -> LinearFit:
    """Fit ridge regression, minimising ‖y − Xβ‖² + λ‖β‖² (intercept unpenalised).

    Args:
        X: features (N×m).  y: targets (N,) or (N×k).
        lam: the penalty λ ≥ 0.
        method: ``"svd"`` (default; stable as λ → 0 and for rank-deficient X) or
            ``"normal"`` (solve (XᵀX + λI)β = Xᵀy; never forms an inverse; needs λ > 0
            or X of full column rank).
        fit_intercept: centre X and y first (default True).

    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]); y = np.array([1.0, 2.0, 3.0])
    >>> ridge(X, y, 1.0, method="normal", fit_intercept=False).coef
    array([0.875, 1.375])
    """
    if method not in ("svd", "normal"):
        raise UsageError(f"method={method!r} is not a ridge solver", where="method",
                         fix="use method='svd' or method='normal'")
    if method == "svd":
        return ridge_path(X, y, [lam], fit_intercept=fit_intercept)[0]
    X, y = _validated(X, y)
    lam = _validated_lambda(lam)
    Xc, yc, x_mean, y_mean = _centred(X, y, fit_intercept)
    gram = Xc.T @ Xc
    gram[np.diag_indices_from(gram)] += lam
    try:
        # (XᵀX + λI) β = Xᵀy, solved by LU; no explicit inverse
        coef = np.linalg.solve(gram, Xc.T @ yc)
    except np.linalg.LinAlgError:
        raise UsageError(f"XᵀX + λI is singular at lam={lam}", where="method='normal'",
                         fix="use method='svd', or a penalty lam > 0") from None
    return LinearFit(coef, _intercept(x_mean, y_mean, coef), lam)
