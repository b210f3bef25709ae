"""Reusing derivations within one job: ``with cached_derivations(): ...``.

``symcheck report`` checks every part (which derives it) and then prints the same derivation;
inside this block :func:`symcheck.calculus.derive` computes each (f, wrt, order, assumptions)
once.  Outside it nothing is cached, so benchmarks and budgets see every derivation.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Callable, TypeVar

__all__ = ["cached_derivations", "memoized"]

T = TypeVar("T")
_CACHE: ContextVar[dict | None] = ContextVar("symcheck_derivations", default=None)


@contextmanager
def cached_derivations():
    """Within this block, derive each (f, wrt, order, assumptions) once and reuse the result.

    >>> import sympy as sp
    >>> from symcheck.calculus import derive
    >>> X = sp.MatrixSymbol("X", 2, 2)
    >>> with cached_derivations():
    ...     derive(sp.Trace(X * X), X) is derive(sp.Trace(X * X), X)
    True
    >>> derive(sp.Trace(X * X), X) is derive(sp.Trace(X * X), X)
    False
    """
    token = _CACHE.set({})
    try:
        yield
    finally:
        _CACHE.reset(token)


def memoized(key, compute: Callable[[], T]) -> T:
    """Return ``compute()``, reused for an equal ``key`` inside :func:`cached_derivations`.

    Errors are not cached; an unhashable key is computed every time.
    """
    cache = _CACHE.get()
    if cache is None:
        return compute()
    try:
        if key in cache:
            return cache[key]
    except TypeError:
        return compute()
    cache[key] = compute()
    return cache[key]
