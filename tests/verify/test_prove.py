"""prove_derivative: statistics over many instances, every construct the engine emits, domains."""

import numpy as np
import pytest

from symcheck.calculus import derive
from symcheck.expr import parse, symbols_from_shapes
from symcheck.verify._lambdify import commutation_matrix
from symcheck.verify._prove import prove_derivative

NS = symbols_from_shapes({"X": ("n", "n"), "Y": ("n", "m"), "x": ("n", 1)})


@pytest.mark.parametrize("text, wrt, order, assumptions", [
    ("X.T", "X", 1, ()),                        # Jacobian: the commutation matrix
    ("tr(X*X*X)", "X", 2, ()),                  # vec-Hessian with a commutation matrix
    ("det(X)", "X", 2, ("X invertible",)),
    ("log(det(X))", "X", 2, ("X invertible",)),
    ("kron(X, X)", "X", 1, ()),
    ("hadamard(Y, Y)", "Y", 1, ()),
])
def test_engine_results_with_vec_and_commutation_matrices_are_proven(text, wrt, order, assumptions):
    f = parse(text, NS)
    result = derive(f, NS[wrt], order=order, assumptions=assumptions)
    proof = prove_derivative(f, NS[wrt], result.expr, order=order, examples=15,
                             assumptions=assumptions)
    assert proof.passed, proof.failure
    assert proof.examples == 15 and proof.max_rel_error < 1e-6


def test_a_wrong_closed_form_fails_with_the_instance_named():
    f = parse("tr(X*X*X)", NS)
    proof = prove_derivative(f, NS["X"], 3 * NS["X"] ** 2, examples=10)   # should be 3(X²)ᵀ
    assert not proof.passed
    assert "Instance(sizes: n=" in proof.failure


def test_instances_outside_the_domain_are_skipped_and_said():
    f = parse("norm(Y)", NS)                     # not differentiable at Y = 0
    result = derive(f, NS["Y"])
    proof = prove_derivative(f, NS["Y"], result.expr, examples=30)
    assert proof.passed
    assert any("outside the domain" in note for note in proof.notes)


def test_commutation_matrix_transposes_vec():
    rng = np.random.default_rng(0)
    for m, n in [(1, 1), (2, 3), (4, 2)]:
        A = rng.normal(size=(m, n))
        vec = lambda M: M.reshape(-1, 1, order="F")
        assert np.array_equal(commutation_matrix(m, n) @ vec(A), vec(A.T))


def test_second_derivative_of_a_matrix_function_is_proven_as_a_linear_map():
    ns = symbols_from_shapes({"M": ("n", "n"), "x": ("n", 1)})
    f = parse("M*x*x.T", ns)
    result = derive(f, ns["x"], order=2)
    assert result.expr.has(result.differential)
    proof = prove_derivative(f, ns["x"], result.expr, order=2, examples=15)
    assert proof.passed, proof.failure
    wrong = prove_derivative(f, ns["x"], 2 * result.expr, order=2, examples=15)
    assert not wrong.passed
