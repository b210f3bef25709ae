"""The rule ``symbolic``: a claimed formula against the truth, equal as functions.

Both are evaluated at the same seeded random instances (sizes and values drawn under the
part's assumptions); the claim agrees when the largest relative difference is within the
part's tolerance.  Each intermediate line must equal the line it rewrites (or hold at the
solution, for an equation).
"""

from __future__ import annotations

import numpy as np

from symcheck.errors import ShapeError
from symcheck.kinds._sample import sample_values
from symcheck.kinds._verdict import Truth, Verdict
from symcheck.tolerances import tolerance

__all__ = ["compare_symbolic"]


def _shape(expr):
    return tuple(expr.shape) if getattr(expr, "is_Matrix", False) else ()


def _same_shape(a, b) -> bool:
    import sympy as sp

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


def compare_symbolic(problem, truth: Truth, claim, *, examples: int) -> Verdict:
    """Judge a claimed formula (``claim.answer``) and its steps against ``truth``."""
    if claim.answer is None:
        return Verdict("unverifiable", ("the key's answer is written only in LaTeX, not in the "
                                        "expression language",), truth=truth.text)
    try:
        expr = problem.parse(claim.answer, where=f"{problem.id} key")
    except ShapeError as err:
        return Verdict("differs", (f"the key's formula does not compose: {err.what}",),
                       truth=truth.text)
    step_problems = _check_symbolic_steps(problem, truth, claim, examples)
    from symcheck.grade import judge_key_claim   # the grader: one comparison for keys and students

    judged = judge_key_claim(problem.part, truth, claim.answer)
    verdict = Verdict(judged.verdict, judged.reasons, truth=truth.text)
    if verdict.verdict == "agrees" and step_problems:
        return Verdict("warning", ("the final answer agrees; " + step_problems[0], *step_problems[1:]),
                       truth=truth.text)
    if step_problems:
        return Verdict(verdict.verdict, verdict.reasons + tuple(step_problems), truth=truth.text,
                       note=verdict.note)
    return verdict


def _judge_symbolic(problem, truth: Truth, claim, expr, examples: int) -> Verdict:
    import sympy as sp

    tol = tolerance(problem.grading.tolerance).rtol
    assumptions = problem.assumption_texts
    truth_shape = _fmt_shape(_shape(truth.expr))
    if truth.is_zero:
        if expr == 0 or (getattr(expr, "is_ZeroMatrix", False)):
            return Verdict("agrees", (), truth=truth.text,
                           note=f"the zero tensor of shape {truth_shape}")
        return Verdict("differs", (f"the key gives {claim.answer}, but the derivative is the zero "
                                   f"tensor of shape {truth_shape}",), truth=truth.text)
    if not _shape(expr) and _shape(truth.expr):
        rows = sample_values([truth.expr, expr * sp.Identity(truth.expr.shape[0])]
                             if truth.expr.shape[0] == truth.expr.shape[1] else [truth.expr],
                             assumptions=assumptions, examples=examples)
        diff = _max_rel_diff(rows, 0, 1) if rows and len(rows[0]) == 2 else None
        if diff is not None and diff <= tol:
            return Verdict("warning", (f"the key writes the scalar {claim.answer} for "
                                       f"{claim.answer}·I, the {truth_shape} {truth.kind}: right as "
                                       f"shorthand for the map dX ↦ {claim.answer}·dX, but not "
                                       "a full answer",), truth=truth.text)
        return Verdict("differs", (f"the key gives the scalar {claim.answer}, but the answer is a "
                                   f"{truth_shape} {truth.kind}",), truth=truth.text)
    if not _same_shape(expr, truth.expr):
        if _shape(expr) and _same_shape(expr.T, truth.expr):
            rows = sample_values([truth.expr, expr.T], assumptions=assumptions, examples=examples)
            diff = _max_rel_diff(rows, 0, 1)
            if diff is not None and diff <= tol:
                return Verdict("differs", (f"the key's answer is the transpose of the {truth.kind}: "
                                           f"shape {_fmt_shape(_shape(expr))}, where the "
                                           f"{truth.kind} has shape {truth_shape}",), truth=truth.text)
        return Verdict("differs", (f"the key's answer has shape {_fmt_shape(_shape(expr))}, but the "
                                   f"{truth.kind} has shape {truth_shape}",), truth=truth.text)
    rows = sample_values([truth.expr, expr], assumptions=assumptions, examples=examples)
    diff = _max_rel_diff(rows, 0, 1)
    if diff is None:
        return Verdict("warning", ("the key's answer could not be evaluated at every instance",),
                       truth=truth.text)
    if diff <= tol:
        return Verdict("agrees", (), truth=truth.text)
    return Verdict("differs", (f"the key's answer differs from the {truth.kind} at random instances "
                               f"(max relative difference {diff:.2g})",), truth=truth.text)


def _check_symbolic_steps(problem, truth: Truth, claim, examples: int) -> list[str]:
    """Each line of the claim's chain must equal what it rewrites.

    An expression line must equal the reference (the function itself for a chain of
    rewritings, or the truth); an equation line ``lhs = rhs`` must hold at the solution.
    """
    reference = truth.reference if truth.reference is not None else truth.expr
    problems, exprs, lines = [], [reference], []

    def add(expr) -> int:
        exprs.append(expr)
        return len(exprs) - 1

    for i, step in enumerate(claim.steps, start=1):
        try:
            if step.expr is not None:
                lines.append((i, f"`{step.expr}`", 0, add(problem.parse(step.expr))))
            elif step.lhs is not None and step.rhs is not None and truth.solution is not None:
                lhs, rhs = (problem.parse(t).subs(truth.wrt, truth.solution)
                            for t in (step.lhs, step.rhs))
                lines.append((i, f"`{step.lhs} = {step.rhs}`", add(lhs), add(rhs)))
        except ShapeError as err:
            problems.append(f"line {i} does not compose: {err.what}")
    if not lines:
        return problems
    rows = sample_values(exprs, assumptions=problem.assumption_texts, examples=examples)
    for i, text, a, b in lines:
        bad = next((row for row in rows if isinstance(row[b], Exception) or isinstance(row[a], Exception)), None)
        if bad is not None:
            exc = bad[b] if isinstance(bad[b], Exception) else bad[a]
            problems.append(f"line {i} {text} cannot be evaluated for every size "
                            f"({type(exc).__name__}: {exc}): its indices do not fit the shapes")
            continue
        diff = _max_rel_diff(rows, a, b)
        if diff is None or diff > tolerance(problem.grading.tolerance).rtol:
            what = "does not hold at the solution" if a != 0 else "is not equal to the line it rewrites"
            problems.append(f"line {i} {text} {what}")
    return problems
