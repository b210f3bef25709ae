"""Benchmark: ``symcheck grade --batch`` on a realistic class, against the straightforward SymPy grader.

Run with:  pytest -m bench tests/bench/bench_batch.py -s
Targets (issue 11): a class of 300 submissions covering every gradable part, half of the answers
unique (scaled symbolic answers, jittered numbers) and the rest repeated as real classes repeat;
``--jobs 1`` (interpreter start and file reading included) grades at least 2,000 answers/s and
at least 100× the rate of the straightforward SymPy grader of tests/bench/bench_grade.py,
measured in the same run; ``--jobs 2`` reaches at least 1.7× the ``--jobs 1`` rate (the
median over the rounds of each round's ratio of its two adjacent runs), with the
prepared-part store cold and warm (cold: an empty store, so every part is prepared, the
symbolic ones from the shipped derived truths, without SymPy).  The machines are shared and
noisy, and noise only adds time: the runs alternate over five rounds (timeit's default repeat)
and each configuration's rate is its best round, as timeit does; every round's figures are printed.

The answers come from the independent corpus (tests/grade/corpus): its right and wrong answers
to every gradable part, plain and LaTeX, numbers and expressions.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from bench_grade import ANSWERS, CappedCPU, sympy_grader

from symcheck.catalogue import load_catalogue
from symcheck.grade import Grader

pytestmark = pytest.mark.bench

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "grade" / "corpus"
STUDENTS = 300
BASELINE_CAP = 5    # seconds allowed to the SymPy grader per answer
ROUNDS = 5          # rounds of (--jobs 1, --jobs 2), each cold then warm


def answer_pools() -> dict[str, list]:
    """Part id -> the corpus's answers to it (right and wrong), strings and numbers."""
    pools: dict[str, list] = {}
    for path in sorted(CORPUS.glob("*.toml")):
        if path.name == "submissions.toml":
            continue
        for part_id, entry in tomllib.loads(path.read_text(encoding="utf-8")).items():
            if not isinstance(entry, dict):
                continue
            answers = list(entry.get("correct", [])) + [w["answer"] for w in entry.get("wrong", [])]
            pools.setdefault(part_id, []).extend(a for a in answers if isinstance(a, (str, int, float)))
    return pools


def _is_number(text) -> bool:
    try:
        float(text)
        return True
    except (TypeError, ValueError):
        return False


def unique_variant(answer, k: int):
    """An answer nobody else writes: a symbolic answer scaled by k/k, a number jittered by k ulps-ish."""
    if isinstance(answer, (int, float)) or _is_number(answer):
        value = float(answer) * (1 + (k + 1) * 1e-13) + (k + 1) * 1e-15
        return value if not isinstance(answer, str) else repr(value)
    return f"({k + 2}*({answer}))/{k + 2}"


def toml_value(answer) -> str:
    return repr(float(answer)) if isinstance(answer, (int, float)) else json.dumps(answer)


def build_class(folder: Path, pools: dict[str, list], ids: list[str], seed: int = 0) -> int:
    """Write STUDENTS submission files answering every part in ``ids``; return the answer count."""
    rng = random.Random(seed)
    count = 0
    for student in range(STUDENTS):
        lines = ["[answers]"]
        for part_id in ids:
            pool = pools[part_id]
            answer = rng.choice(pool)
            if rng.random() < 0.5:
                plain = [a for a in pool if not (isinstance(a, str) and "\\" in a)] or pool
                answer = unique_variant(rng.choice(plain), student)
            lines.append(f"{json.dumps(part_id)} = {toml_value(answer)}")
            count += 1
        (folder / f"student{student:03d}.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return count


def _spin(n: int = 6_000_000) -> int:
    """Pure-Python CPU work with no memory traffic: the machine's own two-process ceiling."""
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def two_process_ceiling(rounds: int = 5) -> list[float]:
    """The speed-up of the same pure-Python work on two forked processes over one, per round.

    What ``--jobs 2`` could reach at best on this machine (its two cores may share a physical
    core, or be shared with other tenants), measured in the same run as the batch."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    out = []
    with ProcessPoolExecutor(2, mp_context=context) as pool:
        list(pool.map(_spin, [1000, 1000]))   # both workers started
        for _ in range(rounds):
            start = time.perf_counter()
            _spin(), _spin()
            one = time.perf_counter() - start
            start = time.perf_counter()
            list(pool.map(_spin, [6_000_000, 6_000_000]))
            out.append(one / (time.perf_counter() - start))
    return out


def run_batch(folder: Path, out: Path, jobs: int, store: Path) -> float:
    """Wall seconds of one ``symcheck grade --batch`` process using the prepared-part store
    ``store`` (an empty folder makes the run cold: every part is derived and prepared)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "symcheck", "grade", "--batch", str(folder),
                           "--jobs", str(jobs), "--out", str(out), "--quiet"],
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, "SYMCHECK_CACHE_DIR": str(store)})
    wall = time.perf_counter() - start
    assert done.returncode == 0, done.stderr
    return wall


def grades(path: Path) -> dict:
    """(student, id) -> (verdict, score, codes) of a grades CSV."""
    import csv

    with open(path, encoding="utf-8") as handle:
        return {(r["student"], r["id"]): (r["verdict"], r["score"], r["codes"]) for r in csv.DictReader(handle)}


def sympy_rate(catalogue, class_answers: list[tuple[str, str]]) -> tuple[float, int, int]:
    """Answers per second of bench_grade's straightforward SymPy grader on answers of this class.

    Only the answers it can read count (a form parse_expr refuses fails fast and grades nothing);
    the rate is answers over total CPU time, as for the batch.  Each answer is capped at
    ``BASELINE_CAP`` CPU seconds (bench_grade's watchdog), and a capped answer counts as the cap,
    which flatters the baseline.  Returns (rate, answers timed, answers capped).
    """
    prepare, grade = sympy_grader(catalogue)
    sample = [(p, a) for p, a in class_answers
              if p in ANSWERS and p != "3.4.grad.W_o" and isinstance(a, str) and "\\" not in a][:40]
    times, capped = [], 0
    with CappedCPU(grade, cap=BASELINE_CAP) as run:
        for part_id in dict.fromkeys(p for p, _ in sample):   # prepare its parts outside the timing
            prepare(part_id)
            run(part_id, ANSWERS[part_id][0])
        for part_id, answer in sample:
            try:
                _, seconds, over = run(part_id, answer)
            except Exception:  # noqa: BLE001 - a form parse_expr cannot read is not graded: not timed
                continue
            times.append(seconds)
            capped += over
    return len(times) / sum(times), len(times), capped


def test_batch_rate_against_sympy_and_two_jobs(tmp_path):
    catalogue = load_catalogue()
    pools = answer_pools()
    gradable = [p.id for p in Grader(catalogue).grade_submission({}).parts if p.verdict != "manual"]
    ids = [p for p in gradable if pools.get(p)]
    uncovered = sorted(set(gradable) - set(ids))
    folder = tmp_path / "class"
    folder.mkdir()
    answers = build_class(folder, pools, ids)
    class_answers = [(p, a) for path in sorted(folder.iterdir())[:20]
                     for p, a in tomllib.loads(path.read_text())["answers"].items()]
    print(f"\nclass: {STUDENTS} submissions, {len(ids)} gradable parts each, {answers} answers "
          f"(half unique); parts without corpus answers: {uncovered or 'none'}", flush=True)
    # ROUNDS rounds.  Each job count runs first cold (its own empty store), then warm (the same
    # store again), and the two runs compared are always adjacent, in ABBA order: --jobs 1 cold,
    # --jobs 2 cold, --jobs 2 warm, --jobs 1 warm, the next round starting with --jobs 2, so a
    # drift of the machine's speed within a round falls on both sides alike.
    runs: dict[tuple[int, str, int], float] = {}
    for r in range(ROUNDS):
        first, second = (1, 2) if r % 2 == 0 else (2, 1)
        for jobs, state in ((first, "cold"), (second, "cold"), (second, "warm"), (first, "warm")):
            wall = runs[jobs, state, r] = run_batch(folder, tmp_path / f"{jobs}-{state}-{r}.csv", jobs,
                                                    tmp_path / f"store-{jobs}-{r}")
            print(f"round {r + 1}: symcheck grade --batch --jobs {jobs}, {state} store: {wall:.2f} s wall, "
                  f"{answers / wall:,.0f} answers/s (interpreter start and file reading included)",
                  flush=True)
    # Noise on this shared machine only ever adds time (the same run takes up to 1.6× the CPU
    # when the host is busy), so each configuration's time is its best round, as timeit reports.
    best = {(jobs, state): min(runs[jobs, state, r] for r in range(ROUNDS)) for jobs in (1, 2)
            for state in ("cold", "warm")}
    # The speed-up is a ratio, and the ratio of two best rounds taken from different rounds is
    # at the mercy of one fast spell of the machine on one side (a --jobs 1 best of 6.1 s
    # against 7.5-9.6 s in its other four rounds gave 1.55× while its rounds gave 1.55-2.17×).
    # So the speed-up asserted is the median of the per-round ratios, each of two runs made
    # one after the other; the ratio of best rounds is printed beside it.
    ratios, best_ratios = {}, {}
    for state in ("cold", "warm"):
        paired = [runs[1, state, r] / runs[2, state, r] for r in range(ROUNDS)]
        ratios[state] = statistics.median(paired)
        best_ratios[state] = best[1, state] / best[2, state]
        per_round = " / ".join(f"{x:.2f}×" for x in paired)
        print(f"--jobs 2 against --jobs 1, {state}: median of the {ROUNDS} rounds' ratios "
              f"{ratios[state]:.2f}× (round by round {per_round}); best rounds {best[1, state]:.2f} s "
              f"against {best[2, state]:.2f} s, {best_ratios[state]:.2f}× ({os.cpu_count()} cores; load "
              f"average {os.getloadavg()[0]:.1f})", flush=True)
    ceiling = two_process_ceiling()
    print(f"this machine's ceiling, the same pure-Python loop in two processes against one: median "
          f"{statistics.median(ceiling):.2f}× (round by round {' / '.join(f'{x:.2f}×' for x in ceiling)})")
    reference = grades(tmp_path / "1-cold-0.csv")
    others = [grades(tmp_path / f"{jobs}-{state}-{r}.csv") for jobs, state, r in runs if (jobs, state, r) != (1, "cold", 0)]
    differ = sum(other.get(k) != row for other in others for k, row in reference.items())
    rate_one = answers / best[1, "cold"]
    baseline, sampled, capped = sympy_rate(catalogue, class_answers)
    print(f"rows whose verdict, score or codes differ from round 1's --jobs 1 cold in the {len(others)} other "
          f"runs: {differ} of {len(others) * len(reference)}")
    print(f"straightforward SymPy grader on the {sampled} of 40 answers of this class it can read "
          f"({capped} capped at {BASELINE_CAP} s CPU): {baseline:,.1f} answers/s; "
          f"--jobs 1 cold (best round, {rate_one:,.0f} answers/s) is {rate_one / baseline:,.0f}× faster")
    assert not uncovered
    assert all(len(other) == len(reference) for other in others) and differ == 0
    assert rate_one >= 2000
    assert rate_one >= 100 * baseline
    assert ratios["cold"] >= 1.7
    assert ratios["warm"] >= 1.7


def test_hostile_files_are_answered_within_2_s_and_bounded_memory(tmp_path):
    """Each hostile submission of tests/grade/test_submission.py gets its verdict or error fast."""
    import tracemalloc

    from symcheck.errors import SubmissionError
    from symcheck.grade import read_submission

    sys.path.insert(0, str(ROOT / "tests" / "grade"))
    from test_submission import HOSTILE, KNOWN

    cases = {name: content for name, (content, _, _) in HOSTILE.items()}
    cases["five_mb_answer"] = '[answers]\n"1.4.first" = "' + "x" * 5_000_000 + '"\n'
    # 50-line derivations whose lines are each right and within the work limit, together over it
    line = '"2*kron(Identity(n), Identity(n))' + "*kron(X, X)^-1*kron(X, X)" * 2 + '"'
    cases["heavy_chains"] = "[answers]\n" + "".join(
        f'"{part}" = [{", ".join([line] * 50)}]\n' for part in ("1.3.second", "1.1.second", "1.2.second"))
    grader = Grader(load_catalogue())
    for part_id in KNOWN:           # prepare the parts first: that is once per run, not per file
        grader.grade_answer(part_id, "0")
    worst = (0.0, 0, "")

    def grade(path):
        try:
            grader.grade_submission(read_submission(path).answers)
        except SubmissionError:
            pass

    for name, content in cases.items():
        path = tmp_path / f"{name}.toml"
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        start = time.perf_counter()
        grade(path)
        seconds = time.perf_counter() - start
        tracemalloc.start()        # a second pass for memory: tracing slows Python down
        grade(path)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"{name:<20} {seconds * 1e3:8.1f} ms  peak {peak / 1e6:6.1f} MB")
        worst = max(worst, (seconds, peak, name))
        assert seconds < 2.0, name
        assert peak < 200e6, name
    print(f"slowest: {worst[2]} in {worst[0]:.2f} s")
