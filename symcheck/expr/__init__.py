"""The expression language: untrusted text to SymPy, through a whitelist, never ``eval``."""

from symcheck.expr._assumptions import (ASSUMPTION_FORMS, MATRIX_PROPERTIES, SCALAR_PROPERTIES, Fact,
                                        facts_by_name, parse_assumption, parse_assumptions)
from symcheck.expr._functions import sigmoid
from symcheck.expr._parser import Limits, format_shape, is_matrix, parse
from symcheck.expr._symbols import as_sympy, dimension, parse_shape, scalar_symbol, symbols_from_shapes

__all__ = ["ASSUMPTION_FORMS", "Fact", "Limits", "MATRIX_PROPERTIES", "SCALAR_PROPERTIES", "facts_by_name",
           "parse_assumption", "parse_assumptions", "as_sympy", "dimension", "format_shape", "is_matrix", "parse", "parse_shape",
           "scalar_symbol", "sigmoid", "symbols_from_shapes"]
