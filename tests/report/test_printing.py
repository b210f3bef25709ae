"""The printers the report uses: LaTeX (plain and breakable) reads back as the same function,
signs are read as SymPy reads them, MathML is well-formed presentation MathML."""

from __future__ import annotations

from xml.dom import minidom

import numpy as np
import pytest
import sympy as sp
from sympy.printing.pretty.pretty_symbology import greek_unicode

from symcheck.calculus import derive_part, latex, mathml, text
from symcheck.calculus._printing import _leading_minus
from symcheck.catalogue import load_catalogue
from symcheck.grade import parse_answer

PRESENTATION_TAGS = {"math", "mrow", "mi", "mn", "mo", "msup", "msub", "mfrac", "msqrt",
                     "msubsup", "mfenced", "mtable", "mtr", "mtd", "mtext", "mspace"}


def _results(sections=("1", "2", "3")):
    parts = [p for p in load_catalogue().parts if p.section in sections and p.ask.function
             is not None and p.ask.wrt is not None and p.ask.kind != "closed_form"]
    return [(p, derive_part(p, order=1)) for p in parts if not p.id.startswith("3.4b")]


@pytest.fixture(scope="module")
def results():
    return _results()


def _instance(part, rng):
    sizes = {}
    for shape in part.symbols.values():
        for dim in shape:
            if isinstance(dim, str):
                sizes.setdefault(dim, int(rng.integers(1, 5)))
    values = {}
    for name, shape in part.symbols.items():
        dims = [sizes[d] if isinstance(d, str) else int(d) for d in shape]
        values[name] = rng.normal(size=(3, *dims)) if dims else rng.normal(size=3)
    return values, sizes


def test_latex_reads_back_as_the_same_function(results):
    """The answer language (an independent LaTeX parser) evaluates our LaTeX as our text."""
    rng = np.random.default_rng(0)
    for part, result in results:
        # the plain text has no sigmoid (it writes .applyfunc): there, compare the two LaTeX forms
        plain = text(result.expr)
        reference = (parse_answer(plain, part.symbols, syntax="plain") if "applyfunc" not in plain
                     else parse_answer(latex(result.expr), part.symbols, syntax="latex"))
        values, sizes = _instance(part, rng)
        expected = reference.evaluate(values, sizes)
        for breakable in (False, True):
            tex = latex(result.expr, breakable=breakable).replace(r"\allowbreak", " ")
            got = parse_answer(tex, part.symbols, syntax="latex").evaluate(values, sizes)
            np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12,
                                       err_msg=f"{part.id} breakable={breakable}: {tex}")


def test_breakable_latex_has_no_unbreakable_brackets(results):
    for _, result in results:
        tex = latex(result.expr, breakable=True)
        assert r"\left(" not in tex and r"\right)" not in tex


def test_signs_are_read_as_sympy_reads_them(results):
    checked = 0
    for _, result in results:
        for node in sp.preorder_traversal(result.expr):
            if isinstance(node, sp.MatMul) and len(node.args) <= 4:
                assert _leading_minus(node) == node.could_extract_minus_sign(), node
                checked += 1
    X = sp.MatrixSymbol("X", 2, 2)
    for product in (sp.MatMul(-3, X, X), sp.MatMul(sp.Rational(-1, 2), X),
                    sp.MatMul(2, X), sp.MatMul(X, X)):
        assert _leading_minus(product) == product.could_extract_minus_sign()
    assert checked > 10


def test_mathml_is_well_formed_presentation_mathml(results):
    for part, result in results:
        tree = minidom.parseString(mathml(result.expr))
        tags = {node.tagName for node in tree.getElementsByTagName("*")}
        assert tags <= PRESENTATION_TAGS, (part.id, tags - PRESENTATION_TAGS)
        names = {node.firstChild.data for node in tree.getElementsByTagName("mi")}
        for symbol in result.expr.free_symbols:
            if isinstance(symbol, sp.MatrixSymbol):
                base = symbol.name.split("_")[0]
                assert base in names or greek_unicode.get(base) in names, (part.id, symbol.name)


def test_mathml_writes_cookbook_notation():
    X = sp.MatrixSymbol("X", 3, 3)
    a = sp.MatrixSymbol("a", 3, 1)
    out = mathml(sp.Trace(X.T * X) * sp.HadamardProduct(X, sp.Inverse(X.T)) + a * a.T)
    assert "<mi>tr</mi>" in out and "<mo>∘</mo>" in out and "<mo>−⊤</mo>" in out
    assert "<mo>⊤</mo>" in out and 'display="block"' in out
