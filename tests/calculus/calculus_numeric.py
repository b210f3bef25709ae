"""Numeric oracles for the calculus tests: a NumPy evaluator and central differences.

Independent of symcheck.calculus: it evaluates SymPy matrix expressions with NumPy and
differentiates by central differences in float64.
"""

from __future__ import annotations

from functools import reduce

import numpy as np
import sympy as sp
from sympy.matrices.expressions import (
    Determinant,
    DiagMatrix,
    HadamardPower,
    HadamardProduct,
    Identity,
    Inverse,
    KroneckerProduct,
    MatAdd,
    MatMul,
    MatPow,
    MatrixSymbol,
    OneMatrix,
    Trace,
    Transpose,
    ZeroMatrix,
)
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.diagonal import DiagonalOf

from symcheck.expr import sigmoid
from symcheck.tolerances import TOLERANCES

STEP = 1e-6


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


_NUMPY_FUNCTIONS = {sp.exp: np.exp, sp.log: np.log, sp.tanh: np.tanh, sigmoid: _sigmoid,
                    sp.Abs: np.abs, sp.sign: np.sign, sp.sin: np.sin, sp.cos: np.cos}


class Evaluator:
    """Evaluate SymPy expressions at concrete sizes and values."""

    def __init__(self, values: dict, sizes: dict):
        self.values = values
        self.sizes = {k: int(v) for k, v in sizes.items()}
        self.memo: dict = {}

    def size(self, d) -> int:
        return int(sp.sympify(d).subs(self.sizes))

    def __call__(self, expr):
        if expr in self.memo:
            return self.memo[expr]
        method = _dispatch(expr)
        if method is None:
            raise TypeError(f"cannot evaluate {type(expr).__name__}: {expr}")
        self.memo[expr] = value = method(self, expr)
        return value


def _dispatch(expr):
    for types, method in _TABLE:
        if isinstance(expr, types):
            return method
    return None


def _scalar(x):
    x = np.asarray(x)
    return x.item() if x.size == 1 else x


def _matmul(ev, e):
    coeff, factors = e.as_coeff_matrices()
    return ev(coeff) * reduce(lambda a, b: a @ b, [ev(f) for f in factors])


_COMPILED: dict = {}


def _elementwise(ev, e):
    if e.function not in _COMPILED:
        t = sp.Dummy("t")
        _COMPILED[e.function] = sp.lambdify(t, e.function(t),
                                            modules=[{"sigmoid": _sigmoid}, "numpy"])
    return np.asarray(_COMPILED[e.function](ev(e.expr)), dtype=float) * np.ones_like(ev(e.expr))


def _vec(ev, e):
    return np.asarray(ev(e.args[0])).reshape(-1, 1, order="F")


def _commutation(ev, e):
    m, n = ev.size(e.args[0]), ev.size(e.args[1])
    K = np.zeros((m * n, m * n))
    for i in range(m):
        for j in range(n):
            K[j + n * i, i + m * j] = 1.0  # vec(Aᵀ)[j + n i] = A[i, j] = vec(A)[i + m j]
    return K


def _function(ev, e):
    return _NUMPY_FUNCTIONS[e.func](ev(e.args[0]))


def _symbol(ev, e):
    if e in ev.values:
        return ev.values[e]
    if e in ev.sizes:
        return float(ev.sizes[e])
    raise KeyError(f"no value for {e}")


_TABLE = [
    (MatrixSymbol, lambda ev, e: ev.values[e]),
    (MatMul, _matmul),
    (MatAdd, lambda ev, e: reduce(np.add, [ev(a) for a in e.args])),
    (Transpose, lambda ev, e: ev(e.arg).T),
    (Inverse, lambda ev, e: np.linalg.inv(ev(e.arg))),
    (MatPow, lambda ev, e: np.linalg.matrix_power(ev(e.base), int(e.exp))),
    (Trace, lambda ev, e: float(np.trace(ev(e.arg)))),
    (Determinant, lambda ev, e: float(np.linalg.det(ev(e.arg)))),
    (HadamardProduct, lambda ev, e: reduce(np.multiply, [ev(a) for a in e.args])),
    (HadamardPower, lambda ev, e: ev(e.base) ** ev(e.exp)),
    (KroneckerProduct, lambda ev, e: reduce(np.kron, [ev(a) for a in e.args])),
    (DiagMatrix, lambda ev, e: np.diag(np.ravel(ev(e.args[0])))),
    (DiagonalOf, lambda ev, e: np.diag(ev(e.arg)).reshape(-1, 1)),
    (ElementwiseApplyFunction, _elementwise),
    (Identity, lambda ev, e: np.eye(ev.size(e.rows))),
    (ZeroMatrix, lambda ev, e: np.zeros((ev.size(e.rows), ev.size(e.cols)))),
    (OneMatrix, lambda ev, e: np.ones((ev.size(e.rows), ev.size(e.cols)))),
    (sp.Symbol, _symbol),
    (sp.Number, lambda ev, e: float(e)),
    (sp.NumberSymbol, lambda ev, e: float(e)),
    (sp.Add, lambda ev, e: sum(_scalar(ev(a)) for a in e.args)),
    (sp.Mul, lambda ev, e: reduce(lambda x, y: x * y, [_scalar(ev(a)) for a in e.args])),
    (sp.Pow, lambda ev, e: _scalar(ev(e.base)) ** _scalar(ev(e.exp))),
    (sp.Function, _function),
]


def _register_late():
    from symcheck.calculus import CommutationMatrix, Vec

    _TABLE.insert(0, (Vec, _vec))
    _TABLE.insert(0, (CommutationMatrix, _commutation))


_register_late()


# --- random instances ----------------------------------------------------------------------

def concrete_sizes(exprs, rng, *, fixed=None) -> dict:
    """Assign a concrete size (2..4) to every dimension symbol in ``exprs``."""
    sizes = dict(fixed or {})
    dims = set()
    for e in exprs:
        for s in e.atoms(MatrixSymbol):
            dims |= {d for d in s.shape if isinstance(d, sp.Symbol)}
    for d in sorted(dims, key=str):
        sizes.setdefault(d, int(rng.integers(2, 5)))
    return sizes


def random_values(symbols, sizes, rng, *, kinds=None) -> dict:
    """Return random float64 values for the symbols; ``kinds`` maps names to "spd",
    "symmetric", "positive", "wellcond" (I-dominant, positive determinant)."""
    kinds = kinds or {}
    values = {}
    for s in symbols:
        if s in sizes:
            continue  # a dimension, such as N in 1/N
        kind = kinds.get(getattr(s, "name", str(s)))
        if isinstance(s, MatrixSymbol):
            r, c = (int(sp.sympify(d).subs(sizes)) for d in s.shape)
            A = rng.standard_normal((r, c))
            if kind == "spd":
                A = A @ A.T + r * np.eye(r)
            elif kind == "symmetric":
                A = A + A.T
            elif kind == "positive":
                A = np.abs(A) + 0.5
            elif kind == "wellcond":
                A = 0.3 * A + np.eye(r) * 2.0
            values[s] = A
        else:
            values[s] = float(abs(rng.standard_normal()) + 0.5) if kind != "any" else \
                float(rng.standard_normal())
    return values


def all_symbols(*exprs) -> set:
    out = set()
    for e in exprs:
        out |= set(e.atoms(MatrixSymbol))
        out |= {s for s in e.free_symbols if isinstance(s, sp.Symbol)}
    return out


# --- central differences -------------------------------------------------------------------

def numeric_jacobian(function, variable, values, sizes, *, step=STEP):
    """Return ∂vec F/∂vec(X)ᵀ by central differences (a scalar F gives one row)."""
    X0 = values[variable]
    columns = []
    for j in range(X0.size):
        E = np.zeros(X0.size)
        E[j] = step
        E = E.reshape(X0.shape, order="F")
        plus = Evaluator({**values, variable: X0 + E}, sizes)(function)
        minus = Evaluator({**values, variable: X0 - E}, sizes)(function)
        diff = (np.asarray(plus, dtype=float) - np.asarray(minus, dtype=float)) / (2 * step)
        columns.append(diff.reshape(-1, order="F"))
    return np.stack(columns, axis=1)


def numeric_gradient(function, variable, values, sizes):
    """Return ∂f/∂X (shape of X) by central differences."""
    X0 = values[variable]
    return numeric_jacobian(function, variable, values, sizes).reshape(X0.shape, order="F")


def assert_close(got, want, *, name="tolerance", what=""):
    """Assert |got − want| ≤ atol + rtol |want| entrywise (tolerance from symcheck.tolerances)."""
    __tracebackhide__ = True
    tol = TOLERANCES[name]
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    assert got.shape == want.shape or got.size == want.size, \
        f"{what}: shapes differ, got {got.shape}, want {want.shape}"
    got = got.reshape(want.shape)
    err = np.abs(got - want)
    bound = tol.atol + tol.rtol * np.abs(want) + tol.rtol * np.max(np.abs(want), initial=1.0)
    assert np.all(err <= bound), (f"{what}: max error {err.max():.3e} exceeds {name} tolerance\n"
                                  f"got:\n{got}\nwant:\n{want}")


# --- the check every identity test uses ------------------------------------------------------

def check_against_differences(result, f, wrt, *, kinds=None, seed=0, sizes=None, expected=None):
    """Check a Derivation numerically: against central differences and, when given, against the
    literature's closed form ``expected(values_by_name) -> ndarray``."""
    __tracebackhide__ = True
    from symcheck.calculus import derive

    rng = np.random.default_rng(seed)
    sizes = concrete_sizes([f, wrt], rng, fixed=sizes)
    values = random_values(all_symbols(f, wrt), sizes, rng, kinds=kinds)
    by_name = {getattr(k, "name", str(k)): v for k, v in values.items()}
    got = np.asarray(Evaluator(values, sizes)(result.expr), dtype=float)
    scalar = not f.is_Matrix or f.shape == (1, 1)
    if result.order == 1:
        want = (numeric_gradient(f, wrt, values, sizes) if scalar
                else numeric_jacobian(f, wrt, values, sizes))
    else:
        first = derive(f, wrt, 1).expr
        want = numeric_jacobian(first, wrt, values, sizes)
    assert_close(got, want, name="central_plain", what=f"{result.kind} against differences")
    if expected is not None:
        assert_close(got, np.asarray(expected(by_name), dtype=float).reshape(want.shape),
                     name="symbolic", what=f"{result.kind} against the literature")
    if result.order == 2 and result.linear_map is not None and scalar:
        dX = result.differential
        direction = rng.standard_normal(values[wrt].shape)
        mapped = Evaluator({**values, dX: direction}, sizes)(result.linear_map)
        vec_dir = direction.reshape(-1, 1, order="F")
        assert_close(np.asarray(mapped).reshape(-1, 1, order="F"), got @ vec_dir,
                     name="symbolic", what="linear map against vec-Hessian")
    return values, sizes


def check_steps(result, *, kinds=None, seed=0, sizes=None):
    """Check every line of a derivation at a random point and a random direction dX:
    lines about the same quantity are equal, and the first differential line equals the
    directional derivative of f by central differences."""
    __tracebackhide__ = True
    rng = np.random.default_rng(seed)
    exprs = [result.function, result.variable] + [s.expr for s in result.steps]
    sizes = concrete_sizes(exprs, rng, fixed=sizes)
    symbols = all_symbols(*exprs)
    values = random_values(symbols, sizes, rng, kinds=kinds)
    dX = result.differential
    values[dX] = rng.standard_normal(values[result.variable].shape) if dX not in values else values[dX]
    evaluate = Evaluator(values, sizes)
    previous: dict = {}
    for step in result.steps:
        value = np.asarray(evaluate(step.expr), dtype=float)
        if step.quantity in previous:
            assert_close(value, previous[step.quantity], name="symbolic",
                         what=f"step {step.text()!r} against the line before")
        previous[step.quantity] = value
    if "df" in previous:
        first_df = next(s for s in result.steps if s.quantity == "df")
        h = STEP
        X0 = values[result.variable]
        plus = Evaluator({**values, result.variable: X0 + h * values[dX]}, sizes)(result.function)
        minus = Evaluator({**values, result.variable: X0 - h * values[dX]}, sizes)(result.function)
        directional = (np.asarray(plus, dtype=float) - np.asarray(minus, dtype=float)) / (2 * h)
        assert_close(evaluate(first_df.expr), directional, name="central_plain",
                     what="df against the directional derivative")
    return len(result.steps)
