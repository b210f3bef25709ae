"""Benchmark of the answer language: parse, shape-check and evaluate, and the hostile corpus.

Run with:  python -m pytest -m bench tests/bench/bench_language.py -s -q
Figures printed: the median and 90th-percentile time to parse an answer never seen before
(lark + names + shapes, the parse cache bypassed), plain and LaTeX; the same for the previous
expression language (``symcheck.expr.parse``: CPython's ast plus SymPy, SymPy's cache cleared
before each call so that it too meets each answer for the first time) on the same plain answers,
as a ratio measured in the same run; the time of one batched NumPy evaluation; and the slowest
refusal in the hostile corpus.  Targets: parsing at least 3× faster than ``symcheck.expr.parse``,
and every hostile answer refused within 2 s.
"""

import statistics
import time

import numpy as np
import pytest

from symcheck.errors import SymcheckError
from symcheck.expr import parse as expr_parse, symbols_from_shapes
from symcheck.grade import _language

pytestmark = pytest.mark.bench

SYMBOLS = {"X": ("n", "p"), "y": ("n", 1), "beta": ("p", 1), "lambda": (), "M": ("p", "p"),
           "a": ("n", 1), "b": ("p", 1), "H": ("N", "k"), "Y": ("N", "k"), "Yhat": ("N", "k")}
SIZES = {"n": 4, "p": 3, "N": 5, "k": 2}
PLAIN = ["(X.T*X + lambda*I)^-1*X.T*y", "X.T*(X*X.T + lambda*I)^-1*y",
         "2*X.T*X*beta - 2*X.T*y + 2*lambda*beta", "(2/N)*H.T*(Yhat - Y)", "-(2/N)*H.T*(Y - Yhat)",
         "hadamard(H, OneMatrix(N, k) - H)", "H ∘ (1 - H)", "a*b.T", "X*(b*b.T + M)", "tr(M.T*M)",
         "-0.42614473734", "1/(1+exp(1))", "2X.T*y", "inv(M)*b", "sigmoid(X)"]
LATEX = [r"\left( \mathbf{X}^\top \mathbf{X} + \lambda \mathbf{I} \right)^{-1} \mathbf{X}^\top \mathbf{y}",
         r"\frac{2}{N} \mathbf{H}^\top (\hat{Y} - Y)", r"H \odot (1 - H)", r"2\mathbf{X}\mathbf{b}\mathbf{b}^\top",
         r"\operatorname{tr}(M^\top M)", r"\sigma(\mathbf{X})", r"-\frac{2}{N} H^{\top}(Y - \hat{Y})"]
HOSTILE = ["(" * 20_000 + "X" + ")" * 20_000, "X+" * 500_000 + "X", "10^10^10", "M^(2^64)",
           "(" * 4_000 + "X" + ")" * 4_000, "X" + ".T" * 3_000, "M" + "^M" * 2_000,
           "__import__('os').system('ls')", r"\input{/etc/passwd}", r"\def\x{1}\x",
           r"\csname x\endcsname", "X\x00", "X\u202e", "\u0425*X", "1e999999", "a" * 1_000_000,
           r"\left(" * 1_000 + "X" + r"\right)" * 1_000, "+".join(["X"] * 3_000),
           "*".join(["M"] * 3_000)]


def _times(fn, texts, repeat):
    out = []
    for text in texts:
        for _ in range(repeat):
            start = time.perf_counter()
            fn(text)
            out.append(time.perf_counter() - start)
    return out


def _times_cold_sympy(fn, texts, repeat):
    """Like _times, with SymPy's cache cleared before each call: every answer is new to it too."""
    from sympy.core.cache import clear_cache

    out = []
    for text in texts:
        for _ in range(repeat):
            clear_cache()
            start = time.perf_counter()
            fn(text)
            out.append(time.perf_counter() - start)
    return out


def _cold_parse(syntax):
    context = _language.AnswerContext(SYMBOLS)
    raw = _language._parse_cached.__wrapped__        # bypass the cache: answers never seen before
    return lambda text: raw(text, context, syntax, "answer")


def _report(name, times):
    median, p90 = statistics.median(times), statistics.quantiles(times, n=10)[-1]
    print(f"{name:48s} median {median * 1e6:8.1f} µs   p90 {p90 * 1e6:8.1f} µs")
    return median


def test_parse_speed_against_the_previous_expression_language():
    namespace = symbols_from_shapes(SYMBOLS)
    old_texts = []
    for text in PLAIN:
        try:
            expr_parse(text, namespace)
            old_texts.append(text)
        except SymcheckError:
            pass
    ours = _report("parse_answer, plain (cold)", _times(_cold_parse("plain"), PLAIN, 30))
    _report("parse_answer, LaTeX (cold)", _times(_cold_parse("latex"), LATEX, 30))
    same = _report("parse_answer, plain, texts symcheck.expr reads", _times(_cold_parse("plain"), old_texts, 30))
    old = _report("symcheck.expr.parse (ast + SymPy), same texts", _times_cold_sympy(
        lambda t: expr_parse(t, namespace), old_texts, 5))
    print(f"ratio symcheck.expr.parse / parse_answer: {old / same:.1f}×   (plain median {ours * 1e6:.0f} µs)")
    assert old / same >= 3


def test_batched_evaluation_speed():
    rng = np.random.default_rng(0)
    for batch in (4, 256):
        values = {name: rng.normal(size=(batch, *(SIZES.get(d, d) for d in shape))) if shape else
                  rng.uniform(0.5, 2, size=batch) for name, shape in SYMBOLS.items()}
        answers = [_language.parse_answer(t, SYMBOLS) for t in PLAIN]
        for a in answers:
            a.evaluate(values, SIZES)          # compile once
        _report(f"Answer.evaluate, batch of {batch}",
                _times(lambda a: a.evaluate(values, SIZES), answers, 30))


def test_every_hostile_answer_is_refused_within_two_seconds():
    slowest, worst = 0.0, None
    for text in HOSTILE:
        start = time.perf_counter()
        try:
            _language.parse_answer(text, SYMBOLS).evaluate(
                {name: np.ones((1, *(SIZES.get(d, d) for d in shape))) for name, shape in SYMBOLS.items()},
                SIZES)
        except SymcheckError:
            pass
        elapsed = time.perf_counter() - start
        if elapsed > slowest:
            slowest, worst = elapsed, text[:40]
    print(f"hostile corpus: {len(HOSTILE)} answers, slowest {slowest * 1e3:.1f} ms ({worst!r})")
    assert slowest < 2.0
