"""Fold named intermediate quantities back into a derived closed form, for display.

A derivative of the MSE with respect to W_o comes out in the leaves, σ(X W_h + 1 b_hᵀ)ᵀ(…);
folding the definitions ``H = σ(X W_h + 1 b_hᵀ)`` and ``Yhat = H W_o + 1 b_oᵀ`` gives the
textbook form ``(2/N) Hᵀ(Ŷ − Y)``.  Folding only renames: the value is unchanged.
"""

from __future__ import annotations

from typing import Sequence

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

__all__ = ["fold_definitions"]


def _same_function(f, g) -> bool:
    t = sp.Dummy("t")
    return sp.simplify(f(t) - g(t)) == 0


def _matches(candidate, pattern) -> bool:
    if candidate == pattern:
        return True
    if isinstance(candidate, ElementwiseApplyFunction) and isinstance(pattern, ElementwiseApplyFunction):
        return candidate.expr == pattern.expr and _same_function(candidate.function, pattern.function)
    return False


def _replace(expr, pattern, symbol):
    if not isinstance(expr, sp.Basic):
        return expr
    expr = expr.replace(lambda e: isinstance(e, sp.Basic) and _matches(e, pattern), lambda e: symbol)
    if isinstance(pattern, sp.MatAdd):
        # A sum that contains the pattern's terms: H*W_o - Y + 1 b_oᵀ  ->  Yhat - Y.
        terms = set(pattern.args)

        def contains(e):
            return isinstance(e, sp.MatAdd) and terms < set(e.args)

        def fold(e):
            return sp.MatAdd(symbol, *[t for t in e.args if t not in terms]).doit(deep=False)

        expr = expr.replace(contains, fold)
    return expr


def _transposed(expr):
    """The transpose in the engine's canonical form; σ(A)ᵀ = σ(Aᵀ) elementwise."""
    from symcheck.calculus._transpose import transpose

    if isinstance(expr, ElementwiseApplyFunction):
        return ElementwiseApplyFunction(expr.function, transpose(expr.expr))
    return transpose(expr)


def fold_definitions(expr, definitions: Sequence[tuple[str, sp.Basic]]):
    """Return ``expr`` with each defined quantity (and its transpose) replaced by its name.

    ``definitions`` is ``[(name, expression), ...]`` in the order they were defined, each
    expression written in the leaves.

    >>> from symcheck.expr import parse, symbols_from_shapes
    >>> ns = symbols_from_shapes({"X": ("N", "m"), "W": ("m", "n")})
    >>> H = parse("sigmoid(X*W)", ns)
    >>> fold_definitions(parse("X.T*hadamard(sigmoid(X*W), sigmoid(X*W))", ns), [("H", H)])
    X.T*(HadamardProduct(H, H))
    """
    folded_defs: list[tuple[sp.Basic, sp.MatrixSymbol]] = []
    for name, definition in definitions:
        if not getattr(definition, "is_Matrix", False):
            continue
        pattern = definition
        for earlier, symbol in folded_defs:
            pattern = _replace(pattern, earlier, symbol)
        symbol = sp.MatrixSymbol(name, *definition.shape)
        folded_defs.append((pattern, symbol))
        expr = _replace(expr, pattern, symbol)
        try:
            expr = _replace(expr, _transposed(pattern), symbol.T)
        except Exception:  # noqa: BLE001 - a pattern we cannot transpose is simply not folded
            pass
    return expr
