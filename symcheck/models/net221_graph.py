"""The 2-2-1 network of section 3.1 as plain data: each node's local formula over its parents.

No SymPy here.  A formula is a Python function of a namespace ``m`` (which gives ``sigmoid``
and ``tanh``) and of its parents by name, so the one table serves every arithmetic:
:mod:`symcheck.models.net221_symbolic` calls it with SymPy symbols to build its graph (closed
forms, exact evaluation), and the grader's carry-forward check calls it with mpmath numbers at
45 digits, in worker processes that never import SymPy.

>>> import math
>>> class Floats:
...     tanh = staticmethod(math.tanh)
...     sigmoid = staticmethod(lambda t: 1 / (1 + math.exp(-t)))
>>> LOCAL["a5"].parents
('W35', 'W45', 'a3', 'a4')
>>> LOCAL["a5"].formula(Floats, W35=2, a3=0.5, W45=-1, a4=0.25)
0.75
>>> round(LOCAL["a3"].formula(Floats, z3=0.0), 3)
0.5
"""

from __future__ import annotations

import inspect
from types import MappingProxyType
from typing import Callable, Mapping, NamedTuple

__all__ = ["LEAVES", "LOCAL", "Local", "WEIGHTS"]

LEAVES = ("x1", "x2", "target", "W13", "W14", "W23", "W24", "W35", "W45", "alpha")
WEIGHTS = LEAVES[3:9]


class Local(NamedTuple):
    """A node's local formula ``formula(m, **parents)`` and its parents, sorted by name."""

    formula: Callable
    parents: tuple[str, ...]


def _local(formula: Callable) -> Local:
    names = list(inspect.signature(formula).parameters)[1:]   # after the namespace m
    return Local(formula, tuple(sorted(names)))


_FORMULAS: dict[str, Callable] = {
    "z3": lambda m, W13, x1, W23, x2: W13 * x1 + W23 * x2,
    "a3": lambda m, z3: m.sigmoid(z3),
    "z4": lambda m, W14, x1, W24, x2: W14 * x1 + W24 * x2,
    "a4": lambda m, z4: m.tanh(z4),
    "a5": lambda m, W35, a3, W45, a4: W35 * a3 + W45 * a4,
    "loss": lambda m, target, a5: (target - a5) ** 2,
    "dL_da5": lambda m, target, a5: -2 * (target - a5),
    "grad_W35": lambda m, dL_da5, a3: dL_da5 * a3,
    "grad_W45": lambda m, dL_da5, a4: dL_da5 * a4,
    "dL_da4": lambda m, dL_da5, W45: dL_da5 * W45,
    "tanh_prime": lambda m, a4: 1 - a4 ** 2,
    "dL_dz4": lambda m, dL_da4, a4: dL_da4 * (1 - a4 ** 2),
    "grad_W14": lambda m, dL_dz4, x1: dL_dz4 * x1,
    "grad_W24": lambda m, dL_dz4, x2: dL_dz4 * x2,
    "dL_da3": lambda m, dL_da5, W35: dL_da5 * W35,
    "sigmoid_prime": lambda m, a3: a3 * (1 - a3),
    "dL_dz3": lambda m, dL_da3, a3: dL_da3 * a3 * (1 - a3),
    "grad_W13": lambda m, dL_dz3, x1: dL_dz3 * x1,
    "grad_W23": lambda m, dL_dz3, x2: dL_dz3 * x2,
    "new_W13": lambda m, W13, alpha, grad_W13: W13 - alpha * grad_W13,
    "new_W14": lambda m, W14, alpha, grad_W14: W14 - alpha * grad_W14,
    "new_W23": lambda m, W23, alpha, grad_W23: W23 - alpha * grad_W23,
    "new_W24": lambda m, W24, alpha, grad_W24: W24 - alpha * grad_W24,
    "new_W35": lambda m, W35, alpha, grad_W35: W35 - alpha * grad_W35,
    "new_W45": lambda m, W45, alpha, grad_W45: W45 - alpha * grad_W45,
}

#: node -> :class:`Local`, in topological order (every parent is a leaf or an earlier node).
LOCAL: Mapping[str, Local] = MappingProxyType({name: _local(f) for name, f in _FORMULAS.items()})
