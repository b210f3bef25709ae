"""`symcheck grade`: one answer, one file, a class; the real grader, end to end, through main()."""

import csv
import functools
import io
import json
import os

import pytest

import symcheck.catalogue
from symcheck.cli import main

ADA = """\
[answers]
"1.4.first" = "a*b.T"
"1.4.second" = "0"
"1.5.first" = ["a.T*X.T*X*b", "X*(a*b.T + b*a.T)"]
"3.1.a5" = -0.42614473734
"9.9.nope" = "1"
"""
BEN = '[answers]\n"1.4.first" = "b*a.T"\n"3.1.a5" = -0.5\n'


@pytest.fixture(autouse=True)
def catalogue_once(monkeypatch):
    """Load the shipped catalogue once for the module (each command would load it again)."""
    monkeypatch.setattr(symcheck.catalogue, "load_catalogue", _cached_catalogue)


@functools.cache
def _cached_catalogue(directory=None):
    from symcheck.catalogue._load import load_catalogue

    return load_catalogue(directory)


def grade(capsys, *args):
    code = main(["grade", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_one_answer_right_and_wrong(capsys):
    code, out, _ = grade(capsys, "--part", "1.4.first", "a*b.T")
    assert code == 0 and out.startswith("1.4.first: correct (1/1)")
    code, out, _ = grade(capsys, "--part", "1.4.first", "b*a.T", "--json")
    doc = json.loads(out)
    assert code == 0
    assert {"id", "verdict", "score", "max_score", "feedback", "reasons", "carried_forward_from"} <= set(doc)
    assert doc["verdict"] == "incorrect" and [r["code"] for r in doc["reasons"]] == ["TRANSPOSED"]


def test_a_part_with_no_points_says_not_scored(capsys):
    # 3.4.grad.Yhat is the key's intermediate result: checked, but the catalogue gives it 0 points.
    from symcheck.catalogue import load_catalogue

    assert load_catalogue().part("3.4.grad.Yhat").grading.points == 0
    code, out, _ = grade(capsys, "--part", "3.4.grad.Yhat", "(2/N)*(Yhat - Y)")
    assert code == 0 and out.startswith("3.4.grad.Yhat: correct (not scored)")


def test_an_answer_starting_with_a_minus_after_double_dash(capsys):
    code, out, _ = grade(capsys, "--part", "3.1.a5", "--", "-0.42614473734")
    assert code == 0 and "correct" in out.splitlines()[0]
    code, out, _ = grade(capsys, "--part", "1.4.first", "--", "-b*a.T")
    assert code == 0 and out.startswith("1.4.first: incorrect")


def test_an_unknown_part_is_a_usage_error_with_suggestions(capsys):
    code, _, err = grade(capsys, "--part", "1.4.frist", "a*b.T")
    assert code == 2 and "did you mean 1.4.first" in err


def test_a_file_as_text_and_json(tmp_path, capsys):
    path = tmp_path / "ada.toml"
    path.write_text(ADA)
    code, out, _ = grade(capsys, str(path))
    assert code == 0
    assert 'not graded: ada.toml:6: "9.9.nope": there is no such part' in out
    assert any(line.startswith("1.4.first") and "correct" in line for line in out.splitlines())
    code, out, _ = grade(capsys, str(path), "--format", "json")
    doc = json.loads(out)
    assert {"score", "max_score", "parts"} <= set(doc)
    parts = {p["id"]: p for p in doc["parts"]}
    assert parts["1.4.first"]["verdict"] == "correct" and parts["2.1.gradient"]["verdict"] == "missing"
    assert doc["issues"][0]["line"] == 6


def test_a_broken_file_names_file_and_line(tmp_path, capsys):
    path = tmp_path / "eve.toml"
    path.write_text('[answers]\n"1.4.first" = "a"\n"1.4.first" = "b"\n')
    code, _, err = grade(capsys, str(path))
    assert code == 6 and "eve.toml:3" in err and "Traceback" not in err


def test_gradescope_format_writes_only_the_out_file(tmp_path, capsys):
    path = tmp_path / "ada.toml"
    path.write_text(ADA)
    out = tmp_path / "results.json"
    before = sorted(os.listdir(tmp_path))
    code, stdout, _ = grade(capsys, str(path), "--format", "gradescope", "--out", str(out))
    assert code == 0 and stdout.startswith("wrote ")
    assert sorted(os.listdir(tmp_path)) == sorted(before + ["results.json"])
    doc = json.loads(out.read_text())
    assert {t["number"]: t["status"] for t in doc["tests"]}["1.4.first"] == "passed"
    assert "9.9.nope" in doc["output"]


def test_a_class_in_two_processes(tmp_path, capsys):
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "ada.toml").write_text(ADA)
    (folder / "ben.toml").write_text(BEN)
    (folder / "eve.toml").write_text('[answers]\n"1.4.first" = \n')
    (folder / "pwn.toml").write_text('[answers]\n"1.4.first" = "__import__(\'os\').system(\'touch x\')"\n')
    out = tmp_path / "out" / "grades.csv"
    out.parent.mkdir()
    before = {str(f): sorted(os.listdir(f)) for f in (tmp_path, folder)}
    code, stdout, err = grade(capsys, "--batch", str(folder), "--jobs", "2", "--out", str(out))
    assert code == 0, err
    assert {str(f): sorted(os.listdir(f)) for f in (tmp_path, folder)} == before
    assert sorted(os.listdir(out.parent)) == ["grades-summary.csv", "grades.csv"]
    assert "grading [" not in err  # no progress bar when stderr is not a terminal
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert set(rows[0]) == {"student", "id", "verdict", "score", "max_score", "codes", "feedback",
                            "carried_forward_from"}
    verdict = {(r["student"], r["id"]): r for r in rows}
    assert verdict["ada", "1.4.first"]["verdict"] == "correct"
    assert verdict["ben", "1.4.first"]["codes"] == "TRANSPOSED"
    assert verdict["pwn", "1.4.first"]["verdict"] == "invalid"
    assert verdict["eve", ""]["verdict"] == "error" and "eve.toml:2" in verdict["eve", ""]["feedback"]
    assert "eve.toml:2" in stdout and "3 of 4 submissions graded" in stdout
    assert "2.1.gradient" not in stdout  # parts nobody answered are left out of the printed summary
    summary = list(csv.DictReader(io.StringIO((out.parent / "grades-summary.csv").read_text())))
    first = {s["id"]: s for s in summary}["1.4.first"]
    assert (first["answered"], first["correct"]) == ("3", "1")
    assert "b*a.T ×1 [TRANSPOSED]" in first["most_common_wrong"]


def test_the_progress_bar_is_drawn_on_a_terminal(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "ben.toml").write_text(BEN)

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert main(["grade", "--batch", str(folder), "--out", str(tmp_path / "g.json")]) == 0
    assert "grading [" in terminal.getvalue() and "1/1" in terminal.getvalue()
    assert set(json.loads((tmp_path / "g.json").read_text())) == {"students", "rows", "summary", "problems"}


@pytest.mark.parametrize("args, said", [
    (["--batch", "d"], "--batch needs --out"),
    (["--batch", "d", "--out", "g.txt"], "must end in .csv or .json"),
    (["--batch", "d", "f.toml", "--out", "g.csv"], "either FILE or --batch"),
    (["--batch", "d", "--format", "json", "--out", "g.csv"], "writes the format"),
    (["--part", "1.4.first"], "nothing to grade"),
    (["--part", "1.4.first", "x", "--batch", "d"], "cannot be combined"),
    (["--part", "1.4.first", "x", "--format", "gradescope"], "grades a submission file"),
    (["f.toml", "--jobs", "2"], "--jobs applies to --batch only"),
    (["f.toml", "--json", "--format", "text"], "disagree"),
    (["--batch", "d", "--jobs", "0", "--out", "g.csv"], "not a positive integer"),
    ([], "nothing to grade"),
])
def test_usage_errors(capsys, args, said):
    code, _, err = grade(capsys, *args)
    assert code == 2 and said in err
