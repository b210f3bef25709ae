"""`symcheck grade`: bounded --jobs, --out checked before any work, and a batch that is stopped
(SIGTERM, Ctrl-C) ends its worker processes and leaves no output or temporary file behind."""

import json
import os
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

import symcheck.grade
from symcheck.cli import build_parser, main
from symcheck.limits import LIMITS

ROOT = Path(__file__).resolve().parents[2]
BEN = '[answers]\n"1.4.first" = "b*a.T"\n"3.1.a5" = -0.5\n'


def grade(capsys, *args):
    code = main(["grade", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def no_grading(monkeypatch):
    """Fail the test if anything is graded or written: the checks must come first."""
    def refused(*args, **kwargs):
        raise AssertionError("graded before the arguments were checked")

    for name in ("grade_batch", "write_gradescope_results", "Grader", "read_submission"):
        monkeypatch.setattr(symcheck.grade, name, refused)
    monkeypatch.setattr("symcheck.catalogue.load_catalogue", refused)


# --------------------------------------------------------------------------- --jobs

def test_the_jobs_limit_is_a_row_of_the_table():
    assert LIMITS["batch_jobs"].value == 64
    args = build_parser().parse_args(["grade", "--batch", "d", "--jobs", "64", "--out", "g.csv"])
    assert args.jobs == 64


@pytest.mark.parametrize("jobs", ["65", "3000", "99999999999999999999", "9" * 5000])
def test_too_many_jobs_is_a_usage_error_before_any_work(capsys, no_grading, jobs):
    # no_grading makes any grading raise: the refusal comes before any work
    code, _, err = grade(capsys, "--batch", "d", "--jobs", jobs, "--out", "g.csv")
    assert code == 2, err
    assert "--jobs" in err and "more than 64 worker processes (the limit batch_jobs)" in err \
        or "not a positive integer" in err
    if len(jobs) < 100:
        assert "the limit batch_jobs" in err and "--jobs 64" in err


@pytest.mark.parametrize("jobs", ["0", "-1", "two", "1.5"])
def test_jobs_that_are_not_positive_integers_are_usage_errors(capsys, no_grading, jobs):
    code, _, err = grade(capsys, "--batch", "d", "--jobs", jobs, "--out", "g.csv")
    assert code == 2 and "not a positive integer" in err


# --------------------------------------------------------------------------- --out

def _bad_batch_outs(tmp_path):
    (tmp_path / "folder").mkdir()
    (tmp_path / "pair-summary.csv").mkdir()
    return {
        "empty": ("", "the output path is empty"),
        "folder": (str(tmp_path / "folder"), "it is a folder, not a file"),
        "slash": (str(tmp_path / "new.json") + os.sep, "ends in '/', so it names a folder"),
        "summary": (str(tmp_path / "pair.csv"), "pair-summary.csv': it is a folder"),
        "suffix": (str(tmp_path / "g.txt"), "must end in .csv or .json"),
        "no folder": (str(tmp_path / "none" / "g.json"), "does not exist"),
        "device": (os.devnull, "is not a regular file"),
    }


@pytest.mark.parametrize("case", ["empty", "folder", "slash", "summary", "suffix", "no folder",
                                  "device"])
def test_a_bad_batch_out_is_a_usage_error_before_any_grading(tmp_path, capsys, no_grading, case):
    out, said = _bad_batch_outs(tmp_path)[case]
    before = sorted(os.listdir(tmp_path))
    code, _, err = grade(capsys, "--batch", str(tmp_path), "--out", out)
    assert code == 2, err
    assert said in err and f"--out {out!r}" in err
    assert sorted(os.listdir(tmp_path)) == before


@pytest.mark.parametrize("case", ["empty", "folder", "slash", "suffix", "no folder", "device"])
def test_a_bad_gradescope_out_is_a_usage_error_before_any_grading(tmp_path, capsys, no_grading, case):
    out, said = _bad_batch_outs(tmp_path)[case]
    said = said.replace(".csv or .json", ".json")
    (tmp_path / "ben.toml").write_text(BEN)
    before = sorted(os.listdir(tmp_path))
    code, _, err = grade(capsys, str(tmp_path / "ben.toml"), "--format", "gradescope", "--out", out)
    assert code == 2, err
    assert said in err and f"--out {out!r}" in err
    assert sorted(os.listdir(tmp_path)) == before


def test_gradescope_results_must_be_json(tmp_path, capsys, no_grading):
    (tmp_path / "ben.toml").write_text(BEN)
    code, _, err = grade(capsys, str(tmp_path / "ben.toml"), "--format", "gradescope",
                         "--out", str(tmp_path / "results.csv"))
    assert code == 2 and "must end in .json" in err and "results.json" in err


@pytest.mark.parametrize("case", ["empty", "folder", "no folder", "device"])
@pytest.mark.parametrize("form", [[], ["--json"], ["--part", "1.4.first"]])
def test_a_bad_out_for_one_file_or_answer_is_a_usage_error(tmp_path, capsys, no_grading, case, form):
    out, said = _bad_batch_outs(tmp_path)[case]
    (tmp_path / "ben.toml").write_text(BEN)
    target = ["a*b.T"] if "--part" in form else [str(tmp_path / "ben.toml")]
    before = sorted(os.listdir(tmp_path))
    code, _, err = grade(capsys, *form, *target, "--out", out)
    assert code == 2, err
    assert said in err and f"--out {out!r}" in err
    assert sorted(os.listdir(tmp_path)) == before


def test_a_good_out_for_one_answer_is_written(tmp_path, capsys):
    code, _, _ = grade(capsys, "--part", "1.4.first", "a*b.T", "--json", "--out", str(tmp_path / "a.txt"))
    assert code == 0
    assert json.loads((tmp_path / "a.txt").read_text())["verdict"] == "correct"


# --------------------------------------------------------------------------- a stopped batch

def _distinct_class(folder: Path, students: int) -> None:
    """Write a class of small files, every answer's text different, so no answer is a repeat
    (a repeated answer is graded once per worker) and the workers are busy for a while."""
    answers = tomllib.loads((ROOT / "examples" / "answers.toml").read_text(encoding="utf-8"))["answers"]
    plain = {part: value for part, value in answers.items()
             if isinstance(value, str) and value.isascii() and not value.startswith("\\")}
    folder.mkdir()
    for i in range(students):
        lines = ["[answers]"]
        for part, value in plain.items():
            try:
                float(value)
                text = f"{value}{i}"                       # 0.2015 -> 0.20157: another number
            except ValueError:
                text = f"({i + 2}*({value}))/{i + 2}"      # the same value, another text
            lines.append(f"{json.dumps(part)} = {json.dumps(text)}")
        (folder / f"s{i:03d}.toml").write_text("\n".join(lines) + "\n")


def _children(pid: int) -> set[int]:
    found = set()
    for path in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found |= {int(child) for child in path.read_text().split()}
        except OSError:
            pass
    return found


def _alive(pid: int) -> bool:
    """The process exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").is_dir() or not hasattr(signal, "SIGTERM"),
                    reason="needs Linux /proc")
@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT"])
def test_a_stopped_batch_ends_its_workers_and_leaves_no_file(tmp_path, how):
    folder = tmp_path / "class"
    _distinct_class(folder, 200)
    work = tmp_path / "out"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    workers: set[int] = set()
    # stderr to a file, not a pipe: a worker left behind would hold a pipe open.
    with open(tmp_path / "stderr.txt", "w+") as stderr:
        batch = subprocess.Popen([sys.executable, "-m", "symcheck", "grade", "--batch", str(folder),
                                  "--jobs", "2", "--out", "g.csv", "--quiet"],
                                 cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=stderr,
                                 start_new_session=True)
        try:
            deadline = time.monotonic() + 20
            while len(workers) < 2 and batch.poll() is None and time.monotonic() < deadline:
                workers = _children(batch.pid)
                time.sleep(0.01)
            assert len(workers) == 2 and batch.poll() is None, "the workers did not start"
            time.sleep(0.2)  # the workers are grading
            assert batch.poll() is None, "the batch finished before it could be stopped"
            if how == "SIGTERM":
                batch.send_signal(signal.SIGTERM)       # kill -TERM: the parent only
            else:
                os.killpg(batch.pid, signal.SIGINT)     # Ctrl-C: the whole process group
            batch.wait(timeout=10)   # a guard against a hang, not a speed target
            deadline = time.monotonic() + 3
            while any(map(_alive, workers)) and time.monotonic() < deadline:
                time.sleep(0.05)
            left = [pid for pid in workers if _alive(pid)]
        finally:
            for pid in [batch.pid, *workers]:  # leave nothing to the next tests
                if _alive(pid):
                    os.kill(pid, signal.SIGKILL)
            batch.wait()
        stderr.seek(0)
        err = stderr.read()
    assert not left, "worker processes were left behind"
    assert batch.returncode == 130, err
    assert "symcheck: interrupted" in err and "Traceback" not in err
    assert os.listdir(work) == []  # no output, no temporary file
