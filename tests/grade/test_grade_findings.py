"""Findings in the key (issue 12): roots, carried forward, step findings, and no false alarms.

The oracle re-evaluates each of the key's computation lines with symcheck.expr's SymPy parser
at 40 digits (not the answer language the grader uses) and checks the grader's split into
roots and carried-forward values against it.
"""

from __future__ import annotations

import pytest
import sympy as sp

from symcheck.catalogue import load_catalogue
from symcheck.expr import parse
from symcheck.grade import key_findings


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


@pytest.fixture(scope="module")
def network_findings(catalogue):
    return key_findings(catalogue.select(["3.1", "3.3"]))


def _line_value(part) -> float:
    """The exact value of the key's last computing line (not a bare number)."""
    for step in reversed(part.key.steps):
        if step.expr is not None and not _is_number(step.expr):
            return float(sp.N(parse(step.expr, {}), 40))
    raise AssertionError(f"{part.id} has no computation line")


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def test_no_31_number_is_a_finding_only_the_table_w23(network_findings):
    assert [f.id for f in network_findings if f.id.startswith("3.1.")] == ["3.1.table.W23"]


def test_each_step_finding_sits_on_its_part(network_findings):
    steps = {(f.id, f.claim.split(" = ")[0]) for f in network_findings if f.step is not None}
    assert {("3.3.a3", "e**(-1.54)"), ("3.3.a4", "e**7.84"), ("3.3.dtanh", "1 - 0.999212971**2")} <= steps
    assert all(f.root for f in network_findings if f.step is not None)


def test_roots_are_wrong_given_the_keys_own_line_and_carried_ones_right(catalogue, network_findings):
    finals = [f for f in network_findings if f.step is None and f.id.startswith("3.3.")
              and ".table." not in f.id]
    assert finals
    labels = {f.label for f in network_findings}
    for f in finals:
        part = catalogue.part(f.id)
        key, line = float(part.key.value_text), _line_value(part)
        rounding = 10.0 ** (-len(part.key.value_text.split(".")[1]))   # a unit of the last digit
        if f.root:
            assert abs(key - line) > rounding, f.id
            assert f.carried_forward_from == ()
        else:
            assert abs(key - line) <= rounding, f.id
            assert f.code == "CARRIED_FORWARD" and f.carried_forward_from
            assert set(f.carried_forward_from) <= labels      # named roots are findings
            assert all(g.root for g in network_findings if g.label in f.carried_forward_from)


def test_findings_have_the_json_fields(network_findings):
    assert set(network_findings[0].to_dict()) == {"id", "step", "claim", "truth", "root",
                                                  "carried_forward_from", "code", "explanation"}


def test_a_chain_of_rewritings_in_section_1_is_checked(catalogue):
    found = key_findings(catalogue.select(["1.5.first", "1.2.first"]))
    assert [(f.id, f.step, f.code) for f in found] == [("1.5.first", 2, "SHAPE")]
