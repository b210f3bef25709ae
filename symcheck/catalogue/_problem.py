"""A parsed part: its namespace, function, variable, definitions, assumptions and grading rule.

The catalogue hands out each part once (``part.problem``); each formula is parsed the first
time it is used and never again.  Loading a catalogue parses nothing, so ``symcheck list``
costs no SymPy work; a formula that does not parse raises CatalogueError (exit 3) naming the
file, the part, the key and the fix, the first time the part is used.

>>> from symcheck.catalogue import load_catalogue
>>> problem = load_catalogue().part("1.4.first").problem
>>> problem.function, problem.variable, problem.rule
(a.T*X*b, X, 'symbolic')
>>> problem.function is problem.function     # parsed once
True
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from symcheck.errors import AnswerError, CatalogueError, ExpressionError, ShapeError, SymcheckError

__all__ = ["Problem"]

_FIX = "fix the formula (see problems/LANGUAGE.md for the expression language)"


class Problem:
    """One catalogue part, parsed on first use: what every kind and command works from."""

    def __init__(self, part):
        self.part = part
        self._parsed: dict[tuple[str, bool], Any] = {}

    def __repr__(self) -> str:
        return f"Problem({self.part.id!r}, kind={self.part.ask.kind!r})"

    # -- the part's data, as loaded ---------------------------------------------------------
    @property
    def id(self) -> str:
        """The part's id, e.g. ``1.5.first``."""
        return self.part.id

    @property
    def ask(self):
        """The part's ``ask`` table (an :class:`~symcheck.catalogue.Ask`)."""
        return self.part.ask

    @property
    def grading(self):
        """The part's ``grading`` table (a :class:`~symcheck.catalogue.Grading`)."""
        return self.part.grading

    @property
    def rule(self) -> str:
        """The grading rule the kind's ``compare`` uses: symbolic, numeric, table or manual."""
        return self.part.grading.rule

    @property
    def key(self):
        """The key's claim (a :class:`~symcheck.catalogue.KeyClaim`)."""
        return self.part.key

    @property
    def symbols(self):
        """The declared symbols: name -> shape (``()`` for a scalar)."""
        return self.part.symbols

    @property
    def assumption_texts(self) -> tuple[str, ...]:
        """The assumptions as written ("M symmetric"), for the instance generator."""
        return self.part.assumptions

    @cached_property
    def kind(self):
        """The part's kind, from the registry (:mod:`symcheck.kinds`)."""
        from symcheck.kinds import get_kind

        return get_kind(self.part.ask.kind, self.part.ask.model)

    @cached_property
    def assumptions(self) -> tuple:
        """The assumptions as facts (:class:`symcheck.expr.Fact`), checked against the symbols."""
        from symcheck.expr import parse_assumptions

        return parse_assumptions(self.part.assumptions, self.part.symbols)

    # -- parsed on first use ----------------------------------------------------------------
    def _error(self, key: str, err: SymcheckError, fix: str = _FIX) -> CatalogueError:
        return CatalogueError(err.what, where=f"{self.part.source}: {self.part.id}.{key}", fix=fix)

    @cached_property
    def namespace(self) -> dict:
        """SymPy symbols for the part: its symbols, their sizes and its definitions, in order."""
        from symcheck.expr import parse, symbols_from_shapes

        try:
            namespace = symbols_from_shapes(self.part.symbols)
        except SymcheckError as err:
            raise self._error("symbols", err, "rename the symbol or the size") from None
        for name, text in self.part.ask.definitions:
            try:
                namespace[name] = parse(text, namespace, where=f"{self.part.source}: {self.part.id}.ask.definitions.{name}")
            except SymcheckError as err:
                raise self._error(f"ask.definitions.{name}", err) from None
        return namespace

    @cached_property
    def definitions(self) -> tuple[tuple[str, Any], ...]:
        """The named quantities of ``ask.definitions`` as ``(name, SymPy expression)``, in order."""
        return tuple((name, self.namespace[name]) for name, _ in self.part.ask.definitions)

    @cached_property
    def named_quantities(self) -> list[tuple[str, Any]]:
        """The matrix definitions that name model quantities (H, Yhat, ...), for display.

        Definitions whose names start with ``dMSE`` (∂MSE/∂Ŷ, a gradient, not a model quantity) are
        left out.
        """
        return [(name, expr) for name, expr in self.definitions
                if getattr(expr, "is_Matrix", False) and not name.startswith("dMSE")]

    @cached_property
    def function(self):
        """The SymPy expression of ``ask.function`` (None for a part without one)."""
        from symcheck.expr import parse

        if self.part.ask.function is None:
            return None
        namespace = self.namespace
        try:
            return parse(self.part.ask.function, namespace,
                         where=f"{self.part.source}: {self.part.id}.ask.function")
        except SymcheckError as err:
            raise self._error("ask.function", err) from None

    @cached_property
    def variable(self):
        """The SymPy symbol the part differentiates by (None if it has none)."""
        return None if self.part.ask.wrt is None else self.namespace[self.part.ask.wrt]

    def parse(self, text: str, *, where: str | None = None, own_symbols: bool = True):
        """Return ``text`` parsed over the part's namespace (or none), once per text.

        A shape error is raised again on each call (it is a finding about a claim, not a
        broken file); the result of a good parse is kept.
        """
        from symcheck.expr import parse

        memo = (text, own_symbols)
        if memo not in self._parsed:
            try:
                self._parsed[memo] = parse(text, self.namespace if own_symbols else {},
                                           where=where or f"{self.part.source}: {self.part.id}")
            except ExpressionError as err:
                self._parsed[memo] = err
        result = self._parsed[memo]
        if isinstance(result, ExpressionError):
            raise result
        return result

    def _check_aliases(self) -> None:
        """Refuse an alias the answer language already reads (a function, a constant such as e)."""
        if not self.part.aliases:
            return
        from symcheck.grade import parse_answer

        for alias in self.part.aliases:
            try:
                parse_answer(alias, self.part.symbols, syntax="plain")
            except AnswerError as err:
                if err.code == "UNKNOWN_SYMBOL":
                    continue   # a free name: the alias gives it a meaning
            raise CatalogueError(f"the answer language already reads {alias!r} (a function or a "
                                 "constant), so it cannot be an alias", where=f"{self.part.source}: "
                                 f"{self.part.id}.aliases.{alias}", fix="choose another name")

    def check(self) -> "Problem":
        """Parse every formula of the part now; raise CatalogueError for a broken one.

        The key's formulas are checked for *language* errors only (unknown names, syntax): a
        shape error in the key is a finding about the key, reported by grading.
        """
        self.assumptions, self.function  # noqa: B018 - parse now, raising CatalogueError
        self._check_aliases()
        key = self.part.key
        texts = [("key.answer", key.answer)]
        for i, step in enumerate(key.steps):
            texts += [(f"key.steps[{i}].{k}", getattr(step, k)) for k in ("expr", "lhs", "rhs")]
        for name, text in texts:
            if text is None:
                continue
            try:
                self.parse(text, where=f"{self.part.source}: {self.part.id}.{name}")
            except ShapeError:
                continue
            except ExpressionError as err:
                raise self._error(name, err, "transcribe the key's formula in the expression "
                                  "language (see problems/LANGUAGE.md)") from None
        return self
