"""Build the SymPy expression of a typed answer tree, only when asked (explanations, counterexamples).

The tree is already checked and typed, so this is a direct translation; grading never calls it.

>>> from symcheck.expr import symbols_from_shapes
>>> from symcheck.grade._language import parse_answer
>>> ns = symbols_from_shapes({"X": ("n", "p"), "lambda": ()})
>>> to_sympy(parse_answer("X.T*X + lambda*I", {"X": ("n", "p"), "lambda": ()}).tree, ns)
lambda*I + X.T*X
"""

from __future__ import annotations

from typing import Mapping

import sympy as sp
from sympy.matrices.expressions import (
    DiagMatrix, HadamardPower, HadamardProduct, Identity, Inverse, KroneckerProduct, OneMatrix,
    Trace, ZeroMatrix,
)

from symcheck.expr import dimension, sigmoid
from symcheck.grade._lang_tree import Dim, Node

__all__ = ["to_sympy"]

_FUNCTIONS = {"exp": sp.exp, "log": sp.log, "sqrt": sp.sqrt, "tanh": sp.tanh, "sigmoid": sigmoid,
              "abs": sp.Abs}


def to_sympy(tree: Node, namespace: Mapping[str, object]):
    """Return the SymPy expression for ``tree``; ``namespace`` maps names to SymPy objects."""
    return _Build(namespace).build(tree)


def _is_matrix(value) -> bool:
    return isinstance(value, sp.MatrixExpr)


class _Build:
    def __init__(self, namespace):
        self.namespace = namespace

    def dim(self, d: Dim):
        result = sp.Integer(d.coef)
        for name in d.names:
            result *= self.namespace.get(name, dimension(name))
        return result

    def build(self, node: Node):
        op, args = node.op, node.args
        b = self.build
        if op == "num":
            return sp.Rational(node.value[0].numerator, node.value[0].denominator)
        if op == "const":
            return sp.E if node.value == "e" else sp.pi
        if op == "sym":
            return self.namespace[node.value]
        if op == "size":
            return self.namespace.get(node.value, dimension(node.value))
        if op == "idx":
            return sp.Symbol(node.value, integer=True, positive=True)
        if op == "eye":
            return Identity(self.dim(node.value))
        if op in ("ones", "zeros"):
            kind = OneMatrix if op == "ones" else ZeroMatrix
            return kind(self.dim(node.value[0]), self.dim(node.value[1]))
        if op == "add":
            terms = [b(a) if s == "+" else -b(a) for s, a in zip(node.value, args)]
            return sp.Add(*terms) if not any(_is_matrix(t) for t in terms) else sp.MatAdd(*terms).doit(deep=False)
        if op == "neg":
            return -b(args[0])
        if op in ("prod", "hprod"):
            acc = b(args[0])
            for sym, arg in zip(node.value, args[1:]):
                acc = self.combine(sym, acc, b(arg))
            return acc
        if op == "pow":
            return b(args[0]) ** b(args[1])
        if op == "mpow":
            return sp.MatPow(b(args[0]), node.value).doit(deep=False)
        if op == "inv":
            inner = b(args[0])
            return Inverse(inner) if _is_matrix(inner) else 1 / inner
        if op == "T":
            return b(args[0]).T
        if op == "tr":
            return Trace(b(args[0]))
        if op == "det":
            return sp.Determinant(b(args[0]))
        if op == "fn":
            inner, function = b(args[0]), _FUNCTIONS[node.value]
            if _is_matrix(inner):
                t = sp.Dummy("t")
                return inner.applyfunc(sp.Lambda(t, function(t)))
            return function(inner)
        if op == "hpow":
            return HadamardPower(b(args[0]), b(args[1]))
        if op == "diag":
            return DiagMatrix(b(args[0]))
        if op == "norm":
            inner = b(args[0])
            return sp.sqrt(Trace(inner.T * inner)) if _is_matrix(inner) else sp.sqrt(inner ** 2)
        if op == "index":
            matrix, i, j = (b(a) for a in args)
            return matrix[i - 1, j - 1]
        if op == "sum":
            term, *bounds = args
            limits = [(sp.Symbol(name, integer=True, positive=True), b(lo), b(hi))
                      for name, lo, hi in zip(node.value, bounds[0::2], bounds[1::2])]
            return sp.Sum(b(term), *limits)
        if op == "scal":
            return Trace(b(args[0]))
        if op == "bcast":
            rows, cols = node.shape
            return b(args[0]) * OneMatrix(self.dim(rows), self.dim(cols))
        raise AssertionError(f"no SymPy form for {op}")

    @staticmethod
    def combine(sym, left, right):
        if sym == "/":
            return left / right
        if not (_is_matrix(left) and _is_matrix(right)):
            return left * right
        if sym == "∘":
            return HadamardProduct(left, right)
        if sym == "⊗":
            return KroneckerProduct(left, right)
        return sp.MatMul(left, right).doit(deep=False)
