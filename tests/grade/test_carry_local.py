"""The carry-forward checker's fast local formulas against SymPy's exact evaluation.

``symcheck.grade._carry`` evaluates each node's local formula (and its slopes, for the spread a
value's rounding allows) with mpmath functions generated once per process.  The oracle is
``evaluate_local`` of the 2-2-1 model: exact rational arithmetic in SymPy, then 30 digits.
"""

from __future__ import annotations

import math
import random
from decimal import Decimal

import pytest
import sympy as sp

from symcheck.grade._carry import _local_value, _rounding_spread
from symcheck.grade._numbers import to_decimal
from symcheck.models.net221_symbolic import GRAPH, evaluate_local


def _decimal(rng: random.Random) -> str:
    digits = rng.randint(1, 12)
    return f"{rng.uniform(-2, 2):.{digits}f}"


def _parents(node: str, rng: random.Random) -> dict[str, str]:
    values = {}
    for p in GRAPH[node].parents:
        v = _decimal(rng)
        if p in ("a3", "a4", "a5") and node in ("sigmoid_prime", "tanh_prime"):
            v = f"{rng.uniform(0.01, 0.99):.10f}"
        values[p] = v
    return values


@pytest.mark.parametrize("node", sorted(GRAPH))
def test_local_values_equal_exact_sympy_to_30_digits(node):
    rng = random.Random(node)
    for _ in range(20):
        parents = _parents(node, rng)
        fast = _local_value(node, tuple(parents.items()))
        exact = to_decimal(evaluate_local(node, parents))
        assert fast == exact, (node, parents)


@pytest.mark.parametrize("node", sorted(GRAPH))
def test_rounding_spread_equals_the_exact_slopes(node):
    rng = random.Random("spread " + node)
    formula, parents = GRAPH[node]
    symbols = {str(s): s for s in formula.free_symbols}
    for _ in range(5):
        values = {p: Decimal(v) for p, v in _parents(node, rng).items()}
        halves = {p: Decimal(1).scaleb(-rng.randint(2, 10)) / 2 for p in parents}
        subs = {symbols[p]: sp.Rational(str(values[p])) for p in parents if p in symbols}
        exact = sum((abs(sp.diff(formula, symbols[p]).xreplace(subs)) * sp.Rational(str(halves[p]))
                     for p in parents if p in symbols), sp.Integer(0))
        fast = _rounding_spread(node, values, halves)
        assert abs(fast - to_decimal(sp.N(exact, 40))) <= Decimal("1e-25") * max(abs(fast), Decimal(1))


def test_to_decimal_keeps_all_30_digits_of_a_sympy_float():
    """A 30-digit Float must not pass through a 53-bit mpf (mpmath's default precision)."""
    text = "0.201520000000000000000000000000"
    assert to_decimal(sp.Float(text, 30)) == Decimal(text)
    third = to_decimal(sp.N(sp.Rational(1, 3), 30))
    assert third == Decimal("0." + "3" * 30)
    assert to_decimal(evaluate_local("grad_W24", {"dL_dz4": "0.20152", "x2": "-1"})) == Decimal("-0.20152")


@pytest.mark.parametrize("written, explained", [("1.395", False), ("1.3955", True), ("1.3961", True),
                                                ("1.3966", False)])
def test_rounding_explains_a_value_only_inside_the_intervals(written, explained):
    """3.3: W13 = 1.11, α = 0.1, the student's ∂L/∂W13 written as −2.86.

    −2.86 stands for a true value in [−2.865, −2.855], so W13 − α·g lies in [1.3955, 1.3965]
    (its own local value 1.396 ± 0.0005).  A written value is explained when the interval it
    rounds from ([w − ½ulp, w + ½ulp)) meets that one in more than a point: 1.395 only touches it.
    """
    from symcheck.grade import grade_submission

    result = grade_submission({"3.3.grad.W13": "-2.86", "3.3.new.W13": written})
    (part,) = [p for p in result.parts if p.id == "3.3.new.W13"]
    assert (part.verdict == "correct") == explained, part.feedback


def test_the_local_check_runs_without_sympy():
    """Batch workers check carried-forward values thousands of times and must not pay for
    importing SymPy (half a second each): the local formulas come from the plain table."""
    import subprocess
    import sys

    code = ("import sys\n"
            "from decimal import Decimal\n"
            "from symcheck.grade._carry import _local_value, _rounding_spread\n"
            "v = _local_value('a5', (('W35', '2'), ('W45', '-1'), ('a3', '0.26894'), ('a4', '0.96403')))\n"
            "s = _rounding_spread('a3', {'z3': Decimal('-1')}, {'z3': Decimal('0.005')})\n"
            "print(v, s, 'sympy' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert Decimal(out[0]) == Decimal(2) * Decimal("0.26894") - Decimal("0.96403")
    sigma = 1 / (1 + math.exp(1))   # σ'(−1) = σ(1 − σ), by hand
    assert float(out[1]) == pytest.approx(sigma * (1 - sigma) * 0.005, rel=1e-12)
    assert out[2] == "False"


def test_sympy_graph_is_built_from_the_plain_table():
    from symcheck.models.net221_graph import LOCAL

    assert list(LOCAL) == list(GRAPH)
    for name, local in LOCAL.items():
        assert GRAPH[name].parents == local.parents, name


def _leaves(rng: random.Random) -> dict[str, str]:
    from symcheck.models.net221_graph import LEAVES

    return {leaf: f"{rng.uniform(-3, 3):.{rng.randint(1, 6)}f}" for leaf in LEAVES}


@pytest.mark.parametrize("inputs", ["3.1", "3.3"] + [f"random {k}" for k in range(1, 9)])
def test_network_values_equal_exact_sympy_to_30_digits(inputs):
    """Every node's 30 digits, from the plain formulas in mpmath, against SymPy's exact closed forms
    evaluated to 50 digits and rounded to 30 (SymPy's own 30-digit evalf is not always correctly
    rounded in its last digit: at "random 3" new_W35 is …417185022…, which it gives as …41718)."""
    from symcheck.grade._carry import network_node_values
    from symcheck.models.net221_symbolic import HOMEWORK_INPUTS, evaluate_nodes

    leaves = dict(HOMEWORK_INPUTS[inputs]) if inputs in HOMEWORK_INPUTS else _leaves(random.Random(inputs))
    exact = {name: to_decimal(value) for name, value in evaluate_nodes(leaves, digits=50).items()}
    fast = network_node_values(leaves)
    assert fast == exact
