"""The plain-text answer grammar: ``X.T*(X*X.T + lambda*I)^-1*y``, ``2X``, ``H ∘ (1 - H)``.

The grammar below is the language's definition.  lark compiles it: its terminals become one
lexing pattern (:class:`~symcheck.grade._lang_lexer.ScanLexer`), and its LALR(1) parser is the
reference.  Answers are read by :class:`_Reader`, a recursive-descent (LL(1)) reader of the same
grammar that calls the same callbacks (:class:`_Build`) as lark's parser would, about twice as
fast as lark's general LALR driver; ``tests/grade/test_language_reader.py`` holds the two to
the same trees and refusals.  Neither evaluates or executes its input.  (Checked in lark 1.3's
source: the only ``literal_eval`` reads string literals of the grammar below, which is ours.)
Repetitions are flat (``a+b+c`` is one node with three terms); the reader recurses only at
brackets, whose depth is bounded before reading (``answer_depth``), and ``Node`` checks the
depth and size limits as the tree grows.

Precedence, loosest first: ``+ -``; ``∘ ⊙ ⊗`` (elementwise and Kronecker products); ``* @ / · ×``;
a leading sign; a number times what follows it (``2X``, ``2 X``, ``2(a + b)``); ``^`` / ``**``
(right-associative, the exponent may carry a sign: ``X^-1``); postfix ``.T  '  ᵀ  .I  ⁻¹  [i, j]``.
The grammar reads an expression as operands joined by operators, and the precedence above is
applied to that flat list (:func:`_precedence`), one pass per precedence level present, with
no recursion.

>>> parse_plain("2X.T*y")
prod(('*',), implicit(num('2'), post('.T', name('X'))), name('y'))
"""

from __future__ import annotations

import functools

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from symcheck.grade._lang_lexer import ScanLexer
from symcheck.grade._lang_tree import DERIVATIVE_HINT, DERIVATIVES, LangFail, Node, derivative_of
from symcheck.grade._lang_shapes import FUNCTION_ALIASES, FUNCTIONS

__all__ = ["PRECEDENCE_LEVELS", "group_level", "parse_plain", "syntax_failure"]

GRAMMAR = r"""
start: [EQ] expr
expr: operand ((PM | MULOP | HOP | POW) operand)*
operand: PM* unit
?unit: postfix
     | NUMBER npostfix -> implicit
postfix: primary post*
npostfix: nprimary post*
?primary: nprimary
        | NUMBER -> number
?nprimary: NAME -> name
         | NAME LPAR [args] RPAR -> call
         | DNAME LPAR [args] RPAR -> dcall
         | LPAR expr RPAR -> group
         | LPAR expr ("," expr)+ RPAR -> tuple
?post: ATTR | PRIME | TSUP | INVSUP
     | LSQB args RSQB -> index
args: expr ("," expr)*

NUMBER: /(\d(_?\d)*(\.(\d(_?\d)*)?)?|\.\d(_?\d)*)([eE][+-]?\d(_?\d)*)?/
NAME: /[A-Za-z_\u03bb\u03b2\u03b1\u03c3\u03b8\u03b7\u03bc][A-Za-z0-9_]*/
DNAME.2: /[A-Za-z_\u03bb\u03b2\u03b1\u03c3\u03b8\u03b7\u03bc][A-Za-z0-9_]*['\u2032](?=[ \t]*\()/
ATTR: /\.[A-Za-z_][A-Za-z0-9_]*/
PRIME: "'" | "\u2032"
TSUP: "\u1d40"
INVSUP: "\u207b\u00b9"
PM: "+" | "-" | "\u2212"
MULOP: "*" | "@" | "/" | "\u00b7" | "\u00d7" | "\u22c5"
HOP: "\u2218" | "\u2299" | "\u2297"
POW: "**" | "^"
EQ: "="
LPAR: "("
RPAR: ")"
LSQB: "["
RSQB: "]"
%ignore /[ \t\r\n]+/
"""


def _span(items) -> tuple[int, int]:
    first, last = items[0], items[-1]
    return _start(first), _end(last)


def _start(item) -> int:
    return item.start_pos if isinstance(item, Token) else item.start


def _end(item) -> int:
    return item.end_pos if isinstance(item, Token) else item.end


def _normal_sign(token) -> str:
    return "-" if str(token) in ("-", "\u2212") else "+"


class _Operand:
    """One operand of an expression: its sign, a number written before it (``2X``), the rest."""

    __slots__ = ("negative", "coefficient", "node", "start")

    def __init__(self, negative, coefficient, node, start):
        self.negative, self.coefficient, self.node, self.start = negative, coefficient, node, start


def _signed(operand: _Operand, node: Node | None = None) -> Node:
    """The operand's value: sign × coefficient × node (``node`` replaces its own when given)."""
    node = operand.node if node is None else node
    if operand.coefficient is not None:
        node = Node("implicit", (operand.coefficient, node), None, operand.coefficient.start, node.end)
    if operand.negative:
        node = Node("neg", (node,), None, operand.start, node.end)
    return node


# Binding, tightest first after ^: products, then ∘ ⊙ ⊗, then + -.  A sign binds looser than ^
# (-X^2 is -(X^2)) and tighter than *; a number before a name binds looser than ^ (2X^2 is 2·X²).
PRECEDENCE_LEVELS = (("MULOP", "prod"), ("HOP", "hprod"), ("PM", "add"))


def _precedence(operands, operators) -> Node:
    """Build the tree of ``o0 op1 o1 op2 o2 ...`` by operator precedence, without recursion.

    Runs of one level become one n-ary node (``a + b - c`` is a single ``add``), so a long sum
    is a shallow tree.
    """
    units, ops, run = [], [], [operands[0]]
    for token, operand in zip(operators, operands[1:]):
        if token.type == "POW":
            run.append(operand)
            continue
        units.append(_power_chain(run))
        ops.append(token)
        run = [operand]
    units.append(_power_chain(run))
    present = {token.type for token in ops}
    for kind, op in PRECEDENCE_LEVELS:
        if kind in present:
            units, ops = group_level(units, ops, kind, op)
    return units[0]


def _power_chain(run) -> Node:
    """``a ^ b ^ c`` is a^(b^c); each operand keeps its own sign and coefficient."""
    acc = _signed(run[-1])
    for operand in reversed(run[:-1]):
        acc = _signed(operand, Node("pow", (operand.node, acc), None, operand.node.start, acc.end))
    return acc


def group_level(units, ops, kind, op):
    """Join the runs of operators of terminal type ``kind`` into n-ary ``op`` nodes."""
    out_units, out_ops, run_units, run_ops = [], [], [units[0]], []
    for token, unit in zip(ops, units[1:]):
        if token.type == kind:
            run_units.append(unit)
            run_ops.append(token)
            continue
        out_units.append(_chain_node(op, run_units, run_ops))
        out_ops.append(token)
        run_units, run_ops = [unit], []
    out_units.append(_chain_node(op, run_units, run_ops))
    return out_units, out_ops


def _chain_node(op, units, tokens) -> Node:
    if len(units) == 1:
        return units[0]
    if op == "add":
        value = ("+",) + tuple(_normal_sign(t) for t in tokens)
    else:
        value = tuple(str(t) for t in tokens)
    return Node(op, tuple(units), value, units[0].start, units[-1].end)


class _Build(Transformer):
    """Callbacks run by the LALR parser on each reduction: tokens and Nodes in, a Node out."""

    def start(self, items):
        return items[-1]

    def expr(self, items):
        if len(items) == 1:
            return _signed(items[0])
        return _precedence(items[0::2], items[1::2])

    def operand(self, items):
        if len(items) == 1 and not isinstance(items[0], tuple):   # the common case: no sign, no 2X
            return _Operand(False, None, items[0], items[0].start)
        *signs, unit = items
        negative = sum(_normal_sign(s) == "-" for s in signs) % 2 == 1
        coefficient, node = unit if isinstance(unit, tuple) else (None, unit)
        start = _start(signs[0]) if signs else (coefficient or node).start
        return _Operand(negative, coefficient, node, start)

    def implicit(self, items):
        number, rest = items
        return self.number([number]), rest

    def postfix(self, items):
        primary, *posts = items
        if not posts:
            return primary
        node = primary
        for post in posts:
            if isinstance(post, Node):            # an index [i, j]
                node = Node("index", (node, *post.args), None, node.start, post.end)
            else:
                node = Node("post", (node,), str(post), node.start, post.end_pos)
        return node

    npostfix = postfix

    def number(self, items):
        token = items[0]
        return Node("num", (), str(token), token.start_pos, token.end_pos)

    def name(self, items):
        token = items[0]
        return Node("name", (), str(token), token.start_pos, token.end_pos)

    def call(self, items):
        name, _, args, close = items
        arguments = args.args if args is not None else ()
        return Node("call", arguments, str(name), name.start_pos, close.end_pos)

    def dcall(self, items):
        """``sigmoid'(z)``, ``σ′(z)``, ``tanh'(z)``: the homework's derivative (derivative_of)."""
        name, open_, args, close = items
        function = str(name)[:-1]
        canonical = FUNCTION_ALIASES.get(function, function)
        arguments = args.args if args is not None else ()
        if canonical in FUNCTIONS and canonical not in DERIVATIVES:
            raise LangFail("UNSUPPORTED", f"{function}′ (a derivative) is not part of the answer language",
                           name.start_pos, DERIVATIVE_HINT)
        if canonical not in DERIVATIVES or len(arguments) != 1:
            # X'(a + b) is a product; the LaTeX reading (juxtaposition) is tried next.
            shown = str(name) if len(name) <= 30 else f"{str(name)[:12]}…{str(name)[-12:]}"
            raise LangFail("SYNTAX", f"unexpected '(' after {shown}", open_.start_pos,
                           "products need * between names" if canonical not in DERIVATIVES
                           else f"{function}' takes one argument")
        call = Node("call", arguments, canonical, name.start_pos, close.end_pos)
        return derivative_of(call, "∘", lambda n: n)

    def group(self, items):
        open_, inner, close = items
        # The span grows to cover the brackets, so error excerpts read `(a + b)`.
        inner.start, inner.end = open_.start_pos, close.end_pos
        return inner

    def tuple(self, items):
        inner = tuple(i for i in items if isinstance(i, Node))
        return Node("tuple", inner, None, items[0].start_pos, items[-1].end_pos)

    def index(self, items):
        _, args, close = items
        return Node("args", args.args, None, args.start, close.end_pos)

    def args(self, items):
        return Node("args", tuple(items), None, *_span(items))


@functools.cache
def _parser() -> Lark:
    """The grammar compiled by lark, once, on first use (about 30 ms): its terminals give the
    reader's lexer, and its LALR parser is the reference the tests hold the reader to."""
    return Lark(GRAMMAR, parser="lalr", lexer=ScanLexer, transformer=_Build(),
                maybe_placeholders=True, cache=False)


@functools.cache
def _reader() -> "_Reader":
    return _Reader(_parser())


_END, _BAD = "$END", "$BAD"   # the end of the text; a character no terminal matches
# Terminals that can start an nprimary: after a NUMBER they make ``2X``, ``2 X``, ``2(a + b)``.
_NPRIMARY_START = frozenset({"NAME", "DNAME", "LPAR"})
_POST_TOKENS = frozenset({"ATTR", "PRIME", "TSUP", "INVSUP"})
_BINARY = frozenset({"PM", "MULOP", "HOP", "POW"})


class _Reader:
    """An LL(1) reader of :data:`GRAMMAR`, one method per rule, building through :class:`_Build`.

    The grammar is LL(1) as written (each choice is decided by the next token: NUMBER followed by
    NAME, DNAME or ``(`` is a number times what follows; NAME followed by ``(`` is a call; ``(``
    expr followed by ``,`` is a tuple), so reading it by recursive descent gives the tree lark's
    LALR parser gives, from the same callbacks, about three times faster: lark's driver is
    general (a table lookup, a reduction and a callback wrapper per grammar step) and is most of
    the cost of grading a short answer.  Recursion happens only at brackets, which
    ``_check_characters`` bounds (``answer_depth``) before any reading.  A token that cannot come
    next is refused where it stands, as lark refuses it: the first token with no valid
    continuation (``tests/grade/test_language_reader.py`` holds the two to the same trees and
    the same refusals on generated text).
    """

    def __init__(self, lark_parser: Lark):
        self._lex = ScanLexer(lark_parser.lexer_conf).lex
        self._build = _Build()

    def parse(self, text: str) -> Node:
        """Return the tree of ``text``; raise LangFail (SYNTAX) at the first token that cannot come."""
        self._text, self._tokens, self._i, self._bad = text, [], 0, None
        try:
            self._tokens.extend(self._lex(text))
            last = Token(_END, "", len(text), None, None, None, None, len(text))
        except UnexpectedInput as exc:
            # lark lexes as it parses: a bad character counts only once every token before it
            # has been read without a syntax error, so it stands in the stream as a token here.
            self._bad = exc
            last = Token(_BAD, "", exc.pos_in_stream, None, None, None, None, exc.pos_in_stream)
        self._tokens.append(last)
        b = self._build
        eq = self._take("EQ")
        tree = b.start([eq, self._expr()])
        self._want(_END)
        return tree

    # -- tokens --------------------------------------------------------------------------------
    def _peek(self) -> str:
        return self._tokens[self._i].type

    def _next(self) -> Token:
        token = self._tokens[self._i]
        self._i += 1
        return token

    def _take(self, kind: str) -> Token | None:
        token = self._tokens[self._i]
        if token.type == kind:
            self._i += 1
            return token
        return None

    def _want(self, kind: str) -> Token:
        token = self._tokens[self._i]
        if token.type != kind:
            raise self._unexpected(token)
        self._i += 1
        return token

    def _unexpected(self, token: Token) -> LangFail:
        if token.type == _BAD:
            return syntax_failure(self._bad, self._text, hint=_PLAIN_HINT)
        if token.type == _END:
            return _ends_early(self._text)
        return LangFail("SYNTAX", f"unexpected {str(token)!r}", token.start_pos, _PLAIN_HINT)

    # -- rules ---------------------------------------------------------------------------------
    def _expr(self) -> Node:
        items = [self._operand()]
        while self._peek() in _BINARY:
            items.append(self._next())
            items.append(self._operand())
        return self._build.expr(items)

    def _operand(self):
        items = []
        while self._peek() == "PM":
            items.append(self._next())
        items.append(self._unit())
        return self._build.operand(items)

    def _unit(self):
        if self._peek() == "NUMBER" and self._tokens[self._i + 1].type in _NPRIMARY_START:
            number = self._next()
            return self._build.implicit([number, self._postfix(self._nprimary())])
        if self._peek() == "NUMBER":
            return self._postfix(self._build.number([self._next()]))
        return self._postfix(self._nprimary())

    def _postfix(self, primary: Node) -> Node:
        items = [primary]
        while True:
            kind = self._peek()
            if kind in _POST_TOKENS:
                items.append(self._next())
            elif kind == "LSQB":
                open_ = self._next()
                args = self._args()
                items.append(self._build.index([open_, args, self._want("RSQB")]))
            else:
                return self._build.postfix(items)

    def _nprimary(self) -> Node:
        b, kind = self._build, self._peek()
        if kind == "NAME":
            name = self._next()
            open_ = self._take("LPAR")
            if open_ is None:
                return b.name([name])
            return b.call([name, open_, self._optional_args(), self._want("RPAR")])
        if kind == "DNAME":
            name = self._next()
            open_ = self._want("LPAR")
            return b.dcall([name, open_, self._optional_args(), self._want("RPAR")])
        if kind == "LPAR":
            open_ = self._next()
            items = [open_, self._expr()]
            if self._peek() != "COMMA":
                items.append(self._want("RPAR"))
                return b.group(items)
            while self._take("COMMA") is not None:
                items.append(self._expr())
            items.append(self._want("RPAR"))
            return b.tuple(items)
        raise self._unexpected(self._tokens[self._i])

    def _optional_args(self) -> Node | None:
        return None if self._peek() == "RPAR" else self._args()

    def _args(self) -> Node:
        items = [self._expr()]
        while self._take("COMMA") is not None:
            items.append(self._expr())
        return self._build.args(items)


def _ends_early(text: str) -> LangFail:
    return LangFail("SYNTAX", "the answer ends too early", len(text),
                    "finish the expression (an operand is missing, or a bracket is open)")


_PLAIN_HINT = "products need * between names (2X is fine), and every bracket must close"


def syntax_failure(exc: UnexpectedInput, text: str, *, hint: str) -> LangFail:
    """Turn a lark error into a LangFail naming what was found and what could come there."""
    pos = getattr(exc, "pos_in_stream", None)
    if isinstance(exc, UnexpectedCharacters):
        found = f"character {text[pos]!r}" if pos is not None and pos < len(text) else "character"
    elif isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken) and exc.token.type == _END):
        return _ends_early(text)
    else:
        token = exc.token
        pos = token.start_pos
        found = f"{str(token)!r}"
    return LangFail("SYNTAX", f"unexpected {found}", pos, hint)


def parse_plain(text: str) -> Node:
    """Parse plain answer text into a raw :class:`Node` tree (names not yet resolved)."""
    return _reader().parse(text)


def parse_plain_reference(text: str) -> Node:
    """Parse with lark's LALR parser of the same grammar: the reference for :func:`parse_plain`."""
    try:
        return _parser().parse(text)
    except UnexpectedInput as exc:
        raise syntax_failure(exc, text, hint=_PLAIN_HINT) from None
