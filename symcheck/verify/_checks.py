"""Check a closed-form derivative against an oracle at one point, and report.

These return a :class:`DerivativeReport` and never raise for a wrong closed form (see
``symcheck.testing`` for the asserting versions); they raise UsageError for bad arguments and
ShapeError for a closed form of the wrong shape.

With ``method="auto"`` complex step is cross-checked by central differences where it is in
doubt: when f fails on complex input, when f does not declare itself analytic, and when the
closed form misses the complex-step value (a residual that is not tiny), so that a failure is
never blamed on the closed form while complex step is what went wrong.

>>> import numpy as np
>>> a, b = np.array([[1.0], [2.0]]), np.array([[3.0], [-1.0], [0.5]])
>>> f = lambda X: (a.T @ X @ b).item()              # f(X) = aᵀXb, X is 2×3
>>> check_gradient(f, np.ones((2, 3)), a @ b.T).passed    # ∇ = abᵀ (Matrix Cookbook eq. 70)
True
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from symcheck.errors import ShapeError
from symcheck.verify._oracles import (
    _gradient,
    _jacobian,
    _vec_hessian,
    as_point,
    check_method,
    declared_analytic,
)
from symcheck.verify._report import DerivativeReport, compare

__all__ = ["check_gradient", "check_jacobian", "check_hessian"]


def _closed_form(value, want: tuple[int, ...], what: str, fix: str) -> np.ndarray:
    got = np.asarray(value, dtype=np.float64)
    if got.shape != want and not (got.size == 1 and int(np.prod(want)) == 1):
        raise ShapeError(f"the {what} has shape {got.shape}, expected {want}", where=what, fix=fix)
    return got.reshape(want)


def check_gradient(f: Callable, x, grad, *, method: str = "auto",
                   rtol: float | None = None) -> DerivativeReport:
    """Return the report comparing ``grad`` with the gradient of the scalar ``f`` at ``x``.

    ``f`` maps an array shaped like ``x`` to a scalar (or a 1×1 array); ``grad`` is the
    closed form's value at ``x``, shaped like ``x``.  ``method`` picks the oracle (see
    :data:`METHODS`); ``rtol`` overrides the method's relative tolerance.
    """
    check_method(method)
    x = as_point(x)
    got = _closed_form(grad, x.shape, "gradient", "a gradient has the shape of the variable")

    def report(cross_check):
        return compare(_gradient(f, x, method, cross_check=cross_check), got, kind="gradient",
                       shape=x.shape, rtol=rtol)

    return _unless_in_doubt(report, f, method)


def _unless_in_doubt(report, f, method: str) -> DerivativeReport:
    """Return report(None); re-check with central differences when an unchecked one fails."""
    first = report(None)
    if first.passed or method != "auto" or not declared_analytic(f) or "complex_step" not in first.method:
        return first
    return report(True)


def check_jacobian(f: Callable, x, jac, *, method: str = "auto",
                   rtol: float | None = None) -> DerivativeReport:
    """Return the report comparing ``jac`` with the Jacobian of ``f`` at ``x``.

    ``jac`` has shape ``(f(x).size, x.size)``: numerator layout over column-major vecs.

    >>> import numpy as np
    >>> M = np.array([[2.0, 1.0], [0.0, 1.0]])
    >>> check_jacobian(lambda x: M.T @ M @ x, np.ones((2, 1)), M.T @ M).passed   # HW 1.1
    True
    """
    check_method(method)
    x = as_point(x)

    def report(cross_check):
        numeric = _jacobian(f, x, method, cross_check=cross_check)
        got = _closed_form(jac, numeric.value.shape, "Jacobian",
                           "a Jacobian has shape (output size, variable size), numerator layout")
        return compare(numeric, got, kind="Jacobian", shape=numeric.value.shape, rtol=rtol)

    return _unless_in_doubt(report, f, method)


def check_hessian(f: Callable, x, hess, *, method: str = "auto", rtol: float | None = None,
                  grad: Callable | None = None) -> DerivativeReport:
    """Return the report comparing ``hess`` with the vec-Hessian of the scalar ``f`` at ``x``.

    ``hess`` has shape ``(n, n)``, n = x.size, column-major vec.  Give ``grad`` (a function
    returning the gradient shaped like x) to get complex step on the gradient.

    >>> import numpy as np
    >>> check_hessian(lambda X: np.trace(X @ X.T), np.ones((2, 2)), 2 * np.eye(4)).passed  # HW 1.3
    True
    """
    check_method(method)
    x = as_point(x)

    def report(cross_check):
        numeric = _vec_hessian(f, x, method, grad, cross_check=cross_check)
        got = _closed_form(hess, numeric.value.shape, "Hessian",
                           "a vec-Hessian is n×n with n the number of entries of the variable")
        return compare(numeric, got, kind="Hessian", shape=numeric.value.shape, rtol=rtol)

    return _unless_in_doubt(report, f, method)
