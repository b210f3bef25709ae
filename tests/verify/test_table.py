"""The verify table: a summary line in correct English, a proof cell that keeps its count and error."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from symcheck.cli._verify import render_table
from symcheck.verify import Proof


def _report(verdict, proof=None, part_id="1.1.first"):
    return SimpleNamespace(id=part_id, derived="M.T*M", proof=proof, key="M.T*M", verdict=verdict,
                           reasons=(), truth=None)


@pytest.mark.parametrize("verdicts, summary", [
    (["agrees"], "1 part: 1 agrees"),
    (["agrees", "agrees", "differs"], "3 parts: 2 agree, 1 differs"),
    (["warning", "differs", "differs"], "3 parts: 2 differ, 1 warning"),
    (["warning", "warning", "unverifiable"], "3 parts: 2 warnings, 1 unverifiable"),
    (["agrees"] * 33 + ["differs"] * 37 + ["warning"] * 12 + ["unverifiable"] * 11,
     "93 parts: 33 agree, 37 differ, 12 warnings, 11 unverifiable"),
])
def test_summary_counts_each_verdict_in_correct_english(verdicts, summary):
    table = render_table([_report(v, part_id=f"p{i}") for i, v in enumerate(verdicts)], width=160)
    assert table.splitlines()[-1] == summary


def test_a_long_method_is_cut_but_the_error_and_count_stay():
    proof = Proof(True, "float64 backprop vs 30-digit chain rule", 2.2e-16, 25, unit="values")
    row = render_table([_report("agrees", proof)], width=160).splitlines()[2]
    assert "2e-16, 25 values" in row and "float64 backprop" in row and "…" in row
    proof = Proof(True, "central∘complex_step", 5.3e-13, 200)
    row = render_table([_report("agrees", proof)], width=160).splitlines()[2]
    assert "central∘complex_step 5e-13 ×200" in row


def test_reasons_given_as_code_and_message_print_their_message():
    report = _report("differs")
    report.reasons = ({"code": "WRONG_VALUE", "message": "the key's value is off by 2"},)
    assert "· the key's value is off by 2" in render_table([report], width=160)
