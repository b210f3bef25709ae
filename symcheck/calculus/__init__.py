"""Symbolic matrix calculus: closed-form derivatives with their derivation, by differentials.

>>> import sympy as sp
>>> from symcheck.calculus import derive
>>> X = sp.MatrixSymbol("X", 3, 3)
>>> derive(sp.log(sp.Determinant(X)), X).expr
X.T**(-1)
"""

from symcheck.calculus._cache import cached_derivations
from symcheck.calculus._derive import derive
from symcheck.calculus._differential import DifferentialSymbol, differential, differential_symbol
from symcheck.calculus._elementwise import apply_elementwise
from symcheck.calculus._fold import fold_definitions
from symcheck.calculus._printing import answer_text, latex, mathml, text
from symcheck.calculus._result import Derivation, Step
from symcheck.calculus._simplify import simplify_matrix
from symcheck.calculus._stationary import StationaryPoint, stationary_point
from symcheck.calculus._text import derive_part, derive_text
from symcheck.calculus._vec import CommutationMatrix, Vec

__all__ = ["CommutationMatrix", "cached_derivations", "Derivation", "DifferentialSymbol", "StationaryPoint", "Step", "Vec",
           "apply_elementwise", "derive", "derive_part", "derive_text", "differential", "differential_symbol", "fold_definitions", "latex", "mathml",
           "simplify_matrix", "stationary_point", "text", "answer_text"]
