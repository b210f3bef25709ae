"""symcheck: derive, prove and grade the mathematics behind machine learning.

The public API is re-exported here; the code lives in the subpackages:

- ``symcheck.calculus``  symbolic derivation of closed forms, with LaTeX steps
- ``symcheck.verify``    numeric proof: complex step, central differences, checks
- ``symcheck.models``    NumPy reference models (ridge, the 2-2-1 network, MLPs)
- ``symcheck.grade``     grading answers against derived truths
- ``symcheck.catalogue`` the homework as data (``problems/``)
- ``symcheck.expr``      the safe expression language for untrusted text
- ``symcheck.testing``   hypothesis strategies and gradient checks for your own tests
- ``symcheck.kinds``     the kinds of question: what each means, how it is checked and graded

Each subpackage is imported on first use:

>>> import symcheck
>>> symcheck.verify.check_gradient.__name__, symcheck.grade.check_part.__name__
('check_gradient', 'check_part')
"""

from symcheck.errors import SymcheckError

# The expression language loads SymPy, so it is imported on first use (PEP 562): the pytest
# plugin (symcheck.testing._plugin) must import without SymPy, NumPy or hypothesis.
_LAZY = {"parse": "symcheck.expr", "sigmoid": "symcheck.expr", "symbols_from_shapes": "symcheck.expr",
         "derive": "symcheck.calculus",
         "grade_answer": "symcheck.grade", "grade_submission": "symcheck.grade"}


# The subpackages, also on first use: ``import symcheck; symcheck.verify.check_gradient``.
_SUBPACKAGES = ("calculus", "catalogue", "expr", "grade", "kinds", "models", "report", "testing",
                "verify")


def __getattr__(name):
    import importlib

    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name in _SUBPACKAGES:
        return importlib.import_module(f"symcheck.{name}")  # the import sets the attribute
    raise AttributeError(f"module 'symcheck' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY) | set(_SUBPACKAGES))

__version__ = "0.1.0"

__all__ = ["SymcheckError", "derive", "grade_answer", "grade_submission", "parse", "sigmoid",
           "symbols_from_shapes", "__version__"]
