"""A first comparison of a claim (the key's, or a student's) with the truth symcheck derived.

Symbolic claims are compared by evaluation at random instances; numbers with the catalogue's
tolerance and the precision the claim prints; table values after rounding.  Every verdict is
one of ``agrees``, ``differs``, ``warning`` or ``unverifiable``, with its reasons.

This module is the one place a claim is judged: :func:`compare_claim` can be replaced by a
fuller grader (error carried forward, root causes, derivation chains) without touching
``symcheck verify``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import sympy as sp

from symcheck.errors import ExpressionError, ShapeError
from symcheck.tolerances import TOLERANCES, tolerance

__all__ = ["Verdict", "Truth", "compare_claim", "VERDICTS"]

VERDICTS = ("agrees", "differs", "warning", "unverifiable")


@dataclass(frozen=True)
class Truth:
    """What symcheck established for a part.

    Symbolic parts carry ``expr`` (a SymPy expression in the part's symbols), ``kind``
    ("gradient", "jacobian", "hessian", "solution") and ``is_zero``; numeric parts carry
    ``value`` (a high-precision SymPy Float).  ``reference`` is the expression a key's
    intermediate lines must equal (the function itself, for a chain of rewritings).
    """

    text: str
    expr: sp.Basic | None = None
    kind: str = ""
    is_zero: bool = False
    value: sp.Float | None = None
    reference: sp.Basic | None = None
    solution: sp.Basic | None = None
    wrt: sp.Basic | None = None


@dataclass(frozen=True)
class Verdict:
    """The outcome of comparing one claim with the truth."""

    verdict: str
    reasons: tuple[str, ...] = field(default=())
    truth: str | None = None
    note: str | None = None


def compare_claim(part, truth: Truth, *, examples: int = 12) -> Verdict:
    """Return the :class:`Verdict` on the key's claim for ``part`` against ``truth``.

    >>> from symcheck.catalogue import load_catalogue
    >>> part = load_catalogue().part("1.4.first")
    >>> ns = part.namespace()
    >>> verdict = compare_claim(part, Truth("a*b.T", expr=ns["a"] * ns["b"].T, kind="gradient",
    ...                                     reference=part.function_expr()))
    >>> verdict.verdict
    'warning'
    >>> verdict.reasons[0]
    'the final answer agrees; ...line 3 ... cannot be evaluated ...'
    """
    key = part.key
    if part.grading.rule == "manual":
        return Verdict("unverifiable", ("a person grades this part; symcheck does not score it",),
                       truth=None, note=key.note)
    if not key.present:
        return Verdict("unverifiable", ("the key gives no answer for this part",), note=key.note)
    if truth.value is not None:
        return _compare_number(part, truth)
    return _compare_symbolic(part, truth, examples)


# -- numbers -------------------------------------------------------------------------------------

def _decimals(text: str | None, value: float) -> int:
    """The number of decimals a claim prints (``"-0.42614473734"`` has 11)."""
    text = text if text is not None else repr(value)
    mantissa = text.lower().split("e")[0]
    return len(mantissa.split(".")[1]) if "." in mantissa else 0


def round_half_up(value: sp.Float, decimals: int) -> Decimal:
    """Return ``value`` rounded to ``decimals`` places, halves away from zero, as a Decimal."""
    return Decimal(str(sp.N(value, 40))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _exact_value(text: str) -> sp.Float:
    from symcheck.expr import parse

    return sp.N(parse(text, {}), 30)


def _number_agrees(claim: float, claim_text: str | None, truth: sp.Float) -> bool:
    """True when the claim is the truth correctly rounded to the decimals it prints."""
    d = _decimals(claim_text, claim)
    half_ulp = 0.5 * 10.0 ** (-d)
    slack = TOLERANCES["rounding_slack"]   # the float64 error in reading the printed digits
    return abs(claim - float(truth)) <= half_ulp * (1 + slack.rtol) + slack.atol * abs(float(truth))


def _fmt(value) -> str:
    return f"{float(value):.12g}"


def _check_number_steps(part) -> list[str]:
    """Check every intermediate line of the key that shows both an expression and its value."""
    problems = []
    for i, step in enumerate(part.key.steps, start=1):
        if step.expr is None or step.value is None:
            continue
        try:
            computed = _exact_value(step.expr)
        except ExpressionError as err:
            problems.append(f"line {i} `{step.expr}` cannot be evaluated: {err.what}")
            continue
        if not _number_agrees(step.value, step.value_text, computed):
            problems.append(f"line {i}: {step.expr} = {_fmt(computed)}, not {step.value_text or step.value} "
                            "as written")
    return problems


def _compare_number(part, truth: Truth) -> Verdict:
    key = part.key
    claim = key.value
    if part.ask.kind == "table_value":
        want = round_half_up(truth.value, part.ask.decimals)
        got = Decimal(key.value_text) if key.value_text else Decimal(repr(claim))
        truth_text = f"{want} (from {_fmt(truth.value)})"
        if got == want:
            return Verdict("agrees", (), truth=truth_text)
        return Verdict("differs", (f"the key's table shows {got}, but the value "
                                   f"{_fmt(truth.value)} rounds to {want}",), truth=truth_text)
    step_problems = _check_number_steps(part)
    truth_text = _fmt(truth.value)
    if claim is None:
        return Verdict("unverifiable", ("the key states no number",), truth=truth_text)
    if _number_agrees(claim, key.value_text, truth.value):
        if step_problems:
            return Verdict("warning", ("the final number agrees, but " + step_problems[0],
                                       *step_problems[1:]), truth=truth_text)
        return Verdict("agrees", (), truth=truth_text)
    tol = tolerance(part.grading.tolerance)
    rel = abs(claim - float(truth.value)) / max(abs(float(truth.value)), 1e-300)
    if tol.accepts(claim, float(truth.value)):
        return Verdict("warning", (f"{key.value_text or claim} is within the tolerance "
                                   f"({tol.description}) but not the correctly rounded value "
                                   f"{truth_text} (relative error {rel:.1e})", *step_problems),
                       truth=truth_text)
    return Verdict("differs", (f"the key says {key.value_text or claim}, the value is {truth_text} "
                               f"(relative error {rel:.1e})", *step_problems), truth=truth_text)


# -- symbolic claims -----------------------------------------------------------------------------

def _shape(expr):
    return tuple(expr.shape) if getattr(expr, "is_Matrix", False) else ()


def _same_shape(a, b) -> bool:
    sa, sb = _shape(a), _shape(b)
    return len(sa) == len(sb) and all(sp.simplify(x - y) == 0 for x, y in zip(sa, sb))


def _fmt_shape(shape) -> str:
    return "scalar" if not shape else "×".join(str(d) for d in shape)


def _max_rel_diff(rows, i: int, j: int) -> float | None:
    """Largest relative difference between expressions i and j over the sampled rows."""
    worst = 0.0
    for row in rows:
        a, b = row[i], row[j]
        if isinstance(a, Exception) or isinstance(b, Exception):
            return None
        b = np.broadcast_to(b, a.shape) if b.ndim == 0 else b
        if a.size != b.size:
            return None
        a, b = a.reshape(-1), b.reshape(-1)
        scale = max(float(np.max(np.abs(a))), float(np.max(np.abs(b))), 1.0)
        worst = max(worst, float(np.max(np.abs(a - b))) / scale)
    return worst


def _compare_symbolic(part, truth: Truth, examples: int) -> Verdict:
    from symcheck.expr import parse

    key = part.key
    if key.answer is None:
        return Verdict("unverifiable", ("the key's answer is written only in LaTeX, not in the "
                                        "expression language",), truth=truth.text)
    namespace = part.namespace()
    try:
        claim = parse(key.answer, namespace, where=f"{part.id} key")
    except ShapeError as err:
        return Verdict("differs", (f"the key's formula does not compose: {err.what}",),
                       truth=truth.text)
    step_problems = _check_symbolic_steps(part, truth, namespace, examples)
    verdict = _judge_symbolic(part, truth, claim, examples)
    if verdict.verdict == "agrees" and step_problems:
        return Verdict("warning", ("the final answer agrees; " + step_problems[0], *step_problems[1:]),
                       truth=truth.text)
    if step_problems:
        return Verdict(verdict.verdict, verdict.reasons + tuple(step_problems), truth=truth.text,
                       note=verdict.note)
    return verdict


def _judge_symbolic(part, truth: Truth, claim, examples: int) -> Verdict:
    from symcheck.grade._sample import sample_values

    tol = tolerance(part.grading.tolerance).rtol
    truth_shape = _fmt_shape(_shape(truth.expr))
    if truth.is_zero:
        if claim == 0 or (getattr(claim, "is_ZeroMatrix", False)):
            return Verdict("agrees", (), truth=truth.text,
                           note=f"the zero tensor of shape {truth_shape}")
        return Verdict("differs", (f"the key gives {part.key.answer}, but the derivative is the zero "
                                   f"tensor of shape {truth_shape}",), truth=truth.text)
    if not _shape(claim) and _shape(truth.expr):
        rows = sample_values([truth.expr, claim * sp.Identity(truth.expr.shape[0])]
                             if truth.expr.shape[0] == truth.expr.shape[1] else [truth.expr],
                             assumptions=part.assumptions, examples=examples)
        diff = _max_rel_diff(rows, 0, 1) if rows and len(rows[0]) == 2 else None
        if diff is not None and diff <= tol:
            return Verdict("warning", (f"the key writes the scalar {part.key.answer} for "
                                       f"{part.key.answer}·I, the {truth_shape} {truth.kind}: right as "
                                       f"shorthand for the map dX ↦ {part.key.answer}·dX, but not "
                                       "a full answer",), truth=truth.text)
        return Verdict("differs", (f"the key gives the scalar {part.key.answer}, but the answer is a "
                                   f"{truth_shape} {truth.kind}",), truth=truth.text)
    if not _same_shape(claim, truth.expr):
        if _shape(claim) and _same_shape(claim.T, truth.expr):
            rows = sample_values([truth.expr, claim.T], assumptions=part.assumptions, examples=examples)
            diff = _max_rel_diff(rows, 0, 1)
            if diff is not None and diff <= tol:
                return Verdict("differs", (f"the key's answer is the transpose of the {truth.kind}: "
                                           f"shape {_fmt_shape(_shape(claim))}, where the "
                                           f"{truth.kind} has shape {truth_shape}",), truth=truth.text)
        return Verdict("differs", (f"the key's answer has shape {_fmt_shape(_shape(claim))}, but the "
                                   f"{truth.kind} has shape {truth_shape}",), truth=truth.text)
    rows = sample_values([truth.expr, claim], assumptions=part.assumptions, examples=examples)
    diff = _max_rel_diff(rows, 0, 1)
    if diff is None:
        return Verdict("warning", ("the key's answer could not be evaluated at every instance",),
                       truth=truth.text)
    if diff <= tol:
        return Verdict("agrees", (), truth=truth.text)
    return Verdict("differs", (f"the key's answer differs from the {truth.kind} at random instances "
                               f"(max relative difference {diff:.2g})",), truth=truth.text)


def _check_symbolic_steps(part, truth: Truth, namespace, examples: int) -> list[str]:
    """Each line of the key's chain must equal what it rewrites.

    An expression line must equal the reference (the function itself for a chain of
    rewritings, or the truth); an equation line ``lhs = rhs`` must hold at the solution.
    """
    from symcheck.expr import parse
    from symcheck.grade._sample import sample_values

    reference = truth.reference if truth.reference is not None else truth.expr
    problems, exprs, lines = [], [reference], []

    def add(expr) -> int:
        exprs.append(expr)
        return len(exprs) - 1

    for i, step in enumerate(part.key.steps, start=1):
        try:
            if step.expr is not None:
                lines.append((i, f"`{step.expr}`", 0, add(parse(step.expr, namespace))))
            elif step.lhs is not None and step.rhs is not None and truth.solution is not None:
                lhs, rhs = (parse(t, namespace).subs(truth.wrt, truth.solution)
                            for t in (step.lhs, step.rhs))
                lines.append((i, f"`{step.lhs} = {step.rhs}`", add(lhs), add(rhs)))
        except ShapeError as err:
            problems.append(f"line {i} does not compose: {err.what}")
    if not lines:
        return problems
    rows = sample_values(exprs, assumptions=part.assumptions, examples=examples)
    for i, text, a, b in lines:
        bad = next((row for row in rows if isinstance(row[b], Exception) or isinstance(row[a], Exception)), None)
        if bad is not None:
            exc = bad[b] if isinstance(bad[b], Exception) else bad[a]
            problems.append(f"line {i} {text} cannot be evaluated for every size "
                            f"({type(exc).__name__}: {exc}): its indices do not fit the shapes")
            continue
        diff = _max_rel_diff(rows, a, b)
        if diff is None or diff > tolerance(part.grading.tolerance).rtol:
            what = "does not hold at the solution" if a != 0 else "is not equal to the line it rewrites"
            problems.append(f"line {i} {text} {what}")
    return problems
