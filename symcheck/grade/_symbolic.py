"""Grade one parsed answer to a symbolic part on its prepared instances: verdict and reasons.

The answer is evaluated in one batched NumPy call per size draw (``Answer.evaluate``); shapes are
checked first, then values.  A wrong answer gets the most specific reason that fits: TRANSPOSED
or CONVENTION, SIGN, FACTOR, MISSING_TERM, SPECIAL_CASE, else NOT_EQUIVALENT.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from symcheck.grade._classify import (
    EQUAL,
    UNDECIDED,
    commutation,
    compare_values,
    constant_factor,
    equal_values,
    factor_text,
    missing_terms,
)
from symcheck.errors import AnswerError
from symcheck.grade._result import Reason
from symcheck.tolerances import tolerance

__all__ = ["Judgement", "judge_map", "judge_symbolic", "evaluate_on", "answer_shape", "truth_dims"]

_EVALUATION_ERRORS = (ArithmeticError, ValueError, TypeError, IndexError, np.linalg.LinAlgError,
                      AnswerError, MemoryError)   # an index beyond the size drawn, say


@dataclass(frozen=True)
class Judgement:
    """``outcome`` is correct, incorrect or undecided; ``credit`` the share of the points."""

    outcome: str
    reasons: tuple[Reason, ...] = ()
    credit: float = 0.0


def answer_shape(answer, sizes) -> tuple[int, int] | None:
    """Return the answer's (rows, cols) at ``sizes``, or None for a scalar."""
    if not answer.shape:
        return None
    return tuple(int(d.value(sizes)) for d in answer.shape)


def truth_dims(prepared, *, max_degree: int = 3) -> tuple[str, str] | None:
    """Return the truth's shape in size names, ``("n*n", "n*n")`` for 2·I_{n²}, or None.

    Each dimension is fitted from the prepared draws alone (no SymPy): the product c·d₁·…·d_j of
    at most ``max_degree`` size names, c a positive integer, whose value is the truth's size in
    every draw.  None for a 1×1 truth, or when a dimension has no fit or more than one of the
    fewest names (the draws cannot tell them apart): the answer is then parsed without it.

    >>> from types import SimpleNamespace as NS
    >>> import numpy as np
    >>> draws = [NS(sizes={"m": m, "n": n}, truth=np.zeros((1, m * n, 2 * n))) for m, n in ((3, 2), (2, 4))]
    >>> truth_dims(NS(draws=draws))
    ('m*n', '2*n')
    """
    draws = prepared.draws
    if not draws or all(tuple(d.truth.shape[1:]) == (1, 1) for d in draws):
        return None
    names = sorted({n for d in draws for n in d.sizes})
    fitted = []
    for axis in (1, 2):
        fit = _fit_dimension([int(d.truth.shape[axis]) for d in draws], [d.sizes for d in draws],
                             names, max_degree)
        if fit is None:
            return None
        fitted.append(fit)
    return tuple(fitted)


def _fit_dimension(values, sizes, names, max_degree) -> str | None:
    from itertools import combinations_with_replacement
    from math import prod

    for degree in range(max_degree + 1):
        found = []
        for monomial in combinations_with_replacement(names, degree):
            base = [prod(s[n] for n in monomial) for s in sizes]
            if values[0] % base[0]:
                continue
            coef = values[0] // base[0]
            if coef >= 1 and all(coef * b == v for b, v in zip(base, values)):
                found.append("*".join(([str(coef)] if coef != 1 or not monomial else []) + list(monomial)))
        if found:
            return found[0] if len(found) == 1 else None
    return None


def evaluate_on(answer, draws, *, perturbed: bool = False) -> list[np.ndarray]:
    """Evaluate the answer on each draw, as (batch, rows, cols) arrays."""
    out = []
    with np.errstate(all="ignore"):
        for d in draws:
            v = answer.evaluate_unchecked(d.perturbed if perturbed else d.values, d.sizes)
            if v.ndim == 1:
                v = v.reshape(-1, 1, 1)
            if v.shape[0] != d.truth.shape[0]:   # a constant answer broadcast over the batch
                v = np.broadcast_to(v, (d.truth.shape[0],) + v.shape[-2:])
            out.append(v)
    return out


def _noun(prepared) -> str:
    return {"jacobian": "Jacobian", "hessian": "vec-Hessian", "solution": "solution",
            "second derivative": "second derivative"}.get(prepared.kind, prepared.kind)


def _shape_text(shape) -> str:
    return "a scalar" if shape is None else f"shape {shape[0]}×{shape[1]}"


def _symbolic_shape(answer) -> str:
    return "a scalar" if not answer.shape else f"shape {answer.shape[0]}×{answer.shape[1]}"


def _truth_shape_text(prepared) -> str:
    """Return the truth's shape as a student reads it: ``N×k``, ``n²×n²``, ``m·n×m·n``."""
    stored = getattr(prepared, "truth_shape", None)   # kept with the prepared part: no SymPy needed
    if stored is None:
        from symcheck.expr import format_shape

        stored = format_shape(prepared.truth_expr)
    if stored.startswith("(") and stored.endswith(")"):
        stored = stored[1:-1]
    return stored.replace("**2", "²").replace("**3", "³").replace("*", "·")   # n²×n², m·n×m·n


def judge_symbolic(prepared, answer, *, shown: str | None = None) -> Judgement:
    """Return the :class:`Judgement` of ``answer`` (an Answer of the answer language)."""
    shown = shown or answer.plain()
    truth, noun = prepared.truth_text, _noun(prepared)
    tol = tolerance(prepared.part.grading.tolerance)
    draws = prepared.draws
    truth_shapes = [tuple(d.truth.shape[1:]) for d in draws]
    shapes = [answer_shape(answer, d.sizes) or ((1, 1) if t == (1, 1) else None)
              for d, t in zip(draws, truth_shapes)]
    try:
        if all(s is None for s in shapes) and any(t != (1, 1) for t in truth_shapes):
            return _scalar_answer(prepared, answer, shown, tol)
        if shapes != truth_shapes:
            return _shape_mismatch(prepared, answer, shown, shapes, truth_shapes, tol)
        values = evaluate_on(answer, draws)
        if prepared.equal_fast(values, tol):
            return Judgement("correct", credit=1.0)
        comparison = compare_values(values, [d.truth for d in draws], tol=tol,
                                    probe=lambda: (evaluate_on(answer, [d], perturbed=True)[0] for d in draws))
    except _EVALUATION_ERRORS as exc:
        what = getattr(exc, "what", None) or type(exc).__name__   # our own errors say what
        return Judgement("undecided", (Reason("UNDECIDED", f"your answer {shown} cannot be evaluated "
                                              f"at random instances ({what})"),))
    if comparison.outcome == EQUAL:
        return Judgement("correct", credit=1.0)
    if comparison.outcome == UNDECIDED:
        return Judgement("undecided", (Reason("UNDECIDED", f"symcheck cannot decide whether your answer "
                                              f"{shown} equals the {noun} {truth}: {comparison.reason}"),))
    return _diagnose(prepared, answer, shown, values, tol, comparison.max_rel)


def _scalar_answer(prepared, answer, shown, tol) -> Judgement:
    noun, truth = _noun(prepared), prepared.truth_text
    values = evaluate_on(answer, prepared.draws)
    if prepared.is_zero:
        if all(np.all(v == 0) for v in values):
            return Judgement("correct", credit=1.0)
    square = all(d.truth.shape[1] == d.truth.shape[2] for d in prepared.draws)
    if square:
        as_identity = [v * np.eye(d.truth.shape[1]) for v, d in zip(values, prepared.draws)]
        if equal_values(as_identity, [d.truth for d in prepared.draws], tol):
            return Judgement("incorrect", (Reason(
                "SCALAR_FOR_TENSOR", f"your answer {shown} is a scalar, but the {noun} is the "
                f"{_truth_shape_text(prepared)} matrix {truth}: write {shown}·I (it is right only as "
                f"shorthand for the map dX ↦ {shown}·dX)"),))
    return Judgement("incorrect", (Reason(
        "SHAPE", f"your answer {shown} is a scalar, but the {noun} {truth} has shape "
        f"{_truth_shape_text(prepared)}"),))


def _shape_mismatch(prepared, answer, shown, shapes, truth_shapes, tol) -> Judgement:
    noun, truth = _noun(prepared), prepared.truth_text
    if all(s is not None and s[::-1] == t for s, t in zip(shapes, truth_shapes)):
        values = evaluate_on(answer, prepared.draws)
        flipped = [np.swapaxes(v, 1, 2) for v in values]
        if equal_values(flipped, [d.truth for d in prepared.draws], tol):
            return _transposed(prepared, shown)
        scaled = _scaled_transpose(prepared, shown, flipped)
        if scaled is not None:
            return scaled
    special = _special_case(prepared, answer, tol, kinds=("square",))
    if special is not None:
        return Judgement("incorrect", (Reason(
            "SPECIAL_CASE", f"your answer {shown} equals the {noun} {truth} when {special}, which "
            f"the part does not assume; in general it has {_symbolic_shape(answer)}, not "
            f"{_truth_shape_text(prepared)}"),))
    return Judgement("incorrect", (Reason(
        "SHAPE", f"your answer {shown} has {_symbolic_shape(answer)}, but the {noun} {truth} has "
        f"shape {_truth_shape_text(prepared)}"),))


def _scaled_transpose(prepared, shown, flipped) -> Judgement | None:
    """Judge an answer whose transpose (``flipped``, per draw) is c·truth, c ≠ 1 a named factor:
    both mistakes are reported, the transpose first (TRANSPOSED, or CONVENTION for a Jacobian),
    then SIGN, CONVENTION (c is the part's other normaliser, 1/(N·k) for 1/N) or FACTOR."""
    draws = prepared.draws
    factors = constant_factor(flipped, [d.truth for d in draws])
    if factors is None:
        return None
    name = factor_text(factors, [d.sizes for d in draws])
    if name is None or name == "1":
        return None
    noun, truth = _noun(prepared), prepared.truth_text
    scaled = "minus" if name == "-1" else f"{name} times"
    if prepared.kind == "jacobian":
        first = Reason("CONVENTION", f"your answer {shown} is {scaled} the Jacobian in denominator layout "
                       f"(the transpose of {truth}); this part uses numerator layout")
    else:
        first = Reason("TRANSPOSED", f"your answer {shown} is {scaled} the transpose of the {noun} {truth}: "
                       "transpose it back")
    convention = None if name == "-1" else _other_convention(prepared, factors)
    if name == "-1":
        second = Reason("SIGN", f"your answer {shown} also has the wrong sign: transposed back, it is "
                        f"minus the {noun} {truth}")
    elif convention is not None:   # no convention credit: the transpose is wrong in either
        second = Reason("CONVENTION", f"your answer {shown}, transposed back, is {name} times the {noun} "
                        f"{truth}: right in the other convention {convention}; this part uses the first one")
    else:
        second = Reason("FACTOR", f"your answer {shown} is also off by a factor c = {name}: transposed "
                        f"back, it is {name} times the {noun} {truth}")
    return Judgement("incorrect", (first, second))


def _transposed(prepared, shown) -> Judgement:
    noun, truth = _noun(prepared), prepared.truth_text
    if prepared.kind == "jacobian":
        credit = float(getattr(prepared.part.grading, "convention_credit", 0.0))
        return Judgement("incorrect" if credit == 0 else "partial", (Reason(
            "CONVENTION", f"your answer {shown} is the Jacobian in denominator layout (the transpose "
            f"of {truth}); this part uses numerator layout"),), credit)
    return Judgement("incorrect", (Reason(
        "TRANSPOSED", f"your answer {shown} is the transpose of the {noun} {truth}"),))


def _diagnose(prepared, answer, shown, values, tol, max_rel) -> Judgement:
    noun, truth = _noun(prepared), prepared.truth_text
    draws = prepared.draws
    truths = [d.truth for d in draws]
    if all(d.truth.shape[1] == d.truth.shape[2] for d in draws):
        if equal_values([np.swapaxes(v, 1, 2) for v in values], truths, tol) and \
                not prepared.truth_symmetric(tol):
            return _transposed(prepared, shown)
        if prepared.kind == "hessian":
            row_major = _row_major(prepared)
            if row_major is not None and equal_values(values, row_major, tol):
                credit = float(getattr(prepared.part.grading, "convention_credit", 0.0))
                return Judgement("incorrect" if credit == 0 else "partial", (Reason(
                    "CONVENTION", f"your answer {shown} is the vec-Hessian for row-major vec; this "
                    f"part uses column-major vec, where it is {truth}"),), credit)
    factors = constant_factor(values, truths)
    if factors is not None:
        name = factor_text(factors, [d.sizes for d in draws])
        if name == "-1":
            return Judgement("incorrect", (Reason(
                "SIGN", f"your answer {shown} is minus the {noun} {truth}: check the sign"),))
        convention = _other_convention(prepared, factors)
        if convention is not None:
            credit = float(getattr(prepared.part.grading, "convention_credit", 0.0))
            return Judgement("incorrect" if credit == 0 else "partial", (Reason(
                "CONVENTION", f"your answer {shown} is {name} times the {noun} {truth}: right in the "
                f"other convention {convention}; this part uses the first one"),), credit)
        if name is not None:
            return Judgement("incorrect", (Reason(
                "FACTOR", f"your answer {shown} is {name} times the {noun} {truth} (a factor c = {name})"),))
    if all(d.truth.shape[1] == d.truth.shape[2] for d in draws) and not prepared.truth_symmetric(tol):
        scaled = _scaled_transpose(prepared, shown, [np.swapaxes(v, 1, 2) for v in values])
        if scaled is not None:
            return scaled
    missing_term = _missing_term(prepared, values, truths, tol, shown, noun, truth)
    if missing_term is not None:
        return missing_term
    special = _special_case(prepared, answer, tol)
    if special is not None:
        return Judgement("incorrect", (Reason(
            "SPECIAL_CASE", f"your answer {shown} equals the {noun} {truth} when {special}, "
            "which the part does not assume, but not in general"),))
    return Judgement("incorrect", (Reason(
        "NOT_EQUIVALENT", f"your answer {shown} is not the {noun} {truth}: they differ at random "
        f"instances (largest relative difference {max_rel:.2g})"),))


def _missing_term(prepared, values, truths, tol, shown, noun, truth) -> Judgement | None:
    """MISSING_TERM when the answer is the truth less some of its terms, else None.

    The terms are those of the expanded truth.  A term that exists only once an elementwise
    product is distributed (H∘(1 − H) = H − H∘H, the σ′ factor) is no term of the truth as the
    part writes it: leaving out part of a factor is NOT_EQUIVALENT.  A term printed with a
    definition spelled out (the SymPy text ``….applyfunc(sigmoid)`` for H) is not named, as the
    answer language cannot show it.
    """
    texts, terms = prepared.terms()
    missing = missing_terms(values, truths, terms, tol, candidates=prepared.missing_candidates())
    if missing is None:
        return None
    lacking = [texts[i] for i in missing]
    if any("HadamardProduct" in t for t in lacking):
        return None
    plural = "s" if len(missing) > 1 else ""
    if any("applyfunc" in t for t in lacking):
        message = f"your answer {shown} lacks {len(missing) if plural else 'a'} term{plural} of the {noun} {truth}"
    else:
        message = f"your answer {shown} lacks the term{plural} {' and '.join(lacking)} of the {noun} {truth}"
    return Judgement("incorrect", (Reason("MISSING_TERM", message),))


_NORMALISER = re.compile(r"1/\(([^)]*)\)|1/([A-Za-z]\w*)")


def _other_convention(prepared, factors) -> str | None:
    """Name the other convention (``1/(N·k)`` for ``1/N``) the factor amounts to, if the part has one.

    A part's ``ask.conventions`` text names its normaliser first and the alternatives after,
    e.g. "1/N: ... (1/(N·k) is the other convention)".
    """
    for text in prepared.part.ask.conventions.values():
        found = ["".join(m) for m in _NORMALISER.findall(text)]
        if len(found) < 2:
            continue
        used = re.split(r"[·* ]+", found[0].strip())
        for other in found[1:]:
            alt = re.split(r"[·* ]+", other.strip())
            try:
                wanted = [np.prod([d.sizes[x] for x in used]) / np.prod([d.sizes[x] for x in alt])
                          for d in prepared.draws]
            except KeyError:
                continue
            if all(abs(c - w) <= 1e-9 * abs(w) for c, w in zip(factors, wanted)):
                return f"1/({'·'.join(alt)})" if len(alt) > 1 else f"1/{alt[0]}"
    return None


def _row_major(prepared) -> list[np.ndarray] | None:
    wrt = prepared.part.symbols.get(prepared.part.ask.wrt)
    if wrt is None or len(tuple(wrt)) != 2:
        return None
    out = []
    for d in prepared.draws:
        rows, cols = (d.sizes[x] if isinstance(x, str) else int(x) for x in wrt)
        K = commutation(rows, cols)
        if K.shape[0] != d.truth.shape[1]:
            return None
        out.append(K @ d.truth @ K.T)
    return out


def _special_case(prepared, answer, tol, kinds=("values", "square", "size one")) -> str | None:
    combined = prepared.value_cases() if "values" in kinds else None
    if combined is not None:
        draw, slices = combined
        try:
            if answer_shape(answer, draw.sizes) == tuple(draw.truth.shape[1:]):
                value = evaluate_on(answer, [draw])[0]
                for condition, part in slices:
                    if equal_values([value[part]], [draw.truth[part]], tol):
                        return condition
        except _EVALUATION_ERRORS:
            pass
    for case in prepared.specials():
        if case.kind not in kinds or case.kind == "values":
            continue
        if case.kind == "size one" and not _size_one_explains(prepared, case, tol):
            continue
        try:
            shapes = [answer_shape(answer, d.sizes) for d in case.draws]
            if shapes != [tuple(d.truth.shape[1:]) for d in case.draws]:
                continue
            values = evaluate_on(answer, case.draws)
        except _EVALUATION_ERRORS:
            continue
        if equal_values(values, [d.truth for d in case.draws], tol):
            return case.condition
    return None


def _size_one_explains(prepared, case, tol) -> bool:
    """True when agreeing at a size d = 1 says something about an answer.

    A size of one collapses matrix algebra: a 1×1 matrix is its own transpose and its trace,
    and 1×1 factors commute, so at d = 1 answers that differ in general agree for no reason a
    student could mean (2·tr(X)·I for 2X at n = 1).  The condition is named only when, at its
    draws, the truth keeps more than one entry, and is not made symmetric by it: otherwise the
    transpose of the truth, a different answer in general, would pass the condition too.
    """
    truths = [d.truth for d in case.draws]
    if any(t.shape[1] * t.shape[2] <= 1 for t in truths):
        return False
    if not all(t.shape[1] == t.shape[2] for t in truths):
        return True
    symmetric = all(d.truth.shape[1] == d.truth.shape[2] for d in prepared.draws) \
        and prepared.truth_symmetric(tol)
    return symmetric or not equal_values(truths, [np.swapaxes(t, 1, 2) for t in truths], tol)


# -- a second derivative written as the linear map dX ↦ H[dX] -----------------------------------

def judge_map(prepared, body, direction: str, shown: str, tol=None) -> Judgement:
    """Judge ``body`` (an answer in the symbols and ``direction``, the dX of ``dX ↦ body``) as
    the second derivative of a scalar function, the map dX ↦ H[dX] with vec(H[dX]) = H·vec(dX)
    for the part's vec-Hessian H (column-major vec).

    The map is applied to random directions dX on the part's instances, drawn once per part
    with a fixed seed; its values are compared with H·vec(dX), unvec'd to the shape of dX.
    """
    tol = tol or tolerance(prepared.part.grading.tolerance)
    noun, truth = _noun(prepared), prepared.truth_text
    wrt = prepared.part.ask.wrt
    from symcheck.grade._prepare import SEED

    rng = np.random.default_rng(SEED + 11)
    answers, expected = [], []
    try:
        for d in prepared.draws:
            rows, cols = (d.sizes[x] if isinstance(x, str) else int(x) for x in prepared.part.symbols[wrt])
            if d.truth.shape[1:] != (rows * cols, rows * cols):
                return Judgement("undecided", (Reason(
                    "UNSUPPORTED", f"the map form {direction} ↦ … is read for the second derivative of a "
                    f"scalar function; this part's {noun} is {_truth_shape_text(prepared)}: write it "
                    "as that matrix"),))
            batch = d.truth.shape[0]
            step = rng.standard_normal((batch, rows, cols))
            values = dict(d.values)
            values[direction] = step
            with np.errstate(all="ignore"):
                got = body.evaluate_unchecked(values, d.sizes)
            if got.ndim == 1:
                got = got.reshape(-1, 1, 1)
            if got.shape[1:] == (1, 1) and not got.any():   # dX ↦ 0, the zero map
                got = np.zeros((batch, rows, cols))
            if got.shape[1:] != (rows, cols):
                return Judgement("incorrect", (Reason(
                    "SHAPE", f"your map {shown} gives {_shape_text(got.shape[1:])}, but the second "
                    f"derivative maps {direction} ({rows}×{cols} here) to a matrix of its shape"),))
            if got.shape[0] != batch:
                got = np.broadcast_to(got, (batch, rows, cols))
            vec = step.transpose(0, 2, 1).reshape(batch, rows * cols)           # column-major vec
            applied = np.einsum("bij,bj->bi", d.truth, vec)
            answers.append(got)
            expected.append(applied.reshape(batch, cols, rows).transpose(0, 2, 1))  # unvec
    except _EVALUATION_ERRORS as exc:
        what = getattr(exc, "what", None) or type(exc).__name__
        return Judgement("undecided", (Reason("UNDECIDED", f"your map {shown} cannot be evaluated at "
                                              f"random instances ({what})"),))
    comparison = compare_values(answers, expected, tol=tol)
    if comparison.outcome == EQUAL:
        return Judgement("correct", credit=1.0)
    if comparison.outcome == UNDECIDED:
        return Judgement("undecided", (Reason("UNDECIDED", f"symcheck cannot decide whether your map "
                                              f"{shown} is the second derivative: {comparison.reason}"),))
    factors = constant_factor(answers, expected)
    name = None if factors is None else factor_text(factors, [d.sizes for d in prepared.draws])
    if name == "-1":
        return Judgement("incorrect", (Reason(
            "SIGN", f"your map {shown} is minus the second derivative {direction} ↦ H[{direction}] of "
                    f"the {noun} {truth}: check the sign"),))
    if name is not None and name != "1":
        return Judgement("incorrect", (Reason(
            "FACTOR", f"your map {shown} is {name} times the second derivative {direction} ↦ "
                      f"H[{direction}] of the {noun} {truth} (a factor c = {name})"),))
    return Judgement("incorrect", (Reason(
        "NOT_EQUIVALENT", f"your map {shown} is not the second derivative {direction} ↦ H[{direction}] "
                          f"of the {noun} {truth}: they differ at random {direction} (largest relative "
                          f"difference {comparison.max_rel:.2g})"),))
