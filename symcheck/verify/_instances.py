"""Hypothesis strategies for matrices and for whole instances of a matrix expression.

Values are well scaled: entries lie in [-bound, bound] and magnitudes below 1e-3·bound are
snapped to 0, so derivatives stay in a range where relative errors mean something.
Structured matrices are built so the property holds by construction, never by filtering:
symmetric = (A + Aᵀ)/2; well-conditioned = A + diag(Σ_j |A_ij| + 1), strictly diagonally
dominant with margin 1 (so ‖M⁻¹‖_∞ ≤ 1); spd = the same shift of a symmetric matrix
(Gershgorin: every eigenvalue ≥ 1).

>>> from hypothesis import given
>>> @given(matrices((3, 3), spd=True))
... def test_spd(m):
...     assert (np.linalg.eigvalsh(m) >= 1 - 1e-12).all()
>>> test_spd()
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Mapping

import numpy as np
import sympy as sp
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sympy.matrices.expressions import MatrixSymbol

from symcheck.expr._symbols import as_sympy
from symcheck.errors import UsageError

__all__ = ["Instance", "shapes", "matrices", "instances", "parse_assumptions"]

MAX_SIDE = 6
BOUND = 2.0
_SNAP = 1e-3

MATRIX_PROPERTIES = ("symmetric", "spd", "invertible", "well_conditioned")
SCALAR_PROPERTIES = ("> 0", ">= 0", "< 0")


def shapes(*, min_side: int = 1, max_side: int = MAX_SIDE):
    """Return a strategy for matrix shapes ``(rows, cols)``, each side in [min_side, max_side].

    >>> from hypothesis import find
    >>> find(shapes(), lambda s: s[0] > s[1])
    (2, 1)
    """
    if not (isinstance(min_side, int) and isinstance(max_side, int) and 1 <= min_side <= max_side):
        raise UsageError(f"min_side={min_side!r}, max_side={max_side!r} do not give a range of sizes",
                         where="shapes", fix="use integers with 1 <= min_side <= max_side")
    side = st.integers(min_side, max_side)
    return st.tuples(side, side)


def _elements(bound: float):
    return st.floats(-bound, bound, allow_nan=False, allow_infinity=False,
                     allow_subnormal=False).map(lambda v: 0.0 if abs(v) < _SNAP * bound else v)


def _diagonally_dominant(a: np.ndarray) -> np.ndarray:
    return a + np.diag(np.abs(a).sum(axis=1) + 1.0)


def _check_matrix_request(shape, symmetric, spd, well_conditioned, bound) -> tuple[int, int]:
    if not (isinstance(shape, tuple) and len(shape) == 2
            and all(isinstance(s, (int, np.integer)) and s >= 1 for s in shape)):
        raise UsageError(f"shape={shape!r} is not a matrix shape", where="matrices",
                         fix="pass (rows, cols) with positive integers, or a strategy like shapes()")
    if (symmetric or spd or well_conditioned) and shape[0] != shape[1]:
        wanted = "symmetric" if symmetric else "spd" if spd else "well_conditioned"
        raise UsageError(f"shape={shape} is not square, so it cannot be {wanted}",
                         where="matrices", fix=f"use a square shape, e.g. ({shape[0]}, {shape[0]})")
    if not (isinstance(bound, (int, float)) and 0 < bound < 1e6):
        raise UsageError(f"bound={bound!r} is not a sensible entry bound", where="matrices",
                         fix="use a positive number such as 2.0")
    return int(shape[0]), int(shape[1])


def matrices(shape, *, symmetric: bool = False, spd: bool = False,
             well_conditioned: bool = False, bound: float = BOUND):
    """Return a strategy for float64 matrices of ``shape`` (a tuple or a strategy of tuples).

    ``symmetric``, ``spd`` (symmetric positive definite, eigenvalues ≥ 1) and
    ``well_conditioned`` (invertible, strictly diagonally dominant) need a square shape.
    Entries of the underlying draw lie in [-bound, bound].

    >>> from hypothesis import find
    >>> m = find(matrices((2, 2), symmetric=True), lambda m: m[0, 1] != 0)
    >>> bool((m == m.T).all())
    True
    """
    if isinstance(shape, st.SearchStrategy):
        return shape.flatmap(lambda s: matrices(tuple(s), symmetric=symmetric, spd=spd,
                                                well_conditioned=well_conditioned, bound=bound))
    rows, cols = _check_matrix_request(shape, symmetric, spd, well_conditioned, bound)
    raw = hnp.arrays(np.float64, (rows, cols), elements=_elements(bound))
    if symmetric or spd:
        raw = raw.map(lambda a: (a + a.T) / 2)
    if spd or well_conditioned:
        raw = raw.map(_diagonally_dominant)
    return raw


@dataclass(frozen=True, eq=False)
class Instance:
    """Consistent values for every symbol of an expression.

    ``sizes`` maps each dimension symbol (``m``, ``n``) to the drawn size; ``values`` maps each
    MatrixSymbol (as declared, with symbolic shape) to an array and each scalar Symbol to a float.
    ``instance["X"]`` looks a value (or a size) up by name.
    """

    sizes: Mapping[sp.Symbol, int] = field(default_factory=dict)
    values: Mapping[sp.Basic, object] = field(default_factory=dict)

    def __getitem__(self, name: str):
        for table in (self.values, self.sizes):
            for symbol, value in table.items():
                if str(symbol) == name:
                    return value
        raise KeyError(name)

    def __repr__(self) -> str:
        sizes = ", ".join(f"{s}={v}" for s, v in self.sizes.items())
        values = ", ".join(f"{s}={np.array2string(np.asarray(v), precision=17, separator=',')}"
                           for s, v in self.values.items())
        return f"Instance(sizes: {sizes or '-'}; values: {values})"


_ASSUMPTION = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(>=|>|<|\s)\s*(.*?)\s*$")


def parse_assumptions(assumptions: Iterable[str]) -> dict[str, set[str]]:
    """Return ``{name: {property, ...}}`` for texts like ``"M symmetric"`` or ``"lambda > 0"``.

    >>> parse_assumptions(["M symmetric", "lambda > 0"])
    {'M': {'symmetric'}, 'lambda': {'> 0'}}
    """
    if isinstance(assumptions, str):
        raise UsageError(f"assumptions={assumptions!r} is a single string", where="assumptions",
                         fix=f"pass a tuple of strings: assumptions=({assumptions!r},)")
    table: dict[str, set[str]] = {}
    for text in assumptions:
        match = _ASSUMPTION.match(text) if isinstance(text, str) else None
        prop = None
        if match:
            name, op, rest = match.groups()
            prop = f"{op} {rest}" if op in (">", ">=", "<") else rest.replace("-", "_").replace(" ", "_")
            prop = {"positive_definite": "spd", "symmetric_positive_definite": "spd"}.get(prop, prop)
        if prop not in MATRIX_PROPERTIES + SCALAR_PROPERTIES:
            raise UsageError(f"assumption {text!r} is not understood", where="assumptions",
                             fix="write 'NAME PROPERTY' with PROPERTY one of "
                             f"{', '.join(MATRIX_PROPERTIES)}, or 'NAME > 0', 'NAME >= 0', 'NAME < 0'")
        table.setdefault(name, set()).add(prop)
    return table


def _symbols_of(exprs) -> tuple[list[MatrixSymbol], list[sp.Symbol], list[sp.Symbol]]:
    """Return (matrix symbols, scalar symbols, dimension symbols) of expressions, sorted by name."""
    matrix_symbols: set[MatrixSymbol] = set()
    free: set[sp.Symbol] = set()
    for e in exprs:
        matrix_symbols |= set(e.atoms(MatrixSymbol))
        free |= {s for s in e.free_symbols if isinstance(s, sp.Symbol)}
    dims = {d for m in matrix_symbols for side in m.shape for d in as_sympy(side).free_symbols}
    for e in exprs:
        if hasattr(e, "shape"):
            dims |= {d for side in e.shape for d in as_sympy(side).free_symbols}
    dims |= {s for s in free if s.is_integer and s.is_positive}
    scalars = free - dims
    by_name = lambda s: str(s)  # noqa: E731
    return sorted(matrix_symbols, key=by_name), sorted(scalars, key=by_name), sorted(dims, key=by_name)


def _scalar_strategy(props: set[str], bound: float):
    low = _SNAP * bound * 50   # a positive scalar such as λ stays at least 0.1 for bound 2
    if "> 0" in props:
        return st.floats(low, bound)
    if ">= 0" in props:
        return _elements(bound).map(abs)
    if "< 0" in props:
        return st.floats(-bound, -low)
    return _elements(bound)


def _matrix_flags(symbol: MatrixSymbol, props: set[str]) -> dict[str, bool]:
    bad = props & set(SCALAR_PROPERTIES)
    if bad:
        raise UsageError(f"assumption '{symbol} {sorted(bad)[0]}' is about a scalar, but {symbol} is "
                         "a matrix", where="assumptions", fix=f"use one of {', '.join(MATRIX_PROPERTIES)}")
    if props and sp.simplify(symbol.rows - symbol.cols) != 0:
        raise UsageError(f"{symbol} is {symbol.rows}×{symbol.cols}, so it cannot be "
                         f"{' and '.join(sorted(props))}", where="assumptions",
                         fix="declare it with a square shape, e.g. (n, n)")
    return {"symmetric": "symmetric" in props, "spd": "spd" in props,
            "well_conditioned": bool(props & {"invertible", "well_conditioned"})}


def instances(expr, *, assumptions: Iterable[str] = (), max_side: int = MAX_SIDE,
              bound: float = BOUND):
    """Return a strategy for :class:`Instance` values of every symbol in ``expr``.

    ``expr`` is a SymPy expression or a sequence of them (drawn consistently: the same sizes
    and values for shared symbols).  Each dimension symbol (see ``symcheck.expr.dimension``)
    gets a size in [1, max_side]; each MatrixSymbol a matrix of its size; each scalar a float.
    ``assumptions`` are texts such as ``"M symmetric"``, ``"X invertible"``, ``"S spd"``,
    ``"lambda > 0"``.

    >>> from hypothesis import find
    >>> from symcheck.expr import symbols_from_shapes
    >>> ns = symbols_from_shapes({"X": ("n", "n"), "lam": ()})
    >>> inst = find(instances(ns["X"] * ns["lam"], assumptions=("X invertible", "lam > 0")),
    ...             lambda i: i["n"] == 2)
    >>> inst["X"].shape, inst["lam"] > 0
    ((2, 2), True)
    """
    exprs = list(expr) if isinstance(expr, (list, tuple)) else [expr]
    for e in exprs:
        if not isinstance(e, sp.Basic):
            raise UsageError(f"expr={e!r} is not a SymPy expression", where="instances",
                             fix="pass a SymPy expression, e.g. symcheck.parse(text, namespace)")
    props = parse_assumptions(assumptions)
    matrix_symbols, scalars, dims = _symbols_of(exprs)
    known = {str(s) for s in matrix_symbols + scalars}
    for name in props:
        if name not in known:
            raise UsageError(f"assumption about {name}, which is not in the expression",
                             where="assumptions", fix=f"name one of {', '.join(sorted(known)) or '(none)'}")
    flags = {m: _matrix_flags(m, props.get(str(m), set())) for m in matrix_symbols}
    side = st.integers(1, max_side)

    @st.composite
    def draw_instance(draw):
        sizes = {d: draw(side) for d in dims}
        values: dict[sp.Basic, object] = {}
        for m in matrix_symbols:
            shape = tuple(int(as_sympy(s).subs(sizes)) for s in m.shape)
            values[m] = draw(matrices(shape, bound=bound, **flags[m]))
        for s in scalars:
            values[s] = draw(_scalar_strategy(props.get(str(s), set()), bound))
        return Instance(sizes, values)

    return draw_instance()
