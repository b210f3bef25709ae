"""Write the closing table of issue 9: each hostile input as a user runs it, one process each.

Run ``python tests/hostile/make_table.py OUT.md``.  Every case of hostile_corpus.py (and the
catalogue field cases, which KINDS validates) runs in its own fresh process, one at a time, so
the seconds include the interpreter's start, as a user sees them; peak memory is the child's
``ru_maxrss`` from ``os.wait4``.  Not a test: the test (test_hostile_inputs.py) asserts the same
cases, grouped and in parallel.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from hostile_corpus import CASES, GOOD_PART, Case  # noqa: E402

FIELD_CASES = [  # the catalogue field checks of issue 9 items 5-6 (KINDS's loader)
    ("points = nan", "points = 1 }", "points = nan }"),
    ("decimals = -5", 'order = 1 }', 'order = 1, decimals = -5 }'),
    ("decimals = 999999999999", 'order = 1 }', 'order = 1, decimals = 999999999999 }'),
    ("id ending in a newline", 'id = "1.1.first"', 'id = "1.1.first\\n"'),
    ("a 5,000-digit integer", "points = 1 }", "points = " + "9" * 5000 + " }"),
    ("numeric size 100000", 'X = ["n", "n"]', "X = [100000, 100000]"),
]


def _field_cases(root: Path) -> list[Case]:
    cases = []
    for i, (name, old, new) in enumerate(FIELD_CASES):
        folder = root / f"field{i}"
        folder.mkdir()
        text = GOOD_PART.format(function="tr(X)", answer="Identity(n)", step="tr(X)")
        (folder / "s1.toml").write_text(text.replace(old, new, 1), encoding="utf-8")
        cases.append(Case(f"catalogue {name}", "cli", ("list", "--catalogue", str(folder)), 3, "",
                          issue="5/6 (KINDS)"))
    return cases


def _command(case: Case, root: Path) -> list[str]:
    if case.mode == "cli":
        return [sys.executable, "-m", "symcheck", *(a.replace("{dir}", str(root)) for a in case.args)]
    shapes = json.dumps(case.shapes)
    code = ("import json, sys, symcheck\n"
            "from symcheck.errors import SymcheckError\n"
            f"ns = symcheck.symbols_from_shapes(json.loads({shapes!r}))\n"
            "try:\n    print(symcheck.parse(sys.argv[1], ns))\n"
            "except SymcheckError as e:\n    print(e, file=sys.stderr); sys.exit(e.exit_code)\n")
    return [sys.executable, "-c", code, case.args[0]]


def _run(command: list[str], cwd: Path) -> tuple[int, str, float, float]:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, cwd=cwd)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = code = os.waitstatus_to_exitcode(status)
        err.seek(0)
        out.seek(0)
        message = err.read().decode("utf-8", "replace").strip() or out.read().decode(
            "utf-8", "replace").strip()
    first = message.splitlines()[0] if message else ""
    return code, first.removeprefix("symcheck: error: "), seconds, usage.ru_maxrss / 1024


def _shown(case: Case) -> str:
    text = " ".join(shlex.quote(a) for a in case.args) if case.mode == "cli" else case.args[0]
    text = text.encode("unicode_escape").decode() if any("\ud800" <= c <= "\udfff" for c in text) \
        else text
    return (text if len(text) <= 70 else text[:67] + "...").replace("|", "\\|")


def main(out_path: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        # made by a child, so that this process stays small: a child's ru_maxrss also counts
        # the RSS of the process it was forked from
        subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
                        "from hostile_corpus import make_files; make_files(sys.argv[2])",
                        str(HERE), str(root)], check=True)
        start_code, _, start_seconds, start_mb = _run(
            [sys.executable, "-c", "import symcheck.cli, symcheck.expr._parser"], root)
        rows, worst = [], 0.0
        for case in CASES + _field_cases(root):
            code, first, seconds, peak = _run(_command(case, root), root)
            worst = max(worst, seconds)
            verdict = "" if not case.words or code == case.expect else " ≠ expected"
            rows.append(f"| {case.name} | {case.issue or '—'} | `{_shown(case)}` | {case.mode} | "
                        f"{code}{verdict} | {first[:110].replace('|', '/')} | {seconds:.2f} | "
                        f"{peak:.0f} |")
    head = [f"Interpreter start with SymPy (import symcheck.cli, symcheck.expr._parser): {start_seconds:.2f} s, "
            f"{start_mb:.0f} MB; slowest input {worst:.2f} s (one fresh process per input).", "",
            "| input | issue 9 item | text or argv | via | exit | message (first words) | s | peak MB |",
            "|---|---|---|---|---|---|---|---|"]
    Path(out_path).write_text("\n".join(head + rows) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "bounds_table.md")
