"""Derivation chains: the first line that does not follow, with a counterexample one can check.

The counterexample is checked independently: its matrices are read back from the message and
both lines are recomputed here with NumPy.
"""

from __future__ import annotations

import ast
import re

import numpy as np
import pytest

from symcheck.grade import Grader


@pytest.fixture(scope="module")
def grader():
    return Grader()


def test_a_chain_that_rewrites_f_then_differentiates_is_correct(grader):
    result = grader.grade_answer("1.4.first", ["a.T*X*b", "b.T*X.T*a", "a*b.T"])
    assert result.verdict == "correct", result.feedback


def test_a_chain_of_equal_gradients_is_correct(grader):
    lines = ["X*(a*b.T + b*a.T)", "X*a*b.T + X*b*a.T"]
    assert grader.grade_answer("1.5.first", lines).verdict == "correct"


def _matrices(message: str) -> dict[str, np.ndarray]:
    found = {}
    for name, text in re.findall(r"\b([A-Za-z]\w*) = (\[\[.*?\]\]|-?\d+)(?=[,;]| the| but)", message):
        found[name] = np.array(ast.literal_eval(text), dtype=float)
    return found


def test_the_first_broken_step_has_a_checkable_integer_counterexample(grader):
    lines = ["X*(a*b.T + b*a.T)", "X*a*b.T + X*b*a.T", "2*X*a*b.T", "2*X*a*b.T"]
    result = grader.grade_answer("1.5.first", lines)
    assert result.verdict == "incorrect"
    assert result.codes[0] == "CHAIN_STEP"
    message = result.reasons[0].message
    assert "line 3" in message and "line 2" in message
    values = _matrices(message)
    X, a, b = values["X"], values["a"], values["b"]
    assert np.all(X == np.round(X)) and X.shape[0] <= 3         # small integers
    before, after = X @ a @ b.T + X @ b @ a.T, 2 * X @ a @ b.T
    assert not np.allclose(before, after)
    printed = re.search(r"the line before is (\[\[.*?\]\]) but this line is (\[\[.*?\]\])", message)
    assert np.array_equal(np.array(ast.literal_eval(printed.group(1))), before)
    assert np.array_equal(np.array(ast.literal_eval(printed.group(2))), after)


def test_a_wrong_rewriting_of_the_function_is_named(grader):
    result = grader.grade_answer("1.4.first", ["a.T*X*b", "2*b.T*X.T*a", "a*b.T"])
    assert result.codes[0] == "CHAIN_STEP" and "line 2" in result.feedback


def test_a_line_that_does_not_compose_is_refused_with_its_number(grader):
    result = grader.grade_answer("1.5.first", ["a.T*X.T*X*b", "b.T*X.T*X.T*a"])
    assert result.codes == ("SHAPE",) and "line 2" in result.feedback


def test_number_chains_allow_rounding_and_catch_a_wrong_value(grader):
    good = ["sigmoid(-1)", "1/(1 + exp(1))", "1/(1 + 2.71828)", "0.26894"]
    assert grader.grade_answer("3.1.a3", good).verdict == "correct"
    bad = ["sigmoid(-1.54)", "1/(1 + 4.65235195767)", "0.1769"]    # the key's 3.3 slip
    result = grader.grade_answer("3.3.a3", bad)
    assert result.codes[0] == "CHAIN_STEP" and "line 2" in result.feedback
