"""The plain answer reader is held to lark's LALR parser of the same grammar.

``parse_plain`` reads plain answers with a hand-written LL(1) reader (``_Reader``) for speed;
``parse_plain_reference`` runs lark's own LALR parser, built from the grammar text, with the same
callbacks.  They must give the same tree, with the same spans, for every text, and refuse the same
texts with the same message at the same position: lark is the independent oracle here.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from symcheck.grade._lang_plain import parse_plain, parse_plain_reference
from symcheck.grade._lang_tree import LangFail

# Fragments of plain answers, right and wrong: every terminal of the grammar, spaces, and a few
# characters no terminal matches.  Joined at random they make text of every kind: most of it
# wrong, much of it right, and the edges (a number before a bracket, a prime before a bracket).
FRAGMENTS = ["X", "y", "ab", "H1", "I", "λ", "β", "σ", "2", "10", "1.5", ".5", "3e-3", "1_000",
             "(", ")", "[", "]", ",", "+", "-", "−", "*", "/", "@", "·", "×", "∘", "⊙", "⊗",
             "^", "**", "'", "′", ".T", ".I", "ᵀ", "⁻¹", "=", " ", "  ", "\n",
             "sigmoid'", "tanh′", "exp", "ones", "f'", "$", "#", "!", "&"]


def outcome(parse, text):
    """The tree as nested (op, value, start, end, args), or the refusal's fields."""
    try:
        tree = parse(text)
    except LangFail as fail:
        return ("refused", fail.code, fail.what, fail.pos, fail.fix)

    def walk(node):
        return (node.op, node.value, node.start, node.end, tuple(walk(a) for a in node.args))
    return walk(tree)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=14))
def test_reader_agrees_with_lark_on_generated_text(fragments):
    text = "".join(fragments)
    assert outcome(parse_plain, text) == outcome(parse_plain_reference, text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="Xy2.(),+-*^'T[] e", min_size=1, max_size=20))
def test_reader_agrees_with_lark_on_random_characters(text):
    assert outcome(parse_plain, text) == outcome(parse_plain_reference, text)


@pytest.mark.parametrize("text", [
    "X.T*(X*X.T + λ*I)^-1*y", "2X.T*y", "2 (a + b)", "-(2/N)*(Y - Yhat).T*H", "f(a, b)[1, 2]",
    "(a, b, c)", "sigmoid'(z) ∘ W", "X'(a + b)", "= 2*X", "X^-1^2", "a b", "2 $", "a $ b",
    "(", "f(", "X[1", "1 +", "sigmoid'(a, b)", "exp'(z)",
])
def test_reader_agrees_with_lark_on_known_forms(text):
    ours, lark = outcome(parse_plain, text), outcome(parse_plain_reference, text)
    assert ours == lark
    # and the forms mean something: a tree or a refusal with a position
    assert ours[0] != "refused" or ours[3] is not None
