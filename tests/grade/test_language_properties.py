"""Properties of the answer language, drawn by hypothesis.

* Round trips: a random well-shaped expression, printed as plain text and as LaTeX by the
  canonical printers and parsed again, has the same shape and the same value at random inputs.
* Random text, and random mutations of valid answers, into both parsers never raise anything
  but a SymcheckError; what they accept evaluates and prints without error.
"""

import numpy as np
from hypothesis import given, strategies as st

from symcheck.errors import SymcheckError
from symcheck.grade._language import parse_answer

SYMBOLS = {"A": ("n", "n"), "B": ("n", "n"), "C": ("n", "m"), "D": ("m", "n"), "E": ("m", "m"),
           "u": ("n", 1), "v": ("m", 1), "s": (), "t": (), "W_o": ("m", "n"), "Yhat": ("n", "m"),
           "lambda": ()}
SIZES = {"n": 3, "m": 2}
DIMS = ("n", "m", "1")
BATCH = 4

# Leaves of each shape (rows, cols), written in plain text.
_LEAVES = {
    ("n", "n"): ["A", "B", "Identity(n)", "A.T"], ("m", "m"): ["E", "Identity(m)", "E'"],
    ("n", "m"): ["C", "D.T", "Yhat", "W_o.T", "OneMatrix(n, m)"], ("m", "n"): ["D", "C.T", "W_o"],
    ("n", "1"): ["u", "OneMatrix(n, 1)"], ("m", "1"): ["v"], ("1", "n"): ["u.T"], ("1", "m"): ["v^T"],
    ("1", "1"): ["u.T*u", "v.T*v"],
}
_SCALAR_LEAVES = ["s", "t", "lambda", "λ", "2", "0.5", "3e-1", "n", "m", "pi", "e"]


@st.composite
def matrix(draw, rows, cols, depth):
    """Plain text of a random rows×cols matrix expression."""
    if depth <= 0:
        return draw(st.sampled_from(_LEAVES.get((rows, cols), ["OneMatrix(%s, %s)" % (rows, cols)])))
    kind = draw(st.sampled_from(["leaf", "add", "sub", "scale", "matmul", "hadamard", "transpose",
                                 "neg", "function", "square", "divide", "one_minus"]))
    sub = depth - 1
    if kind == "add":
        return f"{draw(matrix(rows, cols, sub))} + {draw(matrix(rows, cols, sub))}"
    if kind == "sub":
        return f"{draw(matrix(rows, cols, sub))} - ({draw(matrix(rows, cols, sub))})"
    if kind == "scale":
        return f"({draw(scalar(sub))})*({draw(matrix(rows, cols, sub))})"
    if kind == "matmul":
        inner = draw(st.sampled_from(DIMS))
        return f"({draw(matrix(rows, inner, sub))})*({draw(matrix(inner, cols, sub))})"
    if kind == "hadamard":
        return f"hadamard({draw(matrix(rows, cols, sub))}, {draw(matrix(rows, cols, sub))})"
    if kind == "one_minus":
        return f"({draw(matrix(rows, cols, sub))}) ∘ (1 - {draw(matrix(rows, cols, sub))})"
    if kind == "transpose":
        return f"({draw(matrix(cols, rows, sub))}).T"
    if kind == "neg":
        return f"-({draw(matrix(rows, cols, sub))})"
    if kind == "function":
        name = draw(st.sampled_from(["sigmoid", "tanh", "σ"]))
        return f"{name}({draw(matrix(rows, cols, sub))})"
    if kind == "divide":
        return f"({draw(matrix(rows, cols, sub))})/(2 + ({draw(scalar(sub))})^2)"
    if kind == "square" and rows == cols:
        body = draw(matrix(rows, draw(st.sampled_from(DIMS)), sub))
        choice = draw(st.sampled_from(["inv", "pow", "I"]))
        if choice == "inv":   # I + B Bᵀ is well conditioned: every eigenvalue is at least 1
            return f"(Identity({rows}) + ({body})*({body}).T)^-1" if rows != "1" else f"({body})*({body}).T"
        if choice == "pow":
            return f"({draw(matrix(rows, rows, sub))})^2"
        return f"({draw(matrix(rows, rows, sub))}) + lambda*I" if rows != "1" else draw(matrix(rows, cols, sub))
    return draw(matrix(rows, cols, 0))


@st.composite
def scalar(draw, depth):
    """Plain text of a random scalar expression."""
    if depth <= 0:
        return draw(st.sampled_from(_SCALAR_LEAVES))
    kind = draw(st.sampled_from(["leaf", "add", "mul", "trace", "function", "power", "one_by_one",
                                 "norm", "frac"]))
    sub = depth - 1
    if kind == "add":
        return f"{draw(scalar(sub))} - {draw(scalar(sub))}"
    if kind == "mul":
        return f"({draw(scalar(sub))})*({draw(scalar(sub))})"
    if kind == "trace":
        side = draw(st.sampled_from(DIMS))
        return f"tr({draw(matrix(side, side, sub))})"
    if kind == "function":
        name = draw(st.sampled_from(["tanh", "sigmoid", "exp"]))
        inner = draw(scalar(sub))
        return f"{name}(tanh({inner}))" if name == "exp" else f"{name}({inner})"
    if kind == "power":
        exponent = draw(st.sampled_from(["2", "3", "-2", "(-1)", "0.5"]))
        return f"(2 + tanh({draw(scalar(sub))}))^{exponent}"     # a positive base
    if kind == "one_by_one":
        side = draw(st.sampled_from(DIMS))
        return f"({draw(matrix('1', side, sub))})*({draw(matrix(side, '1', sub))}) + 1"
    if kind == "norm":
        return f"norm({draw(matrix(draw(st.sampled_from(DIMS)), draw(st.sampled_from(DIMS)), sub))})"
    if kind == "frac":
        return f"({draw(scalar(sub))})/(1 + ({draw(scalar(sub))})^2)"
    return draw(scalar(0))


@st.composite
def expression(draw):
    if draw(st.booleans()):
        return draw(scalar(draw(st.integers(1, 3))))
    rows, cols = draw(st.sampled_from(DIMS)), draw(st.sampled_from(DIMS))
    return draw(matrix(rows, cols, draw(st.integers(1, 3))))


def _values(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    values = {}
    for name, shape in SYMBOLS.items():
        dims = tuple(SIZES.get(d, d) for d in shape)
        values[name] = rng.normal(size=(BATCH, *dims)) if dims else rng.normal(size=BATCH)
    return values


def _close(a, b):
    scale = np.maximum(1.0, np.abs(a))
    return a.shape == b.shape and bool(np.all((np.abs(a - b) <= 1e-9 * scale) | (np.isnan(a) & np.isnan(b))))


@given(expression(), st.integers(0, 2**16))
def test_printed_plain_and_latex_parse_back_to_equal_answers(text, seed):
    answer = parse_answer(text, SYMBOLS)
    values = _values(seed)
    want = answer.evaluate(values, SIZES)
    for printed, syntax in ((answer.plain(), "plain"), (answer.latex(), "latex")):
        again = parse_answer(printed, SYMBOLS, syntax=syntax)
        assert again.shape == answer.shape, (text, printed)
        assert again.names == answer.names, (text, printed)
        assert _close(again.evaluate(values, SIZES), want), (text, printed)
        assert again.plain() == answer.plain(), (text, printed)   # the printers are canonical


_PIECES = ["X", "A", "u", "s", "lambda", "λ", "2", "0.5", "1e3", "+", "-", "*", "/", "^", "**", "@",
           "(", ")", "[", "]", "{", "}", ",", ".T", "'", "ᵀ", "∘", "⊗", "·", "=", "$", " ", "_", "I",
           "ones", "tr(", "inv(", "sum(", "(i, 1, n)", "X[1, 2]", "sigmoid(", "Identity(n)",
           "OneMatrix(n, 1)", "\\frac{", "\\left(", "\\right)", "\\mathbf{", "\\hat{", "^\\top",
           "^{-1}", "\\odot", "\\otimes", "\\cdot", "\\lambda", "\\sigma", "\\|", "\\operatorname{tr}",
           "\\mathbf{1}_", "\\mathbf{I}_", "\\,", "\\", "e", "pi", "n", "m", "0", "Yhat", "W_o", "\x00",
           "\u0425", "\u202e", "é", "\t", "\n", "%", "#", "!", "?", "&", "~", "\\def", "\\input"]


@given(st.lists(st.sampled_from(_PIECES), max_size=25).map("".join), st.sampled_from(["auto", "plain", "latex"]))
def test_random_text_never_raises_anything_but_our_errors(text, syntax):
    _accept_or_refuse(text, syntax)


@given(st.text(max_size=40), st.sampled_from(["auto", "plain", "latex"]))
def test_random_unicode_never_raises_anything_but_our_errors(text, syntax):
    _accept_or_refuse(text, syntax)


@given(expression(), st.data())
def test_mutated_answers_never_raise_anything_but_our_errors(text, data):
    answer = parse_answer(text, SYMBOLS)
    for printed in (answer.plain(), answer.latex()):
        cut = data.draw(st.integers(0, len(printed)))
        insert = data.draw(st.sampled_from(_PIECES))
        drop = data.draw(st.integers(0, 3))
        _accept_or_refuse(printed[:cut] + insert + printed[cut + drop:], "auto")


def _accept_or_refuse(text, syntax):
    try:
        answer = parse_answer(text, SYMBOLS, syntax=syntax)
    except SymcheckError:
        return
    # What is accepted evaluates, prints and reprints.
    try:
        answer.evaluate(_values(0), SIZES)
    except SymcheckError:
        pass
    parse_answer(answer.plain(), SYMBOLS, syntax="plain")
    if "sum" not in answer.plain() and "[" not in answer.plain():
        parse_answer(answer.latex(), SYMBOLS, syntax="latex")
