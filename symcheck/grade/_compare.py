"""A first comparison of a claim (the key's, or a student's) with the truth symcheck derived.

Each kind of question judges claims by its grading rule (``symcheck.kinds``), with the grader
(``judge_key_claim``): symbolic claims on the grader's instances, numbers by the digits they
print, table values after rounding; the claim's lines by the grader's chain checker and number
rules.  Every verdict is one of ``agrees``, ``differs``, ``warning`` or ``unverifiable``, with
its reasons (``Reason`` objects: a code and a message).
"""

from __future__ import annotations

from symcheck.kinds import VERDICTS, Truth, Verdict, round_half_up

__all__ = ["Verdict", "Truth", "compare_claim", "VERDICTS", "round_half_up"]


def compare_claim(part, truth: Truth, *, examples: int = 12) -> Verdict:
    """Return the :class:`Verdict` on the key's claim for ``part`` against ``truth``.

    ``examples`` random instances are drawn for a symbolic comparison.

    >>> from symcheck.catalogue import load_catalogue
    >>> part = load_catalogue().part("1.4.first")
    >>> ns = part.namespace()
    >>> verdict = compare_claim(part, Truth("a*b.T", expr=ns["a"] * ns["b"].T, kind="gradient",
    ...                                     reference=part.function_expr()))
    >>> verdict.verdict
    'warning'
    >>> verdict.reasons[0].code, verdict.reasons[0].message
    ('CHAIN_STEP', 'the final answer agrees, but line 3 ... cannot be evaluated ...')
    """
    from symcheck.grade._keycheck import judge_claim

    return judge_claim(part, truth, examples=examples)
