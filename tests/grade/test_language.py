"""The answer language reads every form of issue 10 item 1, each checked against NumPy.

Each answer is parsed, evaluated by the batched evaluator, and compared with the same maths
computed here instance by instance with plain 2-D NumPy (an independent path: no parse, no
batching, ``np.linalg.solve`` where the answer says inverse).
"""

import mpmath
import numpy as np
import pytest
import sympy as sp

from symcheck.errors import AnswerError, SymcheckError
from symcheck.expr import symbols_from_shapes
from symcheck.grade._language import Answer, Dim, parse_answer, parse_definitions

SYMBOLS = {"X": ("n", "p"), "y": ("n", 1), "beta": ("p", 1), "lambda": (), "M": ("p", "p"),
           "a": ("n", 1), "b": ("p", 1), "H": ("N", "k"), "Y": ("N", "k"), "Yhat": ("N", "k"),
           "H1": ("N", "k"), "W_o": ("k", "k"), "W_h2": ("k", "k")}
SIZES = {"n": 4, "p": 3, "N": 5, "k": 2}
BATCH = 3


def _draw(seed=0):
    rng = np.random.default_rng(seed)
    values = {}
    for name, shape in SYMBOLS.items():
        dims = tuple(SIZES[d] if isinstance(d, str) else d for d in shape)
        values[name] = rng.uniform(0.5, 2.0, size=BATCH) if not dims else rng.normal(size=(BATCH, *dims))
    values["H"] = 1 / (1 + np.exp(-values["H"]))          # H is a sigmoid output, in (0, 1)
    return values


def _oracle(fn, values):
    """Stack fn(instance) over the batch; an instance is a dict of 2-D arrays and floats."""
    return np.stack([np.asarray(fn({k: v[i] for k, v in values.items()}), dtype=float)
                     for i in range(BATCH)])


def _ridge(d):
    return np.linalg.solve(d["X"].T @ d["X"] + d["lambda"] * np.eye(SIZES["p"]), d["X"].T @ d["y"])


def _dual_ridge(d):
    return d["X"].T @ np.linalg.solve(d["X"] @ d["X"].T + d["lambda"] * np.eye(SIZES["n"]), d["y"])


def _grad_wo(d):
    return 2 / SIZES["N"] * d["H"].T @ (d["Yhat"] - d["Y"])


def _sigma_prime(d):
    return d["H"] * (1 - d["H"])


def _xtx(d):
    return d["X"].T @ d["X"]


def _lambda_beta(d):
    return d["lambda"] * d["beta"]


FORMS = [
    # plain: everything symcheck.expr reads, plus what students type
    ("X.T*X", _xtx), ("X^T*X", _xtx), ("X'*X", _xtx), ("X.T@X", _xtx), ("transpose(X)*X", _xtx),
    ("Xᵀ*X", _xtx), ("X.T * X", _xtx),
    ("(X.T*X + lambda*I)^-1*X.T*y", _ridge), ("(X.T*X + lambda*I)^(-1)*X.T*y", _ridge),
    ("(X.T*X + λ*I)**-1*X.T*y", _ridge), ("inv(X.T*X + lambda*Identity(p))*X.T*y", _ridge),
    ("(X.T*X + lambda*I).I*X.T*y", _ridge), ("(X.T@X + lambda*I)⁻¹@X.T@y", _ridge),
    ("X.T*(X*X.T + lambda*I)^-1*y", _dual_ridge), ("X.T*(X*X.T + λ*I)^-1*y", _dual_ridge),
    ("2X.T*y", lambda d: 2 * d["X"].T @ d["y"]), ("2 X.T*y", lambda d: 2 * d["X"].T @ d["y"]),
    ("2(X.T*y)", lambda d: 2 * d["X"].T @ d["y"]), ("0.5X.T*y", lambda d: 0.5 * d["X"].T @ d["y"]),
    ("λ*β", _lambda_beta), ("lambda*beta", _lambda_beta), ("β*λ", _lambda_beta),
    ("H ∘ (1 - H)", _sigma_prime), ("hadamard(H, 1 - H)", _sigma_prime), ("H⊙(1-H)", _sigma_prime),
    ("hadamard(H, OneMatrix(N, k) - H)", _sigma_prime), ("H ∘ (ones(N, k) - H)", _sigma_prime),
    ("H ∘ (ones - H)", _sigma_prime),
    ("(2/N)*H.T*(Yhat - Y)", _grad_wo), ("2/N*H.T*(Yhat - Y)", _grad_wo),
    ("-(2/N)*H.T*(Y - Yhat)", _grad_wo),
    ("kron(M, Identity(2))", lambda d: np.kron(d["M"], np.eye(2))),
    ("M ⊗ Identity(2)", lambda d: np.kron(d["M"], np.eye(2))),
    ("M ⊗ b", lambda d: np.kron(d["M"], d["b"])),
    ("OneMatrix(1, N)*Y", lambda d: d["Y"].sum(axis=0, keepdims=True)),
    ("ones(N, 1).T*Y", lambda d: d["Y"].sum(axis=0, keepdims=True)),
    ("ZeroMatrix(p, 1) + b", lambda d: d["b"]),
    ("tr(M)", lambda d: np.trace(d["M"])), ("trace(M.T*M)", lambda d: np.sum(d["M"] ** 2)),
    ("det(M)", lambda d: np.linalg.det(d["M"])), ("M^3", lambda d: d["M"] @ d["M"] @ d["M"]),
    ("M**2 - 3*M", lambda d: d["M"] @ d["M"] - 3 * d["M"]),
    ("M^-2", lambda d: np.linalg.inv(d["M"] @ d["M"])),
    ("log(det(M*M.T))", lambda d: np.log(np.linalg.det(d["M"] @ d["M"].T))),
    ("exp(lambda) + sqrt(lambda) - ln(lambda)", lambda d: np.exp(d["lambda"]) + np.sqrt(d["lambda"]) - np.log(d["lambda"])),
    ("tanh(X)", lambda d: np.tanh(d["X"])), ("sigmoid(X)", lambda d: 1 / (1 + np.exp(-d["X"]))),
    ("σ(X)", lambda d: 1 / (1 + np.exp(-d["X"]))), ("abs(X)", lambda d: np.abs(d["X"])),
    ("norm(X)^2", lambda d: np.sum(d["X"] ** 2)),
    ("diag(b)*M", lambda d: np.diag(d["b"][:, 0]) @ d["M"]),
    ("hadamard_power(X, 2)", lambda d: d["X"] ** 2),
    ("a.T*X*b", lambda d: d["a"].T @ d["X"] @ d["b"]),
    ("a.T*a*X", lambda d: (d["a"].T @ d["a"]).item() * d["X"]),
    ("log(a.T*a + 10)", lambda d: np.log((d["a"].T @ d["a"]).item() + 10)),
    ("sum(X[i, j]*a[i]*b[j], (i, 1, n), (j, 1, p))", lambda d: d["a"].T @ d["X"] @ d["b"]),
    ("X[2, 3] + y[1]", lambda d: d["X"][1, 2] + d["y"][0, 0]),
    ("1/(1+exp(1))", lambda d: 1 / (1 + np.e)), ("tanh(2)", lambda d: np.tanh(2.0)),
    ("sigmoid(-1)", lambda d: 1 / (1 + np.e)), ("e^2 + pi", lambda d: np.e ** 2 + np.pi),
    ("-0.42614473734", lambda d: -0.42614473734), ("2.7e-3", lambda d: 2.7e-3),
    ("= 2*X", lambda d: 2 * d["X"]),
    # LaTeX, as students write it
    (r"\mathbf{X}^\top \mathbf{X}", _xtx), (r"X^{T} X", _xtx), (r"X^{\top} X", _xtx),
    (r"X^{\mathsf{T}} X", _xtx), (r"X' X", _xtx), (r"X^\intercal X", _xtx), (r"\mathbf{X}^T\mathbf{X}", _xtx),
    (r"\left( \mathbf{X}^\top \mathbf{X} + \lambda \mathbf{I} \right)^{-1} \mathbf{X}^\top \mathbf{y}", _ridge),
    (r"(\mathbf{X}^\top\mathbf{X} + \lambda\mathbf{I}_p)^{-1}\mathbf{X}^\top\mathbf{y}", _ridge),
    (r"\mathbf{X}^\top \left(\mathbf{X}\mathbf{X}^\top + \lambda \mathbf{I}\right)^{-1} \mathbf{y}", _dual_ridge),
    (r"\frac{2}{N} \mathbf{H}^\top (\hat{Y} - Y)", _grad_wo),
    (r"\frac{2}{N}\, \mathbf{H}^\top \left(\hat{\mathbf{Y}} - \mathbf{Y}\right)", _grad_wo),
    (r"-\frac{2}{N} H^\top (Y - \hat{Y})", _grad_wo),
    (r"$\frac{2}{N} H^{\top}(\hat{Y}-Y)$", _grad_wo),
    (r"\mathbf{H}_1 \mathbf{W}_o", lambda d: d["H1"] @ d["W_o"]),
    (r"\mathbf{H}_{1}\mathbf{W}_{h_2}", lambda d: d["H1"] @ d["W_h2"]),
    (r"\mathbf{I}_n + \mathbf{a}\mathbf{a}^\top", lambda d: np.eye(SIZES["n"]) + d["a"] @ d["a"].T),
    (r"\mathbf{1}_N^\top \mathbf{Y}", lambda d: d["Y"].sum(axis=0, keepdims=True)),
    (r"\mathbf{1}^\top \mathbf{Y}", lambda d: d["Y"].sum(axis=0, keepdims=True)),
    (r"\mathbf{1}_{N \times k} \odot \mathbf{Y}", lambda d: d["Y"]),
    (r"H \odot (1 - H)", _sigma_prime), (r"H \circ (1 - H)", _sigma_prime),
    (r"\mathbf{H} \odot \left(1 - \mathbf{H}\right)", _sigma_prime),
    (r"M \otimes \mathbf{I}_2", lambda d: np.kron(d["M"], np.eye(2))),
    (r"\operatorname{tr}(M)", lambda d: np.trace(d["M"])), (r"\mathrm{tr}(M)", lambda d: np.trace(d["M"])),
    (r"\text{tr}\left(\mathbf{M}\right)", lambda d: np.trace(d["M"])),
    (r"\operatorname{tr}(M)^2", lambda d: np.trace(d["M"]) ** 2),
    (r"\det\left(\mathbf{M}\right)", lambda d: np.linalg.det(d["M"])),
    (r"\sigma(\mathbf{X})", lambda d: 1 / (1 + np.exp(-d["X"]))),
    (r"\sigma(X) \odot (1 - \sigma(X))", lambda d: (s := 1 / (1 + np.exp(-d["X"]))) * (1 - s)),
    (r"\lambda \boldsymbol{\beta}", _lambda_beta), (r"\lambda\boldsymbol\beta", _lambda_beta),
    (r"2\mathbf{X}\mathbf{b}\mathbf{a}^\top", lambda d: 2 * d["X"] @ d["b"] @ d["a"].T),
    (r"2 \cdot \mathbf{X} \cdot \mathbf{b} \cdot \mathbf{a}^\top", lambda d: 2 * d["X"] @ d["b"] @ d["a"].T),
    (r"\exp(\lambda) \sqrt{\lambda}", lambda d: np.exp(d["lambda"]) * np.sqrt(d["lambda"])),
    (r"\|X\|_F^2", lambda d: np.sum(d["X"] ** 2)), (r"\left\| X \right\|_F", lambda d: np.sqrt(np.sum(d["X"] ** 2))),
    (r"\lVert X \rVert^2", lambda d: np.sum(d["X"] ** 2)),
    (r"\frac{1}{1+e^{-1}}", lambda d: 1 / (1 + np.exp(-1.0))), (r"\tanh(2)", lambda d: np.tanh(2.0)),
    (r"X^\top y \cdot 2", lambda d: 2 * d["X"].T @ d["y"]),
    (r"\frac12 \mathbf{X}^\top \mathbf{y}", lambda d: 0.5 * d["X"].T @ d["y"]),
    (r"\dfrac{1}{N} \mathbf{1}^\top Y", lambda d: d["Y"].sum(axis=0, keepdims=True) / SIZES["N"]),
    # a / b C with b a scalar and C a matrix is (a/b)·C (dividing by a matrix means nothing);
    # a juxtaposed scalar divisor stays whole: 1/N\lambda is 1/(Nλ)
    (r"2/N (\hat{Y} - Y)", lambda d: 2 / SIZES["N"] * (d["Yhat"] - d["Y"])),
    (r"2/N H^\top (\hat{Y} - Y)", _grad_wo),
    (r"1/\lambda X^\top y", lambda d: d["X"].T @ d["y"] / d["lambda"]),
    (r"1/N\lambda", lambda d: 1 / (SIZES["N"] * d["lambda"])),
    (r"X^\top y / N \lambda", lambda d: d["X"].T @ d["y"] / (SIZES["N"] * d["lambda"])),
    ("X^T X", _xtx), ("2 X^T y", lambda d: 2 * d["X"].T @ d["y"]),      # plain juxtaposition reads as LaTeX
    ("X'X", _xtx), ("(X'X + lambda I)^(-1) X'y", _ridge),              # a bracketed superscript, as typed
    (r"(X^\top X + \lambda I)^(-1) X^\top y", _ridge), (r"e^(-1)", lambda d: np.exp(-1.0)),
    (r"\mathbf{X}^(T) \mathbf{X}", _xtx),
    (r"1 - \tanh^2(2)", lambda d: 1 - np.tanh(2.0) ** 2), (r"\tanh^{3}(\lambda)", lambda d: np.tanh(d["lambda"]) ** 3),
    (r"\sigma^2(\lambda) + 1", lambda d: 1 / (1 + np.exp(-d["lambda"])) ** 2 + 1),
    (r"\mathbf{H} \odot (\mathbf{1} - \mathbf{H})", _sigma_prime), (r"(\mathbf{1}-H) \circ H", _sigma_prime),
    (r"\mathbf{1} \odot \mathbf{Y}", lambda d: d["Y"]),
    # the homework's σ′ = σ(1 − σ) and tanh′ = 1 − tanh², elementwise
    (r"\sigma'(\lambda)", lambda d: (s := 1 / (1 + np.exp(-d["lambda"]))) * (1 - s)),
    (r"\sigma'(\mathbf{X})", lambda d: (s := 1 / (1 + np.exp(-d["X"]))) * (1 - s)),
    (r"\tanh'(X) \odot X", lambda d: (1 - np.tanh(d["X"]) ** 2) * d["X"]),
    (r"\sigma'(\lambda)^2", lambda d: ((s := 1 / (1 + np.exp(-d["lambda"]))) * (1 - s)) ** 2),
    ("sigmoid'(X)", lambda d: (s := 1 / (1 + np.exp(-d["X"]))) * (1 - s)),
    ("2*σ′(lambda)", lambda d: 2 * (s := 1 / (1 + np.exp(-d["lambda"]))) * (1 - s)),
    ("hadamard(tanh'(X), X)", lambda d: (1 - np.tanh(d["X"]) ** 2) * d["X"]),
]


@pytest.mark.parametrize("text, oracle", FORMS, ids=[f[0] for f in FORMS])
def test_every_form_evaluates_to_the_same_maths(text, oracle):
    values = _draw()
    answer = parse_answer(text, SYMBOLS)
    got = answer.evaluate(values, SIZES)
    want = _oracle(oracle, values)
    want = want.reshape((BATCH,) + tuple(d.value(SIZES) for d in answer.shape))
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("text, shape", [
    ("(X.T*X + lambda*I)^-1", ("p", "p")), ("X.T*(X*X.T + lambda*I)^-1*y", ("p", "1")),
    ("X*X.T + lambda*I", ("n", "n")), ("I*X", ("n", "p")), ("X*I", ("n", "p")),
    ("ones(1, N)*Y", ("1", "k")), ("H.T*ones", ("k", "?")) and ("H.T*ones(N, 1)", ("k", "1")),
    ("M ⊗ Identity(n)", ("n*p", "n*p")), ("tr(M)", ()), ("a.T*a", ("1", "1")),
])
def test_shapes_come_from_context(text, shape):
    assert tuple(str(d) for d in parse_answer(text, SYMBOLS).shape) == shape


def test_definitions_are_names_of_their_shape():
    symbols = {"X": ("N", "m"), "W_h": ("m", "n"), "b_h": ("n", 1), "W_o": ("n", "k"), "b_o": ("k", 1),
               "Y": ("N", "k")}
    definitions = [("H", "sigmoid(X*W_h + OneMatrix(N, 1)*b_h.T)"), ("Yhat", "H*W_o + OneMatrix(N, 1)*b_o.T")]
    parsed = parse_definitions(definitions, symbols)
    assert [str(d) for d in parsed["Yhat"].shape] == ["N", "k"]
    answer = parse_answer(r"\frac{2}{N}\mathbf{X}^\top\left((\hat{Y} - Y)W_o^\top \odot H \odot (1 - H)\right)",
                          symbols, definitions=definitions)
    assert answer.names == {"X", "Yhat", "Y", "W_o", "H"}
    assert [str(d) for d in answer.shape] == ["m", "n"]
    rng = np.random.default_rng(3)
    sizes = {"N": 5, "m": 3, "n": 4, "k": 2}
    values = {name: rng.normal(size=(2, *(sizes.get(d, d) for d in shape))) for name, shape in symbols.items()}
    values["H"] = parsed["H"].evaluate(values, sizes)
    values["Yhat"] = parsed["Yhat"].evaluate(values, sizes)
    got = answer.evaluate(values, sizes)
    for i in range(2):
        H = 1 / (1 + np.exp(-(values["X"][i] @ values["W_h"][i] + values["b_h"][i].T)))
        Yhat = H @ values["W_o"][i] + values["b_o"][i].T
        want = 2 / 5 * values["X"][i].T @ (((Yhat - values["Y"][i]) @ values["W_o"][i].T) * H * (1 - H))
        np.testing.assert_allclose(got[i], want, rtol=1e-12)


def test_every_catalogue_formula_parses_or_is_refused_for_its_shapes():
    from symcheck.catalogue import load_catalogue
    refused = set()
    for part in load_catalogue().parts:
        symbols = part.symbols or {}
        definitions = parse_definitions(part.ask.definitions or (), symbols)
        texts = [part.ask.function] + ([part.key.answer] if part.key and part.key.answer else [])
        for text in filter(None, texts):
            try:
                parse_answer(text, symbols, definitions=definitions, where=part.id)
            except AnswerError as exc:
                assert exc.code == "SHAPE", (part.id, text, exc)
                refused.add(part.id)
    # The key's ill-composed answers (∂MSE/∂Ŷ·W_o without the transpose) are refused, nothing else.
    assert refused and all(pid.startswith("3.4") for pid in refused)


def test_dims_are_hashable_comparable_and_evaluate():
    n, m = Dim.of("n"), Dim.of("m")
    assert str(n * m) == "m*n" and str(Dim.of(1)) == "1" and (n * m).value({"n": 2, "m": 3}) == 6
    assert len({n, Dim.of("n"), m}) == 2 and n != m


def test_complex_values_give_complex_results():
    values = {k: v.astype(complex) for k, v in _draw().items()}
    values["X"] = values["X"] + 1e-20j
    got = parse_answer("tr(X.T*X)", SYMBOLS).evaluate(values, SIZES)
    assert got.dtype == complex
    np.testing.assert_allclose(got.imag, 2e-20 * values["X"].real.sum(axis=(1, 2)), rtol=1e-10)


def test_a_singular_instance_gives_nan_only_for_itself():
    values = _draw()
    values["M"][1] = 0.0
    got = parse_answer("inv(M)", SYMBOLS).evaluate(values, SIZES)
    assert np.isnan(got[1]).all() and np.isfinite(got[[0, 2]]).all()


@pytest.mark.parametrize("text, digits, oracle", [
    ("1/(1+exp(1))", 30, lambda: 1 / (1 + mpmath.e)),
    ("tanh(2)", 30, lambda: mpmath.tanh(2)),
    ("sigmoid(-1)", 25, lambda: 1 / (1 + mpmath.exp(1))),
    (r"\frac{e^{4} - 1}{e^{4} + 1}", 30, lambda: mpmath.tanh(2)),
    # decimal arithmetic, exactly: 1 - 0.999212971² = 0.001573438585353159
    ("1 - 0.999212971**2", 30, lambda: mpmath.mpf(1573438585353159) / 10**18),
])
def test_exact_values_have_30_digits(text, digits, oracle):
    value = parse_answer(text, {}).exact(digits)
    with mpmath.workdps(digits + 20):
        assert abs(value - oracle()) <= abs(oracle()) * mpmath.mpf(10) ** (1 - digits)


@pytest.mark.parametrize("text, code", [
    ("sqrt(-1)", "UNSUPPORTED"), ("log(0)", "UNSUPPORTED"), ("0^-1", "UNSUPPORTED"),
    ("Identity(2)", "SHAPE"), ("tr(Identity(3))", "UNSUPPORTED"),
])
def test_exact_refuses_what_is_not_a_finite_real_number(text, code):
    with pytest.raises(AnswerError) as info:
        parse_answer(text, {}).exact()
    assert info.value.code == code


def test_exact_refuses_runaway_values():
    with pytest.raises(AnswerError) as info:
        parse_answer("exp(exp(exp(1000)))", {}).exact()
    assert info.value.code == "TOO_LARGE"


def test_number_literal_is_the_text_of_a_lone_number():
    assert parse_answer("-0.42614473734", {}).number_literal == "-0.42614473734"
    assert parse_answer("2.7e-3", {}).number_literal == "2.7e-3"
    assert parse_answer("1/2", {}).number_literal is None


def test_to_sympy_builds_the_same_expression():
    ns = symbols_from_shapes(SYMBOLS)
    expr = parse_answer(r"\left(X^\top X + \lambda I\right)^{-1} X^\top y", SYMBOLS).to_sympy(ns)
    X, y, lam = ns["X"], ns["y"], ns["lambda"]
    want = sp.Inverse(X.T * X + lam * sp.Identity(ns["p"])) * X.T * y
    assert expr == want


def test_evaluate_needs_every_value():
    with pytest.raises(SymcheckError, match="no value for 'X'"):
        parse_answer("X", SYMBOLS).evaluate({}, SIZES)


def test_answers_are_cached_and_immutable_in_use():
    first = parse_answer("X.T*X", SYMBOLS)
    assert parse_answer("X.T*X", SYMBOLS) is first and isinstance(first, Answer)
    values = _draw()
    out = first.evaluate(values, SIZES)
    out[...] = 0
    assert np.abs(first.evaluate(values, SIZES)).sum() > 0


def test_answers_pickle_for_worker_processes():
    import pickle
    answer = parse_answer(r"\frac{2}{N} H^\top (\hat{Y} - Y)", SYMBOLS)
    values = _draw()
    want = answer.evaluate(values, SIZES)
    again = pickle.loads(pickle.dumps(answer))
    np.testing.assert_array_equal(again.evaluate(values, SIZES), want)
    assert again.shape == answer.shape and again.names == answer.names


# Texts the previous expression language (symcheck.expr.parse) reads, from tests/expr and the catalogue.
OLD_LANGUAGE = [
    "a.T*X.T*X*b", "a^T*X^T*X*b", "X*(a*b.T + b*a.T)", "tr(M*M.T)", "inv(M)*a", "M**-1*a", "M.I*a",
    "M**2 - 3*M", "det(M)", "hadamard(a, b)", "kron(a, b.T)", "diag(a)*b", "exp(X)", "sigmoid(X)",
    "log(a.T*b + 10)", "norm(X)**2", "lambda*a.T*a + λ", "sum(X[i, j]*a[j]*c[i], (i, 1, n), (j, 1, m))",
    "Trace(M) + Determinant(M)", "HadamardProduct(a, b)", "HadamardPower(a, 2)", "KroneckerProduct(a, b)",
    "Transpose(X)*c", "Inverse(M)", "DiagMatrix(a)", "OneMatrix(n, m) + X", "ZeroMatrix(n, m) + X",
    "Identity(m)*a", "abs(X) + Abs(X)", "ln(a.T*a) + sqrt(a.T*a) + tanh(a.T*a)", "e**2 + pi",
    "(1.0 - (-0.42615))**2", "-1.12158829557*-1", "(e**4 - 1)/(e**4 + 1)", "0.1 + 0.2", "2*X", "X@a",
    "(X.T*X)**2", "a/2",
]


def test_the_previous_language_is_read_with_the_same_values():
    symbols = {"X": ("n", "m"), "a": ("m", 1), "b": ("m", 1), "c": ("n", 1), "M": ("m", "m"), "lambda": ()}
    ns = symbols_from_shapes(symbols)
    sizes = {"m": 3, "n": 2}
    rng = np.random.default_rng(7)
    values = {"X": rng.normal(size=(1, 2, 3)), "a": rng.normal(size=(1, 3, 1)), "b": rng.normal(size=(1, 3, 1)),
              "c": rng.normal(size=(1, 2, 1)), "M": rng.normal(size=(1, 3, 3)) + 3 * np.eye(3),
              "lambda": np.array([0.7])}
    from symcheck.expr import parse as old_parse
    for text in OLD_LANGUAGE:
        old = old_parse(text, ns)
        concrete = old.subs({ns["m"]: 3, ns["n"]: 2, ns["lambda"]: sp.Rational(7, 10)})
        for name in ("X", "a", "b", "c", "M"):
            concrete = concrete.subs(ns[name].subs({ns["m"]: 3, ns["n"]: 2}), sp.Matrix(values[name][0]))
        concrete = concrete.doit()
        if isinstance(concrete, sp.MatrixExpr):
            concrete = concrete.as_explicit()
        want = np.array(sp.N(concrete), dtype=float)
        got = parse_answer(text, symbols, syntax="plain").evaluate(values, sizes)[0]
        np.testing.assert_allclose(got.reshape(want.shape), want, rtol=1e-10, err_msg=text)


@pytest.mark.parametrize("text, expected, want", [
    ("2*I", ("n*n", "n*n"), lambda: 2 * np.eye(16)),
    (r"2\mathbf{I}", ("n*n", "n*n"), lambda: 2 * np.eye(16)),
    (r"\mathbf{0}", ("p", "n"), lambda: np.zeros((3, 4))),
    ("2*Identity(n^2)", None, lambda: 2 * np.eye(16)),
    ("2*Identity(n**2)", None, lambda: 2 * np.eye(16)),
    (r"2\mathbf{I}_{n^2}", None, lambda: 2 * np.eye(16)),
    ("M + I", ("n", "n"), lambda: None),          # a known shape is never changed by the hint
])
def test_the_expected_shape_sizes_only_what_the_answer_leaves_open(text, expected, want):
    answer = parse_answer(text, SYMBOLS, shape=expected)
    if want() is None:
        assert [str(d) for d in answer.shape] == ["p", "p"]
        return
    np.testing.assert_array_equal(answer.evaluate(_draw(), SIZES)[0], want())


def test_without_the_expected_shape_an_unsized_identity_is_refused():
    with pytest.raises(AnswerError, match="cannot tell the size of I") as info:
        parse_answer("2*I", SYMBOLS)
    assert info.value.code == "SHAPE" and info.value.column == 3


def test_aliases_name_a_symbol_as_the_homework_does():
    text = r"\frac{2}{N}\hat{\mathbf{h}}^\top(\hat{\mathbf{Y}} - \mathbf{Y})"
    with pytest.raises(AnswerError, match="unknown symbol 'h'"):
        parse_answer(text, SYMBOLS)
    answer = parse_answer(text, SYMBOLS, aliases={"hhat": "H"})
    assert answer.names == {"H", "Yhat", "Y"}
    values = _draw()
    np.testing.assert_allclose(answer.evaluate(values, SIZES), _oracle(_grad_wo, values), rtol=1e-12)


@pytest.mark.parametrize("text, literal", [(r"\mathbf{1.89}", "1.89"), (r"\mathbf{-0.42614473734}", "-0.42614473734"),
                                           (r"\boldsymbol{2.5}", "2.5")])
def test_a_bold_number_is_the_number(text, literal):
    answer = parse_answer(text, {})
    assert answer.number_literal == literal and answer.shape == ()


def test_a_defined_identity_is_still_sized_by_context():
    definitions = [("I", "Identity(p)")]
    dual = parse_answer("X.T*(X*X.T + lambda*I)^-1*y", SYMBOLS, definitions=definitions)
    primal = parse_answer("(X.T*X + lambda*I)^-1*X.T*y", SYMBOLS, definitions=definitions)
    values = _draw()
    assert "I" not in dual.names and "I" not in primal.names
    np.testing.assert_allclose(dual.evaluate(values, SIZES), _oracle(_dual_ridge, values), rtol=1e-10)
    np.testing.assert_allclose(primal.evaluate(values, SIZES), _oracle(_ridge, values), rtol=1e-10)
