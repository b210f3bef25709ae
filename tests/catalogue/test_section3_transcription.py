"""Check problems/section3.toml (3.1–3.3) against the homework text it transcribes.

The oracle is the homework itself (/work/shared/seed/hw4.md): every number the catalogue says the
key printed must be printed there, digit for digit, and every line the catalogue copies must be a
line of the homework.  Whether the key is *right* is not tested here; that is symcheck's job.
"""

import os
import re
from pathlib import Path

import pytest

from symcheck.catalogue import default_catalogue_dir, load_file
from symcheck.expr import parse

HOMEWORK = Path(__file__).resolve().parents[3] / "shared" / "seed" / "hw4.md"
WEIGHTS = ("W13", "W14", "W23", "W24", "W35", "W45")
PER_ITERATION = (["a3", "a4", "a5", "loss", "dL_da5", "dL_da4", "dtanh", "dL_da3", "dsigmoid"]
                 + [f"{kind}.{w}" for kind in ("grad", "new", "table") for w in WEIGHTS])
EXPECTED_IDS = ([f"3.1.{name}" for name in PER_ITERATION] + ["3.1.update.rule", "3.2.checkpoint"]
                + [f"3.3.{name}" for name in PER_ITERATION])
# How each id's last word maps to the net221 quantity it asks for.
QUANTITY = {"dtanh": "dL_dz4", "dsigmoid": "dL_dz3"}


@pytest.fixture(scope="module")
def section():
    return load_file(default_catalogue_dir() / "section3.toml")


@pytest.fixture(scope="module")
def homework():
    if not HOMEWORK.is_file():
        # CI always has shared/ beside the checkout: there a missing homework is a failure.
        if os.environ.get("CI"):
            pytest.fail(f"the homework text is not at {HOMEWORK}, but CI must have it")
        pytest.skip(f"the homework text is not at {HOMEWORK} (outside CI)")
    return HOMEWORK.read_text(encoding="utf-8")


def _printed(number: str, text: str) -> bool:
    """True when ``number`` appears in ``text`` as a whole number, not inside a longer one."""
    return re.search(rf"(?<![\d.]){re.escape(number)}(?!\d)", text) is not None


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_every_part_id_is_present_once(section):
    ids = [p.id for p in section.parts]
    assert len(ids) == len(set(ids))
    missing = [i for i in EXPECTED_IDS if i not in ids]
    assert not missing, f"missing parts: {missing}"


def test_each_numeric_part_asks_the_quantity_its_id_names(section):
    for part in section.parts:
        if part.ask.kind not in ("number", "table_value"):
            continue
        name = part.id.split(".", 2)[2]                     # "grad.W13", "a3", "dtanh"
        kind, _, weight = name.partition(".")
        want = f"{kind}_{weight}" if weight else QUANTITY.get(kind, kind)
        if kind == "table":
            want = f"new_{weight}"
        assert (part.ask.model, part.ask.quantity) == ("net221", want), part.id


def test_points_are_those_of_the_homework(section):
    """3.1 is worth 20 points, 3.3 the 5 bonus points, the checkpoint nothing."""
    def points(prefix):
        return sum(p.grading.points for p in section.parts if p.id.startswith(prefix))

    assert (points("3.1."), points("3.2."), points("3.3.")) == (20, 0, 5)
    assert section.points == 25


def test_context_is_the_homework_network(section, homework):
    first = dict(x1=1.0, x2=-1.0, target=1.0, learning_rate=0.1,
                 weights=dict(W13=1, W14=-1, W23=2, W24=-3, W35=2, W45=-1))
    bonus = dict(x1=2.0, x2=-2.0, target=2.0, learning_rate=0.1,
                 weights=dict(W13=1.11, W14=-1.02, W23=1.88, W24=-2.98, W35=2.08, W45=-0.73))
    for part in section.parts:
        if part.ask.kind in ("number", "table_value"):
            assert part.context == (first if part.id.startswith("3.1.") else bonus), part.id
    assert "The inputs of node 1 and node 2 are 1.0 and -1.0 respectively." in homework
    assert ("W_{13} = 1.11, \\quad W_{14} = -1.02, \\quad W_{23} = 1.88, \\quad W_{24} = -2.98, "
            "\\quad W_{35} = 2.08, \\quad W_{45} = -0.73") in homework


def test_key_values_are_printed_in_the_homework(section, homework):
    unprinted = [(p.id, p.key.value_text) for p in section.parts
                 if p.ask.kind in ("number", "table_value")
                 and (p.key.value_text is None or not _printed(p.key.value_text, homework))]
    assert not unprinted


def test_key_values_keep_every_printed_digit(section):
    """Values are strings, so "-0.72503142800" keeps its trailing zeros."""
    assert section.parts  # the loader turns them into floats as well
    for part in section.parts:
        if part.key.value is not None:
            assert part.key.value_text is not None, part.id
            assert float(part.key.value_text) == part.key.value


def test_step_values_are_printed_in_the_homework(section, homework):
    unprinted = [(p.id, i, s.value_text) for p in section.parts for i, s in enumerate(p.key.steps)
                 if s.value is not None and (s.value_text is None or not _printed(s.value_text, homework))]
    assert not unprinted


def test_copied_lines_are_lines_of_the_homework(section, homework):
    """Every latex is verbatim, except the claims the key only implies (they say so in a note)."""
    text = _squash(homework)
    for part in section.parts:
        if part.ask.kind in ("number", "table_value") and part.key.latex:
            assert _squash(part.key.latex) in text, part.id
        for i, step in enumerate(part.key.steps):
            if not (step.note or "").startswith("implied"):
                assert _squash(step.latex) in text, (part.id, i, step.latex)


def test_every_step_expression_parses_to_a_number(section):
    for part in section.parts:
        for step in part.key.steps:
            if step.expr is not None:
                assert parse(step.expr, {}).is_number, (part.id, step.expr)


def _latex_to_expr(latex: str) -> str:
    """Spell one arithmetic line of the key in the expression language (no spaces, no atom parens)."""
    text = re.sub(r"\\text\{Node \d: \} a_\d = ", "", latex)
    text = re.sub(r"e\^\{([^{}]*)\}", r"e**(\1)", text)
    text = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", r"(\1)/(\2)", text)
    for old, new in ((r"\cdot", "*"), ("^", "**"), (r"\sigma", "sigmoid"), (r"\tanh", "tanh")):
        text = text.replace(old, new)
    return _canonical(text.split(" = ")[0])


def _canonical(expr: str) -> str:
    return re.sub(r"\(([^()+\-*/]*)\)", r"\1", expr.replace(" ", ""))


def test_each_step_expression_says_what_its_line_says(section):
    """The expr is the line's own arithmetic, e.g. '-2.852 \\cdot 0.26894142137' -> -2.852*0.26894142137."""
    for part in section.parts:
        for step in part.key.steps:
            if step.expr is not None:
                assert _latex_to_expr(step.latex) == _canonical(step.expr), (part.id, step.latex, step.expr)
