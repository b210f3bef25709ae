"""Grading: compare claims (the key's, a student's) with what symcheck derives and proves."""

from symcheck.grade._compare import VERDICTS, Truth, Verdict, compare_claim
from symcheck.grade._findings import KeyFinding, key_findings, render_findings
from symcheck.grade._grader import Grader, KeyJudgement, grade_answer, grade_submission, judge_key_claim
from symcheck.grade._keycheck import PartReport, check_part, check_parts, failed_proofs
from symcheck.grade._result import GRADE_VERDICTS, REASON_CODES, GradeResult, Reason, SubmissionResult

__all__ = ["GRADE_VERDICTS", "GradeResult", "Grader", "KeyJudgement", "PartReport", "REASON_CODES",
           "Reason", "SubmissionResult", "Truth", "VERDICTS", "Verdict", "check_part", "check_parts",
           "compare_claim", "failed_proofs", "grade_answer", "grade_submission", "judge_key_claim",
           "KeyFinding", "key_findings", "render_findings"]

# Submissions, batches and Gradescope (symcheck/grade/_submission.py, _batch.py, _gradescope.py).
from symcheck.grade._submission import Submission, SubmissionIssue, find_submissions, read_submission  # noqa: E402,E501
from symcheck.grade._batch import (BatchResult, BatchRow, batch_output_paths, check_output_path,  # noqa: E402
                                   grade_batch, pinned_workers, split_parts, write_atomically)
from symcheck.grade._gradescope import gradescope_results, write_gradescope_results  # noqa: E402

__all__ += ["BatchResult", "BatchRow", "Submission", "SubmissionIssue", "batch_output_paths",
            "check_output_path", "find_submissions", "grade_batch", "pinned_workers", "gradescope_results", "read_submission", "split_parts",
            "write_atomically", "write_gradescope_results"]

# The answer language (symcheck/grade/_language.py).
from symcheck.grade._language import Answer, parse_answer, parse_definitions  # noqa: E402

__all__ += ["Answer", "parse_answer", "parse_definitions"]
