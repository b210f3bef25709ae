"""Column-major vec, the one layout every Jacobian and Hessian in symcheck uses.

vec(X) stacks the columns of X: entry X[i, j] of an m×n matrix sits at position i + j·m.

>>> import numpy as np
>>> vec(np.array([[1., 2.], [3., 4.]]))
array([1., 3., 2., 4.])
>>> entry_of((2, 2), 2)
(0, 1)
"""

from __future__ import annotations

import numpy as np

__all__ = ["vec", "unvec", "entry_of"]


def vec(a) -> np.ndarray:
    """Return the column-major vec of ``a`` (a scalar gives a length-1 vector)."""
    return np.asarray(a).reshape(-1, order="F")


def unvec(v, shape) -> np.ndarray:
    """Return the array of ``shape`` whose column-major vec is ``v``."""
    return np.asarray(v).reshape(shape, order="F")


def entry_of(shape, k: int) -> tuple[int, ...]:
    """Return the array index of position ``k`` of vec(a) for an array of ``shape``."""
    return tuple(int(i) for i in np.unravel_index(k, shape, order="F"))
