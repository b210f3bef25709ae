"""Benchmark of start-up: `symcheck list` and `symcheck derive 1.5.first` against `import sympy`.

Run with:  pytest -m bench tests/bench/bench_startup.py -s
Each command runs as a fresh process, interleaved with `python -c "import sympy"` in the same
run (so machine load affects all alike); the ratio of medians is reported.  Targets (issue 8):
`symcheck list` at most 1.3x, `symcheck derive 1.5.first` at most 1.6x the SymPy import, with
`symcheck derive --expr` on the same function beside them.
"""

import statistics
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.bench
ROUNDS = 9
COMMANDS = {
    "import sympy": [sys.executable, "-c", "import sympy"],
    "symcheck list": [sys.executable, "-m", "symcheck", "list"],
    "symcheck derive 1.5.first": [sys.executable, "-m", "symcheck", "derive", "1.5.first"],
    "symcheck derive --expr": [sys.executable, "-m", "symcheck", "derive", "--expr", "a.T*X.T*X*b",
                               "--shape", "a=m,1", "--shape", "X=n,m", "--shape", "b=m,1", "--wrt", "X"],
}
TARGETS = {"symcheck list": 1.3, "symcheck derive 1.5.first": 1.6}


def _seconds(argv) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


@pytest.fixture(scope="module")
def medians():
    for argv in COMMANDS.values():   # warm the file cache and .pyc files
        _seconds(argv)
    times = {name: [] for name in COMMANDS}
    for _ in range(ROUNDS):
        for name, argv in COMMANDS.items():
            times[name].append(_seconds(argv))
    return {name: statistics.median(values) for name, values in times.items()}


def test_startup_against_import_sympy(medians):
    base = medians["import sympy"]
    print(f"\nmedians of {ROUNDS} interleaved runs:")
    for name, value in medians.items():
        target = f"  (target ≤ {TARGETS[name]}x)" if name in TARGETS else ""
        print(f"  {name:<28} {value * 1e3:7.0f} ms  {value / base:4.2f}x import sympy{target}")
    for name, target in TARGETS.items():
        assert medians[name] / base <= target, f"{name}: {medians[name] / base:.2f}x > {target}x"
