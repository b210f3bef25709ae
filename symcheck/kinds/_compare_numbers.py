"""The rules ``numeric`` and ``table``: a claimed number against the truth.

Both are judged by the grader (``symcheck.grade.judge_key_claim``) with its number rules: a
number agrees when it is the truth correctly rounded to the digits it prints; a table value
when it is the truth rounded (halves away from zero) to the part's ``decimals``.  The key's
intermediate lines (``e^{-1.54} = ...``) are checked by ``symcheck.grade.check_part`` with the
same number rules.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from symcheck.kinds._verdict import Truth, Verdict, key_reasons, reason

__all__ = ["compare_number", "compare_table", "round_half_up"]


def round_half_up(value, decimals: int) -> Decimal:
    """Return ``value`` rounded to ``decimals`` places, halves away from zero, as a Decimal.

    >>> import sympy as sp
    >>> round_half_up(sp.Float("0.125", 30), 2)
    Decimal('0.13')
    """
    import sympy as sp

    return Decimal(str(sp.N(value, 40))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _fmt(value) -> str:
    return f"{float(value):.12g}"


def compare_table(problem, truth: Truth, claim) -> Verdict:
    """Judge a table value: equal to the truth rounded to ``ask.decimals``."""
    want = round_half_up(truth.value, problem.ask.decimals)
    got = Decimal(claim.value_text) if claim.value_text else Decimal(repr(claim.value))
    truth_text = f"{want} (from {_fmt(truth.value)})"
    from symcheck.grade import judge_key_claim   # the grader: one comparison for keys and students

    judged = judge_key_claim(problem.part, truth, str(got))
    return Verdict(judged.verdict, key_reasons(judged), truth=truth_text)


def compare_number(problem, truth: Truth, claim) -> Verdict:
    """Judge a number at full precision with the grader."""
    value = claim.value
    truth_text = _fmt(truth.value)
    if value is None:
        return Verdict("unverifiable", (reason("MISSING", "the key states no number"),), truth=truth_text)
    from symcheck.grade import judge_key_claim   # the grader: one comparison for keys and students

    judged = judge_key_claim(problem.part, truth, claim.value_text or repr(value))
    return Verdict(judged.verdict, key_reasons(judged), truth=truth_text)
