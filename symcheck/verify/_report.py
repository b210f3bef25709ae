"""The report every check returns: how far off, where, by which method and step.

>>> import numpy as np
>>> from symcheck.verify import gradient
>>> numeric = gradient(lambda x: (x ** 2).sum(), np.array([1.0, 2.0]))
>>> report = compare(numeric, np.array([2.0, 4.0 + 1e-6]), kind="gradient", shape=(2,))
>>> report.passed, report.worst_index
(False, (1,))
>>> print(report)
gradient entry [1]: expected 4 (complex_step, h=1e-150), got 4.000001; max relative error 2.5e-07 > rtol 1e-12 (atol 1e-13)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from symcheck.tolerances import TOLERANCES, Tolerance
from symcheck.verify._oracles import NumericDerivative
from symcheck.verify._vec import entry_of, vec

__all__ = ["DerivativeReport", "compare", "tolerance_for"]

# Which named tolerance judges the answer of each oracle.
_TOLERANCE_OF_METHOD = {
    "complex_step": "complex_step",
    "central": "central",
    "central_plain": "central_plain",
    "central∘complex_step": "second_order_complex_step",
    "central∘central": "second_order_central",
    "central∘central_plain": "second_order_central",
}


@dataclass(frozen=True)
class DerivativeReport:
    """The outcome of comparing a closed-form derivative with a numeric oracle.

    ``max_rel_error`` is normwise: the largest entry error ``|got − expected|`` divided by
    ``scale`` = the largest |expected| entry (at least ``atol/rtol``, below which the absolute
    tolerance decides).  ``passed`` means every entry error is within
    ``tolerance.atol + tolerance.rtol · scale``.  ``worst_index`` indexes the gradient (shaped
    like the variable) or the Jacobian / vec-Hessian matrix; ``expected`` and ``got`` are the
    oracle's and the closed form's values there.  ``method`` and ``step`` say how the oracle
    computed (``step`` is relative for central differences); ``note`` says why complex step
    was not used, when it was not.
    """

    kind: str
    passed: bool
    max_rel_error: float
    worst_index: tuple[int, ...]
    expected: float
    got: float
    method: str
    step: float
    tolerance: Tolerance
    scale: float
    note: str = ""

    def describe_method(self) -> str:
        """Return the method and its step as text, e.g. ``complex_step, h=1e-150``."""
        if self.method == "complex_step":
            return f"complex_step, h={self.step:.3g}"
        return f"{self.method}, relative step {self.step:.3g}"

    def __str__(self) -> str:
        index = ", ".join(str(i) for i in self.worst_index)
        verdict = "<=" if self.passed else ">"
        text = (f"{self.kind} entry [{index}]: expected {self.expected:.16g} "
                f"({self.describe_method()}), got {self.got:.16g}; max relative error "
                f"{self.max_rel_error:.2g} {verdict} rtol {self.tolerance.rtol:g} "
                f"(atol {self.tolerance.atol:g})")
        return f"{text}; {self.note}" if self.note else text


def tolerance_for(method: str, rtol: float | None = None) -> Tolerance:
    """Return the tolerance that judges ``method``'s answers, with ``rtol`` overriding its rtol."""
    base = TOLERANCES[_TOLERANCE_OF_METHOD[method]]
    if rtol is None:
        return base
    return Tolerance(float(rtol), base.atol, f"{base.description}; rtol set by the caller")


def compare(numeric: NumericDerivative, got, *, kind: str, shape: tuple[int, ...],
            rtol: float | None = None) -> DerivativeReport:
    """Return the report comparing the closed form ``got`` with the oracle's ``numeric``.

    ``got`` must have the shape of ``numeric.value``; ``shape`` is the shape the worst index
    refers to (the variable's shape for a gradient, the matrix's for a Jacobian or Hessian).
    """
    expected = vec(numeric.value)
    got_vec = vec(np.asarray(got, dtype=np.float64))
    tolerance = tolerance_for(numeric.method, rtol)
    gap = np.abs(got_vec - expected)
    if gap.size == 0:
        return DerivativeReport(kind, True, 0.0, (), 0.0, 0.0, numeric.method, numeric.step,
                                tolerance, 0.0, numeric.note)
    gap = np.where(np.isnan(gap), np.inf, gap)
    worst = int(np.argmax(gap))
    scale = float(np.max(np.abs(expected)))
    biggest = float(gap[worst])
    # Relative to the largest entry, but never to less than atol/rtol: below that scale the
    # absolute tolerance decides, and the oracle's rounding noise on a zero derivative
    # (1e-14 against 0) is not an error of 100%.
    floor = max(scale, tolerance.atol / tolerance.rtol if tolerance.rtol > 0 else 0.0)
    if floor > 0:
        relative = biggest / floor
    else:
        relative = 0.0 if biggest == 0 else float("inf")
    passed = bool(np.isfinite(biggest)) and biggest <= tolerance.atol + tolerance.rtol * scale
    return DerivativeReport(kind, passed, relative, entry_of(shape, worst), float(expected[worst]),
                            float(got_vec[worst]), numeric.method, numeric.step, tolerance, scale,
                            numeric.note)
