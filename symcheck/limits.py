"""Every limit on the work one input may cause, in one table.

symcheck reads untrusted text: student answers, submission files, catalogue files and CSVs.  Each
input is bounded in size before any work starts, and the work itself (parsing, symbolic
derivation, numeric evaluation) is bounded where it happens.  A limit that is hit raises a
clear error naming the limit (``LIMITS["answer_length"].name``) and the input, never a hang,
an out-of-memory or a traceback.

Change a limit here and nowhere else.  Tolerances live beside this table in
``symcheck/tolerances.py``.

>>> LIMITS["answer_length"].value
10000
>>> limit("answer_length").describe()
'answer_length = 10000 (characters in one expression or answer)'
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Iterator, Mapping

__all__ = ["Limit", "LIMITS", "limit", "raised"]


@dataclass(frozen=True)
class Limit:
    """One bound: its name, its value and the unit it counts in."""

    name: str
    value: int | float
    unit: str

    def describe(self) -> str:
        """Return ``name = value (unit)``, for error messages and the docs."""
        return f"{self.name} = {self.value} ({self.unit})"


def _table(*rows: tuple[str, int | float, str]) -> dict[str, Limit]:
    return {name: Limit(name, value, unit) for name, value, unit in rows}


LIMITS: dict[str, Limit] = _table(
    # Expressions and answers (symcheck.expr, the answer language of symcheck.grade).
    ("answer_length", 10_000, "characters in one expression or answer"),
    ("answer_depth", 60, "nesting depth of one expression"),
    ("answer_nodes", 5_000, "syntax-tree nodes in one expression"),
    ("number_digits", 60, "significant digits in one number literal"),
    ("number_exponent", 300, "decimal exponent of one number literal, |e| at most"),
    ("power_exponent", 64, "integer exponent of one power"),
    ("power_degree", 256, "total degree of nested powers, after multiplying exponents"),
    ("sum_terms", 1_000, "terms of one summation"),
    ("answer_literal_size", 100, "a size written as a number in an answer: Identity(3), ones(2, 1)"),
    ("derivation_ops", 200_000, "SymPy operations in one derivation (its expression-tree size)"),
    ("derivation_seconds", 5, "CPU seconds of symbolic work on one derivation"),
    ("derivation_terms", 2_000, "terms of one differential by the product rule, before simplifying"),
    ("chain_lines", 50, "lines in one derivation chain"),
    ("grade_cache_answers", 100_000, "graded answers a Grader keeps to reuse (oldest dropped first)"),
    ("parse_cache_answers", 256, "parsed answers kept for a repeated parse_answer call (each holds "
     "its tree and compiled NumPy code, which every garbage collection pass walks)"),
    ("grade_answer_work", 20_000_000, "scalar operations of one answer (a derivation chain: of all its "
     "lines) on one instance at the largest size drawn: entries of each step times its operands' "
     "largest dimension"),
    ("grade_matrix_entries", 250_000, "entries of any matrix an answer builds, at the largest size drawn"),
    ("store_entry_bytes", 64_000_000, "bytes of one prepared-part file read back from the store"),
    # Files.
    ("catalogue_file_bytes", 1_000_000, "bytes in one catalogue file"),
    ("catalogue_parts", 2_000, "parts in one catalogue file"),
    ("catalogue_toml_depth", 20, "nesting depth of tables and arrays in one catalogue file"),
    ("submission_file_bytes", 1_000_000, "bytes in one submission file, not counting answers "
     "longer than answer_length (each is graded TOO_LARGE)"),
    ("submission_read_bytes", 8_000_000, "bytes read from one submission file, over-long answers included"),
    ("submission_answers", 1_000, "answers in one submission file"),
    ("submission_toml_depth", 20, "nesting depth of tables, arrays and dotted keys in one submission file"),
    ("submission_values", 20_000, "keys and values in one submission file"),
    ("submission_tokens", 200_000, "quotes, brackets, separators and line breaks in one submission file"),
    ("submission_files", 10_000, "submission files in one batch folder"),
    ("batch_jobs", 64, "worker processes of one batch (symcheck grade --batch --jobs N)"),
    ("csv_bytes", 20_000_000, "bytes in one CSV file"),
    ("csv_rows", 200_000, "data rows in one CSV file"),
    ("csv_columns", 1_000, "columns in one CSV file"),
    ("csv_magnitude", 1e100, "absolute value of one CSV cell (squares and sums stay finite)"),
    ("model_size", 10_000, "a size (rows, columns, units) in a catalogue context or a model"),
    ("context_value", 1_000_000, "absolute value of a number in a catalogue context (inputs, weights, rates)"),
    ("cv_folds", 100, "cross-validation folds that choose the ridge penalty in symcheck evaluate"),
    ("evaluate_seed", 2**32 - 1, "largest seed of symcheck evaluate (NumPy's RandomState takes 0 to 2**32 - 1)"),
    ("oracle_batch_points", 4_096, "points one batched call of a numeric oracle evaluates (memory)"),
    ("numeric_entries", 2_000_000, "entries of any matrix one numeric evaluation in a proof builds, at the largest sizes drawn"),
    ("numeric_operations", 500_000_000, "estimated arithmetic operations of one numeric evaluation in a proof, at the largest sizes drawn"),
    ("numeric_batch_entries", 8_000_000, "entries one batched oracle call holds at once (points times the largest matrix)"),
    ("numeric_seconds", 30, "CPU seconds of the numerical proof of one closed form"),
)


_RAISED: ContextVar[Mapping[str, int | float]] = ContextVar("symcheck_raised_limits", default={})


def limit(name: str) -> Limit:
    """Return the limit called ``name`` as it stands now (see :func:`raised`).

    Raise UsageError naming the known limits when there is none called ``name``.
    """
    from symcheck.errors import UsageError

    try:
        row = LIMITS[name]
    except KeyError:
        raise UsageError(f"unknown limit name={name!r}", where="limit",
                         fix=f"use one of {', '.join(sorted(LIMITS))}") from None
    value = _RAISED.get().get(name)
    return row if value is None else replace(row, value=value)


@contextmanager
def raised(**values: int | float | None) -> Iterator[None]:
    """Change limits for the work inside the ``with`` block (a user's option; ``None`` keeps one).

    Only code that asks :func:`limit` sees the change; the table itself never changes.

    >>> with raised(csv_columns=5000):
    ...     limit("csv_columns").value
    5000
    >>> limit("csv_columns").value
    1000
    """
    from symcheck.errors import UsageError

    chosen = {name: value for name, value in values.items() if value is not None}
    for name, value in chosen.items():
        limit(name)  # an unknown name is a UsageError
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
            raise UsageError(f"{name}={value!r} is not a positive number", where="limit",
                             fix=f"give {name} a positive value")
    token = _RAISED.set({**_RAISED.get(), **chosen})
    try:
        yield
    finally:
        _RAISED.reset(token)
