"""The expression language: correct SymPy out, clear errors, and nothing ever executed."""

import numpy as np
import pytest
import sympy as sp

from symcheck.errors import ParseError, ShapeError
from symcheck.expr import Limits, parse, sigmoid, symbols_from_shapes


@pytest.fixture
def ns():
    return symbols_from_shapes({"X": ("n", "m"), "a": ("m", 1), "b": ("m", 1), "c": ("n", 1),
                                "M": ("m", "m"), "lambda": ()})


def _evaluate(expr, ns, values, sizes):
    """Evaluate a SymPy matrix expression at concrete NumPy values (an independent path)."""
    subs = {ns[d]: v for d, v in sizes.items()}
    concrete = expr.subs(subs)
    for name, value in values.items():
        concrete = concrete.subs(ns[name].subs(subs), sp.Matrix(value))
    return np.array(sp.N(concrete.doit()), dtype=float)


@pytest.mark.parametrize("text, numpy_value", [
    ("a.T*X.T*X*b", lambda v: v["a"].T @ v["X"].T @ v["X"] @ v["b"]),
    ("a^T*X^T*X*b", lambda v: v["a"].T @ v["X"].T @ v["X"] @ v["b"]),
    ("X*(a*b.T + b*a.T)", lambda v: v["X"] @ (v["a"] @ v["b"].T + v["b"] @ v["a"].T)),
    ("tr(M*M.T)", lambda v: np.trace(v["M"] @ v["M"].T)),
    ("inv(M)*a", lambda v: np.linalg.solve(v["M"], v["a"])),
    ("M**-1*a", lambda v: np.linalg.solve(v["M"], v["a"])),
    ("M.I*a", lambda v: np.linalg.solve(v["M"], v["a"])),
    ("M**2 - 3*M", lambda v: v["M"] @ v["M"] - 3 * v["M"]),
    ("det(M)", lambda v: np.linalg.det(v["M"])),
    ("hadamard(a, b)", lambda v: v["a"] * v["b"]),
    ("kron(a, b.T)", lambda v: np.kron(v["a"], v["b"].T)),
    ("diag(a)*b", lambda v: np.diag(v["a"][:, 0]) @ v["b"]),
    ("exp(X)", lambda v: np.exp(v["X"])),
    ("sigmoid(X)", lambda v: 1 / (1 + np.exp(-v["X"]))),
    ("log(a.T*b + 10)", lambda v: np.log(v["a"].T @ v["b"] + 10)),
    ("norm(X)**2", lambda v: np.sum(v["X"] ** 2)),
    ("lambda*a.T*a + λ", lambda v: 0.7 * v["a"].T @ v["a"] + 0.7),
    ("sum(X[i, j]*a[j]*c[i], (i, 1, n), (j, 1, m))", lambda v: v["c"].T @ v["X"] @ v["a"]),
])
def test_parse_matches_numpy(ns, text, numpy_value):
    rng = np.random.default_rng(0)
    sizes = {"m": 3, "n": 2}
    values = {"X": rng.normal(size=(2, 3)), "a": rng.normal(size=(3, 1)),
              "b": rng.normal(size=(3, 1)), "c": rng.normal(size=(2, 1)),
              "M": rng.normal(size=(3, 3)) + 3 * np.eye(3)}
    expr = parse(text, ns).subs(ns["lambda"], sp.Rational(7, 10))
    got = _evaluate(expr, ns, values, sizes)
    want = np.asarray(numpy_value(values), dtype=float)
    np.testing.assert_allclose(got.reshape(want.shape), want, rtol=1e-12, atol=1e-12)


def test_numbers_are_exact():
    assert parse("0.1 + 0.2", {}) == sp.Rational(3, 10)
    assert parse("1 - 0.999212971**2", {}) == 1 - sp.Rational(999212971, 10**9) ** 2


@pytest.mark.parametrize("text, error, fragment", [
    ("a*b", ShapeError, "a*b has shapes (m×1)·(m×1), which do not compose; did you mean a*b.T?"),
    ("a.T*X*b", ShapeError, "did you mean a.T*X.T?"),
    ("X + M", ShapeError, "adds shapes (n×m) and (m×m)"),
    ("X + 1", ShapeError, "adds a scalar to a (n×m) matrix"),
    ("tr(X)", ShapeError, "the trace needs a square matrix"),
    ("X**2", ShapeError, "a matrix power needs a square matrix"),
    ("M**0.5", ShapeError, "matrix powers must be integers"),
    ("a / X", ShapeError, "multiply by inv(...)"),
    ("Xx*a", ParseError, "unknown name `Xx`; did you mean X?"),
    ("foo(X)", ParseError, "unknown function `foo`"),
    ("__import__('os').system('echo pwned')", ParseError, "cannot be called"),
    ("(lambda: 1)()", ParseError, "not a well-formed expression"),
    ("x^2", ParseError, "unknown name `x`"),
    ("X.__class__", ParseError, "`.__class__` is not allowed"),
    ("open('/etc/passwd')", ParseError, "unknown function `open`"),
    ("[x for x in ()]", ParseError, "ListComp, which is not part"),
    ("'text'", ParseError, "is not a number or a name"),
    ("a.T*X.T*X*b +", ParseError, "not a well-formed expression"),
    ("", ParseError, "the expression is empty"),
    ("tr(M, M)", ParseError, "tr takes 1 argument(s), got 2"),
    ("M**1000", ParseError, "has the exponent 1000 (the limit power_exponent = 64)"),
    ("1" * 100, ParseError, "has 100 digits (the limit number_digits = 60)"),
    ("(" * 100 + "a" + ")" * 100, ParseError, "brackets nest 100 deep"),
    ("+".join(["a"] * 3000), ParseError, "more than 5000 parts"),
])
def test_errors_say_what_and_where(ns, text, error, fragment):
    with pytest.raises(error) as info:
        parse(text, ns)
    assert fragment in str(info.value)
    assert str(info.value).startswith("expression")  # says where


def test_errors_name_the_column(ns):
    with pytest.raises(ShapeError, match="column 5"):
        parse("2 + a*b", ns)


def test_limits_are_configurable(ns):
    with pytest.raises(ParseError, match="more than the limit answer_length = 5"):
        parse("a.T*b + 1", ns, limits=Limits(max_length=5))


def test_sigmoid_is_the_logistic_function():
    t = sp.Symbol("t")
    assert sp.simplify(sigmoid(t).rewrite(sp.exp) - 1 / (1 + sp.exp(-t))) == 0
    assert sp.simplify(sigmoid(t).diff(t) - sp.diff(1 / (1 + sp.exp(-t)), t).rewrite(sigmoid)) == 0 or \
        abs(float((sigmoid(t).diff(t) - sp.diff(1 / (1 + sp.exp(-t)), t)).subs(t, 0.3).evalf())) < 1e-15


@pytest.mark.parametrize("text, fragment", [
    ("X[3, 1]", "`X[3, 1]` is outside the (2×2) matrix"),
    ("X[0, 1]", "is outside the (2×2) matrix"),
    ("(x.T*x)**x", "has a (2×1) matrix as its exponent"),
    ("x.T*x/0", "divides by zero"),
])
def test_bad_values_are_parse_errors_not_crashes(text, fragment):
    ns = symbols_from_shapes({"X": (2, 2), "x": (2, 1)})
    with pytest.raises((ParseError, ShapeError)) as info:
        parse(text, ns)
    assert fragment in str(info.value)


def test_columns_and_names_refer_to_the_text_as_written(ns):
    with pytest.raises(ShapeError) as info:
        parse("tr(M)^2 + lambda*a*b", ns)     # ^ is read as **, lambda as a stand-in
    message = str(info.value)
    assert "at column 11" in message and "lambda*a*b has shapes" in message
    assert "_lmbda" not in message
