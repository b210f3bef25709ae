"""Benchmark of symcheck.derive on every section-1 and section-2 part, with SymPy's .diff beside it.

Run with:  pytest -m bench tests/bench/bench_derive.py --benchmark-columns=min,median -s
Target: deriving every part of sections 1 and 2 at first and second order, with the LaTeX
document of each, takes well under 1 s in one process after import.  SymPy's own
``expr.diff(wrt)`` on the same expressions is timed for comparison where it does not raise (it
gives array expressions, not closed forms, and fails on some second derivatives).
"""

import time

import pytest

from symcheck.calculus import derive
from symcheck.catalogue import load_catalogue

pytestmark = pytest.mark.bench
TARGET_SECONDS = 1.0


@pytest.fixture(scope="module")
def problems():
    """(id, f, wrt, assumptions) for every section-1 and section-2 part that has a function."""
    parts = [p for p in load_catalogue().parts
             if p.section in ("1", "2") and p.ask.function is not None and p.ask.wrt is not None]
    return [(p.id, p.function_expr(), p.wrt_symbol(), p.assumptions) for p in parts]


def derive_all(problems):
    for _, f, wrt, assumptions in problems:
        for order in (1, 2):
            derive(f, wrt, order, assumptions).latex_document()


def sympy_diff_all(cases):
    for f, wrt, order in cases:
        result = f.diff(wrt)
        if order == 2:
            result.diff(wrt)


def _sympy_cases(problems):
    """The (f, wrt, order) on which SymPy's .diff runs without raising."""
    cases, failures = [], []
    for pid, f, wrt, _ in problems:
        for order in (1, 2):
            try:
                sympy_diff_all([(f, wrt, order)])
                cases.append((f, wrt, order))
            except Exception as exc:  # noqa: BLE001 - recording SymPy's failures is the point
                failures.append(f"{pid} order {order}: {type(exc).__name__}")
    return cases, failures


def test_derive_sections_1_and_2_with_latex(benchmark, problems):
    benchmark.pedantic(derive_all, args=(problems,), rounds=7, iterations=1, warmup_rounds=1)
    best = benchmark.stats.stats.min
    benchmark.extra_info.update(parts=len(problems), derivations=2 * len(problems), best_s=best)
    print(f"\nsymcheck.derive: {2 * len(problems)} derivations with LaTeX, best {best * 1e3:.1f} ms "
          f"(target < {TARGET_SECONDS:.0f} s)")


def test_sympy_diff_on_the_same_expressions(benchmark, problems):
    cases, failures = _sympy_cases(problems)
    benchmark.pedantic(sympy_diff_all, args=(cases,), rounds=7, iterations=1, warmup_rounds=1)
    best = benchmark.stats.stats.min
    benchmark.extra_info.update(cases=len(cases), sympy_failures=failures, best_s=best)
    print(f"\nsympy .diff: {len(cases)} of {2 * len(problems)} derivations run, best "
          f"{best * 1e3:.1f} ms; raised on: {', '.join(failures) or 'none'}")


def test_one_cold_pass_is_reported(problems):
    start = time.perf_counter()
    derive_all(problems)
    elapsed = time.perf_counter() - start
    print(f"\nsymcheck.derive cold pass (first call, SymPy caches empty for these): {elapsed * 1e3:.1f} ms")
