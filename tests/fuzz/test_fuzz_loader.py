"""Fuzz the catalogue loader: whatever the file, it loads or raises a CatalogueError.

Three sources of files: a valid part whose formulas are drawn from the expression fuzzer's
pieces, byte-level mutations of a valid file (inserted, deleted and replaced bytes, invalid
UTF-8 included), and TOML assembled from the catalogue's own keys with hostile values (huge
and non-finite numbers, deep arrays, long dotted keys, wrong types).  The default run draws a
few hundred; the ``slow`` run 10,000.
"""

from __future__ import annotations

import os
import tempfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symcheck.catalogue import load_file
from symcheck.errors import SymcheckError
from test_fuzz_parser import EXPRESSIONS

TEMPLATE = '''[section]
number = "1"
title = "Fuzz"
points = 1

[[parts]]
id = "1.1.first"
title = "t"
statement = "s"
symbols = {{ X = ["n", "n"], a = ["n", 1] }}
ask = {{ kind = "derivative", function = "{function}", wrt = "X", order = {order} }}
grading = {{ rule = "symbolic", tolerance = "symbolic", points = {points} }}
key = {{ latex = 'x', answer = "{answer}", steps = [{{ latex = 'y', expr = "{step}" }}] }}
'''
GOOD = TEMPLATE.format(function="tr(X)", answer="Identity(n)", step="tr(X)", order=1,
                       points=1).encode()


def _toml_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


FORMULA_FILES = st.builds(
    lambda f, a, s, order, points: TEMPLATE.format(function=_toml_string(f), answer=_toml_string(a),
                                                   step=_toml_string(s), order=order,
                                                   points=points).encode("utf-8", "surrogatepass"),
    EXPRESSIONS, EXPRESSIONS, EXPRESSIONS, st.sampled_from(["1", "2", "3", "0", "-1", "1e308"]),
    st.sampled_from(["1", "0", "-1", "nan", "inf", "1e308", "9" * 5000, "0.5", '"1"']))

EDITS = st.lists(st.tuples(st.integers(0, len(GOOD)), st.integers(0, 8), st.binary(max_size=8)),
                 max_size=6)


def _mutate(edits) -> bytes:
    data = bytearray(GOOD)
    for position, delete, insert in edits:
        position = min(position, len(data))
        data[position:position + delete] = insert
    return bytes(data)


MUTATED_FILES = st.builds(_mutate, EDITS)

KEYS = ["section", "number", "title", "points", "parts", "id", "statement", "symbols", "ask",
        "kind", "function", "wrt", "order", "grading", "rule", "tolerance", "key", "answer",
        "steps", "context", "decimals", "defaults", "x1", "weights", "assumptions", "a.b.c"]
SCALARS = st.one_of(st.integers(min_value=-10**30, max_value=10**30), st.floats(),
                    st.sampled_from(['"1.1.first"', '"1.1.first\\n"', '"derivative"', '"X"',
                                     '["n", "n"]', "[]", "[[[[1]]]]", "{}", "true",
                                     '"' + "1e9999999999*X" + '"', "9" * 5000, "1e308", "nan",
                                     "-inf", '"' + "[" * 50 + '"']))


TABLES = st.lists(st.tuples(st.sampled_from(KEYS), st.dictionaries(st.sampled_from(KEYS),
                                                                   SCALARS, max_size=6)),
                  max_size=5)


def _assemble(tables) -> bytes:
    lines = []
    for name, body in tables:
        lines.append(f"[{name}]" if name != "parts" else "[[parts]]")
        for key, value in body.items():
            text = value if isinstance(value, str) else str(value).lower()
            lines.append(f"{key} = {text}")
    return ("\n".join(lines) + "\n").encode()


ASSEMBLED_FILES = st.builds(_assemble, TABLES)
ANY_FILE = st.one_of(FORMULA_FILES, MUTATED_FILES, ASSEMBLED_FILES)


def _load_or_refuse(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "fuzz.toml")
        with open(path, "wb") as handle:
            handle.write(data)
        try:
            load_file(path)
        except SymcheckError as error:
            assert error.what and error.exit_code == 3, error


def test_the_unmutated_file_loads():
    _load_or_refuse(GOOD)
    assert load_file_ok(GOOD)


def load_file_ok(data: bytes) -> bool:
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "fuzz.toml")
        with open(path, "wb") as handle:
            handle.write(data)
        return load_file(path).parts[0].id == "1.1.first"


@settings(max_examples=200)
@given(ANY_FILE)
def test_generated_catalogue_files_load_or_raise_a_catalogue_error(data):
    _load_or_refuse(data)


@pytest.mark.slow
@settings(max_examples=10_000)
@given(ANY_FILE)
def test_ten_thousand_catalogue_files_never_escape(data):
    _load_or_refuse(data)
