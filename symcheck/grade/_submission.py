"""Read a submission file: one ``[answers]`` table of part ids, hardened against hostile files.

A submission is TOML::

    [answers]
    "1.4.first" = "a*b.T"                        # a string: an expression, plain or LaTeX
    "3.1.a5" = -0.42614473734                    # a number
    "1.5.first" = ["a.T*X.T*X*b", "X*(a*b.T + b*a.T)"]   # a derivation: each line equals the last

Before TOML sees a byte, the file must be a regular file of at most
``LIMITS["submission_read_bytes"]`` (``symcheck._files``), valid UTF-8, and pass a scan that
bounds its nesting (``submission_toml_depth``: a "TOML bomb" of nested arrays would otherwise
exhaust the parser's recursion, and a dotted key of 100,000 parts takes it minutes) and its
number of values (``submission_values``).  A string longer than ``answer_length`` is cut out
before parsing and handed to the grader as it is written, which refuses it as ``TOO_LARGE``:
one over-long answer does not sink the rest of the file.  What is left must fit
``submission_file_bytes``, which keeps the parser's work under a second.

What cannot be read at all raises :class:`~symcheck.errors.SubmissionError` naming the file and
line.  A problem with one entry (a value of the wrong type, an id the catalogue does not have)
is kept in ``Submission.issues`` with its line, and every other answer is still graded.

>>> import os, tempfile
>>> folder = tempfile.mkdtemp()
>>> path = os.path.join(folder, "ada.toml")
>>> _ = open(path, "w").write('[answers]\\n"1.4.first" = "a*b.T"\\n"9.9" = true\\n')
>>> sub = read_submission(path)
>>> sub.student, sub.answers
('ada', {'1.4.first': 'a*b.T'})
>>> print(sub.issues[0])
ada.toml:3: "9.9": the answer is a boolean; write a string, a number or an array of strings
"""

from __future__ import annotations

import difflib
import os
import re
import stat
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from symcheck._files import read_text_file
from symcheck.errors import SubmissionError
from symcheck.limits import limit

__all__ = ["Submission", "SubmissionIssue", "read_submission", "find_submissions"]

Answer = str | int | float | list[str]

_SUFFIX = ".toml"


def _show(text: str, width: int = 60) -> str:
    """Quote untrusted text for a message: JSON escapes, at most ``width`` characters."""
    import json

    shown = json.dumps(text[:width], ensure_ascii=False)
    return shown if len(text) <= width else shown[:-1] + '…"'


@dataclass(frozen=True)
class SubmissionIssue:
    """A problem with one entry of a submission file; the rest of the file is still graded."""

    file: str
    line: int | None
    id: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        if self.id is None:
            return f"{where}: {self.message}"
        return f"{where}: {_show(self.id)}: {self.message}"

    def to_dict(self) -> dict:
        """Return ``{"file", "line", "id", "message"}``."""
        return {"file": self.file, "line": self.line, "id": self.id, "message": self.message}


@dataclass(frozen=True)
class Submission:
    """One student's answers: part id -> a string, a number or a list of lines (a derivation)."""

    student: str
    answers: dict[str, Answer]
    file: str = ""
    issues: tuple[SubmissionIssue, ...] = ()
    lines: Mapping[str, int] = field(default_factory=dict)


# --------------------------------------------------------------------------- the pre-scan

# The characters that change the scanner's state; everything else is skipped by re.search.
_SIGNIFICANT = re.compile(r"\n+|[\[\]{}\"'#=,.]")


def _string_end(text: str, start: int) -> int:
    """Return the index just past the TOML string that opens at ``start``.

    Follows TOML's rules: '...' and "..." end at their quote or at the end of the line (an
    unterminated string: the parser then stops there too); ''' and \"\"\" may span lines and may
    be followed by up to two more quotes; in basic strings a quote after an odd number of
    backslashes is escaped.
    """
    quote = text[start]
    triple = text.startswith(quote * 3, start)
    if triple:
        closing, pos = quote * 3, start + 3
    else:
        closing, pos = quote, start + 1
    while True:
        end = text.find(closing, pos)
        if not triple:
            newline = text.find("\n", pos, len(text) if end == -1 else end)
            if newline != -1:
                return newline
        if end == -1:
            return len(text)
        if quote == '"':
            backslashes = len(text[pos:end]) - len(text[pos:end].rstrip("\\"))
            if backslashes % 2:
                pos = end + 1
                continue
        end += len(closing)
        for _ in range(2 if triple else 0):  # up to two more quotes are content
            if end < len(text) and text[end] == quote:
                end += 1
        return end


def _prescan(text: str, where: str) -> list[tuple[int, int]]:
    """Bound nesting and values; return the spans of strings too long to be answers.

    Raises SubmissionError naming the line when the nesting of tables, arrays and dotted keys
    exceeds ``submission_toml_depth`` or the file holds more than ``submission_values`` values.
    """
    depth_limit = limit("submission_toml_depth")
    values_limit = limit("submission_values")
    long_string = int(limit("answer_length").value)
    stack: list[str] = []           # open [ and { inside values
    key_mode, header, parts = True, 0, 1
    token_limit = limit("submission_tokens")
    values, tokens, spans, pos = 0, 0, [], 0

    def refuse(at: int, what: str, row) -> SubmissionError:
        line = text.count("\n", 0, at) + 1
        return SubmissionError(what, where=f"{where}:{line}",
                               fix=f"the limit is {row.describe()}; a submission needs "
                                   "one [answers] table of quoted ids")

    while (match := _SIGNIFICANT.search(text, pos)) is not None:
        char, at = match.group(), match.start()
        pos = match.end()
        tokens += 1
        if tokens > token_limit.value:
            raise refuse(at, "the file has far more brackets, quotes and separators than "
                             "a submission needs", token_limit)
        if char in "\"'":
            pos = _string_end(text, at)
            if pos - at > long_string and not key_mode:
                spans.append((at, pos))
        elif char == "#":
            newline = text.find("\n", at)
            pos = len(text) if newline == -1 else newline
        elif char[0] == "\n":
            tokens += len(char) - 1
            if not stack:
                key_mode, header, parts = True, 0, 1
        elif char == "." and (key_mode or header):
            parts += 1
            if parts + len(stack) > depth_limit.value:
                raise refuse(at, f"a key nests {parts + len(stack)} tables deep",
                             depth_limit)
        elif char == "[" and key_mode and not stack:
            if not header:                            # [table] or [[array of tables]]: a key
                values += 1
            header = 1 if not header else header
        elif char == "]" and header:
            header = 0
        elif char in "[{" and not key_mode:
            stack.append(char)
            if len(stack) + parts > depth_limit.value:
                raise refuse(at, f"arrays and tables nest more than {depth_limit.value} deep",
                             depth_limit)
            if char == "{":
                key_mode, parts = True, 1
            values += 1
        elif char in "]}" and stack:
            stack.pop()
        elif char == "=" and key_mode:
            key_mode = False
            values += 1
        elif char == "," and stack:
            values += 1
            if stack[-1] == "{":
                key_mode, parts = True, 1
        if values > values_limit.value:
            raise refuse(at, f"the file holds more than {values_limit.value} values", values_limit)
    return spans


def _cut_long_strings(text: str, spans: list[tuple[int, int]]) -> tuple[str, dict[str, str]]:
    """Replace each over-long string by a short placeholder string; return the raw contents."""
    pieces, raw, last = [], {}, 0
    for index, (start, end) in enumerate(spans):
        placeholder = f"\x00symcheck-long-{index}\x00"
        quote = text[start]
        body = text[start:end]
        width = 3 if body.startswith(quote * 3) else 1
        raw[placeholder] = body[width:len(body) - width] if len(body) >= 2 * width else body
        pieces += [text[last:start], f'"\\u0000symcheck-long-{index}\\u0000"']
        last = end
    pieces.append(text[last:])
    return "".join(pieces), raw


# --------------------------------------------------------------------------- lines of keys

_KEY_AT_LINE_START = re.compile(
    r"""^[ \t]*(?:"((?:[^"\\\n]|\\.)*)"|'([^'\n]*)'|([A-Za-z0-9_\-]+(?:[ \t]*\.[ \t]*[A-Za-z0-9_\-]+)*))[ \t]*=""",
    re.MULTILINE)


def _first_lines(pattern: re.Pattern, text: str, name) -> dict[str, int]:
    """Map ``name(match)`` of each match of ``pattern`` to the line of its first match, in one pass."""
    found: dict[str, int] = {}
    line, last = 1, 0
    for match in pattern.finditer(text):
        line += text.count("\n", last, match.start())
        last = match.start()
        found.setdefault(name(match), line)
    return found


def _key_name(match: re.Match) -> str:
    basic, literal, bare = match.groups()
    return basic if basic is not None else literal if literal is not None else \
        re.sub(r"[ \t]*\.[ \t]*", ".", bare)


def _key_lines(text: str) -> dict[str, int]:
    """Map each key assigned at the start of a line (quoted or bare) to its first line."""
    return _first_lines(_KEY_AT_LINE_START, text, _key_name)


_TABLE_AT_LINE_START = re.compile(r"""^[ \t]*\[\[?[ \t]*["']?([A-Za-z0-9_\-]+)""", re.MULTILINE)
_UNKNOWN_SHOWN = 10     # unknown top-level keys reported one by one; the rest are counted


def _table_lines(text: str) -> dict[str, int]:
    """Map the first name of each table header ([name] or [[name]]) to its first line, in one pass."""
    return _first_lines(_TABLE_AT_LINE_START, text, lambda match: match.group(1))


# --------------------------------------------------------------------------- the values

def _flatten(table: Mapping, prefix: str = "") -> Iterable[tuple[str, object]]:
    """Yield (dotted id, value); an unquoted ``1.5.first = ...`` is nested tables in TOML."""
    for key, value in table.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) and value:
            yield from _flatten(value, name)
        else:
            yield name, value


def _type_problem(value) -> str | None:
    """Return why ``value`` cannot be an answer, or None when it can."""
    if isinstance(value, bool):
        return "the answer is a boolean"
    if isinstance(value, (str, int, float)):
        return None
    if isinstance(value, list):
        if not value:
            return "the answer is an empty array"
        if all(isinstance(line, str) for line in value):
            return None
        return "the derivation array holds something other than strings"
    if isinstance(value, dict):
        return "the answer is an empty table"
    return f"the answer is a TOML {type(value).__name__}"


def _restore(value, raw: dict[str, str]):
    if isinstance(value, str):
        return raw.get(value, value)
    if isinstance(value, list):
        return [_restore(v, raw) for v in value]
    return value


def _decode(text: str, where: str) -> dict:
    """Parse TOML; every failure of the parser becomes a SubmissionError with the line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"\(at line (\d+), column (\d+)\)", message)
        what = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message)
        if found:
            place = f"{where}:{found.group(1)}:{found.group(2)}"
        elif "end of document" in message:  # an unclosed string or bracket: name the last line
            place = f"{where}:{len(text.rstrip(chr(10)).splitlines()) or 1}"
            what += " at the end of the file"
        else:
            place = where
        raise SubmissionError(f"this is not valid TOML ({what})", where=place,
                              fix="quote each id (\"1.4.first\" = ...), put each answer in "
                                  "quotes, and give each id once") from None
    except ValueError as exc:
        if "integer string conversion" in str(exc):   # Python's own cap on an int's digits
            raise SubmissionError(f"a number in the file has more than {sys.get_int_max_str_digits():,} "
                                  "digits", where=where, fix="write answers as ordinary numbers, "
                                  "or as text in quotes") from None
        raise SubmissionError(f"the TOML parser refused the file (ValueError: {str(exc)[:120]})",
                              where=where, fix="write plain numbers and one [answers] table") from None
    except (RecursionError, MemoryError) as exc:
        raise SubmissionError(f"the TOML parser refused the file ({type(exc).__name__}: "
                              f"{str(exc)[:120]})", where=where,
                              fix="write plain numbers and one [answers] table") from None


def read_submission(path: Path | str, *, known_ids: Iterable[str] | None = None,
                    strict: bool = False, follow_symlinks: bool = True) -> Submission:
    """Read the submission file ``path``; ``student`` is the file name without its extension.

    Args:
        path: a TOML file with one ``[answers]`` table (format in the module doc).
        known_ids: the catalogue's part ids; an id not among them becomes an issue naming its
            line and the closest ids (default None: accept every id).
        strict: raise the first issue as SubmissionError instead of keeping it (default False).
        follow_symlinks: False refuses a symbolic link without opening it (default True; a
            batch and the autograder pass False).

    Returns a :class:`Submission`; raises SubmissionError when the file cannot be read at all.
    """
    path = Path(path)
    where = path.name
    if not follow_symlinks and path.is_symlink():
        raise SubmissionError("it is a symbolic link, which is not followed", where=where,
                              fix="submit the file itself")
    text = read_text_file(path, limit_name="submission_read_bytes", error=SubmissionError,
                          where=where, fix="a submission must be a regular UTF-8 TOML file")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise SubmissionError("the file contains a NUL byte: it is binary, not TOML text",
                              where=f"{where}:{line}", fix="submit the .toml text file itself")
    spans = _prescan(text, where)
    cut, raw = _cut_long_strings(text, spans) if spans else (text, {})
    size, size_limit = len(cut.encode("utf-8")), limit("submission_file_bytes")
    if size > size_limit.value:
        raise SubmissionError(f"the file has {size} bytes besides its over-long answers",
                              where=where, fix=f"the limit is {size_limit.describe()}")
    data = _decode(cut, where)
    key_lines = _key_lines(text)
    issues: list[SubmissionIssue] = []
    unknown = [key for key in data if key != "answers"]
    if unknown:
        tables = _table_lines(text)
        for key in unknown[:_UNKNOWN_SHOWN]:
            issues.append(SubmissionIssue(where, key_lines.get(key) or tables.get(key), None,
                                          f"unknown top-level key {key!r}; answers go in the "
                                          "[answers] table"))
        if len(unknown) > _UNKNOWN_SHOWN:
            issues.append(SubmissionIssue(where, None, None, f"and {len(unknown) - _UNKNOWN_SHOWN} "
                                          "more unknown top-level keys; answers go in the [answers] "
                                          "table"))
    table = data.get("answers")
    if not isinstance(table, dict):
        raise SubmissionError("there is no [answers] table" if table is None else
                              "'answers' is not a table", where=where,
                              fix='start the file with [answers], then one line per part: '
                                  '"1.4.first" = "a*b.T"')
    known = set(known_ids) if known_ids is not None else None
    answers: dict[str, Answer] = {}
    found_lines: dict[str, int] = {}
    entries = list(_flatten(table))
    if len(entries) > limit("submission_answers").value:
        raise SubmissionError(f"the file has {len(entries)} answers", where=where,
                              fix=f"the limit is {limit('submission_answers').describe()}")
    for part_id, value in entries:
        line = key_lines.get(part_id)
        problem = _type_problem(value)
        if problem is None and known is not None and part_id not in known:
            close = difflib.get_close_matches(part_id, sorted(known), n=2)
            problem = "there is no such part" + (f"; did you mean {' or '.join(close)}?" if close
                                                 else "; run 'symcheck list' to see every id")
        elif problem is not None:
            problem += "; write a string, a number or an array of strings"
        if problem is None and part_id in answers:
            # "1.2.first" (one quoted key) and 1.2.first (dotted keys: tables 1 and 2) are two
            # keys to TOML but one id here
            problem = ("the id is given twice (once quoted, once as dotted keys); the first is "
                       "graded")
        if problem is not None:
            issues.append(SubmissionIssue(where, line, part_id, problem))
            continue
        answers[part_id] = _restore(value, raw)
        if line is not None:
            found_lines[part_id] = line
    if strict and issues:
        first = issues[0]
        raise SubmissionError(first.message, where=f"{first.file}:{first.line}" if first.line
                              else first.file, fix="fix this entry")
    return Submission(student=path.stem, answers=answers, file=str(path), issues=tuple(issues),
                      lines=found_lines)


def find_submissions(folder: Path | str) -> tuple[list[Path], list[SubmissionIssue]]:
    """List the ``*.toml`` submission files of ``folder``, sorted, without following links.

    Returns (files, skipped): a symbolic link, a directory, a device or a FIFO named ``*.toml``
    is skipped with a reason and never opened.  Raises SubmissionError when the folder cannot be
    listed or holds more than ``LIMITS["submission_files"]`` entries.
    """
    folder = Path(folder)
    cap = limit("submission_files")
    try:
        info = os.stat(folder)
    except OSError as exc:
        raise SubmissionError(f"cannot open the folder ({exc.strerror})", where=str(folder),
                              fix="pass a folder of .toml submission files") from None
    if not stat.S_ISDIR(info.st_mode):
        raise SubmissionError("this is not a folder", where=str(folder),
                              fix="pass a folder of .toml submission files to --batch")
    files, skipped = [], []
    with os.scandir(folder) as entries:
        for count, entry in enumerate(entries, start=1):
            if count > cap.value:
                raise SubmissionError(f"the folder holds more than {cap.value} entries",
                                      where=str(folder), fix=f"the limit is {cap.describe()}")
            if not entry.name.endswith(_SUFFIX) or entry.name.startswith("."):
                continue
            mode = entry.stat(follow_symlinks=False).st_mode
            if stat.S_ISREG(mode):
                files.append(Path(entry.path))
            else:
                kind = "a symbolic link (not followed)" if stat.S_ISLNK(mode) else \
                    "not a regular file"
                skipped.append(SubmissionIssue(entry.name, None, None, f"skipped: it is {kind}"))
    files.sort(key=lambda p: p.name)
    skipped.sort(key=lambda issue: issue.file)
    return files, skipped
