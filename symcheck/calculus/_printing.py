"""Print derivation results as The Matrix Cookbook does: Xᵀ, X⁻ᵀ, tr, ∘, ⊗, vec, dX.

``latex`` gives LaTeX for amsmath; ``text`` gives SymPy's string form (which ``sympy.parse_expr``
reads back, with elementwise functions written ``(A).applyfunc(f)``).

>>> import sympy as sp
>>> X = sp.MatrixSymbol("X", 3, 3); a = sp.MatrixSymbol("a", 3, 1)
>>> print(latex(sp.Trace(a.T*X*a) * sp.Inverse(X.T)))
\\left(a^{\\top} X a\\right) X^{-\\top}
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions import MatrixSymbol, Transpose
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter

from symcheck.calculus._elementwise import elementwise_name

__all__ = ["latex", "text"]

_FUNCTION_LATEX = {"exp": r"\exp", "log": r"\log", "tanh": r"\tanh", "sigmoid": r"\sigma"}


class _CookbookLatex(LatexPrinter):
    """LaTeX in Matrix Cookbook notation."""

    def _needs_brackets(self, expr) -> bool:
        return not isinstance(expr, MatrixSymbol) and not expr.is_Atom

    def _wrap(self, expr) -> str:
        body = self._print(expr)
        return rf"\left({body}\right)" if self._needs_brackets(expr) else body

    def _print_DifferentialSymbol(self, expr):
        return r"\mathrm{d}" + self._print(sp.Symbol(expr.name[1:]))

    def _print_Transpose(self, expr):
        return self._wrap(expr.arg) + r"^{\top}"

    def _print_Inverse(self, expr):
        arg = expr.arg
        if isinstance(arg, Transpose) and isinstance(arg.arg, MatrixSymbol):
            return self._print(arg.arg) + r"^{-\top}"
        return self._wrap(arg) + "^{-1}"

    def _print_Identity(self, expr):
        return rf"\mathbf{{I}}_{{{self._print(expr.rows)}}}"

    def _print_ZeroMatrix(self, expr):
        return r"\mathbf{0}"

    def _print_OneMatrix(self, expr):
        rows, cols = expr.shape
        size = self._print(rows) if cols == 1 else rf"{self._print(rows)}\times {self._print(cols)}"
        return rf"\mathbf{{1}}_{{{size}}}"

    def _print_Trace(self, expr):
        if expr.arg.shape == (1, 1):
            return self._wrap(expr.arg)
        return rf"\operatorname{{tr}}\left({self._print(expr.arg)}\right)"

    def _print_Determinant(self, expr):
        return rf"\det\left({self._print(expr.arg)}\right)"

    def _print_ElementwiseApplyFunction(self, expr):
        name = elementwise_name(expr.function)
        if name is None:
            return super()._print_ElementwiseApplyFunction(expr)
        return rf"{_FUNCTION_LATEX[name]}\left({self._print(expr.expr)}\right)"

    def _print_Vec(self, expr):
        return rf"\operatorname{{vec}}\left({self._print(expr.arg)}\right)"

    def _print_CommutationMatrix(self, expr):
        m, n = expr.args
        return rf"\mathbf{{K}}_{{{self._print(m)},{self._print(n)}}}"

    def _print_DiagMatrix(self, expr):
        return rf"\operatorname{{diag}}\left({self._print(expr.args[0])}\right)"

    def _print_DiagonalOf(self, expr):
        return rf"\operatorname{{diagonal}}\left({self._print(expr.arg)}\right)"

    def _print_sigmoid(self, expr, exp=None):
        base = rf"\sigma\left({self._print(expr.args[0])}\right)"
        return base if exp is None else rf"{base}^{{{exp}}}"


class _CookbookStr(StrPrinter):
    """SymPy's string form, with elementwise functions as ``(A).applyfunc(f)``."""

    def _print_DifferentialSymbol(self, expr):
        return expr.name

    def _print_Identity(self, expr):
        return f"Identity({self._print(expr.rows)})"

    def _print_ZeroMatrix(self, expr):
        return f"ZeroMatrix({self._print(expr.rows)}, {self._print(expr.cols)})"

    def _print_OneMatrix(self, expr):
        return f"OneMatrix({self._print(expr.rows)}, {self._print(expr.cols)})"

    def _print_ElementwiseApplyFunction(self, expr):
        name = elementwise_name(expr.function)
        function = name if name else self._print(expr.function)
        return f"({self._print(expr.expr)}).applyfunc({function})"


def latex(expr) -> str:
    """Return ``expr`` as LaTeX in Matrix Cookbook notation."""
    return _CookbookLatex({"mat_symbol_style": "plain"})._print(expr)


def text(expr) -> str:
    """Return ``expr`` as text that ``sympy.parse_expr`` reads back."""
    return _CookbookStr()._print(expr)
