"""The catalogue's data model: a Part is one gradable item of the homework."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Mapping

__all__ = ["Ask", "Grading", "KeyStep", "KeyClaim", "Part", "Section", "ASK_KINDS", "GRADING_RULES"]

class _KindNames(Mapping):
    """The registered kinds of question, name -> description (read from symcheck.kinds)."""

    def _names(self) -> dict:
        from symcheck.kinds import kind_names

        return kind_names()

    def __getitem__(self, name):
        return self._names()[name]

    def __iter__(self):
        return iter(self._names())

    def __len__(self):
        return len(self._names())


# What a part asks for: one kind per module of symcheck.kinds.
ASK_KINDS: Mapping[str, str] = _KindNames()

# How an answer is graded.
GRADING_RULES = {
    "symbolic": "equal as functions: evaluated at random instances within the tolerance",
    "numeric": "equal as numbers within the tolerance",
    "table": "equal after rounding to the stated decimals",
    "manual": "graded by a person; symcheck does not score it",
}


@dataclass(frozen=True)
class Ask:
    """What a part asks.

    ``function`` and ``definitions`` are expressions in symcheck's expression language over the
    part's ``symbols``; ``quantity`` names a value of a reference model (``model``) for numeric parts.
    """

    kind: str
    function: str | None = None
    wrt: str | None = None
    order: int = 1
    definitions: tuple[tuple[str, str], ...] = ()
    solve: str | None = None
    model: str | None = None
    quantity: str | None = None
    decimals: int | None = None
    conventions: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Grading:
    """How a part's answer is graded: the rule, the tolerance name and the points.

    ``min_significant_figures``: a number answer must show at least this many significant
    figures; ``carried_forward_credit`` (0..1): the share of the points an answer right from the
    student's own earlier (wrong) values earns; ``convention_credit`` (0..1): the share an answer
    right only in another convention (layout, transpose) earns.
    """

    rule: str
    tolerance: str
    points: float
    min_significant_figures: int = 4
    carried_forward_credit: float = 1.0
    convention_credit: float = 0.0


@dataclass(frozen=True)
class KeyStep:
    """One intermediate line of the key, as written.

    ``expr`` is the line in the expression language (or None when it cannot be written there,
    such as an index sum); ``value`` is the number the key prints for that line, if any; ``lhs``
    and ``rhs`` hold the two sides of an equation line.
    """

    latex: str
    expr: str | None = None
    value: float | None = None
    value_text: str | None = None
    lhs: str | None = None
    rhs: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class KeyClaim:
    """The key's answer to one part, exactly as the homework writes it, errors included."""

    latex: str | None = None
    answer: str | None = None
    value: float | None = None
    value_text: str | None = None
    steps: tuple[KeyStep, ...] = ()
    note: str | None = None

    @property
    def present(self) -> bool:
        """True when the key answers this part at all."""
        return any(x is not None for x in (self.latex, self.answer, self.value))


@dataclass(frozen=True)
class Part:
    """One gradable item of the homework, with the key's claim for it."""

    id: str
    section: str
    title: str
    statement: str
    ask: Ask
    grading: Grading
    key: KeyClaim
    symbols: Mapping[str, tuple] = field(default_factory=dict)
    assumptions: tuple[str, ...] = ()
    as_written: Mapping[str, Any] = field(default_factory=dict)
    context: Mapping[str, Any] = field(default_factory=dict)
    source: str = ""
    aliases: Mapping[str, str] = field(default_factory=dict)   # other names for symbols/definitions

    @cached_property
    def problem(self):
        """The part parsed on first use, once (a :class:`~symcheck.catalogue.Problem`)."""
        from symcheck.catalogue._problem import Problem

        return Problem(self)

    def namespace(self) -> dict:
        """Return SymPy symbols for this part: its symbols, their dimensions and its definitions.

        Definitions (``ask.definitions``) are parsed in order, so later ones may use earlier ones.
        """
        return dict(self.problem.namespace)

    def named_quantities(self) -> list[tuple[str, object]]:
        """Return the matrix definitions that name model quantities (H, Yhat, ...), in order.

        Definitions whose names start with ``dMSE`` transcribe the key and are left out.
        """
        return list(self.problem.named_quantities)

    def function_expr(self):
        """Return the SymPy expression of ``ask.function`` (None for numeric parts)."""
        return self.problem.function

    def wrt_symbol(self):
        """Return the SymPy symbol the part differentiates by (None if it has none)."""
        return self.problem.variable


@dataclass(frozen=True)
class Section:
    """A section of the homework: its number, title, points and parts."""

    number: str
    title: str
    points: float
    source: str
    parts: tuple[Part, ...]
