"""The answer language's own small tree, its dimensions, and the one internal failure type.

Both parsers (plain text and LaTeX) build :class:`Node` objects bottom-up while lark reduces, so
depth and size are known at every node and checked against ``symcheck/limits.py`` as the tree
grows: a hostile answer is refused before it is ever walked recursively.

>>> Dim.of("n") * Dim.of(3)
Dim(coef=3, names=('n',))
>>> str(Dim.of("m") * Dim.of("n")), Dim.of("m").value({"m": 4}), Dim.of("n*m") == Dim.of("m*n")
('m*n', 4, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from symcheck.limits import LIMITS

__all__ = ["DERIVATIVE_HINT", "DERIVATIVES", "Dim", "Node", "LangFail", "derivative_of", "limit_value"]


def limit_value(name: str) -> int:
    """Return the value of the limit row ``name`` (a KeyError names a missing row at import)."""
    return LIMITS[name].value


_MAX_DEPTH = limit_value("answer_depth")
# LaTeX's grouping and juxtaposition nodes add no nesting of their own: a bracket costs the same
# depth in both syntaxes.  (Each counted level is at most three real ones, so walks stay shallow.)
_STRUCTURAL = frozenset({"group", "lfactor", "juxt"})
_MAX_NODES = limit_value("answer_nodes")


class LangFail(Exception):
    """An answer is refused; converted to ``AnswerError`` (with the column) at the API edge."""

    def __init__(self, code: str, what: str, pos: int | None = None, fix: str | None = None):
        super().__init__(what)
        self.code, self.what, self.pos, self.fix = code, what, pos, fix


@dataclass(frozen=True, order=True)
class Dim:
    """A dimension: a positive integer times a product of size names (``n``, ``2*n``, ``m*n``)."""

    coef: int
    names: tuple[str, ...] = ()

    @classmethod
    def of(cls, size: str | int) -> "Dim":
        """Return the dimension for a catalogue size: a name such as ``"n"`` or an integer."""
        if isinstance(size, Dim):
            return size
        if isinstance(size, int) and not isinstance(size, bool):
            return cls(size)
        text = str(size).strip()
        if "*" in text:                          # "n*m", "2*n": the form str() gives
            result = cls(1)
            for part in text.split("*"):
                result = result * cls.of(part)
            return result
        return cls(int(text)) if text.isdigit() else cls(1, (text,))

    def __mul__(self, other: "Dim") -> "Dim":
        return Dim(self.coef * other.coef, tuple(sorted(self.names + other.names)))

    def divide(self, other: "Dim") -> "Dim | None":
        """Return ``self / other`` when it is again a dimension, else None."""
        names = list(self.names)
        for name in other.names:
            if name not in names:
                return None
            names.remove(name)
        if self.coef % other.coef:
            return None
        return Dim(self.coef // other.coef, tuple(names))

    @property
    def is_one(self) -> bool:
        return self.coef == 1 and not self.names

    def value(self, sizes) -> int:
        """Return the integer this dimension has at ``sizes`` (size name -> int)."""
        return self.coef * math.prod(int(sizes[n]) for n in self.names)

    def __str__(self) -> str:
        parts = ([str(self.coef)] if self.coef != 1 or not self.names else []) + list(self.names)
        return "*".join(parts)


class Node:
    """One node: ``op``, children ``args``, a payload ``value`` and its text span ``start:end``.

    ``shape`` is filled by shape inference: ``()`` for a scalar, ``(rows, cols)`` of :class:`Dim`.
    """

    __slots__ = ("op", "args", "value", "start", "end", "depth", "size", "shape")

    def __init__(self, op: str, args: tuple = (), value=None, start: int = 0, end: int = 0):
        self.op, self.args, self.value = op, args, value
        self.start, self.end = start, end
        depth, size = 0, 1
        for arg in args:
            size += arg.size
            if arg.depth > depth:
                depth = arg.depth
        self.depth, self.size = depth + (op not in _STRUCTURAL), size
        self.shape = None
        if self.depth > _MAX_DEPTH:
            raise LangFail("TOO_LARGE", f"the answer nests more than {_MAX_DEPTH} levels deep "
                           "(limit answer_depth)", start, "simplify it or split it into steps")
        if self.size > _MAX_NODES:
            raise LangFail("TOO_LARGE", f"the answer has more than {_MAX_NODES} parts "
                           "(limit answer_nodes)", start, "shorten it")

    def __repr__(self) -> str:
        inner = ", ".join(repr(a) for a in self.args)
        value = "" if self.value is None else f"{self.value!r}" + (", " if inner else "")
        return f"{self.op}({value}{inner})"


# The homework's own derivatives of its activations, elementwise: σ′ = σ ∘ (1 − σ) and
# tanh′ = 1 − tanh² = (1 − tanh) ∘ (1 + tanh).  Both syntaxes read ``σ′(z)`` through this.
DERIVATIVES = ("sigmoid", "tanh")
DERIVATIVE_HINT = ("write the derivative out as a formula, e.g. exp(z) for exp′(z); σ′(z) and tanh′(z) "
                   "are read as σ(z) ∘ (1 − σ(z)) and 1 − tanh²(z)")


def derivative_of(call: Node, hadamard: str, grouped) -> Node:
    """``σ′(z)`` given the call ``σ(z)``: ``σ(z) ∘ (1 − σ(z))``, or ``(1 − tanh(z)) ∘ (1 + tanh(z))``.

    ``hadamard`` is the syntax's spelling of ∘ and ``grouped`` wraps a node in its brackets.
    """
    start, end = call.start, call.end

    def around(sign):
        one = Node("num", (), "1", start, end)
        return grouped(Node("add", (one, call), ("+", sign), start, end))

    if call.value == "sigmoid":
        return Node("hprod", (call, around("-")), (hadamard,), start, end)
    return Node("hprod", (around("-"), around("+")), (hadamard,), start, end)
