"""The number rules: tolerance, correct rounding, significant figures and table decimals.

A number answer is correct when it is within the part's tolerance of the truth, or when it is
the truth correctly rounded (halves away from zero) to the digits it writes and writes at least
the part's minimum number of significant figures.  A table value must be the truth rounded to
exactly the decimals the table asks for.  Numbers are compared as exact decimals at 30+ digits,
so reading ``0.26894`` never adds a float64 error.

>>> truth = Decimal("0.268941421369995120748840758")
>>> judge_number(NumberClaim("0.26894", Decimal("0.26894"), "0.26894"), truth).correct
True
>>> [r.code for r in judge_number(NumberClaim("0.3", Decimal("0.3"), "0.3"), truth).reasons]
['PRECISION']
>>> r = judge_number(NumberClaim("1.88", Decimal("1.88"), "1.88"), Decimal("1.88784117044"), decimals=2)
>>> r.reasons[0].message
'the table value 1.88 is not correctly rounded: 1.88784117044 rounds to 1.89, not 1.88'
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from fractions import Fraction
import math

from symcheck.grade._result import Reason
from symcheck.tolerances import TOLERANCES, Tolerance

__all__ = ["NumberClaim", "NumberJudgement", "judge_number", "significant_figures", "quantum",
           "round_to", "fmt", "to_decimal"]

DIGITS = 40          # working precision of the rounding arithmetic
EXACT_DIGITS = 30    # exact answers and truths are known to 30 significant digits
MAX_FACTOR = 10      # FACTOR names c = p/q with |p|, q at most this (2, 1/2, 10, 3/2, ...)
_COMMON_FACTORS = (Fraction(2), Fraction(1, 2), Fraction(10), Fraction(1, 10))


@dataclass(frozen=True)
class NumberClaim:
    """A number as the answerer wrote it: the text, its exact value and the literal (if one)."""

    text: str
    value: Decimal
    literal: str | None = None


@dataclass(frozen=True)
class NumberJudgement:
    correct: bool
    reasons: tuple[Reason, ...] = ()


def to_decimal(value) -> Decimal:
    """Return ``value`` (a SymPy Float, an mpmath mpf, a float, a str) as an exact Decimal."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (int, str)):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    try:   # SymPy Float / mpmath mpf: print with enough digits, at enough working precision
        import mpmath   # (at mpmath's default 15 digits, mpf() would cut a 30-digit Float to 53 bits)

        with mpmath.workdps(EXACT_DIGITS + 10):
            return Decimal(mpmath.nstr(mpmath.mpf(value), EXACT_DIGITS, strip_zeros=False))
    except (TypeError, ValueError, InvalidOperation):
        return Decimal(str(value))


def quantum(literal: str) -> int:
    """Return the exponent of the literal's last written digit (``"0.26894"`` -> -5)."""
    return Decimal(literal.strip()).as_tuple().exponent


def significant_figures(literal: str) -> int:
    """Return how many significant figures a literal writes.

    >>> [significant_figures(t) for t in ("0.26894", "-2.7e-3", "0.000542394", "2.0", "1e-5")]
    [5, 2, 6, 2, 1]
    """
    digits = Decimal(literal.strip()).as_tuple().digits
    stripped = "".join(str(d) for d in digits).lstrip("0")
    return max(len(stripped), 1)


def round_to(value: Decimal, exponent: int, rounding=ROUND_HALF_UP) -> Decimal:
    """Return ``value`` rounded to the digit 10**exponent (halves away from zero by default)."""
    with localcontext() as ctx:
        # enough digits for every place down to 10**exponent (a 55-digit literal asks for 55)
        ctx.prec = max(DIGITS + 10, value.adjusted() - exponent + 10)
        return value.quantize(Decimal(1).scaleb(exponent), rounding=rounding)


def fmt(value: Decimal, digits: int = 12) -> str:
    """Return ``value`` with ``digits`` significant digits, as the messages print truths."""
    return f"{float(value):.{digits}g}"


def _within(claim: Decimal, truth: Decimal, tol: Tolerance) -> bool:
    return abs(claim - truth) <= Decimal(repr(tol.atol)) + Decimal(repr(tol.rtol)) * abs(truth)


def _rounded_match(claim: NumberClaim, truth: Decimal) -> bool:
    """True when the literal is ``truth`` correctly rounded to its last digit, and that digit is
    not coarser than the truth itself (``0`` shows no digit of 0.27)."""
    if claim.literal is None:
        return False
    q = quantum(claim.literal)
    return Decimal(1).scaleb(q) <= abs(truth) and round_to(truth, q) == claim.value


def _ratio_text(ratio: Fraction) -> str:
    return str(ratio.numerator) if ratio.denominator == 1 else f"{ratio.numerator}/{ratio.denominator}"


def _matches(claim: NumberClaim, value: Decimal, tol: Tolerance) -> bool:
    """True when the claim is ``value`` within the tolerance, or ``value`` correctly rounded."""
    return _within(claim.value, value, tol) or _rounded_match(claim, value)


def _sign_or_factor(claim: NumberClaim, truth: Decimal, tol: Tolerance) -> Reason | None:
    if truth == 0:
        return None
    if _matches(claim, -truth, tol):
        return Reason("SIGN", f"your answer {claim.text} is minus the value {fmt(truth)}: check the sign")
    ratio = float(claim.value / truth)
    if not math.isfinite(ratio):
        return None
    simple = Fraction(ratio).limit_denominator(MAX_FACTOR)
    if simple in (0, 1, -1) or abs(simple.numerator) > MAX_FACTOR:
        return None
    # A number with few figures matches some p/q by chance (0.89 ≈ 4/5 · 1.112): then only the
    # slips people make (×2, ×½, ×10, ×⅒) are named.
    if claim.literal is not None and significant_figures(claim.literal) < 4 \
            and abs(simple) not in _COMMON_FACTORS:
        return None
    factor = Decimal(simple.numerator) / Decimal(simple.denominator)
    if _matches(claim, truth * factor, tol):
        return Reason("FACTOR", f"your answer {claim.text} is {_ratio_text(simple)} times the value "
                                f"{fmt(truth)}: a factor c = {_ratio_text(simple)}")
    return None


def _rounding_reason(claim: NumberClaim, truth: Decimal) -> Reason | None:
    """A literal one unit off in its last digit, or the truth truncated instead of rounded."""
    q = quantum(claim.literal)
    rounded = round_to(truth, q)
    if claim.value == round_to(truth, q, ROUND_DOWN) or abs(claim.value - rounded) <= Decimal(1).scaleb(q):
        what = "truncated" if claim.value == round_to(truth, q, ROUND_DOWN) else "not correctly rounded"
        return Reason("ROUNDING", f"your answer {claim.text} is {what}: {fmt(truth)} rounds to "
                                  f"{rounded}, not {claim.literal}")
    shorter = claim.value.normalize()   # the literal without its trailing zeros
    if shorter.as_tuple().exponent > q and Decimal(1).scaleb(shorter.as_tuple().exponent) <= abs(truth) \
            and round_to(truth, shorter.as_tuple().exponent) == claim.value:
        return Reason("ROUNDING", f"your answer {claim.text} writes zeros the value does not have: "
                                  f"{fmt(truth)} rounds to {rounded} at that many decimals; without "
                                  f"the trailing zeros, {_plain(shorter)}, it is correctly rounded")
    return None


def _plain(value: Decimal) -> str:
    """The decimal in positional notation (``2.6894E-1`` -> ``0.26894``)."""
    return format(value, "f")


def judge_number(claim: NumberClaim, truth, *, tol: Tolerance | None = None, min_figures: int = 4,
                 decimals: int | None = None, explain: bool = True) -> NumberJudgement:
    """Judge a number against the truth with the rules of the module docstring.

    ``decimals`` makes it a table value (exactly that many decimals, correctly rounded).
    ``explain=False`` asks only whether it is correct: a wrong number then gets no reasons
    (the carry-forward check asks this thousands of times a class).
    """
    truth = to_decimal(truth)
    tol = tol or TOLERANCES["numeric_full"]
    if decimals is not None:
        return _judge_table(claim, truth, decimals)
    if _within(claim.value, truth, tol):
        return NumberJudgement(True)
    # A literal whose last digit is coarser than the truth itself shows none of its digits.
    if claim.literal is not None and Decimal(1).scaleb(quantum(claim.literal)) <= abs(truth):
        figures = significant_figures(claim.literal)
        if _rounded_match(claim, truth):
            if figures >= min_figures:
                return NumberJudgement(True)
            return NumberJudgement(False, (Reason(
                "PRECISION", f"your answer {claim.text} has {figures} significant figure"
                f"{'s' if figures != 1 else ''}; this part asks for at least {min_figures} "
                f"({round_to(truth, _exponent_for_figures(truth, min_figures))})"),))
        if not explain:
            return NumberJudgement(False)
        reason = _rounding_reason(claim, truth)
        if reason is not None:
            return NumberJudgement(False, (reason,))
    if not explain:
        return NumberJudgement(False)
    reason = _sign_or_factor(claim, truth, tol)
    if reason is not None:
        return NumberJudgement(False, (reason,))
    rel = abs(claim.value - truth) / abs(truth) if truth != 0 else abs(claim.value)
    return NumberJudgement(False, (Reason(
        "NOT_EQUIVALENT", f"your answer {claim.text} is not the value {fmt(truth)} "
                          f"(relative error {float(rel):.1e})"),))


def _exponent_for_figures(truth: Decimal, figures: int) -> int:
    if truth == 0:
        return -figures
    return truth.adjusted() - figures + 1


def _judge_table(claim: NumberClaim, truth: Decimal, decimals: int) -> NumberJudgement:
    rounded = round_to(truth, -decimals)
    if claim.literal is None:
        return NumberJudgement(False, (Reason(
            "ROUNDING", f"the table asks for the value rounded to {decimals} decimals ({rounded}); "
                        f"write that number, not {claim.text}"),))
    if quantum(claim.literal) > -decimals and _rounded_match(claim, truth):
        return NumberJudgement(False, (Reason(
            "PRECISION", f"the table value {claim.literal} is {fmt(truth)} rounded to fewer decimals than "
                         f"the {decimals} the table asks for: write {rounded}"),))
    if quantum(claim.literal) != -decimals:
        return NumberJudgement(False, (Reason(
            "ROUNDING", f"the table value {claim.literal} does not have the {decimals} decimals the "
                        f"table asks for: {fmt(truth)} rounds to {rounded}"),))
    if claim.value == rounded:
        return NumberJudgement(True)
    if abs(claim.value - rounded) <= Decimal(1).scaleb(-decimals):
        return NumberJudgement(False, (Reason(
            "ROUNDING", f"the table value {claim.literal} is not correctly rounded: {fmt(truth)} "
                        f"rounds to {rounded}, not {claim.literal}"),))
    reason = _sign_or_factor(claim, truth, Tolerance(0.0, 0.0, "exact"))
    if reason is not None:
        return NumberJudgement(False, (reason,))
    return NumberJudgement(False, (Reason(
        "NOT_EQUIVALENT", f"the table value {claim.literal} is not {fmt(truth)} rounded to "
                          f"{decimals} decimals, which is {rounded}"),))
