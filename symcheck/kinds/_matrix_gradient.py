"""Kind ``matrix_gradient``: a matrix-form gradient of a loss (section 3.4 and the bonus).

Fields: ``function`` (the loss), ``wrt`` (required), ``definitions`` (named quantities such as
H and Yhat, shown folded in the result), ``conventions`` (words, e.g. how the MSE averages).
Rule: ``symbolic``.
"""

from symcheck.kinds._registry import register_kind
from symcheck.kinds._symbolic import SymbolicKind


@register_kind("matrix_gradient")
class MatrixGradient(SymbolicKind):
    """A matrix-form gradient; its truth is folded into the part's named quantities."""

    description = "a matrix-form gradient of a loss"

    def describe(self, problem) -> str:
        """Return e.g. ``matrix-form gradient wrt W_o``."""
        return f"matrix-form gradient wrt {problem.ask.wrt}"
