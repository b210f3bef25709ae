"""The work budget of symbolic derivation: time, size and terms, each naming its limit."""

from __future__ import annotations

import pytest
import sympy as sp

from symcheck.calculus import derive
from symcheck.calculus._budget import check_size, checkpoint, differential_terms, work_budget
from symcheck.errors import DerivationError
from symcheck.limits import raised

X = sp.MatrixSymbol("X", 3, 3)


def test_a_spent_budget_stops_at_the_next_checkpoint_naming_the_limit():
    with work_budget("the test", seconds=0):
        with pytest.raises(DerivationError) as info:
            checkpoint("looping")
    assert "the test (looping) took more than 0 s of CPU time (the limit derivation_seconds" \
        in info.value.what


def test_an_inner_budget_never_outlives_the_outer_one():
    with work_budget("outer", seconds=0):
        with work_budget("inner", seconds=1000):
            with pytest.raises(DerivationError, match="more than 0 s of CPU time"):
                checkpoint()
    with work_budget("outer", ops=5):
        with work_budget("inner", ops=10**6):
            with pytest.raises(DerivationError, match="a sum has more than 5 nodes"):
                check_size(sp.Add(*sp.symbols("a:9")), "a sum")


def test_without_a_budget_checks_do_nothing():
    checkpoint("anything")
    assert check_size(sp.Add(*sp.symbols("a:9")), "a sum") is not None


@pytest.mark.parametrize("k", [1, 2, 5, 17])
def test_differential_terms_counts_the_product_rule(k):
    # d tr(X^k) = Σ_{i<k} tr(X^i dX X^(k-1-i)): k terms (Matrix Cookbook (36) with the power rule)
    assert differential_terms(sp.Trace(X**k), X) == k
    assert differential_terms(sp.Trace(X**k * X.T), X) == k + 1


def test_a_derivation_beyond_derivation_terms_is_refused_before_the_work():
    with raised(derivation_terms=10):
        with pytest.raises(DerivationError) as info:
            derive(sp.Trace(X**11), X)
    assert "makes 11 terms, more than the limit derivation_terms = 10" in info.value.what
    assert derive(sp.Trace(X**11), X).expr == 11 * (X.T)**10


def test_a_derivation_over_its_time_says_so():
    with raised(derivation_seconds=1e-9):
        with pytest.raises(DerivationError, match="the limit derivation_seconds"):
            derive(sp.log(sp.Determinant(X * X.T)), X, 2)
