"""Turn untrusted text into a SymPy expression, without ever running it.

The text is read by CPython's own parser (``ast.parse``), which builds a syntax tree and
executes nothing.  We then walk that tree and accept only a whitelist of node types, names and
functions, building the SymPy expression ourselves.  Size, nesting depth, node count and
exponent size are limited before any SymPy work starts, so a hostile answer cannot make
symcheck run code, exhaust memory or spin.

The language is Python-like matrix notation::

    a.T*X.T*X*b          products, transposes (also a^T, transpose(a))
    tr(M*X), det(X)      trace, determinant; inv(X), X**-1, X.I for the inverse
    hadamard(A, B)       elementwise product; hadamard_power(A, 2)
    kron(A, B), diag(v)  Kronecker product, diagonal matrix from a vector
    sigmoid(X*W)         exp, log, sqrt, tanh, sigmoid, abs act elementwise on matrices
    Identity(n), ZeroMatrix(m, n), OneMatrix(m, n)
    2*(X.T*X + lam*I)*beta - 2*X.T*y

A scalar function of a 1×1 matrix (``log(a.T*x)``) acts on the scalar it holds, written as
``tr(a.T*x)``, which is the same number.

>>> from symcheck.expr import parse, symbols_from_shapes
>>> ns = symbols_from_shapes({"a": ("m", 1), "X": ("n", "m"), "b": ("m", 1)})
>>> parse("a.T*X.T*X*b", ns)
a.T*X.T*X*b
>>> parse("a.T*X*b", ns)
Traceback (most recent call last):
...
symcheck.errors.ShapeError: expression at column 1: a.T*X has shapes (1×m)·(n×m), which do not compose; did you mean a.T*X.T?
"""

from __future__ import annotations

import ast
import difflib
import functools
import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Mapping

import sympy as sp
from sympy.matrices.expressions import (
    Determinant,
    DiagMatrix,
    HadamardPower,
    HadamardProduct,
    Identity,
    Inverse,
    KroneckerProduct,
    MatrixExpr,
    OneMatrix,
    Trace,
    Transpose,
    ZeroMatrix,
)
from sympy.matrices.expressions.matexpr import MatrixElement

from symcheck.errors import ParseError, ShapeError
from symcheck.expr._characters import check_characters, homoglyph_note, latin_lookalike
from symcheck.expr._functions import sigmoid
from symcheck.expr._symbols import as_sympy
from symcheck.limits import LIMITS

__all__ = ["Limits", "parse", "format_shape", "is_matrix"]


def _row(name: str) -> int:
    return LIMITS[name].value


@dataclass(frozen=True)
class Limits:
    """Bounds on the work one expression may cause (defaults: rows of symcheck.limits.LIMITS).

    Each field is one row: ``max_length`` answer_length, ``max_depth`` answer_depth,
    ``max_nodes`` answer_nodes, ``max_power`` power_exponent, ``max_number_digits``
    number_digits, ``max_number_exponent`` number_exponent, ``max_power_degree``
    power_degree, ``max_sum_terms`` sum_terms.
    """

    max_length: int = _row("answer_length")
    max_depth: int = _row("answer_depth")
    max_nodes: int = _row("answer_nodes")
    max_power: int = _row("power_exponent")
    max_number_digits: int = _row("number_digits")
    max_number_exponent: int = _row("number_exponent")
    max_power_degree: int = _row("power_degree")
    max_sum_terms: int = _row("sum_terms")

    def describe(self, field: str) -> str:
        """Return ``the limit ROW = VALUE`` for a field, naming the row of LIMITS it comes from."""
        return f"the limit {_FIELD_ROWS[field]} = {getattr(self, field)}"


_FIELD_ROWS = {"max_length": "answer_length", "max_depth": "answer_depth",
               "max_nodes": "answer_nodes", "max_power": "power_exponent",
               "max_number_digits": "number_digits", "max_number_exponent": "number_exponent",
               "max_power_degree": "power_degree", "max_sum_terms": "sum_terms"}

DEFAULT_LIMITS = Limits()

# A decimal literal as the language writes it: digits, an optional fraction, an optional
# exponent (ASCII only; underscores between digits are dropped first, as Python does).
_DECIMAL = re.compile(r"(?P<int>[0-9]*)(?:\.(?P<frac>[0-9]*))?(?:[eE](?P<exp>[+-]?[0-9]+))?")
_LOG2_10 = math.log2(10)


@functools.lru_cache(maxsize=4)
def _LONG_DIGITS(most: int) -> re.Pattern:
    return re.compile(rf"[0-9_]*\.?[0-9_]{{{most + 1},}}")

_SCALAR_FUNCTIONS: dict[str, Callable] = {
    "exp": sp.exp,
    "log": sp.log,
    "ln": sp.log,
    "sqrt": sp.sqrt,
    "tanh": sp.tanh,
    "sigmoid": sigmoid,
    "abs": sp.Abs,
    "Abs": sp.Abs,
}

_CONSTANTS = {"e": sp.E, "E": sp.E, "pi": sp.pi}

# `lambda` is a Python keyword, so the text is read with a same-length stand-in (columns in
# error messages stay right) and the name is mapped back.  Greek letters are aliases.
_KEYWORD_STANDINS = {"lambda": "_lmbda"}
_KEYWORD_NAMES = re.compile(r"\blambda\b")
_CARET_T = re.compile(r"\^T\b")
_ALIASES = {"_lmbda": "lambda", "λ": "lambda", "β": "beta", "α": "alpha", "σ": "sigmoid"}


def is_matrix(expr) -> bool:
    """Return True when ``expr`` is a matrix expression (any shape, 1×1 included)."""
    return isinstance(expr, MatrixExpr)


def format_shape(expr) -> str:
    """Return a shape as text: ``(m×1)``; scalars give ``scalar``."""
    if not is_matrix(expr):
        return "scalar"
    rows, cols = expr.shape
    return f"({rows}×{cols})"


def _same(d1, d2) -> bool:
    return sp.simplify(as_sympy(d1) - as_sympy(d2)) == 0


def _is_1x1(expr) -> bool:
    return is_matrix(expr) and expr.shape == (1, 1)


def _as_scalar(expr):
    """Return the scalar a 1×1 matrix holds (as a trace), or the scalar itself."""
    return Trace(expr) if _is_1x1(expr) else expr


class _Builder:
    """Walk a syntax tree and build the SymPy expression, checking shapes as it goes."""

    def __init__(self, text: str, namespace: Mapping[str, object], where: str, limits: Limits,
                 origin: list[int] | None = None):
        self.text = text
        self.namespace = namespace
        self.where = where
        self.limits = limits
        self.origin = origin
        self._degrees: dict = {}

    # -- errors ---------------------------------------------------------------------------
    def _segment(self, node) -> str:
        segment = ast.get_source_segment(self.text, node) or self.text
        return segment.replace(_KEYWORD_STANDINS["lambda"], "lambda")

    def _where(self, node) -> str:
        col = getattr(node, "col_offset", None)
        if col is None:
            return self.where
        if self.origin is not None:
            col = self.origin[min(col, len(self.origin) - 1)]
        return f"{self.where} at column {col + 1}"

    def parse_error(self, node, what: str, fix: str) -> ParseError:
        return ParseError(what, where=self._where(node), fix=fix)

    def shape_error(self, node, what: str, fix: str | None = None) -> ShapeError:
        return ShapeError(what, where=self._where(node), fix=fix)

    def limit_error(self, node, field: str, what: str, fix: str) -> ParseError:
        """A limit of the work budget was hit: name the LIMITS row and the text."""
        return ParseError(f"`{_shorten(self._segment(node))}` {what} ({self.limits.describe(field)})",
                          where=self._where(node), fix=fix)

    # -- the work budget --------------------------------------------------------------------
    def degree(self, expr) -> int:
        """Return the total degree of ``expr`` in its symbols, after multiplying exponents."""
        cached = self._degrees.get(expr)
        if cached is None:
            cached = self._degrees[expr] = _degree(expr, self.degree)
        return cached

    def check_degree(self, node, expr):
        if self.degree(expr) > self.limits.max_power_degree:
            raise self.limit_error(node, "max_power_degree",
                                   f"has total degree {self.degree(expr)} after multiplying "
                                   "its exponents", "use smaller or fewer nested powers")
        return expr

    def check_number(self, node, value):
        """Refuse an exact number beyond 10^±number_exponent (its digits could not be printed)."""
        if isinstance(value, sp.Rational):
            bits = max(abs(value.p).bit_length(), value.q.bit_length())
            if bits > (self.limits.max_number_exponent + 1) * _LOG2_10:
                raise self.limit_error(node, "max_number_exponent",
                                       "makes a number with more than "
                                       f"{self.limits.max_number_exponent} digits",
                                       "use numbers between 1e-300 and 1e300")
        return value

    # -- dispatch -------------------------------------------------------------------------
    def build(self, node):
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            kind = type(node).__name__
            raise self.parse_error(node, f"`{self._segment(node)}` uses {kind}, which is not part of "
                                   "the expression language",
                                   "write products with *, powers with ** or ^, transposes with .T, "
                                   "and call only the listed functions (tr, det, inv, exp, ...)")
        return method(node)

    def _Expression(self, node):
        return self.build(node.body)

    def _Constant(self, node):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.parse_error(node, f"`{self._segment(node)}` is not a number or a name",
                                   "use numbers like 2, 0.5 or 1e-3 and the symbols of the problem")
        literal = self._segment(node).replace("_", "")
        if len(literal) > self.limits.max_number_digits:
            raise self.limit_error(node, "max_number_digits", "is too long",
                                   f"write at most {self.limits.max_number_digits} characters")
        self._check_literal_magnitude(node, literal)
        frac = Fraction(literal)  # exact: 0.1 stays 1/10, never a binary float
        return sp.Rational(frac.numerator, frac.denominator)

    def _check_literal_magnitude(self, node, literal: str) -> None:
        """Bound a literal by its value before Fraction builds 10^exponent exactly."""
        match = _DECIMAL.fullmatch(literal)
        if match is None or not (match["int"] or match["frac"]):
            raise self.parse_error(node, f"`{_shorten(literal)}` is not a decimal number",
                                   "write numbers like 2, 0.5 or 1e-3")
        whole, frac = match["int"] or "", match["frac"] or ""
        exponent = int(match["exp"] or 0)
        digits = (whole + frac).lstrip("0")
        if not digits:
            return  # zero
        # the decimal exponent of the leading digit: 123.4e5 -> 7, 0.05 -> -2
        leading = exponent + len(whole.lstrip("0")) - 1 if whole.lstrip("0") else \
            exponent - (len(frac) - len(frac.lstrip("0"))) - 1
        if abs(leading) > self.limits.max_number_exponent:
            raise self.limit_error(node, "max_number_exponent",
                                   f"is about 10^{leading}, beyond 10^±{self.limits.max_number_exponent}",
                                   "use numbers between 1e-300 and 1e300")

    def _Name(self, node):
        name = _ALIASES.get(node.id, node.id)
        if name in self.namespace:
            return self.namespace[name]
        if name in _CONSTANTS:
            return _CONSTANTS[name]
        known = sorted(set(self.namespace) | set(_CONSTANTS))
        note = homoglyph_note(name)
        if note:
            latin = latin_lookalike(name)
            hint = (f"write `{latin}` in Latin letters" if latin in known else
                    f"the known names are {', '.join(known) if known else '(none)'}")
            raise self.parse_error(node, f"unknown name `{name}`: {note}", hint)
        close = difflib.get_close_matches(name, known, n=3)
        hint = f"did you mean {' or '.join(close)}?" if close else \
            f"the known names are {', '.join(known) if known else '(none)'}"
        raise self.parse_error(node, f"unknown name `{name}`", hint)

    def _Attribute(self, node):
        base = self.build(node.value)
        if node.attr == "T":
            return Transpose(base).doit() if is_matrix(base) else base
        if node.attr == "I":
            return self._inverse(node, base)
        raise self.parse_error(node, f"`.{node.attr}` is not allowed",
                               "only .T (transpose) and .I (inverse) are attributes")

    def _UnaryOp(self, node):
        operand = self.build(node.operand)
        if isinstance(node.op, ast.USub):
            return -operand
        if isinstance(node.op, ast.UAdd):
            return operand
        raise self.parse_error(node, f"`{self._segment(node)}` uses a logical operator",
                               "use only + - * / ** in expressions")

    def _BinOp(self, node):
        op = node.op
        if isinstance(op, (ast.Pow, ast.BitXor)):
            return self._power(node)
        left, right = self.build(node.left), self.build(node.right)
        if isinstance(op, (ast.Add, ast.Sub)):
            return self._coefficient_checked(node, self._add(node, left, right,
                                                             negate=isinstance(op, ast.Sub)))
        if isinstance(op, (ast.Mult, ast.MatMult)):
            return self.check_degree(node, self._coefficient_checked(
                node, self._multiply(node, left, right)))
        if isinstance(op, ast.Div):
            return self.check_degree(node, self._coefficient_checked(
                node, self._divide(node, left, right)))
        raise self.parse_error(node, f"the operator in `{self._segment(node)}` is not allowed",
                               "use only + - * / ** (or ^) and @")

    def _Subscript(self, node):
        # X[i, j] is the (i, j) entry with 1-based indices, as the homework writes X_ij.
        matrix = self.build(node.value)
        if not is_matrix(matrix):
            raise self.parse_error(node, f"`{self._segment(node.value)}` is a scalar and has no entries",
                                   "index only matrices, e.g. X[i, j]")
        items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        indices = [self.build(item) for item in items]
        if len(indices) == 1 and (matrix.cols == 1 or matrix.rows == 1):
            indices = [indices[0], 1] if matrix.cols == 1 else [1, indices[0]]
        if len(indices) != 2 or any(is_matrix(i) for i in indices):
            raise self.parse_error(node, f"`{self._segment(node)}` needs two scalar indices",
                                   "write X[i, j] (1-based), or v[i] for a vector")
        indices = [as_sympy(index) for index in indices]
        for index, size, side in zip(indices, matrix.shape, ("row", "column")):
            if index.is_integer is not True:
                raise self.parse_error(node, f"the {side} index `{index}` of "
                                       f"`{self._segment(node)}` is not a whole number",
                                       "indices are integers, sizes or sum indices, from 1")
            if (index - 1).is_negative or (index - as_sympy(size)).is_positive:
                raise self.parse_error(node, f"the {side} index {index} of `{self._segment(node)}` "
                                       f"is outside the {format_shape(matrix)} matrix",
                                       f"{side} indices are 1-based: from 1 to {size}")
        try:
            return matrix[indices[0] - 1, indices[1] - 1]
        except (IndexError, ValueError):
            raise self.parse_error(node, f"the indices ({indices[0]}, {indices[1]}) of "
                                   f"`{self._segment(node)}` may be outside the "
                                   f"{format_shape(matrix)} matrix",
                                   "indices are 1-based: from 1 to the size of each side") from None

    def _Call(self, node):
        if isinstance(node.func, ast.Name) and node.func.id == "sum":
            return self._sum(node)
        if not isinstance(node.func, ast.Name):
            raise self.parse_error(node, f"`{self._segment(node.func)}` cannot be called",
                                   "call a function by its name, e.g. tr(X)")
        if node.keywords:
            raise self.parse_error(node, "keyword arguments are not allowed",
                                   "pass arguments by position")
        name = _ALIASES.get(node.func.id, node.func.id)
        handler = _CALLS.get(name)
        if handler is None:
            close = difflib.get_close_matches(name, list(_CALLS), n=3)
            hint = f"did you mean {' or '.join(close)}?" if close else \
                f"the functions are {', '.join(sorted(_CALLS))}"
            raise self.parse_error(node, f"unknown function `{name}`", hint)
        arity, build = handler
        if arity is not None and len(node.args) not in arity:
            want = " or ".join(str(a) for a in sorted(arity))
            raise self.parse_error(node, f"{name} takes {want} argument(s), got {len(node.args)}",
                                   f"write {name}(...) with {want} argument(s)")
        args = [self.build(arg) for arg in node.args]
        return build(self, node, *args)

    def _sum(self, node):
        """sum(term, (i, 1, n), (j, 1, m)): Σ_{i=1}^{n} Σ_{j=1}^{m} term, indices 1-based."""
        if len(node.args) < 2:
            raise self.parse_error(node, "sum needs a term and at least one range",
                                   "write sum(X[i, j]*M[j, i], (i, 1, n), (j, 1, m))")
        limits, inner = [], dict(self.namespace)
        for rng in node.args[1:]:
            if not (isinstance(rng, ast.Tuple) and len(rng.elts) == 3
                    and isinstance(rng.elts[0], ast.Name)):
                raise self.parse_error(rng, f"`{self._segment(rng)}` is not a range",
                                       "write each range as (i, 1, n)")
            index = sp.Symbol(rng.elts[0].id, integer=True, positive=True)
            bounds = [self._sum_bound(rng, item) for item in rng.elts[1:]]
            inner[rng.elts[0].id] = index
            limits.append((index, *bounds))
        saved, self.namespace = self.namespace, inner
        try:
            term = self.build(node.args[0])
        finally:
            self.namespace = saved
        if is_matrix(term):
            raise self.shape_error(node, "the term of a sum must be a scalar",
                                   "index the matrices, e.g. X[i, j]")
        total = sp.Sum(term, *limits)
        terms = _sum_terms(total)
        if terms > self.limits.max_sum_terms:
            raise self.limit_error(node, "max_sum_terms", f"has {terms} terms",
                                   f"sum over at most {self.limits.max_sum_terms} terms")
        return total

    def _sum_bound(self, rng, item):
        """A summation bound: an integer, or a size (an integer symbol) times at most one more."""
        bound = _as_scalar(self.build(item))
        if is_matrix(bound) or bound.has(MatrixExpr) or bound.is_integer is not True:
            raise self.parse_error(item, f"the bound `{self._segment(item)}` of the range "
                                   f"`{self._segment(rng)}` is not a whole number or a size",
                                   "write each range as (i, 1, n) with integers or sizes")
        if self.degree(bound) > 2 or any(abs(a) > self.limits.max_sum_terms
                                         for a in bound.atoms(sp.Integer)):
            raise self.limit_error(item, "max_sum_terms", "is too large a summation bound",
                                   "sum over sizes such as n, or at most "
                                   f"{self.limits.max_sum_terms} terms")
        return bound

    # -- operations with shape checks -------------------------------------------------------
    def _add(self, node, left, right, *, negate: bool):
        if is_matrix(left) != is_matrix(right):
            matrix = left if is_matrix(left) else right
            if not _is_1x1(matrix):
                raise self.shape_error(
                    node, f"`{self._segment(node)}` adds a scalar to a {format_shape(matrix)} matrix",
                    f"multiply the scalar by OneMatrix{tuple(matrix.shape)} or Identity to make the "
                    "intent explicit")
            left, right = _as_scalar(left), _as_scalar(right)
        elif is_matrix(left) and not (_same(left.rows, right.rows) and _same(left.cols, right.cols)):
            raise self.shape_error(
                node, f"{self._segment(node)} adds shapes {format_shape(left)} and "
                f"{format_shape(right)}, which differ",
                "both terms of a sum must have the same shape")
        return left - right if negate else left + right

    def _multiply(self, node, left, right):
        if is_matrix(left) and is_matrix(right):
            if not _same(left.cols, right.rows):
                raise self.shape_error(
                    node, f"{self._segment(node)} has shapes {format_shape(left)}·{format_shape(right)}, "
                    "which do not compose", self._product_hint(node, left, right))
            return sp.MatMul(left, right).doit(deep=False)
        return left * right

    def _product_hint(self, node, left, right) -> str | None:
        lt, rt = self._segment(node.left), self._segment(node.right)
        if _same(left.cols, right.cols):
            return f"did you mean {lt}*{_toggle_transpose(rt)}?"
        if _same(left.rows, right.rows):
            return f"did you mean {_toggle_transpose(lt)}*{rt}?"
        return "the columns of the left factor must equal the rows of the right factor"

    def _divide(self, node, left, right):
        if is_matrix(right):
            if not _is_1x1(right):
                raise self.shape_error(node, f"`{self._segment(node)}` divides by a "
                                       f"{format_shape(right)} matrix",
                                       "multiply by inv(...) instead of dividing by a matrix")
            right = _as_scalar(right)
        if _is_zero(right):
            raise self.parse_error(node, f"`{self._segment(node)}` divides by zero: "
                                   f"`{self._segment(node.right)}` is 0", "check the denominator")
        return left / right

    def _power(self, node):
        base = self.build(node.left)
        exponent = self.build(node.right)
        if is_matrix(exponent) and not _is_1x1(exponent):
            raise self.shape_error(node, f"`{self._segment(node)}` has a {format_shape(exponent)} "
                                   "matrix as its exponent", "exponents must be scalars")
        exponent = _as_scalar(exponent)
        if is_matrix(exponent) or exponent.has(MatrixExpr):
            raise self.shape_error(node, f"`{self._segment(node)}` has a matrix expression as its "
                                   "exponent", "exponents must be numbers or scalar symbols")
        if not is_matrix(base):
            self._check_exponent(node, exponent)
            if _is_zero(base) and exponent.is_negative:
                raise self.parse_error(node, f"`{self._segment(node)}` divides by zero",
                                       "check the base of the negative power")
            self._check_power_size(node, base, exponent)
            return self.check_number(node, base ** exponent)
        if _is_1x1(base) and not (exponent.is_Integer):
            return _as_scalar(base) ** exponent
        if not (exponent.is_Integer):
            raise self.shape_error(node, f"`{self._segment(node)}` raises a matrix to the power "
                                   f"{exponent}", "matrix powers must be integers; for elementwise "
                                   "powers use hadamard_power(A, p)")
        self._check_exponent(node, exponent)
        self._require_square(node, base, "a matrix power")
        self._check_power_size(node, base, exponent)
        if exponent < 0 and _is_zero(base):
            raise self.parse_error(node, f"`{self._segment(node)}` inverts a zero matrix",
                                   "a zero matrix has no inverse")
        if exponent == -1:
            return Inverse(base)
        return sp.MatPow(base, exponent).doit(deep=False)

    def _check_power_size(self, node, base, exponent):
        """Bound base**exponent before it is built: its digits, or its degree in the symbols."""
        if not exponent.is_Number:
            return
        if base.is_Rational and exponent.is_Integer and abs(base.p) > 1 or base.is_Rational \
                and exponent.is_Integer and base.q > 1:
            bits = max(abs(base.p).bit_length(), base.q.bit_length()) * abs(int(exponent))
            if bits > (self.limits.max_number_exponent + 2) * _LOG2_10:
                raise self.limit_error(node, "max_number_exponent", "makes a number with more "
                                       f"than {self.limits.max_number_exponent} digits",
                                       "use numbers between 1e-300 and 1e300")
        degree = self.degree(base) * abs(exponent)
        if degree > self.limits.max_power_degree:
            raise self.limit_error(node, "max_power_degree",
                                   f"has total degree {math.ceil(degree)} after multiplying its "
                                   "exponents", "use smaller or fewer nested powers")

    def _coefficient_checked(self, node, value):
        """Refuse a product or sum whose exact numeric coefficient grew too large to print."""
        if isinstance(value, sp.Rational):
            return self.check_number(node, value)
        if isinstance(value, (sp.Mul, sp.Add, sp.MatMul, sp.MatAdd)):
            for arg in value.args:
                if isinstance(arg, sp.Rational):
                    self.check_number(node, arg)
        return value

    def _check_exponent(self, node, exponent):
        if exponent.is_Number and abs(exponent) > self.limits.max_power:
            shown = str(exponent) if len(str(exponent)) <= 12 else f"{float(exponent):.3g}"
            raise self.limit_error(node, "max_power", f"has the exponent {shown}",
                                   f"exponents are limited to ±{self.limits.max_power}")

    def _require_square(self, node, matrix, what: str):
        if not _same(matrix.rows, matrix.cols):
            raise self.shape_error(node, f"{what} needs a square matrix, but "
                                   f"{self._segment(node)} is {format_shape(matrix)}",
                                   "transpose or multiply so the matrix is square first")

    def _inverse(self, node, matrix):
        if _is_zero(matrix):
            raise self.parse_error(node, f"`{self._segment(node)}` inverts zero"
                                   + (" (a zero matrix)" if is_matrix(matrix) else ""),
                                   "zero has no inverse")
        if not is_matrix(matrix):
            return 1 / matrix
        self._require_square(node, matrix, "the inverse")
        return Inverse(matrix)

    def _require_matrix(self, node, value, name):
        if not is_matrix(value):
            raise self.shape_error(node, f"{name} needs a matrix argument, got a scalar",
                                   f"pass a matrix to {name}(...)")


def _toggle_transpose(text: str) -> str:
    """``X.T`` -> ``X``; ``X`` -> ``X.T``; a compound ``A*B`` -> ``(A*B).T``."""
    if text.endswith(".T"):
        return text[:-2]
    if re.fullmatch(r"[A-Za-z_]\w*", text) or text.endswith(")"):
        return f"{text}.T"
    return f"({text}).T"


def _trace(b: _Builder, node, m):
    b._require_matrix(node, m, "tr")
    b._require_square(node, m, "the trace")
    return Trace(m)


def _det(b: _Builder, node, m):
    b._require_matrix(node, m, "det")
    b._require_square(node, m, "the determinant")
    return Determinant(m)


def _transpose(b: _Builder, node, m):
    return Transpose(m).doit() if is_matrix(m) else m


def _scalar_function(name):
    function = _SCALAR_FUNCTIONS[name]

    def build(b: _Builder, node, arg):
        if name in ("log", "ln") and _is_zero(arg):
            raise b.parse_error(node, f"`{b._segment(node)}` is the logarithm of zero",
                                "the logarithm is defined for positive values only")
        if is_matrix(arg) and not _is_1x1(arg):
            # Elementwise, as in ML code: sigmoid(X*W) applies σ to every entry.
            t = sp.Dummy("t")
            return arg.applyfunc(sp.Lambda(t, function(t)))
        return function(_as_scalar(arg))

    return build


def _hadamard(b: _Builder, node, *ms):
    for m in ms:
        b._require_matrix(node, m, "hadamard")
    first = ms[0]
    for m in ms[1:]:
        if not (_same(m.rows, first.rows) and _same(m.cols, first.cols)):
            raise b.shape_error(node, f"hadamard needs equal shapes, got {format_shape(first)} "
                                f"and {format_shape(m)}", "both factors must have the same shape")
    return HadamardProduct(*ms)


def _hadamard_power(b: _Builder, node, m, p):
    b._require_matrix(node, m, "hadamard_power")
    p = _as_scalar(p)
    if is_matrix(p) or p.has(MatrixExpr):
        raise b.shape_error(node, f"`{b._segment(node)}` has a matrix as its exponent",
                            "the exponent of hadamard_power(A, p) is a number, e.g. 2")
    b._check_exponent(node, p)
    b._check_power_size(node, m, p)
    return HadamardPower(m, p)


def _kron(b: _Builder, node, *ms):
    for m in ms:
        b._require_matrix(node, m, "kron")
    return KroneckerProduct(*ms)


def _diag(b: _Builder, node, v):
    b._require_matrix(node, v, "diag")
    if not (v.cols == 1 or v.rows == 1):
        raise b.shape_error(node, f"diag needs a vector, got {format_shape(v)}",
                            "pass a column vector v (k×1)")
    return DiagMatrix(v)


def _dimension(b: _Builder, node, value):
    if is_matrix(value) or not (value.is_Integer or value.is_Symbol and value.is_integer):
        raise b.parse_error(node, f"`{b._segment(node)}` needs dimensions (integers or size names "
                            "such as n)", "write e.g. Identity(n) or ZeroMatrix(m, n)")
    cap = LIMITS["model_size"]
    if value.is_Integer and not 1 <= value <= cap.value:
        raise b.parse_error(node, f"`{b._segment(node)}` has the size {value}, which is not from 1 "
                            f"to {cap.value} (the limit {cap.name})", "use a positive size")
    return value


def _identity(b, node, n):
    return Identity(_dimension(b, node, n))


def _zeros(b, node, m, n):
    return ZeroMatrix(_dimension(b, node, m), _dimension(b, node, n))


def _ones(b, node, m, n):
    return OneMatrix(_dimension(b, node, m), _dimension(b, node, n))


def _norm(b: _Builder, node, m):
    b._require_matrix(node, m, "norm")
    # Frobenius norm: ‖A‖_F = sqrt(tr(Aᵀ A)).
    return sp.sqrt(Trace(sp.MatMul(Transpose(m).doit(), m).doit(deep=False)))


_ONE, _TWO, _MANY = {1}, {2}, None
_CALLS: dict[str, tuple[set[int] | None, Callable]] = {
    "tr": (_ONE, _trace), "trace": (_ONE, _trace), "Trace": (_ONE, _trace),
    "det": (_ONE, _det), "Determinant": (_ONE, _det),
    "inv": (_ONE, lambda b, node, m: b._inverse(node, m)),
    "Inverse": (_ONE, lambda b, node, m: b._inverse(node, m)),
    "transpose": (_ONE, _transpose), "Transpose": (_ONE, _transpose),
    "hadamard": (_MANY, _hadamard), "HadamardProduct": (_MANY, _hadamard),
    "hadamard_power": (_TWO, _hadamard_power), "HadamardPower": (_TWO, _hadamard_power),
    "kron": (_MANY, _kron), "KroneckerProduct": (_MANY, _kron),
    "diag": (_ONE, _diag), "DiagMatrix": (_ONE, _diag),
    "Identity": (_ONE, _identity), "ZeroMatrix": (_TWO, _zeros), "OneMatrix": (_TWO, _ones),
    "norm": (_ONE, _norm),
    **{name: (_ONE, _scalar_function(name)) for name in _SCALAR_FUNCTIONS},
}


def _check_size(text: str, where: str, limits: Limits) -> None:
    if not isinstance(text, str):
        raise ParseError(f"expected text, got {type(text).__name__}", where=where,
                         fix="pass the expression as a string")
    if not text.strip():
        raise ParseError("the expression is empty", where=where, fix="write an expression, e.g. 2*X")
    if len(text) > limits.max_length:
        raise ParseError(f"the expression has {len(text)} characters, more than "
                         f"{limits.describe('max_length')}", where=where, fix="shorten it")
    digits = _LONG_DIGITS(limits.max_number_digits).search(text)
    if digits:  # before Python's parser converts it (and trips its 4,300-digit int limit)
        count = sum(ch.isdigit() for ch in digits.group())
        raise ParseError(f"the number `{_shorten(digits.group(), 24)}` has {count} digits "
                         f"({limits.describe('max_number_digits')})", where=where,
                         fix=f"write at most {limits.max_number_digits} digits, or 1e300-style")
    operators = sum(text.count(op) for op in "+-*/@^,")
    if operators > limits.max_nodes // 2:
        raise ParseError(f"the expression has more than {limits.max_nodes} parts "
                         f"({limits.describe('max_nodes')})", where=where, fix="shorten it")
    depth = deepest = 0
    for ch in text:
        depth += ch in "([{"
        depth -= ch in ")]}"
        deepest = max(deepest, depth)
    if deepest > limits.max_depth:
        raise ParseError(f"brackets nest {deepest} deep, more than {limits.describe('max_depth')}",
                         where=where, fix="simplify the expression")


def _check_tree(tree: ast.AST, where: str, limits: Limits) -> None:
    count = 0

    def depth_of(node, level):
        nonlocal count
        count += 1
        if count > limits.max_nodes:
            raise ParseError(f"the expression has more than {limits.max_nodes} parts "
                             f"({limits.describe('max_nodes')})", where=where, fix="shorten it")
        if level > limits.max_depth:
            raise ParseError(f"the expression nests more than {limits.max_depth} levels deep "
                             f"({limits.describe('max_depth')})", where=where, fix="simplify it")
        for child in ast.iter_child_nodes(node):
            depth_of(child, level + 1)

    depth_of(tree, 0)


def parse(text: str, namespace: Mapping[str, object], *, where: str = "expression",
          limits: Limits = DEFAULT_LIMITS):
    """Parse ``text`` into a SymPy expression over the symbols in ``namespace``.

    Parameters
    ----------
    text : str
        The untrusted expression, e.g. ``"X*(a*b.T + b*a.T)"``.  It is never executed.
    namespace : mapping of name -> SymPy object
        The only names the text may use besides the built-in functions and ``e``, ``pi``
        (see :func:`symcheck.expr.symbols_from_shapes`).
    where : str, default "expression"
        Where the text came from, for error messages (a file and key, or a CLI option).
    limits : Limits
        Bounds on length, nesting, node count, exponent size and number length.

    Returns a SymPy expression (a ``MatrixExpr`` or a scalar).  Raises ParseError for text outside
    the language and ShapeError for shapes that do not compose, each naming the column.

    >>> from symcheck.expr import symbols_from_shapes
    >>> parse("tr(M*X)", symbols_from_shapes({"M": ("m", "n"), "X": ("n", "m")}))
    Trace(M*X)
    >>> parse("__import__('os')", {})
    Traceback (most recent call last):
    ...
    symcheck.errors.ParseError: expression at column 1: unknown function `__import__`; the functions are ...
    """
    _check_size(text, where, limits)
    check_characters(text, where=where)
    source, origin = _rewrite(text.strip())
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        col = f" at column {origin[min(exc.offset - 1, len(origin) - 1)] + 1}" if exc.offset else ""
        raise ParseError(f"this is not a well-formed expression ({exc.msg})", where=f"{where}{col}",
                         fix="check brackets and operators; products need an explicit *") from None
    except (RecursionError, MemoryError):
        raise ParseError("the expression is too deeply nested to read", where=where,
                         fix="simplify it") from None
    except ValueError as exc:  # e.g. an integer literal beyond Python's digit limit
        raise ParseError(f"this expression cannot be read ({_shorten(str(exc))})", where=where,
                         fix="use shorter numbers and plain characters") from None
    _check_tree(tree, where, limits)
    builder = _Builder(source, namespace, where, limits, origin)
    try:
        result = builder.build(tree)
    except (ParseError, ShapeError):
        raise
    except (TypeError, ValueError, IndexError, NotImplementedError, sp.SympifyError,
            RecursionError) as exc:
        raise ParseError(f"cannot build this expression: {exc}", where=where,
                         fix="check that each operation suits the shapes of its operands") from None
    if isinstance(result, sp.Basic) and result.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise ParseError("the expression divides by zero or is infinite", where=where,
                         fix="check the denominators and constants")
    if isinstance(result, sp.Basic):
        for number in result.atoms(sp.Rational):
            builder.check_number(tree.body, number)
    return result


def _sum_terms(total) -> int:
    """Return the terms of a Sum whose ranges have fixed widths, nested sums multiplied."""
    own = 1
    for _, low, high in total.limits:
        if (high - low).is_Integer:
            own *= max(int(high - low) + 1, 0)
    inner = [_sum_terms(s) for s in total.function.atoms(sp.Sum)]
    return own * max(inner, default=1)


def _shorten(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def _is_zero(expr) -> bool:
    """Return True when ``expr`` is zero by construction (0, a ZeroMatrix, tr or det of one)."""
    if isinstance(expr, ZeroMatrix):
        return True
    if isinstance(expr, (Trace, Determinant, Transpose)):
        return _is_zero(expr.arg)
    return not is_matrix(expr) and getattr(expr, "is_zero", None) is True


_ADDITIVE = (sp.Add, sp.MatAdd)
_MULTIPLICATIVE = (sp.Mul, sp.MatMul, HadamardProduct, KroneckerProduct)


def _degree(expr, degree_of: Callable) -> int:
    """The total degree in the symbols: products add, sums take the largest, powers multiply.

    Functions (tr, det, exp, log, σ, the inverse) keep the degree of their argument, so
    ``log(det(X**64))`` has degree 64 and ``((X**64)**64)`` degree 4096.
    """
    if isinstance(expr, (sp.Symbol, sp.MatrixSymbol)):
        return 1
    if not isinstance(expr, sp.Basic) or expr.is_Number or not expr.args:
        return 0
    if isinstance(expr, (sp.Pow, sp.MatPow, HadamardPower)):
        base, exponent = expr.args
        scale = abs(exponent) if exponent.is_Number else 1
        return math.ceil(degree_of(base) * scale)
    if isinstance(expr, (MatrixElement, sp.Sum)):
        return degree_of(expr.args[0])
    children = [degree_of(arg) for arg in expr.args]
    if isinstance(expr, _MULTIPLICATIVE):
        return sum(children)
    return max(children)


def _rewrite(text: str) -> tuple[str, list[int]]:
    """Return the text Python's parser reads, and the original column of each of its characters.

    ``lambda`` (a Python keyword) becomes a same-length stand-in; homework notation ``A^T`` is a
    transpose, and any other ``^`` a power, written ``**`` so that Python's precedence applies.
    """
    text = _KEYWORD_NAMES.sub(lambda m: _KEYWORD_STANDINS[m.group(0)], text)
    text = _CARET_T.sub(".T", text)
    source, origin = [], []
    for column, ch in enumerate(text):
        source.append("**" if ch == "^" else ch)
        origin.extend([column] * (2 if ch == "^" else 1))
    origin.append(len(text))
    return "".join(source), origin
