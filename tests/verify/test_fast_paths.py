"""The fast paths of the proofs compute the same numbers as the slow ones, and doubt still checks.

Batched evaluation is compared with point-by-point evaluation of the same compiled expression;
the batched oracles with the oracles run on a plain callable (which has no batched path and is
always cross-checked); skipping the cross-check is tied to what the expression is built from.
"""

from __future__ import annotations

import numpy as np
import pytest

from symcheck.expr import parse, symbols_from_shapes
from symcheck.verify import (
    check_gradient,
    check_jacobian,
    gradient,
    instances,
    jacobian,
    prove_derivative,
    run_examples,
    vec_hessian,
)
from symcheck.verify._lambdify import batched_function, is_analytic, numpy_function
from symcheck.verify._symbolic import evaluate

NS = symbols_from_shapes({"X": ("n", "n"), "Y": ("n", "m"), "x": ("n", 1), "v": ("n", 1),
                          "A": ("m", "n"), "lam": ()})

# Every construct of the expression language (and of the engine's results), matrix and scalar.
TEXTS = [
    "tr(X*X.T) + det(X)", "inv(X)*x", "X**3", "x.T*X*x", "lam*X + tr(X)*X", "diag(v)*X",
    "kron(X, A)", "hadamard(Y, Y)", "sigmoid(A*X)", "norm(Y)", "log(det(X.T*X + Identity(n)))",
    "exp(x.T*x)", "tanh(lam)*A", "sum(X[i, j]*X[j, i], (i, 1, n), (j, 1, n))",
    "OneMatrix(1, n)*hadamard(x, x)", "hadamard_power(Y, 3)", "sqrt(tr(Y.T*Y))",
]


@pytest.mark.parametrize("text", TEXTS)
def test_batched_code_computes_what_the_single_code_computes(text):
    expr = parse(text, NS)
    rng = np.random.default_rng(0)
    n, m, k = 3, 2, 5
    values = {"n": n, "m": m, "X": rng.normal(size=(n, n)) + 3 * np.eye(n), "Y": rng.normal(size=(n, m)),
              "x": rng.normal(size=(n, 1)), "v": rng.normal(size=(n, 1)), "A": rng.normal(size=(m, n)),
              "lam": 0.7}
    symbols = [NS[s] for s in values]
    single = numpy_function(expr, symbols)
    stacked = {s: (np.stack([values[s] + 0.1 * i for i in range(k)]) if s in ("X", "Y") else values[s])
               for s in values}
    out = np.asarray(batched_function(expr, symbols)(*stacked.values()))
    for i in range(k):
        one = np.asarray(single(*[stacked[s][i] if s in ("X", "Y") else values[s] for s in values]))
        got = out[i] if out.ndim and out.shape[0] == k else out
        np.testing.assert_allclose(np.reshape(got, np.shape(one) or ()), one, rtol=1e-13, atol=1e-13)


def test_analytic_means_built_from_analytic_operations_only():
    assert all(is_analytic(parse(t, NS)) for t in ("tr(X*X.T)", "sigmoid(A*X)", "log(det(X))", "norm(Y)"))
    assert not any(is_analytic(parse(t, NS)) for t in ("tr(abs(X))", "abs(lam)*X"))


def _instance(text, wrt, seed=3):
    found = []
    run_examples(instances([parse(text, NS), NS[wrt]]), found.append, 1)
    return found[0]


@pytest.mark.parametrize("text, wrt", [("tr(X*X.T*X)", "X"), ("sigmoid(A*X)", "X"), ("x.T*X*x", "x"),
                                       ("tr(abs(X)*X)", "X"), ("lam**3*tr(X)", "lam")])
def test_batched_oracles_match_the_point_by_point_oracles(text, wrt):
    expr = parse(text, NS)
    instance = _instance(text, wrt)
    f, _, point = evaluate(expr, expr, NS[wrt], instance)
    plain = lambda z: f(z)  # noqa: E731 - no batched path, no analytic declaration: cross-checked
    for method in ("complex_step", "central", "central_plain"):
        try:
            fast, slow = jacobian(f, point, method=method), jacobian(plain, point, method=method)
        except Exception as exc:  # complex step refused for abs: both must refuse
            with pytest.raises(type(exc)):
                jacobian(plain, point, method=method)
            continue
        np.testing.assert_allclose(fast.value, slow.value, rtol=1e-12, atol=1e-12)
    auto_fast, auto_slow = jacobian(f, point), jacobian(plain, point)
    assert auto_fast.method == auto_slow.method
    np.testing.assert_allclose(auto_fast.value, auto_slow.value, rtol=1e-7, atol=1e-9)
    if np.asarray(f(point)).size == 1:
        np.testing.assert_allclose(vec_hessian(f, point).value, vec_hessian(plain, point).value,
                                   rtol=1e-7, atol=1e-8)


def test_a_non_analytic_expression_is_still_cross_checked_and_falls_back():
    # d/dX tr(|X| X): complex step treats |X| as a constant and misses half the derivative.
    expr = parse("tr(abs(X)*X)", NS)
    instance = _instance("tr(abs(X)*X)", "X")
    f, _, point = evaluate(expr, expr, NS["X"], instance)
    assert not f.analytic
    d = gradient(f, point)
    assert d.method == "central" and "complex step does not apply" in d.note


class _Lying:
    """Declares itself analytic but is not: the check must still not blame the closed form."""

    analytic = True

    def __call__(self, x):
        return np.sum(np.abs(x) * x)


def test_a_closed_form_that_misses_unchecked_complex_step_gets_the_cross_check():
    x = np.array([[1.5, -2.0], [0.5, 3.0]])
    right = 2 * np.abs(x)                  # d/dx Σ|x|x = 2|x|
    report = check_gradient(_Lying(), x, right)
    assert report.passed and report.method == "central"
    assert not check_gradient(_Lying(), x, right + 1e-3).passed


def test_jacobian_check_of_a_declared_analytic_function_uses_complex_step_alone():
    f = parse("X*X", NS)
    instance = _instance("X*X", "X")
    g, _, point = evaluate(f, f, NS["X"], instance)
    n = point.shape[0]
    truth = np.kron(np.eye(n), point) + np.kron(point.T, np.eye(n))   # d vec(X²) = (I⊗X + Xᵀ⊗I) d vec X
    report = check_jacobian(g, point, truth)
    assert report.passed and report.method == "complex_step" and report.max_rel_error < 1e-13


@pytest.mark.parametrize("examples", [1, 13, 37, 200])
def test_proofs_report_the_number_of_instances_they_checked(examples):
    f = parse("tr(X*X.T)", NS)
    proof = prove_derivative(f, NS["X"], 2 * NS["X"], examples=examples)
    assert proof.passed and proof.examples == examples and proof.unit == "examples"
    assert proof.to_dict()["examples"] == examples
