"""compare_claim: numbers, table values and symbolic claims, each judged against an independent truth."""

import dataclasses
import math

import numpy as np
import pytest
import sympy as sp

from symcheck.catalogue import load_catalogue
from symcheck.grade import Truth, compare_claim


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def _with_key(part, **changes):
    return dataclasses.replace(part, key=dataclasses.replace(part.key, **changes))


def _sigmoid(t):
    return 1.0 / (1.0 + math.exp(-t))


def test_number_rounded_correctly_agrees(catalogue):
    part = catalogue.part("3.1.a3")
    truth = Truth("a3", value=sp.Float(_sigmoid(-1.0), 30))
    assert compare_claim(_with_key(part, steps=()), truth).verdict == "agrees"  # key prints 0.26894


@pytest.mark.parametrize("claim, verdict", [
    ("0.26894", "agrees"),        # σ(-1) = 0.268941… rounded to 5 decimals
    ("0.26895", "differs"),       # off by one in the last printed digit, beyond 1e-6 relative
    ("0.2689414214", "agrees"),
    ("0.2689414213", "agrees"),   # within the catalogue tolerance (the grader's number rules)
    ("-0.26894", "differs"),
])
def test_number_verdicts(catalogue, claim, verdict):
    part = _with_key(catalogue.part("3.1.a3"), value=float(claim), value_text=claim, steps=())
    truth = Truth("a3", value=sp.N(1 / (1 + sp.E), 30))
    assert compare_claim(part, truth).verdict == verdict


def test_a_wrong_intermediate_line_turns_agree_into_warning(catalogue):
    part = catalogue.part("3.1.a3")
    bad_step = dataclasses.replace(part.key.steps[0], expr="1/(1 + 2.71828)", value=0.28, value_text="0.28")
    part = _with_key(part, steps=(bad_step,))
    verdict = compare_claim(part, Truth("a3", value=sp.N(1 / (1 + sp.E), 30)))
    assert verdict.verdict == "warning"
    assert "0.28" in verdict.reasons[0].message and verdict.reasons[0].code != "CHAIN_STEP"


@pytest.mark.parametrize("claim, verdict", [("1.89", "agrees"), ("1.88", "differs"), ("1.9", "differs")])
def test_table_values_compare_after_rounding(catalogue, claim, verdict):
    part = _with_key(catalogue.part("3.1.table.W23"), value=float(claim), value_text=claim)
    truth = Truth("new_W23", value=sp.Float("1.887841170444", 30))
    result = compare_claim(part, truth)
    assert result.verdict == verdict
    assert result.truth.startswith("1.89")


def _gradient_truth(part, expr):
    return Truth(str(expr), expr=expr, kind="gradient", reference=part.function_expr())


def test_symbolic_claim_equal_as_functions_agrees(catalogue):
    part = catalogue.part("1.5.first")
    ns = part.namespace()
    X, a, b = ns["X"], ns["a"], ns["b"]
    truth = _gradient_truth(part, X * a * b.T + X * b * a.T)    # a different but equal form
    claim = _with_key(part, answer="X*(a*b.T + b*a.T)", steps=())
    assert compare_claim(claim, truth).verdict == "agrees"


@pytest.mark.parametrize("answer, reason", [
    ("2*X*b*a.T", "when abᵀ is symmetric (b = a), which the part does not assume, but not in general"),
    ("(a*b.T + b*a.T)*X.T", "is the transpose of the gradient"),
    ("a*b", "does not compose"),
    ("a.T*b", "has shape 1×1"),
])
def test_symbolic_claims_that_differ_say_why(catalogue, answer, reason):
    part = catalogue.part("1.5.first")
    ns = part.namespace()
    truth = _gradient_truth(part, ns["X"] * (ns["a"] * ns["b"].T + ns["b"] * ns["a"].T))
    verdict = compare_claim(_with_key(part, answer=answer, steps=()), truth)
    assert verdict.verdict == "differs"
    assert reason in verdict.reasons[0].message


def test_scalar_shorthand_for_a_multiple_of_identity_is_a_warning(catalogue):
    part = catalogue.part("1.3.second")
    n = part.namespace()["n"]
    truth = Truth("2 I", expr=2 * sp.Identity(n ** 2), kind="hessian")
    assert compare_claim(part, truth).verdict == "warning"          # key: "2"
    assert compare_claim(_with_key(part, answer="3"), truth).verdict == "differs"


def test_zero_tensor(catalogue):
    part = catalogue.part("1.4.second")
    truth = Truth("0", expr=sp.S.Zero, kind="hessian", is_zero=True)
    assert compare_claim(part, truth).verdict == "agrees"
    assert compare_claim(_with_key(part, answer="2"), truth).verdict == "differs"


def test_chain_lines_are_checked_against_the_function(catalogue):
    """1.2's chain tr(MX) = tr(XM) = Σ X_ij M_ji is right; replace a line by a wrong one."""
    part = catalogue.part("1.2.first")
    ns = part.namespace()
    truth = _gradient_truth(part, ns["M"].T)
    assert compare_claim(part, truth).verdict == "agrees"
    wrong = dataclasses.replace(part.key.steps[1], expr="tr(X*M) + 1")
    verdict = compare_claim(_with_key(part, steps=(part.key.steps[0], wrong)), truth)
    assert verdict.verdict == "warning"
    assert "line 2" in verdict.reasons[0].message


def test_manual_parts_and_missing_answers_are_unverifiable(catalogue):
    assert compare_claim(catalogue.part("4.discussion"), Truth("")).verdict == "unverifiable"
    assert compare_claim(catalogue.part("2.2.report"), Truth("")).verdict == "unverifiable"


def test_independent_finite_differences_confirm_the_1_5_finding():
    """The key's 2 X b aᵀ is not the gradient of aᵀXᵀXb: a central-difference check in plain NumPy."""
    rng = np.random.default_rng(1)
    X, a, b = rng.normal(size=(3, 2)), rng.normal(size=(2, 1)), rng.normal(size=(2, 1))
    f = lambda X: (a.T @ X.T @ X @ b).item()
    h = 1e-6
    numeric = np.zeros_like(X)
    for i in range(3):
        for j in range(2):
            E = np.zeros_like(X)
            E[i, j] = h
            numeric[i, j] = (f(X + E) - f(X - E)) / (2 * h)
    assert np.allclose(numeric, X @ (a @ b.T + b @ a.T), atol=1e-8)
    assert not np.allclose(numeric, 2 * X @ b @ a.T, atol=1e-3)
