"""Write a matrix expression in clean matrix notation: expand, collect like terms, factor.

The expression is expanded into terms c·F₁F₂…Fₖ (distributing only the sums that involve the
variable, so constant groups such as (abᵀ + baᵀ) stay whole), like terms are collected, and the
sum is factored again: first the factors common to every term (X·a·bᵀ + X·b·aᵀ → X(abᵀ + baᵀ)),
then the terms that share the variable as a first or last factor ((XᵀX + λI)β), then any other
shared first or last factor.  Transposes are pushed down to the symbols first, so transposes of
symmetric products fold on their own.

>>> import sympy as sp
>>> X = sp.MatrixSymbol("X", 4, 3); a = sp.MatrixSymbol("a", 3, 1); b = sp.MatrixSymbol("b", 3, 1)
>>> simplify_matrix(X*a*b.T + X*b*a.T, X)
X*(a*b.T + b*a.T)
>>> beta = sp.MatrixSymbol("beta", 3, 1); y = sp.MatrixSymbol("y", 4, 1); lam = sp.Symbol("lambda")
>>> simplify_matrix(2*X.T*(X*beta - y) + 2*lam*beta, beta)
2*(lambda*I + X.T*X)*beta - 2*X.T*y
"""

from __future__ import annotations

from collections import Counter

import sympy as sp
from sympy.matrices.expressions import (
    Determinant,
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
    Trace,
    Transpose,
    ZeroMatrix,
)
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

from symcheck.calculus._budget import check_count
from symcheck.expr import as_sympy
from symcheck.calculus._transpose import mat_add, mat_mul, push_transposes, transpose

__all__ = ["simplify_matrix", "simplify_scalar", "expand", "expand_terms"]

Term = tuple  # (coefficient, (factor, ...))


def simplify_matrix(expr, variable=None):
    """Return ``expr`` in clean matrix notation, collected in ``variable`` when given."""
    if not expr.is_Matrix:
        return simplify_scalar(expr, variable)
    expr = push_transposes(expr)
    terms = _collect(expand_terms(expr, variable))
    return _factor(terms, expr.shape, variable)


def simplify_scalar(expr, variable=None):
    """Return a scalar with its traces simplified and written canonically."""
    expr = as_sympy(expr)
    if not expr.has(Trace):
        return expr
    replaced = expr.replace(lambda e: isinstance(e, Trace),
                            lambda e: _canonical_trace(e.arg, variable))
    return factor_scalar(replaced)


def factor_scalar(expr):
    """Return sp.factor_terms(expr), treating traces and determinants as opaque symbols."""
    expr = as_sympy(expr)
    opaque = {a: sp.Dummy() for a in expr.atoms(Trace, Determinant)}
    if not opaque:
        return sp.factor_terms(expr)
    back = {v: k for k, v in opaque.items()}
    return sp.factor_terms(expr.xreplace(opaque)).xreplace(back)


def _canonical_trace(matrix, variable):
    """Return tr(matrix) with its product rotated and transposed into one representative."""
    inner = push_transposes(matrix)
    if isinstance(inner, MatAdd) and inner.shape != (1, 1):
        return sp.Add(*[_canonical_trace(t, variable) for t in inner.args])
    if isinstance(inner, ZeroMatrix):
        return sp.S.Zero
    if isinstance(inner, Identity):
        return inner.rows
    coeff, factors = (inner.as_coeff_matrices() if isinstance(inner, MatMul) else (1, [inner]))
    # tr(ABC) = tr(BCA) = tr(CᵀBᵀAᵀ): prefer a 1×1 product, then the shortest form
    candidates = []
    for seq in (list(factors), [transpose(f) for f in reversed(factors)]):
        for k in range(len(seq)):
            rotated = seq[k:] + seq[:k]
            if rotated[0].rows == rotated[-1].cols:
                candidates.append(mat_mul(*rotated))
    best = min(candidates, key=lambda m: (m.shape != (1, 1), count_nodes(m, Transpose),
                                          count_nodes(m)))
    return coeff * Trace(best)


def count_nodes(expr, kind=None) -> int:
    """Return how many nodes of ``expr`` are of type ``kind`` (all nodes when None)."""
    own = 1 if kind is None or isinstance(expr, kind) else 0
    return own + sum(count_nodes(a, kind) for a in expr.args if isinstance(a, sp.Basic))


def expand_terms(expr, variable=None) -> list[Term]:
    """Return the terms [(c, (F₁, …, Fₖ))] of ``expr`` = Σ c F₁⋯Fₖ; () stands for I."""
    if isinstance(expr, MatAdd):
        return [t for arg in expr.args for t in expand_terms(arg, variable)]
    if isinstance(expr, ZeroMatrix):
        return []
    if isinstance(expr, Identity):
        return [(sp.S.One, ())]
    if isinstance(expr, MatMul):
        coeff, factors = expr.as_coeff_matrices()
        terms = [(simplify_scalar(coeff, variable), ())]
        for factor in factors:
            if isinstance(factor, (MatAdd, MatMul)) and _involves(factor, variable):
                parts = expand_terms(factor, variable)
            else:
                parts = [_clean_atom(factor, variable)]
            check_count(len(terms) * len(parts), "expanding a product")  # the work budget
            terms = [(c1 * c2, f1 + f2) for c1, f1 in terms for c2, f2 in parts]
        return [(c, f) for c, f in terms if c != 0]
    coeff, factors = _clean_atom(expr, variable)
    return [(coeff, factors)] if coeff != 0 else []


def _involves(expr, variable) -> bool:
    return variable is None or expr.has(variable)


def _clean_atom(atom, variable) -> Term:
    """Return (c, factors) for one factor, simplifying inside it."""
    if isinstance(atom, MatAdd):
        inner = simplify_matrix(atom, variable)
        if isinstance(inner, MatAdd):   # (2A + 2B) → 2(A + B)
            common, rest = _pull_common_coefficient([_split(t) for t in inner.args])
            return (common, (mat_add(*[_build(t, inner.shape) for t in rest]),))
        return _split(inner)
    if isinstance(atom, (HadamardProduct, KroneckerProduct)):
        coeff, parts = sp.S.One, []
        for arg in atom.args:
            c, inner = _coeff_and_matrix(simplify_matrix(arg, variable))
            coeff *= c
            if not (isinstance(atom, HadamardProduct) and isinstance(inner, OneMatrix)):
                parts.append(inner)
        if not parts:
            return (coeff, (OneMatrix(*atom.shape),))
        rebuilt = parts[0] if len(parts) == 1 else type(atom)(*parts)
        return (coeff, (rebuilt,))
    if isinstance(atom, DiagMatrix):
        c, inner = _coeff_and_matrix(simplify_matrix(atom.args[0], variable))
        return (c, (DiagMatrix(inner),))
    if isinstance(atom, Inverse):
        c, inner = _coeff_and_matrix(simplify_matrix(atom.arg, variable))
        return (1 / c, (Inverse(inner),))
    if isinstance(atom, HadamardPower):
        c, inner = _coeff_and_matrix(simplify_matrix(atom.base, variable))
        return (c ** atom.exp, (HadamardPower(inner, atom.exp),))
    if isinstance(atom, MatPow):
        c, inner = _coeff_and_matrix(simplify_matrix(atom.base, variable))
        return (c ** atom.exp, (MatPow(inner, atom.exp),))
    if isinstance(atom, ElementwiseApplyFunction):
        return (sp.S.One, (ElementwiseApplyFunction(atom.function,
                                                    simplify_matrix(atom.expr, variable)),))
    if isinstance(atom, Identity):
        return (sp.S.One, ())
    return (sp.S.One, (atom,))


def _split(expr) -> Term:
    if isinstance(expr, MatMul):
        coeff, factors = expr.as_coeff_matrices()
        return (coeff, tuple(f for f in factors if not isinstance(f, Identity)))
    if isinstance(expr, Identity):
        return (sp.S.One, ())
    return (sp.S.One, (expr,))


def _coeff_and_matrix(expr):
    coeff, factors = _split(expr)
    if not factors:
        return coeff, Identity(expr.rows)
    return coeff, (factors[0] if len(factors) == 1 else MatMul(*factors))


def _collect(terms: list[Term]) -> list[Term]:
    totals: dict = {}
    for coeff, factors in terms:
        totals[factors] = totals.get(factors, 0) + coeff
    return [(factor_scalar(c), f) for f, c in totals.items() if factor_scalar(c) != 0]


def _build(term: Term, shape):
    coeff, factors = term
    if not factors:
        return mat_mul(coeff, Identity(shape[0]))
    return mat_mul(coeff, *factors)


def _factor(terms: list[Term], shape, variable):
    terms = _factor_terms(terms, shape, variable)
    if not terms:
        return ZeroMatrix(*shape)
    if len(terms) > 1:
        common, rest = _pull_common_coefficient(terms)
        if not common.is_Number:  # c(x − a), but 2Aβ − 2c keeps its numbers
            return mat_mul(common, mat_add(*[_build(t, shape) for t in rest]))
    return mat_add(*[_build(t, shape) for t in terms])


def expand(expr, variable):
    """Return ``expr`` as a sum of products, distributing the sums that involve ``variable``."""
    terms = _collect(expand_terms(push_transposes(expr), variable))
    if not terms:
        return ZeroMatrix(*expr.shape)
    return mat_add(*[_build(t, expr.shape) for t in terms])


def _factor_terms(terms: list[Term], shape, variable) -> list[Term]:
    """Return fewer terms for the same sum, each a coefficient times a product of factors."""
    if len(terms) <= 1:
        return terms
    prefix, suffix = _common_ends(terms)
    if prefix or suffix:
        return [_factor_out(terms, shape, variable, prefix, suffix)]
    key = _best_group(terms, variable)
    if key is None:
        return terms
    group = _factor_terms([t for t in terms if _has_key(t, key)], shape, variable)
    rest = _factor_terms([t for t in terms if not _has_key(t, key)], shape, variable)
    combined = group + rest
    return _factor_terms(combined, shape, variable) if len(combined) < len(terms) else combined


def _common_ends(terms):
    shortest = min(len(f) for _, f in terms)
    p = 0
    while p < shortest and all(f[p] == terms[0][1][p] for _, f in terms):
        p += 1
    s = 0
    while s < shortest - p and all(f[-1 - s] == terms[0][1][-1 - s] for _, f in terms):
        s += 1
    first = terms[0][1]
    return first[:p], (first[len(first) - s:] if s else ())


def _factor_out(terms, shape, variable, prefix, suffix) -> Term:
    p, s = len(prefix), len(suffix)
    inner_terms = [(c, f[p:len(f) - s]) for c, f in terms]
    rows = prefix[-1].cols if prefix else shape[0]
    cols = suffix[0].rows if suffix else shape[1]
    common, inner_terms = _pull_common_coefficient(inner_terms)
    inner = _factor_terms(inner_terms, (rows, cols), variable)
    if len(inner) == 1:
        coeff, factors = inner[0]
        return (common * coeff, tuple(prefix) + tuple(factors) + tuple(suffix))
    middle = mat_add(*[_build(t, (rows, cols)) for t in inner])
    return (common, tuple(prefix) + (middle,) + tuple(suffix))


def _pull_common_coefficient(terms):
    markers = [sp.Dummy() for _ in terms]
    total = factor_scalar(sp.Add(*[c * m for (c, _), m in zip(terms, markers)]))
    common = sp.S.One
    if isinstance(total, sp.Mul):
        common = sp.Mul(*[a for a in total.args if not a.has(*markers)])
    if common == 1 or common == 0:
        return sp.S.One, terms
    return common, [(factor_scalar(c / common), f) for c, f in terms]


def _has_key(term, key) -> bool:
    side, factor = key
    factors = term[1]
    return bool(factors) and factors[0 if side == "L" else -1] == factor


def _best_group(terms, variable):
    counts: Counter = Counter()
    for _, factors in terms:
        if factors:
            counts[("R", factors[-1])] += 1
            counts[("L", factors[0])] += 1
    shared = [(key, n) for key, n in counts.items() if n >= 2]
    if not shared:
        return None
    targets = set()
    if variable is not None and variable.is_Matrix:
        targets = {variable, transpose(variable)}

    def rank(item):
        (side, factor), n = item
        return (factor in targets, n, side == "R")

    return max(shared, key=rank)[0]
