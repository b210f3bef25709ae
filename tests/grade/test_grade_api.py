"""The grading API (contract D): shapes of results, submissions, manual parts, bad input."""

from __future__ import annotations

import pytest

import symcheck
from symcheck.errors import SymcheckError
from symcheck.grade import (
    GRADE_VERDICTS,
    REASON_CODES,
    GradeResult,
    Grader,
    SubmissionResult,
    grade_answer,
    grade_submission,
)


@pytest.fixture(scope="module")
def grader():
    return Grader()


def test_top_level_names_are_the_grade_functions():
    assert symcheck.grade_answer is grade_answer
    assert symcheck.grade_submission is grade_submission
    assert {"grade_answer", "grade_submission"} <= set(symcheck.__all__)


def test_a_result_has_every_field_of_the_contract(grader):
    result = grader.grade_answer("1.4.first", "b*a.T")
    assert isinstance(result, GradeResult)
    data = result.to_dict()
    assert set(data) >= {"id", "verdict", "score", "max_score", "feedback", "reasons",
                         "carried_forward_from", "truth", "answer"}
    assert data["reasons"] == [{"code": "TRANSPOSED", "message": result.reasons[0].message}]
    assert data["max_score"] == grader.catalogue.part("1.4.first").grading.points
    assert data["answer"] == "b*a.T" and "a*b.T" in data["truth"]


def test_a_submission_grades_every_part_and_reports_unknown_ids(grader):
    result = grader.grade_submission({"1.4.first": "a*b.T", "3.1.a3": 0.26894, "9.9.nope": "x"})
    assert isinstance(result, SubmissionResult)
    ids = [p.id for p in result.parts]
    assert ids == [p.id for p in grader.catalogue.parts]
    by_id = {p.id: p for p in result.parts}
    assert by_id["1.4.first"].verdict == "correct" and by_id["3.1.a3"].verdict == "correct"
    assert by_id["1.5.first"].verdict == "missing" and by_id["1.5.first"].codes == ("MISSING",)
    assert result.unknown_ids == ("9.9.nope",)
    assert result.score == by_id["1.4.first"].max_score + by_id["3.1.a3"].max_score
    assert result.max_score == sum(p.max_score for p in result.parts)


def test_parts_a_person_grades_are_manual(grader):
    for part_id in ("2.2.report", "3.4.code", "4.rmse.pinv"):
        r = grader.grade_answer(part_id, "anything")
        part = grader.catalogue.part(part_id)
        assert r.verdict == "manual" and r.score == 0 and r.max_score == part.grading.points
        assert r.codes == ("MANUAL",)
    by_id = {p.id: p for p in grader.grade_submission({}).parts}
    assert by_id["2.2.report"].verdict == "manual"


@pytest.mark.parametrize("answer, code", [(True, "SYNTAX"), ({"a": 1}, "SYNTAX"), ([], "SYNTAX"),
                                          ([1, 2], "SYNTAX"), (["a*b.T"] * 51, "TOO_LARGE")])
def test_what_is_not_an_answer_is_invalid(grader, answer, code):
    r = grader.grade_answer("1.4.first", answer)
    assert r.verdict == "invalid" and r.codes == (code,)


def test_an_empty_answer_is_missing(grader):
    assert grader.grade_answer("1.4.first", "  ").verdict == "missing"


def test_an_unknown_part_is_a_clear_error(grader):
    with pytest.raises(SymcheckError):
        grader.grade_answer("1.9.first", "a")


def test_verdicts_and_codes_are_the_public_tables():
    assert set(GRADE_VERDICTS) == {"correct", "partial", "incorrect", "invalid", "missing", "manual"}
    for code in ("SHAPE", "TRANSPOSED", "SIGN", "FACTOR", "MISSING_TERM", "SPECIAL_CASE",
                 "CONVENTION", "SCALAR_FOR_TENSOR", "ROUNDING", "PRECISION", "CARRIED_FORWARD",
                 "CHAIN_STEP", "NOT_EQUIVALENT", "SYNTAX", "UNKNOWN_SYMBOL", "UNSUPPORTED",
                 "TOO_LARGE", "UNDECIDED"):
        assert code in REASON_CODES


def test_module_level_functions_accept_a_catalogue(grader):
    r = grade_answer("1.3.first", "2*X", catalogue=grader.catalogue)
    assert r.verdict == "correct"


@pytest.mark.parametrize("groups", [2, 3])
def test_grading_a_share_of_the_parts_gives_those_parts_of_the_whole(grader, groups):
    """``grade_submission(answers, parts=share)`` (what each worker of a split batch runs) returns
    exactly the whole submission's results for that share, carried-forward findings included, on
    the example file that answers every part (its network values carry errors forward)."""
    import tomllib
    from pathlib import Path

    from symcheck.grade import split_parts

    answers = tomllib.loads((Path(__file__).parents[2] / "examples" / "answers.toml").read_text())["answers"]
    whole = grader.grade_submission(answers).parts
    assert any(p.carried_forward_from for p in whole)       # the check below covers carry-forward
    seen = []
    for share in split_parts(grader, groups):
        got = grader.grade_submission(answers, parts=share).parts
        assert got == tuple(p for p in whole if p.id in share)
        seen += [p.id for p in got]
    assert sorted(seen) == sorted(p.id for p in whole)
