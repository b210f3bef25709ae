"""What grading returns: a verdict, a score and reasons with stable codes.

Reason codes are a public interface: scripts, dashboards and Gradescope summaries key on them.
Add a code when a new kind of mistake needs one; never rename or reuse one.

>>> r = GradeResult("1.4.first", "incorrect", 0.0, 2.0, "the transpose of the gradient",
...                 (Reason("TRANSPOSED", "your answer b*a.T is the transpose of the gradient a*b.T"),))
>>> r.to_dict()["reasons"][0]["code"]
'TRANSPOSED'
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["REASON_CODES", "GRADE_VERDICTS", "Reason", "GradeResult", "SubmissionResult"]

# code -> what it means.  Public: add codes, never rename or reuse one.
REASON_CODES: dict[str, str] = {
    "SHAPE": "the answer has another shape than the truth, or its products do not compose",
    "TRANSPOSED": "the answer is the transpose of the truth",
    "SIGN": "the answer is minus the truth",
    "FACTOR": "the answer is c times the truth for a constant c other than 1",
    "MISSING_TERM": "the truth is a sum and the answer lacks one of its terms",
    "SPECIAL_CASE": "the answer equals the truth only under a condition the part does not assume",
    "CONVENTION": "the answer is right in another convention (layout, vec order)",
    "SCALAR_FOR_TENSOR": "a scalar where a matrix or linear operator is asked (2 for 2·I)",
    "ROUNDING": "a number that is not correctly rounded to the digits it shows, or is truncated",
    "PRECISION": "a number with too few significant figures for the part",
    "CARRIED_FORWARD": "wrong only because it uses an earlier wrong value",
    "CHAIN_STEP": "a line of a derivation that does not follow from the line before",
    "NOT_EQUIVALENT": "wrong in no way named by another code",
    "SYNTAX": "the answer is not in the answer language",
    "UNKNOWN_SYMBOL": "the answer names a symbol this part does not have",
    "UNSUPPORTED": "the answer uses a construct symcheck cannot grade",
    "TOO_LARGE": "the answer exceeds a limit on size or work (symcheck/limits.py)",
    "UNDECIDED": "symcheck could not decide equality; never marked correct",
    "MISSING": "the submission has no answer for this part",
    "MANUAL": "a person grades this part; symcheck does not score it",
}

# correct: full marks; partial: some credit (carried forward); incorrect: none; invalid: the
# answer could not be graded (syntax, unknown symbol, too large); missing: no answer given;
# manual: a person grades it.
GRADE_VERDICTS = ("correct", "partial", "incorrect", "invalid", "missing", "manual")


@dataclass(frozen=True)
class Reason:
    """One reason for a verdict: a stable code and one sentence for the student."""

    code: str
    message: str

    def __post_init__(self):
        if self.code not in REASON_CODES:
            raise ValueError(f"unknown reason code {self.code!r}; add it to REASON_CODES")

    def to_dict(self) -> dict:
        """Return ``{"code", "message"}``."""
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True)
class GradeResult:
    """The grade of one answer to one part."""

    id: str
    verdict: str
    score: float
    max_score: float
    feedback: str
    reasons: tuple[Reason, ...] = ()
    carried_forward_from: tuple[str, ...] = ()
    truth: str | None = None
    answer: str | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        """The reason codes, in order."""
        return tuple(r.code for r in self.reasons)

    def to_dict(self) -> dict:
        """Return the JSON form used by ``symcheck grade --json``."""
        return {"id": self.id, "verdict": self.verdict, "score": self.score,
                "max_score": self.max_score, "feedback": self.feedback,
                "reasons": [r.to_dict() for r in self.reasons],
                "carried_forward_from": list(self.carried_forward_from),
                "truth": self.truth, "answer": self.answer}


@dataclass(frozen=True)
class SubmissionResult:
    """The grades of a whole submission, in catalogue order."""

    parts: tuple[GradeResult, ...]
    unknown_ids: tuple[str, ...] = field(default=())

    @property
    def score(self) -> float:
        return sum(p.score for p in self.parts)

    @property
    def max_score(self) -> float:
        return sum(p.max_score for p in self.parts)

    def to_dict(self) -> dict:
        """Return ``{"score", "max_score", "parts": [...], "unknown_ids": [...]}``."""
        return {"score": self.score, "max_score": self.max_score,
                "parts": [p.to_dict() for p in self.parts], "unknown_ids": list(self.unknown_ids)}
