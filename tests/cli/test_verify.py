"""`symcheck verify`: the table, the JSON schema, progress on stderr, and the exit status."""

import dataclasses
import json
import math


import symcheck.calculus
from symcheck.catalogue import load_catalogue
from symcheck.cli import main


def _verify_json(capsys, *args):
    code = main(["verify", "--json", "--examples", "10", *args])
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured.err


def _network_new_weight(context, name):
    """The 2-2-1 network of 3.1 in plain Python floats: an oracle independent of symcheck."""
    w = {k: float(v) for k, v in context["weights"].items()}
    x1, x2, y, alpha = context["x1"], context["x2"], context["target"], context["learning_rate"]
    z3, z4 = w["W13"] * x1 + w["W23"] * x2, w["W14"] * x1 + w["W24"] * x2
    a3, a4 = 1 / (1 + math.exp(-z3)), math.tanh(z4)
    a5 = w["W35"] * a3 + w["W45"] * a4
    d5 = -2 * (y - a5)
    d3, d4 = d5 * w["W35"] * a3 * (1 - a3), d5 * w["W45"] * (1 - a4 ** 2)
    grads = {"W35": d5 * a3, "W45": d5 * a4, "W13": d3 * x1, "W23": d3 * x2,
             "W14": d4 * x1, "W24": d4 * x2}
    return w[name] - alpha * grads[name]


def test_json_schema_and_verdicts(capsys):
    code, data, err = _verify_json(capsys, "1.4", "3.1.table")
    assert code == 0
    rows = {row["id"]: row for row in data["parts"]}
    assert set(rows) == {"1.4.first", "1.4.second"} | {f"3.1.table.W{w}" for w in (13, 14, 23, 24, 35, 45)}
    for row in rows.values():
        assert set(row) == {"id", "derived", "proof", "key", "verdict", "reasons", "truth", "note"}
        assert row["verdict"] in {"agrees", "differs", "warning", "unverifiable"}
        assert {"method", "max_rel_error", "examples"} <= set(row["proof"])
        assert row["proof"]["passed"] is True
    assert rows["1.4.first"]["derived"] == "a*b.T"
    assert rows["1.4.first"]["proof"]["max_rel_error"] < 1e-12


def test_table_verdicts_match_an_independent_network(capsys):
    catalogue = load_catalogue()
    _, data, _ = _verify_json(capsys, "3.1.table", "3.3.table")
    for row in data["parts"]:
        part = catalogue.part(row["id"])
        truth = round(_network_new_weight(part.context, row["id"].split(".")[-1]), 2)
        expected = "agrees" if abs(truth - part.key.value) < 1e-9 else "differs"
        assert row["verdict"] == expected, (row["id"], truth, part.key.value)


def test_progress_goes_to_stderr_not_stdout(capsys):
    code = main(["verify", "1.2.first", "--examples", "5"])
    captured = capsys.readouterr()
    assert code == 0
    assert "verify" in captured.err and "1/1" in captured.err
    assert "[#" not in captured.out
    assert captured.out.splitlines()[0].startswith("part")


def test_notebook_figures_are_unverifiable(capsys):
    _, data, _ = _verify_json(capsys, "4.rmse")
    assert {row["verdict"] for row in data["parts"]} == {"unverifiable"}
    assert all("notebook" in row["reasons"][0]["message"] and row["reasons"][0]["code"] == "MANUAL"
               for row in data["parts"])


def test_a_closed_form_that_fails_its_proof_exits_7(capsys, monkeypatch):
    real = symcheck.calculus.derive

    def corrupted(*args, **kwargs):
        result = real(*args, **kwargs)
        return dataclasses.replace(result, expr=result.expr * (1 + 1e-6))

    monkeypatch.setattr(symcheck.calculus, "derive", corrupted)
    code = main(["verify", "1.3.first", "--examples", "5", "--quiet"])
    captured = capsys.readouterr()
    assert code == 7
    assert "1.3.first failed its proof" in captured.err


def test_bad_examples_option(capsys):
    assert main(["verify", "--examples", "0"]) == 2
    assert "not a positive integer" in capsys.readouterr().err


def test_verify_leaves_nothing_in_the_working_directory(tmp_path):
    """A fresh process, as a user runs it: hypothesis's cache goes to the user cache folder."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    work, cache = tmp_path / "work", tmp_path / "cache"
    work.mkdir()
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "XDG_CACHE_HOME": str(cache),
           "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-m", "symcheck", "verify", "1.2.first", "--examples", "5",
                           "--quiet"], cwd=work, env=env, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    assert list(work.iterdir()) == []
    # Hypothesis now writes nothing (NumPy draws the values; its constants cache stays empty).


def test_every_command_lists_the_ids_a_prefix_starts(capsys):
    """`1.5` is not a part but starts 1.5.first and 1.5.second: derive says so (no 3.1.a5)."""
    assert main(["derive", "1.5"]) == 2
    err = capsys.readouterr().err
    assert "1.5.first, 1.5.second" in err and "3.1.a5" not in err
    for command in (["list", "--json"], ["verify", "--json", "--quiet", "--examples", "3"]):
        assert main([*command, "1.5"]) == 0
        ids = [row["id"] for row in json.loads(capsys.readouterr().out)["parts"]]
        assert ids == ["1.5.first", "1.5.second"], command


def test_an_unknown_id_suggests_close_ones(capsys):
    assert main(["verify", "1.5.frist"]) == 2
    assert "did you mean 1.5.first" in capsys.readouterr().err


def test_examples_reach_the_numeric_proof(capsys):
    _, data, _ = _verify_json(capsys, "3.1.a3")
    assert data["parts"][0]["proof"]["examples"] == 10
