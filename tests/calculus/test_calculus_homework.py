"""Homework 4 sections 1–3: each derivative equals the closed form from the literature.

The expressions are written in symcheck's expression language, as a student or the catalogue
would write them, and parsed with symcheck.expr.parse.
"""

import numpy as np
import pytest
import sympy as sp

from symcheck.calculus import derive, simplify_matrix, stationary_point
from symcheck.errors import ShapeError
from symcheck.expr import parse, symbols_from_shapes

from calculus_numeric import (Evaluator, all_symbols, assert_close, check_against_differences,
                              check_steps, concrete_sizes, random_values)


def setup(function, shapes, wrt):
    ns = symbols_from_shapes(shapes)
    return parse(function, ns), ns[wrt], ns


def same_form(expr, text, ns, variable):
    """True when ``expr`` is the closed form ``text`` written in clean matrix notation."""
    return expr == simplify_matrix(parse(text, ns), variable)


def evaluate_both(result, known, ns, *, seed=0, kinds=None):
    """Evaluate our closed form and the literature's (a NumPy function) at one random point."""
    rng = np.random.default_rng(seed)
    derivation = getattr(result, "gradient", result)
    sizes = concrete_sizes([derivation.function, derivation.variable], rng)
    values = random_values(all_symbols(derivation.function, derivation.variable), sizes, rng,
                           kinds=kinds)
    by_name = {getattr(k, "name", str(k)): v for k, v in values.items()}
    by_name.update({str(k): v for k, v in sizes.items()})
    got = Evaluator(values, sizes)(result.expr)
    assert_close(got, known(by_name), name="symbolic", what="closed form against the literature")


# --- section 1 ---------------------------------------------------------------------------

def test_1_1_first_is_MtM():
    f, x, ns = setup("M.T*M*x", {"M": ("m", "m"), "x": ("m", 1)}, "x")
    result = derive(f, x)
    assert result.kind == "jacobian" and "numerator layout" in result.convention
    assert result.expr == parse("M.T*M", ns)
    check_against_differences(result, f, x)


def test_1_1_second_is_the_m_by_m_by_m_zero_tensor():
    f, x, ns = setup("M.T*M*x", {"M": ("m", "m"), "x": ("m", 1)}, "x")
    result = derive(f, x, 2)
    m = ns["m"]
    assert result.is_zero and result.tensor_shape == (m, m, m)
    assert "zero tensor of order 3" in result.convention and "m×m×m" in result.convention


def test_1_1_sym_is_M_squared():
    f, x, ns = setup("M.T*M*x", {"M": ("m", "m"), "x": ("m", 1)}, "x")
    result = derive(f, x, assumptions=["M symmetric"])
    assert result.expr == parse("M**2", ns)
    assert derive(f, x, 2, assumptions=[sp.Q.symmetric(ns["M"])]).is_zero
    check_against_differences(result, parse("M*M*x", ns), x)


def test_1_2_is_Mt_and_its_second_derivative_is_zero():
    f, X, ns = setup("tr(M*X)", {"M": ("m", "n"), "X": ("n", "m")}, "X")
    assert derive(f, X).expr == parse("M.T", ns)
    second = derive(f, X, 2)
    assert second.is_zero and second.tensor_shape == (ns["n"], ns["m"], ns["n"], ns["m"])


def test_1_3_is_2X_with_vec_hessian_2I():
    f, X, ns = setup("tr(X*X.T)", {"X": ("n", "n")}, "X")
    assert derive(f, X).expr == parse("2*X", ns)
    second = derive(f, X, 2)
    assert second.expr == 2 * sp.Identity(ns["n"] ** 2)
    assert second.linear_map == 2 * second.differential
    check_against_differences(second, f, X)


def test_1_4_is_abT():
    f, X, ns = setup("a.T*X*b", {"X": ("m", "n"), "a": ("m", 1), "b": ("n", 1)}, "X")
    assert derive(f, X).expr == parse("a*b.T", ns)
    assert derive(f, X, 2).is_zero


def test_1_5_is_X_times_abT_plus_baT():
    f, X, ns = setup("a.T*X.T*X*b", {"X": ("n", "m"), "a": ("m", 1), "b": ("m", 1)}, "X")
    first = derive(f, X)
    assert first.expr == parse("X*(a*b.T + b*a.T)", ns)
    check_against_differences(first, f, X)
    second = derive(f, X, 2)
    assert second.expr == sp.KroneckerProduct(parse("a*b.T + b*a.T", ns), sp.Identity(ns["n"]))
    dX = second.differential
    assert second.linear_map == sp.MatMul(dX, parse("a*b.T + b*a.T", ns))
    check_against_differences(second, f, X)


def test_1_5_as_stated_is_shape_inconsistent():
    with pytest.raises(ShapeError, match="do not compose"):
        setup("a.T*X.T*X*b", {"X": ("n", "m"), "a": ("m", 1), "b": ("n", 1)}, "X")


# --- section 2 ---------------------------------------------------------------------------

RIDGE = ("(y - X*beta).T*(y - X*beta) + lam*beta.T*beta",
         {"X": ("n", "p"), "y": ("n", 1), "beta": ("p", 1), "lam": ()})


def test_ridge_gradient_is_2_XtX_plus_lambda_I_beta_minus_2Xty():
    f, beta, ns = setup(*RIDGE, "beta")
    result = derive(f, beta)
    assert same_form(result.expr, "2*(X.T*X + lam*Identity(p))*beta - 2*X.T*y", ns, beta)
    evaluate_both(result, lambda v: 2 * (v["X"].T @ v["X"] + v["lam"] * np.eye(len(v["beta"])))
                  @ v["beta"] - 2 * v["X"].T @ v["y"], ns)
    check_against_differences(result, f, beta)


def test_ridge_hessian_is_2_XtX_plus_lambda_I():
    f, beta, ns = setup(*RIDGE, "beta")
    result = derive(f, beta, 2)
    evaluate_both(result, lambda v: 2 * (v["X"].T @ v["X"] + v["lam"] * np.eye(len(v["beta"]))), ns)


def test_ridge_stationary_point_is_the_ridge_solution_for_positive_lambda():
    f, beta, ns = setup(*RIDGE, "beta")
    point = stationary_point(f, beta, ["lam > 0"])
    assert same_form(point.expr, "inv(X.T*X + lam*Identity(p))*X.T*y", ns, beta)
    assert any("lam > 0" in c for c in point.conditions)
    evaluate_both(point, lambda v: np.linalg.solve(v["X"].T @ v["X"] + v["lam"] * np.eye(
        len(v["beta"])), v["X"].T @ v["y"]), ns)


# --- section 3: the MLP ------------------------------------------------------------------

MLP_SHAPES = {"X": ("N", "d"), "Y": ("N", "k"), "W_h": ("d", "h"), "b_h": ("h", 1),
              "W_o": ("h", "k"), "b_o": ("k", 1)}
MLP_LOSS = ("tr((Y - (sigmoid(X*W_h + OneMatrix(N, 1)*b_h.T)*W_o + OneMatrix(N, 1)*b_o.T)).T"
            "*(Y - (sigmoid(X*W_h + OneMatrix(N, 1)*b_h.T)*W_o + OneMatrix(N, 1)*b_o.T)))/N")


def _forward(v):
    H = 1 / (1 + np.exp(-(v["X"] @ v["W_h"] + np.outer(np.ones(len(v["X"])), v["b_h"]))))
    Yhat = H @ v["W_o"] + np.outer(np.ones(len(v["X"])), v["b_o"])
    N = len(v["X"])
    delta_h = (2 / N) * (Yhat - v["Y"]) @ v["W_o"].T * H * (1 - H)
    return H, Yhat, N, delta_h


MLP_GRADIENTS = [
    ("W_o", lambda v: (lambda H, Yhat, N, dh: (2 / N) * H.T @ (Yhat - v["Y"]))(*_forward(v))),
    ("b_o", lambda v: (lambda H, Yhat, N, dh: (2 / N) * (Yhat - v["Y"]).sum(axis=0)[:, None])(*_forward(v))),
    ("W_h", lambda v: (lambda H, Yhat, N, dh: v["X"].T @ dh)(*_forward(v))),
    ("b_h", lambda v: (lambda H, Yhat, N, dh: dh.sum(axis=0)[:, None])(*_forward(v))),
]


@pytest.mark.parametrize("wrt, backprop", MLP_GRADIENTS, ids=[w for w, _ in MLP_GRADIENTS])
def test_mlp_gradients_match_backpropagation(wrt, backprop):
    f, W, ns = setup(MLP_LOSS, MLP_SHAPES, wrt)
    result = derive(f, W)
    assert result.shape == tuple(W.shape)
    evaluate_both(result, backprop, ns)
    check_steps(result)


# --- every step is an equality ---------------------------------------------------------------

STEP_CASES = [
    ("M.T*M*x", {"M": ("m", "m"), "x": ("m", 1)}, "x", 1, ()),
    ("M.T*M*x", {"M": ("m", "m"), "x": ("m", 1)}, "x", 1, ("M symmetric",)),
    ("tr(M*X)", {"M": ("m", "n"), "X": ("n", "m")}, "X", 2, ()),
    ("tr(X*X.T)", {"X": ("n", "n")}, "X", 2, ()),
    ("a.T*X*b", {"X": ("m", "n"), "a": ("m", 1), "b": ("n", 1)}, "X", 2, ()),
    ("a.T*X.T*X*b", {"X": ("n", "m"), "a": ("m", 1), "b": ("m", 1)}, "X", 2, ()),
    (RIDGE[0], RIDGE[1], "beta", 2, ()),
    ("log(det(X))", {"X": ("n", "n")}, "X", 2, ()),
    ("tr(A*inv(X)*B)", {"X": ("n", "n"), "A": ("n", "n"), "B": ("n", "n")}, "X", 2, ()),
    ("det(X)", {"X": ("n", "n")}, "X", 2, ()),
]


@pytest.mark.parametrize("function, shapes, wrt, order, assumptions", STEP_CASES,
                         ids=[f"{c[0]}-{c[2]}-o{c[3]}" for c in STEP_CASES])
def test_every_derivation_step_is_an_equality(function, shapes, wrt, order, assumptions):
    f, W, ns = setup(function, shapes, wrt)
    kinds = {"X": "wellcond"} if "det" in function or "inv" in function else None
    kinds = {**(kinds or {}), **{s.split()[0]: "symmetric" for s in assumptions}}
    result = derive(f, W, order, assumptions)
    assert check_steps(result, kinds=kinds) >= 3
