"""Read the assumptions a derivation may use: "M symmetric", "X invertible", "lambda > 0".

>>> import sympy as sp
>>> M = sp.MatrixSymbol("M", 3, 3); lam = sp.Symbol("lambda")
>>> a = read_assumptions(["M symmetric", "lambda > 0"], [M, lam])
>>> a.symmetric, a.positive
(('M',), ('lambda',))
>>> a.describe()
['M = Mᵀ', 'lambda > 0']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy as sp

from symcheck.errors import UsageError

__all__ = ["Assumptions", "read_assumptions"]

_FORMS = "'NAME symmetric', 'NAME invertible', 'NAME positive definite', 'NAME > 0', 'NAME >= 0'"
_PATTERNS = [
    (re.compile(r"^(\w+)\s+(?:is\s+)?symmetric$"), ("symmetric",)),
    (re.compile(r"^(\w+)\s+(?:is\s+)?(?:invertible|nonsingular)$"), ("invertible",)),
    (re.compile(r"^(\w+)\s+(?:is\s+)?(?:positive definite|spd|> 0)$"), None),
    (re.compile(r"^(\w+)\s*(?:>=|≥)\s*0$"), ("nonnegative",)),
]


@dataclass(frozen=True)
class Assumptions:
    """What is known about the symbols: names that are symmetric, invertible, positive."""

    symmetric: tuple[str, ...] = ()
    invertible: tuple[str, ...] = ()
    positive: tuple[str, ...] = ()
    nonnegative: tuple[str, ...] = ()

    def describe(self) -> list[str]:
        """Return the assumptions as short readable lines."""
        return ([f"{n} = {n}ᵀ" for n in self.symmetric] + [f"{n} invertible" for n in self.invertible]
                + [f"{n} > 0" for n in self.positive] + [f"{n} >= 0" for n in self.nonnegative])


def read_assumptions(items, symbols) -> Assumptions:
    """Return the Assumptions stated by ``items`` (strings or SymPy Q facts) about ``symbols``."""
    if isinstance(items, (str, sp.Basic)):
        items = [items]
    names = {getattr(s, "name", str(s)): s for s in symbols}
    found: dict[str, list[str]] = {"symmetric": [], "invertible": [], "positive": [],
                                   "nonnegative": []}
    for item in items:
        for kind, name in _read_one(item):
            if name not in names:
                raise UsageError(f"assumption {item!r} names {name!r}, which is not a symbol of "
                                 "the function", where="assumptions",
                                 fix=f"use one of {', '.join(sorted(names)) or '(none)'}")
            if name not in found[kind]:
                found[kind].append(name)
    return Assumptions(**{k: tuple(v) for k, v in found.items()})


def _read_one(item) -> list[tuple[str, str]]:
    if isinstance(item, sp.Basic):
        return _read_fact(item)
    text = " ".join(str(item).split())
    for pattern, kinds in _PATTERNS:
        match = pattern.match(text)
        if match:
            name = match.group(1)
            if kinds is None:  # "> 0" of a scalar, "positive definite" of a matrix
                kinds = ("positive",) if ">" in text else ("symmetric", "invertible")
            return [(kind, name) for kind in kinds]
    raise UsageError(f"cannot read the assumption {item!r}", where="assumptions",
                     fix=f"write one of {_FORMS}")


def _read_fact(fact) -> list[tuple[str, str]]:
    from sympy.assumptions import AppliedPredicate, Q

    if isinstance(fact, sp.StrictGreaterThan) and fact.rhs == 0:
        return [("positive", str(fact.lhs))]
    if isinstance(fact, AppliedPredicate):
        target = fact.arguments[0]
        name = getattr(target, "name", str(target))
        table = {Q.symmetric: ["symmetric"], Q.invertible: ["invertible"],
                 Q.positive_definite: ["symmetric", "invertible"], Q.positive: ["positive"],
                 Q.nonnegative: ["nonnegative"]}
        if fact.function in table:
            return [(kind, name) for kind in table[fact.function]]
    raise UsageError(f"cannot use the assumption {fact}", where="assumptions",
                     fix=f"use Q.symmetric(M), Q.invertible(M), Q.positive(x) or a string: {_FORMS}")
