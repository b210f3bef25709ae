"""Scalar functions that SymPy lacks, with their derivative rule beside them."""

from __future__ import annotations

import sympy as sp

__all__ = ["sigmoid"]


class sigmoid(sp.Function):
    """The logistic function σ(t) = 1/(1 + e^(-t)).

    Its derivative is σ'(t) = σ(t)(1 − σ(t)), the rule backpropagation uses.

    >>> t = sp.Symbol("t")
    >>> sigmoid(t).diff(t)
    (1 - sigmoid(t))*sigmoid(t)
    >>> sigmoid(0)
    1/2
    """

    nargs = 1

    # dσ/dt = σ (1 − σ)
    def fdiff(self, argindex=1):
        s = sigmoid(self.args[0])
        return s * (1 - s)

    @classmethod
    def eval(cls, arg):  # trusted: SymPy's evaluation hook for sigmoid(number), not Python's eval
        if arg.is_zero:
            return sp.Rational(1, 2)
        return None

    def _eval_rewrite_as_exp(self, arg, **kwargs):
        return 1 / (1 + sp.exp(-arg))

    def _eval_evalf(self, prec):
        return (1 / (1 + sp.exp(-self.args[0])))._eval_evalf(prec)

    def _latex(self, printer, exp=None):
        inner = printer._print(self.args[0])
        base = rf"\sigma\left({inner}\right)"
        return base if exp is None else rf"{base}^{{{exp}}}"

    def _numpycode(self, printer):
        x = printer._print(self.args[0])
        return f"(1/(1 + {printer._module_format('numpy.exp')}(-({x}))))"
