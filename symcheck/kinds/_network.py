"""The 2-2-1 network of section 3 as a reference model: its quantities, its context, its values.

A part with ``model = "net221"`` names a node of the network's graph as its ``quantity`` and
gives the network's inputs in ``context``: ``x1``, ``x2``, ``target``, ``learning_rate``
(optional, default 0.1) and ``weights`` (``W13 W14 W23 W24 W35 W45``).  Every number must be
finite and within ``LIMITS["context_value"]``.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Callable, Mapping

from symcheck.limits import LIMITS

__all__ = ["NET221", "NET221_QUANTITIES", "network_quantities", "check_network_context", "network_values"]

NET221 = "net221"
_INPUTS = ("x1", "x2", "target")
_WEIGHTS = ("W13", "W14", "W23", "W24", "W35", "W45")


# Every node of the network's graph, in topological order: symcheck.models.net221_symbolic.NODES,
# written out so that a catalogue loads without SymPy (tests/kinds checks that the two agree).
NET221_QUANTITIES = ("z3", "a3", "z4", "a4", "a5", "loss", "dL_da5", "grad_W35", "grad_W45", "dL_da4",
                     "tanh_prime", "dL_dz4", "grad_W14", "grad_W24", "dL_da3", "sigmoid_prime", "dL_dz3",
                     "grad_W13", "grad_W23", "new_W13", "new_W14", "new_W23", "new_W24", "new_W35",
                     "new_W45")


def network_quantities() -> tuple[str, ...]:
    """Return the quantities a part may ask of the network: every node of its graph."""
    return NET221_QUANTITIES


def _number(value, key: str, error) -> None:
    bound = LIMITS["context_value"]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise error(key, f"must be a number, got {type(value).__name__} {value!r}",
                    f"write {key.rsplit('.', 1)[-1]} as a number, e.g. 1.0")
    if isinstance(value, float) and not math.isfinite(value):
        raise error(key, f"{value!r} is not a finite number", "write a finite number")
    if abs(value) > bound.value:
        shown = value if isinstance(value, float) or abs(value) < 10 ** 30 else f"an integer of {len(str(abs(value)))} digits"
        raise error(key, f"{shown} is out of range", f"use a number of absolute value at most "
                    f"{bound.value:g} ({bound.name} in symcheck/limits.py)")


def check_network_context(context: Mapping, error: Callable[[str, str, str], Exception]) -> None:
    """Check that ``context`` gives every input and weight of the network, each a sane number."""
    if not context:
        raise error("context", "is missing, and a net221 question needs the network's inputs",
                    "add context = { x1 = 1.0, x2 = -1.0, target = 1.0, learning_rate = 0.1, "
                    "weights = { W13 = 1, ... } }")
    allowed = set(_INPUTS) | {"learning_rate", "weights"}
    for key in context:
        if key not in allowed:
            raise error(f"context.{key}", "unknown key", f"allowed keys are {', '.join(sorted(allowed))}")
    for key in _INPUTS:
        if key not in context:
            raise error(f"context.{key}", "is missing", f"add {key} = ... to the context")
        _number(context[key], f"context.{key}", error)
    if "learning_rate" in context:
        _number(context["learning_rate"], "context.learning_rate", error)
    weights = context.get("weights")
    if not isinstance(weights, Mapping):
        raise error("context.weights", "is missing" if weights is None else "must be a table",
                    "add weights = { W13 = 1, W14 = -1, W23 = 2, W24 = -3, W35 = 2, W45 = -1 }")
    for name in weights:
        if name not in _WEIGHTS:
            raise error(f"context.weights.{name}", "is not a weight of the network",
                        f"use {', '.join(_WEIGHTS)}")
    for name in _WEIGHTS:
        if name not in weights:
            raise error(f"context.weights.{name}", "is missing", f"give all six weights: {', '.join(_WEIGHTS)}")
        _number(weights[name], f"context.weights.{name}", error)


def _leaves(context: Mapping) -> tuple[tuple[str, str], ...]:
    """The leaves of the network from a part's context, as exact decimal strings."""
    leaves = {"x1": context["x1"], "x2": context["x2"], "target": context["target"],
              "alpha": context.get("learning_rate", 0.1), **context["weights"]}
    return tuple(sorted((name, repr(value)) for name, value in leaves.items()))


def network_values(context: Mapping, *, examples: int = 1):
    """Return ``(exact node values at 30 digits, Proof against the float64 NumPy model)``.

    The proof compares the two at the part's own inputs and at ``examples - 1`` more inputs
    drawn (seeded) around them, so ``--examples`` reaches numeric parts too.
    """
    return _network(_leaves(context), max(int(examples), 1))


_SEED = 20240
_METHOD = "float64 backprop vs 30-digit chain rule"


@lru_cache(maxsize=16)
def _network(inputs: tuple[tuple[str, str], ...], examples: int):
    from symcheck.models.net221_symbolic import evaluate_nodes

    leaves = dict(inputs)
    return evaluate_nodes(leaves, digits=30), _prove(leaves, examples)


@lru_cache(maxsize=1)
def _closed_forms_in_mpmath():
    """The closed form of every node as one mpmath function of the leaves (in LEAVES order)."""
    import mpmath
    import sympy as sp

    from symcheck.models.net221_symbolic import LEAVES, closed_forms

    forms = closed_forms()
    leaves = [sp.Symbol(name, real=True) for name in LEAVES]
    function = sp.lambdify(leaves, list(forms.values()),
                           modules=[{"sigmoid": lambda t: 1 / (1 + mpmath.exp(-t))}, "mpmath"])
    return function, tuple(forms)


def _prove(leaves: Mapping[str, str], examples: int):
    """Compare the float64 model with the 30-digit closed forms at ``examples`` inputs.

    The error of a value is relative to max(|value|, 1), so a node that is nearly zero at a
    drawn input is not held to a relative precision float64 cannot have.
    """
    import mpmath
    import numpy as np

    from symcheck.models import Net221
    from symcheck.models.net221_symbolic import LEAVES
    from symcheck.tolerances import TOLERANCES
    from symcheck.verify import Proof

    function, names = _closed_forms_in_mpmath()
    rtol = TOLERANCES["float64_vs_exact"].rtol
    rng = np.random.default_rng(_SEED)
    points = [dict(leaves)]
    for _ in range(examples - 1):   # inputs and target in [-2, 2], weights in [-3, 3]
        draw = [*rng.uniform(-2, 2, 3), *rng.uniform(-3, 3, 6)]
        points.append({**dict(zip(LEAVES[:9], map(repr, map(float, draw)))), "alpha": leaves["alpha"]})
    worst, failure = 0.0, None
    with mpmath.workdps(30):
        for point in points:
            exact = dict(zip(names, function(*(mpmath.mpf(point[name]) for name in LEAVES))))
            floats = {name: float(point[name]) for name in LEAVES}
            trace = Net221(**{w: floats[w] for w in _WEIGHTS}).iteration(
                floats["x1"], floats["x2"], floats["target"], alpha=floats["alpha"])
            for name, fast in trace.items():
                if name not in exact:
                    continue
                value = float(exact[name])
                error = abs(fast - value) / max(abs(value), 1.0)
                worst = max(worst, error)
                if error > rtol and failure is None:
                    failure = f"{name} at {point}: {fast!r} vs {value!r}"
    return Proof(passed=failure is None, method=_METHOD, max_rel_error=worst, examples=len(points),
                 failure=failure)
