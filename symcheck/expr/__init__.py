"""The expression language: untrusted text to SymPy, through a whitelist, never ``eval``."""

from symcheck.expr._functions import sigmoid
from symcheck.expr._parser import Limits, format_shape, is_matrix, parse
from symcheck.expr._symbols import dimension, parse_shape, scalar_symbol, symbols_from_shapes

__all__ = ["Limits", "dimension", "format_shape", "is_matrix", "parse", "parse_shape",
           "scalar_symbol", "sigmoid", "symbols_from_shapes"]
