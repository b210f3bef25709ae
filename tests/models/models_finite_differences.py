"""A small central-difference oracle for the model tests (independent of symcheck.verify).

Richardson-extrapolated central differences: D(h) = (f(x+h) − f(x−h)) / 2h and
R = (4 D(h/2) − D(h)) / 3, whose error is O(h⁴) plus rounding ~ eps·|f|/h.
"""

import numpy as np


def central_gradient(f, x: np.ndarray, *, h: float = 1e-3) -> np.ndarray:
    """Return ∂f/∂x (the shape of x) for a scalar function f of the array x."""
    x = np.array(x, dtype=np.float64)
    grad = np.empty_like(x)

    def difference(index, step):
        up, down = x.copy(), x.copy()
        up[index] += step
        down[index] -= step
        return (f(up) - f(down)) / (2 * step)

    for index in np.ndindex(x.shape):
        grad[index] = (4 * difference(index, h / 2) - difference(index, h)) / 3
    return grad
