"""Check a SymPy closed-form derivative on hypothesis-drawn instances, with the oracles.

>>> from symcheck.expr import symbols_from_shapes
>>> ns = symbols_from_shapes({"X": ("n", "m"), "a": ("m", 1), "b": ("m", 1)})
>>> X, a, b = ns["X"], ns["a"], ns["b"]
>>> check_derivative(a.T * X.T * X * b, X, X * (a * b.T + b * a.T), examples=20)   # HW 1.5
"""

from __future__ import annotations

from typing import Iterable

import sympy as sp
from sympy.matrices.expressions import MatrixExpr, MatrixSymbol

from symcheck.errors import ShapeError, UsageError
from symcheck.testing._settings import default_examples
from symcheck.verify import (Instance, check_instance, check_method, expected_shape, instances, is_scalar,
                             run_examples)

__all__ = ["check_derivative"]


def _validate(expr, wrt, closed_form, order, examples, method) -> None:
    for name, value in (("expr", expr), ("closed_form", closed_form)):
        if not isinstance(value, sp.Basic):
            raise UsageError(f"{name}={value!r} is not a SymPy expression", where="check_derivative",
                             fix="build it with symcheck.parse(text, namespace) or SymPy")
    if not isinstance(wrt, (MatrixSymbol, sp.Symbol)):
        raise UsageError(f"wrt={wrt!r} is not a symbol", where="check_derivative",
                         fix="pass the MatrixSymbol (or scalar Symbol) to differentiate by")
    names = {str(s) for s in expr.free_symbols | set(expr.atoms(MatrixSymbol))}
    if str(wrt) not in names:
        raise UsageError(f"wrt={wrt} does not occur in expr={expr}", where="check_derivative",
                         fix=f"differentiate by one of {', '.join(sorted(names))}")
    if order not in (1, 2):
        raise UsageError(f"order={order!r} is not 1 or 2", where="check_derivative",
                         fix="use order=1 (gradient or Jacobian) or order=2 (vec-Hessian)")
    if order == 2 and not is_scalar(expr):
        raise UsageError(f"order=2 needs a scalar expr, but expr is {expr.shape[0]}×{expr.shape[1]}",
                         where="check_derivative", fix="take the Hessian of a scalar function")
    if examples is not None and not (isinstance(examples, int) and examples >= 1):
        raise UsageError(f"examples={examples!r} is not a positive integer",
                         where="check_derivative", fix="use e.g. examples=100, or None for the default")
    check_method(method)
    want = expected_shape(expr, wrt, order)
    got = tuple(closed_form.shape) if isinstance(closed_form, MatrixExpr) else ()
    same = len(got) == len(want) and all(sp.simplify(g - w) == 0 for g, w in zip(got, want))
    if not same and not (got in ((), (1, 1)) and want in ((), (1, 1))):
        kind = "vec-Hessian" if order == 2 else "gradient" if is_scalar(expr) else "Jacobian"
        raise ShapeError(f"closed_form has shape {got or 'scalar'}, but the {kind} of expr with "
                         f"respect to {wrt} has shape {want or 'scalar'}", where="check_derivative",
                         fix="gradients have the shape of the variable; Jacobians are numerator "
                         "layout (size of expr × size of variable); vec-Hessians are n×n")


def check_derivative(expr, wrt, closed_form, *, order: int = 1, examples: int | None = None,
                     assumptions: Iterable[str] = (), method: str = "auto",
                     rtol: float | None = None) -> None:
    """Assert that ``closed_form`` is the derivative of ``expr`` w.r.t. ``wrt`` on random instances.

    Sizes (1..6 for each dimension symbol) and values are drawn by hypothesis
    (:func:`instances`, seeded: the same examples every run); the derivative of ``expr`` is
    computed numerically with the oracles and compared with ``closed_form``.

    Parameters
    ----------
    expr : SymPy scalar or matrix expression
    wrt : MatrixSymbol or scalar Symbol occurring in ``expr``
    closed_form : SymPy expression of the derivative, in symcheck's layout:
        order=1, scalar expr (or 1×1): the gradient, shaped like ``wrt``;
        order=1, matrix expr: the numerator-layout Jacobian, (size of expr × size of wrt);
        order=2: the vec-Hessian, (n × n), n = size of wrt, column-major vec.
    order : 1 or 2, default 1
    examples : int or None, default None (100, or the pytest option --symcheck-examples)
    assumptions : texts such as ``"M symmetric"``, ``"X invertible"``, ``"lambda > 0"``
    method, rtol : as in :func:`assert_gradient`

    Returns None; raises AssertionError (through hypothesis, with the falsifying instance)
    when the closed form is wrong, ShapeError when its shape cannot be right.

    >>> from symcheck.expr import symbols_from_shapes
    >>> ns = symbols_from_shapes({"X": ("n", "n")})
    >>> check_derivative(sp.Trace(ns["X"] * ns["X"].T), ns["X"], 2 * ns["X"].T, examples=5)
    Traceback (most recent call last):
    ...
    AssertionError: gradient with respect to X does not match the oracle at sizes n=2: ...
    """
    __tracebackhide__ = True
    _validate(expr, wrt, closed_form, order, examples, method)
    kind = "vec-Hessian" if order == 2 else "gradient" if is_scalar(expr) else "Jacobian"
    count = examples if examples is not None else default_examples()

    def derivative_matches(instance: Instance):
        __tracebackhide__ = True
        try:
            report = check_instance(expr, wrt, closed_form, instance, order=order, method=method,
                                    rtol=rtol)
        except ShapeError as exc:
            raise AssertionError(f"{kind} with respect to {wrt}: {exc}") from None
        if report is not None and not report.passed:
            sizes = ", ".join(f"{d}={v}" for d, v in instance.sizes.items()) or "as declared"
            raise AssertionError(f"{kind} with respect to {wrt} does not match the oracle at "
                                 f"sizes {sizes}: {report}")

    run_examples(instances([expr, closed_form, wrt], assumptions=assumptions),
                 derivative_matches, count)
