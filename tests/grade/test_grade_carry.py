"""Error carried forward in grade_submission: roots, not just parents; credit; consistency.

Submissions are built from the float network of test_grade_numbers (an independent oracle):
one or two values are replaced by wrong ones and everything downstream is recomputed from them,
as a student who made that slip would.
"""

from __future__ import annotations

import pytest

from symcheck.grade import Grader
from tests.grade.test_grade_numbers import network_31, written

DOWNSTREAM_OF_A3 = ["a5", "loss", "dL_da5", "grad.W35", "grad.W45", "dL_da4", "dtanh",
                    "grad.W14", "grad.W24", "dL_da3", "dsigmoid", "grad.W13", "grad.W23",
                    "new.W13", "new.W14", "new.W23", "new.W24", "new.W35", "new.W45"]


@pytest.fixture(scope="module")
def grader():
    return Grader()


def submission(values) -> dict:
    return {f"3.1.{name}": written(v) for name, v in values.items()}


def by_id(result):
    return {p.id: p for p in result.parts}


def test_a_correct_run_has_no_findings(grader):
    parts = by_id(grader.grade_submission(submission(network_31())))
    assert all(parts[f"3.1.{n}"].verdict == "correct" for n in network_31())


def test_one_root_error_is_carried_to_everything_downstream(grader):
    parts = by_id(grader.grade_submission(submission(network_31(a3=0.25))))
    root = parts["3.1.a3"]
    assert root.verdict == "incorrect" and root.carried_forward_from == () and root.score == 0
    assert parts["3.1.a4"].verdict == "correct"            # not downstream of a3
    for name in DOWNSTREAM_OF_A3:
        p = parts[f"3.1.{name}"]
        assert p.verdict == "partial", (name, p.feedback)
        assert p.codes[0] == "CARRIED_FORWARD"
        # the ROOT, even where the parent (dL_da5, grad.W35, dsigmoid, ...) is itself carried
        assert p.carried_forward_from == ("3.1.a3",), name
        assert p.score == p.max_score                       # default credit: full


def test_two_roots_are_named_separately(grader):
    slip = -network_31(a3=0.25)["dL_da4"]                  # a sign slip in ∂L/∂a4
    values = network_31(a3=0.25, dL_da4=slip)
    parts = by_id(grader.grade_submission(submission(values)))
    assert parts["3.1.a3"].carried_forward_from == () and parts["3.1.a3"].verdict == "incorrect"
    assert parts["3.1.dL_da4"].verdict == "incorrect"       # wrong even given its own parents
    assert parts["3.1.dL_da4"].codes == ("SIGN",) or "CARRIED_FORWARD" not in parts["3.1.dL_da4"].codes
    for name in ("dtanh", "grad.W14", "grad.W24", "new.W14", "new.W24"):
        assert parts[f"3.1.{name}"].carried_forward_from == ("3.1.dL_da4",), name
    for name in ("dL_da5", "grad.W35", "dsigmoid", "new.W13"):
        assert parts[f"3.1.{name}"].carried_forward_from == ("3.1.a3",), name


def test_a_value_wrong_given_its_own_parents_is_a_root(grader):
    values = network_31()
    values["loss"] = values["loss"] * 1.01
    parts = by_id(grader.grade_submission(submission(values)))
    assert parts["3.1.loss"].verdict == "incorrect" and parts["3.1.loss"].carried_forward_from == ()
    assert parts["3.1.dL_da5"].verdict == "correct"         # L does not feed ∂L/∂a5


def test_a_skipped_parent_is_computed_from_the_answerers_other_values(grader):
    values = network_31(a3=0.25)
    del values["a5"], values["loss"]                         # a5 not written: computed from a3
    result = grader.grade_submission(submission(values))
    parts = by_id(result)
    assert parts["3.1.a5"].verdict == "missing"
    assert parts["3.1.dL_da5"].carried_forward_from == ("3.1.a3",)


def test_last_digit_errors_from_rounded_correct_inputs_are_correct(grader):
    values = network_31()
    answers = submission(values)
    answers["3.1.a3"], answers["3.1.a4"] = "0.26894", "0.96403"
    a5 = 2 * 0.26894 - 0.96403                                # computed from the rounded values
    answers["3.1.a5"] = written(a5, 12)
    parts = by_id(grader.grade_submission(answers))
    assert parts["3.1.a5"].verdict == "correct", parts["3.1.a5"].feedback


def test_credit_follows_the_catalogue_field(grader):
    part = grader.catalogue.part("3.1.a5")
    credit = getattr(part.grading, "carried_forward_credit", 1.0)
    parts = by_id(grader.grade_submission(submission(network_31(a3=0.25))))
    assert parts["3.1.a5"].score == pytest.approx(credit * part.grading.points)
