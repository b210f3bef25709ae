"""Every numerical tolerance symcheck uses, in one table.

Change a tolerance here and nowhere else.  Names are referenced from the catalogue
(``grading.tolerance = "table_2dp"``) and from the numeric oracles.

>>> TOLERANCES["complex_step"].rtol
1e-12
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Tolerance", "TOLERANCES", "tolerance"]


@dataclass(frozen=True)
class Tolerance:
    """A pass/fail rule ``|got - want| <= atol + rtol * |want|`` with a human description."""

    rtol: float
    atol: float
    description: str

    def accepts(self, got: float, want: float) -> bool:
        """Return True when ``got`` is within this tolerance of ``want``."""
        return abs(got - want) <= self.atol + self.rtol * abs(want)


TOLERANCES: dict[str, Tolerance] = {
    # Numeric oracles (proof of derived closed forms).
    "complex_step": Tolerance(1e-12, 1e-13, "complex-step derivative, error near machine precision"),
    "central": Tolerance(1e-8, 1e-9, "central differences with Richardson extrapolation"),
    "central_plain": Tolerance(1e-6, 1e-7, "plain central differences, step ~ eps^(1/3)"),
    "second_order_complex_step": Tolerance(1e-9, 1e-10, "second derivatives: central differences "
                                           "(Richardson) of the complex-step gradient"),
    "second_order_central": Tolerance(1e-6, 1e-7, "second derivatives: central differences "
                                      "(Richardson) of the central-difference gradient"),
    # Above this gap between complex step and central differences, f is not analytic there.
    "analyticity": Tolerance(1e-6, 1e-8, "complex step against central differences (Richardson)"),
    # The gradient at a derived stationary point, relative to its scale away from it.
    "stationary": Tolerance(1e-9, 0.0, "the gradient vanishes at the derived stationary point"),
    # A float64 model against the same quantity computed exactly (30 digits).
    "float64_vs_exact": Tolerance(1e-13, 0.0, "float64 NumPy model against 30-digit SymPy"),
    # Reading a printed number into float64 before comparing it with a rounded truth.
    "rounding_slack": Tolerance(1e-9, 1e-15, "slack on half a unit in the last printed digit"),
    # Comparing two symbolic closed forms by evaluation at random instances.
    "symbolic": Tolerance(1e-9, 1e-11, "two closed forms evaluated at the same random instance"),
    # Grading numbers the homework asks for.
    "numeric_full": Tolerance(1e-6, 1e-9, "a full-precision number, as printed with ~10 digits"),
    "table_2dp": Tolerance(0.0, 0.005 + 1e-12, "a table value rounded to 2 decimals"),
    "rmse": Tolerance(1e-6, 0.0, "an RMSE figure"),
    # Grading answers on random instances: beyond this an answer differs for sure.
    "grading_clear_difference": Tolerance(1e-6, 1e-9, "a difference no rounding explains"),
    # An answer moving by more than rtol under a 1e-9 relative input change is ill-conditioned.
    "grading_conditioning": Tolerance(1e-3, 0.0, "sensitivity to a 1e-9 perturbation"),
    # Data checks (symcheck evaluate).
    "constant_column": Tolerance(1e-12, 0.0, "a column whose std is below rtol·max|x| is constant"),
}


def tolerance(name: str) -> Tolerance:
    """Return the tolerance called ``name``; raise UsageError naming the known ones."""
    from symcheck.errors import UsageError

    try:
        return TOLERANCES[name]
    except KeyError:
        raise UsageError(f"unknown tolerance name={name!r}", where="tolerance",
                         fix=f"use one of {', '.join(sorted(TOLERANCES))}") from None
