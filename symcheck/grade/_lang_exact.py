"""Evaluate an answer without names to any number of digits with mpmath (30 by default).

>>> from symcheck.grade._language import parse_answer
>>> mpmath.nstr(exact_value(parse_answer("tanh(2)", {}).tree, 25), 25)
'0.9640275800758168839464137'
"""

from __future__ import annotations

import mpmath

from symcheck.errors import AnswerError
from symcheck.grade._lang_tree import Node

__all__ = ["exact_value"]

# Magnitudes are bounded so that no answer can make mpmath build numbers with huge exponents
# (exp(exp(exp(1000))) would need an exponent with 10^434 digits).
_MAX_BITS = 100_000          # |value| < 2^100000 (about 10^30103)
_MAX_EXP_ARGUMENT = 60_000   # exp(60000) < 2^100000
_SATURATED = 10_000          # tanh(±x) is ±1 and σ(x) is 1 to far more than 60 digits beyond this


def _too_large(what: str) -> AnswerError:
    return AnswerError(f"{what} is too large to evaluate exactly", code="TOO_LARGE", where="answer",
                       fix="check the exponents; values must stay below 10^30000")


def _exp(x):
    if mpmath.re(x) > _MAX_EXP_ARGUMENT:
        raise _too_large("an exponential")
    return mpmath.exp(x)


def _tanh(x):
    if abs(mpmath.re(x)) > _SATURATED and mpmath.im(x) == 0:
        return mpmath.sign(x)
    return mpmath.tanh(x)


def _sigmoid(x):
    if abs(mpmath.re(x)) > _SATURATED and mpmath.im(x) == 0:
        return mpmath.mpf(1) if x > 0 else _exp(x) if x > -_MAX_EXP_ARGUMENT else mpmath.mpf(0)
    return 1 / (1 + mpmath.exp(-x))


def _power(base, exponent):
    if base != 0 and abs(exponent) * max(abs(mpmath.mag(base)), 1) > _MAX_BITS:
        raise _too_large("a power")
    return mpmath.power(base, exponent)


_FUNCTIONS = {"exp": _exp, "log": mpmath.log, "sqrt": mpmath.sqrt, "tanh": _tanh, "abs": abs,
              "sigmoid": _sigmoid}


def exact_value(tree: Node, digits: int = 30):
    """Return the mpmath value of a constant scalar tree, computed with guard digits.

    Raises AnswerError when the value is not a finite real number or needs sizes or matrices.
    """
    try:
        with mpmath.workdps(digits + 10):
            value = _value(tree)
    except ZeroDivisionError:
        raise AnswerError("the answer divides by zero", code="UNSUPPORTED", where="answer",
                          fix="check the denominators") from None
    except _NotExact as exc:
        raise AnswerError(f"{exc} cannot be evaluated as an exact number", code="UNSUPPORTED",
                          where="answer", fix="write a number or an expression of numbers") from None
    if not isinstance(value, mpmath.mpf) or not mpmath.isfinite(value):
        raise AnswerError(f"the answer's value {mpmath.nstr(value, 8)} is not a finite real number",
                          code="UNSUPPORTED", where="answer", fix="check logarithms and roots of "
                          "negative numbers and divisions by zero")
    with mpmath.workdps(digits):
        return +value


class _NotExact(Exception):
    """A part of the tree (a size, a matrix) that has no exact scalar value."""


def _value(node: Node):
    value = _node_value(node)
    if mpmath.isfinite(value) and value != 0 and mpmath.mag(value) > _MAX_BITS:
        raise _too_large("a value")
    return value


def _node_value(node: Node):
    op = node.op
    if op == "num":
        fraction = node.value[0]
        return mpmath.mpf(fraction.numerator) / fraction.denominator
    if op == "const":
        return mpmath.e if node.value == "e" else mpmath.pi
    if op == "neg":
        return -_value(node.args[0])
    if op == "add":
        total = mpmath.mpf(0)
        for sign, term in zip(node.value, node.args):
            total = total - _value(term) if sign == "-" else total + _value(term)
        return total
    if op in ("prod", "hprod"):
        acc = _value(node.args[0])
        for sym, arg in zip(node.value, node.args[1:]):
            acc = acc / _value(arg) if sym == "/" else acc * _value(arg)
        return acc
    if op == "pow":
        return _power(_value(node.args[0]), _value(node.args[1]))
    if op == "inv":
        return 1 / _value(node.args[0])
    if op == "fn":
        return _FUNCTIONS[node.value](_value(node.args[0]))
    if op in ("scal", "T"):
        return _value(node.args[0])
    raise _NotExact({"size": f"the size {node.value}", "idx": f"the index {node.value}"}.get(
        op, "a matrix expression"))
