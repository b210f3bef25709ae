"""Benchmark of symcheck.derive: in one process on sections 1 and 2, and as a command on every part.

Run with:  pytest -m bench tests/bench/bench_derive.py --benchmark-columns=min,median -s
Targets:
- deriving every part of sections 1 and 2 at first and second order, with the LaTeX document of
  each, takes well under 1 s in one process after import.  SymPy's own ``expr.diff(wrt)`` on the
  same expressions is timed for comparison where it does not raise (it gives array expressions,
  not closed forms, and fails on some second derivatives);
- ``symcheck derive PART --order N --latex`` answers in under 1 s for every derivative and
  matrix-gradient part of the catalogue at orders 1 and 2 (54 runs), each a fresh process with
  interpreter start included.  The table prints wall-clock and CPU (user + system) per run; on the
  shared 2-core machine wall-clock moves with the load, so only the answer is asserted, not the time.
"""

import resource
import statistics
import subprocess
import sys
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


def _derive_command(part_id: str, order: int) -> tuple[float, float, subprocess.CompletedProcess]:
    """Run ``symcheck derive PART --order N --latex`` in a fresh process: (wall s, CPU s, process)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "symcheck", "derive", part_id, "--order", str(order),
                           "--latex"], capture_output=True, text=True, timeout=120)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc


def test_derive_command_on_every_part_and_order():
    part_ids = [p.id for p in load_catalogue().parts if p.ask.kind in ("derivative", "matrix_gradient")]
    _derive_command(part_ids[0], 1)   # warm the file cache and .pyc files
    rows, failures = [], []
    for part_id in part_ids:
        for order in (1, 2):
            wall, cpu, proc = _derive_command(part_id, order)
            rows.append((part_id, order, wall, cpu))
            document = proc.stdout
            answered = (proc.returncode == 0 and document.startswith("\\documentclass")
                        and f"Derivative of order {order} with respect to" in document
                        and document.rstrip().endswith("\\end{document}"))
            if not answered:
                failures.append(f"{part_id} --order {order}: exit {proc.returncode}, "
                                f"{(proc.stderr or document)[:200]!r}")
    walls, cpus = [r[2] for r in rows], [r[3] for r in rows]
    print(f"\nsymcheck derive PART --order N --latex, {len(rows)} fresh processes:")
    print(f"  {'part':<18} {'order':>5} {'wall s':>7} {'CPU s':>6}")
    for part_id, order, wall, cpu in rows:
        flag = "  > 1 s" if wall >= TARGET_SECONDS else ""
        print(f"  {part_id:<18} {order:>5} {wall:7.2f} {cpu:6.2f}{flag}")
    slowest = max(rows, key=lambda r: r[2])
    print(f"  wall: median {statistics.median(walls):.2f} s, slowest {slowest[2]:.2f} s "
          f"({slowest[0]} order {slowest[1]}), {sum(w >= TARGET_SECONDS for w in walls)} of {len(rows)} "
          f"at or over {TARGET_SECONDS:.0f} s; CPU: median {statistics.median(cpus):.2f} s, "
          f"slowest {max(cpus):.2f} s")
    assert len(rows) == 54, f"expected 27 parts x 2 orders, ran {len(rows)}"
    assert not failures, "\n".join(failures)
