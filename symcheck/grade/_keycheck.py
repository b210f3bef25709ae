"""Check the key part by part: establish the truth, prove it, compare the key's claim.

This is what ``symcheck verify`` runs.  For each part it returns a :class:`PartReport` with
the derived answer, its numerical proof, the key's claim and a verdict; the part's kind
(``symcheck.kinds``) says how the truth is established and how the claim is judged.  A wrong
key is a finding (a verdict), never an exception; a derived closed form that fails its proof
is a bug in symcheck and makes ``failed_proofs`` non-empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

from symcheck.grade._result import Reason

__all__ = ["PartReport", "check_part", "check_parts", "failed_proofs"]


@dataclass(frozen=True)
class PartReport:
    """One row of ``symcheck verify``: the part, the truth and its proof, the key, the verdict."""

    id: str
    title: str
    derived: str | None
    proof: Any   # a symcheck.verify.Proof, or None
    key: str | None
    verdict: str
    reasons: tuple[Reason, ...] = field(default=())
    truth: str | None = None
    note: str | None = None

    def to_dict(self) -> dict:
        """Return the row as JSON-ready data (the ``--json`` schema of ``symcheck verify``)."""
        return {"id": self.id, "derived": self.derived,
                "proof": None if self.proof is None else self.proof.to_dict(),
                "key": self.key, "verdict": self.verdict, "reasons": [r.to_dict() for r in self.reasons],
                "truth": self.truth, "note": self.note}


def _key_text(part) -> str | None:
    key = part.key
    if key.answer is not None:
        return key.answer
    if key.value_text is not None or key.value is not None:
        return key.value_text or repr(key.value)
    if key.latex is not None:
        return key.latex if len(key.latex) <= 80 else key.latex[:77] + "..."
    return None


def check_part(part, *, examples: int = 200) -> PartReport:
    """Return the :class:`PartReport` for one catalogue part.

    ``examples`` is the number of instances for the proof and for the comparison.

    >>> from symcheck.catalogue import load_catalogue
    >>> report = check_part(load_catalogue().part("1.4.first"), examples=10)
    >>> report.derived, report.proof.passed
    ('a*b.T', True)
    """
    problem = part.problem.check()
    base = {"id": part.id, "title": part.title, "key": _key_text(part)}
    established = problem.kind.truth(problem, examples=examples)
    if established.truth is None:
        return PartReport(**base, derived=None, proof=None, verdict="unverifiable",
                          reasons=(established.reason,))
    verdict = judge_claim(part, established.truth, examples=examples)
    return PartReport(**base, derived=established.derived, proof=established.proof,
                      verdict=verdict.verdict, reasons=verdict.reasons, truth=verdict.truth,
                      note="; ".join(n for n in (established.note, verdict.note) if n) or None)


def _line_reason(finding) -> Reason:
    """A step finding as a reason under the part's verdict, naming its line."""
    message = finding.explanation
    if not message.startswith(f"line {finding.step}"):
        message = f"line {finding.step} `{finding.claim}`: {message}"
    return Reason(finding.code, message)


def judge_claim(part, truth, *, examples: int = 12):
    """Return the kind's Verdict on the key's answer for ``part``, with its lines' findings.

    The answer is judged by the part's kind (with the grader); each intermediate line by
    ``step_findings`` of _findings.py (the grader's number rules and chain checker).  An
    answer that agrees with a wrong line is a ``warning``.
    """
    from dataclasses import replace

    from symcheck.grade._findings import step_findings

    problem = part.problem
    verdict = problem.kind.compare(problem, truth, part.key, examples=examples)
    lines = tuple(_line_reason(f) for f in step_findings(part))
    if not lines:
        return verdict
    if verdict.verdict == "agrees":
        first = Reason(lines[0].code, "the final answer agrees, but " + lines[0].message)
        return replace(verdict, verdict="warning", reasons=(first,) + lines[1:])
    return replace(verdict, reasons=tuple(verdict.reasons) + lines)


def check_parts(parts: Sequence, *, examples: int = 200,
                progress: Callable[[int, int, str], None] | None = None) -> list[PartReport]:
    """Return a :class:`PartReport` for every part, calling ``progress(done, total, id)``."""
    reports = []
    for i, part in enumerate(parts):
        if progress is not None:
            progress(i, len(parts), part.id)
        reports.append(check_part(part, examples=examples))
    if progress is not None:
        progress(len(parts), len(parts), "")
    return reports


def failed_proofs(reports: Iterable[PartReport]) -> list[PartReport]:
    """Return the reports whose derived closed form failed its numerical proof."""
    return [r for r in reports if r.proof is not None and not r.proof.passed]
