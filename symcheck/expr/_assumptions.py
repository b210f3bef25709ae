"""Read assumption texts ("M symmetric", "lambda > 0") into facts: the one grammar of symcheck.

The catalogue loader, the derivation engine and the instance generator all read assumptions
through :func:`parse_assumptions`, so a text is either understood by all three or refused when
the catalogue loads.

The forms (``NAME`` is a symbol of the part; extra spaces and a leading ``is`` are allowed):

=========================================  ==============  ===============================
text                                       property        suits
=========================================  ==============  ===============================
``M symmetric``                            symmetric       a square matrix
``X invertible`` / ``X nonsingular``       invertible      a square matrix
``A positive definite`` / ``A spd``        spd             a square matrix (implies both above)
``Q orthogonal``                           orthogonal      a square matrix (QᵀQ = I; invertible)
``X well-conditioned``                     well_conditioned  a square matrix (invertible)
``lambda > 0``                             > 0             a scalar
``lambda >= 0`` (or ``≥``)                 >= 0            a scalar
``lambda < 0``                             < 0             a scalar
=========================================  ==============  ===============================

>>> parse_assumptions(["M symmetric", "lambda > 0"], {"M": ("n", "n"), "lambda": ()})
(Fact(name='M', property='symmetric'), Fact(name='lambda', property='> 0'))
>>> parse_assumption("Q orthogonal").implied()
('orthogonal', 'invertible')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from symcheck.errors import UsageError

__all__ = ["Fact", "MATRIX_PROPERTIES", "SCALAR_PROPERTIES", "ASSUMPTION_FORMS", "parse_assumption",
           "parse_assumptions", "facts_by_name"]

MATRIX_PROPERTIES = ("symmetric", "invertible", "spd", "orthogonal", "well_conditioned")
SCALAR_PROPERTIES = ("> 0", ">= 0", "< 0")

# What each property implies (itself first).
_IMPLIES = {"spd": ("spd", "symmetric", "invertible"), "orthogonal": ("orthogonal", "invertible"),
            "well_conditioned": ("well_conditioned", "invertible")}

ASSUMPTION_FORMS = ("'NAME symmetric', 'NAME invertible', 'NAME positive definite' (or 'NAME spd'), "
                    "'NAME orthogonal', 'NAME well-conditioned', 'NAME > 0', 'NAME >= 0', 'NAME < 0'")

_WORDS = {
    "symmetric": "symmetric",
    "invertible": "invertible", "nonsingular": "invertible", "non-singular": "invertible",
    "positive definite": "spd", "positive-definite": "spd", "spd": "spd",
    "symmetric positive definite": "spd",
    "orthogonal": "orthogonal",
    "well-conditioned": "well_conditioned", "well conditioned": "well_conditioned",
    "well_conditioned": "well_conditioned",
}
_MATRIX_FORM = re.compile(r"(?P<name>[A-Za-z_][A-Za-z0-9_]*) (?:is )?(?P<word>[a-z][a-z -]*)")
_SCALAR_FORM = re.compile(r"(?P<name>[A-Za-z_][A-Za-z0-9_]*) ?(?P<op>>=|≥|>|<) ?0")


@dataclass(frozen=True)
class Fact:
    """One assumption: the symbol's ``name`` and its ``property`` (see the module's table)."""

    name: str
    property: str
    text: str = field(default="", compare=False, repr=False)

    @property
    def about_matrix(self) -> bool:
        """True when the property is one of a (square) matrix."""
        return self.property in MATRIX_PROPERTIES

    def implied(self) -> tuple[str, ...]:
        """Return the properties this fact gives, itself first (spd gives symmetric, invertible)."""
        return _IMPLIES.get(self.property, (self.property,))

    def describe(self) -> str:
        """Return the fact as a short readable line.

        >>> Fact("M", "symmetric").describe(), Fact("lambda", "> 0").describe()
        ('M = Mᵀ', 'lambda > 0')
        """
        return _SAYS.get(self.property, "{n} " + self.property).format(n=self.name)


_SAYS = {"symmetric": "{n} = {n}ᵀ", "spd": "{n} positive definite",
         "orthogonal": "{n} orthogonal ({n}ᵀ{n} = I)", "well_conditioned": "{n} well-conditioned"}


def parse_assumption(text, symbols=None, *, where: str = "assumptions", owner: str = "the part") -> Fact:
    """Return the :class:`Fact` stated by one assumption text; raise UsageError if unknown.

    ``symbols`` (optional) is what the text may name: a mapping of names to shapes as in a
    catalogue part (``()`` for a scalar, ``("n", "n")`` for a matrix) or an iterable of SymPy
    symbols. When given, the name must be one of them (``owner`` says whose, in the message), and
    the property must suit its shape.

    >>> parse_assumption("A is positive definite")
    Fact(name='A', property='spd')
    >>> parse_assumption("x > 0", {"x": ("n", 1)})
    Traceback (most recent call last):
    ...
    symcheck.errors.UsageError: assumptions: 'x > 0' is about a scalar, but x is a n×1 matrix; use one of symmetric, invertible, spd, orthogonal, well_conditioned for a square matrix
    """
    if not isinstance(text, str):
        raise UsageError(f"assumption {text!r} is not a text", where=where,
                         fix=f"write one of {ASSUMPTION_FORMS}")
    clean = " ".join(text.split())
    fact = None
    match = _SCALAR_FORM.fullmatch(clean)
    if match:
        op = {"≥": ">="}.get(match["op"], match["op"])
        fact = Fact(match["name"], f"{op} 0", text)
    else:
        match = _MATRIX_FORM.fullmatch(clean)
        if match and match["word"] in _WORDS:
            fact = Fact(match["name"], _WORDS[match["word"]], text)
    if fact is None:
        raise UsageError(f"cannot read the assumption {text!r}: it is not an assumption symcheck knows",
                         where=where,
                         fix=f"write one of {ASSUMPTION_FORMS}")
    if symbols is not None:
        _check_symbol(fact, _shapes_of(symbols), where, owner)
    return fact


def parse_assumptions(texts: Iterable[str], symbols=None, *, where: str = "assumptions",
                      owner: str = "the part") -> tuple[Fact, ...]:
    """Return the facts of several assumption texts, in order, without repeats.

    ``where`` names the place for errors; a list entry is named ``where[i]``.

    >>> parse_assumptions(["S spd", "c >= 0"], {"S": ("n", "n"), "c": ()})
    (Fact(name='S', property='spd'), Fact(name='c', property='>= 0'))
    """
    if isinstance(texts, str):
        raise UsageError(f"assumptions={texts!r} is a single string", where=where,
                         fix=f"pass a list of strings: [{texts!r}]")
    shapes = None if symbols is None else _shapes_of(symbols)
    facts: list[Fact] = []
    for i, text in enumerate(texts):
        fact = parse_assumption(text, shapes, where=f"{where}[{i}]", owner=owner)
        if fact not in facts:
            facts.append(fact)
    return tuple(facts)


def facts_by_name(facts: Iterable[Fact]) -> dict[str, frozenset[str]]:
    """Return ``{name: properties}`` with implied properties included (spd gives symmetric).

    >>> facts_by_name(parse_assumptions(["S spd"]))["S"] == {"spd", "symmetric", "invertible"}
    True
    """
    table: dict[str, set[str]] = {}
    for fact in facts:
        table.setdefault(fact.name, set()).update(fact.implied())
    return {name: frozenset(props) for name, props in table.items()}


def _shapes_of(symbols) -> dict[str, tuple]:
    """Return ``{name: shape}`` from a mapping of shapes or from SymPy symbols."""
    if isinstance(symbols, Mapping):
        return {str(k): tuple(v) if isinstance(v, (tuple, list)) else v for k, v in symbols.items()}
    shapes = {}
    for s in symbols:
        name = getattr(s, "name", str(s))
        shapes[name] = tuple(getattr(s, "shape", ())) if getattr(s, "is_Matrix", False) else ()
    return shapes


def _check_symbol(fact: Fact, shapes: Mapping[str, tuple], where: str, owner: str) -> None:
    if fact.name not in shapes:
        raise UsageError(f"assumption {fact.text!r} names {fact.name!r}, which is not a symbol of "
                         f"{owner}",
                         where=where, fix=f"use one of {', '.join(sorted(shapes)) or '(none)'}, "
                         "or declare the symbol")
    shape = shapes[fact.name]
    is_matrix = len(shape) == 2 and any(str(d) != "1" for d in shape)
    if not fact.about_matrix and is_matrix:
        raise UsageError(f"{fact.text!r} is about a scalar, but {fact.name} is a "
                         f"{shape[0]}×{shape[1]} matrix", where=where,
                         fix=f"use one of {', '.join(MATRIX_PROPERTIES)} for a square matrix")
    if fact.about_matrix and not is_matrix:
        raise UsageError(f"{fact.text!r} is about a matrix, but {fact.name} is a scalar", where=where,
                         fix=f"use one of {', '.join(repr('NAME ' + p) for p in SCALAR_PROPERTIES)}")
    if fact.about_matrix and not _square(shape):
        raise UsageError(f"{fact.name} is {shape[0]}×{shape[1]}, so it cannot be {fact.property}",
                         where=where, fix="declare it with a square shape, e.g. [\"n\", \"n\"]")


def _square(shape) -> bool:
    rows, cols = shape
    if str(rows) == str(cols):
        return True
    if isinstance(rows, (str, int)) or isinstance(cols, (str, int)):
        return False  # different size names or numbers
    return bool((rows - cols).expand() == 0)  # SymPy sizes such as n + 1 and 1 + n
