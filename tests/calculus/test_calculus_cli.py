"""``symcheck derive``: text, LaTeX and JSON output, catalogue parts, and clear errors."""

import json
import re
import shutil
import subprocess

import pytest
import sympy as sp

from symcheck.calculus import CommutationMatrix, Vec, derive_text
from symcheck.cli import main

Q15 = ["--expr", "a.T*X.T*X*b", "--shape", "a=m,1", "--shape", "X=n,m", "--shape", "b=m,1",
       "--wrt", "X"]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_text_output_has_the_closed_form_the_steps_and_the_convention(capsys):
    code, out, _ = run(capsys, "derive", *Q15)
    assert code == 0
    assert "X*(a*b.T + b*a.T)" in out
    assert "convention: gradient" in out and "shape of X" in out
    assert out.count("df = ") >= 3


def test_second_order_prints_the_vec_hessian_and_the_linear_map(capsys):
    code, out, _ = run(capsys, "derive", *Q15, "--order", "2")
    assert code == 0
    assert "KroneckerProduct(a*b.T + b*a.T, Identity(n))" in out
    assert "dX ↦ dX*(a*b.T + b*a.T)" in out and "vec-Hessian" in out


def test_concrete_sizes_work(capsys):
    code, out, _ = run(capsys, "derive", "--expr", "log(det(X))", "--shape", "X=3,3", "--wrt", "X")
    assert code == 0 and "X.T**(-1)" in out


def _namespace(result):
    ns = {"CommutationMatrix": CommutationMatrix, "Vec": Vec}
    for s in result.function.atoms(sp.MatrixSymbol):
        ns[s.name] = s
        ns.update({str(d): d for d in s.shape if isinstance(d, sp.Symbol)})
    ns.update({str(s): s for s in result.function.free_symbols if isinstance(s, sp.Symbol)})
    return ns


JSON_CASES = [
    ("a.T*X.T*X*b", ["a=m,1", "X=n,m", "b=m,1"], "X", 1),
    ("a.T*X.T*X*b", ["a=m,1", "X=n,m", "b=m,1"], "X", 2),
    ("(y - X*beta).T*(y - X*beta) + lam*beta.T*beta", ["X=n,p", "y=n,1", "beta=p,1", "lam"], "beta", 1),
    ("tr(X*X)", ["X=n,n"], "X", 2),
    ("log(det(X))", ["X=3,3"], "X", 2),
    ("M.T*M*x", ["M=m,m", "x=m,1"], "x", 1),
]


@pytest.mark.parametrize("text, shapes, wrt, order", JSON_CASES)
def test_json_result_parses_back_to_the_same_expression(capsys, text, shapes, wrt, order):
    argv = ["derive", "--expr", text, "--wrt", wrt, "--order", str(order), "--json"]
    for s in shapes:
        argv += ["--shape", s]
    code, out, _ = run(capsys, *argv)
    assert code == 0
    data = json.loads(out)
    assert {"wrt", "order", "convention", "shape", "result", "latex", "steps"} <= set(data)
    assert data["wrt"] == wrt and data["order"] == order and data["steps"]
    result = derive_text(text, shapes, wrt, order=order)
    assert _parses_back(data["result"], result.expr, _namespace(result))


def _parses_back(text, expr, namespace):
    """True when parse_expr reads ``text`` as ``expr`` (unevaluated, else evaluated)."""
    for evaluate in (False, True):
        try:
            if sp.parse_expr(text, local_dict=namespace, evaluate=evaluate) == expr:
                return True
        except (TypeError, AttributeError, ValueError):
            continue
    return False


def _check_latex_document(doc):
    assert doc.isascii(), "pdflatex without utf8 support needs ASCII"
    assert doc.count("{") == doc.count("}")
    assert doc.count(r"\left") == doc.count(r"\right")
    begins = re.findall(r"\\begin\{(\w+\*?)\}", doc)
    ends = re.findall(r"\\end\{(\w+\*?)\}", doc)
    assert begins == list(reversed(ends)) or sorted(begins) == sorted(ends)
    assert doc.startswith(r"\documentclass") and doc.rstrip().endswith(r"\end{document}")


@pytest.mark.parametrize("part", ["1.1.first", "1.1.sym.first", "1.3.second", "1.5.second",
                                  "2.1.gradient", "3.4.grad.W_h"])
def test_latex_documents_are_well_formed(capsys, part):
    code, out, _ = run(capsys, "derive", part, "--latex")
    assert code == 0
    _check_latex_document(out)


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="no LaTeX compiler installed")
@pytest.mark.parametrize("call", [[*Q15, "--order", "2"], ["2.1.solution"], ["3.4.grad.W_h"],
                                  ["1.1.sym.first"]], ids=["1.5-hessian", "ridge-solution",
                                                           "mlp-W_h", "symmetric"])
def test_latex_document_compiles(capsys, tmp_path, call):
    _, out, _ = run(capsys, "derive", *call, "--latex")
    (tmp_path / "d.tex").write_text(out)
    done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "d.tex"],
                          cwd=tmp_path, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stdout.decode()[-2000:]


def test_catalogue_part_uses_its_order_and_assumptions(capsys):
    code, out, _ = run(capsys, "derive", "1.1.sym.first", "--json")
    data = json.loads(out)
    assert code == 0 and data["result"] == "M**2" and data["order"] == 1
    code, out, _ = run(capsys, "derive", "1.1.second", "--json")
    data = json.loads(out)
    assert data["zero"] and data["tensor_shape"] == ["m", "m", "m"]


BAD_CALLS = [
    (["derive"], 2, "nothing to derive"),
    (["derive", "1.5.first", *Q15], 2, "not both"),
    (["derive", "--expr", "a.T*X.T*X*b", "--shape", "a=m,1", "--shape", "X=n,m", "--shape", "b=n,1",
      "--wrt", "X"], 4, "a.T*X.T*X*b has shapes (1×m)·(n×1)"),
    (["derive", "--expr", "a.T*X", "--shape", "a=m,1", "--shape", "X=m,n", "--wrt", "Y"], 2, "Y is not declared"),
    (["derive", "--expr", "__import__('os')", "--shape", "X=m,n", "--wrt", "X"], 4, "unknown function"),
    (["derive", "--expr", "tr(X)", "--shape", "X=n,n", "--wrt", "X", "--assume", "X is blue"], 2,
     "cannot read the assumption"),
    (["derive", "--expr", "a.T*kron(X, X)*b", "--shape", "X=n,n", "--shape", "a=k,1", "--shape", "b=k,1",
      "--wrt", "X"], 4, "do not compose"),
    (["derive", "no.such.part"], 2, "there is no part"),
    (["derive", "--expr", "tr(X)", "--shape", "X=n,n", "--wrt", "X", "--order", "3"], 2, "invalid choice"),
]


@pytest.mark.parametrize("argv, code, message", BAD_CALLS, ids=[" ".join(a[1:4]) for a, _, _ in BAD_CALLS])
def test_bad_calls_fail_with_a_clear_message(capsys, argv, code, message):
    got, out, err = run(capsys, *argv)
    assert got == code
    assert message in err and out == ""
