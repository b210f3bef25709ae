"""The expression language: untrusted text to SymPy, through a whitelist, never ``eval``.

The assumptions grammar is pure Python and imported at once; the parser and the symbols load
SymPy, so they are imported on first use (a catalogue loads without SymPy).
"""

from symcheck.expr._assumptions import (ASSUMPTION_FORMS, MATRIX_PROPERTIES, SCALAR_PROPERTIES, Fact,
                                        facts_by_name, parse_assumption, parse_assumptions)

_LAZY = {"sigmoid": "_functions", "Limits": "_parser", "format_shape": "_parser", "is_matrix": "_parser",
         "parse": "_parser", "as_sympy": "_symbols", "dimension": "_symbols", "parse_shape": "_symbols",
         "scalar_symbol": "_symbols", "symbols_from_shapes": "_symbols"}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f"symcheck.expr.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'symcheck.expr' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


__all__ = ["ASSUMPTION_FORMS", "Fact", "Limits", "MATRIX_PROPERTIES", "SCALAR_PROPERTIES", "as_sympy",
           "dimension", "facts_by_name", "format_shape", "is_matrix", "parse", "parse_assumption",
           "parse_assumptions", "parse_shape", "scalar_symbol", "sigmoid", "symbols_from_shapes"]
