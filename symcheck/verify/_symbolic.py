"""Evaluate SymPy matrix expressions at a drawn instance: the bridge from symbols to numbers.

Sizes are passed to the compiled functions as arguments rather than substituted into the
expression: substituting can make SymPy rewrite it (an elementwise Abs of a 1×1 matrix becomes a
matrix square root), which would evaluate something else.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import sympy as sp
from sympy.matrices.expressions import MatrixExpr

from symcheck.expr._symbols import as_sympy
from symcheck.verify._instances import Instance
from symcheck.verify._lambdify import numpy_function

__all__ = ["evaluate", "evaluate_all", "expected_shape", "is_scalar"]


def _size(expr) -> sp.Expr:
    rows, cols = expr.shape if isinstance(expr, MatrixExpr) else (1, 1)
    return as_sympy(rows) * as_sympy(cols)


def is_scalar(expr) -> bool:
    return not isinstance(expr, MatrixExpr) or expr.shape == (1, 1)


def expected_shape(expr, wrt, order: int) -> tuple:
    """Return the symbolic shape the derivative of ``expr`` w.r.t. ``wrt`` has in our layout.

    order 1 of a scalar: the shape of ``wrt`` (gradient); of a matrix: (size of expr, size of
    wrt) (numerator-layout Jacobian); order 2: (size of wrt, size of wrt) (vec-Hessian).
    """
    wrt_shape = wrt.shape if isinstance(wrt, MatrixExpr) else ()
    if order == 2:
        return (_size(wrt), _size(wrt))
    return tuple(wrt_shape) if is_scalar(expr) else (_size(expr), _size(wrt))


def _arguments(instance: Instance) -> tuple[tuple, list]:
    symbols = tuple(instance.sizes) + tuple(instance.values)
    values = list(instance.sizes.values()) + list(instance.values.values())
    return symbols, values


def evaluate(expr, closed_form, wrt, instance: Instance):
    """Return (f of the variable alone, the closed form's value, the point) at ``instance``.

    Raises AssertionError when the closed form does not evaluate to real numbers.
    """
    symbols, values = _arguments(instance)
    f_all = numpy_function(expr, symbols)
    closed_all = numpy_function(closed_form, symbols)
    position = [str(s) for s in symbols].index(str(wrt), len(instance.sizes))

    def f(x):
        return f_all(*values[:position], x, *values[position + 1:])

    try:
        with np.errstate(all="ignore"):   # a point outside the domain shows up as inf or nan
            closed = np.asarray(closed_all(*values), dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise AssertionError(f"the closed form did not return real numbers: {exc}") from None
    return f, closed, np.asarray(values[position], dtype=np.float64)


_EVALUATION_ERRORS = (IndexError, ValueError, TypeError, ZeroDivisionError, np.linalg.LinAlgError)


def evaluate_all(exprs: Sequence[sp.Basic], instance: Instance) -> list:
    """Return the value of each expression at ``instance``, or the exception it raised.

    >>> from symcheck.expr import symbols_from_shapes
    >>> ns = symbols_from_shapes({"X": ("n", "n")})
    >>> inst = Instance({ns["n"]: 2}, {ns["X"]: np.eye(2)})
    >>> [float(v) for v in evaluate_all([sp.Trace(ns["X"]), sp.Determinant(2 * ns["X"])], inst)]
    [2.0, 4.0]
    """
    symbols, values = _arguments(instance)
    out = []
    for expr in exprs:
        try:
            out.append(np.asarray(numpy_function(expr, symbols)(*values), dtype=np.float64))
        except _EVALUATION_ERRORS as exc:
            out.append(exc)
    return out
