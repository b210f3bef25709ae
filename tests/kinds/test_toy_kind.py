"""Adding a kind is one new module plus its catalogue entry: it then shows in list, verify, derive."""

import importlib.util
import json
import textwrap

import pytest

from symcheck.cli import main
from symcheck.kinds import _registry

TOY_KIND = '''
"""Kind ``toy_trace``: the gradient of tr(X) by a square matrix X (a test's toy)."""

from symcheck.kinds import Established, Field, Kind, Truth, Verdict, reason, register_kind


@register_kind("toy_trace")
class ToyTrace(Kind):
    description = "the gradient of the trace of a square matrix"
    fields = (Field("wrt", required=True),)
    rules = ("symbolic",)

    def describe(self, problem):
        return f"toy: gradient of tr({problem.ask.wrt})"

    def derive(self, problem, *, order=None):
        import sympy as sp
        from symcheck.calculus import derive

        return derive(sp.Trace(problem.variable), problem.variable, order or 1)

    def truth(self, problem, *, examples):
        result = self.derive(problem)
        return Established(Truth(str(result.expr), expr=result.expr, kind=result.kind), str(result.expr))

    def compare(self, problem, truth, claim, *, examples):
        same = problem.parse(claim.answer) == truth.expr
        return Verdict("agrees" if same else "differs", () if same else (reason("NOT_EQUIVALENT", "not the identity"),),
                       truth=truth.text)
'''

TOY_CATALOGUE = '''
[section]
number = "9"
title = "Toys"
points = 2

[[parts]]
id = "9.1.toy"
title = "The gradient of tr(X)"
statement = 'Compute $\\\\nabla_X \\\\operatorname{tr} X$.'
symbols = { X = ["n", "n"] }
ask = { kind = "toy_trace", wrt = "X" }
grading = { rule = "symbolic", points = 1 }
key = { answer = "Identity(n)" }

[[parts]]
id = "9.2.toy"
title = "The gradient of tr(X), answered wrongly"
statement = 'Compute $\\\\nabla_X \\\\operatorname{tr} X$.'
symbols = { X = ["n", "n"] }
ask = { kind = "toy_trace", wrt = "X" }
grading = { rule = "symbolic", points = 1 }
key = { answer = "X" }
'''


@pytest.fixture
def toy(tmp_path, monkeypatch):
    """Register the toy kind from its own file (undone afterwards) and write its catalogue."""
    monkeypatch.setattr(_registry, "_KINDS", dict(_registry._KINDS))
    module = tmp_path / "toy_kind.py"
    module.write_text(TOY_KIND, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("symcheck_test_toy_kind", module)
    spec.loader.exec_module(importlib.util.module_from_spec(spec))
    folder = tmp_path / "catalogue"
    folder.mkdir()
    (folder / "toys.toml").write_text(textwrap.dedent(TOY_CATALOGUE), encoding="utf-8")
    return str(folder)


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_toy_kind_is_listed(capsys, toy):
    code, out, _ = _run(capsys, "list", "--json", "--catalogue", toy)
    rows = json.loads(out)["parts"]
    assert code == 0
    assert [(r["id"], r["kind"], r["asks"]) for r in rows] == [
        ("9.1.toy", "toy_trace", "toy: gradient of tr(X)"), ("9.2.toy", "toy_trace", "toy: gradient of tr(X)")]


def test_the_toy_kind_is_verified(capsys, toy):
    code, out, _ = _run(capsys, "verify", "--json", "--quiet", "--catalogue", toy)
    rows = {r["id"]: r for r in json.loads(out)["parts"]}
    assert code == 0
    assert rows["9.1.toy"]["verdict"] == "agrees" and rows["9.1.toy"]["derived"] == "I"
    assert rows["9.2.toy"]["verdict"] == "differs" and rows["9.2.toy"]["reasons"] == [
        {"code": "NOT_EQUIVALENT", "message": "not the identity"}]


def test_the_toy_kind_is_derived(capsys, toy):
    code, out, _ = _run(capsys, "derive", "9.1.toy", "--json", "--catalogue", toy)
    assert code == 0
    assert json.loads(out)["result"] in ("I", "Identity(n)")


def test_without_its_module_the_kind_is_a_catalogue_error(capsys, tmp_path, toy, monkeypatch):
    del _registry._KINDS[("toy_trace", None)]
    code, _, err = _run(capsys, "list", "--catalogue", toy)
    assert code == 3 and "toys.toml" in err and "'toy_trace' is not a kind of question" in err
