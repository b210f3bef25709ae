"""Decide equality on prepared instances, and name what is wrong with an answer that differs.

Equality is decided on batches of random instances (see ``_prepare``): an answer is EQUAL when
it matches the truth within the part's tolerance on every instance; UNEQUAL when, on at least
one instance where its value is finite and well conditioned, it differs by far more than any
rounding could explain; otherwise UNDECIDED, with the reason (not finite, ill-conditioned, or a
difference too small to call).  An undecided answer is never marked correct.

For an answer that is UNEQUAL the diagnostics below look for the mistake a TA would name:
transposed, minus, a constant or size factor, a missing term of a sum, equal only in a special
case, another convention, a scalar written for c·I.

>>> import numpy as np
>>> t = [np.arange(1.0, 7.0).reshape(1, 2, 3)]
>>> compare_values([2 * t[0]], t).outcome, constant_factor([2 * t[0]], t)
('unequal', (2.0,))
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from typing import Callable, Sequence

import numpy as np

from symcheck.tolerances import TOLERANCES, Tolerance

__all__ = ["EQUAL", "UNEQUAL", "UNDECIDED", "Comparison", "compare_values", "constant_factor",
           "factor_text", "missing_candidates", "missing_terms", "commutation", "fmt_matrix"]

EQUAL, UNEQUAL, UNDECIDED = "equal", "unequal", "undecided"


@dataclass(frozen=True)
class Comparison:
    """The outcome of comparing an answer's values with the truth's, instance by instance."""

    outcome: str
    max_rel: float = 0.0
    reason: str = ""


def _per_instance(a: np.ndarray, t: np.ndarray):
    """(scale, error) per instance: max |entry| of either side, max |difference|."""
    k = a.shape[0]
    with np.errstate(all="ignore"):
        a2, t2 = a.reshape(k, -1), t.reshape(k, -1)
        scale = np.maximum(np.abs(a2).max(axis=1), np.abs(t2).max(axis=1))
        err = np.abs(a2 - t2).max(axis=1)
    return scale, err


def compare_values(answers: Sequence[np.ndarray], truths: Sequence[np.ndarray], *,
                   tol: Tolerance | None = None,
                   probe: Callable[[], Sequence[np.ndarray]] | None = None) -> Comparison:
    """Compare batches of answer values with the truth's (each (batch, rows, cols)).

    ``probe`` returns the answer at slightly perturbed inputs; it is called only to make sure
    an apparent difference is not an artefact of ill-conditioning.
    """
    tol = tol or TOLERANCES["symbolic"]
    clear = TOLERANCES["grading_clear_difference"]
    measured = [_per_instance(a, t) for a, t in zip(answers, truths)]
    if all(_within(scale, err, tol) for scale, err in measured):
        return Comparison(EQUAL, max(float(np.max(err / np.maximum(scale, 1e-300)))
                                     for scale, err in measured))
    clears = [np.isfinite(scale) & (err > clear.atol + clear.rtol * scale) for scale, err in measured]
    with np.errstate(all="ignore"):
        worst = max(float(np.nanmax(np.where(np.isfinite(err), err / np.maximum(scale, 1e-300), 0.0)))
                    for scale, err in measured)
    if any(c.any() for c in clears):
        if probe is None:
            return Comparison(UNEQUAL, worst)
        # ``probe`` may yield its draws lazily: the first reliable clear difference decides.
        for a, p, is_clear in zip(answers, probe(), clears):
            if not is_clear.any():
                continue
            scale, change = _per_instance(p, a)
            with np.errstate(all="ignore"):
                steady = np.isfinite(change) & (change < TOLERANCES["grading_conditioning"].rtol
                                                * np.maximum(scale, 1e-300))
            if bool((is_clear & steady).any()):
                return Comparison(UNEQUAL, worst)
        return Comparison(UNDECIDED, worst, "the answer is ill-conditioned at the instances where it "
                                            "differs (a nearly singular inverse?)")
    if not all(np.isfinite(err).all() for _, err in measured):
        return Comparison(UNDECIDED, worst, "the answer is not finite at some instances (a division "
                                            "by zero, a log of a negative number, an overflow?)")
    return Comparison(UNDECIDED, worst, f"the answer differs from the truth by a relative {worst:.1e}, "
                                        "more than the tolerance but too little to call")


def equal_values(answers, truths, tol: Tolerance | None = None) -> bool:
    """True when the answer equals the truth on every instance (finite and within tolerance).

    The same test as ``compare_values(...).outcome == EQUAL``, stopping at the first draw that
    fails it (a wrong answer usually fails on the first).
    """
    tol = tol or TOLERANCES["symbolic"]
    for a, t in zip(answers, truths):
        if not _within(*_per_instance(a, t), tol):
            return False
    return True


def _within(scale: np.ndarray, err: np.ndarray, tol: Tolerance) -> bool:
    """True when every instance's error is finite and within atol + rtol·scale.

    The finiteness test matters: an answer that overflows to inf has scale inf, and inf ≤ inf
    (2·X·exp(1000) would otherwise equal 2·X); NaN fails every comparison by itself."""
    with np.errstate(all="ignore"):
        return bool((np.isfinite(err) & (err <= tol.atol + tol.rtol * scale)).all())


def constant_factor(answers, truths) -> tuple[float, ...] | None:
    """Return the factor c with answer = c·truth on each draw, or None if there is none."""
    factors = []
    for a, t in zip(answers, truths):
        with np.errstate(all="ignore"):
            size = np.abs(t)
            top = float(size.max()) if size.size else 0.0
            if top == 0.0 or not np.isfinite(a).all():
                return None
            # c from the truth's largest entry, then checked on every entry (np.allclose's rule)
            where = np.unravel_index(int(np.argmax(size)), t.shape)
            c = float(a[where] / t[where])
            scaled = c * t
            if not bool((np.abs(a - scaled) <= 1e-12 * max(top, 1.0) + 1e-9 * np.abs(scaled)).all()):
                return None
        factors.append(c)
    return tuple(factors)


def _simple(c: float) -> Fraction | None:
    f = Fraction(c).limit_denominator(1000)
    return f if abs(float(f) - c) <= 1e-9 * max(abs(c), 1.0) else None


def factor_text(factors: Sequence[float], sizes: Sequence[dict[str, int]]) -> str | None:
    """Name the factor: ``2``, ``1/2``, ``N``, ``N/2``, ``1/N``, ``2/N``, ``1/(2·N)``, ``N²``,
    ``1/N²``; None if it fits no simple form (a size d counts only where the draws vary it).

    >>> factor_text([0.5 * 3, 0.5 * 5], [{"N": 3}, {"N": 5}])
    'N/2'
    >>> factor_text([2 / 9, 2 / 25], [{"N": 3}, {"N": 5}])
    '2/N²'
    """
    constant = _simple(factors[0])
    if constant is not None and all(abs(c - factors[0]) <= 1e-9 * max(abs(c), 1) for c in factors):
        return _fraction_text(constant)
    for power in (1, -1, 2, -2):
        for d in sorted(sizes[0]):
            qs = [_simple(c / (s[d] ** power)) for c, s in zip(factors, sizes)]
            if qs[0] is None or any(q != qs[0] for q in qs) or len({s[d] for s in sizes}) < 2:
                continue
            q, size = qs[0], d if abs(power) == 1 else f"{d}²"
            top, bottom = q.numerator, q.denominator
            if power > 0:
                head = size if top == 1 else ("-" + size if top == -1 else f"{top}·{size}")
                return head if bottom == 1 else f"{head}/{bottom}"
            return f"{top}/{size}" if bottom == 1 else f"{top}/({bottom}·{size})"
    return None


def _fraction_text(f: Fraction) -> str:
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


def missing_candidates(truths, terms: Sequence[Sequence[np.ndarray]]) -> list[tuple[tuple[int, ...], list]]:
    """Return (subset, truth − those terms per draw) for every proper non-empty subset of terms,
    smallest subsets first; a part computes them once and every wrong answer reuses them."""
    if not terms:
        return []
    count = len(terms[0])
    return [(subset, [t - sum(draw_terms[i] for i in subset) for t, draw_terms in zip(truths, terms)])
            for size in range(1, count) for subset in combinations(range(count), size)]


def missing_terms(answers, truths, terms: Sequence[Sequence[np.ndarray]],
                  tol: Tolerance | None = None, *, candidates=None) -> tuple[int, ...] | None:
    """Return the indices of the truth's terms the answer lacks (answer = truth − those terms).

    ``candidates`` is :func:`missing_candidates` of ``truths`` and ``terms``, computed once.
    """
    if candidates is None:
        candidates = missing_candidates(truths, terms)
    for subset, candidate in candidates:
        if equal_values(answers, candidate, tol):
            return subset
    return None


def commutation(rows: int, cols: int) -> np.ndarray:
    """Return K with K·vec(A) = vec(Aᵀ) for A of shape rows×cols (column-major vec)."""
    K = np.zeros((rows * cols, rows * cols))
    for i in range(rows):
        for j in range(cols):
            K[j + cols * i, i + rows * j] = 1.0
    return K


def fmt_matrix(value: np.ndarray) -> str:
    """Print a small matrix or scalar compactly: ``[[1, -2], [0, 3]]``."""
    value = np.asarray(value)
    if value.ndim == 0 or value.size == 1:
        return _fmt_number(float(np.real(value.reshape(-1)[0])))
    rows = ["[" + ", ".join(_fmt_number(float(np.real(x))) for x in row) + "]" for row in value]
    return "[" + ", ".join(rows) + "]"


def _fmt_number(x: float) -> str:
    if np.isfinite(x) and x == round(x):
        return str(int(round(x)))
    return f"{x:.6g}"
