"""Identities applied to f before it is differentiated, so more of it has a matrix-notation
derivative:

    (aᵀx)ᵏ            = tr(aᵀx)ᵏ                 a power of a 1×1 matrix is a scalar power
    (A⊗B)(C⊗D)        = AC ⊗ BD                  mixed-product property (Cookbook §10.2.1)
    tr(A⊗B)           = tr(A) tr(B)              for square A and B

>>> import sympy as sp
>>> X, A = sp.MatrixSymbol("X", 2, 2), sp.MatrixSymbol("A", 2, 2)
>>> rewrite(sp.Trace(sp.MatMul(sp.KroneckerProduct(X, A), sp.KroneckerProduct(A, X))))
Trace(A*X)*Trace(X*A)
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions import KroneckerProduct, MatMul, MatPow, Trace

from symcheck.calculus._transpose import mat_mul

__all__ = ["rewrite"]


def rewrite(expr):
    """Return ``expr`` with the identities above applied everywhere they fit."""
    expr = expr.replace(lambda e: isinstance(e, MatPow) and e.base.shape == (1, 1),
                        lambda e: Trace(e.base) ** e.exp)
    expr = expr.replace(lambda e: isinstance(e, MatMul) and _has_adjacent_kroneckers(e),
                        _mixed_product)
    return expr.replace(lambda e: isinstance(e, Trace) and _is_square_kronecker(e.arg),
                        lambda e: sp.Mul(*[Trace(f) for f in e.arg.args]))


def _compatible(left, right) -> bool:
    return (isinstance(left, KroneckerProduct) and isinstance(right, KroneckerProduct)
            and len(left.args) == len(right.args)
            and all(a.cols == b.rows for a, b in zip(left.args, right.args)))


def _has_adjacent_kroneckers(product) -> bool:
    _, factors = product.as_coeff_matrices()
    return any(_compatible(l, r) for l, r in zip(factors, factors[1:]))


def _mixed_product(product):
    coeff, factors = product.as_coeff_matrices()
    merged = [factors[0]]
    for factor in factors[1:]:
        if _compatible(merged[-1], factor):   # (A⊗B)(C⊗D) = AC ⊗ BD
            merged[-1] = KroneckerProduct(*[mat_mul(a, b) for a, b in zip(merged[-1].args, factor.args)])
        else:
            merged.append(factor)
    return mat_mul(coeff, *merged)


def _is_square_kronecker(matrix) -> bool:
    return isinstance(matrix, KroneckerProduct) and all(a.is_square for a in matrix.args)
