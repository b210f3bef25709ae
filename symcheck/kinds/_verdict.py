"""What a kind establishes (Truth) and what it decides about a claim (Verdict)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Truth", "Verdict", "VERDICTS", "key_reasons", "reason"]

VERDICTS = ("agrees", "differs", "warning", "unverifiable")


@dataclass(frozen=True)
class Truth:
    """What symcheck established for a part.

    Symbolic parts carry ``expr`` (a SymPy expression in the part's symbols), ``kind``
    ("gradient", "jacobian", "hessian", "solution") and ``is_zero``; numeric parts carry
    ``value`` (a high-precision SymPy Float).  ``reference`` is the expression a key's
    intermediate lines must equal (the function itself, for a chain of rewritings).
    ``derived`` is :func:`expr_digest` of the expression the kind derived from the part itself:
    the grader then prepares and stores it as its own derivation of the part.  It is a digest,
    not a flag, so a copy with another ``expr`` (``dataclasses.replace``) is no longer derived.
    """

    text: str
    expr: Any = None
    kind: str = ""
    is_zero: bool = False
    value: Any = None
    reference: Any = None
    solution: Any = None
    wrt: Any = None
    derived: str | None = None


@dataclass(frozen=True)
class Verdict:
    """The outcome of comparing one claim with the truth.

    ``reasons`` are ``symcheck.grade.Reason`` objects (a code of ``REASON_CODES`` and a message),
    the same as a student's grade carries.
    """

    verdict: str
    reasons: tuple = field(default=())
    truth: str | None = None
    note: str | None = None


def reason(code: str, message: str):
    """Return the ``symcheck.grade.Reason`` with ``code`` (one of ``REASON_CODES``) and ``message``.

    >>> reason("MISSING", "the key states no number").to_dict()
    {'code': 'MISSING', 'message': 'the key states no number'}
    """
    from symcheck.grade import Reason   # on first use: a catalogue loads without the grader

    return Reason(code, message)


def key_reasons(judged) -> tuple:
    """Return the grader's reasons on the key (a ``KeyJudgement``) with the key's wording."""
    return tuple(reason(r.code, text) for r, text in zip(judged.result.reasons, judged.reasons))


def expr_digest(expr) -> str:
    """A SHA-256 digest of a SymPy expression's structure (``srepr``): equal digests, same tree."""
    import hashlib

    import sympy as sp

    return hashlib.sha256(sp.srepr(expr).encode()).hexdigest()
