"""The differential d f of a matrix expression in the direction dX, rule by rule.

Each rule sits in its own small function, registered for its SymPy type, with the identity it
uses (Matrix Cookbook, Petersen & Pedersen 2012, eqs. (33)–(45)).  The result is an
unevaluated expression that is linear in the differential symbol dX:

>>> import sympy as sp
>>> X = sp.MatrixSymbol("X", 3, 3)
>>> dX = differential_symbol(X)
>>> differential(sp.Trace(X.T * X), X, dX)
Trace(dX.T*X + X.T*dX)
>>> differential(sp.log(sp.Determinant(X)), X, dX)
Trace(X**(-1)*dX)
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions import (
    Determinant,
    DiagMatrix,
    HadamardPower,
    HadamardProduct,
    Identity,
    Inverse,
    KroneckerProduct,
    MatAdd,
    MatMul,
    MatPow,
    MatrixSymbol,
    OneMatrix,
    Trace,
    Transpose,
    ZeroMatrix,
)
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.diagonal import DiagonalOf

from symcheck.calculus._budget import check_count, checkpoint, differential_terms
from symcheck.calculus._elementwise import elementwise_derivative
from symcheck.calculus._transpose import mat_add, mat_mul, transpose
from symcheck.calculus._vec import Vec, kronecker
from symcheck.errors import DerivationError

__all__ = ["DifferentialSymbol", "differential_symbol", "differential", "RULES"]


class DifferentialSymbol(MatrixSymbol):
    """The differential dX of a matrix variable X: a matrix symbol that prints as d X."""


def differential_symbol(variable: MatrixSymbol) -> DifferentialSymbol:
    """Return the differential symbol dX with the shape of ``variable``."""
    return DifferentialSymbol(f"d{variable.name}", *variable.shape)


# The identities, by name, as derivation steps cite them: (text, LaTeX).
RULES = {
    "sum": ("d(A + B) = dA + dB", r"\mathrm{d}(A+B)=\mathrm{d}A+\mathrm{d}B"),
    "product": ("d(AB) = dA B + A dB", r"\mathrm{d}(AB)=\mathrm{d}A\,B+A\,\mathrm{d}B"),
    "transpose": ("d(Aᵀ) = (dA)ᵀ", r"\mathrm{d}(A^{\top})=(\mathrm{d}A)^{\top}"),
    "inverse": ("d(X⁻¹) = −X⁻¹ dX X⁻¹", r"\mathrm{d}(X^{-1})=-X^{-1}\,\mathrm{d}X\,X^{-1}"),
    "power": ("d(Xᵏ) = Σ Xⁱ dX Xᵏ⁻¹⁻ⁱ", r"\mathrm{d}(X^{k})=\sum_i X^{i}\,\mathrm{d}X\,X^{k-1-i}"),
    "trace": ("d tr(A) = tr(dA)", r"\mathrm{d}\operatorname{tr}A=\operatorname{tr}\mathrm{d}A"),
    "det": ("d det(X) = det(X) tr(X⁻¹ dX)",
            r"\mathrm{d}\det X=\det X\operatorname{tr}(X^{-1}\mathrm{d}X)"),
    "logdet": ("d log det(X) = tr(X⁻¹ dX)",
               r"\mathrm{d}\log\det X=\operatorname{tr}(X^{-1}\mathrm{d}X)"),
    "hadamard": ("d(A∘B) = dA∘B + A∘dB",
                 r"\mathrm{d}(A\circ B)=\mathrm{d}A\circ B+A\circ\mathrm{d}B"),
    "hadamard_power": ("d(A^∘p) = p A^∘(p−1) ∘ dA",
                       r"\mathrm{d}(A^{\circ p})=p\,A^{\circ(p-1)}\circ\mathrm{d}A"),
    "kronecker": ("d(A⊗B) = dA⊗B + A⊗dB",
                  r"\mathrm{d}(A\otimes B)=\mathrm{d}A\otimes B+A\otimes\mathrm{d}B"),
    "diag": ("d diag(v) = diag(dv)", r"\mathrm{d}\operatorname{diag}v=\operatorname{diag}\mathrm{d}v"),
    "elementwise": ("d f(A) = f'(A) ∘ dA", r"\mathrm{d}f(A)=f'(A)\circ\mathrm{d}A"),
    "chain": ("d g(u) = g'(u) du", r"\mathrm{d}g(u)=g'(u)\,\mathrm{d}u"),
}


class _Differentiator:
    """Compute differentials by recursion, remembering shared subexpressions."""

    def __init__(self, variable, d_variable):
        self.variable = variable
        self.d_variable = d_variable
        self.memo: dict = {}
        self.used: list[str] = []

    def use(self, rule: str) -> None:
        if rule not in self.used:
            self.used.append(rule)

    def __call__(self, expr):
        """Return d(expr), or None when expr does not depend on the variable."""
        if not expr.has(self.variable):
            return None
        checkpoint("differentiating")  # the work budget
        if expr not in self.memo:
            rule = _find_rule(expr)
            if rule is None:
                raise DerivationError(
                    f"cannot differentiate {type(expr).__name__} `{expr}`",
                    where="derive", fix="use products, sums, powers, transposes, inverses, tr, det, "
                    "hadamard, kron, diag and exp/log/tanh/sigmoid (elementwise or of scalars)")
            self.memo[expr] = rule(self, expr)
        return self.memo[expr]


_RULE_TABLE: list[tuple[type, object]] = []


def _rule(*types):
    def register(function):
        _RULE_TABLE.append((types, function))
        return function
    return register


def _find_rule(expr):
    for types, function in _RULE_TABLE:
        if isinstance(expr, types):
            return function
    return None


def _sum(terms, matrix: bool):
    terms = [t for t in terms if t is not None]
    if not terms:
        return None
    return mat_add(*terms) if matrix else sp.Add(*terms)


# --- matrices ------------------------------------------------------------------------------

@_rule(MatrixSymbol)
def _d_symbol(d, expr):
    return d.d_variable if expr == d.variable else None


@_rule(MatAdd)
def _d_add(d, expr):  # d(A + B) = dA + dB
    d.use("sum")
    return _sum([d(arg) for arg in expr.args], matrix=True)


@_rule(MatMul)
def _d_mul(d, expr):  # d(c A B) = dc A B + c dA B + c A dB
    coeff, factors = expr.as_coeff_matrices()
    if len(factors) > 1:
        d.use("product")
    terms = []
    d_coeff = d(coeff)
    if d_coeff is not None:
        terms.append(mat_mul(d_coeff, *factors))
    for i, factor in enumerate(factors):
        d_factor = d(factor)
        if d_factor is not None:
            terms.append(mat_mul(coeff, *factors[:i], d_factor, *factors[i + 1:]))
    return _sum(terms, matrix=True)


@_rule(Transpose)
def _d_transpose(d, expr):  # d(Aᵀ) = (dA)ᵀ
    d.use("transpose")
    inner = d(expr.arg)
    return None if inner is None else transpose(inner)


@_rule(Inverse)
def _d_inverse(d, expr):  # d(A⁻¹) = −A⁻¹ dA A⁻¹        (Cookbook (40))
    d.use("inverse")
    inner = d(expr.arg)
    return None if inner is None else mat_mul(-1, expr, inner, expr)


@_rule(MatPow)
def _d_power(d, expr):  # d(Aᵏ) = Σ_{i<k} Aⁱ dA A^(k−1−i); A⁻ᵏ = (Aᵏ)⁻¹
    base, k = expr.base, expr.exp
    if not (k.is_Integer):
        raise DerivationError(f"cannot differentiate the matrix power `{expr}` with exponent {k}",
                              where="derive", fix="matrix powers must be integers")
    if k < 0:
        return d(Inverse(MatPow(base, -k).doit(deep=False)))
    d.use("power")
    inner = d(base)
    if inner is None:
        return None
    k = int(k)
    return mat_add(*[mat_mul(_pow(base, i), inner, _pow(base, k - 1 - i)) for i in range(k)])


def _pow(base, k):
    return Identity(base.rows) if k == 0 else (base if k == 1 else MatPow(base, k))


def _leibniz(d, args, build):
    """Return Σᵢ build(A₁, …, dAᵢ, …, Aₖ): the product rule for any product that is linear in
    each factor."""
    terms = []
    for i, arg in enumerate(args):
        inner = d(arg)
        if inner is not None:
            terms.append(build(*args[:i], inner, *args[i + 1:]))
    return _sum(terms, matrix=True)


@_rule(HadamardProduct)
def _d_hadamard(d, expr):  # d(A∘B) = dA∘B + A∘dB         (Cookbook (38))
    d.use("hadamard")
    return _leibniz(d, expr.args, HadamardProduct)


@_rule(HadamardPower)
def _d_hadamard_power(d, expr):  # d(A^∘p) = p A^∘(p−1) ∘ dA
    base, p = expr.base, expr.exp
    if p.has(d.variable):
        raise DerivationError(f"cannot differentiate `{expr}`: the exponent depends on the variable",
                              where="derive", fix="write the power with a constant exponent")
    d.use("hadamard_power")
    inner = d(base)
    if inner is None:
        return None
    if p == 1:
        return inner
    lower = base if p == 2 else HadamardPower(base, p - 1)
    return mat_mul(p, HadamardProduct(lower, inner))


@_rule(KroneckerProduct)
def _d_kronecker(d, expr):  # d(A⊗B) = dA⊗B + A⊗dB         (Cookbook (39))
    d.use("kronecker")
    return _leibniz(d, expr.args, kronecker)


@_rule(DiagMatrix)
def _d_diag(d, expr):  # d diag(v) = diag(dv)
    d.use("diag")
    inner = d(expr.args[0])
    return None if inner is None else DiagMatrix(inner)


@_rule(DiagonalOf)
def _d_diagonal_of(d, expr):  # the diagonal is linear
    inner = d(expr.arg)
    return None if inner is None else DiagonalOf(inner)


@_rule(Vec)
def _d_vec(d, expr):  # vec is linear
    inner = d(expr.arg)
    return None if inner is None else Vec(inner)


@_rule(ElementwiseApplyFunction)
def _d_elementwise(d, expr):  # d f(A) = f'(A) ∘ dA
    d.use("elementwise")
    inner = d(expr.expr)
    return None if inner is None else HadamardProduct(elementwise_derivative(expr), inner)


@_rule(Identity, ZeroMatrix, OneMatrix)
def _d_constant_matrix(d, expr):
    return None


# --- scalars -------------------------------------------------------------------------------

@_rule(Trace)
def _d_trace(d, expr):  # d tr(A) = tr(dA)                (Cookbook (36))
    d.use("trace")
    inner = d(expr.arg)
    return None if inner is None else Trace(inner)


@_rule(Determinant)
def _d_det(d, expr):  # d det(X) = det(X) tr(X⁻¹ dX)    (Cookbook (42))
    d.use("det")
    inner = d(expr.arg)
    return None if inner is None else expr * Trace(mat_mul(Inverse(expr.arg), inner))


@_rule(sp.Add)
def _d_scalar_add(d, expr):
    return _sum([d(arg) for arg in expr.args], matrix=False)


@_rule(sp.Mul)
def _d_scalar_mul(d, expr):  # d(uv) = du v + u dv
    args = expr.args
    terms = []
    for i, arg in enumerate(args):
        inner = d(arg)
        if inner is not None:
            terms.append(sp.Mul(*args[:i], inner, *args[i + 1:]))
    return _sum(terms, matrix=False)


@_rule(sp.Pow)
def _d_scalar_pow(d, expr):  # d(uᵖ) = p u^(p−1) du;  d(bᵘ) = bᵘ log(b) du
    d.use("chain")
    base, p = expr.base, expr.exp
    d_base, d_p = d(base), d(p)
    terms = []
    if d_base is not None:
        terms.append(p * base ** (p - 1) * d_base)
    if d_p is not None:
        terms.append(expr * sp.log(base) * d_p)
    return _sum(terms, matrix=False)


@_rule(sp.log)
def _d_log(d, expr):  # d log u = du / u;  d log det X = tr(X⁻¹ dX);  d log|u| = du / u
    arg = expr.args[0]
    if isinstance(arg, sp.Abs):
        arg = arg.args[0]
    if isinstance(arg, Determinant):
        d.use("logdet")
        inner = d(arg.arg)
        return None if inner is None else Trace(mat_mul(Inverse(arg.arg), inner))
    d.use("chain")
    inner = d(arg)
    return None if inner is None else inner / arg


@_rule(sp.Function)
def _d_function(d, expr):  # d g(u) = g'(u) du
    if len(expr.args) != 1:
        return None
    d.use("chain")
    arg = expr.args[0]
    inner = d(arg)
    if inner is None:
        return None
    t = sp.Dummy("t", real=True)
    derivative = sp.diff(expr.func(t), t)
    if derivative.has(sp.Derivative, sp.Subs):
        raise DerivationError(f"cannot differentiate the function `{expr.func}`", where="derive",
                              fix="use exp, log, sqrt, tanh, sigmoid, Abs or powers")
    return derivative.subs(t, arg) * inner


def differential(expr, variable, d_variable, *, rules_used: list | None = None):
    """Return d(expr) in the direction ``d_variable``: linear in it, zero as a typed zero.

    ``rules_used``, when given, receives the names of the rules applied (keys of RULES).
    Raises DerivationError for an expression it has no rule for, naming the subexpression.
    """
    check_count(differential_terms(expr, variable), "the differential", limit_name="derivation_terms")
    differentiator = _Differentiator(variable, d_variable)
    result = differentiator(expr)
    if rules_used is not None:
        rules_used.extend(differentiator.used)
    if result is None:
        return ZeroMatrix(*expr.shape) if expr.is_Matrix else sp.S.Zero
    return result
