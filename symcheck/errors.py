"""One error hierarchy for everything a user can get wrong.

Every error carries three things: *what* was wrong, *where* it was (a file and key, a
command-line option, a position in an expression), and *how to fix* it.  The CLI maps each
class to an exit code (``exit_code``), so scripts can tell a bad catalogue file from a bad
answer or a failed proof.

>>> err = ShapeError("a*b has shapes (m×1)·(n×1), which do not compose",
...                  where="--expr", fix="did you mean a*b.T?")
>>> print(err)
--expr: a*b has shapes (m×1)·(n×1), which do not compose; did you mean a*b.T?
>>> err.exit_code
4
"""

from __future__ import annotations

__all__ = [
    "SymcheckError",
    "UsageError",
    "CatalogueError",
    "ExpressionError",
    "ParseError",
    "AnswerError",
    "ShapeError",
    "NumericBudgetError",
    "DerivationError",
    "DataError",
    "SubmissionError",
    "ProofError",
]


class SymcheckError(Exception):
    """Base class: something a user can fix.  Never raised for a bug in symcheck itself."""

    exit_code = 1

    def __init__(self, what: str, *, where: str | None = None, fix: str | None = None):
        self.what = what
        self.where = where
        self.fix = fix
        super().__init__(self._message())

    def _message(self) -> str:
        text = f"{self.where}: {self.what}" if self.where else self.what
        if self.fix:
            text += f"; {self.fix}"
        return text

    def to_dict(self) -> dict:
        """Return the error as JSON-ready data: ``{"error", "what", "where", "fix"}``."""
        return {"error": type(self).__name__, "what": self.what, "where": self.where,
                "fix": self.fix}


class UsageError(SymcheckError):
    """A command or function was called with arguments that make no sense."""

    exit_code = 2


class CatalogueError(SymcheckError):
    """A file under ``problems/`` is malformed; ``where`` names the file and the key."""

    exit_code = 3


class ExpressionError(SymcheckError):
    """An expression (an answer, ``--expr``, a catalogue formula) cannot be used."""

    exit_code = 4


class ParseError(ExpressionError):
    """The text of an expression is not in symcheck's expression language."""


class AnswerError(ParseError):
    """An answer cannot be graded: ``code`` is SYNTAX, UNKNOWN_SYMBOL, UNSUPPORTED, TOO_LARGE or
    SHAPE, and ``column`` (1-based, or None) is where in the text."""

    def __init__(self, what: str, *, code: str, column: int | None = None,
                 where: str | None = None, fix: str | None = None):
        self.code = code
        self.column = column
        super().__init__(what, where=where, fix=fix)


class ShapeError(ExpressionError):
    """The shapes in an expression do not compose."""


class NumericBudgetError(ExpressionError):
    """Evaluating an expression numerically would exceed, or has exceeded, its budget; ``limit``
    names the row of ``symcheck.limits.LIMITS`` that was hit (numeric_entries, numeric_seconds...)."""

    def __init__(self, what: str, *, limit: str, where: str | None = None, fix: str | None = None):
        self.limit = limit
        super().__init__(what, where=where, fix=fix)


class DerivationError(SymcheckError):
    """symcheck cannot differentiate this expression (it never returns a silent zero)."""

    exit_code = 5


class DataError(SymcheckError):
    """A data file (a CSV for ``symcheck evaluate``) cannot be used as given."""

    exit_code = 6


class SubmissionError(DataError):
    """A submission file cannot be read; ``where`` names the file and line (``ada.toml:3``)."""


class ProofError(SymcheckError):
    """A derived closed form failed its numerical proof: a bug in symcheck, reported loudly."""

    exit_code = 7
