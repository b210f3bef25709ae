"""A second derivative written as the linear map dX ↦ H[dX] (the convention beside the vec-Hessian).

Expected verdicts come from differentiating the gradients by hand (Matrix Cookbook): for
f = tr(XXᵀ) the gradient is 2X, so d(∇f) = 2·dX; for f = aᵀXᵀXb it is X(abᵀ + baᵀ), so
d(∇f) = dX(abᵀ + baᵀ); tr(MX) and aᵀXb are linear, so their second derivative is the zero map.
"""

import pytest

from symcheck.grade import Grader


@pytest.fixture(scope="module")
def grader():
    return Grader()


@pytest.mark.parametrize("part_id, answer", [
    ("1.3.second", "dX ↦ 2*dX"),
    ("1.3.second", "dX -> 2 dX"),
    ("1.3.second", "dX |-> dX + dX"),
    ("1.3.second", r"dX \mapsto 2\,dX"),
    ("1.3.second", r"\mathrm{d}X \mapsto 2\,\mathbf{dX}"),
    ("1.5.second", "dX ↦ dX*(a*b.T + b*a.T)"),
    ("1.5.second", "dX -> dX*a*b.T + dX*b*a.T"),
    ("1.2.second", "dX ↦ 0"),
    ("1.4.second", "dX -> 0*dX"),
])
def test_the_map_form_of_a_right_second_derivative_is_correct(grader, part_id, answer):
    result = grader.grade_answer(part_id, answer)
    assert result.verdict == "correct", result.feedback


@pytest.mark.parametrize("part_id, answer, code", [
    ("1.3.second", "dX ↦ -2*dX", "SIGN"),
    ("1.3.second", "dX ↦ 4*dX", "FACTOR"),
    ("1.3.second", "dX ↦ dX + dX.T", "NOT_EQUIVALENT"),     # right only for a symmetric dX
    ("1.5.second", "dX ↦ 2*dX*a*b.T", "NOT_EQUIVALENT"),    # right only when abᵀ is symmetric
    ("1.5.second", "dX ↦ (a*b.T + b*a.T)*dX", "SHAPE"),     # does not compose, or another shape
    ("1.2.second", "dX ↦ 1", "SHAPE"),
])
def test_a_wrong_map_is_named(grader, part_id, answer, code):
    result = grader.grade_answer(part_id, answer)
    assert result.verdict == "incorrect" and result.codes[:1] == (code,), result.feedback


@pytest.mark.parametrize("part_id, answer, code", [
    ("1.3.second", "dY -> 2*dY", "UNKNOWN_SYMBOL"),         # not the variable of the part
    ("1.1.second", "dx ↦ 0", "UNSUPPORTED"),                # f(x) = MᵀMx is a vector, not a scalar
    ("1.3.first", "dX ↦ 2*dX", "UNSUPPORTED"),              # a first derivative
    ("1.3.second", "dX ↦ 2*dX*", "SYNTAX"),
])
def test_a_map_that_cannot_be_read_says_why(grader, part_id, answer, code):
    result = grader.grade_answer(part_id, answer)
    assert result.verdict == "invalid" and result.codes == (code,), result.feedback
