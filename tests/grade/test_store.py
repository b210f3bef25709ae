"""The prepared-part store: a verdict read back from it is the verdict of a fresh preparation.

The oracle is symcheck with the store turned off (``SYMCHECK_NO_CACHE=1``): every answer is
graded by a grader that prepares afresh, by one that writes the store (cold) and by one that
reads it (warm), and the three results must be identical.  Damaged, stale, oversized and
hostile entries must be ignored, never trusted and never an error.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from symcheck.catalogue import load_catalogue
from symcheck.grade import Grader
from symcheck.limits import raised

# Parts of every symbolic kind (gradient, Hessian with a zero and a 2·I truth, closed form, the
# MLP's folded definitions) with answers that reach every branch of the judge: right, SHAPE,
# TRANSPOSED, SIGN, FACTOR, MISSING_TERM, SPECIAL_CASE, SCALAR_FOR_TENSOR, NOT_EQUIVALENT.
ANSWERS = {
    "1.2.first": ["M.T", "M", "-M.T", "2*M.T", "M.T + X"],
    "1.4.first": ["a*b.T", "b*a.T", "a*b", "-a*b.T", "a*b.T/2"],
    "1.5.first": ["X*(a*b.T + b*a.T)", "X*a*b.T", "2*X*b*a.T", "X.T*(a*b.T + b*a.T)"],
    "1.3.second": ["2*Identity(n**2)", "2", "3*Identity(n**2)"],
    "1.4.second": ["0*Identity(m*n)", "kron(b*b.T, a*a.T)"],
    "2.1.solution": ["(X.T*X + lambda*I)^-1*X.T*y", "(X.T*X)^-1*X.T*y", "X.T*y"],
    "3.4.grad.W_o": ["(2/N)*H.T*(Yhat - Y)", "(2/N)*H.T*(Y - Yhat)", "H.T*(Yhat - Y)",
                     "(2/N)*(Yhat - Y).T*H"],
    "3.1.a5": ["-0.42614473734", "-0.4261", "-0.43"],
}


def _outcomes(grader: Grader, parts=None) -> list[tuple]:
    out = []
    for part_id, answers in ANSWERS.items():
        if parts is not None and part_id not in parts:
            continue
        for answer in answers:
            r = grader.grade_answer(part_id, answer)
            out.append((part_id, answer, r.verdict, r.score, r.codes, r.feedback, r.truth))
    return out


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A store of its own, and every truth derived: the store keeps what SymPy derived (parts
    prepared from the shipped derived truths are not stored, see test_derived_truths.py)."""
    folder = tmp_path / "store"
    monkeypatch.setenv("SYMCHECK_CACHE_DIR", str(folder))
    monkeypatch.delenv("SYMCHECK_NO_CACHE", raising=False)
    monkeypatch.setenv("SYMCHECK_DERIVE_TRUTHS", "1")
    return folder


@pytest.fixture(scope="module")
def fresh():
    """The oracle: every part derived with SymPy and prepared afresh, nothing read from or
    written to a store, nothing read from the shipped derived truths."""
    switches = {"SYMCHECK_NO_CACHE": "1", "SYMCHECK_DERIVE_TRUTHS": "1"}
    old = {name: os.environ.get(name) for name in switches}
    os.environ.update(switches)
    try:
        return _outcomes(Grader())
    finally:
        for name, value in old.items():
            if value is None:
                del os.environ[name]
            else:
                os.environ[name] = value


def test_cold_and_warm_graders_agree_with_a_fresh_preparation(store, fresh):
    cold = _outcomes(Grader())
    entries = sorted(store.rglob("*.npz"))
    assert len(entries) >= len(ANSWERS) - 1   # one per symbolic part, one for the network
    warm = _outcomes(Grader())
    assert cold == fresh
    assert warm == fresh
    codes = {c for row in fresh for c in row[4]}   # the answers do reach the judge's branches
    assert {"TRANSPOSED", "SIGN", "FACTOR", "MISSING_TERM", "SHAPE"} <= codes


def test_the_warm_path_does_not_import_sympy(store):
    Grader().grade_answer("1.5.first", "2*X*b*a.T")   # fill the store (a wrong answer: every piece)
    Grader().grade_answer("3.1.a5", "-0.4261")
    script = textwrap.dedent("""
        import sys
        from symcheck.grade import Grader
        g = Grader()
        r1 = g.grade_answer("1.5.first", "2*X*b*a.T")
        r2 = g.grade_answer("3.1.a5", "-0.4261")
        print(r1.codes, r2.verdict, "sympy" in sys.modules)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         env={**os.environ, "SYMCHECK_CACHE_DIR": str(store)}, timeout=120)
    assert out.returncode == 0, out.stderr
    codes, verdict, imported = out.stdout.rsplit(None, 2)
    assert imported == "False", out.stdout
    fresh = Grader().grade_answer("1.5.first", "2*X*b*a.T")
    assert codes == str(fresh.codes) and verdict == "correct"


def _only_entry(store: Path, part_id: str) -> Path:
    before = set(store.rglob("*.npz")) if store.exists() else set()
    Grader().grade_answer(part_id, ANSWERS[part_id][1])
    new = sorted(set(store.rglob("*.npz")) - before)
    assert len(new) == 1
    return new[0]


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "pickle", "wrong-key",
                                    "bad-shape", "symlink"])
def test_a_damaged_entry_is_ignored_and_rewritten(store, fresh, damage):
    entry = _only_entry(store, "1.4.first")
    good = entry.read_bytes()
    if damage == "garbage":
        entry.write_bytes(os.urandom(4096))
    elif damage == "truncated":
        entry.write_bytes(good[: len(good) // 2])
    elif damage == "empty":
        entry.write_bytes(b"")
    elif damage == "pickle":   # an object array would need pickle to load: never loaded
        with open(entry, "wb") as out:
            np.savez(out, __header__=np.array([{"evil": 1}], dtype=object))
    elif damage == "wrong-key":   # another part's entry under this name
        other = _only_entry(store, "1.2.first")
        entry.write_bytes(other.read_bytes())
    elif damage == "bad-shape":   # a well-formed archive whose truth has the wrong number of axes
        with np.load(entry, allow_pickle=False) as archive:
            arrays = {k: archive[k] for k in archive.files}
        arrays["d0.truth"] = arrays["d0.truth"].ravel()
        with open(entry, "wb") as out:
            np.savez(out, **arrays)
    elif damage == "symlink":   # an entry that is a link elsewhere is not followed
        target = store.parent / "elsewhere.npz"
        target.write_bytes(good)
        entry.unlink()
        entry.symlink_to(target)
    expected = [row for row in fresh if row[0] == "1.4.first"]
    got = [row for row in _outcomes(Grader()) if row[0] == "1.4.first"]
    assert got == expected
    if damage != "symlink":
        assert entry.read_bytes() != b"" and np.load(entry, allow_pickle=False).files


def test_an_oversized_entry_is_not_read(store, fresh):
    entry = _only_entry(store, "1.4.first")
    size = entry.stat().st_size
    with raised(store_entry_bytes=size - 1):
        got = [row for row in _outcomes(Grader()) if row[0] == "1.4.first"]
    assert got == [row for row in fresh if row[0] == "1.4.first"]


def test_an_unwritable_store_is_not_an_error(tmp_path, monkeypatch, fresh):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("SYMCHECK_CACHE_DIR", str(blocker / "store"))
    got = [row for row in _outcomes(Grader()) if row[0] in ("1.4.first", "3.1.a5")]
    assert got == [row for row in fresh if row[0] in ("1.4.first", "3.1.a5")]


def test_the_store_can_be_turned_off(store, monkeypatch):
    monkeypatch.setenv("SYMCHECK_NO_CACHE", "1")
    Grader().grade_answer("1.4.first", "b*a.T")
    assert not store.exists() or not list(store.rglob("*.npz"))


def test_a_changed_part_gets_a_new_entry_not_the_old_one(store):
    """Change the function of 1.4.first to 2aᵀXb: the stored aᵀXb preparation must not be used."""
    catalogue = load_catalogue()
    part = catalogue.part("1.4.first")
    Grader().grade_answer("1.4.first", "a*b.T")
    changed = dataclasses.replace(part, ask=dataclasses.replace(part.ask, function="2*a.T*X*b"))

    class One:   # a catalogue holding the changed part only
        def part(self, part_id):
            return changed

    # the gradient of 2aᵀXb is 2abᵀ: the old truth abᵀ is now half of it
    assert Grader(One()).grade_answer("1.4.first", "2*a*b.T").verdict == "correct"
    assert "FACTOR" in Grader(One()).grade_answer("1.4.first", "a*b.T").codes


def test_a_given_truth_never_serves_a_derived_lookup(store):
    """verify passes the kind's truth; a caller's other truth must not become the grader's."""
    from symcheck.grade import judge_key_claim
    from symcheck.kinds import Truth

    part = load_catalogue().part("1.2.first")
    wrong = Truth("M", expr=part.namespace()["M"], kind="gradient")   # the truth is Mᵀ
    assert judge_key_claim(part, wrong, "M").verdict in ("agrees", "correct")
    assert Grader().grade_answer("1.2.first", "M.T").verdict == "correct"
    assert "TRANSPOSED" in Grader().grade_answer("1.2.first", "M").codes


def test_old_versions_folders_are_pruned_but_recent_ones_kept(store):
    import time

    store.mkdir(parents=True)
    old, recent, other = store / ("0" * 16), store / ("1" * 16), store / "not-a-version"
    for folder in (old, recent, other):
        folder.mkdir()
        (folder / "x.npz").write_bytes(b"")
    month = time.time() - 31 * 86400
    os.utime(old, (month, month))
    os.utime(other, (month, month))
    Grader().grade_answer("1.4.first", "a*b.T")   # the first entry of this version
    assert not old.exists() and recent.exists() and other.exists()


@pytest.mark.parametrize("part_id", ["1.2.first", "1.3.second", "2.1.solution", "3.4.grad.W_o"])
def test_verify_fills_the_entry_the_grader_reads(store, fresh, part_id):
    """The kind's truth (what verify uses) is the grader's own derivation, so one entry serves both."""
    from symcheck.catalogue import Problem
    from symcheck.grade import judge_key_claim
    from symcheck.grade._prepare import _expr_digest, _truth_kind_and_expr

    part = load_catalogue().part(part_id)
    established = Problem(part).kind.truth(Problem(part), examples=4)
    assert established.truth.derived
    assert _expr_digest(established.truth.expr) == _expr_digest(_truth_kind_and_expr(part)[1])
    judge_key_claim(part, established.truth, ANSWERS[part_id][0])
    (entry,) = store.rglob("*.npz")
    written = entry.stat().st_mtime_ns
    got = [row for row in _outcomes(Grader(), parts=[part_id])]
    assert got == [row for row in fresh if row[0] == part_id]
    assert list(store.rglob("*.npz")) == [entry]   # the grader read verify's entry ...
    assert entry.stat().st_mtime_ns >= written     # ... (and may add pieces to it)


def test_a_copy_of_the_kinds_truth_with_another_expr_is_not_the_graders(store):
    """A corrupted copy (``dataclasses.replace(truth, expr=…)``, as the oracle tests make) must not
    become the stored derivation every later grader reads."""
    from symcheck.catalogue import Problem
    from symcheck.grade import judge_key_claim

    part = load_catalogue().part("1.3.first")
    truth = Problem(part).kind.truth(Problem(part), examples=4).truth
    corrupted = dataclasses.replace(truth, expr=truth.expr * 1.000001)
    judge_key_claim(part, corrupted, "2*X")
    assert Grader().grade_answer("1.3.first", "2*X").verdict == "correct"
