"""Hypothesis strategies for matrices and for whole instances of a matrix expression.

:func:`matrices` draws every entry through hypothesis, so a failure in your own test shrinks
entry by entry.  :func:`instances` is what the proofs run on, thousands of times a command:
hypothesis draws what it is good at (the sizes, a seed, an edge case such as exact zeros,
and the shrinking of a failure to small sizes) and NumPy draws the values from the seed, 0.04 ms
for arrays that cost milliseconds entry by entry.  Everything a draw needs (symbols, shapes,
structure) is prepared once, when the strategy is built.

Values are well scaled: entries lie in [-bound, bound] and magnitudes below 1e-3·bound are
snapped to 0, so derivatives stay in a range where relative errors mean something.
Structured matrices are built so the property holds by construction, never by filtering:
symmetric = (A + Aᵀ)/2; well-conditioned = A + diag(Σ_j |A_ij| + 1), strictly diagonally
dominant with margin 1 (so ‖M⁻¹‖_∞ ≤ 1); spd = the same shift of a symmetric matrix
(Gershgorin: every eigenvalue ≥ 1); orthogonal = the Q of a QR factorisation with the signs of
R's diagonal made positive (Haar-distributed); symmetric and orthogonal = a Householder
reflection I − 2vvᵀ/vᵀv.  Assumption texts follow the one grammar of
:func:`symcheck.expr.parse_assumptions`.

>>> from hypothesis import given
>>> @given(matrices((3, 3), spd=True))
... def test_spd(m):
...     assert (np.linalg.eigvalsh(m) >= 1 - 1e-12).all()
>>> test_spd()
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Mapping

import numpy as np
import sympy as sp
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sympy.matrices.expressions import MatrixSymbol

from symcheck.errors import UsageError
from symcheck.expr import as_sympy, facts_by_name, parse_assumptions

__all__ = ["Instance", "shapes", "matrices", "instances", "instance_groups", "groups_of"]

MAX_SIDE = 6
BOUND = 2.0
_SNAP = 1e-3

# Edge cases for the first instance of each group, as hypothesis's own array draws would find
# them: every entry 0 (first, so the first draw and every shrink go there), about half the
# entries 0, or none.  The other instances of a group are dense.
_EDGES = ("zero", "dense", "dense", "sparse")
_SEEDS = st.integers(0, 2**32 - 1)


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


@lru_cache(maxsize=512)
def dimensions_of(exprs: tuple) -> list[sp.Symbol]:
    """Return the dimension symbols (sizes drawn) of ``exprs``, sorted by name."""
    return _symbols_of(list(exprs))[2]


def _side(side, dims: list[sp.Symbol]):
    """Return a function of the drawn sizes giving one side of a matrix (compiled once)."""
    side = as_sympy(side)
    if side.is_Integer:
        value = int(side)
        return lambda sizes: value
    if side in dims:
        return lambda sizes: sizes[side]
    used = sorted(side.free_symbols, key=str)
    compute = sp.lambdify(used, side, modules=[])
    return lambda sizes: int(compute(*(sizes[d] for d in used)))


def _structure(symbol: MatrixSymbol, props: frozenset[str]) -> str:
    """Return how the matrix is built: plain, symmetric, dominant, spd, orthogonal, reflection, eye."""
    if props and sp.simplify(symbol.rows - symbol.cols) != 0:   # the grammar checked; sizes may be exprs
        raise UsageError(f"{symbol} is {symbol.rows}×{symbol.cols}, so it cannot be "
                         f"{' and '.join(sorted(props))}", where="assumptions",
                         fix="declare it with a square shape, e.g. (n, n)")
    if "orthogonal" in props:
        return "eye" if "spd" in props else "reflection" if "symmetric" in props else "orthogonal"
    if "spd" in props or ("symmetric" in props and "invertible" in props):
        return "spd"
    if "symmetric" in props:
        return "symmetric"
    if props & {"invertible", "well_conditioned"}:
        return "dominant"
    return "plain"


def _uniform(rng: np.random.Generator, shape, bound: float, edge: str) -> np.ndarray:
    if edge == "zero":
        return np.zeros(shape)
    a = np.asarray(rng.uniform(-bound, bound, shape), dtype=np.float64)
    a[np.abs(a) < _SNAP * bound] = 0.0
    if edge == "sparse":
        a[rng.random(shape) < 0.5] = 0.0
    return a


def _matrix_value(rng, shape: tuple[int, int], structure: str, bound: float, edge: str) -> np.ndarray:
    """Draw one matrix of ``shape`` with the ``structure`` of :func:`_structure`."""
    n = shape[0]
    if structure == "eye":                      # the only orthogonal spd matrix
        return np.eye(n)
    if structure == "orthogonal":
        q, r = np.linalg.qr(rng.normal(size=(n, n)))
        return q * np.where(np.diag(r) < 0, -1.0, 1.0)
    if structure == "reflection":
        v = rng.normal(size=(n, 1))
        return np.eye(n) - 2.0 * (v @ v.T) / float((v * v).sum())
    a = _uniform(rng, shape, bound, edge)
    if structure in ("symmetric", "spd"):
        a = (a + a.T) / 2
    if structure in ("spd", "dominant"):
        a = _diagonally_dominant(a)
    return a


def _scalar_value(rng, props: frozenset[str], bound: float, edge: str) -> float:
    low = _SNAP * bound * 50   # a positive scalar such as λ stays at least 0.1 for bound 2
    if "> 0" in props:
        return float(rng.uniform(low, bound))
    if "< 0" in props:
        return float(rng.uniform(-bound, -low))
    value = float(_uniform(rng, (), bound, edge))
    return abs(value) if ">= 0" in props else value


def _facts(assumptions, matrix_symbols, scalars) -> dict[str, frozenset[str]]:
    """Read the assumption texts with the one grammar, against the expression's symbols."""
    if isinstance(assumptions, str):
        raise UsageError(f"assumptions={assumptions!r} is a single string", where="assumptions",
                         fix=f"pass a tuple of strings: assumptions=({assumptions!r},)")
    shapes = {str(m): tuple(m.shape) for m in matrix_symbols} | {str(s): () for s in scalars}
    return facts_by_name(parse_assumptions(list(assumptions), shapes, owner="the expression"))


def _prepare(expr, assumptions, max_side: int, bound: float):
    """Return ``(dimension symbols, draw_values(sizes, rng, edge) -> Instance)``."""
    exprs = list(expr) if isinstance(expr, (list, tuple)) else [expr]
    for e in exprs:
        if not isinstance(e, sp.Basic):
            raise UsageError(f"expr={e!r} is not a SymPy expression", where="instances",
                             fix="pass a SymPy expression, e.g. symcheck.parse(text, namespace)")
    if not (isinstance(max_side, int) and max_side >= 1):
        raise UsageError(f"max_side={max_side!r} is not a positive integer", where="instances",
                         fix="use e.g. max_side=6")
    matrix_symbols, scalars, dims = _symbols_of(exprs)
    props = _facts(assumptions, matrix_symbols, scalars)
    none: frozenset[str] = frozenset()
    matrix_plans = [(m, _side(m.rows, dims), _side(m.cols, dims), _structure(m, props.get(str(m), none)))
                    for m in matrix_symbols]
    scalar_plans = [(s, props.get(str(s), none)) for s in scalars]

    def draw_values(sizes, rng: np.random.Generator, edge: str) -> Instance:
        values: dict[sp.Basic, object] = {}
        for m, rows, cols, structure in matrix_plans:
            values[m] = _matrix_value(rng, (rows(sizes), cols(sizes)), structure, bound, edge)
        for s, scalar_props in scalar_plans:
            values[s] = _scalar_value(rng, scalar_props, bound, edge)
        return Instance(sizes, values)

    return dims, draw_values


def instances(expr, *, assumptions: Iterable[str] = (), max_side: int = MAX_SIDE,
              bound: float = BOUND):
    """Return a strategy for :class:`Instance` values of every symbol in ``expr``.

    ``expr`` is a SymPy expression or a sequence of them (drawn consistently: the same sizes
    and values for shared symbols).  Each dimension symbol (see ``symcheck.expr.dimension``)
    gets a size in [1, max_side]; each MatrixSymbol a matrix of its size; each scalar a float.
    ``assumptions`` are texts such as ``"M symmetric"``, ``"X invertible"``, ``"S spd"``,
    ``"Q orthogonal"``, ``"lambda > 0"`` (the grammar of :func:`symcheck.expr.parse_assumptions`).

    >>> from hypothesis import find
    >>> from symcheck.expr import symbols_from_shapes
    >>> ns = symbols_from_shapes({"X": ("n", "n"), "lam": ()})
    >>> inst = find(instances(ns["X"] * ns["lam"], assumptions=("X invertible", "lam > 0")),
    ...             lambda i: i["n"] == 2)
    >>> inst["X"].shape, inst["lam"] > 0
    ((2, 2), True)
    """
    single = instance_groups(expr, assumptions=assumptions, max_side=max_side, bound=bound,
                             size=1).map(lambda group: group[0])
    _GROUPS[single] = lambda size: instance_groups(expr, assumptions=assumptions,
                                                   max_side=max_side, bound=bound, size=size)
    return single


# instances() strategy -> the same draws in groups of a given size (see groups_of).
_GROUPS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def groups_of(strategy):
    """Return ``size -> strategy of instance groups`` for an :func:`instances` strategy, else None.

    symcheck's property runner uses it to draw many instances per hypothesis example.
    """
    try:
        return _GROUPS.get(strategy)
    except TypeError:    # not weakly referenceable: not one of ours
        return None


def instance_groups(expr, *, size: int, assumptions: Iterable[str] = (), max_side: int = MAX_SIDE,
                    bound: float = BOUND):
    """Return a strategy for lists of ``size`` instances that share their sizes.

    Hypothesis draws the sizes, a seed and an edge case for the first instance (every entry 0,
    half the entries 0, or none) once per list; NumPy draws the values from the seed.  A proof that checks many instances spends the
    hypothesis engine's per-example cost once per list instead of once per instance.

    >>> from hypothesis import find
    >>> from symcheck.expr import symbols_from_shapes
    >>> ns = symbols_from_shapes({"X": ("n", "n")})
    >>> group = find(instance_groups(ns["X"], size=3), lambda g: g[0]["n"] == 2)
    >>> [i["X"].shape for i in group], bool((group[0]["X"] != group[1]["X"]).any())
    ([(2, 2), (2, 2), (2, 2)], True)
    """
    if not (isinstance(size, int) and size >= 1):
        raise UsageError(f"size={size!r} is not a positive integer", where="instance_groups",
                         fix="use e.g. size=8")
    dims, draw_values = _prepare(expr, assumptions, max_side, bound)
    side = st.integers(1, max_side)
    edges = st.sampled_from(_EDGES)

    @st.composite
    def draw_group(draw):
        sizes = {d: draw(side) for d in dims}
        rng = np.random.default_rng(draw(_SEEDS))
        edge = draw(edges)
        return [draw_values(sizes, rng, edge if i == 0 else "dense") for i in range(size)]

    return draw_group()
