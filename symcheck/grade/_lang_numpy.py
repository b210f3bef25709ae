"""Compile a typed answer tree once into NumPy closures that evaluate a whole batch at a time.

Values are batched: a matrix is ``(K, r, c)``, a scalar ``(K,)``.  Constants stay unbatched
(``np.eye(n)`` is ``(n, n)``) and NumPy broadcasting does the rest; a scalar meets a matrix as
``s[..., None, None]``.  Products use ``np.matmul`` on the stacks, inverses ``np.linalg.inv``
(a singular instance gives NaN for that instance only).  No SymPy anywhere.
"""

from __future__ import annotations

import itertools
import math
from typing import Callable

import numpy as np

from symcheck.errors import AnswerError
from symcheck.grade._lang_tree import Node, limit_value

__all__ = ["compile_tree", "Env"]

_SUM_TERMS = limit_value("sum_terms")


class Env:
    """The inputs of one evaluation: values (name -> batched array), sizes, sum indices."""

    __slots__ = ("values", "sizes", "idx")

    def __init__(self, values, sizes):
        self.values, self.sizes, self.idx = values, sizes, {}


Fn = Callable[[Env], np.ndarray]


def _col(s):
    """A scalar (K,) or () as something that broadcasts against (K, r, c)."""
    return s[..., None, None] if np.ndim(s) else s


def _is_matrix(node: Node) -> bool:
    return len(node.shape) == 2


def compile_tree(node: Node) -> Fn:
    """Return ``f(env)`` computing the node's value for the whole batch."""
    return _COMPILE[node.op](node)


def _leaf(node):
    op = node.op
    if op == "num":
        value = np.float64(node.value[0])
        return lambda env: value
    if op == "const":
        value = np.float64(math.e if node.value == "e" else math.pi)
        return lambda env: value
    name = node.value
    if op == "sym":
        return lambda env: env.values[name]
    if op == "size":
        return lambda env: np.float64(env.sizes[name])
    return lambda env: np.float64(env.idx[name])


def _eye(node):
    dim = node.value
    return lambda env: np.eye(dim.value(env.sizes))


def _filled(node):
    rows, cols = node.value
    fill = np.ones if node.op == "ones" else np.zeros
    return lambda env: fill((rows.value(env.sizes), cols.value(env.sizes)))


def _add(node):
    fs = [compile_tree(a) for a in node.args]
    signs = [s == "-" for s in node.value]

    if len(fs) == 2 and not signs[0]:   # a ± b, the common case, without the loop
        first, second = fs
        if signs[1]:
            return lambda env: first(env) - second(env)
        return lambda env: first(env) + second(env)

    def add(env):
        acc = -fs[0](env) if signs[0] else fs[0](env)
        for negative, f in zip(signs[1:], fs[1:]):
            acc = acc - f(env) if negative else acc + f(env)
        return acc
    return add


def _neg(node):
    f = compile_tree(node.args[0])
    return lambda env: -f(env)


def _combine(op: str, left_matrix: bool, right_matrix: bool):
    """The NumPy step for ``acc OP x`` given which sides are matrices."""
    if op == "/":
        return (lambda a, b: a / _col(b)) if left_matrix else (lambda a, b: a / b)
    if left_matrix and right_matrix:
        return {"*": np.matmul, "∘": np.multiply, "⊗": _kron}[op]
    if left_matrix:
        return lambda a, b: a * _col(b)
    if right_matrix:
        return lambda a, b: _col(a) * b
    return np.multiply


def _chain(node):
    fs = [compile_tree(a) for a in node.args]
    steps, matrix = [], _is_matrix(node.args[0])
    for op, arg in zip(node.value, node.args[1:]):
        steps.append(_combine(op, matrix, _is_matrix(arg)))
        matrix = matrix or _is_matrix(arg)
    first, rest = fs[0], list(zip(steps, fs[1:]))
    if len(rest) == 1:   # a·b, the common case, without the loop
        (step, second), = rest
        return lambda env: step(first(env), second(env))

    def chain(env):
        acc = first(env)
        for step, f in rest:
            acc = step(acc, f(env))
        return acc
    return chain


def _kron(a, b):
    """Batched Kronecker product: (..., p, q) ⊗ (..., r, s) -> (..., p*r, q*s)."""
    out = a[..., :, None, :, None] * b[..., None, :, None, :]
    p, r, q, s = out.shape[-4:]
    return out.reshape(out.shape[:-4] + (p * r, q * s))


def _inv(x):
    if np.ndim(x) < 2:
        return 1 / x
    try:
        return np.linalg.inv(x)
    except np.linalg.LinAlgError:
        out = np.full(np.broadcast_shapes(x.shape), np.nan, dtype=np.result_type(x, np.float64))
        for k in np.ndindex(x.shape[:-2]):
            try:
                out[k] = np.linalg.inv(x[k])
            except np.linalg.LinAlgError:
                pass
        return out


def _matrix_power(x, p):
    if p < 0:
        x, p = _inv(x), -p
    return np.linalg.matrix_power(x, p)


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


_ELEMENTWISE = {"exp": np.exp, "log": np.log, "sqrt": np.sqrt, "tanh": np.tanh,
                "sigmoid": _sigmoid, "abs": np.abs}


def _unary(node):
    f = compile_tree(node.args[0])
    op = node.op
    if op == "fn":
        g = _ELEMENTWISE[node.value]
    elif op == "norm" and not _is_matrix(node.args[0]):
        g = lambda x: np.sqrt(x * x)   # noqa: E731  (the Frobenius norm of a 1×1 matrix)
    elif op == "mpow":
        p = node.value
        g = lambda x: _matrix_power(x, p)   # noqa: E731
    else:
        g = {
            "inv": _inv,
            "T": lambda x: np.swapaxes(x, -1, -2),
            "tr": lambda x: np.trace(x, axis1=-2, axis2=-1),
            "det": np.linalg.det,
            "norm": lambda x: np.sqrt(np.sum(x * x, axis=(-2, -1))),
            "scal": lambda x: x[..., 0, 0],
            "diag": _diag,
        }[op]
    return lambda env: g(f(env))


def _diag(x):
    v = x.reshape(x.shape[:-2] + (-1,))
    return v[..., :, None] * np.eye(v.shape[-1])


def _pow(node):
    base, exponent = (compile_tree(a) for a in node.args)
    return lambda env: np.power(base(env), exponent(env))


def _hpow(node):
    base, exponent = (compile_tree(a) for a in node.args)
    return lambda env: np.power(base(env), _col(exponent(env)))


def _bcast(node):
    f = compile_tree(node.args[0])
    rows, cols = node.shape
    return lambda env: _col(f(env)) * np.ones((rows.value(env.sizes), cols.value(env.sizes)))


def _static_int(value, what: str) -> int:
    flat = np.ravel(value)
    number = float(flat[0].real) if flat.size else math.nan
    if not number.is_integer():
        raise AnswerError(f"{what} is {number:g}, not a whole number", code="SHAPE",
                          where="answer", fix="indices and bounds must be whole numbers")
    return int(number)


def _index(node):
    matrix, *index_fns = [compile_tree(a) for a in node.args]
    shape = node.args[0].shape

    def index(env):
        x = matrix(env)
        rows, cols = shape[0].value(env.sizes), shape[1].value(env.sizes)
        i, j = (_static_int(f(env), "an index") for f in index_fns)
        if not (1 <= i <= rows and 1 <= j <= cols):
            raise AnswerError(f"the entry ({i}, {j}) is outside the {rows}×{cols} matrix at these "
                              "sizes", code="SHAPE", where="answer",
                              fix="indices are 1-based and at most the size of each side")
        return x[..., i - 1, j - 1]
    return index


def _sum(node):
    term, *bound_fns = [compile_tree(a) for a in node.args]
    names = node.value

    def total(env):
        ranges = []
        for lo, hi in zip(bound_fns[0::2], bound_fns[1::2]):
            ranges.append(range(_static_int(lo(env), "a bound"), _static_int(hi(env), "a bound") + 1))
        count = math.prod(len(r) for r in ranges)
        if count > _SUM_TERMS:
            raise AnswerError(f"the sum has {count} terms at these sizes, more than {_SUM_TERMS} "
                              "(limit sum_terms)", code="TOO_LARGE", where="answer",
                              fix="write it in matrix form")
        acc = np.float64(0.0)
        saved = dict(env.idx)
        try:
            for point in itertools.product(*ranges):
                env.idx.update(zip(names, point))
                acc = acc + term(env)
        finally:
            env.idx = saved
        return acc
    return total


_COMPILE = {
    "num": _leaf, "const": _leaf, "sym": _leaf, "size": _leaf, "idx": _leaf,
    "eye": _eye, "ones": _filled, "zeros": _filled,
    "add": _add, "neg": _neg, "prod": _chain, "hprod": _chain,
    "pow": _pow, "hpow": _hpow, "bcast": _bcast, "index": _index, "sum": _sum,
    **{op: _unary for op in ("fn", "mpow", "inv", "T", "tr", "det", "norm", "scal", "diag")},
}
