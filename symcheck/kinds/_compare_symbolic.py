"""The rule ``symbolic``: a claimed formula against the truth, equal as functions.

The final answer is judged by the grader (``symcheck.grade.judge_key_claim``), the same
comparison a student's answer gets.  The key's intermediate lines are checked by
``symcheck.grade.check_part`` with the grader's chain checker, as a student's derivation is.
"""

from __future__ import annotations

from symcheck.errors import ShapeError
from symcheck.kinds._verdict import Truth, Verdict, key_reasons, reason

__all__ = ["compare_symbolic"]


def compare_symbolic(problem, truth: Truth, claim, *, examples: int) -> Verdict:
    """Judge a claimed formula (``claim.answer``) against ``truth`` with the grader."""
    if claim.answer is None:
        return Verdict("unverifiable", (reason("UNSUPPORTED", "the key's answer is written only in "
                                               "LaTeX, not in the expression language"),),
                       truth=truth.text)
    try:
        problem.parse(claim.answer, where=f"{problem.id} key")
    except ShapeError as err:
        return Verdict("differs", (reason("SHAPE", f"the key's formula does not compose: {err.what}"),),
                       truth=truth.text)
    from symcheck.grade import judge_key_claim   # the grader: one comparison for keys and students

    judged = judge_key_claim(problem.part, truth, claim.answer)
    return Verdict(judged.verdict, key_reasons(judged), truth=truth.text)
