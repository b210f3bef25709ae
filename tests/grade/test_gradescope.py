"""Gradescope results.json: validated field by field against the autograder specification.

The specification: https://gradescope-autograders.readthedocs.io/en/latest/specs/ (top-level
score, execution_time, output, output_format, visibility, stdout_visibility, extra_data, tests,
leaderboard; each test score, max_score, status, name, name_format, number, output,
output_format, tags, visibility, extra_data).
"""

import json
import math
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from batch_standin import PARTS, StandInGrader

from symcheck.catalogue import load_catalogue
from symcheck.grade import write_gradescope_results

FORMATS = {"text", "html", "simple_format", "md", "ansi"}
VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}
NUMBER = (int, float)
TOP_FIELDS = {"score": NUMBER, "execution_time": NUMBER, "output": str, "output_format": str,
              "test_output_format": str, "test_name_format": str, "visibility": str,
              "stdout_visibility": str, "extra_data": dict, "tests": list, "leaderboard": list}
TEST_FIELDS = {"score": NUMBER, "max_score": NUMBER, "status": str, "name": str,
               "name_format": str, "number": str, "output": str, "output_format": str,
               "tags": list, "visibility": str, "extra_data": dict}
REQUIRED_TOP = {"score", "execution_time", "output", "output_format", "visibility", "tests"}
REQUIRED_TEST = {"name", "number", "score", "max_score", "status", "output", "output_format",
                 "visibility"}
ROOT = Path(__file__).resolve().parents[2]


def strict_json(text: str):
    def refuse(name):
        raise AssertionError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


def check_results(doc: dict) -> None:
    """Assert that doc is a results.json the specification accepts, field by field."""
    assert REQUIRED_TOP <= set(doc) <= set(TOP_FIELDS), set(doc) ^ REQUIRED_TOP
    for key, value in doc.items():
        assert isinstance(value, TOP_FIELDS[key]) and not isinstance(value, bool), key
    assert math.isfinite(doc["score"]) and doc["execution_time"] >= 0
    assert doc["output_format"] in FORMATS and doc["visibility"] in VISIBILITY
    assert doc.get("stdout_visibility", "hidden") in VISIBILITY
    numbers = [t["number"] for t in doc["tests"]]
    assert len(numbers) == len(set(numbers))
    for test in doc["tests"]:
        assert REQUIRED_TEST <= set(test) <= set(TEST_FIELDS), set(test) ^ REQUIRED_TEST
        for key, value in test.items():
            assert isinstance(value, TEST_FIELDS[key]) and not isinstance(value, bool), key
        assert test["status"] in {"passed", "failed"}
        assert test["output_format"] in FORMATS and test["visibility"] in VISIBILITY
        assert 0 <= test["score"] <= test["max_score"]
        assert (test["status"] == "passed") <= (test["score"] == test["max_score"])
    assert doc["score"] == pytest.approx(sum(t["score"] for t in doc["tests"]))


_CATALOGUE = []


def catalogue():
    """The shipped catalogue, loaded once for this module."""
    if not _CATALOGUE:
        _CATALOGUE.append(load_catalogue())
    return _CATALOGUE[0]


def catalogue_points(ids):
    return sum(catalogue().part(part_id).grading.points for part_id in ids)


def scored_by_symcheck(part) -> bool:
    """The parts symcheck scores: not graded by a person, not a figure from the course notebook."""
    return part.grading.rule != "manual" and part.ask.model != "notebook"


GRADED = [p for p, (truth, _) in PARTS.items() if truth is not None]


def run(tmp_path, files: dict, **kwargs):
    folder = tmp_path / "submission"
    folder.mkdir()
    for name, content in files.items():
        (folder / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    out = tmp_path / "results" / "results.json"
    out.parent.mkdir()
    kwargs.setdefault("grader", StandInGrader())
    kwargs.setdefault("catalogue", catalogue())
    write_gradescope_results(folder, out, **kwargs)
    doc = strict_json(out.read_text())
    check_results(doc)
    return doc


def test_a_graded_submission(tmp_path):
    doc = run(tmp_path, {"hw4.toml": '[answers]\n"1.4.first" = "b*a.T"\n"3.1.a5" = -0.42614473734\n'})
    tests = {t["number"]: t for t in doc["tests"]}
    assert set(tests) == set(GRADED)  # the manual part is not a test
    assert sum(t["max_score"] for t in doc["tests"]) == catalogue_points(GRADED)
    assert tests["3.1.a5"]["status"] == "passed" and tests["3.1.a5"]["score"] == 3
    assert tests["1.4.first"]["status"] == "failed" and "[TRANSPOSED]" in tests["1.4.first"]["output"]
    assert tests["1.4.first"]["name"].startswith("1.4.first: ")
    assert doc["score"] == 3
    assert "graded by a person, not scored here: 2.2.report (10 points)" in doc["output"]


def test_unknown_ids_are_named_and_the_rest_graded(tmp_path):
    doc = run(tmp_path, {"a.toml": '[answers]\n"1.4.first" = "a*b.T"\n"1.4.frist" = "0"\n'})
    assert 'a.toml:3: "1.4.frist": there is no such part' in doc["output"]
    assert doc["score"] == 1


FAILURES = {
    "empty folder": ({}, "found none"),
    "two files": ({"a.toml": "[answers]\n", "b.toml": "[answers]\n"}, "found a.toml, b.toml"),
    "broken TOML": ({"a.toml": '[answers]\n"1.4.first" = \n'}, "a.toml:2"),
    "binary": ({"a.toml": bytes(range(255, -1, -1))}, "not UTF-8"),
    "bomb": ({"a.toml": "x = " + "[" * 100_000}, "nest more than"),
    "no answers": ({"a.toml": 'x = 1\n'}, "no [answers] table"),
    "not a submission": ({"notes.txt": "hello"}, "found none"),
}


@pytest.mark.parametrize("case", sorted(FAILURES))
def test_a_failed_submission_still_gets_a_valid_results_json(tmp_path, case):
    files, said = FAILURES[case]
    doc = run(tmp_path, files)
    assert doc["score"] == 0
    assert said in doc["output"] and doc["output"].startswith("symcheck could not grade")
    assert {t["number"] for t in doc["tests"]} == set(GRADED)
    assert all(t["status"] == "failed" and t["score"] == 0 for t in doc["tests"])
    assert sum(t["max_score"] for t in doc["tests"]) == catalogue_points(GRADED)


def test_a_symlink_in_the_submission_is_not_followed(tmp_path):
    secret = tmp_path / "secret.toml"
    secret.write_text('[answers]\n"1.4.first" = "a*b.T"\n')
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / "hw.toml").symlink_to(secret)
    out = tmp_path / "results.json"
    doc = write_gradescope_results(folder, out, grader=StandInGrader(), catalogue=catalogue())
    check_results(doc)
    assert "found none" in doc["output"] and doc["score"] == 0


def test_a_bug_in_the_grader_still_writes_results(tmp_path):
    class Broken(StandInGrader):
        def grade_submission(self, answers):
            if answers:
                raise ZeroDivisionError("oops")
            return super().grade_submission(answers)

    doc = run(tmp_path, {"a.toml": '[answers]\n"1.4.first" = "a*b.T"\n'}, grader=Broken())
    assert "internal error in symcheck (ZeroDivisionError: oops)" in doc["output"]
    assert doc["score"] == 0


def gradescope_layout(tmp_path, files: dict):
    """Lay out /autograder as Gradescope does: source/, submission/, results/, run_autograder."""
    root = tmp_path / "autograder"
    for sub in ("source", "submission", "results"):
        (root / sub).mkdir(parents=True)
    for name in ("setup.sh", "run_autograder"):
        target = root / name
        target.write_bytes((ROOT / "autograder" / name).read_bytes())
        target.chmod(target.stat().st_mode | stat.S_IXUSR)
    for name, content in files.items():
        (root / "submission" / name).write_text(content)
    return root


def run_autograder(root, command):
    env = dict(os.environ, SYMCHECK_SUBMISSION_DIR=str(root / "submission"),
               SYMCHECK_RESULTS_DIR=str(root / "results"), SYMCHECK_COMMAND=command)
    done = subprocess.run([str(root / "run_autograder")], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    doc = strict_json((root / "results" / "results.json").read_text())
    check_results(doc)
    return doc


def test_run_autograder_in_a_gradescope_layout(tmp_path):
    root = gradescope_layout(tmp_path, {"hw4.toml": '[answers]\n"1.4.first" = "a*b.T"\n'
                                                    '"1.4.second" = "0"\n'})
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    doc = run_autograder(root, f"{sys.executable} -m symcheck")
    after = sorted(p.relative_to(root) for p in root.rglob("*"))
    assert set(after) - set(before) == {Path("results/results.json")}
    tests = {t["number"]: t for t in doc["tests"]}
    assert tests["1.4.first"]["status"] == "passed"
    graded = [p.id for p in catalogue().parts if scored_by_symcheck(p)]
    assert [t["number"] for t in doc["tests"]] == graded
    assert sum(t["max_score"] for t in doc["tests"]) == pytest.approx(catalogue_points(graded))
    manual = [p.id for p in catalogue().parts if not scored_by_symcheck(p)]
    assert all(part_id in doc["output"] for part_id in manual)


def test_run_autograder_when_symcheck_cannot_start(tmp_path):
    root = gradescope_layout(tmp_path, {"hw4.toml": "[answers]\n"})
    doc = run_autograder(root, str(tmp_path / "no-such-symcheck"))
    assert "could not run symcheck" in doc["output"] and doc["tests"] == []


def test_setup_script_is_valid_bash():
    for name in ("setup.sh", "run_autograder"):
        subprocess.run(["bash", "-n", str(ROOT / "autograder" / name)], check=True)
