"""What a kind establishes (Truth) and what it decides about a claim (Verdict)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Truth", "Verdict", "VERDICTS"]

VERDICTS = ("agrees", "differs", "warning", "unverifiable")


@dataclass(frozen=True)
class Truth:
    """What symcheck established for a part.

    Symbolic parts carry ``expr`` (a SymPy expression in the part's symbols), ``kind``
    ("gradient", "jacobian", "hessian", "solution") and ``is_zero``; numeric parts carry
    ``value`` (a high-precision SymPy Float).  ``reference`` is the expression a key's
    intermediate lines must equal (the function itself, for a chain of rewritings).
    """

    text: str
    expr: Any = None
    kind: str = ""
    is_zero: bool = False
    value: Any = None
    reference: Any = None
    solution: Any = None
    wrt: Any = None


@dataclass(frozen=True)
class Verdict:
    """The outcome of comparing one claim with the truth."""

    verdict: str
    reasons: tuple[str, ...] = field(default=())
    truth: str | None = None
    note: str | None = None
