"""Machine-learning identities: losses, activations and layers, each against a NumPy formula
from the literature and against central differences."""

import numpy as np
import pytest
import sympy as sp
from sympy import DiagMatrix, HadamardPower, HadamardProduct, MatrixSymbol, OneMatrix, Trace

from symcheck.calculus import apply_elementwise, derive
from symcheck.expr import sigmoid

from calculus_numeric import check_against_differences

n, p, k = sp.symbols("n p k", integer=True, positive=True)
X, Y, B = MatrixSymbol("X", n, p), MatrixSymbol("Y", n, k), MatrixSymbol("B", n, k)
W = MatrixSymbol("W", p, k)
w, a = MatrixSymbol("w", p, 1), MatrixSymbol("a", p, 1)
y = MatrixSymbol("y", n, 1)
A = MatrixSymbol("A", p, p)
S = MatrixSymbol("S", p, p)
t = sp.Dummy("t")
LOGISTIC = sp.Lambda(t, 1 / (1 + sp.exp(-t)))
ones_n = OneMatrix(1, n)
sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731


def mm(*args):
    return sp.MatMul(*args).doit(deep=False)


ML = [
    ("logistic regression: d[1ᵀlog(1 + e^{Xw}) − yᵀXw]/dw = Xᵀ(σ(Xw) − y)",
     Trace(mm(ones_n, apply_elementwise(sp.log, sp.MatAdd(OneMatrix(n, 1), apply_elementwise(sp.exp, mm(X, w))))))
     - Trace(mm(y.T, X, w)), w, lambda v: v["X"].T @ (sig(v["X"] @ v["w"]) - v["y"]), 1, None),
    ("logistic as Lambda(t, 1/(1+e^{-t})): d 1ᵀσ(Xw)/dw = Xᵀ(σ∘(1−σ))",
     Trace(mm(ones_n, mm(X, w).applyfunc(LOGISTIC))), w,
     lambda v: v["X"].T @ (sig(v["X"] @ v["w"]) * (1 - sig(v["X"] @ v["w"]))), 1, None),
    ("least squares: d‖XW − Y‖²_F/dW = 2Xᵀ(XW − Y)", Trace(mm((X * W - Y).T, (X * W - Y))), W,
     lambda v: 2 * v["X"].T @ (v["X"] @ v["W"] - v["Y"]), 1, None),
    ("tanh layer: d tr(Bᵀ tanh(XW))/dW = Xᵀ(B∘(1 − tanh²(XW)))",
     Trace(mm(B.T, apply_elementwise(sp.tanh, mm(X, W)))), W,
     lambda v: v["X"].T @ (v["B"] * (1 - np.tanh(v["X"] @ v["W"]) ** 2)), 1, None),
    ("sigmoid layer: d tr(Bᵀ σ(XW))/dW = Xᵀ(B∘σ∘(1 − σ))",
     Trace(mm(B.T, apply_elementwise(sigmoid, mm(X, W)))), W,
     lambda v: v["X"].T @ (v["B"] * sig(v["X"] @ v["W"]) * (1 - sig(v["X"] @ v["W"]))), 1, None),
    ("exp layer: d tr(Bᵀ exp(XW))/dW = Xᵀ(B∘exp(XW))",
     Trace(mm(B.T, apply_elementwise(sp.exp, mm(X, W)))), W,
     lambda v: v["X"].T @ (v["B"] * np.exp(v["X"] @ v["W"])), 1, None),
    ("log layer: d tr(Bᵀ log(W∘W + 1))/dW = 2 B∘W/(W∘W + 1)",
     Trace(mm(MatrixSymbol("C", p, k).T, apply_elementwise(sp.log, sp.MatAdd(HadamardProduct(W, W), OneMatrix(p, k))))),
     W, lambda v: 2 * v["C"] * v["W"] / (v["W"] ** 2 + 1), 1, None),
    ("Hadamard: d tr(Aᵀ(W∘W))/dW = 2 C∘W", Trace(mm(MatrixSymbol("C", p, k).T, HadamardProduct(W, W))), W,
     lambda v: 2 * v["C"] * v["W"], 1, None),
    ("Hadamard power: d 1ᵀ(w^∘3)/dw = 3 w^∘2", Trace(mm(OneMatrix(1, p), HadamardPower(w, 3))), w,
     lambda v: 3 * v["w"] ** 2, 1, None),
    ("diag: d wᵀdiag(a)w/da = w∘w", mm(w.T, DiagMatrix(a), w), a, lambda v: v["w"] ** 2, 1, None),
    ("exp of a scalar: d exp(aᵀw)/dw = exp(aᵀw) a", sp.exp(Trace(mm(a.T, w))), w,
     lambda v: np.exp(v["a"].T @ v["w"]) * v["a"], 1, None),
    ("square of a scalar: d² (aᵀw)² = 2aaᵀ", Trace(mm(a.T, w)) ** 2, w, lambda v: 2 * v["a"] @ v["a"].T, 2, None),
    ("abs of a scalar: d |aᵀw|/dw = sign(aᵀw) a", sp.Abs(Trace(mm(a.T, w))), w,
     lambda v: np.sign(v["a"].T @ v["w"]) * v["a"], 1, None),
    ("sqrt of a quadratic form: d sqrt(wᵀSw)/dw = Sw/sqrt(wᵀSw), S symmetric",
     sp.sqrt(Trace(mm(w.T, S, w))), w, lambda v: v["S"] @ v["w"] / np.sqrt(v["w"].T @ v["S"] @ v["w"]), 1,
     {"S": "spd"}),
    ("Gaussian log-likelihood in the precision: d[log det S − wᵀSw]/dS = S⁻ᵀ − wwᵀ",
     sp.log(sp.Determinant(S)) - Trace(mm(w.T, S, w)), S,
     lambda v: np.linalg.inv(v["S"]).T - v["w"] @ v["w"].T, 1, {"S": "spd"}),
    ("ridge Hessian: d² (‖y − Xw‖² + λ‖w‖²) = 2(XᵀX + λI)",
     Trace(mm((y - X * w).T, y - X * w)) + sp.Symbol("lambda") * Trace(mm(w.T, w)), w,
     lambda v: 2 * (v["X"].T @ v["X"] + v["lambda"] * np.eye(len(v["w"]))), 2, None),
    ("Rayleigh quotient: d(wᵀAw/wᵀw)/dw = ((A + Aᵀ)w − 2ρw)/wᵀw",
     Trace(mm(w.T, A, w)) / Trace(mm(w.T, w)), w,
     lambda v: ((v["A"] + v["A"].T) @ v["w"] - 2 * (v["w"].T @ v["A"] @ v["w"]) / (v["w"].T @ v["w"])
                * v["w"]) / (v["w"].T @ v["w"]), 1, None),
    ("cube of a 1×1 matrix: d(aᵀw)³/dw = 3(aᵀw)²a", sp.MatPow(mm(a.T, w), 3), w,
     lambda v: 3 * (v["a"].T @ v["w"]) ** 2 * v["a"], 1, None),
    ("mixed product: d tr((A⊗S)(C⊗A))/dA, (A⊗B)(C⊗D) = AC⊗BD",
     Trace(mm(sp.KroneckerProduct(A, S), sp.KroneckerProduct(MatrixSymbol("C", p, p), A))), A,
     lambda v: np.trace(v["S"] @ v["A"]) * v["C"].T + np.trace(v["A"] @ v["C"]) * v["S"].T, 1, None),
    ("numerator layout: d(Bx)/dx = B, not Bᵀ", mm(MatrixSymbol("M", k, p), w), w, lambda v: v["M"], 1, None),
]


@pytest.mark.parametrize("name, f, wrt, known, order, kinds", ML, ids=[c[0] for c in ML])
def test_ml_identities(name, f, wrt, known, order, kinds):
    result = derive(f, wrt, order)
    check_against_differences(result, f, wrt, expected=known, kinds=kinds)


def test_the_logistic_lambda_is_recognised_as_sigmoid():
    f = Trace(mm(ones_n, mm(X, w).applyfunc(LOGISTIC)))
    assert derive(f, w).expr == derive(Trace(mm(ones_n, mm(X, w).applyfunc(sigmoid))), w).expr
    assert "sigma" in derive(f, w).latex()
