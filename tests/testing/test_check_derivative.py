"""check_derivative proves the homework's closed forms, written as SymPy expressions.

Each closed form is hand-derived (HW4 key; MC = The Matrix Cookbook, Petersen & Pedersen 2012;
backprop as in Goodfellow et al. §6.5), never produced by symcheck.  The default run draws
100 instances per form (30 for Hessians); ``-m slow`` draws 10,000 (2,000 for Hessians).
"""

from __future__ import annotations

import re

import pytest
import sympy as sp
from sympy.matrices.expressions import (
    Determinant,
    HadamardProduct,
    Identity,
    Inverse,
    KroneckerProduct,
    OneMatrix,
    Trace,
)

from symcheck.errors import ShapeError, UsageError
from symcheck.expr import parse, symbols_from_shapes
from symcheck.testing import check_derivative

S = symbols_from_shapes({
    "x": ("m", 1), "a": ("m", 1), "b": ("m", 1), "M": ("m", "m"), "A": ("n", "m"),
    "X": ("n", "m"), "Xs": ("n", "n"), "Ms": ("m", "n"), "Xr": ("n", "m"),
    "u": ("n", 1), "v": ("n", 1), "lam": (),
})
x, a, b, M, A, X, Xs, Ms = (S[k] for k in ("x", "a", "b", "M", "A", "X", "Xs", "Ms"))
u, v, lam, n, m = S["u"], S["v"], S["lam"], S["n"], S["m"]

# Ridge and MLP, written in symcheck's expression language.
RIDGE = symbols_from_shapes({"X": ("N", "d"), "y": ("N", 1), "beta": ("d", 1), "lam": ()})
MLP = symbols_from_shapes({"X": ("N", "d"), "Y": ("N", "o"), "W_h": ("d", "h"), "b_h": (1, "h"),
                           "W_o": ("h", "o"), "b_o": (1, "o")})
H = parse("sigmoid(X*W_h + OneMatrix(N, 1)*b_h)", MLP)
Y_hat = H * MLP["W_o"] + OneMatrix(MLP["N"], 1) * MLP["b_o"]
N = MLP["N"]
MSE = Trace((Y_hat - MLP["Y"]).T * (Y_hat - MLP["Y"])) / N
DELTA_O = (2 / N) * (Y_hat - MLP["Y"])                                     # ∂L/∂Ŷ   (N×o)
DELTA_H = HadamardProduct(DELTA_O * MLP["W_o"].T, H, OneMatrix(N, MLP["h"]) - H)   # δ_h (N×h)

PROOFS = [
    # (id, expr, wrt, closed form, order, assumptions)
    ("hw1.1 J MᵀMx = MᵀM", M.T * M * x, x, M.T * M, 1, ()),
    ("hw1.1 symmetric: J = M²", M.T * M * x, x, M * M, 1, ("M symmetric",)),
    ("hw1.1 H = 0 (each output linear)", a.T * M.T * M * x, x, sp.ZeroMatrix(m, m), 2, ()),
    ("hw1.2 ∇ tr(MX) = Mᵀ", Trace(Ms * X), X, Ms.T, 1, ()),
    ("hw1.2 H = 0", Trace(Ms * X), X, sp.ZeroMatrix(n * m, n * m), 2, ()),
    ("hw1.3 ∇ tr(XXᵀ) = 2X", Trace(X * X.T), X, 2 * X, 1, ()),
    ("hw1.3 H = 2I", Trace(X * X.T), X, 2 * Identity(n * m), 2, ()),
    ("hw1.4 ∇ uᵀAa = uaᵀ", u.T * A * a, A, u * a.T, 1, ()),
    ("hw1.5 ∇ aᵀXᵀXb = X(abᵀ+baᵀ)", a.T * X.T * X * b, X, X * (a * b.T + b * a.T), 1, ()),
    ("hw1.5 H = (abᵀ+baᵀ)⊗I", a.T * X.T * X * b, X, KroneckerProduct(a * b.T + b * a.T, Identity(n)),
     2, ()),
    ("ridge ∇β", parse("(y - X*beta).T*(y - X*beta) + lam*beta.T*beta", RIDGE), RIDGE["beta"],
     parse("2*(X.T*X + lam*Identity(d))*beta - 2*X.T*y", RIDGE), 1, ("lam > 0",)),
    ("ridge H", parse("(y - X*beta).T*(y - X*beta) + lam*beta.T*beta", RIDGE), RIDGE["beta"],
     parse("2*(X.T*X + lam*Identity(d))", RIDGE), 2, ("lam > 0",)),
    ("ridge d/dλ = βᵀβ", parse("(y - X*beta).T*(y - X*beta) + lam*beta.T*beta", RIDGE), RIDGE["lam"],
     parse("beta.T*beta", RIDGE), 1, ()),
    ("mlp ∂/∂W_o = (2/N)Hᵀ(Ŷ−Y)", MSE, MLP["W_o"], H.T * DELTA_O, 1, ()),
    ("mlp ∂/∂b_o = 1ᵀ(2/N)(Ŷ−Y)", MSE, MLP["b_o"], OneMatrix(1, N) * DELTA_O, 1, ()),
    ("mlp ∂/∂W_h = Xᵀδ_h", MSE, MLP["W_h"], MLP["X"].T * DELTA_H, 1, ()),
    ("mlp ∂/∂b_h = 1ᵀδ_h", MSE, MLP["b_h"], OneMatrix(1, N) * DELTA_H, 1, ()),
    ("MC (49) ∇ det X = det(X) X⁻ᵀ", Determinant(Xs), Xs, Determinant(Xs) * Inverse(Xs).T, 1,
     ("Xs invertible",)),
    ("MC (57) ∇ log det X = X⁻ᵀ", sp.log(Determinant(Xs)), Xs, Inverse(Xs).T, 1, ("Xs spd",)),
    ("MC (61) ∇ uᵀX⁻¹v = −X⁻ᵀuvᵀX⁻ᵀ", u.T * Inverse(Xs) * v, Xs,
     -Inverse(Xs).T * u * v.T * Inverse(Xs).T, 1, ("Xs invertible",)),
    ("hadamard ∇ 1ᵀ(A∘X∘X)1 = 2A∘X", OneMatrix(1, n) * HadamardProduct(A, X, X) * OneMatrix(m, 1), X,
     2 * HadamardProduct(A, X), 1, ()),
    ("jacobian vec(AᵀX) = (I⊗Aᵀ)", A.T * X, X, KroneckerProduct(Identity(m), A.T), 1, ()),
]

WRONG = [
    ("hw1.5 missing baᵀ", a.T * X.T * X * b, X, X * a * b.T, 1, ()),
    ("hw1.3 ∇ tr(XXᵀ) = X", Trace(X * X.T), X, X, 1, ()),
    ("hw1.1 non-symmetric M²", M.T * M * x, x, M * M, 1, ()),
    ("mlp factor 2 forgotten", MSE, MLP["W_o"], H.T * (Y_hat - MLP["Y"]) / N, 1, ()),
    ("mlp σ′ = σ", MSE, MLP["W_h"], MLP["X"].T * HadamardProduct(DELTA_O * MLP["W_o"].T, H), 1, ()),
    ("ridge λ without factor 2", parse("(y - X*beta).T*(y - X*beta) + lam*beta.T*beta", RIDGE),
     RIDGE["beta"], parse("2*X.T*X*beta + lam*beta - 2*X.T*y", RIDGE), 1, ("lam > 0",)),
    ("hw1.5 H missing transpose term", a.T * X.T * X * b, X, KroneckerProduct(2 * a * b.T, Identity(n)),
     2, ()),
]


def _ids(table):
    return [row[0] for row in table]


@pytest.mark.parametrize("name, expr, wrt, closed_form, order, assumptions", PROOFS, ids=_ids(PROOFS))
def test_known_closed_forms_are_proved(name, expr, wrt, closed_form, order, assumptions):
    check_derivative(expr, wrt, closed_form, order=order, assumptions=assumptions,
                     examples=30 if order == 2 else None)


@pytest.mark.slow
@pytest.mark.parametrize("name, expr, wrt, closed_form, order, assumptions", PROOFS, ids=_ids(PROOFS))
def test_known_closed_forms_are_proved_on_10000_examples(name, expr, wrt, closed_form, order,
                                                          assumptions):
    # vec-Hessians cost O(n²) evaluations each, so second-order proofs draw 2,000.
    check_derivative(expr, wrt, closed_form, order=order, assumptions=assumptions,
                     examples=2_000 if order == 2 else 10_000)


@pytest.mark.parametrize("name, expr, wrt, closed_form, order, assumptions", WRONG, ids=_ids(WRONG))
def test_wrong_closed_forms_are_caught(name, expr, wrt, closed_form, order, assumptions):
    with pytest.raises(AssertionError, match="does not match the oracle at sizes"):
        check_derivative(expr, wrt, closed_form, order=order, assumptions=assumptions, examples=50)


def test_failure_shows_the_method_and_the_falsifying_sizes():
    with pytest.raises(AssertionError) as info:
        check_derivative(a.T * X.T * X * b, X, X * a * b.T, examples=20)
    text = str(info.value)
    assert "gradient with respect to X" in text and "complex_step, h=1e-150" in text
    assert re.search(r"at sizes m=\d, n=\d: gradient entry \[\d, \d\]: expected", text)


def test_non_analytic_expression_falls_back_and_still_proves():
    # d/dx Σ|x_i|³ = 3 x∘|x|: abs defeats complex step; central differences take over.
    cube = parse("hadamard(abs(x), hadamard(x, x))", symbols_from_shapes({"x": ("m", 1)}))
    xs = cube.atoms(sp.MatrixSymbol).pop()
    expr = OneMatrix(1, xs.shape[0]) * cube
    closed = parse("3*hadamard(x, abs(x))", {"x": xs})
    check_derivative(expr, xs, closed, examples=30)


BAD = [
    (lambda: check_derivative("a.T*x", x, a), UsageError, "expr='a.T\\*x' is not a SymPy expression"),
    (lambda: check_derivative(a.T * x, "x", a), UsageError, "wrt='x' is not a symbol"),
    (lambda: check_derivative(a.T * x, X, a), UsageError, "wrt=X does not occur in expr"),
    (lambda: check_derivative(a.T * x, x, a, order=3), UsageError, "order=3 is not 1 or 2"),
    (lambda: check_derivative(M * x, x, M, order=2), UsageError, "order=2 needs a scalar expr"),
    (lambda: check_derivative(a.T * x, x, a, examples=0), UsageError, "examples=0 is not a positive"),
    (lambda: check_derivative(a.T * x, x, a, method="fast"), UsageError, "method='fast'"),
    (lambda: check_derivative(a.T * x, x, a.T), ShapeError,
     r"closed_form has shape \(1, m\), but the gradient .* has shape \(m, 1\)"),
    (lambda: check_derivative(M * x, x, M.T * M * x), ShapeError, "Jacobian of expr"),
    (lambda: check_derivative(Trace(X * X.T), X, 2 * X, order=2), ShapeError, "vec-Hessian"),
    (lambda: check_derivative(a.T * x, x, a, assumptions=("a round",)), UsageError,
     "cannot read the assumption .a round."),
]


@pytest.mark.parametrize("call, error, message", BAD)
def test_bad_calls_raise_before_drawing(call, error, message):
    with pytest.raises(error, match=message):
        call()
