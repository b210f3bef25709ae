"""Turn a linear map dX ↦ L[dX] into its matrix J, with vec(L[dX]) = J vec(dX) (column-major).

    vec(A dX B)  = (Bᵀ ⊗ A) vec(dX)                  (Cookbook §10.2.2, vec operator)
    vec(Mᵀ)      = K_{p,q} vec(M)     for M (p×q)    (commutation matrix, Magnus & Neudecker)
    vec(A ∘ M)   = diag(vec A) vec(M)
    vec(s P)     = vec(P) s = vec(P) vec(G)ᵀ vec(dX)  for a scalar s = tr(Gᵀ dX)

Terms that share a Kronecker factor are combined: A⊗C + B⊗C = (A + B)⊗C.

>>> import sympy as sp
>>> from symcheck.calculus._differential import differential_symbol
>>> X = sp.MatrixSymbol("X", 4, 3); A = sp.MatrixSymbol("A", 3, 3)
>>> dX = differential_symbol(X)
>>> jacobian_matrix(dX*A + dX*A.T, dX)
KroneckerProduct(A + A.T, I)
"""

from __future__ import annotations

from sympy.matrices.expressions import (
    DiagMatrix,
    HadamardProduct,
    Identity,
    KroneckerProduct,
    MatAdd,
    MatMul,
    Transpose,
    ZeroMatrix,
)

from symcheck.calculus._adjoint import gradient_terms
from symcheck.calculus._simplify import simplify_matrix
from symcheck.calculus._transpose import mat_add, mat_mul, transpose
from symcheck.calculus._vec import CommutationMatrix, kronecker, vec
from symcheck.errors import DerivationError

__all__ = ["jacobian_terms", "jacobian_matrix", "kron"]


def kron(left, right):
    """Return left ⊗ right, dropping 1×1 identities: I₁ ⊗ A = A ⊗ I₁ = A."""
    if left.shape == (1, 1) and isinstance(left, Identity):
        return right
    if right.shape == (1, 1) and isinstance(right, Identity):
        return left
    if isinstance(left, Identity) and isinstance(right, Identity):
        return Identity(left.rows * right.rows)
    return kronecker(left, right)


def jacobian_terms(linear, d_variable) -> list:
    """Return [J₁, …] with vec(linear) = Σ Jᵢ vec(dX), for a matrix ``linear`` in dX."""
    if not linear.has(d_variable):
        return []
    if linear == d_variable:
        return [Identity(d_variable.rows * d_variable.cols)]
    if isinstance(linear, MatAdd):
        return [j for arg in linear.args for j in jacobian_terms(arg, d_variable)]
    if isinstance(linear, Transpose):
        return [mat_mul(_commutation(linear.arg), j) for j in jacobian_terms(linear.arg, d_variable)]
    if isinstance(linear, MatMul):
        return _product_terms(linear, d_variable)
    if isinstance(linear, HadamardProduct):
        inner = [arg for arg in linear.args if arg.has(d_variable)]
        others = [arg for arg in linear.args if not arg.has(d_variable)]
        weight = others[0] if len(others) == 1 else HadamardProduct(*others)
        scale = DiagMatrix(vec(weight))
        return [mat_mul(scale, j) for j in jacobian_terms(inner[0], d_variable)]
    if isinstance(linear, KroneckerProduct) and len(linear.args) == 2:
        return _kronecker_terms(linear, d_variable)
    raise DerivationError(f"cannot write vec({linear}) as a matrix times vec(d...) in matrix "
                          "notation", where="derive",
                          fix="Kronecker products and diag(·) of the variable are supported in "
                          "scalar functions only")


def _kronecker_terms(linear, d_variable) -> list:
    """vec(A⊗B) = (Iₙ ⊗ K_{q,m} ⊗ Iₚ)(vec A ⊗ vec B) for A (m×n), B (p×q)  (Magnus–Neudecker);
    vec A ⊗ vec N = (vec A ⊗ I) vec N and vec N ⊗ vec B = (I ⊗ vec B) vec N."""
    left, right = linear.args
    (m, n), (p, q) = left.shape, right.shape
    shuffle = KroneckerProduct(Identity(n), _commutation_of(q, m), Identity(p))
    if left.has(d_variable) and right.has(d_variable):
        raise RuntimeError(f"{linear} is not linear in {d_variable}")  # a bug in symcheck (exit 1)
    if right.has(d_variable):
        spread = kron(vec(left), Identity(p * q))
        inner = right
    else:
        spread = kron(Identity(m * n), vec(right))
        inner = left
    return [mat_mul(shuffle, spread, j) for j in jacobian_terms(inner, d_variable)]


def _commutation_of(rows, cols):
    return Identity(rows * cols) if rows == 1 or cols == 1 else CommutationMatrix(rows, cols)


def _commutation(matrix):
    p, q = matrix.shape
    if p == 1 or q == 1:
        return Identity(p * q)               # transposing a vector keeps its vec
    return CommutationMatrix(p, q)


def _product_terms(linear, d_variable) -> list:
    coeff, factors = linear.as_coeff_matrices()
    if coeff.has(d_variable):              # vec(s P) = vec(P) vec(G)ᵀ vec(dX)
        constant = mat_mul(*factors)
        return [mat_mul(vec(constant), transpose(vec(g))) for g in gradient_terms(coeff, d_variable)]
    positions = [i for i, f in enumerate(factors) if f.has(d_variable)]
    k = positions[0]
    inner = factors[k]
    left = mat_mul(*factors[:k]) if k else Identity(inner.rows)
    right = mat_mul(*factors[k + 1:]) if k + 1 < len(factors) else Identity(inner.cols)
    outer = kron(transpose(right), left)   # vec(A M B) = (Bᵀ ⊗ A) vec(M)
    return [mat_mul(coeff, outer, j) for j in jacobian_terms(inner, d_variable)]


def jacobian_matrix(linear, d_variable, *, variable=None):
    """Return the simplified J with vec(linear) = J vec(dX); Kronecker terms are combined."""
    rows = linear.rows * linear.cols
    cols = d_variable.rows * d_variable.cols
    terms = jacobian_terms(linear, d_variable)
    if not terms:
        return ZeroMatrix(rows, cols)
    return _combine_kronecker(terms, variable)


def _combine_kronecker(terms, variable):
    """c₁(A⊗C)T + c₂(B⊗C)T = ((c₁A + c₂B)⊗C)T, for any common tail T; then simplify."""
    groups: dict = {}
    plain = []
    for term in terms:
        coeff, factors = (term.as_coeff_matrices() if isinstance(term, MatMul) else (1, [term]))
        if factors and isinstance(factors[0], KroneckerProduct) and len(factors[0].args) == 2:
            left, right = factors[0].args
            groups.setdefault((right, tuple(factors[1:])), []).append(mat_mul(coeff, left))
        else:
            plain.append(term)
    combined = []
    for (right, tail), lefts in groups.items():
        merged = _pull_scalar(kron(simplify_matrix(mat_add(*lefts), variable), right))
        combined.append(mat_mul(merged, *tail))
    rest = [simplify_matrix(mat_add(*plain), variable)] if plain else []
    return mat_add(*combined, *rest)


def _pull_scalar(kronecker):
    if not isinstance(kronecker, KroneckerProduct):
        return kronecker
    left, right = kronecker.args
    if isinstance(left, MatMul):
        coeff, factors = left.as_coeff_matrices()
        if coeff != 1:
            return mat_mul(coeff, kronecker(mat_mul(*factors), right))
    return kronecker
