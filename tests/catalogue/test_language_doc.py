"""Every example of problems/LANGUAGE.md parses, and `symcheck derive --help` points to the file."""

import re
from pathlib import Path

import pytest

from symcheck.expr import parse, symbols_from_shapes

DOC = Path(__file__).resolve().parents[2] / "problems" / "LANGUAGE.md"
NAMESPACE = {"A": ("n", "n"), "B": ("n", "n"), "X": ("n", "m"), "x": ("n", 1), "v": ("n", 1),
             "lambda": (), "beta": ()}


def _examples():
    rows = [line for line in DOC.read_text(encoding="utf-8").splitlines()
            if line.startswith("| ") and not line.startswith("| write")]
    return [re.findall(r"`([^`]+)`", row.rsplit("|", 2)[-2])[0] for row in rows]


def test_the_doc_has_an_example_for_every_row():
    assert len(_examples()) >= 30


@pytest.mark.parametrize("example", _examples())
def test_every_example_parses(example):
    parse(example, symbols_from_shapes(NAMESPACE))


def test_derive_help_points_to_the_doc(capsys):
    from symcheck.cli import main

    with pytest.raises(SystemExit):
        main(["derive", "--help"])
    assert "problems/LANGUAGE.md" in capsys.readouterr().out
