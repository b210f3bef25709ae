"""Grade a whole class: every submission file of a folder, on any ``concurrent.futures`` executor.

:func:`grade_batch` reads and grades the files in chunks (one task per chunk amortises the
inter-process traffic); each worker process builds its own :class:`~symcheck.grade.Grader` once
and keeps it in a module-level global, so every part is prepared once per process and identical
answers are graded once per process.  Any ``concurrent.futures.Executor`` works: none (grade in
this process), a ``ProcessPoolExecutor``, or a Dask cluster's ``client.get_executor()``.  Given
a list of single-worker executors, it splits the parts among them instead (:func:`split_parts`),
so that each worker prepares only its share of the parts: preparing a symbolic part derives and
proves its closed form, which is most of a small class's work.

A file that cannot be read is reported with its file and line and the batch goes on; so is a
bug in grading one file.  The result holds one row per student and part, the per-part summary a
TA needs for the next recitation, and writes itself atomically (a temporary file in the same
folder, fsync, rename): an interrupted run leaves the old file or the whole new one.

>>> rows = [BatchRow("ada", "1.4.first", "incorrect", 0.0, 1.0, ("TRANSPOSED",), "transposed", ()),
...         BatchRow("bob", "1.4.first", "correct", 1.0, 1.0, (), "right", ())]
>>> summary = summarise(rows, {("ada", "1.4.first"): "b*a.T"})
>>> summary[0]["correct"], summary[0]["codes"]
(1, {'TRANSPOSED': 0.5})
"""

from __future__ import annotations

import csv
import gc
import io
import json
import math
import os
import tempfile
from collections import Counter, defaultdict
from concurrent.futures import Executor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterable, NamedTuple, Sequence

from symcheck._signals import signals_held
from symcheck.errors import SymcheckError, UsageError
from symcheck.grade._submission import SubmissionIssue, find_submissions, read_submission

__all__ = ["BatchRow", "BatchResult", "FileOutcome", "grade_batch", "grade_file", "split_parts", "summarise",
           "write_atomically", "write_files_atomically", "check_output_path", "batch_output_paths",
           "pinned_workers", "ROW_FIELDS"]

ROW_FIELDS = ("student", "id", "verdict", "score", "max_score", "codes", "feedback",
              "carried_forward_from")
_WRONG = ("incorrect", "partial", "invalid")
_SHOWN_ANSWER = 80      # characters of an answer shown in the summary
_TOP_WRONG = 3          # most common wrong answers listed per part


class BatchRow(NamedTuple):
    """One student's grade for one part (``verdict`` "error" for an entry that could not be read).

    A named tuple, not a dataclass: a class has tens of thousands of rows, built in the workers
    and sent to the parent, and a tuple is built and pickled about ten times faster.
    """

    student: str
    id: str
    verdict: str
    score: float
    max_score: float
    codes: tuple[str, ...]
    feedback: str
    carried_forward_from: tuple[str, ...]

    def to_dict(self) -> dict:
        """Return the row with list fields as lists (JSON)."""
        return {"student": self.student, "id": self.id, "verdict": self.verdict,
                "score": self.score, "max_score": self.max_score, "codes": list(self.codes),
                "feedback": self.feedback, "carried_forward_from": list(self.carried_forward_from)}

    def to_csv(self) -> list:
        """Return the row's CSV cells, safe for a spreadsheet (:func:`_csv_safe`); lists are
        joined with ';'.  Only the student, id and feedback can hold a submission's text: the
        verdict, the codes and the part ids carried from are symcheck's own words."""
        return [_csv_safe(self.student), _csv_safe(self.id), self.verdict, f"{self.score:g}",
                f"{self.max_score:g}", ";".join(self.codes), _csv_safe(self.feedback),
                ";".join(self.carried_forward_from)]


@dataclass(frozen=True)
class FileOutcome:
    """What grading one file gave: its rows, the problems it had, the wrong answers' texts."""

    student: str
    file: str
    rows: tuple[BatchRow, ...] = ()
    issues: tuple[SubmissionIssue, ...] = ()
    error: str | None = None
    wrong_answers: dict[str, str] = field(default_factory=dict)
    answered: int = 0

    @property
    def score(self) -> float:
        """Return the points scored, manual parts left out."""
        return sum(r.score for r in self.rows if r.verdict != "manual")

    @property
    def max_score(self) -> float:
        """Return the points symcheck grades (manual parts and unreadable entries left out)."""
        return sum(r.max_score for r in self.rows if r.verdict not in ("manual", "error"))

    @cached_property
    def csv_lines(self) -> str:
        """Return the rows as CSV lines, no header (:meth:`BatchRow.to_csv`), rendered once."""
        return _csv_text(None, (row.to_csv() for row in self.rows), safe=True)

    @cached_property
    def json_records(self) -> list[str]:
        """Return each row as one line of compact JSON (:meth:`BatchRow.to_dict`), rendered once."""
        return [_ENCODE(row.to_dict()) for row in self.rows]

    def render(self, form: str | None) -> None:
        """Render the rows now in ``form`` ("csv", "json" or None: neither), for a later write."""
        if form == "csv":
            self.csv_lines
        elif form == "json":
            self.json_records


@dataclass(frozen=True)
class BatchResult:
    """The grades of a class: rows per student and part, problems, and the per-part summary."""

    files: tuple[FileOutcome, ...]
    skipped: tuple[SubmissionIssue, ...] = ()

    @property
    def rows(self) -> list[BatchRow]:
        """Return every row: students in file-name order, parts in catalogue order."""
        return [row for outcome in self.files for row in outcome.rows]

    @property
    def problems(self) -> list[str]:
        """Every file, entry or link that could not be graded, as ``file:line: message``."""
        found = [str(issue) for issue in self.skipped]
        for outcome in self.files:
            if outcome.error:
                found.append(outcome.error)
            found += [str(issue) for issue in outcome.issues]
        return found

    @property
    def answers(self) -> int:
        """Return how many answers were graded."""
        return sum(outcome.answered for outcome in self.files)

    def summary(self) -> list[dict]:
        """Return the per-part summary (see :func:`summarise`), computed once."""
        return [dict(s, most_common_wrong=[dict(w) for w in s["most_common_wrong"]],
                     codes=dict(s["codes"])) for s in self._summary]

    @cached_property
    def _summary(self) -> list[dict]:
        shown = {(o.student, part): text for o in self.files for part, text in o.wrong_answers.items()}
        return summarise(self.rows, shown)

    def to_json(self) -> str:
        """Return ``{"students", "rows", "summary", "problems"}`` as JSON text, one record a line.

        Each student, row, part summary and problem is one line of compact JSON: the C encoder
        does it (indented output goes through the pure-Python one, seconds for a class).
        """
        students = [{"student": o.student, "file": o.file, "score": o.score,
                     "max_score": o.max_score, "error": o.error} for o in self.files]
        rows = [record for outcome in self.files for record in outcome.json_records]
        sections = (("students", list(map(_ENCODE, students))), ("rows", rows),
                    ("summary", list(map(_ENCODE, self._summary))),
                    ("problems", list(map(_ENCODE, self.problems))))
        return "{" + ",\n".join(f'"{name}": {_json_lines(items)}' for name, items in sections) + "}\n"

    def to_csv(self) -> str:
        """Return the rows as CSV text with a header row (``ROW_FIELDS``)."""
        return _csv_text(ROW_FIELDS, ()) + "".join(outcome.csv_lines for outcome in self.files)

    def summary_csv(self) -> str:
        """Return the per-part summary as CSV text."""
        header = ("id", "answered", "correct", "partial", "incorrect", "invalid", "missing",
                  "most_common_wrong", "codes")
        lines = ([s["id"], s["answered"], s["correct"], s["partial"], s["incorrect"],
                  s["invalid"], s["missing"], _wrong_text(s["most_common_wrong"]),
                  _codes_text(s["codes"])] for s in self._summary)
        return _csv_text(header, lines)

    def format_summary(self) -> str:
        """Return the summary as a text table for the terminal, problems listed below it."""
        out = [f"{'part':<16} {'right':>9}  codes (share of answers)   most common wrong answers"]
        for s in self._summary:
            if not s["answered"]:
                continue
            right = f"{s['correct']}/{s['answered']}"
            wrong = "; ".join(f"{w['answer']} ×{w['count']}" for w in s["most_common_wrong"])
            out.append(f"{s['id']:<16} {right:>9}  {_codes_text(s['codes']) or '-':<26} {wrong}")
        graded = sum(1 for o in self.files if o.error is None)
        out.append(f"\n{graded} of {len(self.files)} submissions graded, {self.answers} answers")
        problems = self.problems
        if problems:
            out.append(f"{len(problems)} problem{'s' if len(problems) > 1 else ''}:")
            out += [f"  {p}" for p in problems]
        return "\n".join(out)

    def write(self, out: Path | str) -> list[Path]:
        """Write the rows to ``out`` (.csv or .json) and, for CSV, the summary beside it
        (``NAME-summary.csv``).

        Returns the paths written.  The paths are checked first (:func:`batch_output_paths`),
        then written atomically as a whole (:func:`write_files_atomically`): both files are
        replaced, or neither.
        """
        paths = batch_output_paths(out)
        texts = [self.to_json()] if len(paths) == 1 else [self.to_csv(), self.summary_csv()]
        write_files_atomically(list(zip(paths, texts)))
        return paths


_ENCODE = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode


def _json_lines(records: list[str]) -> str:
    """A JSON list of already encoded records, one a line (``[]`` when empty)."""
    return "[\n" + ",\n".join(records) + "]" if records else "[]"


def _csv_text(header: Sequence[str] | None, rows: Iterable[Sequence], *, safe: bool = False) -> str:
    """CSV text of the rows under ``header`` (None: no header); each cell made safe unless the
    rows are (``safe``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows if safe else ([_csv_safe(cell) for cell in row] for row in rows))
    return buffer.getvalue()


def _csv_safe(cell):
    """Defuse spreadsheet formulas: a text cell starting with = + - @ gets a leading quote."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        try:
            float(cell)
            return cell
        except ValueError:
            return "'" + cell
    return cell


def _codes_text(codes: dict[str, float]) -> str:
    return "; ".join(f"{code} {share:.0%}" for code, share in codes.items())


def _wrong_text(wrong: list[dict]) -> str:
    return "; ".join(f"{w['answer']} ×{w['count']} [{','.join(w['codes'])}]" for w in wrong)


def summarise(rows: Iterable[BatchRow], wrong_answers: dict[tuple[str, str], str]) -> list[dict]:
    """Summarise each part: how many answered and got it right, common wrong answers, code shares.

    Args:
        rows: the batch's rows (rows of manual parts and of unreadable entries are left out).
        wrong_answers: (student, part id) -> the text of a wrong answer, for grouping.

    Returns one dict per part, in the order parts first appear: ``{"id", "answered",
    "correct", "partial", "incorrect", "invalid", "missing", "most_common_wrong": [{"answer",
    "count", "codes"}], "codes": {code: share of the answers that carry it}}``.
    """
    by_part: dict[str, list[BatchRow]] = defaultdict(list)
    manual = set()
    for row in rows:
        if row.verdict == "manual":
            manual.add(row.id)
        elif row.verdict != "error":
            by_part[row.id].append(row)
    summary = []
    for part, part_rows in by_part.items():
        if part in manual:
            continue
        verdicts = Counter(r.verdict for r in part_rows)
        answered = len(part_rows) - verdicts["missing"]
        codes = Counter(code for r in part_rows if r.verdict != "missing"
                        for code in dict.fromkeys(r.codes))
        groups: dict[str, list[BatchRow]] = defaultdict(list)
        for r in part_rows:
            if r.verdict in _WRONG:
                groups[wrong_answers.get((r.student, part), "?")].append(r)
        common = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))[:_TOP_WRONG]
        summary.append({
            "id": part, "answered": answered, "correct": verdicts["correct"],
            "partial": verdicts["partial"], "incorrect": verdicts["incorrect"],
            "invalid": verdicts["invalid"], "missing": verdicts["missing"],
            "most_common_wrong": [
                {"answer": text, "count": len(group),
                 "codes": [c for c, _ in Counter(c for r in group for c in r.codes).most_common()]}
                for text, group in common],
            "codes": {code: count / answered for code, count in codes.most_common()} if answered else {},
        })
    return summary


# --------------------------------------------------------------------------- atomic output

_WRITE_FIX = "write into a folder that exists and that you may write to"


def check_output_path(path: Path | str, *, suffixes: Sequence[str] | None = None,
                      example: str | None = None) -> Path:
    """Return ``path`` as a Path when a file can be written there, else raise UsageError.

    Meant to run before any work, so that a bad path is refused at once, not after the
    grading: the path must not be empty, end in a slash, or name an existing folder or an
    existing non-regular file (a device, a FIFO); given ``suffixes``, it must end in one of
    them (``example``, default ``grades`` and the first suffix, is the file name the error
    suggests); and its folder must exist.  The error's ``where`` is the path.

    >>> check_output_path("grades.csv", suffixes=(".csv", ".json")).name
    'grades.csv'
    >>> check_output_path("")
    Traceback (most recent call last):
    ...
    symcheck.errors.UsageError: the output path is empty; give the name of the file to write, e.g. grades.csv
    """
    text = os.fspath(path)
    if not str(text).strip():
        raise UsageError("the output path is empty",
                         fix="give the name of the file to write, e.g. grades.csv")
    path = Path(text)
    where = str(text)
    if path.is_dir() or str(text).endswith(("/", os.sep)):
        said = "it is a folder" if path.is_dir() else f"it ends in {str(text)[-1]!r}, so it names a folder"
        raise UsageError(f"{said}, not a file", where=where,
                         fix="give the name of a file to write (not of a folder), or move the folder away")
    if os.path.lexists(path) and not path.is_symlink() and not path.is_file():
        raise UsageError("it exists and is not a regular file (a device, a FIFO or a socket)",
                         where=where, fix="give the name of a regular file to write")
    if suffixes is not None and path.suffix not in suffixes:
        raise UsageError(f"the file name must end in {' or '.join(suffixes)}", where=where,
                         fix=f"name a file such as {example or 'grades' + suffixes[0]}")
    folder = _folder(path)
    if not folder.is_dir():
        said = "does not exist" if not os.path.lexists(folder) else "is not a folder"
        raise UsageError(f"cannot write here (the folder {str(folder)!r} {said})", where=where,
                         fix=_WRITE_FIX)
    return path


def batch_output_paths(out: Path | str) -> list[Path]:
    """Return the paths :meth:`BatchResult.write` writes for ``out``, checked before any work.

    ``out`` must end in .csv (the rows; the per-part summary goes beside it, as
    ``NAME-summary.csv``) or .json; every path is checked by :func:`check_output_path`.
    """
    out = check_output_path(out, suffixes=(".csv", ".json"))
    if out.suffix == ".json":
        return [out]
    summary = out.with_name(out.stem + "-summary.csv")
    try:
        check_output_path(summary)
    except UsageError as err:
        raise UsageError(f"the summary written beside it, {str(summary)!r}: {err.what}",
                         where=str(out), fix=err.fix) from None
    return [out, summary]


def write_atomically(path: Path | str, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder, fsync and rename.

    An interruption at any point leaves either the previous file (or none) or the whole new
    one, never a part; the temporary file is removed on failure.  A path that cannot be
    written (:func:`check_output_path`) is a UsageError before anything is written.
    """
    write_files_atomically([(path, text)])


def write_files_atomically(items: Sequence[tuple[Path | str, str]]) -> None:
    """Write each (path, text) as :func:`write_atomically` does, all of them or none.

    Every path is checked and every temporary file written (and fsynced) before the first is
    renamed, so a bad path, a full disk or an interruption while writing leaves every previous
    file as it was; the renames then follow one another with SIGINT and SIGTERM held, so an
    interruption cannot fall between them.
    """
    checked = [(check_output_path(path), text) for path, text in items]
    temporaries: list[tuple[str, Path]] = []
    try:
        for path, text in checked:
            temporaries.append((_temporary_copy(path, text), path))
        with signals_held():
            for temporary, path in temporaries:
                try:
                    os.replace(temporary, path)
                except OSError as exc:
                    raise UsageError(f"cannot write here ({exc.strerror})", where=str(path),
                                     fix=_WRITE_FIX) from None
    except BaseException:
        for temporary, _ in temporaries:
            try:
                os.unlink(temporary)
            except OSError:
                pass  # renamed already, or never made
        raise
    for folder in dict.fromkeys(_folder(path) for path, _ in checked):
        _fsync_folder(folder)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _folder(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def _temporary_copy(path: Path, text: str) -> str:
    """Write ``text`` to a new temporary file beside ``path``, fsynced; return its name."""
    try:
        handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=_folder(path), delete=False,
                                             prefix=f".{path.name}.", suffix=".tmp", newline="")
    except OSError as exc:
        raise UsageError(f"cannot write here ({exc.strerror})", where=str(path),
                         fix=_WRITE_FIX) from None
    try:
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        # a temporary file is made 0600; the output gets the mode any new file gets (umask)
        os.chmod(handle.name, 0o666 & ~_umask())
    except BaseException:
        try:
            os.unlink(handle.name)
        except OSError:
            pass
        raise
    return handle.name


def _fsync_folder(folder: Path) -> None:
    """fsync a folder, so the renames in it survive a crash (where the platform allows)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


# --------------------------------------------------------------------------- worker processes

@contextmanager
def pinned_workers(jobs: int):
    """Yield ``jobs`` single-process executors for :func:`grade_batch` (None for one job: grade
    in this process), each owning a share of the parts (:func:`split_parts`), and end them after.

    The workers are forked where the platform can (they inherit the catalogue this process
    loaded) and leave Ctrl-C to this process.  When the block ends normally the executors are
    shut down; when it ends by an exception (Ctrl-C, SIGTERM made KeyboardInterrupt, a failure)
    the queued work is dropped and the worker processes are ended at once, SIGTERM then SIGKILL
    after ``_STOP_SECONDS``, not after their current chunk.  (On 24,600 answers one pool per job
    is 1.8× one job with an empty store, where one shared pool, with every part prepared first
    in the parent, was 1.5×.)
    """
    if jobs <= 1:
        yield None
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    executors = [ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_worker_signals)
                 for _ in range(jobs)]
    stopped = False
    try:
        yield executors
    except BaseException:
        stopped = True
        raise
    finally:
        with signals_held():
            _stop_workers(executors, stopped)


_STOP_SECONDS = 3.0     # a stopped batch's workers get this long to exit before they are killed


def _worker_signals() -> None:
    """Run first in each batch worker: Ctrl-C is the parent's (which stops the workers), and
    SIGTERM ends the worker at once (not the parent's handler, inherited by fork)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _stop_workers(executors, stopped: bool) -> None:
    """Shut the executors down; when the batch was ``stopped``, drop the queued work and end
    the worker processes now (SIGTERM, then SIGKILL after _STOP_SECONDS), not after their
    current chunk."""
    import time

    if not stopped:
        for executor in executors:
            executor.shutdown(cancel_futures=True)
        return
    processes = [process for executor in executors
                 for process in tuple((getattr(executor, "_processes", None) or {}).values())]
    managers = [getattr(executor, "_executor_manager_thread", None) for executor in executors]
    for executor in executors:
        executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    deadline = time.monotonic() + _STOP_SECONDS
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
    for process in processes:
        if process.is_alive():
            process.kill()
            process.join(1.0)
    for manager in managers:
        if manager is not None:
            manager.join(max(0.0, deadline - time.monotonic()))


# --------------------------------------------------------------------------- the workers

_COLLECTING = {"depth": 0, "threshold": None}
_YOUNG_COLLECTION = 50_000    # allocations between collections of the youngest generation


@contextmanager
def fewer_collections():
    """Collect garbage less often while a batch runs (re-entrant; restores the settings after).

    A batch allocates millions of small objects on top of a heap of half a million that live
    as long as the process (catalogue, prepared parts, answer cache): with the default
    threshold the cyclic collector ran every 700 allocations and re-traversed that heap, 15 %
    of the run.  The long-lived heap is frozen (out of every collection, and not touched in
    forked workers, whose pages stay shared) and the youngest generation is collected every
    50,000 allocations: cycles are still collected, only later.
    """
    if _COLLECTING["depth"] == 0:
        _COLLECTING["threshold"] = gc.get_threshold()
        gc.freeze()
        gc.set_threshold(_YOUNG_COLLECTION, *_COLLECTING["threshold"][1:])
    _COLLECTING["depth"] += 1
    try:
        yield
    finally:
        _COLLECTING["depth"] -= 1
        if _COLLECTING["depth"] == 0:
            gc.set_threshold(*_COLLECTING["threshold"])
            gc.unfreeze()


_WORKER: dict = {}      # per process: catalogue folder -> (grader, known ids)


def _default_grader(catalogue_dir: str | None):
    from symcheck.catalogue import load_catalogue
    from symcheck.grade import Grader

    catalogue = load_catalogue(catalogue_dir)
    return Grader(catalogue), frozenset(p.id for p in catalogue.parts)


def _worker_grader(catalogue_dir: str | None, make_grader: Callable | None):
    """Return this process's (grader, known ids), building them on first use."""
    key = (catalogue_dir, make_grader)
    if key not in _WORKER:
        _WORKER[key] = (make_grader or _default_grader)(catalogue_dir)
    return _WORKER[key]


def _answer_text(value) -> str:
    text = " = ".join(value) if isinstance(value, list) else str(value)
    text = " ".join(text.split())
    return text if len(text) <= _SHOWN_ANSWER else text[:_SHOWN_ANSWER - 1] + "…"


def _read(path: Path, known_ids) -> "Submission | FileOutcome":
    """Read one file; a file that cannot be read becomes its FileOutcome with one error row."""
    try:
        return read_submission(path, known_ids=known_ids, follow_symlinks=False)
    except SymcheckError as err:
        return FileOutcome(path.stem, str(path), error=str(err),
                           rows=(BatchRow(path.stem, "", "error", 0.0, 0.0, (), str(err), ()),))


def _grade_rows(grader, student: str, file: str, answers: dict, keep=None):
    """Return (rows, error) for one submission's answers; a grading bug becomes the error."""
    try:
        # A share of the parts (keep) is graded alone: the other parts are another worker's.
        result = grader.grade_submission(answers, parts=keep)
    except Exception as exc:  # noqa: BLE001 - one file's bug must not stop the class
        message = (f"{Path(file).name}: internal error while grading ({type(exc).__name__}: "
                   f"{exc}); a bug in symcheck, please report it")
        return [BatchRow(student, "", "error", 0.0, 0.0, (), message, ())], message
    return [BatchRow(student, p.id, p.verdict, float(p.score), float(p.max_score),
                     tuple(p.codes), p.feedback, tuple(p.carried_forward_from))
            for p in result.parts], None


def _outcome(submission, rows: list[BatchRow], error: str | None) -> FileOutcome:
    """Assemble a read submission's FileOutcome from its graded rows."""
    if error is not None:
        return FileOutcome(submission.student, submission.file, rows=tuple(rows), error=error)
    rows = rows + [BatchRow(submission.student, issue.id or "", "error", 0.0, 0.0, (), str(issue), ())
                   for issue in submission.issues]
    wrong = {r.id: _answer_text(submission.answers[r.id]) for r in rows
             if r.verdict in _WRONG and r.id in submission.answers}
    return FileOutcome(submission.student, submission.file, rows=tuple(rows),
                       issues=submission.issues, wrong_answers=wrong,
                       answered=len(submission.answers))


def grade_file(path: Path | str, grader, known_ids=None) -> FileOutcome:
    """Read and grade one submission file; never raises for a bad file or a grading bug."""
    submission = _read(Path(path), known_ids)
    if isinstance(submission, FileOutcome):
        return submission
    rows, error = _grade_rows(grader, submission.student, submission.file, submission.answers)
    return _outcome(submission, rows, error)


def _grade_chunk(paths: Sequence[str], catalogue_dir: str | None,
                 make_grader: Callable | None) -> list[FileOutcome]:
    with fewer_collections():
        grader, known = _worker_grader(catalogue_dir, make_grader)
        return [grade_file(path, grader, known) for path in paths]


def _prepare_every_part(grader) -> None:
    """Prepare each part of the grader's catalogue now, before workers are forked.

    Forked workers inherit the prepared parts; spawned ones (Dask) load them from the store
    that preparing here has filled.  A part whose preparation fails is left to fail again,
    reported per file, when a worker grades it.
    """
    catalogue, target = getattr(grader, "catalogue", None), getattr(grader, "target", None)
    if catalogue is None or target is None:
        return
    for part in catalogue.parts:
        try:
            target(part)
        except Exception:  # noqa: BLE001 - reported by the files that answer the part
            continue


def _prepare_parts(part_ids: Sequence[str], catalogue_dir: str | None,
                   make_grader: Callable | None) -> None:
    """Prepare these parts in this worker (a task of :func:`_prepare_on_workers`, or a pinned
    worker's first task in :func:`_grade_split`)."""
    grader, _ = _worker_grader(catalogue_dir, make_grader)
    if getattr(grader, "target", None) is None:
        return
    for part_id in part_ids:
        try:
            grader.target(grader.part(part_id))
        except Exception:  # noqa: BLE001 - reported by the files that answer the part
            continue


def _prepare_on_workers(executor: Executor, grader, catalogue_dir, make_grader) -> None:
    """Prepare every part before the files are graded, in parallel on the executor's workers.

    One task a part, the symbolic parts first (they take the longest), so whichever worker is
    free takes the next and the preparation is spread over all of them.  Each part is written
    to the prepared-part store as it is prepared, and a worker that meets a part another worker
    prepared reads it back from the store, in milliseconds.  Without a store (turned off with
    ``SYMCHECK_NO_CACHE``) the parts are prepared here instead, before the workers are forked,
    so that they inherit them.
    """
    from symcheck.grade._store import store_dir

    catalogue = getattr(grader, "catalogue", None)
    if catalogue is None or getattr(grader, "target", None) is None:
        return
    if store_dir() is None:
        _prepare_every_part(grader)
        return
    parts = sorted(catalogue.parts, key=lambda p: p.ask.kind not in _SYMBOLIC)
    futures = [executor.submit(_prepare_parts, (part.id,), catalogue_dir, make_grader) for part in parts]
    for future in futures:
        future.result()


def _grade_answers_chunk(items: Sequence[tuple[str, str, dict]], part_ids: frozenset,
                         catalogue_dir: str | None, make_grader: Callable | None) -> list:
    """Grade the answers to ``part_ids`` of each (student, file, answers); return their rows."""
    grader, _ = _worker_grader(catalogue_dir, make_grader)
    return [(file, *_grade_rows(grader, student, file, answers, part_ids))
            for student, file, answers in items]


def _chunks(items: Sequence, size: int) -> list[Sequence]:
    return [items[i:i + size] for i in range(0, len(items), size)]


_SYMBOLIC = ("derivative", "closed_form", "matrix_gradient")
# A symbolic part counts this many number parts in split_parts: on the 300-submission class of
# tests/bench/bench_batch.py its answers take 6-8 times as long to grade (about 0.3-0.4 ms an
# answer against 0.05 ms, error carried forward included); with 10, the two halves' grading CPU
# was 3.1-3.2 s against 2.5-2.6 s, with 7 within 0.1-0.2 s of each other.
_SYMBOLIC_WEIGHT = 7.0


def split_parts(grader, groups: int) -> list[frozenset]:
    """Split the grader's parts into ``groups`` sets of about equal work, for pinned workers.

    Parts of one chained computation (same model and context: the 2-2-1 network of 3.1, its
    bonus run 3.3) stay together, so error carried forward sees all of them; a symbolic part
    counts seven times a number (grading its answer takes about that much longer).
    """
    order = [p.id for p in grader.grade_submission({}).parts]
    catalogue = getattr(grader, "catalogue", None)
    units: dict[str, list[str]] = {}
    weight: dict[str, float] = {}
    for part_id in order:
        part = catalogue.part(part_id) if catalogue is not None else None
        key = part_id
        if part is not None and part.ask.model:
            key = "model:" + part.ask.model + json.dumps(dict(part.context), sort_keys=True, default=str)
        units.setdefault(key, []).append(part_id)
        symbolic = part is not None and part.ask.kind in _SYMBOLIC
        weight[key] = weight.get(key, 0.0) + (_SYMBOLIC_WEIGHT if symbolic else 1.0)
    bins: list[list[str]] = [[] for _ in range(groups)]
    loads = [0.0] * groups
    for key in sorted(units, key=lambda k: (-weight[k], k)):
        lightest = loads.index(min(loads))
        bins[lightest] += units[key]
        loads[lightest] += weight[key]
    return [frozenset(b) for b in bins if b]


def _grade_split(paths: list[Path], executors: Sequence[Executor], catalogue_dir, make_grader,
                 size: int, progress, render: str | None) -> list[FileOutcome]:
    """Grade with executor i owning part group i: each worker prepares only its own parts.

    A file's outcome is assembled (and rendered, see grade_batch) as soon as its last group
    comes back, while the workers grade the rest."""
    grader, known = _worker_grader(catalogue_dir, make_grader)
    groups = split_parts(grader, len(executors))
    # Each worker's first task prepares its parts, so it starts (and prepares) while this
    # process reads the first files, rather than after.
    for executor, group in zip(executors, groups):
        executor.submit(_prepare_parts, sorted(group), catalogue_dir, make_grader)
    read: dict[str, object] = {}
    futures = {}
    for chunk in _chunks(paths, size):
        items = []
        for path in chunk:
            read[str(path)] = submission = _read(path, known)
            if isinstance(submission, FileOutcome):
                submission.render(render)
            else:
                items.append((submission.student, submission.file, submission.answers))
        for executor, group in zip(executors, groups):
            subset = [(s, f, {k: v for k, v in a.items() if k in group}) for s, f, a in items]
            futures[executor.submit(_grade_answers_chunk, subset, group, catalogue_dir,
                                    make_grader)] = len(chunk)
    unreadable = sum(isinstance(s, FileOutcome) for s in read.values())
    if progress and unreadable:
        progress(unreadable, len(paths))
    order = {part_id: i for i, part_id in enumerate(p.id for p in grader.grade_submission({}).parts)}
    graded: dict[str, tuple[list, str | None]] = {}
    waiting = {name: len(groups) for name, s in read.items() if not isinstance(s, FileOutcome)}
    done: dict[str, FileOutcome] = {}
    for future in as_completed(futures):
        finished = 0
        for file, rows, error in future.result():
            have, had_error = graded.get(file, ([], None))
            graded[file] = (have + rows, had_error or error)
            waiting[file] -= 1
            if waiting[file] == 0:
                finished += 1
                rows, error = graded.pop(file)
                if error is not None:
                    rows = [r for r in rows if r.verdict == "error"][:1]
                rows.sort(key=lambda r: order.get(r.id, len(order)))
                done[file] = _outcome(read[file], rows, error)
                done[file].render(render)
        if progress and finished:
            progress(finished, len(paths))
    return [done.get(name, submission) for name, submission in read.items()]


def grade_batch(source: Path | str | Iterable[Path | str], *,
                executor: Executor | Sequence[Executor] | None = None,
                catalogue: Path | str | None = None, chunk_size: int | None = None,
                progress: Callable[[int, int], None] | None = None,
                make_grader: Callable | None = None, render: str | None = None) -> BatchResult:
    """Grade every submission of a folder (or a list of files) and return a :class:`BatchResult`.

    Args:
        source: a folder of ``*.toml`` submission files (symbolic links and other non-regular
            files are skipped and reported, never opened), or an iterable of file paths.
        executor: any ``concurrent.futures.Executor`` (a ``ProcessPoolExecutor``, a Dask
            ``client.get_executor()``): chunks of files go to whichever worker is free.  Or a
            list of single-worker executors: the parts are split among them
            (:func:`split_parts`), so each worker prepares only its share of the parts (what
            ``symcheck grade --batch --jobs N`` does).  Default None grades in this process.
        catalogue: the catalogue folder (default None: the shipped catalogue).
        chunk_size: files per task (default: about a sixteenth of the class, 1 to 25).
        progress: called as ``progress(files_just_finished, total_files)`` after each chunk.
        make_grader: ``make_grader(catalogue)`` -> (grader, known part ids), a picklable
            module-level function; default None builds the real Grader.  For tests.
        render: "csv" or "json": render each file's rows in that form as soon as the file is
            graded, while the workers grade the rest, so that writing the result at the end
            (:meth:`BatchResult.write`) is quick.  Default None: rendered when written.

    Results come back in the order of the file names, whichever way they were graded.
    """
    if isinstance(source, (str, os.PathLike)):
        paths, skipped = find_submissions(source)
    else:
        paths, skipped = [Path(p) for p in source], []
    names = [str(p) for p in paths]
    catalogue_dir = None if catalogue is None else str(catalogue)
    size = chunk_size or max(1, min(25, math.ceil(len(names) / 16)))
    with fewer_collections():
        if names:
            # This process's grader first: forked workers inherit it (and the catalogue); then
            # every part is prepared once, in parallel on the workers, before any file.
            grader, _ = _worker_grader(catalogue_dir, make_grader)
            if executor is not None and not isinstance(executor, (list, tuple)):
                _prepare_on_workers(executor, grader, catalogue_dir, make_grader)
        outcomes = _grade_files(paths, executor, catalogue_dir, make_grader, size, progress, render)
    order = {name: i for i, name in enumerate(names)}
    outcomes.sort(key=lambda o: order[o.file])
    return BatchResult(files=tuple(outcomes), skipped=tuple(skipped))


def _grade_files(paths: list[Path], executor, catalogue_dir, make_grader, size: int,
                 progress, render: str | None) -> list[FileOutcome]:
    """Grade the files here, on an executor's workers, or split by parts (see grade_batch)."""
    if isinstance(executor, (list, tuple)):
        return _grade_split(paths, executor, catalogue_dir, make_grader, size, progress, render)
    names = [str(p) for p in paths]
    outcomes: list[FileOutcome] = []
    if executor is None:
        chunks = (_grade_chunk(chunk, catalogue_dir, make_grader) for chunk in _chunks(names, size))
    else:
        futures = [executor.submit(_grade_chunk, chunk, catalogue_dir, make_grader)
                   for chunk in _chunks(names, size)]
        chunks = (future.result() for future in as_completed(futures))
    for chunk in chunks:
        for outcome in chunk:
            outcome.render(render)
        outcomes += chunk
        if progress:
            progress(len(chunk), len(names))
    return outcomes
