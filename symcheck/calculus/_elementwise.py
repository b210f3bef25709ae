"""Elementwise functions f(A) (``A.applyfunc(f)``) and their derivatives f'(A).

d f(A) = f'(A) ∘ dA, with f' written in matrix notation where a clean form exists:
exp' = exp, log'(A) = A^∘(−1), tanh'(A) = 1 − tanh(A)^∘2, σ'(A) = σ(A) ∘ (1 − σ(A)),
where 1 is the all-ones matrix.  The logistic Lambda ``t ↦ 1/(1 + e^(−t))`` is recognised as σ.

>>> import sympy as sp
>>> A = sp.MatrixSymbol("A", 2, 3)
>>> elementwise_derivative(A.applyfunc(sigmoid))
HadamardProduct(Lambda(_t, sigmoid(_t)).(A), -Lambda(_t, sigmoid(_t)).(A) + 1)
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions import HadamardPower, HadamardProduct, OneMatrix
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

from symcheck.expr import sigmoid

__all__ = ["apply_elementwise", "elementwise_name", "elementwise_derivative", "canonical_function"]

_T = sp.Dummy("t", real=True)
_KNOWN = {"exp": sp.exp, "log": sp.log, "tanh": sp.tanh, "sigmoid": sigmoid}


def _body(function: sp.Lambda):
    return function(_T)


def elementwise_name(function) -> str | None:
    """Return "exp", "log", "tanh" or "sigmoid" when ``function`` is one of them, else None."""
    body = _body(function)
    for name, known in _KNOWN.items():
        if body == known(_T):
            return name
    if body == 1 / (1 + sp.exp(-_T)):
        return "sigmoid"
    return None


def canonical_function(function) -> sp.Lambda:
    """Return ``function`` as a Lambda over symcheck's dummy, with σ written as sigmoid."""
    name = elementwise_name(function)
    body = _KNOWN[name](_T) if name else _body(function)
    return sp.Lambda(_T, body)


def apply_elementwise(function, matrix):
    """Return f(matrix) elementwise, f given as a function class or a Lambda."""
    if not isinstance(function, sp.Lambda):
        function = sp.Lambda(_T, function(_T))
    return ElementwiseApplyFunction(canonical_function(function), matrix)


def elementwise_derivative(expr: ElementwiseApplyFunction):
    """Return f'(A) for ``expr`` = f(A) elementwise, as a matrix expression shaped like A."""
    arg = expr.expr
    ones = OneMatrix(*arg.shape)
    name = elementwise_name(expr.function)
    if name == "exp":                       # (e^a)' = e^a
        return apply_elementwise(sp.exp, arg)
    if name == "log":                       # (log a)' = 1/a
        return HadamardPower(arg, -1)
    if name == "tanh":                      # tanh' = 1 − tanh²
        return ones - HadamardPower(apply_elementwise(sp.tanh, arg), 2)
    if name == "sigmoid":                   # σ' = σ(1 − σ)
        s = apply_elementwise(sigmoid, arg)
        return HadamardProduct(s, ones - s)
    derivative = sp.diff(_body(expr.function), _T)
    if derivative.has(sp.Derivative, sp.Subs):
        from symcheck.errors import DerivationError

        raise DerivationError(f"cannot differentiate the elementwise function {expr.function}",
                              where="derive", fix="use exp, log, tanh, sigmoid or an explicit formula")
    return apply_elementwise(sp.Lambda(_T, derivative), arg)
