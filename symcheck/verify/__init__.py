"""Numeric proof of derivatives: complex step, central differences, and checks that report.

The oracles return Jacobians in numerator layout over column-major vecs, gradients shaped
like the variable, and vec-Hessians.  ``method="auto"`` uses complex-step differentiation
(machine precision) and falls back to central differences with Richardson extrapolation
where complex step does not apply, saying so in the report.

>>> import numpy as np
>>> from symcheck.verify import check_gradient
>>> X = np.array([[1.0, 2.0], [0.5, -1.0]])
>>> report = check_gradient(lambda X: np.trace(X @ X.T), X, 2 * X)   # HW 1.3: ∇ tr(XXᵀ) = 2X
>>> report.passed, report.method
(True, 'complex_step')
"""

from symcheck.verify._checks import check_gradient, check_hessian, check_jacobian
from symcheck.verify._first import central_jacobian, complex_step_jacobian
from symcheck.verify._lambdify import numpy_function
from symcheck.verify._oracles import METHODS, NumericDerivative, as_point, check_method, gradient, jacobian, vec_hessian
from symcheck.verify._prove import (Proof, check_instance, prove_derivative, prove_stationary_point, prove_values,
                                    run_examples)
from symcheck.verify._report import DerivativeReport, compare, tolerance_for
from symcheck.verify._vec import entry_of, unvec, vec

# Instance strategies and symbolic evaluation load SymPy and hypothesis: imported on first use.
_LAZY = {"Instance": "_instances", "instances": "_instances", "matrices": "_instances",
         "shapes": "_instances", "evaluate": "_symbolic", "evaluate_all": "_symbolic",
         "expected_shape": "_symbolic", "is_scalar": "_symbolic"}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f"symcheck.verify.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'symcheck.verify' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "METHODS",
    "DerivativeReport",
    "Instance",
    "NumericDerivative",
    "Proof",
    "as_point",
    "check_instance",
    "check_method",
    "evaluate",
    "evaluate_all",
    "expected_shape",
    "instances",
    "is_scalar",
    "matrices",
    "prove_derivative",
    "prove_stationary_point",
    "prove_values",
    "run_examples",
    "shapes",
    "check_gradient",
    "check_hessian",
    "check_jacobian",
    "central_jacobian",
    "compare",
    "complex_step_jacobian",
    "entry_of",
    "gradient",
    "jacobian",
    "numpy_function",
    "tolerance_for",
    "unvec",
    "vec",
    "vec_hessian",
]
