"""symcheck: derive, prove and grade the mathematics behind machine learning.

The public API is re-exported here; the code lives in the subpackages:

- ``symcheck.calculus``  symbolic derivation of closed forms, with LaTeX steps
- ``symcheck.verify``    numeric proof: complex step, central differences, checks
- ``symcheck.models``    NumPy reference models (ridge, the 2-2-1 network, MLPs)
- ``symcheck.grade``     grading answers against derived truths
- ``symcheck.catalogue`` the homework as data (``problems/``)
- ``symcheck.expr``      the safe expression language for untrusted text
- ``symcheck.testing``   hypothesis strategies and gradient checks for your own tests
"""

from symcheck.errors import SymcheckError

# The expression language loads SymPy, so it is imported on first use (PEP 562): the pytest
# plugin (symcheck.testing._plugin) must import without SymPy, NumPy or hypothesis.
_LAZY = {"parse": "symcheck.expr", "sigmoid": "symcheck.expr", "symbols_from_shapes": "symcheck.expr",
         "derive": "symcheck.calculus",
         "grade_answer": "symcheck.grade", "grade_submission": "symcheck.grade"}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'symcheck' has no attribute {name!r}")

__version__ = "0.1.0"

__all__ = ["SymcheckError", "derive", "grade_answer", "grade_submission", "parse", "sigmoid",
           "symbols_from_shapes", "__version__"]
