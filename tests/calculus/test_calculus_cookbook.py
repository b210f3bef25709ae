"""Matrix Cookbook identities (Petersen & Pedersen, version of November 15, 2012).

Each case cites its equation, states the book's closed form as an independent NumPy formula,
and checks symcheck's derivative against that formula and against central differences.
Second derivatives are checked against central differences of the book's gradient.
"""

import numpy as np
import pytest
import sympy as sp
from sympy import Determinant, Inverse, KroneckerProduct, MatrixSymbol, Trace

from symcheck.calculus import apply_elementwise, derive
from symcheck.expr import sigmoid

from calculus_numeric import check_against_differences

n, m, k = sp.symbols("n m k", integer=True, positive=True)
p, q = sp.symbols("p q", integer=True, positive=True)
Xtall = MatrixSymbol("X", p, q)         # tall X (p > q), so XᵀX is invertible
FIXED = {p: 5, q: 3}
X = MatrixSymbol("X", n, n)
Xr = MatrixSymbol("X", n, m)           # rectangular X
A, B, C, D = (MatrixSymbol(s, n, n) for s in "ABCD")
a, b, c, d, x = (MatrixSymbol(s, n, 1) for s in "abcdx")
bm, cm = MatrixSymbol("b", m, 1), MatrixSymbol("c", m, 1)
Bm = MatrixSymbol("B", m, m)
inv, det, T = np.linalg.inv, np.linalg.det, np.transpose


def kron(*ms):
    out = ms[0]
    for mm in ms[1:]:
        out = np.kron(out, mm)
    return out


def commutation(p, q):
    K = np.zeros((p * q, p * q))
    for i in range(p):
        for j in range(q):
            K[j + q * i, i + p * j] = 1.0
    return K


WELL = {"X": "wellcond"}


def _kron_jacobian(C, size, *, left_constant):
    """∂vec(C⊗X)/∂vec(X)ᵀ (or of X⊗C), column by column from the definition of ⊗."""
    cols = []
    for j in range(size * size):
        E = np.zeros(size * size)
        E[j] = 1.0
        E = E.reshape(size, size, order="F")
        cols.append((np.kron(C, E) if left_constant else np.kron(E, C)).reshape(-1, order="F"))
    return np.stack(cols, axis=1)

# (equation, f, wrt, book's closed form of the gradient or Jacobian, value kinds)
FIRST_ORDER = [
    ("(69) d(xᵀa)/dx = a", x.T * a, x, lambda v: v["a"], None),
    ("(69) d(aᵀx)/dx = a", a.T * x, x, lambda v: v["a"], None),
    ("(70) d(aᵀXb)/dX = abᵀ", a.T * Xr * bm, Xr, lambda v: v["a"] @ v["b"].T, None),
    ("(71) d(aᵀXᵀb)/dX = baᵀ", a.T * X.T * b, X, lambda v: v["b"] @ v["a"].T, None),
    ("(72) d(aᵀXa)/dX = aaᵀ", a.T * X * a, X, lambda v: v["a"] @ v["a"].T, None),
    ("(72) d(aᵀXᵀa)/dX = aaᵀ", a.T * X.T * a, X, lambda v: v["a"] @ v["a"].T, None),
    ("(77) d(bᵀXᵀXc)/dX = X(bcᵀ + cbᵀ)", bm.T * Xr.T * Xr * cm, Xr,
     lambda v: v["X"] @ (v["b"] @ v["c"].T + v["c"] @ v["b"].T), None),
    ("(78) d((Bx+b)ᵀC(Dx+d))/dx = BᵀC(Dx+d) + DᵀCᵀ(Bx+b)", (B * x + b).T * C * (D * x + d), x,
     lambda v: v["B"].T @ v["C"] @ (v["D"] @ v["x"] + v["d"])
     + v["D"].T @ v["C"].T @ (v["B"] @ v["x"] + v["b"]), None),
    ("(81) d(xᵀBx)/dx = (B + Bᵀ)x", x.T * B * x, x, lambda v: (v["B"] + v["B"].T) @ v["x"], None),
    ("(82) d(bᵀXᵀDXc)/dX = DᵀXbcᵀ + DXcbᵀ", b.T * X.T * D * X * c, X,
     lambda v: v["D"].T @ v["X"] @ v["b"] @ v["c"].T + v["D"] @ v["X"] @ v["c"] @ v["b"].T, None),
    ("(83) d((Xb+c)ᵀD(Xb+c))/dX = (D + Dᵀ)(Xb + c)bᵀ", (X * b + c).T * D * (X * b + c), X,
     lambda v: (v["D"] + v["D"].T) @ (v["X"] @ v["b"] + v["c"]) @ v["b"].T, None),
    ("(99) d tr(X)/dX = I", Trace(X), X, lambda v: np.eye(len(v["X"])), None),
    ("(100) d tr(XA)/dX = Aᵀ", Trace(X * A), X, lambda v: v["A"].T, None),
    ("(101) d tr(AXB)/dX = AᵀBᵀ", Trace(A * X * B), X, lambda v: v["A"].T @ v["B"].T, None),
    ("(102) d tr(AXᵀB)/dX = BA", Trace(A * X.T * B), X, lambda v: v["B"] @ v["A"], None),
    ("(103) d tr(XᵀA)/dX = A", Trace(X.T * A), X, lambda v: v["A"], None),
    ("(104) d tr(AXᵀ)/dX = A", Trace(A * X.T), X, lambda v: v["A"], None),
    ("(105) d tr(A⊗X)/dX = tr(A) I", Trace(KroneckerProduct(A, X)), X,
     lambda v: np.trace(v["A"]) * np.eye(len(v["X"])), None),
    ("(106) d tr(X²)/dX = 2Xᵀ", Trace(X**2), X, lambda v: 2 * v["X"].T, None),
    ("(107) d tr(X²B)/dX = (XB + BX)ᵀ", Trace(X**2 * B), X,
     lambda v: (v["X"] @ v["B"] + v["B"] @ v["X"]).T, None),
    ("(108) d tr(XᵀBX)/dX = BX + BᵀX", Trace(X.T * B * X), X,
     lambda v: v["B"] @ v["X"] + v["B"].T @ v["X"], None),
    ("(109) d tr(BXXᵀ)/dX = BX + BᵀX", Trace(B * X * X.T), X,
     lambda v: v["B"] @ v["X"] + v["B"].T @ v["X"], None),
    ("(110) d tr(XXᵀB)/dX = BX + BᵀX", Trace(X * X.T * B), X,
     lambda v: v["B"] @ v["X"] + v["B"].T @ v["X"], None),
    ("(111) d tr(XBXᵀ)/dX = XBᵀ + XB", Trace(X * B * X.T), X,
     lambda v: v["X"] @ v["B"].T + v["X"] @ v["B"], None),
    ("(112) d tr(BXᵀX)/dX = XBᵀ + XB", Trace(B * X.T * X), X,
     lambda v: v["X"] @ v["B"].T + v["X"] @ v["B"], None),
    ("(113) d tr(XᵀXB)/dX = XBᵀ + XB", Trace(X.T * X * B), X,
     lambda v: v["X"] @ v["B"].T + v["X"] @ v["B"], None),
    ("(114) d tr(AXBX)/dX = AᵀXᵀBᵀ + BᵀXᵀAᵀ", Trace(A * X * B * X), X,
     lambda v: v["A"].T @ v["X"].T @ v["B"].T + v["B"].T @ v["X"].T @ v["A"].T, None),
    ("(115) d tr(XᵀX)/dX = 2X", Trace(Xr.T * Xr), Xr, lambda v: 2 * v["X"], None),
    ("(115) d tr(XXᵀ)/dX = 2X", Trace(Xr * Xr.T), Xr, lambda v: 2 * v["X"], None),
    ("(116) d tr(BᵀXᵀCXB)/dX = CᵀXBBᵀ + CXBBᵀ", Trace(B.T * X.T * C * X * B), X,
     lambda v: v["C"].T @ v["X"] @ v["B"] @ v["B"].T + v["C"] @ v["X"] @ v["B"] @ v["B"].T, None),
    ("(117) d tr(XᵀBXC)/dX = BXC + BᵀXCᵀ", Trace(X.T * B * X * C), X,
     lambda v: v["B"] @ v["X"] @ v["C"] + v["B"].T @ v["X"] @ v["C"].T, None),
    ("(118) d tr(AXBXᵀC)/dX = AᵀCᵀXBᵀ + CAXB", Trace(A * X * B * X.T * C), X,
     lambda v: v["A"].T @ v["C"].T @ v["X"] @ v["B"].T + v["C"] @ v["A"] @ v["X"] @ v["B"], None),
    ("(119) d tr((AXB+C)(AXB+C)ᵀ)/dX = 2Aᵀ(AXB+C)Bᵀ", Trace((A * X * B + C) * (A * X * B + C).T), X,
     lambda v: 2 * v["A"].T @ (v["A"] @ v["X"] @ v["B"] + v["C"]) @ v["B"].T, None),
    ("(120) d tr(X⊗X)/dX = 2 tr(X) I", Trace(KroneckerProduct(X, X)), X,
     lambda v: 2 * np.trace(v["X"]) * np.eye(len(v["X"])), None),
    ("(121) d tr(X³)/dX = 3(X²)ᵀ", Trace(X**3), X, lambda v: 3 * (v["X"] @ v["X"]).T, None),
    ("(123) d tr(BᵀXᵀCXXᵀCXB)/dX", Trace(B.T * X.T * C * X * X.T * C * X * B), X,
     lambda v: (v["C"] @ v["X"] @ v["X"].T @ v["C"] @ v["X"] @ v["B"] @ v["B"].T
                + v["C"].T @ v["X"] @ v["B"] @ v["B"].T @ v["X"].T @ v["C"].T @ v["X"]
                + v["C"] @ v["X"] @ v["B"] @ v["B"].T @ v["X"].T @ v["C"] @ v["X"]
                + v["C"].T @ v["X"] @ v["X"].T @ v["C"].T @ v["X"] @ v["B"] @ v["B"].T), None),
    ("(124) d tr(AX⁻¹B)/dX = −X⁻ᵀAᵀBᵀX⁻ᵀ", Trace(A * Inverse(X) * B), X,
     lambda v: -inv(v["X"]).T @ v["A"].T @ v["B"].T @ inv(v["X"]).T, WELL),
    ("(49) d det(X)/dX = det(X) X⁻ᵀ", Determinant(X), X, lambda v: det(v["X"]) * inv(v["X"]).T, WELL),
    ("(51) d det(AXB)/dX = det(AXB) X⁻ᵀ", Determinant(A * X * B), X,
     lambda v: det(v["A"] @ v["X"] @ v["B"]) * inv(v["X"]).T, {"X": "wellcond", "A": "wellcond",
                                                                "B": "wellcond"}),
    ("(57) d log|det X|/dX = X⁻ᵀ", sp.log(sp.Abs(Determinant(X))), X, lambda v: inv(v["X"]).T, None),
    ("(43) d log det X = tr(X⁻¹dX): d log det X/dX = X⁻ᵀ", sp.log(Determinant(X)), X,
     lambda v: inv(v["X"]).T, WELL),
    ("(55) d log det(XᵀX)/dX = 2(X⁺)ᵀ", sp.log(Determinant(Xtall.T * Xtall)), Xtall,
     lambda v: 2 * np.linalg.pinv(v["X"]).T, None),
    ("(58) d det(Xᵏ)/dX = k det(Xᵏ) X⁻ᵀ, k = 3", Determinant(X**3), X,
     lambda v: 3 * det(np.linalg.matrix_power(v["X"], 3)) * inv(v["X"]).T, WELL),
    ("(61) d(aᵀX⁻¹b)/dX = −X⁻ᵀabᵀX⁻ᵀ", a.T * Inverse(X) * b, X,
     lambda v: -inv(v["X"]).T @ v["a"] @ v["b"].T @ inv(v["X"]).T, WELL),
    ("(62) d det(X⁻¹)/dX = −det(X⁻¹) X⁻ᵀ", Determinant(Inverse(X)), X,
     lambda v: -det(inv(v["X"])) * inv(v["X"]).T, WELL),
    ("(63) d tr(AX⁻¹B)/dX = −(X⁻¹BAX⁻¹)ᵀ", Trace(A * Inverse(X) * B), X,
     lambda v: -(inv(v["X"]) @ v["B"] @ v["A"] @ inv(v["X"])).T, WELL),
    ("(64) d tr((X+A)⁻¹)/dX = −((X+A)⁻¹(X+A)⁻¹)ᵀ", Trace(Inverse(X + A)), X,
     lambda v: -(inv(v["X"] + v["A"]) @ inv(v["X"] + v["A"])).T, {"X": "wellcond", "A": "wellcond"}),
    ("(125) d tr((XᵀCX)⁻¹A)/dX, C, A symmetric", Trace(Inverse(X.T * C * X) * A), X,
     lambda v: -(v["C"] @ v["X"] @ inv(v["X"].T @ v["C"] @ v["X"]) @ (v["A"] + v["A"].T)
                 @ inv(v["X"].T @ v["C"] @ v["X"])), {"X": "wellcond", "C": "spd", "A": "symmetric"}),
    ("(126) d tr((XᵀCX)⁻¹(XᵀBX))/dX, B, C symmetric",
     Trace(Inverse(X.T * C * X) * (X.T * B * X)), X,
     lambda v: (-2 * v["C"] @ v["X"] @ inv(v["X"].T @ v["C"] @ v["X"]) @ v["X"].T @ v["B"] @ v["X"]
                @ inv(v["X"].T @ v["C"] @ v["X"]) + 2 * v["B"] @ v["X"] @ inv(v["X"].T @ v["C"] @ v["X"])),
     {"X": "wellcond", "C": "spd", "B": "symmetric"}),
    ("(129) d‖x − a‖₂/dx = (x − a)/‖x − a‖₂", sp.sqrt(Trace((x - a).T * (x - a))), x,
     lambda v: (v["x"] - v["a"]) / np.linalg.norm(v["x"] - v["a"]), None),
    ("(131) d‖x‖₂²/dx = 2x", Trace(x.T * x), x, lambda v: 2 * v["x"], None),
    ("(132) d‖X‖_F²/dX = 2X", Trace(Xr * Xr.T), Xr, lambda v: 2 * v["X"], None),
]


@pytest.mark.parametrize("equation, f, wrt, book, kinds", FIRST_ORDER, ids=[c[0] for c in FIRST_ORDER])
def test_first_order_matches_the_cookbook(equation, f, wrt, book, kinds):
    result = derive(f, wrt)
    assert result.kind == "gradient" and result.shape == tuple(wrt.shape)
    check_against_differences(result, f, wrt, kinds=kinds, expected=book, sizes=FIXED)


def _vec_hessian_of(gradient):
    """The book's gradient (NumPy) differentiated by central differences: the oracle Hessian."""
    def oracle(v):
        Xv = v["X"] if "X" in v else v["x"]
        key = "X" if "X" in v else "x"
        h, cols = 1e-6, []
        for j in range(Xv.size):
            E = np.zeros(Xv.size)
            E[j] = h
            E = E.reshape(Xv.shape, order="F")
            plus = gradient({**v, key: Xv + E})
            minus = gradient({**v, key: Xv - E})
            cols.append(((plus - minus) / (2 * h)).reshape(-1, order="F"))
        return np.stack(cols, axis=1)
    return oracle


SECOND_ORDER = [
    ("(81)² d²(xᵀBx) = B + Bᵀ", x.T * B * x, x, lambda v: v["B"] + v["B"].T, None),
    ("(78)² d²((Bx+b)ᵀC(Dx+d)) = BᵀCD + DᵀCᵀB", (B * x + b).T * C * (D * x + d), x,
     lambda v: v["B"].T @ v["C"] @ v["D"] + v["D"].T @ v["C"].T @ v["B"], None),
    ("(115)² d² tr(XᵀX) = 2 I", Trace(Xr.T * Xr), Xr, None, None),
    ("(77)² d² bᵀXᵀXc = (bcᵀ + cbᵀ) ⊗ I", bm.T * Xr.T * Xr * cm, Xr,
     lambda v: kron(v["b"] @ v["c"].T + v["c"] @ v["b"].T, np.eye(len(v["X"]))), None),
    ("(108)² d² tr(XᵀBX) = I ⊗ (B + Bᵀ)", Trace(X.T * B * X), X,
     lambda v: kron(np.eye(len(v["X"])), v["B"] + v["B"].T), None),
    ("(111)² d² tr(XBXᵀ) = (B + Bᵀ) ⊗ I", Trace(X * B * X.T), X,
     lambda v: kron(v["B"] + v["B"].T, np.eye(len(v["X"]))), None),
    ("(106)² d² tr(X²) = 2K", Trace(X**2), X, lambda v: 2 * commutation(len(v["X"]), len(v["X"])), None),
    ("(117)² d² tr(XᵀBXC)", Trace(X.T * B * X * C), X,
     lambda v: kron(v["C"].T, v["B"]) + kron(v["C"], v["B"].T), None),
    ("(57)² d² log|det X| = −(X⁻¹ ⊗ X⁻ᵀ) K", sp.log(sp.Abs(Determinant(X))), X,
     lambda v: -kron(inv(v["X"]), inv(v["X"]).T) @ commutation(len(v["X"]), len(v["X"])), None),
    ("(49)² d² det X", Determinant(X), X,
     _vec_hessian_of(lambda v: det(v["X"]) * inv(v["X"]).T), WELL),
    ("(61)² d² aᵀX⁻¹b", a.T * Inverse(X) * b, X,
     _vec_hessian_of(lambda v: -inv(v["X"]).T @ v["a"] @ v["b"].T @ inv(v["X"]).T), WELL),
    ("(124)² d² tr(AX⁻¹B)", Trace(A * Inverse(X) * B), X,
     _vec_hessian_of(lambda v: -inv(v["X"]).T @ v["A"].T @ v["B"].T @ inv(v["X"]).T), WELL),
    ("(114)² d² tr(AXBX)", Trace(A * X * B * X), X,
     _vec_hessian_of(lambda v: v["A"].T @ v["X"].T @ v["B"].T + v["B"].T @ v["X"].T @ v["A"].T), None),
    ("(120)² d² tr(X⊗X) = 2 vec(I)vec(I)ᵀ", Trace(KroneckerProduct(X, X)), X,
     lambda v: 2 * np.outer(np.eye(len(v["X"])).reshape(-1), np.eye(len(v["X"])).reshape(-1)), None),
    ("(129)² d² ‖x − a‖₂ = I/‖x−a‖ − (x−a)(x−a)ᵀ/‖x−a‖³ (130)", sp.sqrt(Trace((x - a).T * (x - a))), x,
     lambda v: (np.eye(len(v["x"])) / np.linalg.norm(v["x"] - v["a"])
                - (v["x"] - v["a"]) @ (v["x"] - v["a"]).T / np.linalg.norm(v["x"] - v["a"]) ** 3), None),
    ("(132)² d² ‖X‖_F² = 2 I", Trace(X * X.T), X,
     lambda v: 2 * np.eye(v["X"].size), None),
]


@pytest.mark.parametrize("equation, f, wrt, book, kinds", SECOND_ORDER, ids=[c[0] for c in SECOND_ORDER])
def test_second_order_matches_the_cookbook(equation, f, wrt, book, kinds):
    result = derive(f, wrt, 2)
    mn = wrt.shape[0] * wrt.shape[1]
    assert result.kind == "hessian" and result.shape == (mn, mn)
    check_against_differences(result, f, wrt, kinds=kinds, expected=book, sizes=FIXED)


JACOBIANS = [
    ("(69)ᴶ d(Ax)/dxᵀ = A (numerator layout)", A * x, x, lambda v: v["A"]),
    ("§10.2.2 vec(AXB) = (Bᵀ⊗A)vec X", A * X * B, X, lambda v: kron(v["B"].T, v["A"])),
    ("commutation matrix: vec(Xᵀ) = K vec X", X.T, X, lambda v: commutation(len(v["X"]), len(v["X"]))),
    ("(40) d(X⁻¹) = −X⁻¹dX X⁻¹", Inverse(X), X, lambda v: -kron(inv(v["X"]).T, inv(v["X"]))),
    ("(38) d(X∘A) = dX∘A", sp.HadamardProduct(X, A), X, lambda v: np.diag(v["A"].reshape(-1, order="F"))),
    ("σ'(Ax) = diag(σ(Ax)∘(1−σ(Ax))) A", apply_elementwise(sigmoid, A * x), x,
     lambda v: np.diag((s := 1 / (1 + np.exp(-v["A"] @ v["x"]))).ravel() * (1 - s).ravel()) @ v["A"]),
    ("tanh'(x) = diag(1 − tanh²x)", apply_elementwise(sp.tanh, x), x,
     lambda v: np.diag(1 - np.tanh(v["x"]).ravel() ** 2)),
    ("(39) d(A⊗X) = A⊗dX, vec(A⊗B) = (I⊗K⊗I)(vec A⊗vec B)", KroneckerProduct(A, X), X,
     lambda v: _kron_jacobian(v["A"], len(v["X"]), left_constant=True)),
    ("(39) d(X⊗A) = dX⊗A", KroneckerProduct(X, A), X,
     lambda v: _kron_jacobian(v["A"], len(v["X"]), left_constant=False)),
    ("(37) d(x xᵀ) = dx xᵀ + x dxᵀ", x * x.T, x,
     lambda v: kron(v["x"], np.eye(len(v["x"]))) + kron(np.eye(len(v["x"])), v["x"])),
]


@pytest.mark.parametrize("equation, f, wrt, book", JACOBIANS, ids=[c[0] for c in JACOBIANS])
def test_jacobians_in_numerator_layout(equation, f, wrt, book):
    result = derive(f, wrt)
    assert result.kind == "jacobian"
    check_against_differences(result, f, wrt, expected=book, kinds=WELL)


@pytest.mark.parametrize("F, wrt", [(Inverse(X), X), (sp.HadamardProduct(x, x), x),
                                    (sp.MatMul(X, A, X), X)], ids=["inverse", "hadamard", "XAX"])
def test_second_derivative_of_a_matrix_function_is_the_differential_of_its_jacobian(F, wrt):
    from calculus_numeric import Evaluator, all_symbols, assert_close, random_values

    result = derive(F, wrt, 2)
    jacobian = derive(F, wrt).expr
    rng = np.random.default_rng(3)
    sizes = {n: 3}
    values = random_values(all_symbols(F, wrt), sizes, rng, kinds=WELL)
    direction = rng.standard_normal(values[wrt].shape)
    got = Evaluator({**values, result.differential: direction}, sizes)(result.linear_map)
    h = 1e-6
    plus = Evaluator({**values, wrt: values[wrt] + h * direction}, sizes)(jacobian)
    minus = Evaluator({**values, wrt: values[wrt] - h * direction}, sizes)(jacobian)
    assert_close(got, (plus - minus) / (2 * h), name="central_plain", what="dJ[dX]")
