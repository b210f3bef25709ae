"""Numeric derivatives with the method chosen for you: complex step where it applies.

``method="auto"`` computes the complex-step Jacobian and cross-checks it against central
differences with Richardson extrapolation, unless f declares itself analytic
(``f.analytic = True``, as symcheck's compiled SymPy expressions without abs, max, ... do; the
checks of symcheck.verify._checks then cross-check only a closed form that misses).  If f fails
on complex input, drops the imaginary part, or the two answers disagree (f is not analytic: ``abs``, ``conj``, ``np.maximum`` at a
tie, …), the central-difference answer is used and the result's ``note`` says why.

>>> import numpy as np
>>> d = gradient(lambda x: np.abs(x).sum(), np.array([1.5, -2.0]))
>>> d.method, d.value.round(8).tolist()
('central', [1.0, -1.0])
>>> print(d.note)
complex step does not apply (f returned a real float64 result for complex input, ...); used central differences with Richardson extrapolation
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from symcheck.errors import UsageError
from symcheck.tolerances import TOLERANCES
from symcheck.verify._first import (
    COMPLEX_STEP,
    NotAnalytic,
    central_jacobian,
    complex_step_gradients,
    complex_step_jacobian,
)
from symcheck.verify._vec import entry_of, unvec, vec

__all__ = ["METHODS", "NumericDerivative", "jacobian", "gradient", "vec_hessian",
           "check_method", "as_point", "declared_analytic"]

METHODS = {
    "auto": "complex step, cross-checked by central differences where it is in doubt; falls back "
            "to central differences",
    "complex_step": "Im f(x + ih)/h with h = 1e-150: machine precision, analytic f only",
    "central": "central differences with Richardson extrapolation, relative step ε^(1/5)",
    "central_plain": "plain central differences, relative step ε^(1/3)",
}


@dataclass(frozen=True, eq=False)
class NumericDerivative:
    """A derivative computed by an oracle, and how it was computed.

    ``value`` is a Jacobian or vec-Hessian in numerator layout, or a gradient shaped like x;
    ``method`` names the scheme (``"central∘complex_step"`` means central differences of the
    complex-step gradient); ``step`` is the (outer) step, relative for central differences;
    ``note`` says why complex step was not used, when it was not.
    """

    value: np.ndarray
    method: str
    step: float
    note: str = ""


def check_method(method: str, *, where: str = "method") -> str:
    """Return ``method`` if it names an oracle; raise UsageError naming the choices otherwise."""
    if method not in METHODS:
        raise UsageError(f"{where}={method!r} is not a derivative method", where=where,
                         fix=f"write one of {', '.join(repr(m) for m in METHODS)}")
    return method


def as_point(x, *, where: str = "x") -> np.ndarray:
    """Return ``x`` as a float64 array; raise UsageError when it is not real and finite."""
    try:
        point = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise UsageError(f"{where}={x!r} is not a real array", where=where,
                         fix="pass a NumPy array (or nested lists) of real numbers") from None
    if not np.all(np.isfinite(point)):
        raise UsageError(f"{where} has non-finite entries", where=where,
                         fix="evaluate derivatives at a finite point")
    return point


def _fallback_note(reason: str) -> str:
    return (f"complex step does not apply ({reason}); "
            "used central differences with Richardson extrapolation")


def _disagreement(a: np.ndarray, b: np.ndarray) -> tuple[bool, float, int]:
    """Return (agree, relative gap, worst position) of two Jacobians, normwise."""
    tol = TOLERANCES["analyticity"]
    gap = np.abs(a - b)
    worst = int(np.nanargmax(gap)) if gap.size else 0
    scale = float(np.max(np.abs(b))) if b.size else 0.0
    biggest = float(gap.flat[worst]) if gap.size else 0.0
    agree = bool(np.all(np.isfinite(a))) and biggest <= tol.atol + tol.rtol * scale
    return agree, biggest / scale if scale > 0 else biggest, worst


def jacobian(f: Callable, x, *, method: str = "auto") -> NumericDerivative:
    """Return the Jacobian of ``f`` at ``x``: shape ``(f(x).size, x.size)``, numerator layout.

    Rows follow column-major vec(f(x)), columns column-major vec(x).  ``method`` is one of
    ``"auto"`` (default), ``"complex_step"``, ``"central"``, ``"central_plain"``.  With
    ``"auto"`` the complex-step answer is cross-checked by central differences unless ``f``
    declares ``f.analytic = True`` (symcheck's compiled SymPy expressions do when they use
    analytic operations only): complex step is then exact to rounding, and there is no doubt
    to remove.

    >>> import numpy as np
    >>> M = np.array([[1., 2.], [0., 3.]])
    >>> jacobian(lambda x: M @ x, np.ones(2)).value
    array([[1., 2.],
           [0., 3.]])
    """
    check_method(method)
    return _jacobian(f, as_point(x), method, cross_check=None)


def declared_analytic(f: Callable) -> bool:
    """Return True when ``f`` declares itself analytic (``f.analytic is True``)."""
    return getattr(f, "analytic", False) is True


def _jacobian(f: Callable, x: np.ndarray, method: str, *, cross_check: bool | None) -> NumericDerivative:
    """The Jacobian; ``cross_check`` None means: cross-check unless f declares itself analytic."""
    if method in ("central", "central_plain"):
        value, step = central_jacobian(f, x, richardson=method == "central")
        return NumericDerivative(value, method, step)
    try:
        complex_value = complex_step_jacobian(f, x)
    except NotAnalytic as exc:
        if method == "complex_step":
            raise UsageError(f"method='complex_step' cannot be used: {exc}", where="method",
                             fix="use method='auto' or method='central'") from None
        value, step = central_jacobian(f, x)
        return NumericDerivative(value, "central", step, _fallback_note(str(exc)))
    if cross_check is None:
        cross_check = method == "auto" and not declared_analytic(f)
    if method == "complex_step" or not cross_check:
        return NumericDerivative(complex_value, "complex_step", COMPLEX_STEP)
    central_value, step = central_jacobian(f, x)
    agree, gap, worst = _disagreement(complex_value, central_value)
    if agree:
        return NumericDerivative(complex_value, "complex_step", COMPLEX_STEP)
    row, col = entry_of(central_value.shape, worst)
    reason = (f"it differs from central differences by {gap:.2g} (relative) at Jacobian entry "
              f"[{row}, {col}] (column-major vec), "
              "so f is not analytic here: abs, conj, maximum, real parts")
    return NumericDerivative(central_value, "central", step, _fallback_note(reason))


def _scalar_valued(f: Callable, x: np.ndarray) -> None:
    size = np.asarray(f(x)).size
    if size != 1:
        raise UsageError(f"f returns {size} values, so it has no gradient or Hessian", where="f",
                         fix="use a Jacobian for vector- or matrix-valued functions")


def gradient(f: Callable, x, *, method: str = "auto") -> NumericDerivative:
    """Return the gradient of the scalar function ``f`` at ``x``, shaped like ``x``.

    >>> import numpy as np
    >>> gradient(lambda X: np.trace(X @ X.T), np.eye(2)).value
    array([[2., 0.],
           [0., 2.]])
    """
    check_method(method)
    x = as_point(x)
    _scalar_valued(f, x)
    return _gradient(f, x, method, cross_check=None)


def _gradient(f: Callable, x: np.ndarray, method: str, *, cross_check: bool | None) -> NumericDerivative:
    d = _jacobian(f, x, method, cross_check=cross_check)
    return NumericDerivative(unvec(d.value[0], x.shape), d.method, d.step, d.note)


def _symmetric(h: np.ndarray) -> np.ndarray:
    return (h + h.T) / 2


def vec_hessian(f: Callable, x, *, method: str = "auto", grad: Callable | None = None) -> NumericDerivative:
    """Return the vec-Hessian of the scalar ``f`` at ``x``: shape ``(n, n)``, n = x.size.

    ``H[j, k] = ∂² f / ∂vec(x)[j] ∂vec(x)[k]`` (column-major vec), so that the second-order
    term of f is ``½ vec(dX)ᵀ H vec(dX)`` and the linear map is ``dX ↦ unvec(H vec(dX))``.

    With ``grad`` (a function returning the gradient, shaped like x), H is the Jacobian of the
    gradient, by complex step on ``grad`` when it applies: machine precision.  Without it, H is
    central differences (Richardson) of the numeric gradient of f, whose method ``method``
    picks; the report's method then reads e.g. ``"central∘complex_step"``.  Symmetrised.

    >>> import numpy as np
    >>> vec_hessian(lambda x: x[0] ** 2 * x[1], np.array([1.0, 2.0])).value.round(6)
    array([[4., 2.],
           [2., 0.]])
    """
    check_method(method)
    x = as_point(x)
    _scalar_valued(f, x)
    return _vec_hessian(f, x, method, grad, cross_check=None)


def _vec_hessian(f: Callable, x: np.ndarray, method: str, grad: Callable | None, *,
                 cross_check: bool | None) -> NumericDerivative:
    if grad is not None:
        d = _jacobian(lambda z: vec(grad(z)), x, method, cross_check=cross_check)
        return NumericDerivative(_symmetric(d.value), d.method, d.step, d.note)
    first = _jacobian(f, x, method, cross_check=cross_check)
    inner = first.method
    value, step = central_jacobian(_numeric_gradient(f, inner), x)
    return NumericDerivative(_symmetric(value), f"central∘{inner}", step, first.note)


def _numeric_gradient(f: Callable, inner: str) -> Callable:
    """The gradient of f by the ``inner`` method, as a function (batched when f is)."""
    def numeric_gradient(z):
        if inner == "complex_step":
            return complex_step_jacobian(f, z)[0]
        return central_jacobian(f, z, richardson=inner == "central")[0][0]

    if inner == "complex_step" and getattr(f, "batched", None) is not None:
        numeric_gradient.batched = lambda zs: complex_step_gradients(f, zs)
    return numeric_gradient
