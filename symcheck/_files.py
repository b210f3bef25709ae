"""Read an untrusted file safely: regular files only, size-capped, UTF-8 with a clear error.

Every file symcheck reads from a user (catalogue files, submission files, CSVs) goes through
:func:`read_text_file` or :func:`read_bytes_file`.  They

- open with ``O_NONBLOCK`` (a FIFO or a device never blocks the open) and ``fstat`` the open
  descriptor, so a symlink swapped after a check cannot slip a device in;
- refuse anything that is not a regular file: directories, FIFOs, sockets, character and
  block devices (``/dev/zero``, ``/dev/stdin``), whether named directly or through a symlink;
- refuse a file larger than ``LIMITS[limit_name]`` before reading a byte of it, and read at
  most that many bytes plus one (a file growing while it is read is still bounded);
- decode UTF-8 (a leading byte-order mark is dropped) and name the file and the byte offset of
  the first invalid byte.

>>> import tempfile, os
>>> from symcheck.errors import DataError
>>> with tempfile.TemporaryDirectory() as folder:
...     path = os.path.join(folder, "a.csv")
...     _ = open(path, "wb").write(b"x,y\\n1,2\\n")
...     read_text_file(path, limit_name="csv_bytes", error=DataError)
'x,y\\n1,2\\n'
>>> try:
...     read_text_file("/dev/zero", limit_name="csv_bytes", error=DataError)
... except DataError as err:
...     print(err.what)
it is a character device, not a regular file
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from symcheck.errors import SymcheckError
from symcheck.limits import limit

__all__ = ["read_text_file", "read_bytes_file", "decode_utf8"]

_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"))


def _kind(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def read_bytes_file(path: Path | str, *, limit_name: str, error: type[SymcheckError],
                    max_bytes: int | None = None, where: str | None = None,
                    fix: str = "pass a regular text file") -> bytes:
    """Return the bytes of the regular file ``path``, refusing anything else.

    Args:
        path: the file (a symlink is followed; its target must be a regular file).
        limit_name: the row of ``symcheck.limits.LIMITS`` that caps the size in bytes.
        error: the SymcheckError subclass to raise (DataError, CatalogueError, ...).
        max_bytes: a caller's own cap, replacing the limit's value (to raise it); default None.
        where: how to name the file in errors (default: the path as given).
        fix: the advice for a file that is not a regular file.

    >>> from symcheck.errors import CatalogueError
    >>> try:
    ...     read_bytes_file("/", limit_name="catalogue_file_bytes", error=CatalogueError)
    ... except CatalogueError as err:
    ...     print(err)
    /: it is a directory, not a regular file; pass a regular text file
    """
    where = where or str(path)
    cap_limit = limit(limit_name)
    cap = int(cap_limit.value if max_bytes is None else max_bytes)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise error("the file does not exist", where=where, fix="check the path") from None
    except IsADirectoryError:
        raise error("it is a directory, not a regular file", where=where, fix=fix) from None
    except OSError as exc:
        raise error(f"cannot open the file ({exc.strerror})", where=where,
                    fix="check the path and permissions") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = _kind(info.st_mode)
            raise error(f"it is {kind}, not a regular file" if kind[0] == "a" else
                        f"it is {kind}", where=where, fix=fix)
        if info.st_size > cap:
            raise error(f"the file has {info.st_size} bytes, more than the limit "
                        f"{cap_limit.name} = {cap}", where=where,
                        fix="use a smaller file, or raise the limit if the file is trusted")
        os.set_blocking(fd, True)
        chunks, total = [], 0
        while total <= cap:
            chunk = os.read(fd, min(1 << 20, cap + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise error(f"cannot read the file ({exc.strerror})", where=where,
                    fix="check the path and permissions") from None
    finally:
        os.close(fd)
    if total > cap:
        raise error(f"the file grew past the limit {cap_limit.name} = {cap} bytes while it was "
                    f"read", where=where, fix="use a smaller file that is not being written")
    return b"".join(chunks)


def decode_utf8(data: bytes, *, error: type[SymcheckError], where: str) -> str:
    """Decode UTF-8 (dropping a byte-order mark); name the byte offset of a bad byte.

    >>> from symcheck.errors import DataError
    >>> try:
    ...     decode_utf8(b"ab\\xff", error=DataError, where="f.csv")
    ... except DataError as err:
    ...     print(err.what)
    the file is not UTF-8 text: byte 2 (0xff) is invalid (line 1)
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise error(f"the file is not UTF-8 text: byte {exc.start} (0x{data[exc.start]:02x}) is "
                    f"invalid (line {line})", where=where,
                    fix="save the file as UTF-8") from None
    return text[1:] if text.startswith("\ufeff") else text


def read_text_file(path: Path | str, *, limit_name: str, error: type[SymcheckError],
                   max_bytes: int | None = None, where: str | None = None,
                   fix: str = "pass a regular text file") -> str:
    """Return the UTF-8 text of the regular file ``path``, size-capped (see the module doc).

    Arguments as :func:`read_bytes_file`; a decoding error names the byte offset and line.
    """
    where = where or str(path)
    data = read_bytes_file(path, limit_name=limit_name, error=error, max_bytes=max_bytes,
                           where=where, fix=fix)
    return decode_utf8(data, error=error, where=where)
