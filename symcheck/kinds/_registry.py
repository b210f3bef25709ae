"""The registry of question kinds: each kind registers itself with ``@register_kind``.

A kind is a class with the fields it reads from ``ask`` (checked when the catalogue loads),
the grading rules its ``compare`` knows, and four verbs: ``truth`` (establish and prove the
answer), ``compare`` (judge a claim against it), ``describe`` (what ``symcheck list`` shows) and
``derive`` (what ``symcheck derive`` shows).  The registration sits on the class, the way
``@_rule`` registers a derivative rule beside its type in ``symcheck.calculus``.

>>> kind = get_kind("table_value")
>>> kind.name, kind.rules
('table_value', ('table',))
>>> sorted(kind_names())[:3]
['closed_form', 'code', 'derivative']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, ClassVar, Mapping

from symcheck.errors import UsageError

__all__ = ["Field", "Kind", "Established", "register_kind", "get_kind", "kind_names", "models_of"]


@dataclass(frozen=True)
class Field:
    """One ``ask`` field a kind reads: whether it is required, and its allowed values.

    ``choices`` is a tuple of values or a ``range`` of integers; ``None`` allows any value of
    the field's type (the loader checks types).
    """

    name: str
    required: bool = False
    choices: tuple | range | None = None

    def allows(self, value) -> bool:
        """True when ``value`` is one of the field's choices (or it has none)."""
        if self.choices is None:
            return True
        if isinstance(self.choices, range):
            return isinstance(value, int) and not isinstance(value, bool) and value in self.choices
        return value in self.choices

    def describe_choices(self) -> str:
        """Return the allowed values in words, for an error message's fix."""
        if isinstance(self.choices, range):
            return f"an integer from {self.choices.start} to {self.choices.stop - 1}"
        return "one of " + ", ".join(str(c) for c in self.choices)


@dataclass(frozen=True)
class Established:
    """What a kind established for a part: the truth (None when it cannot), its proof, a note.

    ``derived`` is the text ``symcheck verify`` shows; ``reason`` (a ``symcheck.grade.Reason``,
    see ``symcheck.kinds.reason``) says why there is no truth.
    """

    truth: Any = None
    derived: str | None = None
    proof: Any = None
    note: str | None = None
    reason: Any = None


class Kind:
    """Base class of a question kind; subclasses fill the class attributes and the verbs."""

    name: ClassVar[str] = ""
    model: ClassVar[str | None] = None        # set for a kind that serves one model only
    description: ClassVar[str] = ""
    fields: ClassVar[tuple[Field, ...]] = ()
    rules: ClassVar[tuple[str, ...]] = ()
    models: ClassVar[Mapping[str, tuple[str, ...]]] = {}   # model -> its quantities
    symbolic: ClassVar[bool] = False           # True when the kind has a function to derive

    def check(self, part, error: Callable[[str, str, str], Exception]) -> None:
        """Check what the fields alone cannot (a complete context, say); raise ``error(key, what, fix)``."""

    def describe(self, problem) -> str:
        """Return what the part asks, in a few words, for ``symcheck list``."""
        return self.description.split(",")[0]

    def truth(self, problem, *, examples: int) -> Established:
        """Return the established truth, proven with ``examples`` instances where that applies."""
        raise NotImplementedError

    def compare(self, problem, truth, claim, *, examples: int):
        """Return the Verdict on ``claim`` (a KeyClaim) against ``truth``, by the part's rule."""
        raise NotImplementedError

    def derive(self, problem, *, order: int | None = None):
        """Return the Derivation ``symcheck derive PART`` prints; UsageError if there is none."""
        raise UsageError(f"part {problem.id} asks for {self.describe(problem)}, not a derivative",
                         where="PART", fix="pick a derivative part: run 'symcheck list' to see them")


_KINDS: dict[tuple[str, str | None], Kind] = {}


def register_kind(name: str, *, model: str | None = None):
    """Register the decorated Kind class under ``ask.kind = name`` (for one ``model``, if given)."""
    def register(cls):
        if (name, model) in _KINDS:
            raise ValueError(f"kind {name!r} (model {model!r}) is registered twice")
        cls.name, cls.model = name, model
        _KINDS[(name, model)] = cls()
        return cls
    return register


def kind_names() -> dict[str, str]:
    """Return ``{kind name: description}`` for every registered kind."""
    return {name: kind.description for (name, model), kind in _KINDS.items() if model is None}


def models_of(name: str) -> dict[str, tuple[str, ...]]:
    """Return ``{model: quantities}`` the kind ``name`` accepts, its model-specific kinds included."""
    found: dict[str, tuple[str, ...]] = {}
    for (kind_name, model), kind in _KINDS.items():
        if kind_name == name:
            found.update(kind.models if model is None else {model: kind.models.get(model, ())})
    return found


def get_kind(name: str, model: str | None = None) -> Kind:
    """Return the kind registered for ``name`` (and ``model``); raise UsageError if none."""
    kind = _KINDS.get((name, model)) or _KINDS.get((name, None))
    if kind is None:
        raise UsageError(f"{name!r} is not a kind of question", where="kind",
                         fix=f"use one of {', '.join(sorted(kind_names()))}")
    return kind
