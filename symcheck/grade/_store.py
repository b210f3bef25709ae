"""The prepared-part store: a persistent, content-keyed cache that is read without SymPy.

Preparing a symbolic part (derive the truth, lambdify it, evaluate it on the random instances,
and on demand its terms and special cases) costs 0.1–1 s, and needs SymPy, whose import alone
takes a third of a second.  What it produces is a function of the part's preparation inputs
(id, ask, symbols, assumptions), the number of examples and symcheck's own code, nothing else:
the instances are drawn from a fixed seed.  So each prepared part is written to disk, keyed by
a digest of exactly those inputs, and read back with NumPy alone.  ``symcheck grade --part``
and the workers of a batch run then start in milliseconds instead of re-deriving every part.
The 30-digit node values of the 2-2-1 network are stored the same way.

Where: ``$SYMCHECK_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/symcheck``, else
``~/.cache/symcheck``, in a folder per version of symcheck's code (folders of other versions
left untouched for 30 days are removed).  ``SYMCHECK_NO_CACHE=1`` turns the store off (nothing
read or written).  Deleting the folder is always safe.

Safety and honesty:

- an entry is an ``.npz`` archive read with ``allow_pickle=False`` (arrays of numbers only) and
  a JSON header: no code can run from a cache file;
- an entry is used only if its header carries the key asked for, its size is within
  ``store_entry_bytes`` and every array has the dtype and shape the header promises; anything
  else (missing, stale, truncated, tampered) is ignored and rewritten;
- entries are written to a temporary file and renamed, so a reader sees a whole entry or none;
- a directory that cannot be created or written is not an error: grading goes on unstored.

The store changes how fast a verdict comes, never the verdict: the tests grade the same answers
with a fresh preparation and with one read back from the store and compare the results.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Mapping

import numpy as np

from symcheck.limits import limit

__all__ = ["FORMAT", "store_dir", "code_digest", "part_key", "question_digest", "read_entry",
           "write_entry", "network_values"]

FORMAT = 1   # bump when the layout of an entry changes
_HEADER = "__header__"


def store_dir() -> Path | None:
    """The store's directory, or None when the store is turned off."""
    if os.environ.get("SYMCHECK_NO_CACHE", "").strip() not in ("", "0"):
        return None
    given = os.environ.get("SYMCHECK_CACHE_DIR", "").strip()
    if given:
        return Path(given)
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "symcheck"


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of symcheck's source files and of the NumPy and SymPy versions.

    Any change to the code that prepares a part gives new keys, so no entry outlives the code
    that wrote it.  (Hashing every file, not a chosen few, is the safe choice; it costs a few
    milliseconds once per process.)
    """
    from importlib import metadata

    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        h.update(str(path.relative_to(root)).encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    for package in ("numpy", "sympy", "mpmath"):
        try:
            version = metadata.version(package)
        except metadata.PackageNotFoundError:
            version = "absent"
        h.update(f"{package}={version}\0".encode())
    return h.hexdigest()


def _jsonable(value):
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


def _digest(inputs: Mapping) -> str:
    text = json.dumps(_jsonable(inputs), sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _question(part) -> dict:
    """What decides a part's truth: its id, what it asks, its symbols and assumptions."""
    ask = part.ask
    return {"id": part.id, "symbols": part.symbols, "assumptions": part.assumptions,
            "ask": {"kind": ask.kind, "function": ask.function, "wrt": ask.wrt,
                    "order": ask.order, "definitions": ask.definitions, "solve": ask.solve}}


def part_key(part, what: str, **extra) -> str:
    """The key of one stored preparation of ``part`` (``what`` names the kind of entry)."""
    return _digest({**_question(part), "format": FORMAT, "code": code_digest(), "what": what,
                    "tolerance": part.grading.tolerance, "extra": extra})


def question_digest(part) -> str:
    """A digest of what decides ``part``'s truth (not of symcheck's code): an entry of the
    shipped derived truths is used only for a part whose question has this digest."""
    return _digest({**_question(part), "what": "question"})


STALE_DAYS = 30   # a folder of entries for other code, untouched this long, is removed


def _path(key: str) -> Path | None:
    """``<store>/<code digest>/<key>.npz``: each version of symcheck keeps its own folder."""
    root = store_dir()
    return None if root is None else root / code_digest()[:16] / f"{key[:40]}.npz"


def _prune(root: Path, keep: Path) -> None:
    """Remove the folders of other symcheck versions left untouched for ``STALE_DAYS`` days."""
    import shutil
    import time

    cutoff = time.time() - STALE_DAYS * 86400
    try:
        for folder in root.iterdir():
            if folder != keep and folder.is_dir() and not folder.is_symlink() \
                    and len(folder.name) == 16 and folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
    except OSError:
        pass


def read_entry(key: str) -> tuple[dict, dict[str, np.ndarray]] | None:
    """Return ``(header, arrays)`` stored under ``key``, or None when there is no usable entry."""
    path = _path(key)
    if path is None:
        return None
    try:
        if not path.is_file() or path.is_symlink():
            return None
        if path.stat().st_size > limit("store_entry_bytes").value:
            return None
        with np.load(path, allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
        header = json.loads(bytes(arrays.pop(_HEADER)).decode("utf-8"))
        if not isinstance(header, dict) or header.get("key") != key or header.get("format") != FORMAT:
            return None
        for name, array in arrays.items():
            if array.dtype.kind not in "fciub" or array.dtype.hasobject:
                return None
        return header, arrays
    except Exception:   # noqa: BLE001 -- a damaged entry is a miss, never an error for the user
        return None


def write_entry(key: str, header: dict, arrays: Mapping[str, np.ndarray]) -> bool:
    """Store ``header`` (JSON-able) and ``arrays`` under ``key``; False when it could not be written."""
    path = _path(key)
    if path is None:
        return False
    payload = dict(arrays)
    text = json.dumps({**header, "key": key, "format": FORMAT}, sort_keys=True, ensure_ascii=True)
    payload[_HEADER] = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    try:
        if not path.parent.is_dir():   # the first entry of this version: tidy up old versions
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            _prune(path.parent.parent, path.parent)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".npz", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                np.savez(out, **payload)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return True
    except OSError:   # a read-only home, a full disk: grading goes on without the store
        return False


def network_values(inputs: Mapping[str, str], compute) -> dict[str, str]:
    """The 30-digit node values of the 2-2-1 network at ``inputs`` (exact decimal strings).

    ``compute(inputs)`` returns them when the store has no entry; they are stored for next time.
    """
    text = json.dumps({"format": FORMAT, "code": code_digest(), "what": "net221",
                       "inputs": dict(sorted(inputs.items()))}, sort_keys=True)
    key = hashlib.sha256(text.encode()).hexdigest()
    found = read_entry(key)
    if found is not None:
        values = found[0].get("values")
        if isinstance(values, dict) and all(isinstance(v, str) for v in values.values()):
            return values
    values = {str(k): str(v) for k, v in compute(inputs).items()}
    write_entry(key, {"values": values}, {})
    return values
