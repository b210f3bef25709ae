"""A stand-in grader for the batch tests: exact text match with the key, no parsing at all.

It lets the batch, output and hostile-file tests run without the real grader's cost; the
real grader is tested end to end in tests/cli/test_grade.py and tests/grade/test_batch_real.py.
"""

try:
    from symcheck.grade import GradeResult, Reason, SubmissionResult
except ImportError:  # until the grading API exports them
    from symcheck.grade._result import GradeResult, Reason, SubmissionResult

PARTS = {"1.4.first": ("a*b.T", 1.0), "1.4.second": ("0", 1.0), "3.1.a5": ("-0.42614473734", 3.0),
         "2.2.report": (None, 10.0)}


class StandInGrader:
    """Grade by comparing the text with the key; "2.2.report" is a manual part."""

    calls = 0

    def grade_answer(self, part_id, answer):
        truth, points = PARTS[part_id]
        if truth is None:
            return GradeResult(part_id, "manual", 0.0, points, "a person grades this part",
                               (Reason("MANUAL", "a person grades this part"),))
        text = " = ".join(answer) if isinstance(answer, list) else str(answer)
        if len(text) > 10_000:
            return GradeResult(part_id, "invalid", 0.0, points, "too large",
                               (Reason("TOO_LARGE", "the answer is too long"),))
        if text.split(" = ")[-1] == truth:
            return GradeResult(part_id, "correct", points, points, "right")
        code = "TRANSPOSED" if text == "b*a.T" else "NOT_EQUIVALENT"
        return GradeResult(part_id, "incorrect", 0.0, points, "wrong", (Reason(code, "wrong"),))

    def grade_submission(self, answers, *, parts=None):
        StandInGrader.calls += 1
        share, parts = parts, []
        for part_id in PARTS:
            if share is not None and part_id not in share:
                continue
            if part_id in answers or PARTS[part_id][0] is None:
                parts.append(self.grade_answer(part_id, answers.get(part_id, "")))
            else:
                parts.append(GradeResult(part_id, "missing", 0.0, PARTS[part_id][1], "no answer",
                                         (Reason("MISSING", "no answer"),)))
        return SubmissionResult(tuple(parts))


def make_standin(catalogue_dir):
    """Return (grader, known ids), as grade_batch's make_grader expects."""
    return StandInGrader(), frozenset(PARTS)
