"""Grading: compare claims (the key's, a student's) with what symcheck derives and proves."""

from symcheck.grade._compare import VERDICTS, Truth, Verdict, compare_claim
from symcheck.grade._keycheck import PartReport, check_part, check_parts, failed_proofs

__all__ = ["PartReport", "Truth", "VERDICTS", "Verdict", "check_part", "check_parts",
           "compare_claim", "failed_proofs"]

# Submissions, batches and Gradescope (symcheck/grade/_submission.py, _batch.py, _gradescope.py).
from symcheck.grade._submission import Submission, SubmissionIssue, read_submission  # noqa: E402
from symcheck.grade._batch import BatchResult, BatchRow, grade_batch, write_atomically  # noqa: E402
from symcheck.grade._gradescope import gradescope_results, write_gradescope_results  # noqa: E402

__all__ += ["BatchResult", "BatchRow", "Submission", "SubmissionIssue", "grade_batch",
            "gradescope_results", "read_submission", "write_atomically", "write_gradescope_results"]
