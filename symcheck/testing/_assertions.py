"""Assert that a closed-form derivative is right, in the style of JAX's ``check_grads``.

Each helper returns None on success and raises an AssertionError naming the entry, expected
against got, the method, the step and the tolerance.  Bad arguments raise
:class:`symcheck.errors.UsageError` before anything is computed.

>>> import numpy as np
>>> M = np.array([[1.0, 2.0], [3.0, 4.0], [0.0, -1.0]])          # M is m×n, X is n×m
>>> assert_gradient(lambda M, X: np.trace(M @ X), lambda M, X: M.T, M, M.T, wrt=1)  # HW 1.2
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from symcheck.errors import ShapeError, UsageError
from symcheck.verify import as_point, check_gradient, check_hessian, check_jacobian, check_method

__all__ = ["assert_gradient", "assert_jacobian", "assert_hessian"]


def _validate(name: str, f, closed_form, args: Sequence, wrt, method: str, rtol) -> None:
    if not callable(f):
        raise UsageError(f"f={f!r} is not callable", where=name,
                         fix=f"pass the function first: {name}(f, {name.split('_')[1]}, *args)")
    if not callable(closed_form):
        raise UsageError(f"the closed form {closed_form!r} is not callable", where=name,
                         fix="pass a function of the same arguments as f, e.g. lambda X: 2 * X")
    if not args:
        raise UsageError("no point was given", where=name,
                         fix=f"pass the arguments of f after the two functions: {name}(f, g, X)")
    if not isinstance(wrt, int) or isinstance(wrt, bool) or not 0 <= wrt < len(args):
        raise UsageError(f"wrt={wrt!r} is not the position of one of the {len(args)} argument(s)",
                         where=name, fix=f"use an integer from 0 to {len(args) - 1}")
    check_method(method)
    if rtol is not None and not (isinstance(rtol, (int, float)) and 0 < rtol < 1):
        raise UsageError(f"rtol={rtol!r} is not a relative tolerance", where=name,
                         fix="use a number between 0 and 1, e.g. rtol=1e-10, or None for the default")
    as_point(args[wrt], where=f"args[{wrt}]")


def _partial(f: Callable, args: Sequence, wrt: int) -> Callable:
    """Return f as a function of args[wrt] alone."""
    def of_variable(x):
        return f(*args[:wrt], x, *args[wrt + 1:])
    return of_variable


def _closed_form_value(closed_form: Callable, args: Sequence) -> np.ndarray:
    try:
        return np.asarray(closed_form(*args), dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise AssertionError(f"the closed form did not return real numbers: {exc}") from None


def _fail(kind: str, wrt: int, report) -> AssertionError:
    return AssertionError(f"{kind} with respect to args[{wrt}] does not match the oracle: {report}")


def _run(kind, check, f, closed_form, args, wrt, method, rtol, **extra) -> None:
    __tracebackhide__ = True
    point = as_point(args[wrt])
    value = _closed_form_value(closed_form, args)
    try:
        report = check(_partial(f, args, wrt), point, value, method=method, rtol=rtol, **extra)
    except ShapeError as exc:
        raise AssertionError(f"{kind} with respect to args[{wrt}]: {exc}") from None
    if not report.passed:
        raise _fail(kind, wrt, report)


def assert_gradient(f: Callable, grad: Callable, *args, wrt: int = 0, method: str = "auto",
                    rtol: float | None = None) -> None:
    """Assert that ``grad(*args)`` is the gradient of the scalar ``f`` at ``args`` w.r.t. ``args[wrt]``.

    Parameters
    ----------
    f : callable(*args) -> scalar (or 1×1 array)
    grad : callable(*args) -> array shaped like ``args[wrt]``
    *args : the point; ``args[wrt]`` is the variable (float64 array or number)
    wrt : int, default 0
    method : {"auto", "complex_step", "central", "central_plain"}, default "auto"
        "auto" uses complex step (error ~1e-15) and falls back to central differences with
        Richardson extrapolation where f is not analytic, saying so in the failure message.
    rtol : float or None
        Overrides the method's relative tolerance (symcheck.tolerances).

    >>> import numpy as np
    >>> X = np.array([[1.0, 2.0], [3.0, -1.0]])
    >>> assert_gradient(lambda X: np.trace(X @ X.T), lambda X: 2 * X, X)   # HW 1.3
    >>> assert_gradient(lambda X: np.trace(X @ X.T), lambda X: 2 * X.T, X)
    Traceback (most recent call last):
    ...
    AssertionError: gradient with respect to args[0] does not match the oracle: gradient entry [1, 0]: expected 6 (complex_step, h=1e-150), got 4; ...
    """
    __tracebackhide__ = True
    _validate("assert_gradient", f, grad, args, wrt, method, rtol)
    _run("gradient", check_gradient, f, grad, args, wrt, method, rtol)


def assert_jacobian(f: Callable, jac: Callable, *args, wrt: int = 0, method: str = "auto",
                    rtol: float | None = None) -> None:
    """Assert that ``jac(*args)`` is the Jacobian of ``f`` w.r.t. ``args[wrt]``.

    The Jacobian is in numerator layout over column-major vecs: shape
    ``(f(*args).size, args[wrt].size)``, ``J[r, k] = ∂ vec(f)[r] / ∂ vec(args[wrt])[k]``.
    Other parameters as :func:`assert_gradient`.

    >>> import numpy as np
    >>> M = np.array([[2.0, 1.0], [0.0, 3.0]])
    >>> assert_jacobian(lambda M, x: M.T @ M @ x, lambda M, x: M.T @ M, M, np.ones((2, 1)), wrt=1)
    """
    __tracebackhide__ = True
    _validate("assert_jacobian", f, jac, args, wrt, method, rtol)
    _run("Jacobian", check_jacobian, f, jac, args, wrt, method, rtol)


def assert_hessian(f: Callable, hess: Callable, *args, wrt: int = 0, method: str = "auto",
                   rtol: float | None = None, grad: Callable | None = None) -> None:
    """Assert that ``hess(*args)`` is the vec-Hessian of the scalar ``f`` w.r.t. ``args[wrt]``.

    The vec-Hessian has shape ``(n, n)``, n = args[wrt].size, column-major vec:
    ``H[j, k] = ∂²f / ∂vec(x)[j] ∂vec(x)[k]``.  Without ``grad`` the oracle is central
    differences of the complex-step gradient (error ~1e-11); with ``grad`` (a callable of the
    same args returning the gradient) it is complex step on the gradient (~1e-15).

    >>> import numpy as np
    >>> X = np.array([[1.0, 2.0], [3.0, -1.0]])
    >>> assert_hessian(lambda X: np.trace(X @ X.T), lambda X: 2 * np.eye(4), X)   # HW 1.3
    """
    __tracebackhide__ = True
    _validate("assert_hessian", f, hess, args, wrt, method, rtol)
    if grad is not None and not callable(grad):
        raise UsageError(f"grad={grad!r} is not callable", where="assert_hessian",
                         fix="pass grad=lambda *args: <gradient>, or leave it out")
    gradient_of_variable = None if grad is None else _partial(grad, args, wrt)
    _run("Hessian", check_hessian, f, hess, args, wrt, method, rtol, grad=gradient_of_variable)
