"""Spare, during a derivation, SymPy work whose result is known: two shortcuts, same answers.

Every ``MatMul(...).doit()`` on a tree holding ``DiagMatrix(v)`` runs ``ask(Q.diagonal(v))``.
When no handler knows, ``ask`` falls through to ``lra_satask``, which refuses any predicate
outside its white list (``Q.diagonal`` is outside it) by raising ``UnhandledInput`` with the
predicate in its message.  Building that message prints ``v`` with SymPy's StrPrinter, whose
``precedence`` calls ``could_extract_minus_sign`` on each product, which evaluates ``-v`` (a
deep ``doit``, which asks again): 0.1 s per query on the 3.4b gradients, most of their time.

:func:`sympy_shortcuts` makes ``lra_satask`` raise the same ``UnhandledInput`` for such a
predicate without building the message, so every answer is the one SymPy gives (``None``), only
sooner.  Predicates the solver handles go to it unchanged.  It also memoises ``doit`` of the
matrix-expression classes for the block (see ``_DOIT_CLASSES``); outside it SymPy is untouched.

>>> import sympy as sp
>>> from sympy.matrices.expressions import DiagMatrix
>>> v = sp.MatrixSymbol("v", 3, 1)
>>> with sympy_shortcuts():
...     print(sp.ask(sp.Q.diagonal(v)), DiagMatrix(v).doit())
None DiagMatrix(v)
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator

from sympy.assumptions import lra_satask as _lra_module
from sympy.matrices.expressions import (DiagMatrix, HadamardProduct, MatAdd, MatMul,
                                        Transpose)
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.assumptions.assume import AppliedPredicate
from sympy.assumptions.ask import Q
from sympy.logic.algorithms.lra_theory import UnhandledInput

__all__ = ["sympy_shortcuts"]

# doit is a pure function of the (structurally compared) expression and its hints; within one
# derivation the same subtrees are re-evaluated many times (MatAdd's canonical form multiplies
# each coefficient back with ``cnt*mat``, a deep doit of the whole term), so it is memoised there.
_DOIT_CLASSES = (MatMul, MatAdd, Transpose, ElementwiseApplyFunction, HadamardProduct, DiagMatrix)
_ORIGINAL_DOIT = {cls: cls.__dict__["doit"] for cls in _DOIT_CLASSES}
_DOIT_CACHE: dict = {}


def _memoised_doit(cls):
    original = _ORIGINAL_DOIT[cls]

    def doit(self, **hints):
        if type(self) is not cls:            # a subclass with its own rules: not memoised
            return original(self, **hints)
        try:
            key = (self, tuple(sorted(hints.items())))
            return _DOIT_CACHE[key]
        except TypeError:                    # unhashable hint
            return original(self, **hints)
        except KeyError:
            result = _DOIT_CACHE[key] = original(self, **hints)
            return result
    doit.__doc__ = original.__doc__
    return doit


_MEMOISED_DOIT = {cls: _memoised_doit(cls) for cls in _DOIT_CLASSES}

_ORIGINAL = _lra_module.lra_satask
_LOCK = threading.Lock()
_DEPTH = 0


def _quick_lra_satask(proposition, assumptions=True, context=None):
    """Refuse, as lra_satask would, a predicate outside its white list; else ask it."""
    if (isinstance(proposition, AppliedPredicate)
            and proposition.function not in _lra_module.WHITE_LIST
            and proposition.function != Q.ne):
        raise UnhandledInput("LRASolver: unhandled predicate")
    if context is None:
        return _ORIGINAL(proposition, assumptions=assumptions)
    return _ORIGINAL(proposition, assumptions=assumptions, context=context)


@contextmanager
def sympy_shortcuts() -> Iterator[None]:
    """Within this block, refuse unhandled predicates in ``lra_satask`` without printing them,
    and reuse the ``doit`` of equal matrix expressions (both restored when the outermost ends)."""
    global _DEPTH
    with _LOCK:
        _DEPTH += 1
        if _DEPTH == 1:
            _lra_module.lra_satask = _quick_lra_satask
            _DOIT_CACHE.clear()
            for cls in _DOIT_CLASSES:
                cls.doit = _MEMOISED_DOIT[cls]
    try:
        yield
    finally:
        with _LOCK:
            _DEPTH -= 1
            if _DEPTH == 0:
                _lra_module.lra_satask = _ORIGINAL
                for cls in _DOIT_CLASSES:
                    cls.doit = _ORIGINAL_DOIT[cls]
                _DOIT_CACHE.clear()
