"""Run a group of hostile cases in this process, under a memory ceiling; print one JSON line each.

Usage: ``python hostile_child.py CASES.json`` (written by the test).  The address space is
capped (RLIMIT_AS) before symcheck is imported; each case gets its own CPU-time alarm, and a
case that outlives it is reported as ``"hung": true`` and ends the child.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import signal
import sys
import time


def _run_case(case: dict) -> dict:
    out, err = io.StringIO(), io.StringIO()
    start, cpu_start = time.perf_counter(), time.process_time()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        if case["mode"] == "parse":
            code, text = _parse(case)
        else:
            from symcheck.cli import main

            code, text = main(case["args"]), ""
    return {"name": case["name"], "exit": code, "text": text, "stdout": out.getvalue()[:4000],
            "stderr": err.getvalue()[:4000], "seconds": time.perf_counter() - start,
            "cpu_seconds": time.process_time() - cpu_start,
            "peak_mb": peak_mb()}


def peak_mb() -> float:
    """Return this process's peak resident memory in MB since it started (exec'd).

    Linux's VmHWM belongs to the process image, whereas ru_maxrss also keeps the RSS of the
    parent it was forked from (a large pytest process would count against every child).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _parse(case: dict) -> tuple[int, str]:
    import symcheck
    from symcheck.errors import SymcheckError

    namespace = symcheck.symbols_from_shapes({k: tuple(v) for k, v in case["shapes"].items()})
    try:
        return 0, str(symcheck.parse(case["args"][0], namespace))[:4000]
    except SymcheckError as error:
        return error.exit_code, error.what


def main() -> None:
    with open(sys.argv[1], encoding="utf-8", errors="surrogatepass") as handle:
        group = json.load(handle)
    ceiling = group["memory_bytes"]
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    current = {}

    def hung(signum, frame):
        print(json.dumps({"name": current.get("name"), "hung": True}), flush=True)
        os._exit(99)

    signal.signal(signal.SIGALRM, hung)
    for case in group["cases"]:
        current = case
        signal.alarm(group["seconds_per_case"])
        try:
            result = _run_case(case)
        except BaseException as exc:  # an escape: reported, never hidden
            result = {"name": case["name"], "exit": None, "escaped": f"{type(exc).__name__}: {exc}"}
        signal.alarm(0)
        print(json.dumps(result, ensure_ascii=True), flush=True)


if __name__ == "__main__":
    main()
