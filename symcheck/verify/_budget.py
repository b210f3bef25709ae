"""A budget for numeric evaluation in proofs: a cost estimate before, a CPU deadline during.

Before a proof evaluates an expression, :func:`numeric_cost` estimates from its tree, at the
sizes given, the entries of the largest matrix any node builds (Kronecker products, vec-Hessians,
commutation matrices) and the arithmetic operations of one evaluation (matrix products, inverses
and determinants, powers, elementwise functions, each multiplied by the terms of every summation
around it).  :func:`check_cost` refuses an expression over ``numeric_entries`` or
``numeric_operations`` (rows of ``symcheck.limits.LIMITS``) with a
:class:`~symcheck.errors.NumericBudgetError` naming the limit, the node and the sizes; the
estimate is computed once per expression and sizes (cached), never per entry.  During a proof,
:func:`deadline` bounds the CPU time of the whole run by ``numeric_seconds``, checked between
instances.

>>> from symcheck.expr import parse, symbols_from_shapes
>>> ns = symbols_from_shapes({"X": ("n", "n")})
>>> cost = numeric_cost(parse("tr(kron(X, X))", ns), ((ns["n"], 6),))
>>> cost.entries, cost.largest
(1296, 'KroneckerProduct(X, X)')
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

import sympy as sp
from sympy.matrices.expressions import MatrixExpr

from symcheck.errors import NumericBudgetError
from symcheck.expr import as_sympy
from symcheck.limits import limit

__all__ = ["Cost", "numeric_cost", "check_cost", "Deadline", "deadline"]


@dataclass(frozen=True)
class Cost:
    """The estimated cost of one numeric evaluation: its largest matrix and its operations."""

    entries: int
    largest: str
    operations: int


def _side(side, sizes: dict) -> int:
    side = as_sympy(side)   # shape entries are SymPy objects or ints; text is refused
    if side.is_Integer:
        return int(side)
    value = side.xreplace(sizes)
    return int(value) if value.is_Integer else 1


def _terms(limits, sizes: dict) -> int:
    terms = 1
    for _, low, high in limits:
        low, high = (as_sympy(b).xreplace(sizes) for b in (low, high))
        if low.is_Integer and high.is_Integer:
            terms *= max(int(high) - int(low) + 1, 0)
    return terms


def _operations(node, shape, sizes: dict) -> int:
    """Arithmetic operations the node itself costs, its arguments already evaluated."""
    name = type(node).__name__
    if name == "MatMul":
        factors = [a for a in node.args if isinstance(a, MatrixExpr)]
        ops = sum(_side(a.rows, sizes) * _side(a.cols, sizes) * _side(b.cols, sizes)
                  for a, b in zip(factors, factors[1:]))
        return max(ops, shape[0] * shape[1])
    if name in ("Inverse", "Determinant"):
        n = _side(node.args[0].rows, sizes)
        return n ** 3
    if name == "MatPow":
        n, exponent = shape[0], node.args[1]
        steps = abs(int(exponent)) if exponent.is_Integer else 64
        return n ** 3 * max(steps.bit_length() * 2, 1)
    return shape[0] * shape[1]


@lru_cache(maxsize=1024)
def numeric_cost(expr: sp.Basic, sizes: tuple) -> Cost:
    """Return the :class:`Cost` of evaluating ``expr`` once with ``sizes`` ((symbol, int) pairs).

    A node inside a summation counts once per term (nested summations multiply); a matrix
    counts its entries, a product of matrices its multiply-adds, an inverse or determinant n³.
    """
    values = {symbol: sp.Integer(value) for symbol, value in sizes}
    entries, largest, operations = 0, "", 0
    stack = [(expr, 1)]
    while stack:
        node, times = stack.pop()
        if isinstance(node, sp.Sum):
            stack.append((node.function, times * _terms(node.limits, values)))
            continue
        if isinstance(node, MatrixExpr):
            shape = (_side(node.rows, values), _side(node.cols, values))
            if shape[0] * shape[1] > entries:
                entries, largest = shape[0] * shape[1], str(node)
            operations += times * _operations(node, shape, values)
            if isinstance(node, sp.MatrixSymbol):
                continue
        elif type(node).__name__ in ("Determinant", "Trace"):
            operations += times * _operations(node, (1, 1), values)
        else:
            operations += times
        stack.extend((a, times) for a in node.args if isinstance(a, sp.Basic))
    return Cost(entries, largest, operations)


def check_cost(exprs: Iterable[sp.Basic], sizes: tuple, *, what: str, where: str = "verify") -> None:
    """Raise NumericBudgetError when one evaluation of any of ``exprs`` at ``sizes`` is too costly.

    ``what`` names the work in the message ("the proof of f by X").

    >>> from symcheck.expr import parse, symbols_from_shapes
    >>> ns = symbols_from_shapes({"X": ("n", "n")})
    >>> big = parse("tr(kron(kron(X, X), kron(kron(X, X), X)))", ns)
    >>> try:
    ...     check_cost([big], ((ns["n"], 6),), what="the proof")
    ... except NumericBudgetError as err:
    ...     print(err.limit)
    numeric_entries
    """
    entries, operations = limit("numeric_entries"), limit("numeric_operations")
    at = ", ".join(f"{symbol} = {value}" for symbol, value in sizes) or "the sizes given"
    for expr in exprs:
        cost = numeric_cost(expr, sizes)
        if cost.entries > entries.value:
            raise NumericBudgetError(
                f"{what}: `{_clip(cost.largest)}` is a matrix of {cost.entries:,} entries at {at}, "
                f"more than the limit {entries.describe()}", limit=entries.name, where=where,
                fix="write the formula without such large intermediate matrices, or raise the limit")
        if cost.operations > operations.value:
            raise NumericBudgetError(
                f"{what}: one evaluation of `{_clip(str(expr))}` takes about {cost.operations:,} "
                f"operations at {at}, more than the limit {operations.describe()}",
                limit=operations.name, where=where,
                fix="write the formula with fewer or smaller sums, products and powers")


def _clip(text: str, width: int = 120) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


@dataclass
class Deadline:
    """A CPU-time deadline for one proof: :meth:`check` raises once ``numeric_seconds`` are spent."""

    what: str
    seconds: float
    stop: float

    def check(self) -> None:
        """Raise NumericBudgetError when the proof has used up its CPU seconds."""
        if time.process_time() > self.stop:
            row = limit("numeric_seconds")
            raise NumericBudgetError(
                f"{self.what} took more than {self.seconds:g} s of CPU time (the limit "
                f"{row.name} = {self.seconds:g})", limit=row.name, where="verify",
                fix="prove at fewer examples, simplify the formula, or raise the limit")


def deadline(what: str) -> Deadline:
    """Return a :class:`Deadline` starting now, ``numeric_seconds`` of CPU time away."""
    seconds = float(limit("numeric_seconds").value)
    return Deadline(what, seconds, time.process_time() + seconds)
