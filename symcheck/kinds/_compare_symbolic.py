"""The rule ``symbolic``: a claimed formula against the truth, equal as functions.

The final answer is judged by the grader (``symcheck.grade.judge_key_claim``), the same
comparison a student's answer gets.  Each intermediate line must equal the line it rewrites
(or hold at the solution, for an equation): both are evaluated at ``examples`` seeded random
instances (sizes and values drawn under the part's assumptions), within the part's tolerance.
"""

from __future__ import annotations

import numpy as np

from symcheck.errors import ShapeError
from symcheck.kinds._sample import sample_values
from symcheck.kinds._verdict import Truth, Verdict
from symcheck.tolerances import tolerance

__all__ = ["compare_symbolic"]


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
        problem.parse(claim.answer, where=f"{problem.id} key")
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
