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
from sympy.matrices.expressions import MatMul, MatrixSymbol, Transpose
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE, precedence, precedence_traditional
from sympy.printing.str import StrPrinter

from symcheck.calculus._elementwise import elementwise_name

__all__ = ["latex", "text"]

_FUNCTION_LATEX = {"exp": r"\exp", "log": r"\log", "tanh": r"\tanh", "sigmoid": r"\sigma"}


def _leading_minus(expr) -> bool:
    """Return whether ``expr`` prints with a leading minus, without simplifying it.

    SymPy's printers ask ``could_extract_minus_sign()``, which for a matrix product compares it
    with its negation and so evaluates ``-expr``: ``MatMul.doit`` on every factor, down to the
    assumptions solver (seconds per Hessian of section 3.4).  A product prints with a minus
    exactly when its numeric coefficient, the first factor, is negative.

    >>> X = sp.MatrixSymbol("X", 2, 2)
    >>> _leading_minus(sp.MatMul(-2, X, X)), _leading_minus(sp.MatMul(X, X))
    (True, False)
    """
    if isinstance(expr, MatMul) or expr.is_Mul:
        first = expr.args[0]
        return bool(first.is_Number and first.is_extended_negative)
    return expr.could_extract_minus_sign()


def _negated(product):
    """Return the product ``c·A·B`` with its negative number ``c`` negated, unevaluated."""
    coefficient, *factors = product.args
    if -coefficient != 1:
        factors = [-coefficient, *factors]
    if len(factors) == 1:
        return factors[0]
    return MatMul(*factors) if isinstance(product, MatMul) else sp.Mul(*factors, evaluate=False)


def _product_precedence(item, fallback) -> int:
    if isinstance(item, MatMul):
        return PRECEDENCE["Add"] if _leading_minus(item) else PRECEDENCE["Mul"]
    return fallback(item)


class _CookbookLatex(LatexPrinter):
    """LaTeX in Matrix Cookbook notation (signs read off coefficients, never simplified)."""

    def parenthesize(self, item, level, is_neg=False, strict=False) -> str:
        value = _product_precedence(item, precedence_traditional)
        if (is_neg and strict) or value < level or (not strict and value <= level):
            return self._add_parens(self._print(item))
        return self._print(item)

    def _print_Add(self, expr, order=None):
        tex = ""
        for i, term in enumerate(self._as_ordered_terms(expr, order=order)):
            if i and _leading_minus(term):
                tex += " - "
                term = _negated(term) if (isinstance(term, MatMul) or term.is_Mul) else -term
            elif i:
                tex += " + "
            term_tex = self._print(term)
            tex += rf"\left({term_tex}\right)" if self._needs_add_brackets(term) else term_tex
        return tex

    def _print_MatMul(self, expr):
        level = PRECEDENCE["Mul"]

        def factor(x):
            if x.is_Mul and not isinstance(x, MatMul):
                return self._print(x)
            return self.parenthesize(x, level, False)

        if _leading_minus(expr):
            rest = _negated(expr)
            factors = rest.args if isinstance(rest, MatMul) else (rest,)
            return "- " + " ".join(map(factor, factors))
        return " ".join(map(factor, expr.args))

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
    """SymPy's string form, with elementwise functions as ``(A).applyfunc(f)``.

    Precedences of matrix products are read off their coefficient, as in the LaTeX printer.
    """

    def parenthesize(self, item, level, strict=False):
        value = _product_precedence(item, precedence)
        if value < level or (not strict and value <= level):
            return f"({self._print(item)})"
        return self._print(item)

    def _print_Add(self, expr, order=None):
        level = precedence(expr)
        pieces = []
        for term in self._as_ordered_terms(expr, order=order):
            printed = self._print(term)
            sign = "+"
            if printed.startswith("-") and not term.is_Add:
                sign, printed = "-", printed[1:]
            if _product_precedence(term, precedence) < level or term.is_Add:
                printed = f"({printed})"
            pieces += [sign, printed]
        sign = pieces.pop(0)
        return ("" if sign == "+" else sign) + " ".join(pieces)

    def _print_MatMul(self, expr):
        sign = ""
        if _leading_minus(expr):
            sign, expr = "-", _negated(expr)
        factors = expr.args if isinstance(expr, MatMul) else (expr,)
        return sign + "*".join(self.parenthesize(f, PRECEDENCE["Mul"]) for f in factors)

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
