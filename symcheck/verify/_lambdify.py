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

__all__ = ["numpy_function", "batched_function", "is_analytic"]


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


class _BatchedNumPyPrinter(_MatrixNumPyPrinter):
    """Print for stacks of matrices: every matrix is (..., rows, cols), every scalar (..., 1, 1).

    Leading axes broadcast, so the same code evaluates one point or K points in one call.
    A construct it does not know prints as for one point, and the first-use comparison of
    :func:`batched_function` with the point-by-point function catches what that breaks.
    """

    def _keep(self, call: str) -> str:
        return f"({call})[..., None, None]"     # a scalar per point, as a 1×1 matrix

    def _print_Transpose(self, expr):
        return f"{self._module_format('numpy.swapaxes')}({self._print(expr.arg)}, -1, -2)"

    def _print_Trace(self, expr):
        return self._keep(f"{self._module_format('numpy.trace')}({self._print(expr.arg)}, "
                          "axis1=-2, axis2=-1)")

    def _print_Determinant(self, expr):
        return self._keep(self._call("numpy.linalg.det", expr.arg))

    def _print_MatrixElement(self, expr):
        return self._keep(f"({self._print(expr.parent)})[..., {self._print(expr.i)}, {self._print(expr.j)}]")

    def _print_DiagMatrix(self, expr):
        return f"batched_diag({self._print(expr.args[0])})"

    def _print_KroneckerProduct(self, expr):
        text = self._print(expr.args[0])
        for factor in expr.args[1:]:
            text = f"batched_kron({text}, {self._print(factor)})"
        return text

    def _print_Vec(self, expr):
        return f"batched_vec({self._print(expr.arg)})"


def batched_diag(v):
    """diag(v) of each vector in a stack: (..., k, 1) or (..., 1, k) -> (..., k, k)."""
    import numpy as np

    flat = v.reshape(v.shape[:-2] + (-1,))
    return flat[..., :, None] * np.eye(flat.shape[-1])


def batched_kron(a, b):
    """A ⊗ B of each pair in two stacks: (..., m, n), (..., p, q) -> (..., mp, nq)."""
    out = a[..., :, None, :, None] * b[..., None, :, None, :]
    m, p, n, q = out.shape[-4:]
    return out.reshape(out.shape[:-4] + (m * p, n * q))


def batched_vec(a):
    """vec of each matrix in a stack (columns stacked): (..., m, n) -> (..., mn, 1)."""
    import numpy as np

    return np.swapaxes(a, -1, -2).reshape(a.shape[:-2] + (-1, 1))


_MODULES = {"commutation_matrix": commutation_matrix, "batched_diag": batched_diag,
            "batched_kron": batched_kron, "batched_vec": batched_vec}


@lru_cache(maxsize=512)
def _compiled(expr: sp.Basic, args: tuple) -> Callable:
    return sp.lambdify(list(args), expr, modules=[_MODULES, "numpy"],
                       printer=_MatrixNumPyPrinter, docstring_limit=0)


@lru_cache(maxsize=512)
def _compiled_batched(expr: sp.Basic, args: tuple) -> Callable:
    return sp.lambdify(list(args), expr, modules=[_MODULES, "numpy"],
                       printer=_BatchedNumPyPrinter, docstring_limit=0)


def batched_function(expr: sp.Basic, args: Sequence[sp.Basic]) -> Callable:
    """Return a NumPy function of ``args`` computing ``expr`` on stacks of points at once.

    Any argument may carry leading axes (K points: matrices (K, rows, cols), scalars (K, 1, 1));
    they broadcast, and a matrix result is (K, rows, cols), a scalar one (K, 1, 1).  The caller
    compares it once with :func:`numpy_function` on real data before trusting it.

    >>> import numpy as np
    >>> from symcheck.expr import parse, symbols_from_shapes
    >>> ns = symbols_from_shapes({"X": (2, 2)})
    >>> g = batched_function(parse("tr(X*X.T)", ns), [ns["X"]])
    >>> g(np.stack([np.eye(2), 2 * np.eye(2)])).ravel()
    array([2., 8.])
    """
    return _compiled_batched(expr, tuple(args))


# Operations that are holomorphic in their arguments (where they are defined): complex step
# differentiates any composition of them exactly.  Abs, sign, re, im, conjugate, Max, Min,
# Piecewise, floor and the like are not, so they are left out.
_ANALYTIC = (
    "Symbol", "Dummy", "MatrixSymbol", "Str", "Integer", "Rational", "Float", "One", "Zero", "NegativeOne",
    "Half", "Pi", "Exp1", "ImaginaryUnit", "Add", "Mul", "Pow", "exp", "log", "sin", "cos", "tan",
    "sinh", "cosh", "tanh", "sigmoid", "Lambda", "Tuple", "MatAdd", "MatMul", "MatPow",
    "Transpose", "Inverse", "Trace", "Determinant", "HadamardProduct", "HadamardPower",
    "KroneckerProduct", "DiagMatrix", "Identity", "ZeroMatrix", "OneMatrix",
    "ElementwiseApplyFunction", "MatrixElement", "Vec", "CommutationMatrix",
)


@lru_cache(maxsize=512)
def is_analytic(expr: sp.Basic) -> bool:
    """Return True when ``expr`` is built from analytic operations only (no abs, max, re, ...).

    >>> from symcheck.expr import parse, symbols_from_shapes
    >>> ns = symbols_from_shapes({"X": ("n", "n")})
    >>> is_analytic(parse("log(det(X)) + tr(sigmoid(X))", ns)), is_analytic(parse("tr(abs(X))", ns))
    (True, False)
    """
    return all(type(node).__name__ in _ANALYTIC or getattr(node, "is_Integer", False)
               for node in sp.preorder_traversal(expr))


def numpy_function(expr: sp.Basic, args: Sequence[sp.Basic]) -> Callable:
    """Return a NumPy function of ``args`` computing ``expr``; compiled once, then cached.

    ``args`` are the symbols the function takes, in order.  Symbolic sizes (``m``, ``n``) that
    appear in Identity, OneMatrix or ZeroMatrix must be among them, passed as integers;
    alternatively substitute numbers for them first.
    """
    return _compiled(expr, tuple(args))
