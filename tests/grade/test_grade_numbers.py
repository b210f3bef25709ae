"""Numbers: tolerance, correct rounding, significant figures, table decimals, exact expressions.

The oracle is the 2-2-1 network of 3.1 recomputed here with Python floats (forward pass and
backpropagation written out by hand), independent of symcheck's 30-digit chain rule.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import pytest

from symcheck.grade import Grader


def network_31(a3=None, dL_da4=None):
    """The 3.1 network in floats; optionally replace a3 or dL_da4 by a wrong value (carried on)."""
    x1, x2, y, alpha = 1.0, -1.0, 1.0, 0.1
    W = {"W13": 1.0, "W14": -1.0, "W23": 2.0, "W24": -3.0, "W35": 2.0, "W45": -1.0}
    v = {}
    v["a3"] = 1 / (1 + math.exp(-(W["W13"] * x1 + W["W23"] * x2))) if a3 is None else a3
    v["a4"] = math.tanh(W["W14"] * x1 + W["W24"] * x2)
    v["a5"] = W["W35"] * v["a3"] + W["W45"] * v["a4"]
    v["loss"] = (y - v["a5"]) ** 2
    v["dL_da5"] = -2 * (y - v["a5"])
    v["grad.W35"], v["grad.W45"] = v["dL_da5"] * v["a3"], v["dL_da5"] * v["a4"]
    v["dL_da4"] = v["dL_da5"] * W["W45"] if dL_da4 is None else dL_da4
    v["dtanh"] = v["dL_da4"] * (1 - v["a4"] ** 2)
    v["grad.W14"], v["grad.W24"] = v["dtanh"] * x1, v["dtanh"] * x2
    v["dL_da3"] = v["dL_da5"] * W["W35"]
    v["dsigmoid"] = v["dL_da3"] * v["a3"] * (1 - v["a3"])
    v["grad.W13"], v["grad.W23"] = v["dsigmoid"] * x1, v["dsigmoid"] * x2
    for w in W:
        v[f"new.{w}"] = W[w] - alpha * v[f"grad.{w}"]
    return v


def written(x: float, figures: int = 11) -> str:
    return f"{x:.{figures}g}"


@pytest.fixture(scope="module")
def grader():
    return Grader()


def test_every_31_value_written_to_11_figures_is_correct(grader):
    truth = network_31()
    for name, value in truth.items():
        result = grader.grade_answer(f"3.1.{name}", written(value))
        assert result.verdict == "correct", (name, result.feedback)


def test_table_values_are_the_truth_rounded_to_two_decimals(grader):
    truth = network_31()
    for w in ("W13", "W14", "W23", "W24", "W35", "W45"):
        rounded = Decimal(repr(truth[f"new.{w}"])).quantize(Decimal("0.01"), ROUND_HALF_UP)
        assert grader.grade_answer(f"3.1.table.{w}", str(rounded)).verdict == "correct"
        wrong = grader.grade_answer(f"3.1.table.{w}", str(rounded + Decimal("0.01")))
        assert wrong.verdict == "incorrect" and wrong.codes == ("ROUNDING",)


def test_the_keys_table_w23_is_a_rounding_error(grader):
    result = grader.grade_answer("3.1.table.W23", "1.88")
    assert result.codes == ("ROUNDING",)
    assert "rounds to 1.89, not 1.88" in result.feedback
    assert grader.grade_answer("3.1.table.W23", "1.888").codes == ("ROUNDING",)   # 3 decimals
    assert grader.grade_answer("3.1.table.W23", "1.9").codes == ("PRECISION",)    # 1 decimal, rounded


A3 = 1 / (1 + math.e)   # σ(−1) = 0.2689414213699951


@pytest.mark.parametrize("answer, verdict, code", [
    ("0.26894", "correct", None),            # the key: 5 figures, correctly rounded
    ("0.2689", "correct", None),             # 4 figures, the minimum
    ("0.2689414214", "correct", None),
    (repr(A3), "correct", None),
    (A3, "correct", None),                   # a float, not a text
    ("sigmoid(-1)", "correct", None),        # exact expressions at 30 digits
    ("1/(1 + exp(1))", "correct", None),
    ("1/(1+e)", "correct", None),
    ("0.3", "incorrect", "PRECISION"),       # correctly rounded, 1 figure
    ("0.269", "incorrect", "PRECISION"),
    ("0.26893", "incorrect", "ROUNDING"),    # last digit off
    ("0.26", "incorrect", "ROUNDING"),       # truncated 0.2689..., not rounded
    ("-0.26894", "incorrect", "SIGN"),
    ("0.53788", "incorrect", "FACTOR"),      # 2·a3
    ("0.7310585786", "incorrect", "NOT_EQUIVALENT"),   # σ(+1)
    ("0.26894 + X", "invalid", "UNKNOWN_SYMBOL"),
])
def test_number_rules_on_a3(grader, answer, verdict, code):
    result = grader.grade_answer("3.1.a3", answer)
    assert result.verdict == verdict, result.feedback
    assert result.codes[:1] == ((code,) if code else ())


@pytest.mark.parametrize("answer, code", [
    ("1e999999", "TOO_LARGE"), ("1e-999999", "TOO_LARGE"), ("9" * 5000, "TOO_LARGE"),
    (10 ** 400, "TOO_LARGE"), (float("nan"), "SYNTAX"), (float("inf"), "SYNTAX"),
])
def test_hostile_numbers_are_refused_not_graded(grader, answer, code):
    result = grader.grade_answer("3.1.a3", answer)
    assert result.verdict == "invalid" and result.codes == (code,)


@pytest.mark.parametrize("digits, zeros", [(6, 2), (6, 1), (4, 4), (5, 3)])
def test_trailing_zeros_the_value_does_not_have_are_a_rounding_error(grader, digits, zeros):
    # σ(−1) correctly rounded to `digits` decimals, then padded with zeros: more digits than the
    # truth has there (not within 1e-6), but a correct rounding without them.
    rounded = f"{A3:.{digits}f}"
    result = grader.grade_answer("3.1.a3", rounded + "0" * zeros)
    assert result.verdict == "incorrect" and result.codes == ("ROUNDING",), result.feedback
    assert f"without the trailing zeros, {rounded}," in result.feedback
    assert grader.grade_answer("3.1.a3", rounded).verdict == "correct"


def test_a_number_showing_no_digit_of_the_truth_is_just_wrong(grader):
    assert grader.grade_answer("3.1.a3", "0").codes == ("NOT_EQUIVALENT",)     # not SIGN, not PRECISION


def test_precision_message_says_how_many_figures(grader):
    result = grader.grade_answer("3.1.a3", "0.3")
    assert "1 significant figure" in result.feedback and "at least 4" in result.feedback


def test_a_tiny_error_within_the_tolerance_is_correct(grader):
    # numeric_full: rtol 1e-6.  The key's ∂L/∂W45 was computed from rounded inputs.
    truth = network_31()["grad.W45"]
    assert grader.grade_answer("3.1.grad.W45", written(truth * (1 + 1e-8), 14)).verdict == "correct"
    assert grader.grade_answer("3.1.grad.W45", written(truth * (1 + 1e-4), 14)).verdict == "incorrect"


# ---------------------------------------------------------------------------------------------
# Found by the hold-out grading of 2026-12-02: LaTeX-wrapped literals and m × 10^k
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("answer", [r"\mathbf{1.89}", r"\mathbf{+1.89}", r"\textbf{1.89}"])
def test_a_wrapped_table_value_keeps_its_digits_at_the_default_mpmath_precision(answer):
    # At mpmath's default 15 digits the value once went through a double (1.8899999999999999),
    # so the key's bold table cell was "not correctly rounded: rounds to 1.89, not 1.89".  Another
    # module of the run may raise mpmath.mp.dps; the grader must not depend on it.
    import mpmath

    truth = round(network_31()["new.W23"], 2)
    assert truth == 1.89
    with mpmath.workdps(15):
        result = Grader().grade_answer("3.1.table.W23", answer)
    assert result.verdict == "correct", result.feedback


@pytest.mark.parametrize("mantissa, exponent, expect", [
    ("2.6894", -1, "correct"),      # 5 significant figures, correctly rounded
    ("2.689", -1, "correct"),       # 4
    ("26.894", -2, "correct"),
    ("2.69", -1, "PRECISION"),      # 3
    ("2.6895", -1, "ROUNDING"),     # last digit off by one
    ("2.6893", -1, "ROUNDING"),
])
@pytest.mark.parametrize("times", [r" \times ", r" \cdot ", "*"])
def test_scientific_notation_is_judged_as_the_literal_it_writes(mantissa, exponent, expect, times):
    truth = network_31()["a3"]
    value = float(mantissa) * 10 ** exponent
    figures = len(mantissa.replace(".", "").lstrip("0"))
    rounded = float(f"{truth:.{figures}g}")
    assert (math.isclose(value, rounded, rel_tol=1e-12)) == (expect != "ROUNDING")
    text = f"{mantissa}{times}10^{{{exponent}}}" if times != "*" else f"{mantissa}*10^({exponent})"
    result = Grader().grade_answer("3.1.a3", text)
    if expect == "correct":
        assert result.verdict == "correct", result.feedback
    else:
        assert result.verdict == "incorrect" and expect in result.codes, result.feedback


@pytest.mark.parametrize("answer, verdict, code", [
    ("exp(-1e300)", "invalid", "TOO_LARGE"),         # representable in mpmath, not as a number
    ("exp(-1e19)", "invalid", "TOO_LARGE"),
    ("1e-300*1e-300", "invalid", "TOO_LARGE"),       # 1e-600
    ("0." + "0" * 9000 + "1", "invalid", "TOO_LARGE"),   # 1e-9001 however it is written
    ("0." + "2" * 55, "incorrect", "NOT_EQUIVALENT"),    # 55 digits (the limit is 60), wrong
    ("0." + "0" * 200 + "1", "incorrect", "NOT_EQUIVALENT"),   # 1e-201: ordinary enough, wrong
    ("\u0660.\u0662\u0666\u0668\u0669\u0664", "invalid", "SYNTAX"),   # Arabic-Indic 0.26894
    ("0.26 89", "invalid", "SYNTAX"),                # two numbers side by side: not a product
])
def test_extreme_numbers_get_a_verdict_or_a_refusal(grader, answer, verdict, code):
    result = grader.grade_answer("3.1.a3", answer)
    assert (result.verdict, result.codes[:1]) == (verdict, (code,)), result.feedback


def test_a_false_step_in_a_number_chain_is_not_rescued_by_carry_forward(grader):
    # 5 = −0.4261… is false; the last line is a5 right, and its parents are absent (taken as
    # the truth), which once made carry-forward call it "correct given your own earlier values"
    result = grader.grade_submission({"3.1.a5": ["5", written(network_31()["a5"])]})
    a5 = next(p for p in result.parts if p.id == "3.1.a5")
    assert a5.verdict == "incorrect" and a5.codes[:1] == ("CHAIN_STEP",), a5.feedback
