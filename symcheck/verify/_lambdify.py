"""Turn SymPy matrix expressions into NumPy functions that also accept complex arrays.

SymPy's NumPy printer lacks Trace, Determinant, HadamardPower and elementwise ``applyfunc``;
this printer adds them.  Every construct maps to a NumPy call that works on complex input, so
the complex-step oracle applies to the result.

>>> import numpy as np
>>> from symcheck.expr import parse, symbols_from_shapes
>>> ns = symbols_from_shapes({"X": (2, 2)})
>>> f = numpy_function(parse("tr(X*X.T) + det(X)", ns), [ns["X"]])
>>> float(f(np.eye(2)))
3.0
>>> from symcheck.expr import dimension
>>> n = dimension("n")
>>> ns = symbols_from_shapes({"x": ("n", 1)})
>>> g = numpy_function(parse("OneMatrix(1, n)*hadamard(x, abs(x))", ns), [n, ns["x"]])
>>> g(1, np.array([[-3.0]]))
array([[-9.]])
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable, Sequence

import sympy as sp
from sympy.printing.numpy import NumPyPrinter

__all__ = ["numpy_function"]


class _MatrixNumPyPrinter(NumPyPrinter):
    """NumPy printer that knows every matrix construct symcheck's expression language makes."""

    def _call(self, name: str, *args) -> str:
        return f"{self._module_format(name)}({', '.join(self._print(a) for a in args)})"

    def _print_MatMul(self, expr):
        # A scalar coefficient (left unevaluated after substituting sizes, e.g. MatMul(1, Y))
        # multiplies; only the matrix factors chain with @.
        coeff, matrices = expr.as_coeff_matrices()
        product = " @ ".join(f"({self._print(m)})" for m in matrices)
        if coeff == 1:
            return f"({product})"
        return f"({self._print(coeff)})*({product})"

    # Sizes may stay symbolic (m, n): they are then arguments of the generated function, which
    # avoids substituting numbers into the expression (SymPy rewrites some 1×1 expressions,
    # e.g. an elementwise Abs of a 1×1 matrix into a matrix square root).
    def _print_Identity(self, expr):
        return self._call("numpy.eye", expr.rows)

    def _print_OneMatrix(self, expr):
        return f"{self._module_format('numpy.ones')}(({self._print(expr.rows)}, {self._print(expr.cols)}))"

    def _print_ZeroMatrix(self, expr):
        return f"{self._module_format('numpy.zeros')}(({self._print(expr.rows)}, {self._print(expr.cols)}))"

    def _print_Trace(self, expr):
        return self._call("numpy.trace", expr.arg)

    def _print_Determinant(self, expr):
        return self._call("numpy.linalg.det", expr.arg)

    def _print_HadamardPower(self, expr):
        return self._call("numpy.power", expr.base, expr.exp)

    def _print_ElementwiseApplyFunction(self, expr):
        # Lambda(t, body) applied to a whole array: body is built from ufuncs, so it acts
        # entry by entry.
        function = expr.function
        variable, body = function.variables[0], function.expr
        return f"(lambda {self._print(variable)}: {self._print(body)})({self._print(expr.expr)})"


    def _print_Vec(self, expr):
        # vec stacks columns: column-major ("F") order.
        return f"{self._module_format('numpy.reshape')}({self._print(expr.arg)}, (-1, 1), order='F')"

    def _print_CommutationMatrix(self, expr):
        m, n = expr.args
        return f"commutation_matrix({self._print(m)}, {self._print(n)})"


def commutation_matrix(m: int, n: int):
    """Return K_{m,n} (mn×mn), the permutation with K vec(A) = vec(Aᵀ) for every A (m×n).

    >>> import numpy as np
    >>> A = np.arange(6.0).reshape(2, 3)
    >>> bool(np.array_equal(commutation_matrix(2, 3) @ A.reshape(-1, 1, order="F"),
    ...                     A.T.reshape(-1, 1, order="F")))
    True
    """
    import numpy as np

    m, n = int(m), int(n)
    K = np.zeros((m * n, m * n))
    for i in range(m):
        for j in range(n):
            K[j + n * i, i + m * j] = 1.0   # vec(Aᵀ)[j + n i] = A[i, j] = vec(A)[i + m j]
    return K


@lru_cache(maxsize=512)
def _compiled(expr: sp.Basic, args: tuple) -> Callable:
    return sp.lambdify(list(args), expr, modules=[{"commutation_matrix": commutation_matrix}, "numpy"],
                       printer=_MatrixNumPyPrinter, docstring_limit=0)


def numpy_function(expr: sp.Basic, args: Sequence[sp.Basic]) -> Callable:
    """Return a NumPy function of ``args`` computing ``expr``; compiled once, then cached.

    ``args`` are the symbols the function takes, in order.  Symbolic sizes (``m``, ``n``) that
    appear in Identity, OneMatrix or ZeroMatrix must be among them, passed as integers;
    alternatively substitute numbers for them first.
    """
    return _compiled(expr, tuple(args))
