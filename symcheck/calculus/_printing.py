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
from sympy.printing.mathml import MathMLPresentationPrinter
from sympy.printing.precedence import PRECEDENCE, precedence, precedence_traditional
from sympy.printing.str import StrPrinter

from symcheck.calculus._elementwise import elementwise_name

__all__ = ["latex", "mathml", "text"]

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

    _product_separator = " "

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
            tex += self._add_parens(term_tex) if self._needs_add_brackets(term) else term_tex
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
            return "- " + self._product_separator.join(map(factor, factors))
        return self._product_separator.join(map(factor, expr.args))

    def _needs_brackets(self, expr) -> bool:
        return not isinstance(expr, MatrixSymbol) and not expr.is_Atom

    def _wrap(self, expr) -> str:
        body = self._print(expr)
        return self._add_parens(body) if self._needs_brackets(expr) else body

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
        return r"\operatorname{tr}" + self._add_parens(self._print(expr.arg))

    def _print_Determinant(self, expr):
        return r"\det" + self._add_parens(self._print(expr.arg))

    def _print_ElementwiseApplyFunction(self, expr):
        name = elementwise_name(expr.function)
        if name is None:
            return super()._print_ElementwiseApplyFunction(expr)
        return _FUNCTION_LATEX[name] + self._add_parens(self._print(expr.expr))

    def _print_Vec(self, expr):
        return r"\operatorname{vec}" + self._add_parens(self._print(expr.arg))

    def _print_CommutationMatrix(self, expr):
        m, n = expr.args
        return rf"\mathbf{{K}}_{{{self._print(m)},{self._print(n)}}}"

    def _print_DiagMatrix(self, expr):
        return r"\operatorname{diag}" + self._add_parens(self._print(expr.args[0]))

    def _print_DiagonalOf(self, expr):
        return r"\operatorname{diagonal}" + self._add_parens(self._print(expr.arg))

    def _print_sigmoid(self, expr, exp=None):
        base = r"\sigma" + self._add_parens(self._print(expr.args[0]))
        return base if exp is None else rf"{base}^{{{exp}}}"


class _BreakableLatex(_CookbookLatex):
    """The same LaTeX, breakable across lines when set as inline maths.

    TeX breaks an inline formula only at the outer level, after a binary operator or a
    relation; ``\\left( … \\right)`` would make each bracket one unbreakable box, so brackets
    are plain and every product offers ``\\allowbreak`` between its factors.
    """

    _product_separator = r" \allowbreak "

    def _add_parens(self, s) -> str:
        return f"({s})"


class _CookbookMathML(MathMLPresentationPrinter):
    """Presentation MathML in Matrix Cookbook notation (Xᵀ, tr, ∘, ⊗, σ), signs as in LaTeX."""

    def _element(self, tag: str, text: str | None = None, *children):
        node = self.dom.createElement(tag)
        if text is not None:
            node.appendChild(self.dom.createTextNode(text))
        for child in children:
            node.appendChild(child)
        return node

    def _row(self, *children):
        return self._element("mrow", None, *children)

    def _bracketed(self, node):
        return self._row(self._element("mo", "("), node, self._element("mo", ")"))

    def _applied(self, name: str, arg):
        return self._row(self._element("mi", name), self._element("mo", "\u2061"),
                         self._bracketed(self._print(arg)))

    def parenthesize(self, item, level, strict=False):
        value = _product_precedence(item, precedence_traditional)
        if value < level or (not strict and value <= level):
            return self._bracketed(self._print(item))
        return self._print(item)

    def _print_Add(self, expr, order=None):
        row = self._row()
        for i, term in enumerate(self._as_ordered_terms(expr, order=order)):
            if i and _leading_minus(term):
                row.appendChild(self._element("mo", "\u2212"))
                term = _negated(term) if (isinstance(term, MatMul) or term.is_Mul) else -term
            elif i:
                row.appendChild(self._element("mo", "+"))
            row.appendChild(self._bracketed(self._print(term)) if term.is_Add
                            else self._print(term))
        return row

    def _print_MatMul(self, expr):
        row = self._row()
        if _leading_minus(expr):
            row.appendChild(self._element("mo", "\u2212"))
            expr = _negated(expr)
        factors = expr.args if isinstance(expr, MatMul) else (expr,)
        for i, factor in enumerate(factors):
            if i:
                row.appendChild(self._element("mo", "\u2062"))     # invisible times
            if factor.is_Mul and not isinstance(factor, MatMul):
                row.appendChild(self._print(factor))
            else:
                row.appendChild(self.parenthesize(factor, PRECEDENCE["Mul"]))
        return row

    def _operator_product(self, expr, symbol: str):
        row = self._row()
        for i, arg in enumerate(expr.args):
            if i:
                row.appendChild(self._element("mo", symbol))
            row.appendChild(self.parenthesize(arg, PRECEDENCE["Mul"]))
        return row

    def _print_HadamardProduct(self, expr):
        return self._operator_product(expr, "\u2218")

    def _print_KroneckerProduct(self, expr):
        return self._operator_product(expr, "\u2297")

    def _superscript(self, arg, sup: str):
        base = self._print(arg) if isinstance(arg, MatrixSymbol) or arg.is_Atom \
            else self._bracketed(self._print(arg))
        return self._element("msup", None, base, self._element("mo", sup))

    def _print_Transpose(self, expr):
        return self._superscript(expr.arg, "\u22a4")

    def _print_Inverse(self, expr):
        arg = expr.arg
        if isinstance(arg, Transpose) and isinstance(arg.arg, MatrixSymbol):
            return self._superscript(arg.arg, "\u2212\u22a4")
        return self._superscript(arg, "\u22121")

    def _subscripted(self, name: str, *sizes):
        size = ("\u00d7".join(str(self._print_text(n)) for n in sizes))
        return self._element("msub", None, self._element("mi", name), self._element("mi", size))

    def _print_text(self, size) -> str:
        return _CookbookStr()._print(size)

    def _print_Identity(self, expr):
        return self._subscripted("I", expr.rows)

    def _print_ZeroMatrix(self, expr):
        return self._element("mn", "0")

    def _print_OneMatrix(self, expr):
        rows, cols = expr.shape
        return self._subscripted("\U0001d7cf", *((rows,) if cols == 1 else (rows, cols)))

    def _print_DifferentialSymbol(self, expr):
        return self._row(self._element("mi", "d"), self._print(sp.Symbol(expr.name[1:])))

    def _print_Trace(self, expr):
        if expr.arg.shape == (1, 1):
            return self.parenthesize(expr.arg, PRECEDENCE["Mul"])
        return self._applied("tr", expr.arg)

    def _print_Determinant(self, expr):
        return self._applied("det", expr.arg)

    def _print_Vec(self, expr):
        return self._applied("vec", expr.arg)

    def _print_DiagMatrix(self, expr):
        return self._applied("diag", expr.args[0])

    def _print_DiagonalOf(self, expr):
        return self._applied("diagonal", expr.arg)

    def _print_CommutationMatrix(self, expr):
        return self._subscripted("K", *expr.args)

    def _print_ElementwiseApplyFunction(self, expr):
        name = elementwise_name(expr.function)
        if name is None:
            return super()._print_ElementwiseApplyFunction(expr)
        return self._applied("\u03c3" if name == "sigmoid" else name, expr.expr)

    def _print_sigmoid(self, expr):
        return self._applied("\u03c3", expr.args[0])


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


class _AnswerStr(_CookbookStr):
    """:class:`_CookbookStr` in the names of symcheck's answer language: ``hadamard(A, B)`` for
    A ∘ B and ``ones(r, c)`` for the all-ones matrix, as a student would type them."""

    def parenthesize(self, item, level, strict=False):
        if isinstance(item, sp.HadamardProduct):   # a call here, not an infix product
            return self._print(item)
        return super().parenthesize(item, level, strict)

    def _print_HadamardProduct(self, expr):
        return f"hadamard({', '.join(self._print(a) for a in expr.args)})"

    def _print_OneMatrix(self, expr):
        return f"ones({self._print(expr.rows)}, {self._print(expr.cols)})"

    def _print_ElementwiseApplyFunction(self, expr):   # sigmoid(A), applied entry by entry
        name = elementwise_name(expr.function)
        if not name:
            return super()._print_ElementwiseApplyFunction(expr)
        return f"{name}({self._print(expr.expr)})"


def latex(expr, *, breakable: bool = False) -> str:
    """Return ``expr`` as LaTeX in Matrix Cookbook notation.

    With ``breakable=True`` brackets are plain and products allow line breaks, so that a long
    formula set as inline maths wraps instead of running off the page.

    >>> X = sp.MatrixSymbol("X", 3, 3); a = sp.MatrixSymbol("a", 3, 1)
    >>> print(latex(X * (a * a.T + X), breakable=True))
    X \\allowbreak (X + a \\allowbreak a^{\\top})
    """
    if breakable:   # a long numerator over N is printed (1/N)·(…), which can break
        return _BreakableLatex({"mat_symbol_style": "plain", "long_frac_ratio": 2})._print(expr)
    return _CookbookLatex({"mat_symbol_style": "plain"})._print(expr)


def mathml(expr, *, display: bool = True) -> str:
    """Return ``expr`` as a presentation-MathML ``<math>`` element in Matrix Cookbook notation.

    >>> X = sp.MatrixSymbol("X", 3, 3)
    >>> mathml(X.T * X, display=False)
    '<math xmlns="http://www.w3.org/1998/Math/MathML"><mrow><msup><mi>X</mi><mo>⊤</mo></msup><mo>\u2062</mo><mi>X</mi></mrow></math>'
    """
    body = _CookbookMathML({"mat_symbol_style": "plain"})._print(expr).toxml()
    mode = ' display="block"' if display else ""
    return f'<math xmlns="http://www.w3.org/1998/Math/MathML"{mode}>{body}</math>'


def text(expr) -> str:
    """Return ``expr`` as text that ``sympy.parse_expr`` reads back."""
    return _CookbookStr()._print(expr)


def answer_text(expr) -> str:
    """Return ``expr`` as text in the names of symcheck's answer language (``hadamard``,
    ``ones``): what grading feedback shows as the truth, so a student can type it back.

    >>> N, n = sp.Symbol("N"), sp.Symbol("n")
    >>> H = sp.MatrixSymbol("H", N, n)
    >>> W = sp.MatrixSymbol("W", n, 2)
    >>> answer_text(sp.hadamard_product(H, sp.OneMatrix(N, n) - H) * W)
    'hadamard(-H + ones(N, n), H)*W'
    """
    return _AnswerStr()._print(expr)
