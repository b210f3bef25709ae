"""The 2-2-1 network of section 3.1 as a SymPy graph: local formulas and closed forms.

Each node has a LOCAL formula over its parents (``a5 = W35·a3 + W45·a4``,
``dL_dz4 = dL_da4·(1 − a4²)``) and a CLOSED form in the leaves (the inputs x1, x2, the target,
the six weights and the learning rate α).  A grader evaluates a node's local formula at a
student's (or the key's) own parent values to tell a root error from one carried forward.

Leaves: ``x1 x2 target W13 W14 W23 W24 W35 W45 alpha``.
Nodes, in topological order: ``z3 a3 z4 a4 a5 loss dL_da5 grad_W35 grad_W45 dL_da4
tanh_prime dL_dz4 grad_W14 grad_W24 dL_da3 sigmoid_prime dL_dz3 grad_W13 grad_W23
new_W13 … new_W45``.  Catalogue ids map to nodes through :data:`CATALOGUE_NODES`
(``"3.1.dtanh"`` is ∂L/∂z4, ``"3.1.dsigmoid"`` is ∂L/∂z3).

>>> values = evaluate_nodes(HOMEWORK_INPUTS["3.1"])
>>> values["a5"]
-0.426144737335826...
>>> evaluate_local("a5", {"W35": 2, "a3": "0.26894", "W45": -1, "a4": "0.96403"})
-0.42615...
"""

from __future__ import annotations

from functools import lru_cache
from types import MappingProxyType
from typing import Mapping, NamedTuple

import sympy as sp

from symcheck.errors import UsageError
from symcheck.expr import sigmoid
from symcheck.models.net221_graph import LEAVES
from symcheck.models.net221_graph import LOCAL as _LOCAL

__all__ = ["LEAVES", "GRAPH", "NODES", "CATALOGUE_NODES", "HOMEWORK_INPUTS", "Node",
           "closed_forms", "closed_form", "evaluate_nodes", "evaluate_local", "node_for_id"]

_s = {name: sp.Symbol(name, real=True) for name in LEAVES + tuple(_LOCAL)}


class Node(NamedTuple):
    """One node of the graph: its local formula over the symbols of its parents."""

    formula: sp.Expr
    parents: tuple[str, ...]


def _node(formula: sp.Expr) -> Node:
    parents = tuple(sorted(str(sym) for sym in formula.free_symbols))
    return Node(formula, parents)


class _SymPyMath:
    """The namespace the plain formulas of net221_graph call: SymPy's functions."""

    sigmoid = sigmoid
    tanh = sp.tanh


def _build_graph() -> dict[str, Node]:
    # The formulas are written once, in net221_graph, as plain functions of their parents.
    return {name: _node(local.formula(_SymPyMath, **{p: _s[p] for p in local.parents}))
            for name, local in _LOCAL.items()}


GRAPH: Mapping[str, Node] = MappingProxyType(_build_graph())
NODES = tuple(GRAPH)

# catalogue id suffix (after "3.1." or "3.3.") -> node name
CATALOGUE_NODES: Mapping[str, str] = MappingProxyType({
    "z3": "z3", "a3": "a3", "z4": "z4", "a4": "a4", "a5": "a5", "loss": "loss",
    "dL_da5": "dL_da5", "dL_da4": "dL_da4", "tanh_prime": "tanh_prime", "dtanh": "dL_dz4",
    "dL_dz4": "dL_dz4", "dL_da3": "dL_da3", "sigmoid_prime": "sigmoid_prime",
    "dsigmoid": "dL_dz3", "dL_dz3": "dL_dz3",
    **{f"grad.{w}": f"grad_{w}" for w in LEAVES[3:9]},
    **{f"new.{w}": f"new_{w}" for w in LEAVES[3:9]},
})

# The homework's inputs, as exact decimals (3.3 starts from the 2-decimal table of 3.1).
HOMEWORK_INPUTS: Mapping[str, Mapping[str, str]] = MappingProxyType({
    "3.1": MappingProxyType({"x1": "1", "x2": "-1", "target": "1", "W13": "1", "W14": "-1",
                             "W23": "2", "W24": "-3", "W35": "2", "W45": "-1",
                             "alpha": "0.1"}),
    "3.3": MappingProxyType({"x1": "2", "x2": "-2", "target": "2", "W13": "1.11",
                             "W14": "-1.02", "W23": "1.88", "W24": "-2.98", "W35": "2.08",
                             "W45": "-0.73", "alpha": "0.1"}),
})


def node_for_id(part_id: str) -> tuple[str, str]:
    """Return ``(section, node)`` for a catalogue id such as ``"3.1.grad.W13"``.

    >>> node_for_id("3.3.dtanh")
    ('3.3', 'dL_dz4')
    """
    section, _, suffix = part_id[:3], part_id[3], part_id[4:]
    if section not in HOMEWORK_INPUTS or suffix not in CATALOGUE_NODES:
        raise UsageError(f"part_id={part_id!r} is not a node of the 2-2-1 network",
                         where="node_for_id",
                         fix=f"use 3.1.<node> or 3.3.<node> with <node> one of "
                             f"{', '.join(CATALOGUE_NODES)}")
    return section, CATALOGUE_NODES[suffix]


@lru_cache(maxsize=None)
def closed_forms() -> Mapping[str, sp.Expr]:
    """Return every node as a closed form in the leaves, by substituting parents in order.

    >>> closed_forms()["a5"]
    W35*sigmoid(W13*x1 + W23*x2) + W45*tanh(W14*x1 + W24*x2)
    """
    forms: dict[str, sp.Expr] = {}
    for name, node in GRAPH.items():
        forms[name] = node.formula.xreplace({_s[p]: forms[p] for p in node.parents if p in forms})
    return MappingProxyType(forms)


def closed_form(node: str) -> sp.Expr:
    """Return the closed form of one node (see :data:`NODES`)."""
    _check_node(node)
    return closed_forms()[node]


def _exact(value, name: str) -> sp.Expr:
    """Turn a number or its decimal text into an exact SymPy number (never sympify)."""
    if isinstance(value, sp.Expr) and value.is_number:
        return value
    if isinstance(value, bool):
        raise UsageError(f"{name}={value!r} is not a number", where="net221")
    if isinstance(value, int):
        return sp.Integer(value)
    text = repr(value) if isinstance(value, float) else str(value).strip()
    try:
        float(text)  # validates the text as a plain decimal number
        return sp.Rational(text)
    except (TypeError, ValueError):
        raise UsageError(f"{name}={value!r} is not a number", where="net221",
                         fix="give a decimal such as 0.26894 or -1") from None


def _check_node(node: str) -> None:
    if node not in GRAPH:
        raise UsageError(f"node={node!r} is not in the 2-2-1 graph", where="net221",
                         fix=f"use one of {', '.join(NODES)}")


def evaluate_nodes(inputs: Mapping[str, object], *, digits: int = 30) -> dict[str, sp.Float]:
    """Evaluate every node's closed form at ``inputs`` to ``digits`` significant digits.

    Args:
        inputs: a value for each leaf (``x1 x2 target W13 … W45 alpha``); decimals given as
            text or float are taken exactly (``"1.11"`` is 111/100, a float by its repr).
        digits: working precision (default 30).

    Returns:
        ``node -> sympy.Float``, in topological order.

    >>> round(float(evaluate_nodes(HOMEWORK_INPUTS["3.3"])["new_W45"]), 8)
    -0.25792541
    """
    missing = [leaf for leaf in LEAVES if leaf not in inputs]
    if missing:
        raise UsageError(f"no value for {', '.join(missing)}", where="evaluate_nodes",
                         fix=f"give every leaf: {', '.join(LEAVES)}")
    subs = {_s[leaf]: _exact(inputs[leaf], leaf) for leaf in LEAVES}
    return {name: sp.N(form.xreplace(subs), digits) for name, form in closed_forms().items()}


def evaluate_local(node: str, parent_values: Mapping[str, object], *, digits: int = 30
                   ) -> sp.Float:
    """Evaluate ``node``'s local formula at GIVEN parent values (e.g. a key's rounded ones).

    Args:
        node: a node name (see :data:`NODES`).
        parent_values: a value for each of ``GRAPH[node].parents``.
        digits: working precision (default 30).

    >>> evaluate_local("dL_dz4", {"dL_da4": "2.8522894747", "a4": "0.96402758008"})
    0.2015166040...
    """
    _check_node(node)
    formula, parents = GRAPH[node]
    missing = [p for p in parents if p not in parent_values]
    if missing:
        raise UsageError(f"node {node} needs {', '.join(missing)}", where="evaluate_local",
                         fix=f"give every parent: {', '.join(parents)}")
    subs = {_s[p]: _exact(parent_values[p], p) for p in parents}
    return sp.N(formula.xreplace(subs), digits)
