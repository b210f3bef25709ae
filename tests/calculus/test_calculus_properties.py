"""Property test: random compositions of the supported operations derive to closed forms that
match central differences, at first and second order, and every derivation step holds."""

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import HadamardProduct, Identity, Inverse, MatrixSymbol, Trace

from symcheck.calculus import apply_elementwise, derive
from symcheck.expr import sigmoid

from calculus_numeric import check_against_differences, check_steps

n = sp.Symbol("n", integer=True, positive=True)
X, A, B = MatrixSymbol("X", n, n), MatrixSymbol("A", n, n), MatrixSymbol("B", n, n)
a, b = MatrixSymbol("a", n, 1), MatrixSymbol("b", n, 1)
SIZES = {n: 3}


def _mul(l, r):
    return sp.MatMul(l, r).doit(deep=False)


leaves = st.sampled_from([X, X.T, A, B.T, Identity(n)])


def _extend(children):
    unary = st.one_of(
        children.map(lambda m: sp.Transpose(m).doit()),
        children.map(lambda m: _mul(sp.Rational(1, 2), m)),
        children.map(lambda m: Inverse(sp.MatAdd(3 * Identity(n), _mul(sp.Rational(1, 10), m)))),
        children.map(lambda m: apply_elementwise(sp.tanh, m)),
        children.map(lambda m: apply_elementwise(sigmoid, m)),
    )
    binary = st.tuples(children, children).flatmap(lambda lr: st.sampled_from([
        _mul(lr[0], lr[1]), sp.MatAdd(lr[0], lr[1]), HadamardProduct(lr[0], lr[1])]))
    return st.one_of(unary, binary)


matrices = st.recursive(leaves, _extend, max_leaves=4).filter(lambda m: m.has(X))
small_matrices = st.recursive(leaves, _extend, max_leaves=3).filter(lambda m: m.has(X))


def _scalar_of(matrices):
    return st.tuples(matrices, st.sampled_from(["trace", "bilinear", "log", "frobenius"])).map(
    lambda mk: {"trace": lambda m: Trace(m),
                "bilinear": lambda m: _mul(_mul(a.T, m), b),
                "log": lambda m: sp.log(Trace(_mul(m.T, m)) + 1),
                "frobenius": lambda m: sp.sqrt(Trace(_mul(m, m.T)))}[mk[1]](mk[0]))


scalars = _scalar_of(matrices)
small_scalars = _scalar_of(small_matrices)


@given(scalars, st.integers(0, 2**16))
def test_random_scalar_functions_have_correct_gradients(f, seed):
    result = derive(f, X)
    assert result.kind == "gradient"
    check_against_differences(result, f, X, seed=seed, sizes=SIZES)
    check_steps(result, seed=seed, sizes=SIZES)


@settings(max_examples=25)
@given(small_scalars, st.integers(0, 2**16))
def test_random_scalar_functions_have_correct_hessians(f, seed):
    result = derive(f, X, 2)
    assert result.shape in ((n**2, n**2), (9, 9))
    check_against_differences(result, f, X, seed=seed, sizes=SIZES)
    check_steps(result, seed=seed, sizes=SIZES)


@settings(max_examples=40)
@given(matrices, st.integers(0, 2**16))
def test_random_matrix_functions_have_correct_jacobians(F, seed):
    result = derive(F, X)
    assert result.kind == "jacobian"
    check_against_differences(result, F, X, seed=seed, sizes=SIZES)
    check_steps(result, seed=seed, sizes=SIZES)


@pytest.mark.slow
@settings(max_examples=10_000)
@given(small_scalars, st.integers(0, 2**16))
def test_random_scalar_functions_long_run(f, seed):
    result = derive(f, X, 2)
    check_against_differences(result, f, X, seed=seed, sizes=SIZES)
