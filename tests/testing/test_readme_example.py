"""Prove your matrix derivatives in your own tests (copy this file; run `pytest`).

symcheck checks each closed form against complex-step differentiation (error ~1e-15), falling
back to central differences with Richardson extrapolation where the function is not analytic,
and says which it used.  Conventions: a gradient has the shape of the variable; a Jacobian is
numerator layout (rows: vec of the output, columns: vec of the variable); a Hessian is the
vec-Hessian; vec stacks columns.
"""

import numpy as np
import pytest
from hypothesis import given, settings

from symcheck import parse, symbols_from_shapes
from symcheck.testing import assert_gradient, assert_hessian, check_derivative, matrices, shapes


# 1. NumPy: a loss and its hand-derived gradient, at hypothesis-drawn points.
def ridge_loss(beta, X, y, lam):
    r = y - X @ beta
    return (r.T @ r).item() + lam * (beta.T @ beta).item()


def ridge_gradient(beta, X, y, lam):
    return 2 * (X.T @ X + lam * np.eye(X.shape[1])) @ beta - 2 * X.T @ y


@pytest.mark.symcheck
@settings(max_examples=50, deadline=None)
@given(matrices((5, 3)), matrices((5, 1)), matrices((3, 1)))
def test_ridge_gradient(X, y, beta):
    assert_gradient(ridge_loss, ridge_gradient, beta, X, y, 0.5)                # wrt=0: beta
    assert_hessian(ridge_loss, lambda beta, X, y, lam: 2 * (X.T @ X + lam * np.eye(3)),
                   beta, X, y, 0.5)


@pytest.mark.symcheck
@settings(max_examples=50, deadline=None)
@given(matrices(shapes()))
def test_frobenius_gradient(X):
    assert_gradient(lambda X: np.trace(X @ X.T), lambda X: 2 * X, X)


# 2. SymPy: a symbolic closed form, checked on 100 instances with every size from 1 to 6.
ns = symbols_from_shapes({"X": ("n", "m"), "a": ("m", 1), "b": ("m", 1), "M": ("m", "m"),
                          "x": ("m", 1)})


@pytest.mark.symcheck
def test_homework_1_5_gradient():
    f = parse("a.T*X.T*X*b", ns)
    check_derivative(f, ns["X"], parse("X*(a*b.T + b*a.T)", ns))


@pytest.mark.symcheck
def test_homework_1_1_jacobian_for_symmetric_m():
    f = parse("M.T*M*x", ns)                       # Jacobian, numerator layout: MᵀM (= M² here)
    check_derivative(f, ns["x"], parse("M*M", ns), assumptions=("M symmetric",))


@pytest.mark.symcheck
def test_a_wrong_answer_is_caught():
    with pytest.raises(AssertionError, match="does not match"):
        check_derivative(parse("a.T*X.T*X*b", ns), ns["X"], parse("X*a*b.T", ns), examples=20)
