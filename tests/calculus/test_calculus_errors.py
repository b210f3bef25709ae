"""What derive refuses: each refusal is a DerivationError or UsageError that says what and why,
never a silent zero or a half-converted array expression."""

import pytest
import sympy as sp
from sympy import KroneckerProduct, MatrixSymbol, Trace

from symcheck.calculus import derive, stationary_point
from symcheck.errors import DerivationError, UsageError

n = sp.Symbol("n", integer=True, positive=True)
X, A = MatrixSymbol("X", n, n), MatrixSymbol("A", n, n)
a, b, x = (MatrixSymbol(s, n, 1) for s in "abx")
N2 = n**2
a2, b2 = MatrixSymbol("a", N2, 1), MatrixSymbol("b", N2, 1)

CANNOT = [
    ("an entry of the variable", X[0, 0] * Trace(X), X, "cannot differentiate MatrixElement"),
    ("a function with no rule", sp.Max(Trace(X), 0), X, "cannot differentiate Max"),
    ("a bilinear form through a Kronecker product", sp.MatMul(a2.T, KroneckerProduct(X, X), b2), X,
     "Kronecker"),
    ("the Jacobian of diag(x)", sp.DiagMatrix(x), x, "cannot write vec"),
    ("a matrix power with a symbolic exponent", Trace(sp.MatPow(X, sp.Symbol("k"))), X,
     "matrix power"),
]


@pytest.mark.parametrize("case, f, wrt, message", CANNOT, ids=[c[0] for c in CANNOT])
def test_what_cannot_be_derived_is_refused_with_a_reason(case, f, wrt, message):
    with pytest.raises(DerivationError, match=message) as info:
        derive(f, wrt)
    assert info.value.what and info.value.fix


MISUSE = [
    ("wrt is a scalar", dict(f=Trace(X), wrt=sp.Symbol("t")), "is not a MatrixSymbol"),
    ("order 3", dict(f=Trace(X), wrt=X, order=3), "order=3"),
    ("not SymPy", dict(f="tr(X)", wrt=X), "is not a SymPy expression"),
    ("unknown assumption", dict(f=Trace(X), wrt=X, assumptions=["X is blue"]), "cannot read"),
    ("assumption on an unknown name", dict(f=Trace(X), wrt=X, assumptions=["Z symmetric"]),
     "not a symbol of the function"),
]


@pytest.mark.parametrize("case, kwargs, message", MISUSE, ids=[c[0] for c in MISUSE])
def test_misuse_is_a_usage_error(case, kwargs, message):
    with pytest.raises(UsageError, match=message):
        derive(**kwargs)


def test_a_constant_function_has_a_zero_gradient_that_says_so():
    result = derive(Trace(A), X)
    assert result.is_zero and isinstance(result.expr, sp.ZeroMatrix)
    assert result.convention.startswith("zero:")


def test_stationary_point_refuses_a_non_affine_gradient():
    with pytest.raises(DerivationError, match="not affine"):
        stationary_point(sp.log(Trace(x.T * x)), x)
