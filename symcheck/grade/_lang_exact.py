"""Evaluate an answer without names to any number of digits with mpmath (30 by default).

>>> from symcheck.grade._language import parse_answer
>>> mpmath.nstr(exact_value(parse_answer("tanh(2)", {}).tree, 25), 25)
'0.9640275800758168839464137'
"""

from __future__ import annotations

import mpmath

from symcheck.grade._lang_tree import Node

__all__ = ["exact_value"]

_FUNCTIONS = {
    "exp": mpmath.exp, "log": mpmath.log, "sqrt": mpmath.sqrt, "tanh": mpmath.tanh,
    "abs": abs, "sigmoid": lambda x: 1 / (1 + mpmath.exp(-x)),
}


def exact_value(tree: Node, digits: int = 30):
    """Return the mpmath value of a constant scalar tree, computed with guard digits."""
    with mpmath.workdps(digits + 10):
        value = _value(tree)
    with mpmath.workdps(digits):
        return +value


def _value(node: Node):
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
        return mpmath.power(_value(node.args[0]), _value(node.args[1]))
    if op == "inv":
        return 1 / _value(node.args[0])
    if op == "fn":
        return _FUNCTIONS[node.value](_value(node.args[0]))
    if op in ("scal", "T"):
        return _value(node.args[0])
    raise ValueError(f"{op} has no exact scalar value")
