"""The strategies draw what they promise: sizes in range, structure exact, values consistent."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symcheck.errors import UsageError
from symcheck.expr import symbols_from_shapes
from symcheck.testing import instances, matrices, shapes
from symcheck.verify import run_examples
from symcheck.verify._instances import instance_groups

FAST = settings(max_examples=60, derandomize=True, deadline=None, database=None)


@FAST
@given(shapes())
def test_shapes_are_one_to_six(shape):
    assert len(shape) == 2 and all(1 <= s <= 6 for s in shape)


@FAST
@given(matrices(shapes()))
def test_entries_are_well_scaled(m):
    assert m.dtype == np.float64 and m.ndim == 2
    nonzero = np.abs(m[m != 0])
    assert np.all(nonzero >= 2e-3) and np.all(nonzero <= 2.0)


@FAST
@given(st.integers(1, 6).flatmap(lambda n: matrices((n, n), symmetric=True)))
def test_symmetric_is_exactly_symmetric(m):
    np.testing.assert_array_equal(m, m.T)


@FAST
@given(st.integers(1, 6).flatmap(lambda n: matrices((n, n), spd=True)))
def test_spd_has_eigenvalues_at_least_one(m):
    np.testing.assert_array_equal(m, m.T)
    assert np.linalg.eigvalsh(m).min() >= 1 - 1e-12      # Gershgorin with margin 1


@FAST
@given(st.integers(1, 6).flatmap(lambda n: matrices((n, n), well_conditioned=True)))
def test_well_conditioned_has_bounded_inverse(m):
    # Strict diagonal dominance with margin 1 ⇒ ‖M⁻¹‖_∞ ≤ 1 (Varah 1975).
    assert np.abs(np.linalg.inv(m)).sum(axis=1).max() <= 1 + 1e-12


@FAST
@given(instances(sp.Trace(sp.MatrixSymbol("M", sp.Symbol("m", integer=True, positive=True),
                                          sp.Symbol("n", integer=True, positive=True))
                          * sp.MatrixSymbol("X", sp.Symbol("n", integer=True, positive=True),
                                            sp.Symbol("m", integer=True, positive=True)))))
def test_instances_share_dimensions_between_symbols(inst):
    m, n = inst["m"], inst["n"]
    assert inst["M"].shape == (m, n) and inst["X"].shape == (n, m)


NS = symbols_from_shapes({"X": ("n", "n"), "M": ("n", "n"), "y": ("n", 1), "lambda": ()})


@FAST
@given(instances(NS["lambda"] * NS["X"] * NS["M"] * NS["y"],
                 assumptions=("X invertible", "M symmetric", "lambda > 0")))
def test_instances_respect_assumptions(inst):
    np.testing.assert_array_equal(inst["M"], inst["M"].T)
    assert abs(np.linalg.det(inst["X"])) > 0.0 and inst["lambda"] >= 0.1
    assert inst["y"].shape == (inst["n"], 1)


NS_GRAMMAR = symbols_from_shapes({"S": ("n", "n"), "X": ("n", "n"), "Q": ("n", "n"),
                                  "R": ("n", "n"), "c": ()})


@FAST
@given(instances(NS_GRAMMAR["c"] * NS_GRAMMAR["S"] * NS_GRAMMAR["X"] * NS_GRAMMAR["Q"] * NS_GRAMMAR["R"],
                 assumptions=("S positive definite", "X well-conditioned", "c >= 0", "Q orthogonal",
                              "R symmetric", "R orthogonal")))
def test_every_form_of_the_assumptions_grammar_is_drawn_by_construction(inst):
    n = inst["n"]
    np.testing.assert_array_equal(inst["S"], inst["S"].T)
    assert np.linalg.eigvalsh(inst["S"]).min() >= 1 - 1e-12
    assert np.abs(np.linalg.inv(inst["X"])).sum(axis=1).max() <= 1 + 1e-12
    assert inst["c"] >= 0
    np.testing.assert_allclose(inst["Q"].T @ inst["Q"], np.eye(n), atol=1e-12)
    np.testing.assert_array_equal(inst["R"], inst["R"].T)
    np.testing.assert_allclose(inst["R"] @ inst["R"], np.eye(n), atol=1e-12)


def test_groups_share_sizes_and_differ_in_values():
    seen = []
    run_examples(instance_groups(NS["X"] * NS["y"], size=4), seen.append, 10)
    assert len(seen) == 10
    for group in seen:
        assert len(group) == 4 and len({g["n"] for g in group}) == 1
        assert group[0]["n"] == 1 or not np.array_equal(group[0]["X"], group[1]["X"])
    assert len({group[0]["n"] for group in seen}) > 1          # hypothesis varies the sizes


def test_run_examples_calls_the_body_exactly_examples_times():
    for examples in (1, 7, 12, 200):
        calls = []
        run_examples(instances(NS["X"]), calls.append, examples)
        assert len(calls) == examples


BAD = [
    (lambda: shapes(min_side=0), "min_side=0, max_side=6"),
    (lambda: matrices((2, 3), spd=True), r"shape=\(2, 3\) is not square, so it cannot be spd"),
    (lambda: matrices("2x3"), "shape='2x3' is not a matrix shape"),
    (lambda: matrices((2, 2), bound=-1), "bound=-1"),
    (lambda: instances("X*Y"), "expr='X\\*Y' is not a SymPy expression"),
    (lambda: instances(NS["X"], assumptions="X symmetric"), "a single string.*assumptions=\\('X symmetric',\\)"),
    (lambda: instances(NS["X"], assumptions=("X unitary",)), "cannot read the assumption 'X unitary'.*orthogonal"),
    (lambda: instances(NS["X"], assumptions=("Z symmetric",)), "names 'Z', which is not a symbol of the expression"),
    (lambda: instances(NS["X"], assumptions=("X > 0",)), "is about a scalar, but X is a n×n matrix"),
    (lambda: instances(NS["lambda"], assumptions=("lambda symmetric",)), "is about a matrix, but lambda is a scalar"),
    (lambda: instances(symbols_from_shapes({"A": ("m", "n")})["A"], assumptions=("A symmetric",)),
     "A is m×n, so it cannot be symmetric"),
]


@pytest.mark.parametrize("call, message", BAD)
def test_bad_strategy_arguments_raise_usage_error(call, message):
    with pytest.raises(UsageError, match=message):
        call()
