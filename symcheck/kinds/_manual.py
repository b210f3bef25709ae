"""Kinds ``explanation`` and ``code``: answers a person grades (rule ``manual``).

No fields.  symcheck lists these parts and counts their points, but neither derives a truth
nor scores a claim: every verdict is unverifiable.
"""

from __future__ import annotations

from symcheck.kinds._registry import Established, Kind, register_kind
from symcheck.kinds._verdict import reason, Verdict

_REASON = "a person grades this part; symcheck does not score it"


class Manual(Kind):
    """A part graded by a person."""

    rules = ("manual",)

    def truth(self, problem, *, examples: int) -> Established:
        """Return no truth: a person grades this part."""
        return Established(reason=reason("MANUAL", _REASON))

    def compare(self, problem, truth, claim, *, examples: int) -> Verdict:
        """Return unverifiable, with the key's note."""
        return Verdict("unverifiable", (reason("MANUAL", _REASON),), truth=None, note=claim.note)


@register_kind("explanation")
class Explanation(Manual):
    """A written answer."""

    description = "a written answer, graded by a person"


@register_kind("code")
class Code(Manual):
    """Code in the course notebook."""

    description = "code in the course notebook, graded by a person"
