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


def test_a_closed_form_that_fails_its_proof_exits_7(capsys, monkeypatch, tmp_path):
    # The corrupted derive is the grader's derivation too: keep what it prepares out of the
    # session's prepared-part store (it is keyed by the code on disk, which a patch does not change).
    monkeypatch.setenv("SYMCHECK_CACHE_DIR", str(tmp_path / "store"))
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


# -- issue 12's done-when on the shipped key, recomputed independently with mpmath ---------------

def _mp_eval(text, mp):
    """Evaluate a key line's arithmetic (numbers, + - * / **, e, sigmoid, tanh) with mpmath.

    A small ast walker of our own, independent of symcheck's parser; anything else is refused.
    """
    import ast

    functions = {"sigmoid": lambda v: 1 / (1 + mp.exp(-v)), "tanh": mp.tanh, "exp": mp.exp}
    binary = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
              ast.Div: lambda a, b: a / b, ast.Pow: lambda a, b: a ** b}

    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return mp.mpf(ast.get_source_segment(text, node))   # the digits as written
        if isinstance(node, ast.Name) and node.id == "e":
            return mp.e
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            return -walk(node.operand) if isinstance(node.op, ast.USub) else walk(node.operand)
        if isinstance(node, ast.BinOp) and type(node.op) in binary:
            return binary[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in functions:
            return functions[node.func.id](walk(node.args[0]))
        raise ValueError(f"not key arithmetic: {ast.dump(node)}")

    return walk(ast.parse(text, mode="eval"))


def _rounds_to(written: str, value, mp, tol) -> bool:
    """True when ``written`` is right for ``value`` by the number rule of the catalogue: within the
    part's tolerance, or ``value`` correctly rounded to the decimals it prints."""
    decimals = len(written.split(".")[1]) if "." in written else 0
    error = abs(mp.mpf(written) - value)
    return error <= mp.mpf(tol.atol) + mp.mpf(tol.rtol) * abs(value) or \
        error <= mp.mpf("0.5") * mp.mpf(10) ** -decimals * (1 + mp.mpf("1e-9"))


def _local_formulas(w, x1, x2, y, alpha):
    """Each node of the 2-2-1 network in terms of its parents: (parents, formula(values, mp))."""
    sig = lambda mp, z: 1 / (1 + mp.exp(-z))   # noqa: E731
    nodes = {
        "a3": ((), lambda v, mp: sig(mp, w["W13"] * x1 + w["W23"] * x2)),
        "a4": ((), lambda v, mp: mp.tanh(w["W14"] * x1 + w["W24"] * x2)),
        "a5": (("a3", "a4"), lambda v, mp: w["W35"] * v["a3"] + w["W45"] * v["a4"]),
        "loss": (("a5",), lambda v, mp: (y - v["a5"]) ** 2),
        "dL_da5": (("a5",), lambda v, mp: -2 * (y - v["a5"])),
        "grad_W35": (("dL_da5", "a3"), lambda v, mp: v["dL_da5"] * v["a3"]),
        "grad_W45": (("dL_da5", "a4"), lambda v, mp: v["dL_da5"] * v["a4"]),
        "dL_da4": (("dL_da5",), lambda v, mp: v["dL_da5"] * w["W45"]),
        "dL_dz4": (("dL_da4", "a4"), lambda v, mp: v["dL_da4"] * (1 - v["a4"] ** 2)),
        "dL_da3": (("dL_da5",), lambda v, mp: v["dL_da5"] * w["W35"]),
        "dL_dz3": (("dL_da3", "a3"), lambda v, mp: v["dL_da3"] * v["a3"] * (1 - v["a3"])),
    }
    for k, x, dz in (("13", x1, "dL_dz3"), ("23", x2, "dL_dz3"), ("14", x1, "dL_dz4"), ("24", x2, "dL_dz4")):
        nodes[f"grad_W{k}"] = ((dz,), lambda v, mp, x=x, dz=dz: v[dz] * x)
    for k in ("13", "14", "23", "24", "35", "45"):
        nodes[f"new_W{k}"] = ((f"grad_W{k}",), lambda v, mp, k=k: w[f"W{k}"] - alpha * v[f"grad_W{k}"])
    return nodes


def test_the_keys_findings_in_3_3_are_the_values_wrong_given_its_own_values(capsys):
    import mpmath

    with mpmath.workdps(40):
        _check_findings_against_mpmath(capsys, mpmath.mp)


def _check_findings_against_mpmath(capsys, mp):
    from symcheck.tolerances import tolerance

    catalogue = load_catalogue()
    _, data, _ = _verify_json(capsys, "3.1", "3.3")
    findings = data["findings"]
    rows = {row["id"]: row for row in data["parts"]}
    parts = [p for p in catalogue.select(["3.3"]) if p.ask.model == "net221" and p.key.value_text]
    numbers = [p for p in parts if p.ask.kind == "number"]
    context = numbers[0].context
    w = {k: mp.mpf(str(v)) for k, v in context["weights"].items()}
    x1, x2, y, alpha = (mp.mpf(str(context[k])) for k in ("x1", "x2", "target", "learning_rate"))
    nodes = _local_formulas(w, x1, x2, y, alpha)
    tol = tolerance(numbers[0].grading.tolerance)
    assert all(p.grading.tolerance == numbers[0].grading.tolerance for p in numbers)
    truth: dict = {}
    for name, (parents, formula) in nodes.items():   # parents come first: the network's order
        truth[name] = formula(truth, mp)
    written = {p.ask.quantity: mp.mpf(p.key.value_text) for p in numbers}
    assert set(written) == set(nodes)                  # every node of the network is a 3.3 part

    # Step findings: every line showing a value, wrong when evaluated as written, on its part.
    expected_steps = {(p.id, i) for p in parts for i, s in enumerate(p.key.steps, start=1)
                      if s.expr is not None and s.value_text is not None
                      and not _rounds_to(s.value_text, _mp_eval(s.expr, mp), mp, tol)}
    got_steps = {(f["id"], f["step"]) for f in findings if f["id"].startswith("3.3.") and f["step"]}
    assert got_steps == expected_steps and len(expected_steps) == 3   # e^{-1.54}, e^{7.84}, 1 - 0.999…²
    for f in findings:
        if f["step"] and f["id"].startswith("3.3."):
            step = catalogue.part(f["id"]).key.steps[f["step"] - 1]
            assert f["root"] and f["claim"].startswith(step.expr)

    # Final numbers: right, a root (wrong given the key's own written parents), or carried forward.
    label = {}
    by_id = {(f["id"], f["step"]): f for f in findings}
    for p in numbers:   # catalogue order is the network's order
        node = p.ask.quantity
        parents, formula = nodes[node]
        wrong = not _rounds_to(p.key.value_text, truth[node], mp, tol)
        finding = by_id.get((p.id, None))
        if not wrong:
            assert finding is None and rows[p.id]["verdict"] in ("agrees", "warning"), p.id
            continue
        assert finding is not None and rows[p.id]["verdict"] == "differs", p.id
        local = formula(written, mp)                     # the key's own earlier values, as written
        root = not _rounds_to(p.key.value_text, local, mp, tol)
        assert finding["root"] is root, (p.id, local)
        steps = [f"{p.id} step {s}" for (i, s) in expected_steps if i == p.id]
        inherited = [] if root else [x for q in parents if q in label for x in label[q]] + steps
        assert sorted(finding["carried_forward_from"]) == sorted(set(inherited)), p.id
        assert root or (inherited and finding["code"] == "CARRIED_FORWARD"), p.id
        label[node] = [p.id] if root else sorted(set(inherited))

    # 3.1: every number agrees or is a root finding; no warning.
    for row in data["parts"]:
        if row["id"].startswith("3.1.") and row["verdict"] != "unverifiable":
            assert row["verdict"] in ("agrees", "differs"), row
            if row["verdict"] == "differs":
                assert any(f["id"] == row["id"] and f["root"] for f in findings), row["id"]
    assert all(not f["id"].startswith("3.1.") or f["root"] for f in findings)
