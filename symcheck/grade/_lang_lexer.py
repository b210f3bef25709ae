"""One compiled pattern for a grammar's terminals: lark's standard lexing, in one ``re`` scan.

lark's own basic lexer is exact but general: per token it keeps line counters, checks
callbacks and builds the token through keyword handling, about 4 µs a token here.  An answer is
short, so :class:`ScanLexer` does the same job with one master pattern: the grammar's terminals
(read from lark's lexer configuration, so they are defined once, in the grammar) in lark's
order of preference (priority, then the longest possible match, then the longest pattern, then
name), joined into one alternation as lark's ``Scanner`` joins them, and scanned with
``finditer``; the tokens must follow each other with no gap.  It yields lark's own
:class:`lark.Token` objects, and a character no terminal matches raises lark's
``UnexpectedCharacters``, so parsers and error messages see no difference.  It is a lark custom
lexer (``Lark(..., lexer=ScanLexer)``, lark's documented extension point), and the plain
answer reader uses it directly.

Only for grammars whose terminals do not depend on the parser's state (no contextual lexing)
and where no string terminal is also matched by a regular-expression terminal (lark would
re-type it); :meth:`ScanLexer.__init__` refuses a grammar with such a string terminal.
"""

from __future__ import annotations

import re

from lark import Token
from lark.exceptions import UnexpectedCharacters
from lark.lexer import Lexer, PatternStr

__all__ = ["ScanLexer"]


class ScanLexer(Lexer):
    """A lark lexer (interface 0: ``lex(text)``) scanning with one master pattern."""

    __future_interface__ = 0

    def __init__(self, lexer_conf):
        terminals = sorted(lexer_conf.terminals, key=lambda t: (-t.priority, -t.pattern.max_width,
                                                                -len(t.pattern.value), t.name))
        regexes = [t for t in terminals if not isinstance(t.pattern, PatternStr)]
        for t in terminals:
            if isinstance(t.pattern, PatternStr):
                text = t.pattern.value
                for r in regexes:
                    if re.fullmatch(r.pattern.to_regexp(), text, lexer_conf.g_regex_flags):
                        raise ValueError(f"ScanLexer: the string terminal {t.name} ({text!r}) is also "
                                         f"matched by {r.name}; use lark's own lexer")
        # Group names must be identifiers; lark's terminal names are (``__IGNORE_0`` too).
        self._pattern = re.compile("|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in terminals),
                                   lexer_conf.g_regex_flags)
        self._ignore = frozenset(lexer_conf.ignore)
        self._allowed = {t.name for t in terminals} - self._ignore
        self._types = {t.name: t.name for t in terminals}   # the grammar's own name objects

    def lex(self, text: str):
        ignore, types, pos = self._ignore, self._types, 0
        lines = "\n" in text
        for m in self._pattern.finditer(text):
            start, stop = m.span()
            if start != pos or stop == start:    # a character no terminal matches
                break
            kind = m.lastgroup
            if kind not in ignore:
                if lines:
                    (line, column), (end_line, end_column) = _line_column(text, start), _line_column(text, stop)
                else:
                    line, column, end_line, end_column = 1, start + 1, 1, stop + 1
                yield _token(types[kind], m.group(), start, line, column, end_line, end_column, stop)
            pos = stop
        if pos < len(text):
            line, column = _line_column(text, pos)
            raise UnexpectedCharacters(text, pos, line, column, allowed=self._allowed)


_new_str = str.__new__


def _token(kind, value, start, line, column, end_line, end_column, stop) -> Token:
    """``Token(kind, value, start, ...)`` without lark's constructor dispatch (its ``__new__``
    checks for a deprecated keyword and forwards to a classmethod: four times the cost of
    setting the slots here, and a short answer has twenty tokens)."""
    token = _new_str(Token, value)
    token.type, token.value, token.start_pos, token.end_pos = kind, value, start, stop
    token.line, token.column, token.end_line, token.end_column = line, column, end_line, end_column
    return token


def _line_column(text: str, pos: int) -> tuple[int, int]:
    """lark's 1-based line and column of ``pos``."""
    return text.count("\n", 0, pos) + 1, pos - text.rfind("\n", 0, pos)
