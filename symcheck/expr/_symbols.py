"""Build SymPy symbols from declared shapes, with one convention for dimensions."""

from __future__ import annotations

import re
from typing import Mapping, Sequence

import sympy as sp

from symcheck.errors import UsageError
from symcheck.limits import LIMITS

__all__ = ["as_sympy", "dimension", "symbols_from_shapes", "parse_shape", "scalar_symbol"]

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")   # matched whole (fullmatch), ASCII only
_DIGITS = re.compile(r"[0-9]+")                 # ASCII digits: not '³' or '٣'



def as_sympy(value) -> sp.Basic:
    """Return ``value`` (a number or a SymPy object, such as a shape entry) as a SymPy object.

    Text is refused: untrusted text goes through :func:`symcheck.expr.parse`, never here.

    >>> as_sympy(3), as_sympy(dimension("m") + 1)
    (3, m + 1)
    """
    if isinstance(value, str):
        raise UsageError(f"value={value!r} is text", where="as_sympy",
                         fix="parse text with symcheck.expr.parse(text, namespace)")
    return sp.sympify(value, strict=True)  # trusted: strict mode converts no strings


def dimension(name: str | int) -> sp.Expr:
    """Return the size ``name`` as a positive integer symbol (or an Integer for a number).

    Every module builds dimensions here, so ``m`` always means the same SymPy symbol.

    >>> dimension("m"), dimension(3)
    (m, 3)
    >>> dimension("m").is_positive
    True
    """
    if isinstance(name, int) and not isinstance(name, bool):
        cap = LIMITS["model_size"]
        if not 1 <= name <= cap.value:
            raise UsageError(f"dimension={name} is not from 1 to {cap.value} (the limit "
                             f"{cap.name})", where="shape", fix="use sizes of at least 1, or a "
                             "size name such as n")
        return sp.Integer(name)
    text = str(name).strip()
    if _DIGITS.fullmatch(text):
        cap = LIMITS["model_size"]
        if len(text.lstrip("0")) > len(str(cap.value)):  # refused before int() reads it
            raise UsageError(f"dimension={text[:20]}{'…' if len(text) > 20 else ''} is larger "
                             f"than {cap.value} (the limit {cap.name})", where="shape",
                             fix="use a size name such as n for a large size")
        return dimension(int(text))
    if not _NAME.fullmatch(text):
        if any(ch.isdigit() and not ch.isascii() for ch in text):
            raise UsageError(f"dimension={text!r} uses digits other than ASCII 0-9", where="shape",
                             fix="write sizes with the digits 0-9, e.g. 3, or a name such as m")
        raise UsageError(f"dimension={name!r} is neither a positive integer nor a name",
                         where="shape", fix="write sizes like 3 or m")
    return sp.Symbol(text, integer=True, positive=True)


def scalar_symbol(name: str) -> sp.Symbol:
    """Return the real scalar called ``name`` (``lambda`` prints as λ).

    >>> scalar_symbol("lambda")
    lambda
    """
    return sp.Symbol(name, real=True)


def parse_shape(text: str, *, where: str = "--shape") -> tuple[str, tuple]:
    """Parse ``"X=n,m"`` into ``("X", ("n", "m"))``; a bare ``"c"`` or ``"c="`` is a scalar.

    >>> parse_shape("X=n,m")
    ('X', ('n', 'm'))
    >>> parse_shape("a=3,1")
    ('a', (3, 1))
    """
    name, _, dims = text.partition("=")
    name = name.strip()
    if not _NAME.fullmatch(name):
        raise UsageError(f"{text!r} does not start with a symbol name", where=where,
                         fix="write NAME=ROWS,COLS, e.g. X=n,m or a=3,1")
    parts = [p.strip() for p in dims.split(",") if p.strip()] if dims.strip() else []
    if len(parts) not in (0, 2):
        raise UsageError(f"{text!r} gives {len(parts)} dimension(s)", where=where,
                         fix="give two: NAME=ROWS,COLS (a column vector is NAME=n,1)")
    for d in parts:
        dimension(d)  # validates: ASCII digits or a name, within the limit model_size
    shape = tuple(int(p) if _DIGITS.fullmatch(p) else p for p in parts)
    return name, shape


def symbols_from_shapes(shapes: Mapping[str, Sequence]) -> dict[str, sp.Basic]:
    """Return a namespace ``name -> MatrixSymbol`` (or a real Symbol for shape ``()``).

    Dimension names are added to the namespace too, so ``Identity(n)`` can be written.

    >>> ns = symbols_from_shapes({"X": ("n", "m"), "lam": ()})
    >>> ns["X"].shape, ns["lam"], ns["n"]
    ((n, m), lam, n)
    """
    namespace: dict[str, sp.Basic] = {}
    dimensions = {str(d) for shape in shapes.values() for d in tuple(shape) if isinstance(d, str)}
    for name in shapes:
        if name in dimensions:
            raise UsageError(f"{name} is both a symbol and a size", where=f"shape of {name}",
                             fix=f"rename the symbol or the size {name}")
    for name, shape in shapes.items():
        shape = tuple(shape)
        if len(shape) == 0:
            namespace[name] = scalar_symbol(name)
            continue
        if len(shape) != 2:
            raise UsageError(f"symbol {name} has shape {shape}", where=f"shape of {name}",
                             fix="give (rows, cols), or () for a scalar")
        rows, cols = (dimension(d) for d in shape)
        namespace[name] = sp.MatrixSymbol(name, rows, cols)
        for d in (rows, cols):
            if d.is_Symbol:
                namespace.setdefault(str(d), d)
    return namespace
