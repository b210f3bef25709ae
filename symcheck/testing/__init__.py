"""Hypothesis strategies and derivative assertions for your own tests.

Also a pytest plugin (entry point ``pytest11``): it adds ``--symcheck-examples`` and the
``symcheck`` marker.  The names below load on first use, so the plugin costs nothing when
unused.

>>> import numpy as np
>>> from symcheck.testing import assert_gradient
>>> a, b = np.array([[1.0], [2.0]]), np.array([[0.5], [-1.0], [3.0]])
>>> assert_gradient(lambda X: (a.T @ X @ b).item(), lambda X: a @ b.T, np.ones((2, 3)))  # HW 1.4
"""

from __future__ import annotations

import importlib

__all__ = [
    "Instance",
    "assert_gradient",
    "assert_hessian",
    "assert_jacobian",
    "check_derivative",
    "instances",
    "matrices",
    "shapes",
]

_HOME = {
    "Instance": "symcheck.verify",
    "instances": "symcheck.verify",
    "matrices": "symcheck.verify",
    "shapes": "symcheck.verify",
    "assert_gradient": "symcheck.testing._assertions",
    "assert_hessian": "symcheck.testing._assertions",
    "assert_jacobian": "symcheck.testing._assertions",
    "check_derivative": "symcheck.testing._symbolic",
}


def __getattr__(name: str):
    # Lazy re-export (PEP 562): importing the plugin must not import NumPy, SymPy or hypothesis.
    if name not in _HOME:
        raise AttributeError(f"module 'symcheck.testing' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOME[name]), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
