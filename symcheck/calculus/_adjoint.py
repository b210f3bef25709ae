"""Read the gradient off a linear scalar form: bring df to tr(Gᵀ dX) and return G.

Every move is an identity of the Frobenius product ⟨C, M⟩ = tr(Cᵀ M):

    ⟨C, A M B⟩ = ⟨Aᵀ C Bᵀ, M⟩        cyclic property of the trace  (Cookbook (16))
    ⟨C, Mᵀ⟩   = ⟨Cᵀ, M⟩             tr(Aᵀ) = tr(A)                 (Cookbook (13))
    ⟨C, A∘M⟩  = ⟨C∘A, M⟩            tr(Cᵀ(A∘M)) = tr((C∘A)ᵀ M)
    ⟨C, diag(m)⟩ = ⟨diagonal(C), m⟩
    ⟨C, s P⟩  = s ⟨C, P⟩            for a scalar s linear in dX

Starting from tr(M) = ⟨I, M⟩ this walks down to dX and returns the coefficient G.

>>> import sympy as sp
>>> from symcheck.calculus._differential import differential_symbol
>>> X = sp.MatrixSymbol("X", 3, 2); a = sp.MatrixSymbol("a", 3, 1); b = sp.MatrixSymbol("b", 2, 1)
>>> dX = differential_symbol(X)
>>> gradient_terms(a.T * dX * b, dX)
[a*b.T]
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions import (
    DiagMatrix,
    HadamardProduct,
    Identity,
    KroneckerProduct,
    MatAdd,
    MatMul,
    Trace,
    Transpose,
)
from sympy.matrices.expressions.diagonal import DiagonalOf

from symcheck.calculus._transpose import mat_mul, transpose
from symcheck.errors import DerivationError

__all__ = ["gradient_terms", "frobenius"]


def frobenius(cotangent, matrix):
    """Return the scalar ⟨C, P⟩ = tr(Cᵀ P), written tr(P) when C = I."""
    product = matrix if isinstance(cotangent, Identity) else mat_mul(transpose(cotangent), matrix)
    return Trace(product)


def gradient_terms(linear, d_variable) -> list:
    """Return [G₁, G₂, ...] with linear = Σ tr(Gᵢᵀ dX); ``linear`` is a scalar or 1×1 form."""
    if linear.is_Matrix:
        return _adjoint(linear, Identity(linear.rows), d_variable)
    if isinstance(linear, sp.Add):
        return [g for arg in linear.args for g in gradient_terms(arg, d_variable)]
    if isinstance(linear, sp.Mul):
        inner = [arg for arg in linear.args if arg.has(d_variable)]
        if len(inner) != 1:
            raise _nonlinear(linear)
        coeff = sp.Mul(*[arg for arg in linear.args if not arg.has(d_variable)])
        return [mat_mul(coeff, g) for g in gradient_terms(inner[0], d_variable)]
    if isinstance(linear, Trace):
        return _adjoint(linear.arg, Identity(linear.arg.rows), d_variable)
    raise _nonlinear(linear)


def _nonlinear(expr) -> RuntimeError:
    # The differential of any supported function is linear in dX: reaching here is a bug (exit 1).
    return RuntimeError(f"the differential `{expr}` is not a linear form in the differential")


def _adjoint(matrix, cotangent, d_variable) -> list:
    """Return [G...] with ⟨cotangent, matrix⟩ = Σ ⟨G, dX⟩ (matrix linear in dX)."""
    if not matrix.has(d_variable):
        return []
    if matrix == d_variable:
        return [cotangent]
    if isinstance(matrix, Transpose):                 # ⟨C, Mᵀ⟩ = ⟨Cᵀ, M⟩
        return _adjoint(matrix.arg, transpose(cotangent), d_variable)
    if isinstance(matrix, MatAdd):
        return [g for arg in matrix.args for g in _adjoint(arg, cotangent, d_variable)]
    if isinstance(matrix, MatMul):
        return _adjoint_product(matrix, cotangent, d_variable)
    if isinstance(matrix, HadamardProduct):          # ⟨C, A∘M⟩ = ⟨C∘A, M⟩
        inner = [arg for arg in matrix.args if arg.has(d_variable)]
        others = [arg for arg in matrix.args if not arg.has(d_variable)]
        if len(inner) != 1:
            raise _nonlinear(matrix)
        return _adjoint(inner[0], HadamardProduct(cotangent, *others).doit(deep=False), d_variable)
    if isinstance(matrix, DiagMatrix):               # ⟨C, diag(m)⟩ = ⟨diagonal(C), m⟩
        diagonal = DiagonalOf(cotangent)
        if matrix.args[0].rows == 1:
            diagonal = transpose(diagonal)
        return _adjoint(matrix.args[0], diagonal, d_variable)
    if isinstance(matrix, DiagonalOf):               # ⟨c, diagonal(M)⟩ = ⟨diag(c), M⟩
        return _adjoint(matrix.arg, DiagMatrix(cotangent), d_variable)
    if isinstance(matrix, KroneckerProduct) and isinstance(cotangent, Identity):
        return _adjoint_kronecker_trace(matrix, d_variable)
    raise DerivationError(
        f"cannot bring ⟨C, {matrix}⟩ into the form tr(Gᵀ dX) in matrix notation",
        where="derive", fix="a Kronecker product or vec inside a scalar has no matrix-notation "
        "gradient here; rewrite the scalar (e.g. tr(A⊗B) = tr(A)tr(B))")


def _adjoint_product(matrix, cotangent, d_variable) -> list:
    coeff, factors = matrix.as_coeff_matrices()
    if coeff.has(d_variable):                        # ⟨C, s P⟩ = s ⟨C, P⟩
        weight = frobenius(cotangent, mat_mul(*factors))
        return [mat_mul(weight, g) for g in gradient_terms(coeff, d_variable)]
    positions = [i for i, f in enumerate(factors) if f.has(d_variable)]
    if len(positions) != 1:
        raise _nonlinear(matrix)
    k = positions[0]
    left, right = factors[:k], factors[k + 1:]       # ⟨C, L M R⟩ = ⟨Lᵀ C Rᵀ, M⟩
    new_cotangent = mat_mul(coeff, *[transpose(f) for f in reversed(left)], cotangent,
                            *[transpose(f) for f in reversed(right)])
    return _adjoint(factors[k], new_cotangent, d_variable)


def _adjoint_kronecker_trace(matrix, d_variable) -> list:
    # tr(A ⊗ B) = tr(A) tr(B)   (Cookbook §10.2.1, Kronecker products)
    inner = [arg for arg in matrix.args if arg.has(d_variable)]
    others = [arg for arg in matrix.args if not arg.has(d_variable)]
    if len(inner) != 1 or any(not arg.is_square for arg in matrix.args):
        raise DerivationError(f"cannot read a gradient off tr({matrix})", where="derive",
                              fix="only tr(A⊗B) with square A and B is supported")
    weight = sp.Mul(*[Trace(arg) for arg in others])
    return [mat_mul(weight, g) for g in _adjoint(inner[0], Identity(inner[0].rows), d_variable)]
