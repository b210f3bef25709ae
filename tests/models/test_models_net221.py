"""The 2-2-1 network of section 3.1 against independent oracles.

Oracles: a direct mpmath computation at 50 digits (written out here, not shared with the
code under test), SymPy's own differentiation of the loss, and central differences.
The homework key is NOT an oracle: it contains mistakes (e.g. 3.3's a3 and loss).
"""

import math

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, strategies as st

from models_finite_differences import central_gradient
from symcheck.errors import UsageError
from symcheck.models import WEIGHT_NAMES, Net221
from symcheck.models import net221_symbolic as graph

INPUTS = {
    "3.1": dict(x=("1", "-1"), target="1", W=("1", "-1", "2", "-3", "2", "-1")),
    "3.3": dict(x=("2", "-2"), target="2", W=("1.11", "-1.02", "1.88", "-2.98", "2.08", "-0.73")),
}


def mpmath_truth(x, target, W, alpha="0.1"):
    """Every value of one iteration, computed by hand with mpmath at 50 digits."""
    with mpmath.workdps(50):
        x1, x2, t, a = (mpmath.mpf(v) for v in (*x, target, alpha))
        W13, W14, W23, W24, W35, W45 = (mpmath.mpf(v) for v in W)
        a3 = 1 / (1 + mpmath.exp(-(W13 * x1 + W23 * x2)))
        a4 = mpmath.tanh(W14 * x1 + W24 * x2)
        a5 = W35 * a3 + W45 * a4
        e = a5 - t
        # L = e², so ∂L/∂W35 = 2e·a3, ∂L/∂W13 = 2e·W35·a3(1−a3)·x1, ∂L/∂W14 = 2e·W45·(1−a4²)·x1
        grads = {"W35": 2 * e * a3, "W45": 2 * e * a4,
                 "W13": 2 * e * W35 * a3 * (1 - a3) * x1, "W23": 2 * e * W35 * a3 * (1 - a3) * x2,
                 "W14": 2 * e * W45 * (1 - a4 ** 2) * x1, "W24": 2 * e * W45 * (1 - a4 ** 2) * x2}
        old = dict(zip(WEIGHT_NAMES, (W13, W14, W23, W24, W35, W45)))
        truth = {"a3": a3, "a4": a4, "a5": a5, "loss": e ** 2, "dL_da5": 2 * e,
                 "dL_da4": 2 * e * W45, "dL_dz4": 2 * e * W45 * (1 - a4 ** 2),
                 "dL_da3": 2 * e * W35, "dL_dz3": 2 * e * W35 * a3 * (1 - a3)}
        truth.update({f"grad_{w}": g for w, g in grads.items()})
        truth.update({f"new_{w}": old[w] - a * grads[w] for w in WEIGHT_NAMES})
        return truth


@pytest.mark.parametrize("section", ["3.1", "3.3"])
def test_numpy_network_reproduces_every_true_value_to_full_precision(section):
    case = INPUTS[section]
    net = Net221(*(float(w) for w in case["W"]))
    trace = net.iteration(*(float(v) for v in case["x"]), float(case["target"]), alpha=0.1)
    for name, want in mpmath_truth(case["x"], case["target"], case["W"]).items():
        assert trace[name] == pytest.approx(float(want), rel=4e-15, abs=1e-16), name


@pytest.mark.parametrize("section", ["3.1", "3.3"])
def test_symbolic_nodes_agree_with_mpmath_to_25_digits(section):
    case = INPUTS[section]
    values = graph.evaluate_nodes(graph.HOMEWORK_INPUTS[section], digits=30)
    for name, want in mpmath_truth(case["x"], case["target"], case["W"]).items():
        with mpmath.workdps(50):
            assert abs(mpmath.mpf(str(values[name])) - want) <= mpmath.mpf("1e-25") * (1 + abs(want)), name


def test_closed_form_gradients_equal_sympy_differentiation_of_the_loss():
    forms = graph.closed_forms()
    symbols = {str(s): s for s in forms["loss"].free_symbols}
    for w in WEIGHT_NAMES:
        difference = sp.diff(forms["loss"], symbols[w]) - forms[f"grad_{w}"]
        point = {s: sp.Rational(v) for s, v in zip(sorted(difference.free_symbols, key=str),
                                                    ["0.3", "-1.2", "0.7", "2.1", "-0.4", "1.5", "0.9", "-0.8", "0.25"])}
        assert abs(sp.N(difference.xreplace(point), 40)) < 1e-35, w


@given(weights=st.lists(st.floats(-3, 3), min_size=6, max_size=6),
       x=st.tuples(st.floats(-2, 2), st.floats(-2, 2)), target=st.floats(-2, 2))
def test_backward_equals_central_differences_of_the_loss(weights, x, target):
    def loss(w):
        net = Net221(*w)
        net.forward(*x)
        return net.loss(target)

    net = Net221(*weights)
    net.forward(*x)
    grads = net.backward(target)
    want = central_gradient(loss, np.array(weights))
    got = np.array([grads[w] for w in WEIGHT_NAMES])
    np.testing.assert_allclose(got, want, rtol=1e-7, atol=1e-8)


@given(weights=st.lists(st.floats(-3, 3), min_size=6, max_size=6),
       x=st.tuples(st.floats(-2, 2), st.floats(-2, 2)), target=st.floats(-2, 2))
def test_lambdified_closed_forms_equal_the_numpy_network(weights, x, target):
    leaves = [sp.Symbol(name, real=True) for name in graph.LEAVES]
    funcs = _lambdified(tuple(leaves))
    values = dict(zip(graph.LEAVES, (*x, target, *weights, 0.1)))
    trace = Net221(*weights).iteration(*x, target, alpha=0.1)
    for name, f in funcs.items():
        assert f(*values.values()) == pytest.approx(trace[name], rel=1e-12, abs=1e-12), name


_cache = {}


def _lambdified(leaves):
    if not _cache:
        _cache.update({name: sp.lambdify(leaves, form, "numpy")
                       for name, form in graph.closed_forms().items()})
    return _cache


def test_local_formulas_at_true_parents_reproduce_the_closed_forms():
    values = graph.evaluate_nodes(graph.HOMEWORK_INPUTS["3.3"], digits=40)
    leaves = dict(graph.HOMEWORK_INPUTS["3.3"])
    for name, node in graph.GRAPH.items():
        parents = {p: leaves[p] if p in leaves else values[p] for p in node.parents}
        assert abs(graph.evaluate_local(name, parents, digits=40) - values[name]) < 1e-30, name


def test_local_formula_tells_a_root_error_from_a_carried_one():
    # The key's 3.1 ∂L/∂tanh: 2.8522894747·(1 − 0.96402758008²); recomputed in plain floats.
    key_parents = {"dL_da4": "2.8522894747", "a4": "0.96402758008"}
    want = 2.8522894747 * (1 - 0.96402758008 ** 2)
    assert float(graph.evaluate_local("dL_dz4", key_parents)) == pytest.approx(want, rel=1e-12)
    # The key's 3.3 a3 = 0.1776535274 is a root error: σ(−1.54) from its own z3 is 0.17653…
    a3_from_key_z3 = float(graph.evaluate_local("a3", {"z3": "-1.54"}))
    assert a3_from_key_z3 == pytest.approx(1 / (1 + math.exp(1.54)), rel=1e-15)
    assert abs(a3_from_key_z3 - 0.1776535274) > 1e-3


def test_catalogue_ids_map_to_nodes():
    assert graph.node_for_id("3.1.a5") == ("3.1", "a5")
    assert graph.node_for_id("3.1.grad.W13") == ("3.1", "grad_W13")
    assert graph.node_for_id("3.3.new.W45") == ("3.3", "new_W45")
    assert graph.node_for_id("3.1.dtanh") == ("3.1", "dL_dz4")
    assert graph.node_for_id("3.1.dsigmoid") == ("3.1", "dL_dz3")
    assert set(graph.CATALOGUE_NODES.values()) <= set(graph.NODES)


def test_graph_parents_are_nodes_or_leaves():
    seen = set(graph.LEAVES)
    for name, node in graph.GRAPH.items():
        assert set(node.parents) <= seen, name
        seen.add(name)


@pytest.mark.parametrize("call, fragment", [
    (lambda: graph.node_for_id("3.1.nope"), "part_id='3.1.nope'"),
    (lambda: graph.node_for_id("2.1.a3"), "part_id='2.1.a3'"),
    (lambda: graph.evaluate_local("a9", {}), "node='a9'"),
    (lambda: graph.evaluate_local("a5", {"W35": 1}), "needs"),
    (lambda: graph.evaluate_local("z3", {"W13": "1+1", "x1": 1, "W23": 1, "x2": 1}), "W13='1+1'"),
    (lambda: graph.evaluate_nodes({"x1": 1}), "no value for"),
    (lambda: Net221(1, 1, 1, 1, 1, 1).backward(1.0), "no forward pass"),
])
def test_bad_calls_raise_usage_errors(call, fragment):
    with pytest.raises(UsageError) as info:
        call()
    assert fragment in str(info.value)
