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
from symcheck.expr import parse, sigmoid, symbols_from_shapes

__version__ = "0.1.0"

__all__ = ["SymcheckError", "parse", "sigmoid", "symbols_from_shapes", "__version__"]
