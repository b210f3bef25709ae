"""The registry: every catalogue kind is registered, its fields and rules are what the loader checks."""

import sys
import subprocess

import pytest

from symcheck.catalogue import load_catalogue
from symcheck.errors import UsageError
from symcheck.kinds import Field, get_kind, kind_names, models_of


def test_the_network_quantities_are_the_nodes_of_its_graph():
    from symcheck.models.net221_symbolic import NODES

    assert models_of("number")["net221"] == NODES == models_of("table_value")["net221"]


def test_every_part_of_the_catalogue_has_a_registered_kind_that_suits_its_rule():
    for part in load_catalogue().parts:
        kind = part.problem.kind
        assert kind.name == part.ask.kind
        assert part.grading.rule in kind.rules, part.id


def test_notebook_figures_have_their_own_kind():
    problem = load_catalogue().problem("4.rmse.pinv")
    assert problem.kind is get_kind("number", "notebook") is not get_kind("number")
    assert problem.kind.describe(problem) == "number (notebook figure)"


def test_an_unknown_kind_is_a_usage_error_naming_the_kinds():
    with pytest.raises(UsageError, match="'integral' is not a kind of question.*derivative"):
        get_kind("integral")
    assert set(kind_names()) == {"derivative", "matrix_gradient", "closed_form", "number",
                                 "table_value", "explanation", "code"}


def test_a_field_says_its_choices():
    assert Field("decimals", choices=range(0, 16)).describe_choices() == "an integer from 0 to 15"
    assert not Field("decimals", choices=range(0, 16)).allows(True)
    assert Field("order", choices=(1, 2)).allows(2) and not Field("order", choices=(1, 2)).allows(3)


def test_a_part_is_parsed_once():
    catalogue = load_catalogue()
    part = catalogue.part("3.4.grad.W_o")
    assert catalogue.problem("3.4.grad.W_o") is part.problem
    assert part.function_expr() is part.problem.function is part.problem.function
    assert part.problem.namespace["H"] is part.problem.definitions[0][1]


def test_listing_the_catalogue_loads_no_sympy():
    code = ("import sys, io, contextlib\nfrom symcheck.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()): assert main(['list']) == 0\n"
            "print(sorted(m for m in ('sympy', 'numpy', 'hypothesis') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_examples_reach_the_numeric_proof():
    from symcheck.grade import check_part

    catalogue = load_catalogue()
    report = check_part(catalogue.part("1.4.first"), examples=7)
    assert report.proof.examples == 7
    numeric = check_part(catalogue.part("3.3.new.W13"), examples=9)
    assert numeric.proof.examples == 9 and numeric.proof.passed


def test_the_numeric_proof_fails_when_the_model_is_wrong(monkeypatch):
    from symcheck.kinds import _network
    from symcheck.models import Net221

    real = Net221.iteration

    def wrong(self, *args, **kwargs):
        values = real(self, *args, **kwargs)
        return {**values, "dL_dz4": values["dL_dz4"] * (1 + 1e-9)}

    monkeypatch.setattr(Net221, "iteration", wrong)
    _network._network.cache_clear()
    try:
        _, proof = _network.network_values(load_catalogue().part("3.1.a3").context, examples=3)
    finally:
        _network._network.cache_clear()
    assert not proof.passed and proof.failure.startswith("dL_dz4")
