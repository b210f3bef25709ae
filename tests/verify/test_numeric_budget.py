"""The numeric-evaluation budget of proofs: a cost estimate refuses before, a CPU deadline stops during."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from symcheck.errors import ExpressionError, NumericBudgetError
from symcheck.expr import parse, symbols_from_shapes
from symcheck.limits import raised
from symcheck.verify import instances, prove_derivative, run_examples
from symcheck.verify._budget import check_cost, numeric_cost
from symcheck.verify._symbolic import PartialFunction

NS = symbols_from_shapes({"X": ("n", "n"), "x": ("n", 1)})
X, n = NS["X"], NS["n"]


@pytest.mark.parametrize("text, build", [
    ("kron(X, X)", lambda a: np.kron(a, a)),
    ("kron(kron(X, X), X)", lambda a: np.kron(np.kron(a, a), a)),
    ("X*X.T", lambda a: a @ a.T),
    ("tr(kron(X, X))", lambda a: np.kron(a, a)),
])
def test_the_largest_matrix_is_the_one_numpy_builds(text, build):
    a = np.ones((3, 3))
    cost = numeric_cost(parse(text, NS), ((n, 3),))
    assert cost.entries == build(a).size


def test_a_summation_multiplies_the_cost_of_its_terms():
    body = sp.Trace(X * X * X)
    i = sp.Symbol("i", integer=True)
    once = numeric_cost(body, ((n, 6),)).operations
    assert numeric_cost(sp.Sum(body, (i, 1, 100)), ((n, 6),)).operations >= 100 * once
    nested = sp.Sum(sp.Sum(body, (i, 1, 10)), (sp.Symbol("j", integer=True), 1, 10))
    assert numeric_cost(nested, ((n, 6),)).operations >= 100 * once


def test_a_matrix_product_costs_its_multiply_adds():
    y = symbols_from_shapes({"Y": ("n", 7)})["Y"]
    cost = numeric_cost(X * y, ((n, 5),))
    assert cost.operations >= 5 * 5 * 7


def test_a_proof_of_a_huge_kronecker_product_is_refused_before_evaluating():
    f = parse("tr(kron(kron(X, X), kron(kron(X, X), X)))", NS)
    with pytest.raises(NumericBudgetError) as info:
        prove_derivative(f, X, X, examples=8)     # the closed form is never reached
    err = info.value
    assert err.limit == "numeric_entries" and isinstance(err, ExpressionError) and err.exit_code == 4
    assert "60,466,176 entries at n = 6" in err.what and "numeric_entries = " in err.what


def test_the_entry_limit_can_be_raised_or_lowered():
    f = parse("tr(kron(X, X))", NS)
    closed = parse("2*tr(X)*Identity(n)", NS)
    assert prove_derivative(f, X, closed, examples=8).passed
    with raised(numeric_entries=1000), pytest.raises(NumericBudgetError) as info:
        prove_derivative(f, X, closed, examples=8)
    assert info.value.limit == "numeric_entries" and "1,296 entries" in info.value.what


def test_a_long_summation_is_refused_by_the_operation_limit():
    i = sp.Symbol("i", integer=True)
    f = sp.Sum(sp.Trace(X * X.T * X * X.T), (i, 1, 1000))
    with raised(numeric_operations=100_000), pytest.raises(NumericBudgetError) as info:
        check_cost([f], ((n, 6),), what="the proof")
    assert info.value.limit == "numeric_operations" and "numeric_operations = 100000" in info.value.what


def test_a_proof_stops_at_its_cpu_deadline_and_names_the_limit():
    calls = []
    with raised(numeric_seconds=1e-9), pytest.raises(NumericBudgetError) as info:
        run_examples(instances(sp.Trace(X)), calls.append, 200, what="the test proof")
    assert info.value.limit == "numeric_seconds"
    assert info.value.what.startswith("the test proof took more than 1e-09 s of CPU time")
    assert len(calls) < 200          # stopped, not run to the end


def test_a_proof_within_its_deadline_runs_every_example():
    calls = []
    run_examples(instances(sp.Trace(X)), calls.append, 40)
    assert len(calls) == 40


def test_batches_split_to_stay_within_the_batch_limit_give_the_same_values():
    f = parse("kron(X, X)", NS)
    rng = np.random.default_rng(0)
    point = rng.standard_normal((4, 4))
    function = PartialFunction(f, (n, X), [4, point], 1, ((n, 4),))
    points = rng.standard_normal((9, 4, 4))
    with raised(numeric_batch_entries=600):          # 256 entries per point: chunks of 2
        out = function.batched(points)
    expected = np.stack([np.kron(p, p) for p in points])   # NumPy's own kron, the oracle
    assert np.allclose(out, expected, rtol=1e-13, atol=0)
