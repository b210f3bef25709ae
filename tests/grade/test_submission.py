"""read_submission: the [answers] format, and hostile files refused with file and line."""

import os

import pytest

from symcheck.errors import SubmissionError
from symcheck.grade import read_submission
from symcheck.limits import LIMITS

KNOWN = {"1.4.first", "1.4.second", "1.5.first", "3.1.a5"}


def write(folder, name, text: str | bytes):
    path = folder / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_reads_strings_numbers_and_derivations(tmp_path):
    path = write(tmp_path, "ada.toml", '# my answers\n[answers]\n"1.4.first" = "a*b.T"\n'
                 '"3.1.a5" = -0.42614473734\n'
                 '"1.5.first" = ["a.T*X.T*X*b", \'\'\'X*(a*b.T + b*a.T)\'\'\']\n'
                 "\"1.4.second\" = '\\mathbf{0}'\n")
    sub = read_submission(path, known_ids=KNOWN)
    assert sub.student == "ada"
    assert sub.answers == {"1.4.first": "a*b.T", "3.1.a5": -0.42614473734,
                           "1.5.first": ["a.T*X.T*X*b", "X*(a*b.T + b*a.T)"],
                           "1.4.second": "\\mathbf{0}"}
    assert sub.lines == {"1.4.first": 3, "3.1.a5": 4, "1.5.first": 5, "1.4.second": 6}
    assert sub.issues == ()


def test_unquoted_dotted_ids_are_read_as_the_id(tmp_path):
    # TOML reads 1.4.first = ... as nested tables; the id is still the dotted path.
    sub = read_submission(write(tmp_path, "b.toml", '[answers]\n1.4.first = "a*b.T"\n'))
    assert sub.answers == {"1.4.first": "a*b.T"}
    assert sub.lines == {"1.4.first": 2}


@pytest.mark.parametrize("value, message", [
    ("true", "boolean"),
    ("[1, 2]", "something other than strings"),
    ("[]", "empty array"),
    ("1979-05-27", "date"),
    ("{}", "empty table"),
])
def test_wrong_types_are_issues_with_their_line(tmp_path, value, message):
    path = write(tmp_path, "c.toml", f'[answers]\n"1.4.first" = "a*b.T"\n\n"1.5.first" = {value}\n')
    sub = read_submission(path, known_ids=KNOWN)
    assert sub.answers == {"1.4.first": "a*b.T"}  # the rest of the file still counts
    (issue,) = sub.issues
    assert (issue.file, issue.line, issue.id) == ("c.toml", 4, "1.5.first")
    assert message in issue.message
    assert str(issue).startswith('c.toml:4: "1.5.first": ')


def test_unknown_ids_are_issues_with_line_and_suggestion(tmp_path):
    path = write(tmp_path, "d.toml", '[answers]\n"1.4.first" = "a*b.T"\n"1.4.frist" = "0"\n')
    sub = read_submission(path, known_ids=KNOWN)
    (issue,) = sub.issues
    assert issue.line == 3 and "did you mean 1.4.first" in issue.message
    with pytest.raises(SubmissionError, match=r"d\.toml:3"):
        read_submission(path, known_ids=KNOWN, strict=True)


def bomb_arrays():
    return "x = " + "[" * 100_000 + "]" * 100_000


HOSTILE = {
    # name: (content, what the error says, the line it names or None)
    "duplicate": ('[answers]\n"1.4.first" = "a"\n"1.4.first" = "b"\n', "not valid TOML", "3"),
    "syntax": ('[answers]\n"1.4.first" = a*b.T\n', "not valid TOML", "2"),
    "no_table": ('"1.4.first" = "a"\n', "no [answers] table", None),
    "array_bomb": (bomb_arrays(), "nest more than", "1"),
    "table_bomb": ("x = " + "{a=" * 50_000 + "1" + "}" * 50_000, "nest more than", "1"),
    "dotted_header_bomb": ("[" + ".".join(["a"] * 100_000) + "]", "tables deep", "1"),
    "dotted_key_bomb": ("[answers]\n" + ".".join(["a"] * 100_000) + " = 1", "tables deep", "2"),
    "brackets": ("x = 1\n" + "]" * 1_000_000, "brackets, quotes and separators", "2"),
    "blank_lines": ("[answers]\n" + "\n" * 3_000_000, "bytes besides", None),
    "huge_integer": ('[answers]\n"3.1.a5" = ' + "1" * 5000 + "\n", "digits", None),
    "binary_ascii": (bytes(range(128)) * 20, "NUL byte", "1"),
    "binary": (bytes(range(255, -1, -1)) * 20, "not UTF-8", None),
    "not_utf8": (b'[answers]\n"1.4.first" = "\xff\xfe"\n', "not UTF-8", None),
    "too_many_answers": ("[answers]\n" + "".join(f'"k{i}" = "x"\n' for i in range(1500)),
                         "answers", None),
    "table_headers": ("".join(f"[t{i}]\n" for i in range(20_001)), "values", "20001"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_get_a_clear_error_naming_file_and_line(tmp_path, name):
    content, what, line = HOSTILE[name]
    path = write(tmp_path, f"{name}.toml", content)
    with pytest.raises(SubmissionError) as info:
        read_submission(path, known_ids=KNOWN)
    assert what in info.value.what
    assert info.value.where.startswith(f"{name}.toml")
    if line is not None:
        assert info.value.where.split(":")[1] == line
    assert info.value.exit_code == 6


def test_a_file_over_the_read_limit_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.toml"
    with open(path, "wb") as handle:
        handle.truncate(50_000_000)  # sparse: 50 MB that are never read
    with pytest.raises(SubmissionError, match="submission_read_bytes"):
        read_submission(path)


def test_a_5_mb_answer_is_kept_for_the_grader_and_the_rest_is_read(tmp_path):
    answer = "x" * 5_000_000
    path = write(tmp_path, "long.toml", f'[answers]\n"1.4.first" = "{answer}"\n"1.4.second" = "0"\n')
    sub = read_submission(path, known_ids=KNOWN)
    assert sub.answers["1.4.first"] == answer
    assert len(answer) > LIMITS["answer_length"].value
    assert sub.answers["1.4.second"] == "0"
    assert sub.lines == {"1.4.first": 2, "1.4.second": 3}


def test_strings_with_brackets_and_quotes_are_not_nesting(tmp_path):
    # Brackets, dots, '#' and escaped quotes inside strings are text, not TOML structure.
    deep = "{[(" * 40
    path = write(tmp_path, "e.toml", '[answers]\n'
                 f'"1.4.first" = "{deep} \\" # . ["\n'
                 f"\"1.4.second\" = '{deep} #'\n"
                 f'"1.5.first" = """\n{deep} ""\n..."""\n'
                 f"\"3.1.a5\" = '''{deep}''''\n")
    sub = read_submission(path, known_ids=KNOWN)
    assert sub.answers["1.4.first"] == f'{deep} " # . ['
    assert sub.answers["1.5.first"] == f'{deep} ""\n...'
    assert sub.answers["3.1.a5"] == f"{deep}'"


def test_injection_strings_are_data(tmp_path):
    payload = "__import__('os').system('touch pwned')"
    path = write(tmp_path, "f.toml", f'[answers]\n"{payload}" = "1"\n"1.4.first" = "{payload}"\n')
    sub = read_submission(path, known_ids=KNOWN)
    assert sub.answers == {"1.4.first": payload}
    assert sub.issues[0].id == payload and sub.issues[0].line == 2
    assert os.listdir(tmp_path) == ["f.toml"]


def test_symlinks_are_not_followed_when_asked(tmp_path):
    target = write(tmp_path, "real.toml", '[answers]\n"1.4.first" = "a*b.T"\n')
    link = tmp_path / "link.toml"
    link.symlink_to(target)
    assert read_submission(link).answers == {"1.4.first": "a*b.T"}
    with pytest.raises(SubmissionError, match="symbolic link"):
        read_submission(link, follow_symlinks=False)


@pytest.mark.parametrize("path", ["/dev/zero", "/"])
def test_devices_and_folders_are_refused(path):
    with pytest.raises(SubmissionError, match="not a regular file"):
        read_submission(path)


def test_a_folder_over_the_file_limit_is_refused(tmp_path):
    from symcheck.grade import find_submissions
    from symcheck.limits import raised

    for i in range(12):
        (tmp_path / f"s{i}.toml").write_text("[answers]\n")
    with raised(submission_files=10), pytest.raises(SubmissionError, match="more than 10 entries"):
        find_submissions(tmp_path)
    files, skipped = find_submissions(tmp_path)
    assert [f.name for f in files] == sorted(f"s{i}.toml" for i in range(12)) and skipped == []


def test_an_id_given_quoted_and_as_dotted_keys_is_reported_not_overwritten(tmp_path):
    # TOML reads "1.4.first" as one key and 1.4.first as tables 1 → 4 → first: two keys that
    # are one id.  The first is kept; the second is an issue.
    sub = read_submission(write(tmp_path, "e.toml", '[answers]\n"1.4.first" = "a*b.T"\n'
                                                    '1.4.first = "b*a.T"\n'), known_ids=KNOWN)
    assert sub.answers == {"1.4.first": "a*b.T"}
    (issue,) = sub.issues
    assert issue.id == "1.4.first" and "twice" in issue.message


@pytest.mark.parametrize("headers", [1_000, 15_000])
def test_many_unknown_tables_are_counted_not_listed(tmp_path, headers):
    # each unknown top-level table used to be looked up by a search of the whole text
    text = '[answers]\n"1.4.first" = "a*b.T"\n' + "".join(f"[t{i}]\n" for i in range(headers))
    sub = read_submission(write(tmp_path, "f.toml", text), known_ids=KNOWN)
    assert sub.answers == {"1.4.first": "a*b.T"}
    assert len(sub.issues) == 11                       # ten named, then how many more
    assert [i.line for i in sub.issues[:3]] == [3, 4, 5]
    assert f"and {headers - 10} more" in sub.issues[-1].message


def test_table_headers_count_against_the_values_limit(tmp_path):
    count = LIMITS["submission_values"].value + 1
    text = "".join(f"[t{i}]\n" for i in range(count))
    with pytest.raises(SubmissionError, match="more than"):
        read_submission(write(tmp_path, "g.toml", text))


def test_a_number_with_thousands_of_digits_is_named_as_such(tmp_path):
    # tomllib cannot build an int of more than sys.get_int_max_str_digits() digits
    import sys

    digits = sys.get_int_max_str_digits() + 700
    path = write(tmp_path, "h.toml", f'[answers]\n"3.1.a5" = {"1" * digits}\n')
    with pytest.raises(SubmissionError) as info:
        read_submission(path)
    assert "more than" in str(info.value) and "digits" in str(info.value)
    assert "set_int_max_str_digits" not in str(info.value)
