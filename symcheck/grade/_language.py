"""The answer language: plain text and LaTeX to a checked, compiled :class:`Answer`.

A student's answer is untrusted text.  It is checked character by character (no NUL bytes, no
bidirectional controls, no look-alike letters such as a Cyrillic Х for X), bounded in length and
bracket depth before any parsing, parsed by a lark LALR grammar into our own small tree (lark
builds trees by grammar rules and never evaluates its input; nothing here calls eval, exec,
sympify or parse_expr), and then given shapes by unification, so ``I`` and ``ones`` take their
size from context.  Every refusal is an :class:`~symcheck.errors.AnswerError` with a ``code``
(SYNTAX, UNKNOWN_SYMBOL, UNSUPPORTED, TOO_LARGE, SHAPE) and the 1-based ``column``.

>>> symbols = {"X": ("n", "p"), "y": ("n", 1), "lambda": ()}
>>> a = parse_answer("X.T*(X*X.T + λ*I)^-1*y", symbols)
>>> [str(d) for d in a.shape], sorted(a.names)
(['p', '1'], ['X', 'lambda', 'y'])
>>> a.plain()
'X.T*inv(X*X.T + lambda*Identity(n))*y'
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> values = {"X": rng.normal(size=(5, 3, 2)), "y": rng.normal(size=(5, 3, 1)), "lambda": np.ones(5)}
>>> a.evaluate(values, {"n": 3, "p": 2}).shape
(5, 2, 1)
>>> parse_answer("X.T*X + lambda", symbols)
Traceback (most recent call last):
...
symcheck.errors.AnswerError: answer at column 9: `X.T*X + lambda` adds the scalar lambda to a p×p matrix; did you mean lambda*I?
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Mapping, Sequence

import numpy as np

from symcheck.errors import AnswerError, UsageError
from symcheck.limits import LIMITS
from symcheck.grade._lang_latex import INFER_LATEX, parse_latex
from symcheck.grade._lang_numpy import Env, compile_tree
from symcheck.grade._lang_plain import parse_plain
from symcheck.grade._lang_print import latex as _latex_text, plain as _plain_text
from symcheck.grade._lang_shapes import Scope, infer
from symcheck.grade._lang_tree import Dim, LangFail, Node, limit_value

__all__ = ["Answer", "AnswerContext", "Dim", "parse_answer", "parse_definitions"]

_MAX_LENGTH = limit_value("answer_length")
_MAX_DEPTH = limit_value("answer_depth")
SYNTAXES = ("plain", "latex", "auto")

# Characters outside ASCII that the language knows; any other is refused by name.
_ALLOWED = set("λβασθημπ∘⊙⊗·×⋅−ᵀ⁻¹′⊤") | {"\u00a0"}
_CONTROLS_OK = set("\t\n\r")
# A few look-alikes students paste by accident, with the letter they resemble.
_LOOKALIKE = dict(zip("АВЕКМНОРСТХаеорсухіјѕԁԛԝΑΒΕΖΗΙΚΜΝΟΡΤΥΧονΙ",
                      "ABEKMHOPCTXaeopcyxijsdqwABEZHIKMNOPTYXovI"))


def _column(text: str, pos: int | None) -> int | None:
    if pos is None:
        return None
    pos = max(0, min(pos, len(text)))
    return pos - text.rfind("\n", 0, pos)


def _refuse(fail: LangFail, text: str, where: str) -> AnswerError:
    column = _column(text, fail.pos)
    place = f"{where} at column {column}" if column is not None else where
    return AnswerError(fail.what, code=fail.code, column=column, where=place, fix=fail.fix)


def _check_characters(text: str) -> None:
    depth = deepest = 0
    for pos, ch in enumerate(text):
        if ch in "([{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > _MAX_DEPTH:
                raise LangFail("TOO_LARGE", f"brackets nest more than {_MAX_DEPTH} deep "
                               "(limit answer_depth)", pos, "simplify the answer or split it into steps")
        elif ch in ")]}":
            depth -= 1
        if " " <= ch <= "~" or ch in _CONTROLS_OK or ch in _ALLOWED:
            continue
        code = f"U+{ord(ch):04X}"
        name = unicodedata.name(ch, "unnamed")
        if ch == "\x00":
            what = f"the answer contains a NUL byte ({code})"
        elif unicodedata.bidirectional(ch) in ("RLE", "LRE", "RLO", "LRO", "PDF", "RLI", "LRI",
                                                "FSI", "PDI") or ch in "\u200e\u200f\u061c":
            what = f"the answer contains the invisible direction mark {code} {name}"
        elif ch in _LOOKALIKE:
            what = (f"the character '{ch}' ({code} {name}) looks like the Latin letter "
                    f"'{_LOOKALIKE[ch]}' but is not it")
            raise LangFail("SYNTAX", what, pos, f"retype it as {_LOOKALIKE[ch]}")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cn", "Cs"):
            what = f"the answer contains the invisible or control character {code} {name}"
        else:
            what = f"the character '{ch}' ({code} {name}) is not part of the answer language"
        raise LangFail("SYNTAX", what, pos, "type the answer in plain ASCII (λ, β, σ, ∘, ⊗ are "
                       "also understood) or in LaTeX")


def _detect(text: str) -> str:
    return "latex" if any(ch in text for ch in "\\{}$") else "plain"


def _read_tree(text: str, syntax: str) -> tuple[Node, str]:
    if not isinstance(text, str):
        raise LangFail("SYNTAX", f"expected text, got {type(text).__name__}", None,
                       "pass the answer as a string")
    if len(text) > _MAX_LENGTH:
        raise LangFail("TOO_LARGE", f"the answer has {len(text)} characters, more than "
                       f"{_MAX_LENGTH} (limit answer_length)", None, "shorten it")
    if not text.strip():
        raise LangFail("SYNTAX", "the answer is empty", None, "write an expression, e.g. 2*X")
    _check_characters(text)
    if syntax == "auto":
        syntax = _detect(text)
    if syntax == "latex":
        return parse_latex(text), syntax
    return parse_plain(text), syntax


def _extra_ops(syntax: str):
    return INFER_LATEX if syntax == "latex" else None


class Answer:
    """A parsed, shape-checked answer, compiled once for batched NumPy evaluation.

    ``shape`` is ``()`` for a scalar or ``(rows, cols)`` of :class:`Dim`; ``names`` the symbols
    and definitions it uses; ``number_literal`` the literal text when the whole answer is one
    number (``"-0.42614473734"``), else None.
    """

    __slots__ = ("text", "syntax", "tree", "shape", "names", "number_literal", "_fn")

    def __init__(self, text: str, syntax: str, tree: Node):
        self.text, self.syntax, self.tree = text, syntax, tree
        self.shape = tree.shape
        names, stack = set(), [tree]
        while stack:
            node = stack.pop()
            if node.op == "sym":
                names.add(node.value)
            stack.extend(node.args)
        self.names = frozenset(names)
        self.number_literal = _number_literal(tree)
        self._fn = None

    def __repr__(self) -> str:
        return f"Answer({self.plain()!r}, shape={tuple(str(d) for d in self.shape)})"

    def __getstate__(self):
        # The compiled closure is rebuilt on first use; everything else is plain data.
        return {name: getattr(self, name) for name in self.__slots__ if name != "_fn"}

    def __setstate__(self, state):
        for name, value in state.items():
            object.__setattr__(self, name, value)
        self._fn = None

    def evaluate(self, values: Mapping[str, np.ndarray], sizes: Mapping[str, int]) -> np.ndarray:
        """Return the answer's value on a batch: ``(K, rows, cols)`` for a matrix, ``(K,)`` for a scalar.

        ``values`` maps every name in ``names`` to a batched array (a matrix ``(K, r, c)``, a
        scalar ``(K,)``); ``sizes`` maps size names to integers.  Complex values give complex
        results.  Raises AnswerError (SHAPE) for an index outside its matrix at these sizes.
        """
        with np.errstate(all="ignore"):
            return np.array(self.evaluate_unchecked(values, sizes))

    def evaluate_unchecked(self, values: Mapping[str, np.ndarray], sizes: Mapping[str, int]) -> np.ndarray:
        """:meth:`evaluate` for callers that already ignore floating-point warnings
        (``np.errstate``) and only read the result: it may be a read-only broadcast view."""
        if self._fn is None:
            self._fn = compile_tree(self.tree)
        try:
            out = self._fn(Env(values, sizes))
        except KeyError as exc:
            raise UsageError(f"no value for {exc.args[0]!r}", where="Answer.evaluate",
                             fix=f"pass values for {', '.join(sorted(self.names)) or 'no names'} "
                             "and sizes for every size name") from None
        batch = next((np.shape(v)[0] for v in values.values() if np.ndim(v)), 1)
        want = (batch,) + tuple(d.value(sizes) for d in self.shape)
        out = np.asarray(out)
        if out.dtype.kind not in "fc":
            out = out.astype(np.float64)
        if out.shape != want:
            out = np.broadcast_to(out, want)
        return out

    def exact(self, digits: int = 30):
        """Return the value of an answer without names as an mpmath number with ``digits`` digits.

        >>> str(parse_answer("1/(1+exp(1))", {}).exact(20))[:12]
        '0.2689414213'
        """
        from symcheck.grade._lang_exact import exact_value
        if self.shape:
            raise AnswerError(f"{self.plain()} is a {'×'.join(map(str, self.shape))} matrix, not a "
                              "number", code="SHAPE", where="answer", fix="write a number")
        if self.names:
            raise AnswerError(f"{self.plain()} uses {', '.join(sorted(self.names))}; a number is "
                              "asked", code="UNSUPPORTED", where="answer",
                              fix="write a number or an expression of numbers, e.g. tanh(2)")
        return exact_value(self.tree, digits)

    def to_sympy(self, namespace: Mapping[str, object]):
        """Return the answer as a SymPy expression over ``namespace`` (for explanations only)."""
        from symcheck.grade._lang_sympy import to_sympy
        return to_sympy(self.tree, namespace)

    def plain(self) -> str:
        """Return the canonical plain text; parsing it gives an equal answer."""
        return _plain_text(self.tree)

    def latex(self) -> str:
        """Return canonical LaTeX; parsing it gives an equal answer."""
        return _latex_text(self.tree)


def _number_literal(tree: Node) -> str | None:
    node, sign = tree, ""
    if node.op == "neg" and node.args[0].op == "num":
        node, sign = node.args[0], "-"
    if node.op == "num":
        return sign + node.value[1]
    return None


def _symbols_key(symbols: Mapping[str, Sequence]) -> tuple:
    return tuple((str(name), tuple(shape)) for name, shape in symbols.items())


class AnswerContext:
    """What an answer is parsed over besides its text: the part's symbols, definitions, expected
    shape and aliases (the arguments of :func:`parse_answer`), turned into keys and hashed once.

    A grader builds one per part and parses every answer through it (:meth:`parse`), so an
    answer costs the reading alone; ``parse_answer`` builds one per call.

    >>> context = AnswerContext({"X": ("n", "m")})
    >>> context.parse("2 X").plain()
    '2*X'
    """

    __slots__ = ("_key", "_hash", "_scope")

    def __init__(self, symbols: Mapping[str, Sequence], *, definitions=(), shape: Sequence | None = None,
                 aliases: Mapping[str, str] | None = None):
        if isinstance(definitions, Mapping):
            parsed = definitions
        else:
            parsed = parse_definitions(definitions, symbols) if definitions else {}
        # A definition that is just an identity (the catalogue's I = Identity(p)) leaves I to the
        # language, which sizes it by context: X.T*(X*X.T + lambda*I)^-1*y has an n×n I.
        definitions_key = tuple((name, a.shape) for name, a in parsed.items()
                                if not (name == "I" and a.tree.op == "eye"))
        expect = None if shape is None else tuple(d if isinstance(d, Dim) else Dim.of(d) for d in shape)
        aliases_key = tuple(sorted((aliases or {}).items()))
        self._key = (_symbols_key(symbols), definitions_key, expect, aliases_key)
        self._hash = hash(self._key)
        self._scope = None

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other) -> bool:
        return isinstance(other, AnswerContext) and self._key == other._key

    def scope(self) -> Scope:
        if self._scope is None:
            symbols_key, definitions_key, _, aliases_key = self._key
            self._scope = Scope(dict(symbols_key), dict(definitions_key), dict(aliases_key))
        return self._scope

    def parse(self, text: str, *, where: str = "answer", syntax: str = "auto") -> Answer:
        """Parse ``text`` in this context (see :func:`parse_answer`)."""
        if syntax not in SYNTAXES:
            raise UsageError(f"syntax={syntax!r} is not one of {', '.join(SYNTAXES)}", where="parse_answer",
                             fix='pass syntax="plain", "latex" or "auto"')
        return _parse_cached(text, self, syntax, where)


@functools.lru_cache(maxsize=LIMITS["parse_cache_answers"].value)
def _parse_cached(text: str, context: AnswerContext, syntax: str, where: str) -> Answer:
    scope, expect = context.scope(), context._key[2]
    try:
        tree, used = _read_tree(text, syntax)
        typed = infer(tree, text, scope, _plain_text, extra=_extra_ops(used), expect=expect)
    except LangFail as fail:
        if not (syntax == "auto" and fail.code == "SYNTAX" and isinstance(text, str)
                and fail.pos is not None and _plain_parsed(text)):
            raise _refuse(fail, text if isinstance(text, str) else "", where) from None
        # Plain text with a juxtaposition (`X^T X`, `2 X^T y`) reads as LaTeX does.
        try:
            tree, used = parse_latex(text), "latex"
            typed = infer(tree, text, scope, _plain_text, extra=INFER_LATEX, expect=expect)
        except LangFail:
            raise _refuse(fail, text, where) from None
    return Answer(text, used, typed)


def _plain_parsed(text: str) -> bool:
    """True when ``text`` passed the character checks and was read as plain (a retry makes sense)."""
    try:
        _check_characters(text)
    except LangFail:
        return False
    return _detect(text) == "plain"


def parse_answer(text: str, symbols: Mapping[str, Sequence], *, definitions=(),
                 where: str = "answer", syntax: str = "auto", shape: Sequence | None = None,
                 aliases: Mapping[str, str] | None = None) -> Answer:
    """Parse an answer (plain or LaTeX) over the part's ``symbols`` and ``definitions``.

    symbols : mapping name -> shape, as a catalogue Part has them: ``("n", "m")``, ``("m", 1)``
        or ``()`` for a scalar.  Size names may be used as scalars (``2/N``).
    definitions : ``[(name, text), ...]`` in order (later ones may use earlier ones), or the
        dict :func:`parse_definitions` returned.  The answer may use these names.
    where : str, default "answer"; where the text came from, for messages.
    syntax : "plain", "latex" or "auto" (LaTeX when the text has a backslash, braces or $; plain
        text that fails only for a juxtaposition such as ``X^T X`` is read as LaTeX).
    shape : the expected shape, like a symbol's (``("n", "n")``), or None.  It only sizes what
        the answer leaves open (``2*I``, ``\\mathbf{0}`` alone); it never changes a known shape.
    aliases : other names students may use, ``{"hhat": "H"}`` (the homework writes ĥ for H).

    Returns an :class:`Answer`; raises AnswerError with ``code`` and ``column``.

    >>> parse_answer("2 X", {"X": ("n", "m")}).plain()
    '2*X'
    >>> parse_answer("a*b", {"a": ("m", 1), "b": ("n", 1)})
    Traceback (most recent call last):
    ...
    symcheck.errors.AnswerError: answer at column 1: a*b has shapes (m×1)·(n×1), which do not compose; did you mean a*b.T?
    """
    context = AnswerContext(symbols, definitions=definitions, shape=shape, aliases=aliases)
    return context.parse(text, where=where, syntax=syntax)


def parse_definitions(definitions: Sequence[tuple[str, str]],
                      symbols: Mapping[str, Sequence]) -> dict[str, Answer]:
    """Parse ``[(name, text), ...]`` in order; each may use the symbols and the earlier names.

    >>> defs = parse_definitions([("H", "sigmoid(X*W)"), ("Yhat", "H*V")],
    ...                          {"X": ("N", "m"), "W": ("m", "n"), "V": ("n", "k")})
    >>> {name: [str(d) for d in a.shape] for name, a in defs.items()}
    {'H': ['N', 'n'], 'Yhat': ['N', 'k']}
    """
    return dict(_definitions_cached(tuple((str(n), str(t)) for n, t in definitions),
                                    _symbols_key(symbols)))


@functools.lru_cache(maxsize=256)
def _definitions_cached(definitions: tuple, symbols_key: tuple) -> tuple:
    parsed: dict[str, Answer] = {}
    for name, text in definitions:
        parsed[name] = parse_answer(text, dict(symbols_key), definitions=dict(parsed),
                                    where=f"definition {name}")
    return tuple(parsed.items())
