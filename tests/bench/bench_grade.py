"""Benchmark of grade_answer on answers it has never seen, against a straightforward SymPy grader.

Run with:  pytest -m bench tests/bench/bench_grade.py -s
Targets (issue 10): with the catalogue loaded and every part prepared, grading a never-seen
answer takes a median under 0.5 ms, at least 2,000 answers/s on one core (five rounds of
never-seen answers, the best round asserted as timeit reports the best of its repeats: the
machines are shared, and their noise only adds time), and at least 100×
less time than the straightforward SymPy grader (``parse_expr`` with MatrixSymbols in scope,
then ``simplify(answer − truth) == 0`` on a small explicit instance), timed in the same run;
``symcheck grade --part ...`` finishes in under 1 s wall-clock, interpreter start included.

The SymPy grader is timed on a sample of the same answers: one in 20 of every part, right and
wrong ones, of sections 1 and 2, the MLP part 3.4.grad.W_o and the number parts of 3.1 (40).  On
3.4 its explicit sigmoid entries keep ``simplify`` busy for minutes per answer (and on one
explicit inverse of 2.1 as well), so every answer runs under a CPU cap (``BASELINE_CPU_CAP``
seconds, see ``CappedCPU``); a capped answer counts as the cap, so a ratio over capped answers is
a lower bound and is printed with "≥".  Two ratios are printed: on sections 1 and 2 alone, and
on the whole sample; the answers that hit the cap are listed.  What is asserted is throughput:
the total time to grade the sections 1-2 answers that no cap cut short, SymPy's over ours, at
least 100×.  Per answer the gap is much smaller (SymPy simplifies the few-term sums of tiny
explicit instances in milliseconds): the ratio of medians is printed, not asserted.

``symcheck grade --part`` is timed as a fresh process on a few parts (a number part among them),
first with an empty ``SYMCHECK_CACHE_DIR`` (cold: the part is prepared from scratch, from the
shipped derived truths), then again with that same directory (warm: the prepared-part store,
when it is there, is read back), and then with another empty directory and
``SYMCHECK_DERIVE_TRUTHS=1`` (derived: the part derived with SymPy, as a part an instructor
adds is on its first grade; printed, not asserted).  Cold and warm are asserted under 1 s.
Without a store both runs prepare the part, and the bench says that nothing was stored.
"""

from __future__ import annotations

import gc
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import NamedTuple

import pytest

from symcheck.grade import Grader
from symcheck.tolerances import TOLERANCES

pytestmark = pytest.mark.bench

# part -> (a correct answer, a wrong one, the variable), in the plain answer language.
ANSWERS = {
    "1.2.first": ("M.T", "M", "X"),
    "1.4.first": ("a*b.T", "b*a.T", "X"),
    "1.5.first": ("X*(a*b.T + b*a.T)", "2*X*b*a.T", "X"),
    "2.1.gradient": ("2*(X.T*X + lambda*I)*beta - 2*X.T*y", "-2*X.T*y + 2*X.T*X*beta", "beta"),
    "2.1.solution": ("(X.T*X + lambda*I)^-1*X.T*y", "(X.T*X)^-1*X.T*y", "beta"),
    "3.4.grad.W_o": ("(2/N)*H.T*(Yhat - Y)", "-(2/N)*(Y - Yhat).T*H", "W_o"),
}
# part -> its correct answer, for the number parts of the 2-2-1 network.
NUMBERS = {"3.1.a5": "-0.42614473734", "3.1.table.W23": "1.89"}
SAMPLE_STEP = 20             # the SymPy grader grades one answer in 20 of each part
BASELINE_CPU_CAP = 20.0      # CPU seconds per answer for the SymPy grader
# (part, answer, text the verdict must contain) for `symcheck grade --part`.
CLI_CASES = [
    ("1.4.first", "b*a.T", "[TRANSPOSED]"),
    ("2.1.solution", ANSWERS["2.1.solution"][0], "correct"),
    ("3.4.grad.W_o", ANSWERS["3.4.grad.W_o"][0], "correct"),
    ("3.1.a5", NUMBERS["3.1.a5"], "correct"),
]
CLI_ROUNDS = 3
SPEED_ROUND_STARTS = (3000, 5000, 7000, 9000)   # four more rounds of never-seen answers, after start=2


def never_seen(count_per_part: int = 100, start: int = 2) -> list[tuple[str, str]]:
    """Distinct answers (distinct even after normalisation): half right, half wrong."""
    out = []
    for part_id, (right, wrong, var) in ANSWERS.items():
        for i in range(count_per_part):
            c = i + start
            if i % 2 == 0:
                out.append((part_id, f"({c}*({right}) + {var} - {var})/{c}"))
            else:
                out.append((part_id, f"{wrong} + {c}e-3*{var}" if i % 4 == 1 else f"{c}*({wrong})"))
    for i in range(count_per_part):
        out.append(("3.1.a5", f"-0.4261447{i + start:04d}"))
        out.append(("3.1.table.W23", f"{1 + (i + start) // 100}.{(i + start) % 100:02d}"))
    return out


def baseline_sample(answers: list[tuple[str, str]], step: int = SAMPLE_STEP) -> list[tuple[str, str]]:
    """One answer in ``step`` of each part: the k-th taken at index k·step + k mod 4 of the part's
    answers, so right answers and both kinds of wrong ones are in it (never_seen cycles through
    right, wrong + c·var, right, c·wrong)."""
    by_part: dict[str, list[str]] = {}
    for part_id, answer in answers:
        by_part.setdefault(part_id, []).append(answer)
    return [(part_id, texts[k * step + k % 4]) for part_id, texts in by_part.items()
            for k in range(len(texts) // step)]


def group(part_id: str) -> str:
    """The sample's groups: sections 1 and 2, the MLP (3.4), numbers."""
    if part_id in NUMBERS:
        return "numbers"
    return "3.4" if part_id.startswith("3.") else "sections 1-2"


@pytest.fixture(scope="module")
def grader():
    g = Grader()
    for part_id, (right, wrong, var) in ANSWERS.items():   # prepare every part once
        g.grade_answer(part_id, right)
        g.grade_answer(part_id, f"{right} + {var}")   # and what naming a mistake needs
    for part_id, right in NUMBERS.items():
        g.grade_answer(part_id, right)
    return g


def _time_each(grade, answers, clock=time.process_time) -> list[float]:
    """CPU seconds per answer (one core: the 2-core machine is shared, so wall time is noisy)."""
    times = []
    for part_id, answer in answers:
        start = clock()
        grade(part_id, answer)
        times.append(clock() - start)
    return times


@pytest.fixture(scope="module")
def ours(grader):
    """{(part, answer): CPU seconds} for grade_answer on every never-seen answer, on one core."""
    return _cpu_round(grader, 2)


def _cpu_round(grader, start: int) -> dict:
    """{(part, answer): CPU seconds} for one round of never-seen answers, on one core (no BLAS
    helper threads), the collector's counts at zero at the start, as timeit does."""
    from threadpoolctl import threadpool_limits

    answers = never_seen(start=start)
    gc.collect()
    with threadpool_limits(1):
        return dict(zip(answers, _time_each(grader.grade_answer, answers)))


class _OverCap(BaseException):
    """Raised in the main thread when an answer has used its CPU cap (a BaseException, so that
    no ``except Exception`` inside SymPy swallows it)."""


class CappedCPU:
    """Call ``function`` under a cap of ``cap`` CPU seconds of the main thread per call.

    ``with CappedCPU(f) as run: result, seconds, capped = run(*args)``; a capped call returns
    ``(None, cap, True)``.  A watchdog thread reads the main thread's CPU clock every ``poll``
    seconds and, past the deadline, sends it SIGUSR1, whose handler raises ``_OverCap`` while a
    call is running.  (``setitimer(ITIMER_PROF)`` would stop it as well, but on this machine an
    armed profiling timer makes the CPU clocks tick in 4 ms steps, too coarse to time answers
    that take a millisecond.)
    """

    def __init__(self, function, cap: float = BASELINE_CPU_CAP, poll: float = 0.05):
        self.function, self.cap, self.poll = function, cap, poll
        self._main = threading.main_thread().ident
        self._clock = time.pthread_getcpuclockid(self._main)
        self._deadline: float | None = None
        self._armed = False
        self._lock = threading.Lock()
        self._stop = threading.Event()

    def _handler(self, signum, frame):
        if self._armed:   # a late signal after the call has returned is ignored
            raise _OverCap

    def _watch(self):
        while not self._stop.wait(self.poll):
            with self._lock:
                if self._deadline is not None and time.clock_gettime(self._clock) > self._deadline:
                    self._deadline = None
                    signal.pthread_kill(self._main, signal.SIGUSR1)

    def __enter__(self):
        self._previous = signal.signal(signal.SIGUSR1, self._handler)
        self._watcher = threading.Thread(target=self._watch, daemon=True)
        self._watcher.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._watcher.join()
        signal.signal(signal.SIGUSR1, self._previous)

    def __call__(self, *args):
        start = time.thread_time()
        with self._lock:
            self._deadline = time.clock_gettime(self._clock) + self.cap
        try:
            self._armed = True
            result = self.function(*args)
            self._armed = False
            return result, time.thread_time() - start, False
        except _OverCap:
            return None, self.cap, True
        finally:
            self._armed = False
            with self._lock:
                self._deadline = None


def sympy_grader(catalogue):
    """The straightforward grader, as ``(prepare(part_id), grade(part_id, answer) -> bool)``.

    Symbolic parts: parse_expr with MatrixSymbols of small sizes in scope, then simplify every
    entry of (answer − truth), written out explicitly, and ask for zero.  Number parts: the 2-2-1
    network built in SymPy with the weights as symbols, the asked value (a node value, or a
    weight after one gradient step by ``diff``) evaluated at 30 digits when the part is
    prepared; an answer is parse_expr'd and compared with it within the part's tolerance.
    """
    import sympy as sp
    from sympy.parsing.sympy_parser import parse_expr

    cache = {}

    def python_text(text):   # `lambda` is a Python keyword, so parse_expr needs another name
        return text.replace("^", "**").replace("lambda", "lam")

    def sigmoid(m):
        return m.as_explicit().applyfunc(lambda x: 1 / (1 + sp.exp(-x))) if hasattr(m, "shape") \
            else 1 / (1 + sp.exp(-m))

    def prepare_symbolic(part):
        dims = sorted({d for s in part.symbols.values() for d in s if isinstance(d, str)})
        sizes = {d: 2 + i for i, d in enumerate(dims)}
        local = {"OneMatrix": lambda r, c: sp.ones(r, c), "sigmoid": sigmoid,
                 "I": sp.eye(sizes.get("p", 2)), **{d: sp.Integer(v) for d, v in sizes.items()}}
        for name, shape in part.symbols.items():
            if not shape:
                local[python_text(name)] = sp.Symbol(python_text(name))
            else:
                r, c = (sizes[d] if isinstance(d, str) else d for d in shape)
                local[name] = sp.MatrixSymbol(name, r, c)
        for name, text in part.ask.definitions:
            if name != "I":
                local[name] = parse_expr(python_text(text), local_dict=dict(local))
        truth = parse_expr(python_text(ANSWERS[part.id][0]), local_dict=dict(local))
        return local, truth

    def prepare_number(part):
        context = part.context
        w = {name: sp.Symbol(name) for name in context["weights"]}
        x1, x2 = sp.Rational(str(context["x1"])), sp.Rational(str(context["x2"]))
        nodes = {"a3": 1 / (1 + sp.exp(-(x1 * w["W13"] + x2 * w["W23"]))),
                 "a4": sp.tanh(x1 * w["W14"] + x2 * w["W24"])}
        nodes["a5"] = w["W35"] * nodes["a3"] + w["W45"] * nodes["a4"]
        nodes["loss"] = (nodes["a5"] - sp.Rational(str(context["target"]))) ** 2
        quantity = part.ask.quantity
        if quantity.startswith("new_"):
            weight = w[quantity[len("new_"):]]
            value = weight - sp.Rational(str(context["learning_rate"])) * nodes["loss"].diff(weight)
        else:
            value = nodes[quantity]
        at = {w[name]: sp.Integer(v) for name, v in context["weights"].items()}
        return sp.N(value.subs(at), 30), TOLERANCES[part.grading.tolerance]

    def prepare(part_id):
        if part_id not in cache:
            part = catalogue.part(part_id)
            cache[part_id] = prepare_number(part) if part_id in NUMBERS else prepare_symbolic(part)
        return cache[part_id]

    def grade(part_id, answer):
        if part_id in NUMBERS:
            truth, tol = prepare(part_id)
            value = parse_expr(python_text(answer))
            return bool(sp.Abs(sp.N(value, 30) - truth) <= tol.atol + tol.rtol * abs(truth))
        local, truth = prepare(part_id)
        try:
            value = parse_expr(python_text(answer), local_dict=dict(local))
            difference = sp.Matrix(value - truth)
        except (TypeError, ValueError, sp.ShapeError):
            return False
        return all(sp.simplify(entry) == 0 for entry in difference)

    return prepare, grade


def test_grade_answer_speed(ours, grader):
    # Five rounds (timeit's default repeat) of answers never seen before.  The machine is shared and noisy, and noise only
    # adds time (the same work takes up to 1.6× the CPU when the host is busy): every round is
    # printed, and the best one is asserted, as timeit reports the best of its repeats.
    rounds = [ours] + [_cpu_round(grader, start) for start in SPEED_ROUND_STARTS]
    medians, rates = [], []
    for k, timed in enumerate(rounds, 1):
        times = list(timed.values())
        symbolic = [t for (pid, _), t in timed.items() if pid in ANSWERS]
        right = [t for (pid, a), t in timed.items() if pid in ANSWERS and a.startswith("(")]
        numbers = [t for (pid, _), t in timed.items() if pid in NUMBERS]
        medians.append(statistics.median(times))
        rates.append(len(times) / sum(times))
        print(f"\nround {k}: grade_answer on {len(times)} never-seen answers, CPU on one core: median "
              f"{medians[-1] * 1e3:.3f} ms, {rates[-1]:,.0f} answers/s (symbolic median "
              f"{statistics.median(symbolic) * 1e3:.3f} ms, right ones {statistics.median(right) * 1e3:.3f} ms, "
              f"numbers {statistics.median(numbers) * 1e3:.3f} ms; slowest {max(times) * 1e3:.1f} ms, "
              f"{max(timed, key=timed.get)})")
    wall = _time_each(grader.grade_answer, never_seen(start=1000), time.perf_counter)
    fastest = rates.index(max(rates))   # the round with the least total time
    print(f"best round ({fastest + 1}): median {medians[fastest] * 1e3:.3f} ms, "
          f"{rates[fastest]:,.0f} answers/s")
    print(f"wall-clock on the shared machine, {len(wall)} more: median "
          f"{statistics.median(wall) * 1e3:.3f} ms, {len(wall) / sum(wall):,.0f} answers/s")
    assert medians[fastest] < 0.5e-3
    assert rates[fastest] >= 2000


class Timed(NamedTuple):
    """One answer of the sample: the SymPy grader's CPU seconds and verdict beside ours."""

    part_id: str
    answer: str
    sympy_seconds: float
    capped: bool
    sympy_correct: bool | None   # None when capped
    ours_seconds: float
    ours_correct: bool


def _times(ratio: float) -> str:
    return f"{ratio:,.0f}×" if ratio >= 10 else f"{ratio:.2g}×"


def _comparison(rows: list[Timed]) -> str:
    """Medians, totals and their ratios; "≥" when some SymPy times are the cap (lower bounds)."""
    sympy_times, our_times = [r.sympy_seconds for r in rows], [r.ours_seconds for r in rows]
    capped = sum(r.capped for r in rows)
    bound = "≥ " if capped else ""
    return (f"{len(rows)} answers, {capped} capped: SymPy median "
            f"{bound}{statistics.median(sympy_times) * 1e3:,.2f} ms, total {bound}{sum(sympy_times):,.2f} s; "
            f"ours median {statistics.median(our_times) * 1e3:.3f} ms, total {sum(our_times) * 1e3:.1f} ms; "
            f"ratio of medians {bound}{_times(statistics.median(sympy_times) / statistics.median(our_times))}, "
            f"of totals {bound}{_times(sum(sympy_times) / sum(our_times))}")


def test_grade_answer_against_sympy_grader(ours, grader):
    sample = baseline_sample(list(ours))
    prepare, grade = sympy_grader(grader.catalogue)
    with CappedCPU(grade) as run:
        for part_id in dict.fromkeys(p for p, _ in sample):   # prepare and warm each part, untimed
            prepare(part_id)
            run(part_id, ANSWERS[part_id][0] if part_id in ANSWERS else NUMBERS[part_id])
        rows = []
        for part_id, answer in sample:
            said, seconds, capped = run(part_id, answer)
            rows.append(Timed(part_id, answer, seconds, capped, said, ours[part_id, answer],
                              grader.grade_answer(part_id, answer).verdict == "correct"))

    print(f"\nstraightforward SymPy grader on one in {SAMPLE_STEP} never-seen answers of each part, "
          f"CPU of the main thread, capped at {BASELINE_CPU_CAP:.0f} s per answer (a capped answer counts as "
          f"{BASELINE_CPU_CAP:.0f} s):")
    for name in ("sections 1-2", "3.4", "numbers"):
        print(f"  {name:<12}  {_comparison([r for r in rows if group(r.part_id) == name])}")
    early = [r for r in rows if group(r.part_id) == "sections 1-2"]
    print(f"RATIO, sections 1 and 2 only: {_comparison(early)}")
    print(f"RATIO, the whole sample (sections 1-2, 3.4, numbers): {_comparison(rows)}")
    for r in rows:
        if r.capped:
            print(f"  capped: {r.part_id} {r.answer!r} (grade_answer: {r.ours_seconds * 1e3:.3f} ms, "
                  f"{'correct' if r.ours_correct else 'not correct'})")
    decided = [r for r in rows if not r.capped]
    agree = sum(r.sympy_correct == r.ours_correct for r in decided)
    print(f"  the SymPy grader's verdict agrees with grade_answer on {agree} of the {len(decided)} "
          f"answers it decided within the cap")
    assert len(rows) <= 60 and {group(r.part_id) for r in rows} == {"sections 1-2", "3.4", "numbers"}
    assert all(isinstance(r.sympy_correct, bool) for r in decided)
    # The target, read as throughput (the time to grade the same answers, as issue 11 measures
    # it): sections 1 and 2 without the capped answers, so the cap cannot inflate it.  The ratio
    # of per-answer medians is printed above and is far smaller (the README gives both).
    uncapped = [r for r in early if not r.capped]
    print(f"ASSERTED, sections 1 and 2 without capped answers: {_comparison(uncapped)}")
    ratio = sum(r.sympy_seconds for r in uncapped) / sum(r.ours_seconds for r in uncapped)
    assert ratio >= 100, f"sections 1-2, uncapped: ratio of totals {ratio:.0f}× < 100×"


def _grade_command(part_id: str, answer: str, cache_dir: str, *,
                   derive: bool = False) -> tuple[float, subprocess.CompletedProcess]:
    """Run ``symcheck grade --part`` in a fresh process with the given store: (wall s, process).

    ``derive`` ignores the shipped derived truths (``SYMCHECK_DERIVE_TRUTHS=1``)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("SYMCHECK_NO_CACHE", "SYMCHECK_DERIVE_TRUTHS")}
    env["SYMCHECK_CACHE_DIR"] = cache_dir
    if derive:
        env["SYMCHECK_DERIVE_TRUTHS"] = "1"
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "symcheck", "grade", "--part", part_id, answer],
                          capture_output=True, text=True, timeout=120, env=env)
    return time.perf_counter() - start, proc


def test_cli_grade_part_cold_and_warm(tmp_path):
    _grade_command(*CLI_CASES[0][:2], str(tmp_path / "warm-up"))   # the file cache and .pyc files
    states = ("cold", "warm", "derived")
    times = {(part_id, state): [] for part_id, *_ in CLI_CASES for state in states}
    stored, failures = {}, []
    for round_ in range(CLI_ROUNDS):
        for part_id, answer, expected in CLI_CASES:
            cache_dir = tempfile.mkdtemp(prefix=f"store-{round_}-", dir=tmp_path)
            outputs = {}
            for state in states:   # an empty directory, the same one again, another empty one
                folder = cache_dir if state != "derived" else tempfile.mkdtemp(dir=tmp_path)
                wall, proc = _grade_command(part_id, answer, folder, derive=state == "derived")
                times[part_id, state].append(wall)
                outputs[state] = proc.stdout
                if proc.returncode != 0 or expected not in proc.stdout:
                    failures.append(f"{part_id} {answer!r} ({state}): exit {proc.returncode}, "
                                    f"{(proc.stderr or proc.stdout)[:200]!r}")
            for state in ("warm", "derived"):
                if outputs["cold"] != outputs[state]:
                    failures.append(f"{part_id} {answer!r}: the {state} run printed something else "
                                    f"than the cold one:\n{outputs['cold']}\n---\n{outputs[state]}")
            stored[part_id] = sum(1 for f in Path(cache_dir).rglob("*") if f.is_file())
    print(f"\nsymcheck grade --part ID ANSWER, fresh process, wall-clock, median of {CLI_ROUNDS} "
          f"(cold: empty SYMCHECK_CACHE_DIR; warm: the same directory again; derived: empty, "
          f"and SYMCHECK_DERIVE_TRUTHS=1):")
    for part_id, answer, _ in CLI_CASES:
        median = {state: statistics.median(times[part_id, state]) for state in states}
        note = f"{stored[part_id]} files stored" if stored[part_id] else "nothing stored"
        print(f"  {part_id:<14} {answer!r:<34} cold {median['cold']:5.2f} s  warm {median['warm']:5.2f} s  "
              f"derived {median['derived']:5.2f} s  ({note})")
    every = {state: [t for (_, s), ts in times.items() if s == state for t in ts] for state in states}
    print("  all parts: " + ", ".join(f"{state} median {statistics.median(every[state]):.2f} s (slowest "
                                      f"{max(every[state]):.2f} s)" for state in states) + "; target < 1 s")
    assert not failures, "\n".join(failures)
    slow = {(p, state): statistics.median(times[p, state]) for p, *_ in CLI_CASES for state in ("cold", "warm")
            if statistics.median(times[p, state]) >= 1.0}
    assert not slow, f"symcheck grade --part over 1 s wall-clock: {slow}"
