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

from functools import lru_cache

from symcheck.expr import as_sympy
from symcheck.limits import limit
from symcheck.verify._budget import numeric_cost
from symcheck.verify._instances import MAX_SIDE, Instance
from symcheck.verify._lambdify import batched_function, is_analytic, numpy_function
from symcheck.verify._vec import vec

__all__ = ["PartialFunction", "evaluate", "evaluate_all", "expected_shape", "is_scalar"]


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


@lru_cache(maxsize=512)
def _has(expr: sp.Basic, symbol: sp.Basic) -> bool:
    return expr.has(symbol)


@lru_cache(maxsize=512)
def _position(symbols: tuple, wrt: sp.Basic, start: int) -> int:
    """Where ``wrt`` sits among the instance's symbols, matched by name (printing is slow)."""
    return [str(s) for s in symbols].index(str(wrt), start)


@lru_cache(maxsize=512)
def _batch_status(expr: sp.Basic, args: tuple) -> dict:
    """Whether the batched code of (expr, args) agreed with the point-by-point code: None = untried."""
    return {"agrees": None}


def _same_numbers(batched: np.ndarray, single: np.ndarray) -> bool:
    """True when two results agree to rounding, real and imaginary parts judged separately."""
    if batched.shape != single.shape:
        return False
    for part in (np.real, np.imag):
        a, b = part(batched), part(single)
        scale = float(np.max(np.abs(b))) if b.size else 0.0
        if not np.all(np.abs(a - b) <= 1e-12 * scale + 1e-300):
            return False
    return True


class PartialFunction:
    """``expr`` as a function of one symbol, the others fixed at an instance's values.

    Offers what the oracles use (see symcheck.verify._first): ``batched(points)`` evaluates
    a stack of points in one NumPy call, and ``analytic`` says the expression uses analytic
    operations only, so complex step needs no cross-check.  The batched code is compared with
    the point-by-point code on its first use; if they differ, points are evaluated one by one.
    """

    def __init__(self, expr, symbols: tuple, values: list, position: int, sizes: tuple = ()):
        # sizes: (dimension, size) pairs at which the batch limit judges the expression
        self._expr, self._symbols, self._sizes = expr, symbols, sizes
        self._single = numpy_function(expr, symbols)
        self._before, self._after = tuple(values[:position]), tuple(values[position + 1:])
        self._scalar_variable = np.ndim(values[position]) == 0
        self.analytic = is_analytic(expr)
        self._depends = _has(expr, symbols[position])

    def __call__(self, x):
        return self._single(*self._before, x, *self._after)

    def _one_by_one(self, points) -> np.ndarray:
        return np.stack([np.asarray(self(x)) for x in points])

    def batched(self, points) -> np.ndarray:
        """Return f at each of the stacked points: results stacked on the first axis.

        The points go in chunks small enough that a chunk's largest matrix (points × its
        entries) stays within ``numeric_batch_entries``.
        """
        chunk = _chunk(self._expr, self._sizes, limit("numeric_batch_entries").value)
        if len(points) > chunk:
            return np.concatenate([self._batched(points[i:i + chunk])
                                   for i in range(0, len(points), chunk)])
        return self._batched(points)

    def _batched(self, points) -> np.ndarray:
        status = _batch_status(self._expr, self._symbols)
        if status["agrees"] is False:
            return self._one_by_one(points)
        args = points.reshape(-1, 1, 1) if self._scalar_variable else points
        try:
            out = np.asarray(batched_function(self._expr, self._symbols)(*self._before, args, *self._after))
            if not self._depends:               # a constant of the variable: no stacking axis
                out = np.broadcast_to(out, (len(points),) + out.shape)
        except Exception:  # noqa: BLE001 - the single code decides what a failure means
            out = self._one_by_one(points)    # raises as the oracles expect when it fails too
            status["agrees"] = False          # the batched code alone failed: never use it again
            return out
        if status["agrees"] is None:
            probe = min(len(points), 2)
            single = [vec(np.asarray(self(x))) for x in points[:probe]]
            status["agrees"] = all(_same_numbers(vec(out[i]), single[i]) for i in range(probe))
            if not status["agrees"]:
                return self._one_by_one(points)
        return out


@lru_cache(maxsize=512)
def _chunk(expr: sp.Basic, sizes: tuple, batch_entries: int) -> int:
    """How many points one batched call evaluates: ``batch_entries`` over the largest matrix."""
    return max(int(batch_entries) // max(numeric_cost(expr, sizes).entries, 1), 1)


def evaluate(expr, closed_form, wrt, instance: Instance):
    """Return (f of the variable alone, the closed form's value, the point) at ``instance``.

    ``f`` is a :class:`PartialFunction`.  Raises AssertionError when the closed form does not
    evaluate to real numbers.
    """
    symbols, values = _arguments(instance)
    closed_all = numpy_function(closed_form, symbols)
    position = _position(symbols, wrt, len(instance.sizes))
    # The batch limit is judged at the largest sizes drawn: one estimate per expression (the
    # proof's own, see _prove._check_budget), not one per size draw.
    f = PartialFunction(expr, symbols, values, position, tuple((d, MAX_SIDE) for d in instance.sizes))
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
