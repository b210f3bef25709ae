"""First derivatives by complex step and by central differences.

Every routine here returns a Jacobian in numerator layout over column-major vecs:
``J[r, k] = ∂ vec(f(x))[r] / ∂ vec(x)[k]``, shape ``(f(x).size, x.size)``.

Complex step (Squire & Trapp 1998; Martins, Sturdza & Alonso 2003): for f analytic,
``f(x + ih e_k) = f(x) + ih ∂_k f(x) − h²/2 ∂²_k f(x) + O(h³)``, so
``∂_k f(x) = Im f(x + ih e_k) / h`` with truncation error O(h²) and no subtraction at all:
the rounding error stays at machine precision for any tiny h.

Central differences: ``D(h) = (f(x + h e_k) − f(x − h e_k)) / 2h`` has error
``h² f‴/6 + ε|f|/h``, smallest at h ≈ ε^(1/3)·|x|.  Richardson extrapolation
``(4 D(h/2) − D(h)) / 3`` cancels the h² term, leaving ``O(h⁴) + O(ε|f|/h)``, smallest at
h ≈ ε^(1/5)·|x|, with error about ε^(4/5) ≈ 3e-13 relative.

Batches: when ``f`` offers ``f.batched(points)`` (points stacked on a new first axis, results
stacked the same way), every perturbed point of a Jacobian is evaluated in one NumPy call, in
chunks of ``LIMITS["oracle_batch_points"]``.  symcheck's compiled SymPy expressions offer it;
the numbers are the same as point by point.

>>> import numpy as np
>>> x = np.array([0.3, -1.2])
>>> J = complex_step_jacobian(lambda v: np.exp(v).sum(), x)
>>> bool(np.allclose(J, np.exp(x), rtol=1e-15))
True
"""

from __future__ import annotations

import warnings
from typing import Callable

import numpy as np

from symcheck.errors import UsageError
from symcheck.limits import LIMITS
from symcheck.verify._vec import vec

__all__ = [
    "COMPLEX_STEP",
    "complex_step_gradients",
    "CENTRAL_STEP",
    "RICHARDSON_STEP",
    "NotAnalytic",
    "complex_step_jacobian",
    "central_jacobian",
]

EPS = np.finfo(np.float64).eps
# The complex step: far below where the O(h²) truncation could matter (h² ≈ 1e-300, even
# relative to tiny derivatives), far above where h·∂f underflows for well-scaled inputs.
COMPLEX_STEP = 1e-150
# Relative steps for central differences (scaled by max(|x_k|, 1)).
CENTRAL_STEP = EPS ** (1 / 3)       # plain central differences: error ~ ε^(2/3)
RICHARDSON_STEP = EPS ** (1 / 5)    # with one Richardson step: error ~ ε^(4/5)

try:  # NumPy ≥ 1.25
    from numpy.exceptions import ComplexWarning
except ImportError:  # pragma: no cover
    from numpy import ComplexWarning


class NotAnalytic(Exception):
    """Complex step does not apply to this function; ``str(err)`` says why."""


def _vec_output(value) -> np.ndarray:
    """Return vec of a real function value (complex with zero imaginary part is accepted)."""
    out = vec(np.asarray(value))
    if np.iscomplexobj(out):
        if np.any(out.imag != 0):
            raise UsageError("f returned complex values for real input", where="f",
                             fix="differentiate real-valued functions only")
        out = out.real
    return out


def _complex_output(f: Callable, z: np.ndarray) -> np.ndarray:
    """Evaluate f at a complex point; raise NotAnalytic when f cannot carry the imaginary part."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", ComplexWarning)
            out = np.asarray(f(z))
    except Exception as exc:  # noqa: BLE001 - any failure on complex input means "not applicable"
        raise NotAnalytic(f"f raised {type(exc).__name__} on complex input ({exc})") from None
    if not np.iscomplexobj(out):
        raise NotAnalytic(f"f returned a real {out.dtype} result for complex input, so it drops "
                          "the imaginary part (e.g. float(), .real, abs, astype(float))")
    return vec(out)


def _points(vecs: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Return the points whose column-major vecs are the rows of ``vecs``: (K, *shape)."""
    k = vecs.shape[0]
    axes = (0,) + tuple(range(len(shape), 0, -1))
    return vecs.reshape((k,) + tuple(reversed(shape))).transpose(axes)


def _vec_rows(out: np.ndarray, k: int) -> np.ndarray:
    """Return the column-major vec of each of the ``k`` stacked results, as rows: (K, m)."""
    out = np.asarray(out)
    if out.ndim == 0 or out.shape[0] != k:
        out = np.broadcast_to(out, (k,) + out.shape)    # a result that does not depend on x
    axes = (0,) + tuple(range(out.ndim - 1, 0, -1))
    return out.transpose(axes).reshape(k, -1)


def _batched_call(batched: Callable, points: np.ndarray) -> np.ndarray:
    """Evaluate ``batched`` on the points in chunks; return the vec of each result as rows."""
    chunk = int(LIMITS["oracle_batch_points"].value)
    rows = [_vec_rows(batched(points[i:i + chunk]), len(points[i:i + chunk]))
            for i in range(0, len(points), chunk)]
    return np.concatenate(rows, axis=0)


def _complex_rows(f: Callable, points: np.ndarray) -> np.ndarray:
    """Evaluate f (batched) at complex points; raise NotAnalytic as :func:`_complex_output`."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", ComplexWarning)
            rows = _batched_call(f.batched, points)
    except Exception as exc:  # noqa: BLE001 - any failure on complex input means "not applicable"
        raise NotAnalytic(f"f raised {type(exc).__name__} on complex input ({exc})") from None
    if not np.iscomplexobj(rows):
        raise NotAnalytic(f"f returned a real {rows.dtype} result for complex input, so it drops "
                          "the imaginary part (e.g. float(), .real, abs, astype(float))")
    return rows


def _perturbed(base: np.ndarray, step) -> np.ndarray:
    """Return the rows base + step·e_k, one per entry k of the vec ``base``: (n, n)."""
    rows = np.empty((base.size, base.size), dtype=np.result_type(base, step))
    rows[...] = base
    rows[np.arange(base.size), np.arange(base.size)] += step
    return rows


def complex_step_jacobian(f: Callable, x: np.ndarray, *, step: float = COMPLEX_STEP) -> np.ndarray:
    """Return the Jacobian of ``f`` at ``x`` by complex step: ``Im vec f(x + ih e_k) / h``.

    ``f`` maps an array shaped like ``x`` to an array (or scalar); ``x`` is float64.  Raises
    NotAnalytic when ``f`` fails on complex input or drops the imaginary part.  It does not
    detect silently non-analytic code (``conj``, ``abs`` inside a complex expression): compare
    with :func:`central_jacobian` for that, as :func:`symcheck.verify.jacobian` does.
    """
    x = np.asarray(x, dtype=np.float64)
    base = vec(x).astype(np.complex128)
    if base.size and getattr(f, "batched", None) is not None:
        rows = _complex_rows(f, _points(_perturbed(base, 1j * step), x.shape))
        return np.ascontiguousarray(rows.imag.T) / step
    columns = []
    for k in range(base.size):
        z = base.copy()
        z[k] += 1j * step
        columns.append(_complex_output(f, z.reshape(x.shape, order="F")).imag / step)
    return np.stack(columns, axis=1) if columns else np.zeros((_vec_output(f(x)).size, 0))


def complex_step_gradients(f: Callable, xs: np.ndarray, *, step: float = COMPLEX_STEP) -> np.ndarray:
    """Return the complex-step gradient of the scalar, batched ``f`` at each of the points ``xs``.

    ``xs`` stacks K points shaped like the variable; the result is (K, n), row k the
    column-major vec of the gradient at ``xs[k]``: K·n evaluations in batched calls.
    """
    xs = np.asarray(xs, dtype=np.float64)
    k, shape = xs.shape[0], xs.shape[1:]
    bases = _vec_rows(xs, k).astype(np.complex128)
    n = bases.shape[1]
    vecs = np.repeat(bases, n, axis=0)
    vecs[np.arange(k * n), np.tile(np.arange(n), k)] += 1j * step
    rows = _complex_rows(f, _points(vecs, shape))
    return rows[:, 0].imag.reshape(k, n) / step


def _central_column(f: Callable, x: np.ndarray, k: int, h: float) -> np.ndarray:
    """Return D(h) = (f(x + h e_k) − f(x − h e_k)) / 2h, with h made exactly representable."""
    flat = vec(x)
    plus, minus = flat.copy(), flat.copy()
    plus[k] += h
    minus[k] -= h
    width = plus[k] - minus[k]   # the step actually taken, after rounding x ± h
    f_plus = _vec_output(f(plus.reshape(x.shape, order="F")))
    f_minus = _vec_output(f(minus.reshape(x.shape, order="F")))
    return (f_plus - f_minus) / width


def _real_rows(rows: np.ndarray) -> np.ndarray:
    if np.iscomplexobj(rows):
        if np.any(rows.imag != 0):
            raise UsageError("f returned complex values for real input", where="f",
                             fix="differentiate real-valued functions only")
        rows = rows.real
    return rows


def _central_batched(f: Callable, x: np.ndarray, steps: np.ndarray, richardson: bool) -> np.ndarray:
    """All central-difference columns of f at x in batched calls (same numbers as one by one)."""
    flat = vec(x)
    fractions = (1.0, 0.5) if richardson else (1.0,)
    plus = [_perturbed(flat, steps * q) for q in fractions]
    minus = [_perturbed(flat, -steps * q) for q in fractions]
    values = _real_rows(_batched_call(f.batched, _points(np.concatenate(plus + minus), x.shape)))
    n = flat.size
    diag = np.arange(n)
    d = []
    for i in range(len(fractions)):
        f_plus = values[i * n:(i + 1) * n]
        f_minus = values[(len(fractions) + i) * n:(len(fractions) + i + 1) * n]
        width = plus[i][diag, diag] - minus[i][diag, diag]   # the steps actually taken
        d.append(((f_plus - f_minus) / width[:, None]).T)
    return (4.0 * d[1] - d[0]) / 3.0 if richardson else d[0]


def central_jacobian(f: Callable, x: np.ndarray, *, richardson: bool = True) -> tuple[np.ndarray, float]:
    """Return ``(J, relative_step)``: the Jacobian of ``f`` at ``x`` by central differences.

    The step for entry k is ``relative_step · max(|x_k|, 1)``; with ``richardson=True`` (default)
    the result is ``(4 D(h/2) − D(h)) / 3`` with relative step ε^(1/5), else ``D(h)`` with ε^(1/3).
    """
    x = np.asarray(x, dtype=np.float64)
    relative = RICHARDSON_STEP if richardson else CENTRAL_STEP
    scales = np.maximum(np.abs(vec(x)), 1.0)
    if x.size and getattr(f, "batched", None) is not None:
        return _central_batched(f, x, relative * scales, richardson), relative
    columns = []
    for k in range(x.size):
        h = relative * scales[k]
        coarse = _central_column(f, x, k, h)
        if richardson:
            fine = _central_column(f, x, k, h / 2)
            columns.append((4.0 * fine - coarse) / 3.0)
        else:
            columns.append(coarse)
    if not columns:
        return np.zeros((_vec_output(f(x)).size, 0)), relative
    return np.stack(columns, axis=1), relative
