"""The shipped derived truths (problems/derived-truths.json) change how fast a verdict comes, never the verdict.

Three oracles, none of them the file itself:

- SymPy's derivation, run afresh: the file must hold exactly what ``truth_entry`` derives now;
- SymPy's lambdify: a part prepared from the file's texts (the answer language's NumPy
  compiler) must have the same instances and the same truth, terms and special cases, to
  rounding, as the part prepared from the derivation;
- the grader on a derived part: every answer gets the same result from a part prepared from
  the file (verdict, score, codes, feedback and truth, character for character).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from symcheck.catalogue import default_catalogue_dir, load_catalogue
from symcheck.grade import Grader
from symcheck.grade import _truths
from symcheck.grade._grader import symbolic_part
from symcheck.grade._prepare import prepare_symbolic

CATALOGUE = load_catalogue()
PARTS = [p for p in CATALOGUE.parts if symbolic_part(p)]
SHIPPED = json.loads((default_catalogue_dir() / _truths.FILE_NAME).read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def no_store(monkeypatch):
    monkeypatch.setenv("SYMCHECK_NO_CACHE", "1")
    monkeypatch.delenv("SYMCHECK_DERIVE_TRUTHS", raising=False)
    _truths._entries.cache_clear()
    yield
    _truths._entries.cache_clear()


def test_the_file_is_a_fresh_derivation_of_every_symbolic_part():
    assert SHIPPED["format"] == _truths.FORMAT
    assert sorted(SHIPPED["parts"]) == sorted(p.id for p in PARTS), \
        "run scripts/write-derived-truths after adding or removing a part"
    stale = [p.id for p in PARTS if _truths.truth_entry(p) != SHIPPED["parts"][p.id]]
    assert not stale, f"{stale}: run scripts/write-derived-truths (the derivation changed)"


def _close(a, b) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-11, atol=1e-13))


@pytest.mark.parametrize("part", PARTS, ids=lambda p: p.id)
def test_a_part_read_from_the_file_has_the_lambdified_truth(part):
    assert _truths.derived_entry(part) is not None
    mine = prepare_symbolic(part, store=False)
    assert not hasattr(mine.side().truth_expr, "free_symbols"), "prepared with SymPy, not from the file"
    theirs = prepare_symbolic(part, store=False, truths=False)
    assert (mine.kind, mine.truth_text, mine.truth_shape, mine.is_zero) == \
           (theirs.kind, theirs.truth_text, theirs.truth_shape, theirs.is_zero)
    assert len(mine.draws) == len(theirs.draws) > 0
    for a, b in zip(mine.draws, theirs.draws):
        assert a.sizes == b.sizes
        for name in part.symbols:
            assert np.array_equal(a.values[name], b.values[name])
        assert _close(a.truth, b.truth)
        for name in a.values:
            assert _close(np.asarray(a.values[name]), np.asarray(b.values[name])), name
    texts, values = mine.terms()
    assert (texts, len(values)) == (theirs.terms()[0], len(theirs.terms()[1]))
    for va, vb in zip(values, theirs.terms()[1]):
        assert all(_close(x, y) for x, y in zip(va, vb))
    assert [c.condition for c in mine.specials()] == [c.condition for c in theirs.specials()]
    for ca, cb in zip(mine.specials(), theirs.specials()):
        for a, b in zip(ca.draws, cb.draws):
            assert a.sizes == b.sizes and _close(a.truth, b.truth)
    if theirs.function_expr is not None:
        for a, b in zip(mine.function_values(), theirs.function_values()):
            assert _close(a, b)


def _answers(part) -> list:
    """Right, transposed, scaled, negated and partial answers, the key's own, and chains."""
    truth = SHIPPED["parts"][part.id]["truth"]
    out = [part.key.answer] if part.key.answer else []
    if not SHIPPED["parts"][part.id]["zero"]:
        out += [truth, f"({truth}).T", f"2*({truth})", f"-({truth})", f"({truth})/N" if "N" in
                str(part.symbols) else f"3*({truth})"]
    terms = SHIPPED["parts"][part.id]["terms"]
    if terms:
        out += [terms[0][1], " + ".join(t[1] for t in terms[1:])]
    steps = [s.expr for s in part.key.steps if getattr(s, "expr", None)]
    if len(steps) >= 2:
        out.append(steps)
    out += ["0", "x + 1"]
    return out


def _outcomes(grader, part):
    rows = []
    for answer in _answers(part):
        r = grader.grade_answer(part.id, answer)
        rows.append((str(answer), r.verdict, r.score, r.codes, r.feedback, r.truth,
                     r.carried_forward_from))
    return rows


@pytest.mark.parametrize("part", PARTS, ids=lambda p: p.id)
def test_answers_get_the_verdict_of_a_derived_part(part, monkeypatch):
    from_file = _outcomes(Grader(), part)
    monkeypatch.setenv("SYMCHECK_DERIVE_TRUTHS", "1")
    derived = _outcomes(Grader(), part)
    assert from_file == derived
    assert any(row[1] == "correct" for row in derived) or SHIPPED["parts"][part.id]["zero"]


def test_a_first_grade_from_the_file_does_not_import_sympy():
    """Right answers, every wrong-answer branch (specials, terms) and a derivation chain."""
    script = textwrap.dedent("""
        import sys
        from symcheck.grade import Grader
        g = Grader()
        rows = [g.grade_answer("1.5.first", a).codes for a in
                ("X*(a*b.T + b*a.T)", "X*a*b.T", "2*X*b*a.T", "X.T*(a*b.T + b*a.T)")]
        rows.append(g.grade_answer("1.4.first", ["a.T*X*b", "b.T*X.T*a", "a*b.T"]).verdict)
        rows.append(g.grade_answer("3.4.grad.W_h", "(2/N)*X.T*hadamard((Yhat - Y)*W_o.T, H, 1 - H)").verdict)
        rows.append(g.grade_answer("2.1.solution", "(X.T*X)^-1*X.T*y").codes)
        print(rows)
        print("sympy" in sys.modules)
    """)
    env = {**os.environ, "SYMCHECK_NO_CACHE": "1"}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    rows, imported = out.stdout.strip().rsplit("\n", 1)
    assert imported == "False", out.stdout
    derived = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                             env={**env, "SYMCHECK_DERIVE_TRUTHS": "1"}, timeout=120)
    assert derived.stdout.strip().rsplit("\n", 1) == [rows, "True"]
    assert "correct" in rows and "MISSING_TERM" in rows and "SPECIAL_CASE" in rows


def test_an_edited_part_is_derived_not_read_from_the_file(tmp_path):
    folder = tmp_path / "catalogue"
    shutil.copytree(default_catalogue_dir(), folder)
    source = folder / "section1.toml"
    text = source.read_text(encoding="utf-8")
    assert text.count('function = "a.T*X*b"') == 2
    source.write_text(text.replace('function = "a.T*X*b"', 'function = "2*a.T*X*b"'), encoding="utf-8")
    edited = load_catalogue(folder)
    assert _truths.derived_entry(edited.part("1.4.first")) is None
    grader = Grader(catalogue=edited)
    assert grader.grade_answer("1.4.first", "2*a*b.T").verdict == "correct"
    assert grader.grade_answer("1.4.first", "a*b.T").codes == ("FACTOR",)
    assert _truths.derived_entry(edited.part("1.5.first")) is not None   # unchanged parts still read it


def _with_file(monkeypatch, tmp_path, content: bytes):
    path = tmp_path / _truths.FILE_NAME
    path.write_bytes(content)
    monkeypatch.setattr(_truths, "_path", lambda: path)
    _truths._entries.cache_clear()


def _tampered(**changes) -> bytes:
    data = json.loads(json.dumps(SHIPPED))
    data["parts"]["1.4.first"].update(changes)
    return json.dumps(data).encode()


@pytest.mark.parametrize("content", [
    b"", b"\xff\xfe not utf-8", b"{not json", b"[" * 100_000, json.dumps({"format": 99}).encode(),
    _tampered(answer="__import__('os').system('echo owned')"), _tampered(answer="b*a.T" + "+" * 20),
    _tampered(terms=[["x"]]), _tampered(zero="no"), _tampered(question="0" * 64),
    b" " * 2_000_000,
], ids=["empty", "not-utf8", "not-json", "deep", "format", "code", "syntax", "terms", "types",
        "question", "oversized"])
def test_a_damaged_file_is_ignored_and_the_part_derived(monkeypatch, tmp_path, content):
    _with_file(monkeypatch, tmp_path, content)
    part = CATALOGUE.part("1.4.first")
    entry = _truths.derived_entry(part)
    assert entry is None or _truths.derived_side(part, entry) is None
    grader = Grader()
    assert grader.grade_answer("1.4.first", "a*b.T").verdict == "correct"
    assert grader.grade_answer("1.4.first", "b*a.T").codes == ("TRANSPOSED",)


def test_verify_and_derived_truths_false_never_read_the_file_nor_store_what_it_gave(
        monkeypatch, tmp_path):
    """A file that lies (b*a.T for ∂(aᵀXb)/∂X, under the right question digest) fools a grader
    that reads it, which is why it is shipped with the package and checked by the tests above;
    it must not reach ``Grader(derived_truths=False)`` or ``symcheck verify``, directly or
    through the prepared-part store: a part prepared from the file is never stored."""
    from symcheck.grade._grader import verify_grader

    _with_file(monkeypatch, tmp_path, _tampered(answer="b*a.T", truth="b*a.T"))
    monkeypatch.setenv("SYMCHECK_CACHE_DIR", str(tmp_path / "store"))
    monkeypatch.delenv("SYMCHECK_NO_CACHE")
    fooled = Grader()
    assert fooled.grade_answer("1.4.first", "b*a.T").verdict == "correct"   # it is read
    assert fooled.grade_answer("1.4.first", "a*b").codes    # a wrong answer: terms, specials
    assert not list((tmp_path / "store").rglob("*.npz"))
    derived = Grader(derived_truths=False)
    assert derived.grade_answer("1.4.first", "b*a.T").codes == ("TRANSPOSED",)
    assert derived.grade_answer("1.4.first", "a*b.T").verdict == "correct"
    assert len(list((tmp_path / "store").rglob("*.npz"))) == 1    # what SymPy derived is stored
    assert Grader().grade_answer("1.4.first", "b*a.T").verdict == "correct"   # the file first
    assert verify_grader().grade_answer("1.4.first", "a*b.T").verdict == "correct"
