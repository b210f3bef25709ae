"""The stationary point of an objective whose gradient is affine in the variable.

∇f = A x − c = 0 has the solution x = A⁻¹ c when A is invertible; for ridge regression
A = 2(XᵀX + λI) is positive definite whenever λ > 0, because XᵀX is positive semidefinite.

>>> import sympy as sp
>>> n, p = sp.symbols("n p", integer=True, positive=True)
>>> X, y, beta = sp.MatrixSymbol("X", n, p), sp.MatrixSymbol("y", n, 1), sp.MatrixSymbol("beta", p, 1)
>>> lam = sp.Symbol("lambda", real=True)
>>> point = stationary_point((y - X*beta).T*(y - X*beta) + lam*beta.T*beta, beta, ["lambda > 0"])
>>> point.expr
(lambda*I + X.T*X)**(-1)*X.T*y
>>> point.conditions
('lambda > 0 (assumed), so lambda*I + X.T*X is positive definite and invertible',)
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp
from sympy.matrices.expressions import Identity, Inverse, MatAdd, MatMul

from symcheck.calculus._derive import derive
from symcheck.calculus._printing import latex as to_latex
from symcheck.calculus._result import Derivation, Step
from symcheck.calculus._simplify import _collect, _pull_common_coefficient, expand_terms, simplify_matrix
from symcheck.calculus._transpose import mat_add, mat_mul, transpose
from symcheck.errors import DerivationError

__all__ = ["StationaryPoint", "stationary_point"]


@dataclass(frozen=True)
class StationaryPoint:
    """The solution of ∇f = 0: ``expr``, the ``conditions`` it needs, and the steps."""

    expr: sp.Basic
    conditions: tuple[str, ...]
    gradient: Derivation
    steps: tuple[Step, ...]

    def latex(self) -> str:
        """Return the solution as a LaTeX equation body."""
        return f"{to_latex(self.gradient.variable)} = {to_latex(self.expr)}"

    def as_derivation(self) -> Derivation:
        """Return the solution as a :class:`Derivation` of kind "solution" (text, LaTeX, JSON)."""
        from dataclasses import replace

        convention = ("the stationary point: the solution of ∇f = 0, where ∇f has the shape of "
                      f"{self.gradient.variable.name}; " + "; ".join(self.conditions))
        return replace(self.gradient, expr=self.expr, kind="solution", steps=self.steps,
                       convention=convention, tensor_shape=tuple(self.expr.shape))


def stationary_point(f, wrt, assumptions=()) -> StationaryPoint:
    """Return the point where the gradient of ``f`` vanishes, when that gradient is affine in wrt.

    Parameters: ``f`` a scalar expression, ``wrt`` a MatrixSymbol (usually a vector),
    ``assumptions`` as for :func:`derive`.  Raises DerivationError when ∇f is not affine in wrt.
    """
    gradient = derive(f, wrt, 1, assumptions)
    slope, offset = _affine_parts(gradient.expr, wrt)
    scale, core = _split_scale(slope)
    rhs = simplify_matrix(mat_mul(-1 / scale, offset), wrt)
    solution = mat_mul(Inverse(core), rhs)
    steps = list(gradient.steps) + [
        Step(f"∂f/∂{wrt.name}", r"\nabla f", mat_add(mat_mul(slope, wrt), offset), "affine in the variable",
             r"\text{affine in the variable}"),
        Step("0", "0", mat_add(mat_mul(core, wrt), transpose(transpose(mat_mul(-1, rhs)))),
             f"set the gradient to zero and divide by {scale}", r"\nabla f = 0"),
        Step(wrt.name, to_latex(wrt), solution, "multiply by the inverse",
             rf"\text{{multiply by }} \left({to_latex(core)}\right)^{{-1}}"),
    ]
    conditions = (_invertibility(core, gradient.assumptions),)
    return StationaryPoint(solution, conditions, gradient, tuple(steps))


def _affine_parts(gradient, wrt):
    """Return (A, c) with gradient = A·wrt + c, or raise if it is not affine."""
    slope_terms, offset_terms = [], []
    for coeff, factors in _collect(expand_terms(gradient, wrt)):
        if factors and factors[-1] == wrt and not coeff.has(wrt) \
                and not any(f.has(wrt) for f in factors[:-1]):
            slope_terms.append(mat_mul(coeff, *factors[:-1]) if factors[:-1]
                               else mat_mul(coeff, Identity(wrt.rows)))
        elif coeff.has(wrt) or any(f.has(wrt) for f in factors):
            raise DerivationError(f"the gradient {gradient} is not affine in {wrt.name}",
                                  where="stationary_point",
                                  fix="solve ∇f = 0 numerically; only quadratic objectives are solved here")
        else:
            offset_terms.append(mat_mul(coeff, *factors))
    if not slope_terms:
        raise DerivationError(f"the gradient {gradient} does not depend on {wrt.name}",
                              where="stationary_point", fix="the objective has no stationary point")
    slope = simplify_matrix(mat_add(*slope_terms), wrt)
    offset = mat_add(*offset_terms) if offset_terms else mat_mul(0, wrt)
    return slope, offset


def _split_scale(slope):
    """Return (s, A) with slope = s·A and the common scalar s pulled out of A."""
    scale, terms = _pull_common_coefficient(_collect(expand_terms(slope)))
    return scale, simplify_matrix(mat_add(*[mat_mul(c, *f) if f else mat_mul(c, Identity(slope.rows))
                                            for c, f in terms]))


def _invertibility(core, assumptions) -> str:
    """Say when ``core`` is invertible: a Gram part PᵀP plus a positive multiple of I."""
    terms = core.args if isinstance(core, MatAdd) else (core,)
    shifts, grams, others = [], [], []
    for term in terms:
        coeff, factors = term.as_coeff_matrices() if isinstance(term, MatMul) else (1, [term])
        if len(factors) == 1 and isinstance(factors[0], Identity):
            shifts.append(coeff)
        elif len(factors) == 2 and factors[0] == transpose(factors[1]) and coeff.is_positive is not False:
            grams.append(term)
        else:
            others.append(term)
    if shifts and not others:
        shift = sp.Add(*shifts)
        if shift.is_positive:
            return f"{core} is positive definite, hence invertible"
        assumed = shift.is_Symbol and f"{shift} > 0" in assumptions
        return (f"{shift} > 0{' (assumed)' if assumed else ''}, so {core} is positive definite "
                "and invertible")
    return f"{core} is invertible"
