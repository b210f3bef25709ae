"""The vec operator and the commutation matrix, as unevaluated SymPy matrix expressions.

vec stacks the columns of a matrix (column-major): for A (m×n), vec(A) is (mn×1) and
vec(A)[i + m·j] = A[i, j].  The commutation matrix K_{m,n} (mn×mn) is the permutation with
K_{m,n} vec(A) = vec(Aᵀ) for every A (m×n) (Magnus & Neudecker, Matrix Differential Calculus).

>>> import sympy as sp
>>> A = sp.MatrixSymbol("A", 2, 3)
>>> Vec(A).shape, CommutationMatrix(2, 3).shape
((6, 1), (6, 6))
>>> K = CommutationMatrix(2, 3).as_explicit()
>>> a = sp.Matrix(2, 3, range(6))
>>> K * Vec(a).as_explicit() == Vec(a.T).as_explicit()
True
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions import MatrixExpr

from symcheck.expr import as_sympy

__all__ = ["Vec", "CommutationMatrix", "vec", "kronecker"]


class Vec(MatrixExpr):
    """The column-major vectorisation vec(A) of a matrix A (m×n), a column of mn entries."""

    def __new__(cls, arg):
        arg = as_sympy(arg)
        return super().__new__(cls, arg)

    @property
    def arg(self):
        return self.args[0]

    @property
    def shape(self):
        rows, cols = self.arg.shape
        return (rows * cols, sp.Integer(1))

    # vec(A)[i + m j] = A[i, j]
    def _entry(self, i, j, **kwargs):
        rows = self.arg.shape[0]
        return self.arg[i % rows, i // rows]

    def _eval_transpose(self):
        return None

    def doit(self, **hints):
        arg = self.arg.doit(**hints) if hints.get("deep", True) else self.arg
        if isinstance(arg, sp.MatrixBase):
            return arg.T.reshape(arg.rows * arg.cols, 1)
        return Vec(arg)


def vec(matrix):
    """Return vec(matrix), or the matrix itself when it is already a column; vec(cA) = c vec(A)."""
    if matrix.shape[1] == 1:
        return matrix
    if isinstance(matrix, sp.MatMul):
        coeff, factors = matrix.as_coeff_matrices()
        if coeff != 1:
            return sp.MatMul(coeff, Vec(sp.MatMul(*factors).doit(deep=False))).doit(deep=False)
    return Vec(matrix)


class CommutationMatrix(MatrixExpr):
    """The commutation matrix K_{m,n} (mn×mn): K_{m,n} vec(A) = vec(Aᵀ) for A (m×n)."""

    def __new__(cls, m, n):
        return super().__new__(cls, as_sympy(m), as_sympy(n))

    @property
    def shape(self):
        m, n = self.args
        return (m * n, m * n)

    # vec(Aᵀ)[j + n i] = A[i, j] = vec(A)[i + m j]
    def _entry(self, r, c, **kwargs):
        m, n = self.args
        i, j = r % n, r // n  # row r of vec(Aᵀ) is Aᵀ[i, j] = A[j, i]
        return sp.KroneckerDelta(c, j + m * i)

    def _eval_transpose(self):
        m, n = self.args
        return CommutationMatrix(n, m)


def kronecker(*factors):
    """Return c (A ⊗ B ⊗ …) with every scalar pulled out: (cA) ⊗ B = c (A ⊗ B).

    SymPy's own canonicalisation of a Kronecker product of scaled factors can fail, so the
    factors handed to KroneckerProduct never carry a coefficient.
    """
    coeff, plain = sp.S.One, []
    for factor in factors:
        if isinstance(factor, sp.MatMul):
            c, matrices = factor.as_coeff_matrices()
            coeff *= c
            factor = matrices[0] if len(matrices) == 1 else sp.MatMul(*matrices)
        plain.append(factor)
    product = sp.KroneckerProduct(*plain)
    return product if coeff == 1 else sp.MatMul(coeff, product)
