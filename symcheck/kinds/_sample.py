"""Evaluate several SymPy expressions at the same random instances (seeded, via hypothesis)."""

from __future__ import annotations

from typing import Iterable, Sequence

__all__ = ["sample_values"]


def sample_values(exprs: Sequence, *, assumptions: Iterable[str] = (),
                  examples: int = 20, max_side: int = 4) -> list[list]:
    """Return, for each of ``examples`` drawn instances, the values of every expression.

    All expressions see the same sizes and the same values for shared symbols.  Matrices come
    back as 2-D float arrays, scalars as 0-d arrays; an expression that cannot be evaluated at
    an instance (an index out of range, say) gives the exception instead.  Draws are seeded.

    >>> import numpy as np, sympy as sp
    >>> from symcheck.expr import symbols_from_shapes
    >>> ns = symbols_from_shapes({"X": ("n", "n")})
    >>> rows = sample_values([sp.Trace(ns["X"]), sp.Trace(ns["X"].T)], examples=3)
    >>> all(np.allclose(a, b) for a, b in rows)
    True
    """
    from symcheck.verify import evaluate_all, instances, run_examples

    rows: list[list] = []
    run_examples(instances(list(exprs), assumptions=assumptions, max_side=max_side),
                 lambda instance: rows.append(evaluate_all(exprs, instance)), examples)
    return rows
