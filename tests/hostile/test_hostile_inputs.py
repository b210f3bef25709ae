"""Every hostile input of issue 9 (and siblings) ends in a clear error, in bounded time and memory.

The cases (hostile_corpus.py) run in child processes, a few groups in parallel, each child under
an address-space ceiling of 1 GB (RLIMIT_AS) with a per-case alarm and a hard timeout for the
whole child.  For every case the test asserts the exit code and the first words of the error's
message; for every case, the child's peak resident memory so far below 300 MB (Linux's VmHWM of
the child's own image: ``ru_maxrss`` from ``os.wait4`` or ``RUSAGE_CHILDREN`` would also count the
pytest process the child was forked from).
Time is bounded by the alarm (a hang fails the case) and the CPU time of each case checked
against a generous bound, far above the 2 s target, so that a loaded machine does not make the
test flaky; the real wall-clock figures are in the closing table (make_table.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from hostile_corpus import CASES, make_files

HERE = Path(__file__).resolve().parent
MEMORY_CEILING = 1 << 30          # RLIMIT_AS of each child
PEAK_RSS_MB = 300                 # the bound on resident memory
SECONDS_PER_CASE_ALARM = 30       # a case still running after this is a hang
GENEROUS_SECONDS = 10             # CPU s, 5x the 2 s target: only a real regression fails
GROUPS = 4


def _groups(cases) -> list[list]:
    """Split the cases into a few groups of similar cost (parse / derive / files)."""
    buckets: dict[str, list] = {}
    for case in cases:
        key = case.mode if case.mode == "parse" else case.args[0]
        buckets.setdefault({"list": "files", "verify": "files"}.get(key, key), []).append(case)
    return list(buckets.values())


def _run_group(cases, folder: Path, index: int) -> dict:
    spec = {"memory_bytes": MEMORY_CEILING, "seconds_per_case": SECONDS_PER_CASE_ALARM,
            "cases": [{"name": c.name, "mode": c.mode, "shapes": c.shapes,
                       "args": [a.replace("{dir}", str(folder)) for a in c.args]} for c in cases]}
    spec_path = folder / f"group{index}.json"
    spec_path.write_text(json.dumps(spec, ensure_ascii=True), encoding="ascii")
    out_path = folder / f"group{index}.out"
    with open(out_path, "wb") as out, open(folder / f"group{index}.err", "wb") as err:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
        child = subprocess.Popen([sys.executable, str(HERE / "hostile_child.py"), str(spec_path)],
                                 stdout=out, stderr=err, cwd=folder, env=env)
        timer = threading.Timer(SECONDS_PER_CASE_ALARM * len(cases) + 60, child.kill)
        timer.start()
        _, status, _ = os.wait4(child.pid, 0)
        timer.cancel()
        child.returncode = os.waitstatus_to_exitcode(status)
    results = {}
    for line in out_path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        results[record["name"]] = record
    return {"results": results, "returncode": child.returncode}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    make_files(str(folder))
    groups = _groups(CASES)
    with ThreadPoolExecutor(max_workers=min(GROUPS, len(groups))) as pool:
        runs = list(pool.map(lambda ig: _run_group(ig[1], folder, ig[0]), enumerate(groups)))
    by_case = {}
    for group, run in zip(groups, runs):
        for case in group:
            by_case[case.name] = (run["results"].get(case.name), run)
    return by_case


def _message(record: dict) -> str:
    """The error's *what*: the text after 'symcheck: error: WHERE: ' (or the parse error)."""
    if "text" in record and record["text"] and not record["stderr"]:
        return record["text"]
    first = record["stderr"].strip().splitlines()[0] if record["stderr"].strip() else ""
    return first.removeprefix("symcheck: error: ")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input_gets_a_clear_error_in_bounded_time_and_memory(outcomes, case):
    record, run = outcomes[case.name]
    assert record is not None, f"{case.name}: the child ended before this case " \
                               f"(return code {run['returncode']}; a crash or the hard timeout)"
    assert not record.get("hung"), f"{case.name}: still running after {SECONDS_PER_CASE_ALARM} s"
    assert "escaped" not in record, f"{case.name}: {record.get('escaped')}"
    assert record["exit"] == case.expect, (case.name, record["exit"], record["stderr"][:500])
    if case.expect == 0:
        assert case.words in record["stdout"] + record["text"], record["stdout"][:500]
    else:
        message = _message(record)
        assert case.words in message, (case.name, message)
        assert "Traceback" not in record["stderr"]
    assert record["cpu_seconds"] < GENEROUS_SECONDS, (case.name, record["cpu_seconds"])
    assert record["peak_mb"] < PEAK_RSS_MB, (case.name, record["peak_mb"])
