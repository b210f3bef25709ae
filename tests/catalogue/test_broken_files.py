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
    assert part.problem is part.problem and part.problem.function is part.problem.function
    assert (part.id, part.ask.wrt, part.key.answer) == ("9.1.first", "X", "a*b.T")
    assert str(part.function_expr()) == "a.T*X*b"


NUMBER_PART = """
[[parts]]
id = "9.2.a3"
title = "The output of node 3"
statement = 'Compute $a_3$.'
context = { x1 = 1.0, x2 = -1.0, target = 1.0, learning_rate = 0.1, weights = { W13 = 1, W14 = -1, W23 = 2, W24 = -3, W35 = 2, W45 = -1 } }
ask = { kind = "table_value", model = "net221", quantity = "a3", decimals = 2 }
grading = { rule = "table", tolerance = "table_2dp", points = 1 }
key = { value = "0.27" }
"""
GOOD = HEAD + GOOD_PART + NUMBER_PART


def _sub(old, new):
    """Return a mutation replacing ``old`` (which must occur) by ``new``."""
    def mutate(text):
        assert old in text, old
        return text.replace(old, new, 1)
    return mutate


_NUMBER_KIND = ('kind = "derivative", function = "a.T*X*b", wrt = "X", order = 1', 'kind = "number"')
_NUMERIC_RULE = ('rule = "symbolic", tolerance = "symbolic"', 'rule = "numeric", tolerance = "numeric_full"')

def _alias(line):
    """Return a mutation giving the first part the line ``aliases = ...``."""
    return _sub('ask = { kind = "derivative"', line + '\nask = { kind = "derivative"')


BROKEN = [
    # (name, key named in the message, words of the message, mutation of the good file)
    ("HEAD", "", "not valid TOML", _sub('title = "Test"', 'title = "Test')),
    ("no section", "section", "is missing", lambda t: t.replace(HEAD, "")),
    ("no parts", "parts", "is missing", lambda t: HEAD),
    ("bad id", "id", "is not a part id", _sub('"9.1.first"', '"first"')),
    ("id ending in a newline", "id", "is not a part id", _sub('id = "9.1.first"', 'id = "9.1.first\\n"')),
    ("wrong section", "id", "does not belong to section 9", _sub('"9.1.first"', '"8.1.first"')),
    ("section prefix only", "id", "does not belong to section 9", _sub('"9.1.first"', '"91.first"')),
    ("bad section number", "section.number", "is not a section number", _sub('number = "9"', 'number = "9\\n"')),
    ("defaults not a table", "defaults", "must be a dict", lambda t: "defaults = [1]\n" + t),
    ("bad default symbols", "defaults.symbols", "is not [rows, cols]", _sub("[[parts]]", "[defaults]\nsymbols = { X = [1] }\n[[parts]]")),
    ("symbol named like a size", "symbols.n", "n is both a symbol and a size", _sub('b = ["n", 1] }', 'b = ["n", 1], n = [] }')),
    ("typo key", "titel", "did you mean 'title'?", _sub("title = \"First", "titel = \"First")),
    ("points text", "grading.points", "must be a float, got str", _sub("points = 1 }", 'points = "one" }')),
    ("negative points", "grading.points", "is negative", _sub("points = 1 }", "points = -1 }")),
    ("points nan", "grading.points", "nan is not a finite number", _sub("points = 1 }", "points = nan }")),
    ("points inf", "grading.points", "inf is not a finite number", _sub("points = 1 }", "points = inf }")),
    ("section points nan", "section.points", "not a finite number", _sub("points = 1\n", "points = nan\n")),
    ("huge integer points", "grading.points", "integer of 400 digits is out of range", _sub("points = 1 }", "points = 1" + "0" * 399 + " }")),
    ("bad rule", "grading.rule", "is not a grading rule", _sub('"symbolic", tolerance', '"fuzzy", tolerance')),
    ("bad tolerance", "grading.tolerance", "is not a known tolerance", _sub('tolerance = "symbolic"', 'tolerance = "loose"')),
    ("significant figures 0", "grading.min_significant_figures", "out of range", _sub("points = 1 }", "points = 1, min_significant_figures = 0 }")),
    ("carried-forward credit 1.5", "grading.carried_forward_credit", "is not a share", _sub("points = 1 }", "points = 1, carried_forward_credit = 1.5 }")),
    ("convention credit -0.1", "grading.convention_credit", "is not a share", _sub("points = 1 }", "points = 1, convention_credit = -0.1 }")),
    ("bad kind", "ask.kind", "is not a kind of question", _sub('"derivative"', '"integral"')),
    ("bad order", "ask.order", "order = 3 is not allowed", _sub("order = 1", "order = 3")),
    ("no wrt", "ask.wrt", "is missing", _sub(', wrt = "X"', "")),
    ("wrt not a symbol", "ask.wrt", "is not a symbol of this part", _sub('wrt = "X"', 'wrt = "Z"')),
    ("field of another kind", "ask.decimals", "is not a field of a derivative question", _sub("order = 1 }", "order = 1, decimals = 2 }")),
    ("bad shape", "symbols.X", "is not [rows, cols]", _sub('X = ["m", "n"]', 'X = ["m"]')),
    ("bad dimension", "symbols.X", "is not a positive integer", _sub('X = ["m", "n"]', 'X = [0, "n"]')),
    ("size over model_size", "symbols.X", "the size 100000 is larger than 10000", _sub('X = ["m", "n"]', 'X = [100000, "n"]')),
    ("unknown name in function", "ask.function", "unknown name `c`", _sub('"a.T*X*b"', '"a.T*X*c"')),
    ("shape error in function", "ask.function", "do not compose", _sub('"a.T*X*b"', '"a*X*b"')),
    ("bad assumption", "assumptions[0]", "is not an assumption", _sub("ask = { kind = \"derivative\"", 'assumptions = ["X is nice"]\nask = { kind = "derivative"')),
    ("assumption no layer understands", "assumptions[0]", "cannot read the assumption 'lam <= 0'", _sub("ask = { kind = \"derivative\"", 'assumptions = ["lam <= 0"]\nask = { kind = "derivative"')),
    ("assumption on unknown", "assumptions[0]", "which is not a symbol", _sub("ask = { kind = \"derivative\"", 'assumptions = ["M symmetric"]\nask = { kind = "derivative"')),
    ("assumption unsuited to the shape", "assumptions[0]", "X is m×n, so it cannot be symmetric", _sub("ask = { kind = \"derivative\"", 'assumptions = ["X symmetric"]\nask = { kind = "derivative"')),
    ("manual rule for derivative", "grading.rule", "does not suit", _sub('rule = "symbolic"', 'rule = "manual"')),
    ("numeric rule for derivative", "grading.rule", "does not suit", _sub('rule = "symbolic", tolerance = "symbolic"', 'rule = "numeric", tolerance = "symbolic"')),
    ("unknown name in key", "key.answer", "unknown name `bb`", _sub('answer = "a*b.T"', 'answer = "a*bb.T"')),
    ("key value nan", "key.value", "not a finite number", _sub('key = { value = "0.27" }', 'key = { value = "nan" }')),
    ("number kind without model", "ask.model", "is missing", lambda t: _sub(*_NUMERIC_RULE)(_sub(*_NUMBER_KIND)(t))),
    ("unknown quantity", "ask.quantity", "'a55' is not a quantity of the model net221", _sub('quantity = "a3"', 'quantity = "a55"')),
    ("unknown model", "ask.model", "'mlp' is not a model symcheck knows", _sub('model = "net221"', 'model = "mlp"')),
    ("table value without decimals", "ask.decimals", "is missing", _sub(', decimals = 2 }', ' }')),
    ("decimals -5", "ask.decimals", "decimals = -5 is not allowed", _sub('decimals = 2', 'decimals = -5')),
    ("decimals 999999999999", "ask.decimals", "decimals = 999999999999 is not allowed", _sub('decimals = 2', 'decimals = 999999999999')),
    ("no context", "context", "is missing", _sub('context = { x1 = 1.0, x2 = -1.0, target = 1.0, learning_rate = 0.1, weights = { W13 = 1, W14 = -1, W23 = 2, W24 = -3, W35 = 2, W45 = -1 } }\n', '')),
    ("missing context.weights", "context.weights", "is missing", _sub(', weights = { W13 = 1, W14 = -1, W23 = 2, W24 = -3, W35 = 2, W45 = -1 }', '')),
    ("missing one weight", "context.weights.W45", "is missing", _sub(', W45 = -1 }', ' }')),
    ("context.x1 = 1e308", "context.x1", "1e+308 is out of range", _sub('x1 = 1.0', 'x1 = 1e308')),
    ("context.x1 = nan", "context.x1", "nan is not a finite number", _sub('x1 = 1.0', 'x1 = nan')),
    ("context.x1 text", "context.x1", "must be a number", _sub('x1 = 1.0', 'x1 = "one"')),
    ("context 400-digit integer", "context.weights.W13", "an integer of 400 digits is out of range", _sub('W13 = 1,', 'W13 = 1' + '0' * 399 + ',')),
    ("context 5,000-digit integer", "", "a number is too long to read", _sub('W13 = 1,', 'W13 = 1' + '0' * 4999 + ',')),
    ("aliases not a table", "aliases", "must be a dict", _alias('aliases = "X"')),
    ("alias of no symbol", "aliases.ahat", "'c' is not a symbol or definition of this part", _alias('aliases = { ahat = "c" }')),
    ("alias that is a symbol", "aliases.a", "a is already a symbol of this part", _alias('aliases = { a = "X" }')),
    ("alias that is a size", "aliases.n", "n is already a size of this part", _alias('aliases = { n = "X" }')),
    ("alias not a name", "aliases.2x", "is not a name an answer can use", _alias('aliases = { "2x" = "X" }')),
    ("alias to a number", "aliases.xx", "must be a str, got int", _alias('aliases = { xx = 1 }')),
    ("alias the language reads", "aliases.sigmoid", "the answer language already reads 'sigmoid'", _alias('aliases = { sigmoid = "X" }')),
    ("alias the language reads: e", "aliases.e", "the answer language already reads 'e'", _alias('aliases = { e = "X" }')),
    ("section alias of nothing", "defaults.aliases.xhat", "'Q' is not a symbol or definition of any part",
     _sub("[[parts]]", '[defaults]\naliases = { xhat = "Q" }\n[[parts]]')),
]


def _load_and_use(path):
    """Load the file and parse every part, as the first command that uses each part would."""
    for part in load_file(path).parts:
        part.problem.check()


@pytest.mark.parametrize("name, key, words, mutate", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_file_error_names_file_key_problem_and_fix(tmp_path, name, key, words, mutate):
    text = mutate(GOOD)
    with pytest.raises(CatalogueError) as info:
        _load_and_use(_write(tmp_path, text))
    message = str(info.value)
    assert message.startswith("broken.toml"), message           # which file
    if key.partition(".")[0] not in ("", "section", "parts", "defaults"):
        assert "parts[0] (id " in message or "9.1.first" in message or "9.2.a3" in message, message  # which part
    assert key in info.value.where or key in message, message  # which key
    assert words in message, message                            # what is wrong
    assert info.value.fix, message                              # how to fix it
    assert info.value.exit_code == 3


def test_the_good_file_loads_and_parses(tmp_path):
    _load_and_use(_write(tmp_path, GOOD))


def test_a_broken_file_exits_3_in_every_command(tmp_path, capsys):
    from symcheck.cli import main

    folder = tmp_path / "cat"
    folder.mkdir()
    _write(folder, _sub('quantity = "a3"', 'quantity = "a55"')(GOOD))
    for argv in (["list"], ["verify", "--quiet", "9.2.a3"], ["derive", "9.1.first"]):
        assert main([*argv, "--catalogue", str(folder)]) == 3, argv
        err = capsys.readouterr().err
        assert "broken.toml" in err and "a55" in err and "ask.quantity" in err, err
        assert "internal error" not in err


def test_a_formula_error_exits_3_when_the_part_is_used(tmp_path, capsys):
    from symcheck.cli import main

    folder = tmp_path / "cat"
    folder.mkdir()
    _write(folder, _sub('"a.T*X*b"', '"a.T*X*c"')(GOOD))
    assert main(["derive", "9.1.first", "--catalogue", str(folder)]) == 3
    err = capsys.readouterr().err
    assert "broken.toml: 9.1.first.ask.function" in err and "unknown name `c`" in err, err


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


def test_list_check_parses_every_formula(tmp_path, capsys):
    from symcheck.cli import main

    folder = tmp_path / "cat"
    folder.mkdir()
    _write(folder, _sub('"a.T*X*b"', '"a.T*X*c"')(GOOD))
    assert main(["list", "--catalogue", str(folder)]) == 0      # formulas are parsed when used
    capsys.readouterr()
    assert main(["list", "--check", "--catalogue", str(folder)]) == 3
    assert "9.1.first.ask.function" in capsys.readouterr().err
    assert main(["list", "--check"]) == 0                       # the shipped catalogue parses


def test_definitions_that_double_at_every_step_are_refused_before_anything_is_built(tmp_path):
    # H_k = hadamard(H_{k-1}, H_{k-1}) + H_{k-1}: 61 of them would be 2^61 nodes once
    # substituted; loading (let alone deriving) used to hang
    chain = ", ".join(f'["H{k}", "hadamard(H{k - 1}, H{k - 1}) + H{k - 1}"]' for k in range(1, 61))
    text = GOOD_PART.replace('function = "a.T*X*b", wrt = "X", order = 1',
                             f'function = "a.T*H60*b", wrt = "X", order = 1, '
                             f'definitions = [["H0", "X"], {chain}]')
    with pytest.raises(CatalogueError) as info:
        load_file(_write(tmp_path, HEAD + text))
    assert "ask.definitions[" in str(info.value) and "answer_nodes" in str(info.value)
    # a few nested definitions, as the homework's MLP has, are fine
    few = GOOD_PART.replace('function = "a.T*X*b", wrt = "X", order = 1',
                            'function = "a.T*H2*b", wrt = "X", order = 1, definitions = '
                            '[["H0", "X"], ["H1", "hadamard(H0, H0) + H0"], ["H2", "hadamard(H1, H1) + H1"]]')
    load_file(_write(tmp_path, HEAD + few, name="few.toml"))


def test_a_symbol_too_big_to_draw_is_a_catalogue_error_when_graded(tmp_path):
    from symcheck.grade import Grader

    folder = tmp_path / "cat"
    folder.mkdir()
    _write(folder, HEAD + GOOD_PART.replace('X = ["m", "n"], a = ["m", 1], b = ["n", 1]',
                                            'X = [10000, 10000], a = [10000, 1], b = [10000, 1]'))
    grader = Grader(load_catalogue(folder))
    with pytest.raises(CatalogueError) as info:
        grader.grade_answer("9.1.first", "a*b.T")
    assert "10000×10000" in str(info.value) and "grade_matrix_entries" in str(info.value)
