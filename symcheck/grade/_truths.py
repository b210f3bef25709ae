"""The shipped catalogue's derived truths: a first grade of a symbolic part without SymPy.

Deriving a part's truth needs SymPy, whose import alone takes about half a second, and the
derivation and lambdify another 0.2–0.5 s: on a new machine (an empty store) the first
``symcheck grade --part`` of a symbolic part took 1.2–1.5 s.  What the derivation produces for
the shipped homework is fixed by the catalogue, so it is written once, next to the catalogue, in
``derived-truths.json``: for every symbolic part, the truth symcheck derives (its kind, shape
and additive terms), and the part's function, each as text of the answer language.

A part is prepared from its entry (:func:`derived_side`) when the entry's ``question`` digest is
the digest of the part's question (id, ask, symbols, assumptions:
:func:`symcheck.grade._store.question_digest`), so an edited part, or another catalogue's part
of the same id, is derived as before.  The texts are parsed by the answer language under its
limits and evaluated by its NumPy compiler on the part's seeded instances; an entry that is
missing, malformed or does not parse is ignored.  ``SYMCHECK_DERIVE_TRUTHS=1`` ignores the file.

The file is written by ``scripts/write-derived-truths`` (:func:`write_derived_truths`), which
derives every part with SymPy and refuses to write a text whose values differ from the
lambdified derivation's.  The tests hold the shipped file to a fresh derivation, text for text,
and the verdicts of parts prepared from it to those of derived parts, answer for answer.  Like
the store, it changes how fast a verdict comes, never the verdict.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Mapping

__all__ = ["FILE_NAME", "FORMAT", "derived_entry", "derived_side", "truth_entry",
           "write_derived_truths"]

FILE_NAME = "derived-truths.json"
FORMAT = 1
_FIELDS = {"question": str, "kind": str, "truth": str, "answer": str, "shape": str, "zero": bool,
           "function": (str, type(None)), "terms": list}


def _path() -> Path | None:
    from symcheck.catalogue import default_catalogue_dir

    try:
        return default_catalogue_dir() / FILE_NAME
    except Exception:   # noqa: BLE001 -- no shipped catalogue: nothing to read
        return None


@lru_cache(maxsize=1)
def _entries() -> Mapping[str, dict]:
    """The file's entries by part id ({} when it is absent, too large or malformed)."""
    from symcheck._files import read_text_file
    from symcheck.errors import SymcheckError

    path = _path()
    if path is None or not path.is_file():
        return {}
    try:
        data = json.loads(read_text_file(path, limit_name="catalogue_file_bytes",
                                         error=SymcheckError))
    except (SymcheckError, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT or \
            not isinstance(data.get("parts"), dict):
        return {}
    return {str(k): v for k, v in data["parts"].items() if _well_formed(v)}


def _well_formed(entry) -> bool:
    if not isinstance(entry, dict) or set(entry) != set(_FIELDS):
        return False
    if not all(isinstance(entry[k], t) for k, t in _FIELDS.items()):
        return False
    return all(isinstance(t, list) and len(t) == 2 and all(isinstance(x, str) for x in t)
               for t in entry["terms"])


def derived_entry(part) -> dict | None:
    """The shipped entry for ``part``, when its question is the one the entry was derived for."""
    if os.environ.get("SYMCHECK_DERIVE_TRUTHS", "").strip() not in ("", "0"):
        return None
    entry = _entries().get(part.id)
    if entry is None:
        return None
    from symcheck.grade._store import question_digest

    return entry if entry["question"] == question_digest(part) else None


def derived_side(part, entry: Mapping):
    """The part's :class:`~symcheck.grade._prepare.SymbolicSide` from ``entry``, in the answer
    language (no SymPy), or None when a text does not parse."""
    from symcheck.errors import SymcheckError
    from symcheck.grade._language import AnswerContext, parse_definitions
    from symcheck.grade._prepare import AnswerEvaluator, SymbolicSide, answer_definitions

    where = f"{FILE_NAME}: {part.id}"
    try:
        context = AnswerContext(part.symbols, definitions=answer_definitions(part))
        definitions = list(parse_definitions(answer_definitions(part), part.symbols).items())
        truth = context.parse(entry["answer"], where=where)
        terms = [(display, context.parse(text, where=where)) for display, text in entry["terms"]]
        function = None if entry["function"] is None else context.parse(entry["function"], where=where)
    except SymcheckError:
        return None
    return SymbolicSide(truth, AnswerEvaluator(definitions), definitions, function, terms=terms)


# -- writing the file (SymPy) ---------------------------------------------------------------------

def truth_entry(part) -> dict:
    """Derive ``part``'s entry with SymPy: what :func:`derived_side` reads back."""
    from symcheck.calculus import answer_text
    from symcheck.expr import format_shape
    from symcheck.grade._prepare import _truth_kind_and_expr, truth_terms, truth_text
    from symcheck.grade._store import question_digest

    kind, expr = _truth_kind_and_expr(part)
    zero = bool(getattr(expr, "is_ZeroMatrix", False) or expr == 0)
    text = truth_text(part, expr)
    function = part.function_expr() if part.ask.kind != "closed_form" else None
    return {"question": question_digest(part), "kind": kind, "truth": text,
            "answer": answer_text(expr) if zero else text, "shape": format_shape(expr),
            "zero": zero,
            "function": None if function is None else answer_text(function),
            "terms": [[display, answer_text(t)] for display, t in truth_terms(expr)]}


def write_derived_truths(catalogue=None, path: Path | str | None = None) -> Path:
    """Derive every symbolic part of ``catalogue`` (default: the shipped one) and write the file.

    Each entry is checked before it is written: read back through :func:`derived_side`, its
    truth, terms and function must equal the lambdified derivation on the part's instances.
    Raises DerivationError naming the part otherwise.  The file is replaced atomically.
    """
    import tempfile

    import numpy as np

    from symcheck.catalogue import load_catalogue
    from symcheck.errors import DerivationError
    from symcheck.grade._grader import symbolic_part
    from symcheck.grade._prepare import prepare_symbolic

    catalogue = catalogue if catalogue is not None else load_catalogue()
    target = Path(path) if path is not None else _path()
    parts = {}
    for part in catalogue.parts:
        if not symbolic_part(part):
            continue
        entry = truth_entry(part)
        side = derived_side(part, entry)
        derived = prepare_symbolic(part, store=False, truths=False)
        if side is None:
            raise DerivationError(f"{part.id}: the derived truth {entry['answer']!r} does not parse "
                                  "in the answer language", where=str(target),
                                  fix="extend the answer printer (calculus.answer_text) or the language")
        for d in derived.draws:
            pairs = [(side.evaluator.batch(side.truth_expr, d.sizes, d.values), d.truth, "truth")]
            if side.function_expr is not None:
                pairs.append((side.evaluator.batch(side.function_expr, d.sizes, d.values),
                              derived.evaluator.batch(derived.function_expr, d.sizes, d.values),
                              "function"))
            for mine, theirs, what in pairs:
                if mine.shape != theirs.shape or not np.allclose(mine, theirs, rtol=1e-10, atol=1e-12):
                    raise DerivationError(f"{part.id}: the {what} read back from its text differs "
                                          "from the lambdified derivation", where=str(target),
                                          fix="report this: the answer language and SymPy disagree")
        parts[part.id] = entry
    text = json.dumps({"format": FORMAT, "parts": parts}, indent=1, sort_keys=True,
                      ensure_ascii=False) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    _entries.cache_clear()
    return target
