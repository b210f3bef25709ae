"""The hostile inputs of issue 9 and their siblings, as data: what to run and what must come out.

Each :class:`Case` is one input through one entry point:

- ``parse``: ``symcheck.parse(text, namespace)`` (the library, as a grader calls it);
- ``cli``: ``symcheck <argv>`` through ``symcheck.cli.main`` (derive, list, verify, evaluate).

``expect`` is the exit code (the CLI's; for ``parse`` the exit code of the error's class, 0 when
it parses) and ``words`` the start of the error message's *what* (after ``where: ``), or text
the output must contain when the input is valid.  Files (catalogue folders, CSVs, a FIFO, a
symlink to /dev/zero) are made by :func:`make_files` in a scratch folder; ``{dir}`` in an
argument stands for it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

__all__ = ["Case", "CASES", "make_files", "GOOD_PART"]


@dataclass(frozen=True)
class Case:
    name: str
    mode: str                     # "parse" or "cli"
    args: tuple[str, ...]         # parse: (text,); cli: argv
    expect: int
    words: str
    shapes: dict = field(default_factory=lambda: {"X": ("n", "n"), "a": ("n", 1)})
    issue: str = ""               # the issue 9 item it comes from ("" for a sibling)


def _parse(name, text, expect, words, *, issue="", shapes=None):
    return Case(name, "parse", (text,), expect, words,
                shapes if shapes is not None else {"X": ("n", "n"), "a": ("n", 1)}, issue)


def _cli(name, argv, expect, words, *, issue=""):
    return Case(name, "cli", tuple(argv), expect, words, issue=issue)


def _derive(name, text, expect, words, *, issue="", extra=(), shape="X=n,n"):
    return _cli(name, ["derive", "--expr", text, "--shape", shape, "--wrt", "X", *extra],
                expect, words, issue=issue)


_P, _E = 4, "the limit"  # ParseError's exit code; every refused limit names its row
CASES: list[Case] = [
    # 1. number literals bounded by value
    _parse("literal 1e9999999999", "1e9999999999*X", _P, "`1e9999999999` is about 10^9999999999",
           issue="1"),
    _parse("literal 1e9999999", "1e9999999*X", _P, "`1e9999999` is about 10^9999999", issue="1"),
    _parse("literal 1e-9999999", "1e-9999999*X", _P, "`1e-9999999` is about 10^-9999999"),
    _parse("literal 0.000…1e-300", "0.0001e-300*X", _P, "`0.0001e-300` is about 10^-304"),
    _parse("literal 61 digits", "1" * 61, _P, "has 61 digits (the limit number_digits = 60)"),
    _parse("literal of 5,000 digits", "9" * 5000, _P, "has 5000 digits (the limit number_digits"),
    _parse("literal 1.000…(70 digits)", "1." + "0" * 70, _P, "the number `1.000"),
    _parse("literal hex", "0x10*X", _P, "`0x10` is not a decimal number"),
    _parse("literal 1e300 is valid", "1e300*X", 0, "X"),
    # 2. powers bounded in result size
    _parse("(((9**64)**64)**64)**64", "(((9**64)**64)**64)**64", _P,
           "`(9**64)**64` makes a number with more than 300 digits", issue="2", shapes={}),
    _parse("five levels of 9**64", "((((9**64)**64)**64)**64)**64", _P,
           "`(9**64)**64` makes a number with more than 300 digits", issue="2", shapes={}),
    _parse("products of 9**64", "*".join(["9**64"] * 6), _P, "makes a number with more than 300",
           shapes={}),
    _parse("2**64**64", "2**64**64", _P, "`2**64**64` has the exponent 3.94e+115", shapes={}),
    _parse("((X**64)**64)**64", "((X**64)**64)**64", _P,
           "`(X**64)**64` has total degree 4096", issue="2"),
    _parse("tr(X)**64 five times", "*".join(["tr(X)**64"] * 5), _P, "has total degree 320"),
    _parse("hadamard_power(X**64, 64)", "hadamard_power(X**64, 64)", _P,
           "`hadamard_power(X**64, 64)` has total degree 4096"),
    # 3. summations bounded
    _parse("sum to 10**12", "sum(tr(X), (i, 1, 10**12))", _P,
           "`10**12` is too large a summation bound", issue="3"),
    _parse("nested sums of 1000 terms", "sum(sum(tr(X), (i, 1, 100)), (j, 1, 100))", _P,
           "has 10000 terms (the limit sum_terms = 1000)"),
    _parse("sum with a matrix bound", "sum(X[i, i], (i, 1, X))", _P,
           "the bound `X` of the range `(i, 1, X)` is not a whole number", issue="6"),
    # 5, 6. crashes and garbage
    _parse("1e999999", "1e999999", _P, "`1e999999` is about 10^999999", issue="5", shapes={}),
    _parse("tr(X)/tr(X-X)", "tr(X)/tr(X-X)", _P, "`tr(X)/tr(X-X)` divides by zero", issue="6"),
    _parse("inv(X-X)", "inv(X-X)", _P, "`inv(X-X)` inverts zero", issue="6"),
    _parse("Inverse(X - X)*X", "Inverse(X - X)*X", _P, "`Inverse(X - X)` inverts zero",
           issue="5"),
    _parse("(X-X)**-1", "(X-X)**-1", _P, "`(X-X)**-1` inverts a zero matrix"),
    _parse("log(det(ZeroMatrix(n,n)))", "log(det(ZeroMatrix(n,n)))", _P,
           "`log(det(ZeroMatrix(n,n)))` is the logarithm of zero", issue="6"),
    _parse("Identity(0)", "Identity(0)", _P, "`Identity(0)` has the size 0", issue="6"),
    _parse("Identity(10**9)", "Identity(10**9)", _P, "`Identity(10**9)` has the size 1000000000"),
    _parse("X[1/2,1]", "X[1/2,1]", _P, "the row index `1/2` of `X[1/2,1]` is not a whole number",
           issue="6"),
    _parse("hadamard_power(X,X)", "hadamard_power(X,X)", _P,
           "`hadamard_power(X,X)` has a matrix as its exponent", issue="6"),
    _parse("trailing # comment", "tr(X) # a comment", _P, "`#` is not part of the expression",
           issue="6"),
    _parse("1/0", "1/0", _P, "`1/0` divides by zero", shapes={}),
    # 7. messages
    _parse("lone surrogate", "tr(X)\udcff", _P, "the text is not valid Unicode: a lone surrogate",
           issue="7"),
    _parse("X[n+1,1]", "X[n+1,1]", _P, "the row index n + 1 of `X[n+1,1]` is outside", issue="7"),
    _parse("X[1,0]", "X[1,0]", _P, "the column index 0 of `X[1,0]` is outside"),
    _parse("Cyrillic a", "а*X", _P, "unknown name `а`: `а` is written with CYRILLIC SMALL LETTER A",
           issue="7", shapes={"X": ("n", "n"), "a": ()}),
    _parse("mathematical italic X", "tr(𝑋)", _P, "`𝑋` is MATHEMATICAL ITALIC CAPITAL X",
           issue="7"),
    _parse("fullwidth X", "tr(Ｘ)", _P, "`Ｘ` is FULLWIDTH LATIN CAPITAL LETTER X", issue="7"),
    _parse("superscript two", "X²", _P, "`²` is SUPERSCRIPT TWO"),
    # size limits
    _parse("deep brackets", "(" * 200 + "X" + ")" * 200, _P, "brackets nest 200 deep, more than the limit answer_depth = 60"),
    _parse("10,001 characters", "X+" * 5000 + "XX", _P, "the expression has 10002 characters, more than the limit answer_length"),
    _parse("tr(X**64) is valid", "tr(X**64)", 0, "Trace(X**64)"),

    # the command line: derive
    _derive("derive tr(1e9999999999*X)", "tr(1e9999999999*X)", 4,
            "`1e9999999999` is about 10^9999999999", issue="1"),
    _derive("derive tr(((X**64)**64)**64)", "tr(((X**64)**64)**64)", 4,
            "`(X**64)**64` has total degree 4096", issue="2"),
    _derive("derive ((X**64)**64)**64", "((X**64)**64)**64", 4,
            "`(X**64)**64` has total degree 4096", issue="2"),
    _derive("derive (X**64)**64", "tr((X**64)**64)", 4, "`(X**64)**64` has total degree 4096",
            issue="2"),
    _derive("derive log(det(X**64)) --order 2", "log(det(X**64))", 5,
            "the derivative of order 2 by X: the differential makes", issue="2",
            extra=("--order", "2")),
    _derive("derive ((9**64)**64)**64", "((9**64)**64)**64", 4,
            "`(9**64)**64` makes a number with more than 300 digits", issue="5"),
    _derive("derive 1e999999", "1e999999", 4, "`1e999999` is about 10^999999", issue="5"),
    _derive("derive Inverse(X - X)*X", "Inverse(X - X)*X", 4, "`Inverse(X - X)` inverts zero",
            issue="5"),
    _derive("derive tr(X)/tr(X-X)", "tr(X)/tr(X-X)", 4, "`tr(X)/tr(X-X)` divides by zero",
            issue="6"),
    _derive("derive tr(inv(X-X))", "tr(inv(X-X))", 4, "`inv(X-X)` inverts zero", issue="6"),
    _derive("derive --shape X=³,1", "X.T*X", 2, "dimension='³' uses digits other than ASCII",
            issue="5", shape="X=³,1"),
    _derive("derive --shape X=٣,1", "X.T*X", 2, "dimension='٣' uses digits other than ASCII",
            issue="6", shape="X=٣,1"),
    _derive("derive --shape X=99999999999,1", "X.T*X", 2, "dimension=99999999999 is larger than",
            shape="X=99999999999,1"),
    _derive("derive tr(X**64) is valid", "tr(X**64)", 0, "64*X.T**63"),

    # the command line: catalogue files (made by make_files)
    _cli("list: symlink to /dev/zero", ["list", "--catalogue", "{dir}/cat_zero"], 3,
         "it is a character device", issue="4"),
    _cli("list: FIFO", ["list", "--catalogue", "{dir}/cat_fifo"], 3, "it is a FIFO", issue="4"),
    _cli("list: a directory named *.toml", ["list", "--catalogue", "{dir}/cat_folder"], 3,
         "it is a directory"),
    _cli("list: 200 KB file, 100,000-part header", ["list", "--catalogue", "{dir}/cat_header"], 3,
         "a dotted key or table header has more than 20 parts", issue="4"),
    _cli("list: dotted key of 100,000 parts", ["list", "--catalogue", "{dir}/cat_dotted"], 3,
         "a dotted key or table header has more than 20 parts"),
    _cli("list: arrays nested 900 deep", ["list", "--catalogue", "{dir}/cat_nested"], 3,
         "brackets nest more than 20 deep", issue="5"),
    _cli("list: inline tables nested 900 deep", ["list", "--catalogue", "{dir}/cat_inline"], 3,
         "brackets nest more than 20 deep"),
    _cli("list: not UTF-8", ["list", "--catalogue", "{dir}/cat_latin1"], 3,
         "the file is not UTF-8 text: byte", issue="5"),
    _cli("list: a 2 MB file", ["list", "--catalogue", "{dir}/cat_big"], 3,
         "the file has 2000000 bytes, more than the limit catalogue_file_bytes", issue="4"),
    _cli("list: 3,000 parts", ["list", "--catalogue", "{dir}/cat_parts"], 3,
         "the file has 3000 parts, more than the limit catalogue_parts"),
    _cli("list: a good file", ["list", "--catalogue", "{dir}/cat_good"], 0, "1.1.first"),
    _cli("verify: key answer 1e9999999999*X", ["verify", "--catalogue", "{dir}/cat_literal",
                                                "--examples", "3", "--quiet"], 3,
         "`1e9999999999` is about 10^9999999999", issue="1"),
    _cli("verify: function ((X**64)**64)**64", ["verify", "--catalogue", "{dir}/cat_power",
                                                 "--examples", "3", "--quiet"], 3,
         "`(X**64)**64` has total degree 4096", issue="2"),
    _cli("verify: key step sum to 10**12", ["verify", "--catalogue", "{dir}/cat_sum",
                                             "--examples", "3", "--quiet"], 3,
         "`10**12` is too large a summation bound", issue="3"),
    _cli("verify: function kron(kron(X,X),kron(X,X))", ["verify", "--catalogue", "{dir}/cat_kron4",
                                                       "--examples", "3", "--quiet"], 4,
         "is a matrix of 2,821,109,907,456 entries at n = 6, more than the limit numeric_entries"),
    _cli("verify: function tr of a kron of five X", ["verify", "--catalogue", "{dir}/cat_kron5",
                                                    "--examples", "3", "--quiet"], 4,
         "is a matrix of 60,466,176 entries at n = 6, more than the limit numeric_entries"),

    # the command line: evaluate --data
    _cli("evaluate: /dev/zero", ["evaluate", "--data", "/dev/zero", "--quiet"], 6,
         "it is a character device", issue="4"),
    _cli("evaluate: FIFO", ["evaluate", "--data", "{dir}/fifo.csv", "--quiet"], 6,
         "it is a FIFO", issue="4"),
    _cli("evaluate: a directory", ["evaluate", "--data", "{dir}", "--quiet"], 6,
         "it is a directory"),
    _cli("evaluate: 200 MB CSV", ["evaluate", "--data", "{dir}/huge.csv", "--quiet"], 6,
         "the file has 200000000 bytes, more than the limit csv_bytes", issue="4"),
    _cli("evaluate: a million columns", ["evaluate", "--data", "{dir}/wide.csv", "--quiet"], 6,
         "the file has more than 1000 columns (the limit csv_columns)", issue="4"),
    _cli("evaluate: 300,000 rows", ["evaluate", "--data", "{dir}/long.csv", "--quiet"], 6,
         "the file has more than 200000 data rows (the limit csv_rows)"),
    _cli("evaluate: 300,000 rows, raised limit too small", ["evaluate", "--data", "{dir}/long.csv",
         "--max-csv-rows", "100", "--quiet"], 6, "the file has more than 100 data rows"),
    _cli("evaluate: values near 1e300", ["evaluate", "--data", "{dir}/huge_values.csv", "--quiet"],
         6, "the cell '1e300' is larger in magnitude than 1e+100", issue="6"),
    _cli("evaluate: cell 1_0", ["evaluate", "--data", "{dir}/underscore.csv", "--quiet"], 6,
         "the cell '1_0' is not a number", issue="6"),
    _cli("evaluate: Arabic-Indic digit", ["evaluate", "--data", "{dir}/arabic.csv", "--quiet"], 6,
         "the cell '٣' is not a number", issue="6"),
    _cli("evaluate: nan", ["evaluate", "--data", "{dir}/nan.csv", "--quiet"], 6,
         "the cell 'nan' is NaN or infinite"),
    _cli("evaluate: not UTF-8", ["evaluate", "--data", "{dir}/latin1.csv", "--quiet"], 6,
         "the file is not UTF-8 text: byte 15 (0xe9)"),
]

GOOD_PART = '''[section]
number = "1"
title = "Hostile"
points = 1

[[parts]]
id = "1.1.first"
title = "t"
statement = "s"
symbols = {{ X = ["n", "n"] }}
ask = {{ kind = "derivative", function = "{function}", wrt = "X", order = 1 }}
grading = {{ rule = "symbolic", tolerance = "symbolic", points = 1 }}
key = {{ latex = 'x', answer = "{answer}", steps = [{{ latex = 'y', expr = "{step}" }}] }}
'''


def _catalogue(folder, name="s1.toml", *, function="tr(X)", answer="Identity(n)",
               step="tr(X)") -> str:
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "w", encoding="utf-8") as handle:
        handle.write(GOOD_PART.format(function=function, answer=answer, step=step))
    return folder


def _write(path, data: bytes | str) -> None:
    with open(path, "wb") as handle:
        handle.write(data.encode() if isinstance(data, str) else data)


def _rows(header: str, row: str, count: int) -> str:
    return header + "\n" + "".join(f"{row}\n" for _ in range(count))


def make_files(root: str) -> None:
    """Create every file the cases name under ``root``."""
    join = os.path.join
    for name in ("cat_zero", "cat_fifo", "cat_folder", "cat_header", "cat_dotted", "cat_nested",
                 "cat_inline", "cat_latin1", "cat_big"):
        _catalogue(join(root, name))
    os.symlink("/dev/zero", join(root, "cat_zero", "z.toml"))
    os.mkfifo(join(root, "cat_fifo", "f.toml"))
    os.mkdir(join(root, "cat_folder", "d.toml"))
    header = "[" + ".".join(["a"] * 100_000) + "]\n"          # 200 KB
    _write(join(root, "cat_header", "h.toml"), header)
    _write(join(root, "cat_dotted", "h.toml"), ".".join(["a"] * 100_000) + " = 1\n")
    _write(join(root, "cat_nested", "n.toml"), "x = " + "[" * 900 + "]" * 900 + "\n")
    _write(join(root, "cat_inline", "n.toml"), "x = " + "{a = " * 900 + "1" + "}" * 900 + "\n")
    _write(join(root, "cat_latin1", "l.toml"), '[section]\nnumber = "1"\ntitle = "Caf\xe9"\n'
           .encode("latin-1"))
    _write(join(root, "cat_big", "b.toml"), "# " + "x" * (2_000_000 - 3) + "\n")
    _catalogue(join(root, "cat_good"))
    os.makedirs(join(root, "cat_parts"))
    _write(join(root, "cat_parts", "p.toml"), '[section]\nnumber = "1"\ntitle = "t"\npoints = 1\n'
           + '[[parts]]\nid = "1.a"\n' * 3000)
    _catalogue(join(root, "cat_literal"), answer="1e9999999999*X")
    _catalogue(join(root, "cat_power"), function="tr(((X**64)**64)**64)")
    _catalogue(join(root, "cat_sum"), step="sum(tr(X), (i, 1, 10**12))")
    _catalogue(join(root, "cat_kron4"), function="kron(kron(X,X),kron(X,X))")
    _catalogue(join(root, "cat_kron5"), function="tr(kron(kron(X,X),kron(kron(X,X),X)))")
    os.mkfifo(join(root, "fifo.csv"))
    with open(join(root, "huge.csv"), "wb") as handle:
        handle.truncate(200_000_000)                          # sparse: no disk used
    _write(join(root, "wide.csv"), _rows(",".join(f"c{i}" for i in range(1_000_000)),
                                         ",".join(["1"] * 1_000_000), 1))
    _write(join(root, "long.csv"), _rows("a,b,y", "1,2,3", 300_000))
    good = [f"{i},{(i * 7) % 11},{i % 5}" for i in range(30)]
    body = "a,b,y\n" + "\n".join(good) + "\n"
    _write(join(root, "huge_values.csv"), body + "1e300,1,2\n")
    _write(join(root, "underscore.csv"), body + "1_0,1,2\n")
    _write(join(root, "arabic.csv"), body + "٣,1,2\n")
    _write(join(root, "nan.csv"), body + "nan,1,2\n")
    _write(join(root, "latin1.csv"), "a,b,y\n1,2,3\nCaf\xe9,1,2\n".encode("latin-1"))
