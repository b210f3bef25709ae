"""The rules ``numeric`` and ``table``: a claimed number against the truth.

A number agrees when it is the truth correctly rounded to the decimals it prints, and is a
warning when it is only within the part's tolerance; a table value agrees when it equals the
truth rounded (halves away from zero) to the part's ``decimals``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from symcheck.errors import ExpressionError
from symcheck.kinds._verdict import Truth, Verdict
from symcheck.tolerances import TOLERANCES

__all__ = ["compare_number", "compare_table", "round_half_up"]


def round_half_up(value, decimals: int) -> Decimal:
    """Return ``value`` rounded to ``decimals`` places, halves away from zero, as a Decimal.

    >>> import sympy as sp
    >>> round_half_up(sp.Float("0.125", 30), 2)
    Decimal('0.13')
    """
    import sympy as sp

    return Decimal(str(sp.N(value, 40))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _decimals(text: str | None, value: float) -> int:
    """The number of decimals a claim prints (``"-0.42614473734"`` has 11)."""
    text = text if text is not None else repr(value)
    mantissa = text.lower().split("e")[0]
    return len(mantissa.split(".")[1]) if "." in mantissa else 0


def _exact_value(problem, text: str):
    import sympy as sp

    return sp.N(problem.parse(text, own_symbols=False), 30)


def _number_agrees(claim: float, claim_text: str | None, truth) -> bool:
    """True when the claim is the truth correctly rounded to the decimals it prints."""
    d = _decimals(claim_text, claim)
    half_ulp = 0.5 * 10.0 ** (-d)
    slack = TOLERANCES["rounding_slack"]   # the float64 error in reading the printed digits
    return abs(claim - float(truth)) <= half_ulp * (1 + slack.rtol) + slack.atol * abs(float(truth))


def _fmt(value) -> str:
    return f"{float(value):.12g}"


def _check_number_steps(problem, claim) -> list[str]:
    """Check every intermediate line of the claim that shows both an expression and its value."""
    problems = []
    for i, step in enumerate(claim.steps, start=1):
        if step.expr is None or step.value is None:
            continue
        try:
            computed = _exact_value(problem, step.expr)
        except ExpressionError as err:
            problems.append(f"line {i} `{step.expr}` cannot be evaluated: {err.what}")
            continue
        if not _number_agrees(step.value, step.value_text, computed):
            problems.append(f"line {i}: {step.expr} = {_fmt(computed)}, not {step.value_text or step.value} "
                            "as written")
    return problems


def compare_table(problem, truth: Truth, claim) -> Verdict:
    """Judge a table value: equal to the truth rounded to ``ask.decimals``."""
    want = round_half_up(truth.value, problem.ask.decimals)
    got = Decimal(claim.value_text) if claim.value_text else Decimal(repr(claim.value))
    truth_text = f"{want} (from {_fmt(truth.value)})"
    from symcheck.grade import judge_key_claim   # the grader: one comparison for keys and students

    judged = judge_key_claim(problem.part, truth, str(got))
    return Verdict(judged.verdict, judged.reasons, truth=truth_text)


def compare_number(problem, truth: Truth, claim) -> Verdict:
    """Judge a number at full precision, and each intermediate line that shows a value."""
    value = claim.value
    step_problems = _check_number_steps(problem, claim)
    truth_text = _fmt(truth.value)
    if value is None:
        return Verdict("unverifiable", ("the key states no number",), truth=truth_text)
    from symcheck.grade import judge_key_claim   # the grader: one comparison for keys and students

    judged = judge_key_claim(problem.part, truth, claim.value_text or repr(value))
    if judged.verdict == "agrees":
        if step_problems:
            return Verdict("warning", ("the final number agrees, but " + step_problems[0],
                                       *step_problems[1:]), truth=truth_text)
        return Verdict("agrees", (), truth=truth_text)
    return Verdict(judged.verdict, judged.reasons + tuple(step_problems), truth=truth_text)
