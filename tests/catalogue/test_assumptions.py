"""One assumptions grammar: the catalogue loader and the derivation engine accept the same texts."""

import pytest
import sympy as sp

from symcheck.calculus import derive
from symcheck.errors import UsageError
from symcheck.expr import Fact, facts_by_name, parse_assumption, parse_assumptions

SHAPES = {"M": ("n", "n"), "Q": ("n", "n"), "A": ("m", "n"), "x": ("n", 1), "lam": ()}

GOOD = [
    ("M symmetric", Fact("M", "symmetric")),
    ("M  is   symmetric", Fact("M", "symmetric")),
    ("M invertible", Fact("M", "invertible")),
    ("M nonsingular", Fact("M", "invertible")),
    ("M positive definite", Fact("M", "spd")),
    ("M spd", Fact("M", "spd")),
    ("Q orthogonal", Fact("Q", "orthogonal")),
    ("M well-conditioned", Fact("M", "well_conditioned")),
    ("lam > 0", Fact("lam", "> 0")),
    ("lam>=0", Fact("lam", ">= 0")),
    ("lam ≥ 0", Fact("lam", ">= 0")),
    ("lam < 0", Fact("lam", "< 0")),
]

BAD = [
    ("M is blue", "cannot read the assumption 'M is blue'"),
    ("lam < 1", "cannot read the assumption"),
    ("lam <= 0", "cannot read the assumption"),
    ("Z symmetric", "which is not a symbol of the part"),
    ("A symmetric", "A is m×n, so it cannot be symmetric"),
    ("x invertible", "x is n×1, so it cannot be invertible"),
    ("M > 0", "is about a scalar, but M is a n×n matrix"),
    ("lam orthogonal", "is about a matrix, but lam is a scalar"),
]


@pytest.mark.parametrize("text, fact", GOOD, ids=[g[0] for g in GOOD])
def test_every_form_reads_to_its_fact(text, fact):
    assert parse_assumption(text, SHAPES) == fact


@pytest.mark.parametrize("text, message", BAD, ids=[b[0] for b in BAD])
def test_bad_texts_are_refused_with_the_forms_that_exist(text, message):
    with pytest.raises(UsageError, match=message) as info:
        parse_assumption(text, SHAPES)
    assert info.value.fix


def test_implied_properties():
    table = facts_by_name(parse_assumptions(["M spd", "Q orthogonal"]))
    assert table == {"M": {"spd", "symmetric", "invertible"}, "Q": {"orthogonal", "invertible"}}


@pytest.mark.parametrize("text", [g[0] for g in GOOD])
def test_the_engine_accepts_what_the_grammar_accepts(text):
    n = sp.Symbol("n", integer=True, positive=True)
    M, Q, x = (sp.MatrixSymbol("M", n, n), sp.MatrixSymbol("Q", n, n), sp.MatrixSymbol("x", n, 1))
    lam = sp.Symbol("lam")
    f = sp.Trace(lam * x.T * M * Q * x)
    derive(f, x, assumptions=[text])  # raises UsageError if the engine disagrees


@pytest.mark.parametrize("text, message", BAD, ids=[b[0] for b in BAD])
def test_the_engine_refuses_what_the_grammar_refuses(text, message):
    n = sp.Symbol("n", integer=True, positive=True)
    m = sp.Symbol("m", integer=True, positive=True)
    M, Q, A, x = (sp.MatrixSymbol("M", n, n), sp.MatrixSymbol("Q", n, n), sp.MatrixSymbol("A", m, n),
                  sp.MatrixSymbol("x", n, 1))
    lam = sp.Symbol("lam")
    f = sp.Trace(lam * x.T * M * Q * x) + sp.Trace(A * M * A.T)
    with pytest.raises(UsageError):
        derive(f, x, assumptions=[text])


def _instance_symbols():
    from symcheck.expr import symbols_from_shapes

    ns = symbols_from_shapes(SHAPES)
    return ns, [ns["lam"] * ns["x"].T * ns["M"] * ns["Q"] * ns["x"], ns["A"] * ns["M"] * ns["A"].T]


@pytest.mark.parametrize("text", [g[0] for g in GOOD])
def test_the_instance_generator_accepts_what_the_grammar_accepts(text):
    from symcheck.verify import instances

    _, exprs = _instance_symbols()
    instances(exprs, assumptions=(text,))   # reads the assumptions now; raises if it disagrees


def test_an_orthogonal_matrix_is_drawn_orthogonal():
    import numpy as np
    from hypothesis import HealthCheck, given, settings

    from symcheck.verify import instances

    _, exprs = _instance_symbols()

    @settings(max_examples=5, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(instances(exprs, assumptions=("Q orthogonal", "lam < 0")))
    def check(instance):
        q = instance["Q"]
        np.testing.assert_allclose(q.T @ q, np.eye(q.shape[0]), atol=1e-12)
        assert instance["lam"] < 0

    check()


@pytest.mark.parametrize("text, message", BAD, ids=[b[0] for b in BAD])
def test_the_instance_generator_refuses_what_the_grammar_refuses(text, message):
    from symcheck.verify import instances

    _, exprs = _instance_symbols()
    with pytest.raises(UsageError):
        instances(exprs, assumptions=(text,))


@pytest.mark.parametrize("text", ["Q orthogonal", "lam < 0"])
def test_the_catalogue_accepts_the_texts_issue_8_found_disputed(tmp_path, text):
    from symcheck.catalogue import load_file

    path = tmp_path / "ok.toml"
    path.write_text(f'''[section]
number = "9"
title = "T"
points = 1

[[parts]]
id = "9.1.a"
title = "t"
statement = "s"
symbols = {{ Q = ["n", "n"], x = ["n", 1], lam = [] }}
assumptions = ["{text}"]
ask = {{ kind = "derivative", function = "lam*x.T*Q*x", wrt = "x" }}
grading = {{ rule = "symbolic", points = 1 }}
''', encoding="utf-8")
    (part,) = load_file(path).parts
    assert part.problem.assumptions == (parse_assumption(text),)
