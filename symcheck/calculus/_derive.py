"""derive: first and second derivatives of matrix functions, by the differential method.

For a scalar f the differential df is brought to tr(Gᵀ dX) and the gradient is G.  For order 2
the gradient is differentiated again, giving the linear map dX ↦ H[dX] = d(∂f/∂X), which is
vectorised (vec(A dX B) = (Bᵀ⊗A) vec dX) into the vec-Hessian.  A matrix-valued f gets its
Jacobian ∂vec f/∂vec(X)ᵀ in numerator layout the same way.
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions import MatrixSymbol, Trace, Transpose, ZeroMatrix
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

from symcheck.calculus._adjoint import gradient_terms
from symcheck.calculus._assumptions import Assumptions, read_assumptions
from symcheck.calculus._budget import check_size, work_budget
from symcheck.calculus._cache import memoized
from symcheck.calculus._differential import RULES, DifferentialSymbol, differential
from symcheck.calculus._elementwise import canonical_function
from symcheck.calculus._printing import latex as to_latex
from symcheck.calculus._result import Derivation, Step
from symcheck.calculus._rewrite import rewrite
from symcheck.expr import as_sympy
from symcheck.calculus._simplify import count_nodes, expand, simplify_matrix, simplify_scalar
from symcheck.calculus._sympy_speed import sympy_shortcuts
from symcheck.calculus._transpose import mat_add, mat_mul, push_transposes, transpose
from symcheck.calculus._vec import vec
from symcheck.calculus._vectorize import jacobian_matrix, jacobian_terms
from symcheck.errors import UsageError

__all__ = ["derive"]


def derive(f, wrt, order: int = 1, assumptions=()) -> Derivation:
    """Return the derivative of ``f`` with respect to ``wrt`` in closed form, with its steps.

    Parameters
    ----------
    f : SymPy expression
        A scalar (or 1×1) or matrix-valued expression of MatrixSymbols: products, sums, integer
        powers, transposes, inverses, Trace, Determinant, HadamardProduct/Power,
        KroneckerProduct, DiagMatrix, elementwise exp/log/tanh/sigmoid (``A.applyfunc(f)``) and
        scalar functions of traces and determinants.
    wrt : MatrixSymbol
        The variable X (m×n); a vector is an m×1 MatrixSymbol.
    order : int, default 1
        1 or 2.
    assumptions : iterable of str or SymPy facts, default ()
        "M symmetric", "M invertible", "lambda > 0", or ``Q.symmetric(M)``.

    Returns a :class:`Derivation`: ``.expr`` is the gradient (shape of X), the Jacobian
    ∂vec f/∂vec(X)ᵀ (numerator layout), or for order 2 of a scalar the vec-Hessian (mn×mn, with
    Kronecker products) and ``.linear_map`` dX ↦ H[dX]; ``.convention`` says which in words.
    Raises DerivationError for what it cannot differentiate, never a silent zero.

    >>> import sympy as sp
    >>> a, b = sp.MatrixSymbol("a", 3, 1), sp.MatrixSymbol("b", 3, 1)
    >>> X = sp.MatrixSymbol("X", 4, 3)
    >>> derive(a.T*X.T*X*b, X).expr
    X*(a*b.T + b*a.T)
    >>> derive(a.T*X.T*X*b, X, 2).linear_map
    dX*(a*b.T + b*a.T)
    """
    _validate(f, wrt, order)
    return memoized((f, wrt, order, tuple(assumptions)),
                    lambda: _derive_once(f, wrt, order, assumptions))


def _derive_once(f, wrt, order, assumptions) -> Derivation:
    facts = read_assumptions(assumptions, _symbols_of(f) | {wrt})
    with work_budget(f"the derivative of order {order} by {wrt.name}"), sympy_shortcuts():
        return _Derivation(f, wrt, order, facts).run()


def _validate(f, wrt, order) -> None:
    if not isinstance(f, sp.Basic):
        raise UsageError(f"f={f!r} is not a SymPy expression", where="derive",
                         fix="build f from MatrixSymbols, or parse text with symcheck.parse")
    if not isinstance(wrt, MatrixSymbol) or isinstance(wrt, DifferentialSymbol):
        raise UsageError(f"wrt={wrt!r} is not a MatrixSymbol", where="derive",
                         fix="differentiate by a MatrixSymbol; declare a scalar variable as 1×1")
    if order not in (1, 2) or isinstance(order, bool):
        raise UsageError(f"order={order!r} is not supported", where="derive", fix="use order=1 or 2")


def _symbols_of(expr) -> set:
    return set(expr.atoms(MatrixSymbol)) | {s for s in expr.free_symbols if isinstance(s, sp.Symbol)}


def _dims(shape) -> list:
    return [d for d in shape if d != 1]


def _fmt(shape) -> str:
    return "×".join(str(d) if d.is_Atom else f"({d})" for d in map(as_sympy, shape)) if shape else "1"


class _Derivation:
    """One derivation in progress: the context (variable, assumptions) and the steps so far."""

    def __init__(self, f, wrt, order: int, facts: Assumptions):
        self.f, self.wrt, self.order, self.facts = f, wrt, order, facts
        self.dX = self._differential_symbol(f, wrt)
        symmetric = [s for s in _symbols_of(f) if isinstance(s, MatrixSymbol)
                     and s.name in facts.symmetric]
        self.symmetric = {Transpose(s): s for s in symmetric if s != wrt}
        self.symmetric_wrt = wrt.name in facts.symmetric
        self.steps: list[Step] = []

    @staticmethod
    def _differential_symbol(f, wrt) -> DifferentialSymbol:
        taken = {s.name for s in f.atoms(MatrixSymbol)}
        name = f"d{wrt.name}"
        while name in taken:
            name = "d" + name
        return DifferentialSymbol(name, *wrt.shape)

    # -- helpers ---------------------------------------------------------------------------
    def add(self, quantity, quantity_latex, expr, why="", why_latex="") -> None:
        check_size(expr, f"the step {quantity} = ...")  # the work budget
        self.steps.append(Step(quantity, quantity_latex, expr, why, why_latex))

    def add_rules(self, quantity, quantity_latex, expr, rules) -> None:
        if not rules:  # nothing depends on the variable
            self.add(quantity, quantity_latex, expr, "dA = 0 for A constant",
                     r"\mathrm{d}A = 0 \text{ for } A \text{ constant}")
            return
        why = "; ".join(RULES[r][0] for r in rules)
        why_latex = r"\text{by } " + r",\ ".join(RULES[r][1] for r in rules)
        self.add(quantity, quantity_latex, expr, why, why_latex)

    def clean(self, expr, variable):
        """Return expr with symmetric symbols folded, in clean matrix notation."""
        expr = push_transposes(expr).xreplace(self.symmetric)
        expr = expr.replace(lambda e: isinstance(e, ElementwiseApplyFunction), _canonical_elementwise)
        if expr.is_Matrix:
            return simplify_matrix(expr, variable)
        return simplify_scalar(expr, variable)

    def prepare(self, f):
        """Return f with known elementwise functions named and symmetric symbols folded."""
        prepared = f.replace(lambda e: isinstance(e, ElementwiseApplyFunction), _canonical_elementwise)
        if prepared != f:
            self.add("f", "f", prepared, "elementwise functions: f(Aᵀ) = f(A)ᵀ",
                     r"\text{elementwise } g(A^{\top}) = g(A)^{\top}")
        rewritten = rewrite(prepared)
        if rewritten != prepared:
            prepared = rewritten
            self.add("f", "f", prepared, "(aᵀx)ᵏ = tr(aᵀx)ᵏ; (A⊗B)(C⊗D) = AC⊗BD; tr(A⊗B) = tr A tr B",
                     r"(A\otimes B)(C\otimes D) = AC\otimes BD,\ "
                     r"\operatorname{tr}(A\otimes B) = \operatorname{tr}A\operatorname{tr}B")
        if self.symmetric:
            folded = push_transposes(prepared).xreplace(self.symmetric)
            if folded != prepared:
                prepared = self.clean(folded, None) if folded.is_Matrix else folded
                names = ", ".join(f"{s.name} = {s.name}ᵀ" for s in self.symmetric.values())
                names_latex = r",\ ".join(f"{to_latex(s)} = {to_latex(s)}^{{\\top}}"
                                          for s in self.symmetric.values())
                self.add("f", "f", prepared, f"assumption {names}",
                         rf"\text{{assuming }} {names_latex}")
        return prepared

    def convention_zero(self, kind_text: str, shape) -> str:
        tensor = self.tensor_shape(shape)
        return (f"zero: {kind_text} is the zero tensor of order {len(tensor)} and shape "
                f"{_fmt(tensor)}")

    def tensor_shape(self, function_shape) -> tuple:
        return tuple(_dims(function_shape) + _dims(self.wrt.shape) * self.order)

    def result(self, expr, kind, convention, *, zero=False, linear_map=None, function_shape=()):
        return Derivation(function=self.f, variable=self.wrt, order=self.order, expr=expr,
                          kind=kind, convention=convention, steps=tuple(self.steps),
                          differential=self.dX, tensor_shape=self.tensor_shape(function_shape),
                          is_zero=zero, linear_map=linear_map,
                          assumptions=tuple(self.facts.describe()))

    # -- the derivation ----------------------------------------------------------------------
    def run(self) -> Derivation:
        self.add("f", "f", self.f, "the function", r"\text{the function}")
        f = self.prepare(self.f)
        scalar = not f.is_Matrix or f.shape == (1, 1)
        if scalar:
            gradient = self.gradient(f)
            return self.hessian(gradient) if self.order == 2 else self.gradient_result(gradient)
        jacobian = self.jacobian(f, "f", "f")
        if self.order == 1:
            return self.jacobian_result(jacobian, f.shape)
        return self.second_of_matrix(jacobian, f.shape)

    def gradient(self, f):
        """Append the steps df → tr(Gᵀ dX) → G and return G."""
        X, dX = self.wrt, self.dX
        rules: list[str] = []
        df = differential(f, X, dX, rules_used=rules)
        self.add_rules("df", r"\mathrm{d}f", df, rules)
        parts = [self.clean(g, X) for g in gradient_terms(df, dX)] if df != 0 else []
        if len(parts) > 1:
            self.add("df", r"\mathrm{d}f", sp.Add(*[_frobenius(g, dX) for g in parts]),
                     "tr(ABC) = tr(CAB), tr(Aᵀ) = tr(A), tr(Cᵀ(A∘M)) = tr((C∘A)ᵀM)",
                     r"\text{cyclic trace, } \operatorname{tr}(A^{\top}) = \operatorname{tr}(A),\ "
                     r"\operatorname{tr}(C^{\top}(A\circ M)) = \operatorname{tr}((C\circ A)^{\top}M)")
        gradient = self.clean(mat_add(*parts), X) if parts else ZeroMatrix(*X.shape)
        if self.symmetric_wrt:
            gradient = self.clean(push_transposes(gradient).xreplace({Transpose(X): X}), X)
        self.add("df", r"\mathrm{d}f", _frobenius(gradient, dX),
                 "collect terms: df = tr(Gᵀ dX)", r"\text{collect terms}")
        self.add(f"∂f/∂{X.name}", rf"\frac{{\partial f}}{{\partial {to_latex(X)}}}", gradient,
                 "read off G from df = tr(Gᵀ dX)",
                 r"\mathrm{d}f = \operatorname{tr}(G^{\top}\mathrm{d}X) \iff \tfrac{\partial f}{\partial X} = G")
        return gradient

    def gradient_result(self, gradient) -> Derivation:
        X = self.wrt
        note = (f" (evaluated where {X.name} = {X.name}ᵀ; entries treated as independent)"
                if self.symmetric_wrt else "")
        if isinstance(gradient, ZeroMatrix):
            return self.result(gradient, "gradient", self.convention_zero("the gradient", ()) + note,
                               zero=True)
        convention = (f"gradient: ∂f/∂{X.name} has the shape of {X.name} ({_fmt(X.shape)}), "
                      f"df = tr((∂f/∂{X.name})ᵀ d{X.name}){note}")
        return self.result(gradient, "gradient", convention)

    def linear_map(self, quantity, quantity_latex, expr):
        """Append d(expr) raw and collected in dX; return the collected linear map."""
        rules: list[str] = []
        raw = differential(expr, self.wrt, self.dX, rules_used=rules)
        self.add_rules(quantity, quantity_latex, raw, rules)
        collected = self.clean(raw, self.dX)
        if collected != raw:
            self.add(quantity, quantity_latex, collected, "collect terms in the differential",
                     r"\text{collect terms}")
        return collected

    def vectorise(self, linear, quantity, quantity_latex):
        """Append vec(L[dX]) = Σ Jᵢ vec(dX) = J vec(dX) and return J."""
        dX = self.dX
        vec_dX = vec(dX)
        linear = expand(linear, dX)
        terms = jacobian_terms(linear, dX)
        vec_q, vec_q_latex = f"vec({quantity})", rf"\operatorname{{vec}}\left({quantity_latex}\right)"
        if len(terms) > 1:
            self.add(vec_q, vec_q_latex, mat_add(*[mat_mul(t, vec_dX) for t in terms]),
                     "vec(A dX B) = (Bᵀ⊗A) vec(dX), vec(dXᵀ) = K vec(dX)",
                     r"\operatorname{vec}(A\,\mathrm{d}X\,B) = (B^{\top}\otimes A)\operatorname{vec}"
                     r"\mathrm{d}X")
        matrix = jacobian_matrix(linear, dX, variable=self.wrt)
        matrix = self.clean_kronecker(matrix)
        self.add(vec_q, vec_q_latex, mat_mul(matrix, vec_dX),
                 "vec(A dX B) = (Bᵀ⊗A) vec(dX); A⊗C + B⊗C = (A + B)⊗C",
                 r"\operatorname{vec}(A\,\mathrm{d}X\,B) = (B^{\top}\otimes A)\operatorname{vec}"
                 r"\mathrm{d}X")
        return matrix

    def clean_kronecker(self, matrix):
        folded = push_transposes(matrix).xreplace(self.symmetric)
        if self.symmetric_wrt:
            folded = folded.xreplace({Transpose(self.wrt): self.wrt})
        return folded

    def hessian(self, gradient) -> Derivation:
        X = self.wrt
        name, name_latex = f"d(∂f/∂{X.name})", rf"\mathrm{{d}}\frac{{\partial f}}{{\partial {to_latex(X)}}}"
        linear = self.linear_map(name, name_latex, gradient)
        mn = X.rows * X.cols
        if isinstance(linear, ZeroMatrix) or linear == 0:
            zero = ZeroMatrix(mn, mn)
            self.add("∂²f", r"\partial^2 f", zero, "the gradient does not depend on the variable",
                     r"\text{the gradient is constant}")
            return self.result(zero, "hessian", self.convention_zero("the second derivative", ())
                               + f"; as a vec-Hessian the ({_fmt((mn, mn))}) zero matrix",
                               zero=True, linear_map=ZeroMatrix(*X.shape))
        hessian = self.vectorise(linear, name, name_latex)
        x_tex = to_latex(X)
        self.add(f"∂²f/∂vec({X.name})∂vec({X.name})ᵀ", rf"\frac{{\partial^2 f}}{{\partial \operatorname{{vec}}{x_tex}\,\partial "
                 rf"\operatorname{{vec}}{x_tex}^{{\top}}}}", hessian, "read off H from vec(dG) = H vec(dX)",
                 r"\operatorname{vec}(\mathrm{d}G) = H\operatorname{vec}(\mathrm{d}X)")
        convention = (f"vec-Hessian ∂²f/∂vec({X.name})∂vec({X.name})ᵀ ({_fmt((mn, mn))}), "
                      f"column-major vec; linear map d{X.name} ↦ H[d{X.name}] = d(∂f/∂{X.name}), "
                      f"with vec(H[d{X.name}]) = (vec-Hessian) vec(d{X.name})")
        return self.result(hessian, "hessian", convention, linear_map=linear)

    def jacobian(self, f, quantity, quantity_latex):
        linear = self.linear_map(f"d{quantity}", rf"\mathrm{{d}}{quantity_latex}", f)
        if isinstance(linear, ZeroMatrix):
            return ZeroMatrix(f.rows * f.cols, self.wrt.rows * self.wrt.cols)
        matrix = self.vectorise(linear, f"d{quantity}", rf"\mathrm{{d}}{quantity_latex}")
        self.add("J", "J", matrix, "read off J from vec(df) = J vec(dX)",
                 r"\operatorname{vec}(\mathrm{d}f) = J\operatorname{vec}(\mathrm{d}X)")
        return matrix

    def jacobian_result(self, jacobian, shape) -> Derivation:
        X = self.wrt
        rows, cols = shape[0] * shape[1], X.rows * X.cols
        if isinstance(jacobian, ZeroMatrix):
            return self.result(jacobian, "jacobian", self.convention_zero("the Jacobian", shape),
                               zero=True, function_shape=shape)
        convention = (f"Jacobian in numerator layout: ∂vec(f)/∂vec({X.name})ᵀ ({_fmt((rows, cols))}), "
                      f"rows = vec(f), columns = vec({X.name}), column-major vec")
        return self.result(jacobian, "jacobian", convention, function_shape=shape)

    def second_of_matrix(self, jacobian, shape) -> Derivation:
        X = self.wrt
        name, name_latex = "dJ", r"\mathrm{d}J"
        linear = (ZeroMatrix(*jacobian.shape) if isinstance(jacobian, ZeroMatrix)
                  else self.linear_map(name, name_latex, jacobian))
        if isinstance(linear, ZeroMatrix):
            zero = ZeroMatrix(jacobian.rows * X.rows * X.cols, X.rows * X.cols)
            self.add("∂²f", r"\partial^2 f", zero, "the Jacobian does not depend on the variable",
                     r"\text{the Jacobian is constant}")
            convention = (self.convention_zero("the second derivative", shape)
                          + f"; written as ∂vec(J)/∂vec({X.name})ᵀ it is the "
                          f"({_fmt(zero.shape)}) zero matrix")
            return self.result(zero, "second derivative", convention, zero=True,
                               linear_map=ZeroMatrix(*jacobian.shape), function_shape=shape)
        convention = (f"second derivative of a matrix function as the linear map d{X.name} ↦ dJ, "
                      f"the differential of the numerator-layout Jacobian J = ∂vec(f)/∂vec({X.name})ᵀ")
        return self.result(linear, "second derivative", convention, linear_map=linear,
                           function_shape=shape)


def _canonical_elementwise(expr):
    """Return f(A) with the argument written with the fewest transposes: f(Aᵀ) → f(A)ᵀ."""
    function = canonical_function(expr.function)
    plain = ElementwiseApplyFunction(function, expr.expr)
    flipped = push_transposes(Transpose(expr.expr))
    if count_nodes(flipped, Transpose) < count_nodes(expr.expr, Transpose):
        return Transpose(ElementwiseApplyFunction(function, flipped))
    return plain


def _frobenius(gradient, d_variable):
    """Return tr(Gᵀ dX), the canonical form of a linear scalar."""
    return Trace(mat_mul(transpose(gradient), d_variable))
