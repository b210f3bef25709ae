"""Derivation chains: lines each claimed equal to the one before; name the first that is not.

A chain for a symbolic part may start by rewriting the part's function f (lines of f's shape,
the first equal to f), then switch once to the derivative (lines of the answer's shape); every
other step claims an equality, checked on the part's prepared instances.  The first step that
fails gets ``CHAIN_STEP`` with a counterexample in small integer matrices that a student can
check by hand.  Number chains compare each line's exact value with the line before under the
number rules (a line may round the one before to the digits it writes).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from symcheck.grade._classify import EQUAL, UNDECIDED, UNEQUAL, compare_values, fmt_matrix
from symcheck.grade._result import Reason
from symcheck.grade._symbolic import _EVALUATION_ERRORS, answer_shape, evaluate_on
from symcheck.tolerances import TOLERANCES, tolerance

__all__ = ["broken_step", "broken_number_step", "integer_counterexample"]

SEED = 7


def _role(prepared, answer) -> str:
    shapes = [answer_shape(answer, d.sizes) or (1, 1) for d in prepared.draws]
    if shapes == [tuple(d.truth.shape[1:]) for d in prepared.draws]:
        return "answer"
    fv = prepared.function_values()
    if fv is not None and shapes == [tuple(v.shape[1:]) for v in fv]:
        return "function"
    return "other"


def broken_step(prepared, lines: Sequence, texts: Sequence[str]) -> Reason | None:
    """Return the CHAIN_STEP reason for the first line that does not follow, or None.

    A line that can be neither confirmed nor refused (not finite, ill-conditioned) stops the
    check with an UNDECIDED reason instead: an unchecked derivation is never taken as right.
    """
    tol = tolerance(prepared.part.grading.tolerance)
    roles = [_role(prepared, a) for a in lines]
    draws = prepared.draws
    for i, answer in enumerate(lines):
        try:
            evaluate_on(answer, draws)
        except _EVALUATION_ERRORS as exc:
            what = getattr(exc, "what", None) or type(exc).__name__
            return Reason("CHAIN_STEP", f"line {i + 1} `{texts[i]}` cannot be evaluated at every size "
                                        f"({what})")
    for i, (answer, role) in enumerate(zip(lines, roles)):
        if i == 0:
            if role == "function":
                outcome = compare_values(evaluate_on(answer, draws), prepared.function_values(), tol=tol)
                if outcome.outcome == UNEQUAL:
                    return _reason(prepared, None, answer, i, texts, "is not the function of the part")
            continue
        before = lines[i - 1]
        if roles[i - 1] == "function" and role == "answer":
            continue   # the step that differentiates; the final line is graded against the truth
        shape_a = [answer_shape(before, d.sizes) or (1, 1) for d in draws]   # a scalar is 1×1
        shape_b = [answer_shape(answer, d.sizes) or (1, 1) for d in draws]
        if shape_a != shape_b:
            return Reason("CHAIN_STEP", f"line {i + 1} `{texts[i]}` has another shape than line {i} "
                                        f"`{texts[i - 1]}`, so it cannot be equal to it")
        outcome = compare_values(evaluate_on(answer, draws), evaluate_on(before, draws), tol=tol)
        if outcome.outcome == UNEQUAL:
            return _reason(prepared, before, answer, i, texts, f"does not follow from line {i}")
        if outcome.outcome == UNDECIDED:   # never passed silently: the chain is not checked
            return Reason("UNDECIDED", f"line {i + 1} `{texts[i]}` cannot be checked against line {i} "
                                       f"`{texts[i - 1]}`: {outcome.reason}")
    return None


def _reason(prepared, before, answer, i, texts, what) -> Reason:
    example = integer_counterexample(prepared, before, answer)
    line = f"line {i + 1} `{texts[i]}` {what}" + ("" if before is None else f" `{texts[i - 1]}`")
    return Reason("CHAIN_STEP", line + (f": {example}" if example else ""))


def _int_matrix(rng, batch, rows, cols, props) -> np.ndarray:
    if "orthogonal" in props:
        eye = np.eye(rows)
        return np.stack([eye[rng.permutation(rows)] * rng.choice([-1, 1], rows)[:, None]
                         for _ in range(batch)])
    a = rng.integers(-3, 4, (batch, rows, cols)).astype(float)
    if "spd" in props:
        return a @ np.swapaxes(a, 1, 2) + np.eye(rows)
    if "symmetric" in props:
        a = a + np.swapaxes(a, 1, 2)
    if "invertible" in props:
        a = a + np.eye(rows) * (np.abs(a).sum(axis=2, keepdims=True) + 1)
    return a


def _int_values(prepared, rng, sizes, batch):
    values = {}
    for name, shape in prepared.part.symbols.items():
        props = prepared.properties.get(name, frozenset())
        if not tuple(shape):
            low = 1 if props & {"> 0", ">= 0"} else -3
            values[name] = rng.integers(low, 4, batch).astype(float)
            if "< 0" in props:
                values[name] = -rng.integers(1, 4, batch).astype(float)
        else:
            rows, cols = (sizes[d] if isinstance(d, str) else int(d) for d in shape)
            values[name] = _int_matrix(rng, batch, rows, cols, props)
    return values


def integer_counterexample(prepared, before, answer, *, batch: int = 32) -> str | None:
    """Return an instance in small integers where the two lines differ, printed for a person.

    ``before`` None compares ``answer`` with the part's function.
    """
    from symcheck.grade._prepare import Draw, _definition_values, _dims_of

    rng = np.random.default_rng(SEED)
    dims = _dims_of(prepared.part.symbols)
    clear = TOLERANCES["grading_clear_difference"]
    for attempt in range(6):
        # distinct sizes first (2, 3, ...), so a mix-up of m and n shows; then any small sizes
        sizes = ({d: 2 + i for i, d in enumerate(rng.permutation(dims))} if attempt < 3
                 else {d: int(rng.integers(1, 4)) for d in dims})
        values = _int_values(prepared, rng, sizes, batch)
        values.update(_definition_values(prepared.evaluator, prepared.definitions, sizes, values))
        draw = Draw(sizes, values, np.zeros((batch, 1, 1)))
        try:
            b = evaluate_on(answer, [draw])[0]
            a = (evaluate_on(before, [draw])[0] if before is not None
                 else prepared.evaluator.batch(prepared.function_expr, sizes, values))
        except _EVALUATION_ERRORS:
            continue
        if a.shape != b.shape:
            continue
        with np.errstate(all="ignore"):
            err = np.abs(a - b).max(axis=(1, 2))
            scale = np.maximum(np.abs(a).max(axis=(1, 2)), np.abs(b).max(axis=(1, 2)))
            ok = np.isfinite(a).all(axis=(1, 2)) & np.isfinite(b).all(axis=(1, 2)) & \
                (err > clear.atol + clear.rtol * scale)
        if ok.any():
            k = int(np.argmax(ok))
            used = sorted((set(getattr(answer, "names", ())) | set(getattr(before, "names", ())
                          if before is not None else prepared.part.symbols)) & set(prepared.part.symbols))
            shown = ", ".join(f"{n} = {fmt_matrix(values[n][k])}" for n in used)
            size_text = ", ".join(f"{d} = {v}" for d, v in sizes.items())
            first = "the function" if before is None else "the line before"
            return (f"at {size_text}{'; ' if size_text and shown else ''}{shown}, {first} is "
                    f"{fmt_matrix(a[k])} but this line is {fmt_matrix(b[k])}")
    return None


def broken_number_step(claims: Sequence, texts: Sequence[str], *, tol=None,
                       min_figures: int = 4) -> Reason | None:
    """Return CHAIN_STEP for the first number line that is not the line before (rounded or not)."""
    from symcheck.grade._numbers import fmt, judge_number

    for i in range(1, len(claims)):
        judgement = judge_number(claims[i], claims[i - 1].value, tol=tol, min_figures=1)
        if not judgement.correct:
            return Reason("CHAIN_STEP", f"line {i + 1} `{texts[i]}` = {fmt(claims[i].value)} does not "
                                        f"follow from line {i} `{texts[i - 1]}` = {fmt(claims[i - 1].value)}")
    return None
