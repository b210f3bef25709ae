"""Gradescope autograder output: ``results.json`` per the Gradescope autograder specification.

The specification (https://gradescope-autograders.readthedocs.io/en/latest/specs/) asks for a
top-level ``score``, ``execution_time`` (seconds), ``output``, ``output_format``,
``visibility`` and ``tests``, each test with ``name``, ``number``, ``score``, ``max_score``,
``status`` ("passed" or "failed"), ``output``, ``output_format`` and ``visibility``.

One test per part symcheck grades, in catalogue order, worth the catalogue's points for it, so
the tests' ``max_score`` add up to the points symcheck grades.  Parts a person grades
(explanations, code) are named in the top-level ``output`` and carry no test.  Whatever goes
wrong (no submission file, a broken file, a bug in symcheck), :func:`write_gradescope_results`
still writes a valid results.json whose ``output`` says what happened and how to fix it, so a
course never sees "The autograder failed to execute correctly".

>>> from symcheck.grade._result import GradeResult, SubmissionResult
>>> result = SubmissionResult((GradeResult("1.4.first", "correct", 1.0, 1.0, "right"),))
>>> doc = gradescope_results(result, execution_time=0.2)
>>> doc["score"], doc["tests"][0]["status"], doc["tests"][0]["max_score"]
(1.0, 'passed', 1.0)
"""

from __future__ import annotations

import json
import math
import os
import stat
import time
from pathlib import Path

from symcheck.errors import SubmissionError, SymcheckError
from symcheck.limits import limit

__all__ = ["gradescope_results", "write_gradescope_results", "VISIBILITIES", "find_submission_file"]

VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
_FORMAT = "text"


def _test_output(part) -> str:
    messages = {r.message for r in part.reasons}
    lines = [part.feedback] if part.feedback and part.feedback not in messages else []
    lines += [f"[{r.code}] {r.message}" for r in part.reasons]
    if part.carried_forward_from:
        lines.append("carried forward from: " + ", ".join(part.carried_forward_from))
    return "\n".join(lines) or part.verdict


def _title(titles: dict, part_id: str) -> str:
    title = titles.get(part_id)
    return f"{part_id}: {title}" if title else part_id


def gradescope_results(result, *, execution_time: float = 0.0, error: str | None = None,
                       notes: tuple[str, ...] = (), parts=None, titles: dict | None = None,
                       visibility: str = "visible") -> dict:
    """Return the results.json document for one graded submission.

    Args:
        result: a SubmissionResult, or None when the submission could not be graded.
        execution_time: seconds spent (rounded up to whole seconds, as the spec counts).
        error: what went wrong when ``result`` is None (shown to the student).
        notes: more lines for the top-level output (entries that could not be read, ...).
        parts: with ``result`` None, the GradeResults of an empty submission, so every graded
            part still appears as a failed test worth its points (default None: no tests).
        titles: part id -> title, for test names (default: ids only).
        visibility: one of ``VISIBILITIES`` for the whole result (default "visible").
    """
    if visibility not in VISIBILITIES:
        raise ValueError(f"visibility={visibility!r}; use one of {', '.join(VISIBILITIES)}")
    titles = titles or {}
    graded = list(result.parts) if result is not None else list(parts or ())
    manual = [p for p in graded if p.verdict == "manual"]
    tests = []
    for part in graded:
        if part.verdict == "manual":
            continue
        score = float(part.score) if result is not None else 0.0
        output = _test_output(part) if result is not None else f"not graded: {error}"
        tests.append({"name": _title(titles, part.id), "number": part.id, "score": score,
                      "max_score": float(part.max_score),
                      "status": "passed" if result is not None and part.verdict == "correct"
                      else "failed",
                      "output": output, "output_format": _FORMAT, "visibility": visibility})
    lines = []
    if error:
        lines.append(f"symcheck could not grade this submission: {error}")
    lines += list(notes)
    if manual:
        lines.append("graded by a person, not scored here: " +
                     ", ".join(f"{p.id} ({p.max_score:g} points)" for p in manual))
    score = sum(t["score"] for t in tests)
    return {"score": round(score, 6), "execution_time": math.ceil(execution_time),
            "output": "\n".join(lines), "output_format": _FORMAT, "visibility": visibility,
            "stdout_visibility": "hidden", "tests": tests}


def find_submission_file(path: Path | str) -> Path:
    """Return the submission file: ``path`` itself, or the one ``*.toml`` file in the folder.

    Symbolic links are never followed.  Raises SubmissionError when there is none or several.
    """
    path = Path(path)
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        raise SubmissionError("there is no submission here", where=str(path),
                              fix="submit one .toml file with an [answers] table") from None
    if not stat.S_ISDIR(mode):
        return path
    candidates, seen, cap = [], 0, limit("submission_files")
    for root, folders, files in os.walk(path):  # never follows links to folders
        folders[:] = [f for f in folders if not f.startswith(".") and f != "__MACOSX"]
        seen += len(files) + len(folders)
        if seen > cap.value:
            raise SubmissionError(f"the submission holds more than {cap.value} files",
                                  where=path.name or str(path), fix="submit one .toml file")
        for name in files:
            full = Path(root, name)
            if name.endswith(".toml") and not name.startswith(".") and \
                    stat.S_ISREG(os.lstat(full).st_mode):
                candidates.append(full)
    if len(candidates) != 1:
        found = ", ".join(sorted(str(c.relative_to(path)) for c in candidates)) or "none"
        raise SubmissionError(f"expected exactly one .toml submission file, found {found}",
                              where=path.name or str(path),
                              fix="submit one .toml file with an [answers] table")
    return candidates[0]


def write_gradescope_results(submission: Path | str, out: Path | str, *, grader=None,
                             catalogue=None, visibility: str = "visible") -> dict:
    """Grade ``submission`` (a file, or a folder holding one) and write ``out``; never raises.

    Args:
        submission: the submission file or folder (Gradescope's /autograder/submission).
        out: the results.json to write (atomically).
        grader: a Grader (default None: one for ``catalogue``).
        catalogue: a Catalogue (default None: the shipped one).
        visibility: the results' visibility (default "visible").

    Returns the document written; its ``output`` names any error.
    """
    from symcheck.grade._batch import write_atomically
    from symcheck.grade._submission import read_submission

    started = time.monotonic()
    result, error, notes, parts, titles = None, None, (), None, {}
    try:
        from symcheck.catalogue import load_catalogue

        catalogue = catalogue if catalogue is not None else load_catalogue()
        titles = {p.id: p.title for p in catalogue.parts}
        if grader is None:
            from symcheck.grade import Grader

            grader = Grader(catalogue)
        try:
            parts = grader.grade_submission({}).parts
            path = find_submission_file(submission)
            sub = read_submission(path, known_ids=titles, follow_symlinks=False)
            notes = tuple(f"not graded: {issue}" for issue in sub.issues)
            result = grader.grade_submission(sub.answers)
        except SymcheckError as err:
            error = str(err)
    except Exception as exc:  # noqa: BLE001 - the autograder must always write its results
        error = (f"internal error in symcheck ({type(exc).__name__}: {exc}); your submission "
                 "was not graded; please tell the course staff")
    doc = gradescope_results(result, execution_time=time.monotonic() - started, error=error,
                             notes=notes, parts=parts, titles=titles, visibility=visibility)
    write_atomically(out, json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
    return doc
