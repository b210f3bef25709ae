"""grade_batch with a stand-in grader: the batch goes on, outputs are whole, summaries count right.

The stand-in (batch_standin.py) grades by exact text, so these tests check the batch machinery
(files, executors, rows, summary, atomic output) independently of the real grader, which
tests/grade/test_batch_real.py and tests/cli/test_grade.py use end to end.
"""

import csv
import io
import json
import os
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest
from batch_standin import PARTS, make_standin

from symcheck.grade import grade_batch, write_atomically


def submission(first="a*b.T", a5="-0.42614473734", extra=""):
    return f'[answers]\n"1.4.first" = "{first}"\n"3.1.a5" = {a5}\n{extra}'


def make_class(folder, n, wrong_every=3):
    """Write n submissions; every `wrong_every`-th student transposes 1.4.first."""
    folder.mkdir(exist_ok=True)
    for i in range(n):
        first = "b*a.T" if i % wrong_every == 0 else "a*b.T"
        (folder / f"s{i:04d}.toml").write_text(submission(first))
    return folder


def listing(*folders):
    return {str(folder): sorted(os.listdir(folder)) for folder in folders}


HOSTILE = {
    "bomb.toml": "x = " + "[" * 50_000 + "]" * 50_000,
    "binary.toml": bytes(range(255, -1, -1)) * 10,
    "dup.toml": '[answers]\n"1.4.first" = "a"\n"1.4.first" = "b"\n',
    "types.toml": '[answers]\n"1.4.first" = true\n"3.1.a5" = -0.42614473734\n',
    "unknown.toml": '[answers]\n"9.9.zzz" = "1"\n"1.4.first" = "a*b.T"\n',
    "long.toml": '[answers]\n"1.4.first" = "' + "x" * 5_000_000 + '"\n',
    "$(touch pwned).toml": '[answers]\n"1.4.first" = "$(touch pwned2); __import__(\'os\')"\n',
}


def test_rows_per_student_and_part_and_an_independent_summary(tmp_path):
    folder = make_class(tmp_path / "class", 12)
    result = grade_batch(folder, make_grader=make_standin)
    rows = result.rows
    assert len(rows) == 12 * len(PARTS)
    assert {r.student for r in rows} == {f"s{i:04d}" for i in range(12)}
    wrong = [i for i in range(12) if i % 3 == 0]  # by construction: 4 transposed
    summary = {s["id"]: s for s in result.summary()}
    first = summary["1.4.first"]
    assert (first["answered"], first["correct"], first["incorrect"]) == (12, 12 - len(wrong), len(wrong))
    assert first["most_common_wrong"] == [{"answer": "b*a.T", "count": len(wrong), "codes": ["TRANSPOSED"]}]
    assert first["codes"] == {"TRANSPOSED": len(wrong) / 12}
    assert summary["3.1.a5"]["correct"] == 12
    assert summary["1.4.second"]["missing"] == 12 and summary["1.4.second"]["answered"] == 0
    assert "2.2.report" not in summary  # a manual part is not summarised


def test_hostile_files_are_reported_and_the_batch_goes_on(tmp_path):
    folder = make_class(tmp_path / "class", 5)
    for name, content in HOSTILE.items():
        (folder / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    outside = tmp_path / "secret.toml"
    outside.write_text(submission())
    (folder / "link.toml").symlink_to(outside)
    (folder / "fifo.toml").mkdir()  # a folder named like a file
    out = tmp_path / "out"
    out.mkdir()
    before = listing(tmp_path, folder)
    result = grade_batch(folder, make_grader=make_standin)
    written = result.write(out / "grades.csv")
    assert listing(tmp_path, folder) == before  # nothing written outside --out, nothing ran
    assert sorted(os.listdir(out)) == ["grades-summary.csv", "grades.csv"] == sorted(p.name for p in written)
    by_student = {o.student: o for o in result.files}
    for i in range(5):
        assert by_student[f"s{i:04d}"].error is None
    assert "nest" in by_student["bomb"].error and by_student["bomb"].error.startswith("bomb.toml:1")
    assert "not UTF-8" in by_student["binary"].error
    assert by_student["dup"].error.startswith("dup.toml:3")
    assert [str(i) for i in by_student["types"].issues] == \
        ['types.toml:2: "1.4.first": the answer is a boolean; write a string, a number or an array of strings']
    assert by_student["unknown"].issues[0].line == 2
    long_row = [r for r in by_student["long"].rows if r.id == "1.4.first"][0]
    assert (long_row.verdict, long_row.codes) == ("invalid", ("TOO_LARGE",))
    problems = "\n".join(result.problems)
    assert "link.toml: skipped: it is a symbolic link (not followed)" in problems
    assert "secret" not in {o.student for o in result.files}
    rows = list(csv.DictReader(io.StringIO((out / "grades.csv").read_text())))
    assert {r["student"] for r in rows if r["verdict"] == "error"} >= {"bomb", "binary", "dup", "types"}


def test_a_folder_of_1000_files(tmp_path):
    folder = make_class(tmp_path / "class", 1000, wrong_every=4)
    result = grade_batch(folder, make_grader=make_standin)
    assert len(result.files) == 1000 and not result.problems
    first = {s["id"]: s for s in result.summary()}["1.4.first"]
    assert (first["correct"], first["incorrect"]) == (750, 250)


@pytest.mark.parametrize("pool", [ThreadPoolExecutor, ProcessPoolExecutor])
def test_any_executor_gives_the_same_rows_in_the_same_order(tmp_path, pool):
    folder = make_class(tmp_path / "class", 30)
    (folder / "bad.toml").write_text("[answers\n")
    alone = grade_batch(folder, make_grader=make_standin)
    with pool(max_workers=2) as executor:
        pooled = grade_batch(folder, executor=executor, make_grader=make_standin, chunk_size=4)
    assert pooled.rows == alone.rows
    assert pooled.problems == alone.problems


def test_progress_counts_every_file(tmp_path):
    folder = make_class(tmp_path / "class", 10)
    seen = []
    grade_batch(folder, make_grader=make_standin, chunk_size=3, progress=lambda n, total: seen.append((n, total)))
    assert sum(n for n, _ in seen) == 10 and {t for _, t in seen} == {10}


def test_json_output_has_rows_summary_and_problems(tmp_path):
    folder = make_class(tmp_path / "class", 3)
    (folder / "bad.toml").write_text("[answers]\n\"1.4.first\" = \n")
    result = grade_batch(folder, make_grader=make_standin)
    result.write(tmp_path / "grades.json")
    doc = json.loads((tmp_path / "grades.json").read_text())
    assert set(doc) == {"students", "rows", "summary", "problems"}
    assert set(doc["rows"][0]) == {"student", "id", "verdict", "score", "max_score", "codes",
                                   "feedback", "carried_forward_from"}
    assert any(p.startswith("bad.toml:2") for p in doc["problems"])
    assert not (tmp_path / "grades-summary.csv").exists()


def test_csv_cells_cannot_become_spreadsheet_formulas(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "eve.toml").write_text(submission(first="=HYPERLINK(1)", a5="-0.42614473734"))
    result = grade_batch(folder, make_grader=make_standin)
    result.write(tmp_path / "g.csv")
    summary = list(csv.reader(io.StringIO((tmp_path / "g-summary.csv").read_text())))
    cells = [cell for row in summary for cell in row]
    assert not any(cell.startswith("=") for cell in cells)
    assert any("=HYPERLINK(1)" in cell for cell in cells)
    rows = list(csv.reader(io.StringIO((tmp_path / "g.csv").read_text())))
    assert any(row[3] == "-0" or row[3] == "0" for row in rows[1:])  # numbers stay numbers


def test_atomic_write_leaves_the_old_file_when_interrupted(tmp_path, monkeypatch):
    target = tmp_path / "grades.csv"
    target.write_text("old, whole\n")

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, "new\n" * 1000)
    assert target.read_text() == "old, whole\n"
    assert os.listdir(tmp_path) == ["grades.csv"]  # the temporary file is gone


def test_atomic_write_interrupted_while_writing_leaves_no_file(tmp_path, monkeypatch):
    import tempfile

    real = tempfile.NamedTemporaryFile

    class Failing:
        def __init__(self, *args, **kwargs):
            self.inner = real(*args, **kwargs)
            self.name = self.inner.name

        def write(self, text):
            self.inner.write(text[: len(text) // 2])
            raise OSError(28, "No space left on device")

        def __getattr__(self, name):
            return getattr(self.inner, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.inner.close()

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", Failing)
    with pytest.raises(OSError):
        write_atomically(tmp_path / "grades.json", "{}" * 1000)
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("pool", [ThreadPoolExecutor, ProcessPoolExecutor])
def test_parts_split_among_pinned_workers_give_the_same_rows(tmp_path, pool):
    folder = make_class(tmp_path / "class", 25)
    (folder / "bad.toml").write_text("[answers\n")
    (folder / "types.toml").write_text(HOSTILE["types.toml"])
    alone = grade_batch(folder, make_grader=make_standin)
    executors = [pool(max_workers=1) for _ in range(3)]
    seen = []
    try:
        split = grade_batch(folder, executor=executors, make_grader=make_standin, chunk_size=4,
                            progress=lambda n, total: seen.append(n))
    finally:
        for executor in executors:
            executor.shutdown()
    assert split.rows == alone.rows
    assert split.problems == alone.problems
    assert split.summary() == alone.summary()
    assert sum(seen) == 27


def test_an_output_folder_that_does_not_exist_is_a_clear_error(tmp_path):
    from symcheck.errors import UsageError

    with pytest.raises(UsageError, match="cannot write here"):
        write_atomically(tmp_path / "no" / "grades.csv", "x")


@pytest.mark.parametrize("form", ["csv", "json"])
@pytest.mark.parametrize("pool", [None, ThreadPoolExecutor, "pinned"])
def test_rows_rendered_as_files_finish_read_back_as_the_rows(tmp_path, form, pool):
    """render= renders each file's rows while the rest are graded; the file written is the one
    rendered at write time, and the csv / json modules read the rows back from it."""
    folder = make_class(tmp_path / "class", 12)
    (folder / "bad.toml").write_text("[answers\n")
    (folder / "eve.toml").write_text(submission(first="=HYPERLINK(1)", a5="-0.42614473734"))
    executors = {None: None, ThreadPoolExecutor: ThreadPoolExecutor(max_workers=2),
                 "pinned": [ThreadPoolExecutor(max_workers=1) for _ in range(2)]}[pool]
    try:
        rendered = grade_batch(folder, executor=executors, make_grader=make_standin, chunk_size=5,
                               render=form)
    finally:
        for executor in executors if isinstance(executors, list) else [executors] if executors else []:
            executor.shutdown()
    later = grade_batch(folder, make_grader=make_standin)
    assert all("csv_lines" in o.__dict__ or "json_records" in o.__dict__ for o in rendered.files)
    assert not any("csv_lines" in o.__dict__ or "json_records" in o.__dict__ for o in later.files)
    rendered.write(tmp_path / f"now.{form}")
    later.write(tmp_path / f"later.{form}")
    text = (tmp_path / f"now.{form}").read_text()
    assert text == (tmp_path / f"later.{form}").read_text()
    if form == "csv":
        table = list(csv.reader(io.StringIO(text)))
        assert table[0] == ["student", "id", "verdict", "score", "max_score", "codes", "feedback",
                            "carried_forward_from"]
        assert table[1:] == [[str(cell) for cell in row.to_csv()] for row in later.rows]
    else:
        assert json.loads(text)["rows"] == [row.to_dict() for row in later.rows]


# --------------------------------------------------------------------------- output paths

def _result(tmp_path):
    return grade_batch(make_class(tmp_path / "class", 4), make_grader=make_standin)


def test_a_csv_pair_is_refused_whole_when_the_summary_path_is_a_folder(tmp_path):
    from symcheck.errors import UsageError

    result = _result(tmp_path)
    (tmp_path / "g-summary.csv").mkdir()
    with pytest.raises(UsageError, match="g-summary.csv.*it is a folder") as caught:
        result.write(tmp_path / "g.csv")
    assert caught.value.where == str(tmp_path / "g.csv")
    assert "--" not in str(caught.value)  # the library does not speak in command-line flags
    assert sorted(os.listdir(tmp_path)) == ["class", "g-summary.csv"]  # g.csv not written


def test_a_csv_pair_is_replaced_whole_or_not_at_all(tmp_path, monkeypatch):
    """Both temporary files are written before either is renamed: a failure writing the
    second leaves the first file as it was."""
    import tempfile

    result = _result(tmp_path)
    (tmp_path / "g.csv").write_text("old rows\n")
    (tmp_path / "g-summary.csv").write_text("old summary\n")
    real = tempfile.NamedTemporaryFile

    def second_fails(*args, **kwargs):
        if kwargs.get("prefix", "").startswith(".g-summary.csv."):
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", second_fails)
    from symcheck.errors import UsageError

    with pytest.raises(UsageError, match="cannot write here"):
        result.write(tmp_path / "g.csv")
    assert (tmp_path / "g.csv").read_text() == "old rows\n"
    assert (tmp_path / "g-summary.csv").read_text() == "old summary\n"
    assert sorted(os.listdir(tmp_path)) == ["class", "g-summary.csv", "g.csv"]  # no temporary file
    monkeypatch.setattr(tempfile, "NamedTemporaryFile", real)
    assert result.write(tmp_path / "g.csv") == [tmp_path / "g.csv", tmp_path / "g-summary.csv"]
    assert (tmp_path / "g.csv").read_text().startswith("student,id,verdict")


@pytest.mark.parametrize("case, said", [
    ("", "the output path is empty"),
    ("folder", "it is a folder, not a file"),
    ("new.csv/", "so it names a folder"),
    (os.devnull, "is not a regular file"),
    ("no/g.csv", "cannot write here (the folder"),
    ("g.txt", "must end in .csv or .json"),
    ("g.CSV", "must end in .csv or .json"),
])
def test_bad_output_paths_are_usage_errors_naming_the_path(tmp_path, monkeypatch, case, said):
    from symcheck.errors import UsageError
    from symcheck.grade import batch_output_paths

    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder").mkdir()
    with pytest.raises(UsageError) as caught:
        batch_output_paths(case)
    assert said in caught.value.what and (not case or caught.value.where == case)
    assert caught.value.fix and "--" not in str(caught.value)
    if not case.endswith((".txt", ".CSV")):
        with pytest.raises(UsageError, match=said.replace("(", r"\(")):
            write_atomically(case, "x")
    assert sorted(os.listdir(tmp_path)) == ["folder"]


def test_good_output_paths_are_returned(tmp_path, monkeypatch):
    from symcheck.grade import batch_output_paths, check_output_path

    monkeypatch.chdir(tmp_path)
    assert batch_output_paths("g.csv") == [Path("g.csv"), Path("g-summary.csv")]
    assert batch_output_paths("out.json") == [Path("out.json")]
    assert check_output_path("results.json", suffixes=(".json",)) == Path("results.json")
    (tmp_path / "g.csv").write_text("an old file is replaced\n")
    assert batch_output_paths("g.csv")[0] == Path("g.csv")


def test_written_files_get_the_mode_of_any_new_file(tmp_path):
    # the temporary file behind an atomic write is 0600; the output must follow the umask
    before = os.umask(0o022)
    try:
        write_atomically(tmp_path / "grades.csv", "a,b\n")
        plain = tmp_path / "plain.csv"
        plain.write_text("a,b\n")
    finally:
        os.umask(before)
    assert (tmp_path / "grades.csv").stat().st_mode & 0o777 == plain.stat().st_mode & 0o777 == 0o644
