"""Grading: compare claims (the key's, a student's) with what symcheck derives and proves."""

from symcheck.grade._compare import VERDICTS, Truth, Verdict, compare_claim
from symcheck.grade._keycheck import PartReport, check_part, check_parts, failed_proofs

__all__ = ["PartReport", "Truth", "VERDICTS", "Verdict", "check_part", "check_parts",
           "compare_claim", "failed_proofs"]
