"""Derive from text (a formula and shape declarations) or from a catalogue part.

Errors name the argument they are about (``text``, ``shapes``, ``wrt``, ``assumptions``); the
command line says which of its options that is.

>>> result = derive_text("a.T*X.T*X*b", ["a=m,1", "X=n,m", "b=m,1"], "X")
>>> print(result.expr)
X*(a*b.T + b*a.T)
"""

from __future__ import annotations

from typing import Iterable

from symcheck.calculus._derive import derive
from symcheck.calculus._result import Derivation
from symcheck.errors import UsageError

__all__ = ["derive_text", "derive_part"]


def derive_text(text: str, shapes: Iterable[str], wrt: str, *, order: int = 1,
                assumptions: Iterable[str] = ()) -> Derivation:
    """Parse ``text`` over symbols declared as ``"X=n,m"`` (``"lam"`` for a scalar) and derive.

    The text is read by symcheck's safe parser, never evaluated.  Raises UsageError for a bad
    declaration or variable, ParseError/ShapeError for bad text, DerivationError as derive does.

    >>> derive_text("tr(X)", ["X=n,n"], "Y")
    Traceback (most recent call last):
    ...
    symcheck.errors.UsageError: wrt: Y is not declared; declare it among the shapes, e.g. Y=n,m (a vector is Y=n,1)
    """
    from symcheck.expr import parse, parse_shape, symbols_from_shapes

    declared: dict[str, tuple] = {}
    for declaration in shapes:
        name, shape = parse_shape(declaration, where="shapes")
        if name in declared:
            raise UsageError(f"{name} is declared twice ({name}={declared[name]} and {declaration!r})",
                             where="shapes", fix=f"declare {name} once")
        declared[name] = shape
    namespace = symbols_from_shapes(declared)
    if wrt not in declared:
        raise UsageError(f"{wrt} is not declared", where="wrt",
                         fix=f"declare it among the shapes, e.g. {wrt}=n,m (a vector is {wrt}=n,1)")
    if not declared[wrt]:
        raise UsageError(f"{wrt} is declared as a scalar, and symcheck differentiates by "
                         "vectors and matrices", where="wrt",
                         fix=f"declare it as a 1×1 matrix: {wrt}=1,1")
    function = parse(text, namespace, where="text")
    return derive(function, namespace[wrt], order, tuple(assumptions))


def derive_part(part, *, order: int | None = None) -> Derivation:
    """Derive the function of a catalogue part with respect to its variable.

    ``order`` defaults to the order the part asks for.  Raises UsageError for a part that has
    no function to differentiate (a numeric or written part).
    """
    if part.ask.function is None or part.ask.wrt is None:
        raise UsageError(f"part {part.id} asks for a {part.ask.kind.replace('_', ' ')}, not a "
                         "derivative", where="PART",
                         fix="pick a derivative part: run 'symcheck list' to see them")
    return derive(part.function_expr(), part.wrt_symbol(), order or part.ask.order,
                  part.assumptions)
