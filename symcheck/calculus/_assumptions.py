"""Read the assumptions a derivation may use: "M symmetric", "X invertible", "lambda > 0".

The texts follow the one grammar of :func:`symcheck.expr.parse_assumptions`; SymPy facts such as
``Q.symmetric(M)`` are read here too.

>>> import sympy as sp
>>> M = sp.MatrixSymbol("M", 3, 3); lam = sp.Symbol("lambda")
>>> a = read_assumptions(["M symmetric", "lambda > 0"], [M, lam])
>>> a.symmetric, a.positive
(('M',), ('lambda',))
>>> a.describe()
['M = Mᵀ', 'lambda > 0']
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from symcheck.errors import UsageError
from symcheck.expr import ASSUMPTION_FORMS, Fact, parse_assumption

__all__ = ["Assumptions", "read_assumptions"]

# A fact's property -> the fields of Assumptions it fills (orthogonal is recorded, not yet used).
_FIELDS = {"symmetric": ("symmetric",), "invertible": ("invertible",),
           "spd": ("symmetric", "invertible"), "orthogonal": ("orthogonal", "invertible"),
           "well_conditioned": ("invertible",), "> 0": ("positive",), ">= 0": ("nonnegative",),
           "< 0": ("negative",)}


@dataclass(frozen=True)
class Assumptions:
    """What is known about the symbols: names that are symmetric, invertible, positive, ..."""

    symmetric: tuple[str, ...] = ()
    invertible: tuple[str, ...] = ()
    positive: tuple[str, ...] = ()
    nonnegative: tuple[str, ...] = ()
    negative: tuple[str, ...] = ()
    orthogonal: tuple[str, ...] = ()

    def describe(self) -> list[str]:
        """Return the assumptions as short readable lines."""
        return ([f"{n} = {n}ᵀ" for n in self.symmetric] + [f"{n} invertible" for n in self.invertible]
                + [f"{n}ᵀ{n} = I" for n in self.orthogonal]
                + [f"{n} > 0" for n in self.positive] + [f"{n} >= 0" for n in self.nonnegative]
                + [f"{n} < 0" for n in self.negative])


def read_assumptions(items, symbols) -> Assumptions:
    """Return the Assumptions stated by ``items`` (strings or SymPy Q facts) about ``symbols``."""
    if isinstance(items, (str, sp.Basic)):
        items = [items]
    symbols = list(symbols)
    found: dict[str, list[str]] = {name: [] for name in Assumptions.__dataclass_fields__}
    for item in items:
        fact = _read_fact(item, symbols) if isinstance(item, sp.Basic) else \
            parse_assumption(item, symbols, owner="the function")
        for kind in _FIELDS[fact.property]:
            if fact.name not in found[kind]:
                found[kind].append(fact.name)
    return Assumptions(**{k: tuple(v) for k, v in found.items()})


def _read_fact(fact, symbols) -> Fact:
    from sympy.assumptions import AppliedPredicate, Q

    texts = {Q.symmetric: "symmetric", Q.invertible: "invertible", Q.positive_definite: "spd",
             Q.orthogonal: "orthogonal", Q.positive: "> 0", Q.nonnegative: ">= 0", Q.negative: "< 0"}
    if isinstance(fact, sp.StrictGreaterThan) and fact.rhs == 0:
        return parse_assumption(f"{fact.lhs} > 0", symbols, owner="the function")
    if isinstance(fact, AppliedPredicate) and fact.function in texts:
        target = fact.arguments[0]
        return parse_assumption(f"{getattr(target, 'name', target)} {texts[fact.function]}", symbols,
                                owner="the function")
    raise UsageError(f"cannot use the assumption {fact}", where="assumptions",
                     fix=f"use Q.symmetric(M), Q.invertible(M), Q.positive(x) or a string: {ASSUMPTION_FORMS}")
