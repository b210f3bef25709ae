"""symcheck/_files.py and limits.raised: regular files only, never blocking, capped, UTF-8."""

from __future__ import annotations

import os

import pytest

from symcheck._files import read_bytes_file, read_text_file
from symcheck.errors import CatalogueError, DataError, UsageError
from symcheck.limits import LIMITS, limit, raised


def _file(tmp_path, data: bytes, name="f.txt"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_regular_file_is_read_and_a_byte_order_mark_dropped(tmp_path):
    text = "x,y\n1,2\nλ\n"
    path = _file(tmp_path, b"\xef\xbb\xbf" + text.encode())
    assert read_text_file(path, limit_name="csv_bytes", error=DataError) == text


@pytest.mark.parametrize("make, words", [
    (lambda p: os.mkfifo(p), "it is a FIFO (named pipe), not a regular file"),
    (lambda p: os.mkdir(p), "it is a directory, not a regular file"),
    (lambda p: os.symlink("/dev/zero", p), "it is a character device, not a regular file"),
    (lambda p: os.symlink("/dev/null", p), "it is a character device, not a regular file"),
    (lambda p: os.symlink(os.path.dirname(p), p), "it is a directory, not a regular file"),
    (lambda p: None, "the file does not exist"),
])
def test_anything_but_a_regular_file_is_refused_without_blocking(tmp_path, make, words):
    path = str(tmp_path / "odd.toml")
    make(path)
    with pytest.raises(CatalogueError) as info:
        read_text_file(path, limit_name="catalogue_file_bytes", error=CatalogueError)
    assert info.value.what == words and info.value.where == path and info.value.fix


def test_the_size_is_checked_before_reading_and_a_caller_may_raise_it(tmp_path):
    path = _file(tmp_path, b"a" * 101)
    with pytest.raises(DataError) as info:
        read_bytes_file(path, limit_name="csv_bytes", error=DataError, max_bytes=100)
    assert info.value.what == "the file has 101 bytes, more than the limit csv_bytes = 100"
    assert read_bytes_file(path, limit_name="csv_bytes", error=DataError, max_bytes=101) == b"a" * 101


def test_invalid_utf8_names_the_byte_offset_and_line(tmp_path):
    data = "ok\nλ\n".encode() + b"\x80rest"
    path = _file(tmp_path, data)
    with pytest.raises(DataError) as info:
        read_text_file(path, limit_name="csv_bytes", error=DataError)
    offset = len("ok\nλ\n".encode())  # the first byte after the valid text
    assert info.value.what == f"the file is not UTF-8 text: byte {offset} (0x80) is invalid (line 3)"


def test_raised_changes_a_limit_only_inside_the_block():
    before = limit("csv_rows").value
    with raised(csv_rows=before * 2, csv_columns=None):
        assert limit("csv_rows").value == before * 2
        assert limit("csv_columns").value == LIMITS["csv_columns"].value
    assert limit("csv_rows").value == before == LIMITS["csv_rows"].value


@pytest.mark.parametrize("values", [{"no_such_limit": 3}, {"csv_rows": 0}, {"csv_rows": True},
                                    {"csv_rows": "10"}])
def test_raised_refuses_unknown_names_and_non_positive_values(values):
    with pytest.raises(UsageError):
        with raised(**values):
            pass
