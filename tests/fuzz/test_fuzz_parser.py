"""Fuzz the expression parser: whatever the text, only symcheck's own errors come out.

Two sources of text: arbitrary Unicode (mostly not expressions at all), and expression-shaped
text built from the language's own pieces, hostile ones included (huge literals, nested powers,
zero matrices, look-alike letters, sums), so that the fuzzer reaches the builder and the work
budget rather than only the syntax check.  The default run draws a few hundred examples; the
``slow`` run 10,000 of each.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import symcheck
from symcheck.errors import SymcheckError

NAMESPACE = symcheck.symbols_from_shapes({"X": ("n", "n"), "a": ("n", 1), "b": ("m", 1),
                                          "M": ("m", "n"), "lam": ()})

ATOMS = ["X", "a", "b", "M", "lam", "n", "m", "e", "pi", "0", "1", "2", "0.5", "1e-3", "64",
         "1e300", "1e9999999999", "9**64", "Identity(n)", "ZeroMatrix(n, n)", "OneMatrix(n, 1)",
         "X - X", "а", "𝑋", "Ｘ", "i", "q", "1_0", "0x1F", "²", "#", "\udcff", "λ"]
UNARY = ["tr", "det", "inv", "exp", "log", "sqrt", "tanh", "sigmoid", "abs", "diag", "norm",
         "transpose", "Inverse", "Identity", "hadamard_power", "kron", "hadamard", "unknown"]


def _combine(children):
    pair = st.tuples(children, children)
    return st.one_of(
        st.builds(lambda t: f"({t[0]} + {t[1]})", pair),
        st.builds(lambda t: f"{t[0]}*{t[1]}", pair),
        st.builds(lambda t: f"{t[0]}/{t[1]}", pair),
        st.builds(lambda t, k: f"({t[0]})**{k}", pair, st.sampled_from(["2", "-1", "64", "0.5",
                                                                          "1e3", "n", "X"])),
        st.builds(lambda t: f"{t[0]}.T", pair),
        st.builds(lambda f, t: f"{f}({t[0]})", st.sampled_from(UNARY), pair),
        st.builds(lambda f, t: f"{f}({t[0]}, {t[1]})", st.sampled_from(UNARY), pair),
        st.builds(lambda t, i: f"{t[0]}[{i}, 1]", pair, st.sampled_from(["1", "n", "n+1", "0",
                                                                         "1/2", "X", "i"])),
        st.builds(lambda t, hi: f"sum({t[0]}, (i, 1, {hi}))", pair,
                  st.sampled_from(["n", "3", "10**12", "X", "n*m", "lam"])),
    )


EXPRESSIONS = st.recursive(st.sampled_from(ATOMS), _combine, max_leaves=12)
ANY_TEXT = st.text(max_size=80)


def _parse_or_refuse(text: str) -> None:
    try:
        symcheck.parse(text, NAMESPACE, where="fuzz")
    except SymcheckError as error:
        assert error.what and error.exit_code == 4, error


@settings(max_examples=300)
@given(EXPRESSIONS)
def test_expression_shaped_text_parses_or_raises_a_symcheck_error(text):
    _parse_or_refuse(text)


@settings(max_examples=300)
@given(ANY_TEXT)
def test_arbitrary_text_parses_or_raises_a_symcheck_error(text):
    _parse_or_refuse(text)


@pytest.mark.slow
@settings(max_examples=10_000)
@given(st.one_of(EXPRESSIONS, ANY_TEXT))
def test_ten_thousand_texts_never_escape(text):
    _parse_or_refuse(text)
