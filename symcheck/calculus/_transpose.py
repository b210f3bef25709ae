"""Push transposes down to the symbols, so equal matrices get equal expressions.

(AB)ᵀ = BᵀAᵀ, (A + B)ᵀ = Aᵀ + Bᵀ, (Aᵀ)ᵀ = A, (A⁻¹)ᵀ = (Aᵀ)⁻¹, (A∘B)ᵀ = Aᵀ∘Bᵀ,
(A⊗B)ᵀ = Aᵀ⊗Bᵀ, diag(v)ᵀ = diag(v), Iᵀ = I; f(A)ᵀ stays as written.  A transpose that
lands on a symmetric expression disappears: (XᵀX)ᵀ → XᵀX with no special rule.

>>> import sympy as sp
>>> X = sp.MatrixSymbol("X", 3, 3); a = sp.MatrixSymbol("a", 3, 1)
>>> transpose(sp.MatMul(X, sp.Inverse(X.T), a))
a.T*X**(-1)*X.T
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions import (
    DiagMatrix,
    HadamardPower,
    HadamardProduct,
    Identity,
    Inverse,
    KroneckerProduct,
    MatAdd,
    MatMul,
    MatPow,
    OneMatrix,
    Transpose,
    ZeroMatrix,
)
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

from symcheck.calculus._budget import check_count, checkpoint
from symcheck.calculus._vec import CommutationMatrix

__all__ = ["transpose", "push_transposes", "mat_mul", "mat_add"]


def mat_mul(*factors):
    """Return the canonical product of ``factors`` (scalars allowed); I and 1 drop out."""
    checkpoint("multiplying")  # the work budget (time)
    return MatMul(*factors).doit(deep=False)


def mat_add(*terms):
    """Return the canonical sum of matrix ``terms``; zeros drop out."""
    check_count(len(terms), "adding terms")  # the work budget (time and size)
    return MatAdd(*terms).doit(deep=False)


def transpose(expr):
    """Return expr transposed, with the transpose pushed down to the symbols."""
    if not expr.is_Matrix:
        return expr
    if isinstance(expr, Transpose):
        return push_transposes(expr.arg)
    if isinstance(expr, MatMul):
        coeff, factors = expr.as_coeff_matrices()
        return mat_mul(coeff, *[transpose(f) for f in reversed(factors)])
    if isinstance(expr, MatAdd):
        return mat_add(*[transpose(t) for t in expr.args])
    if isinstance(expr, Inverse):
        return Inverse(transpose(expr.arg))
    if isinstance(expr, MatPow):
        return MatPow(transpose(expr.base), expr.exp)
    if isinstance(expr, HadamardProduct):
        return HadamardProduct(*[transpose(f) for f in expr.args])
    if isinstance(expr, HadamardPower):
        return HadamardPower(transpose(expr.base), expr.exp)
    if isinstance(expr, KroneckerProduct):
        return KroneckerProduct(*[transpose(f) for f in expr.args])
    if isinstance(expr, ElementwiseApplyFunction):
        return Transpose(expr)  # σ(XW)ᵀ reads better than σ(WᵀXᵀ)
    if isinstance(expr, (Identity, DiagMatrix)):
        return expr
    if isinstance(expr, (ZeroMatrix, OneMatrix)):
        return type(expr)(expr.cols, expr.rows)
    if isinstance(expr, CommutationMatrix):
        return CommutationMatrix(expr.args[1], expr.args[0])
    return Transpose(expr)


def push_transposes(expr):
    """Return ``expr`` with every Transpose pushed down to the symbols (scalars too)."""
    if isinstance(expr, Transpose):
        return transpose(push_transposes(expr.arg))
    if not expr.args or isinstance(expr, sp.MatrixSymbol):
        return expr
    if isinstance(expr, (sp.Lambda,)):
        return expr
    new_args = [push_transposes(a) if isinstance(a, sp.Basic) else a for a in expr.args]
    if all(x is y for x, y in zip(new_args, expr.args)):
        return expr
    rebuilt = expr.func(*new_args)
    if isinstance(rebuilt, (MatMul, MatAdd)):
        rebuilt = rebuilt.doit(deep=False)
    return rebuilt
