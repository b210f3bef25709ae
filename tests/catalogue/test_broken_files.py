"""A broken catalogue file gets a clear error: which file, which key, what is wrong, the fix."""

import textwrap

import pytest

from symcheck.catalogue import load_catalogue, load_file
from symcheck.errors import CatalogueError

GOOD_PART = """
[[parts]]
id = "9.1.first"
title = "First derivative of aᵀXb"
statement = 'Compute $\\partial (a^\\top X b) / \\partial X$.'
symbols = { X = ["m", "n"], a = ["m", 1], b = ["n", 1] }
ask = { kind = "derivative", function = "a.T*X*b", wrt = "X", order = 1 }
grading = { rule = "symbolic", tolerance = "symbolic", points = 1 }
key = { latex = 'a b^\\top', answer = "a*b.T" }
"""
HEAD = '[section]\nnumber = "9"\ntitle = "Test"\npoints = 1\n'


def _write(tmp_path, text, name="broken.toml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_good_file_loads(tmp_path):
    section = load_file(_write(tmp_path, HEAD + GOOD_PART))
    (part,) = section.parts
    assert (part.id, part.ask.wrt, part.key.answer) == ("9.1.first", "X", "a*b.T")
    assert str(part.function_expr()) == "a.T*X*b"


BROKEN = [
    # (what to change in the good file, expected key in the message, expected words)
    ("HEAD", "", "not valid TOML", lambda t: t.replace('title = "Test"', 'title = "Test')),
    ("no section", "section", "is missing", lambda t: t.replace(HEAD, "")),
    ("no parts", "parts", "is missing", lambda t: HEAD),
    ("bad id", "id", "is not a part id", lambda t: t.replace('"9.1.first"', '"first"')),
    ("wrong section", "id", "does not belong to section 9", lambda t: t.replace('"9.1.first"', '"8.1.first"')),
    ("section prefix only", "id", "does not belong to section 9", lambda t: t.replace('"9.1.first"', '"91.first"')),
    ("defaults not a table", "defaults", "must be a dict", lambda t: "defaults = [1]\n" + t),
    ("bad default symbols", "defaults.symbols", "is not [rows, cols]", lambda t: t.replace("[[parts]]", "[defaults]\nsymbols = { X = [1] }\n[[parts]]", 1)),
    ("symbol named like a size", "ask", "n is both a symbol and a size", lambda t: t.replace('b = ["n", 1] }', 'b = ["n", 1], n = [] }')),
    ("typo key", "titel", "did you mean 'title'?", lambda t: t.replace("title = \"First", "titel = \"First")),
    ("points text", "grading.points", "must be a float, got str", lambda t: t.replace("points = 1 }", 'points = "one" }')),
    ("negative points", "grading.points", "is negative", lambda t: t.replace("points = 1 }", "points = -1 }")),
    ("bad rule", "grading.rule", "is not a grading rule", lambda t: t.replace('"symbolic", tolerance', '"fuzzy", tolerance')),
    ("bad tolerance", "grading.tolerance", "is not a known tolerance", lambda t: t.replace('tolerance = "symbolic"', 'tolerance = "loose"')),
    ("bad kind", "ask.kind", "is not a kind of question", lambda t: t.replace('"derivative"', '"integral"')),
    ("bad order", "ask.order", "order 3 is not supported", lambda t: t.replace("order = 1", "order = 3")),
    ("no wrt", "ask.wrt", "is missing", lambda t: t.replace(', wrt = "X"', "")),
    ("wrt not a symbol", "ask.wrt", "is not a symbol of this part", lambda t: t.replace('wrt = "X"', 'wrt = "Z"')),
    ("bad shape", "symbols.X", "is not [rows, cols]", lambda t: t.replace('X = ["m", "n"]', 'X = ["m"]')),
    ("bad dimension", "symbols.X", "is not a positive integer", lambda t: t.replace('X = ["m", "n"]', 'X = [0, "n"]')),
    ("unknown name in function", "ask", "unknown name `c`", lambda t: t.replace('"a.T*X*b"', '"a.T*X*c"')),
    ("shape error in function", "ask", "do not compose", lambda t: t.replace('"a.T*X*b"', '"a*X*b"')),
    ("bad assumption", "assumptions[0]", "is not an assumption", lambda t: t.replace("ask =", 'assumptions = ["X is nice"]\nask =')),
    ("assumption on unknown", "assumptions", "which is not a symbol", lambda t: t.replace("ask =", 'assumptions = ["M symmetric"]\nask =')),
    ("manual rule for derivative", "grading.rule", "does not suit", lambda t: t.replace('rule = "symbolic"', 'rule = "manual"')),
    ("unknown name in key", "key.answer", "unknown name `bb`", lambda t: t.replace('answer = "a*b.T"', 'answer = "a*bb.T"')),
    ("number kind without model", "ask.model", "needs model and quantity", lambda t: t.replace('kind = "derivative", function = "a.T*X*b", wrt = "X", order = 1', 'kind = "number"').replace('rule = "symbolic", tolerance = "symbolic"', 'rule = "numeric", tolerance = "numeric_full"')),
]


@pytest.mark.parametrize("name, key, words, mutate", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_file_error_names_file_key_problem_and_fix(tmp_path, name, key, words, mutate):
    text = mutate(HEAD + GOOD_PART)
    with pytest.raises(CatalogueError) as info:
        load_file(_write(tmp_path, text))
    message = str(info.value)
    assert message.startswith("broken.toml"), message           # which file
    assert key in info.value.where or key in message, message  # which key
    assert words in message, message                            # what is wrong
    assert info.value.fix, message                              # how to fix it
    assert info.value.exit_code == 3


def test_a_shape_error_in_the_key_is_a_finding_not_a_broken_file(tmp_path):
    text = (HEAD + GOOD_PART).replace('answer = "a*b.T"', 'answer = "a*b"')
    (part,) = load_file(_write(tmp_path, text)).parts
    assert part.key.answer == "a*b"


def test_duplicate_ids_across_files(tmp_path):
    _write(tmp_path, HEAD + GOOD_PART, "one.toml")
    _write(tmp_path, HEAD + GOOD_PART, "two.toml")
    with pytest.raises(CatalogueError, match="used twice") as info:
        load_catalogue(tmp_path)
    assert "one.toml" in info.value.where and "two.toml" in info.value.where


def test_empty_folder(tmp_path):
    with pytest.raises(CatalogueError, match=r"no \*.toml files"):
        load_catalogue(tmp_path)


def test_defaults_merge_into_parts(tmp_path):
    text = HEAD + '[defaults]\nsymbols = { X = ["m", "n"], a = ["m", 1] }\n' + GOOD_PART.replace(
        'symbols = { X = ["m", "n"], a = ["m", 1], b = ["n", 1] }', 'symbols = { b = ["n", 1] }')
    (part,) = load_file(_write(tmp_path, text)).parts
    assert set(part.symbols) == {"X", "a", "b"}
