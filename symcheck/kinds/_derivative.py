"""Kind ``derivative``: a first or second derivative of a function of matrices.

Fields: ``function``, ``wrt`` (required), ``order`` (1 or 2), ``definitions``.  The truth is
the derivation by differentials (gradient shaped like the variable, numerator-layout Jacobian,
vec-Hessian), proven against complex-step and central differences.  Rule: ``symbolic``; the
key's intermediate lines must each equal the function they rewrite.
"""

from symcheck.kinds._registry import register_kind
from symcheck.kinds._symbolic import SymbolicKind


@register_kind("derivative")
class Derivative(SymbolicKind):
    """A first or second derivative; ``symcheck derive`` shows its derivation."""

    description = "a first or second derivative of a function of matrices"
    reference_is_function = True

    def describe(self, problem) -> str:
        """Return e.g. ``first derivative wrt X``."""
        ask = problem.ask
        return f"{'first' if ask.order == 1 else 'second'} derivative wrt {ask.wrt}"
