r"""The LaTeX answer grammar, as students write it: ``2\mathbf{X}\mathbf{b}\mathbf{a}^\top``.

Like the plain grammar this is a lark LALR(1) grammar with a contextual lexer, built once on
first use; lark only builds trees by the grammar and never evaluates its input.  Before lark runs,
every command in the text is checked against the commands the language knows, so ``\input``,
``\def`` or ``\csname`` get a clear refusal naming the command.

Products are juxtaposition (``\lambda \mathbf{I}``, ``X^\top X``), ``\cdot``, ``\times`` or
``*``; ``\odot``/``\circ`` are elementwise and ``\otimes`` Kronecker products (looser than
products, as in the plain grammar).  ``^\top``, ``^T``, ``^{T}``, ``^{\mathsf{T}}``, ``'`` are
transposes, ``^{-1}`` the inverse.  ``\hat{Y}`` names ``Yhat``; ``\mathbf{H}_1`` names ``H1`` (or
``H_1``); ``\mathbf{I}_n``, ``\mathbf{1}_N``, ``\mathbf{1}_{N \times k}``, ``\mathbf{0}`` are
constant matrices; ``\left``, ``\right``, ``\,`` and other spacing are ignored.  A run of
letters is one name when the part has that name (``Yhat``, ``tr``) and otherwise a product of
one-letter names (``ab`` is a·b), as in LaTeX.

>>> parse_latex(r"\frac{2}{N}\mathbf{X}^\top")
juxt(prod(('/',), num('2'), word('N')), lfactor(word('X'), sup(top())))
"""

from __future__ import annotations

import functools
import re

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedInput

from symcheck.grade._lang_plain import PRECEDENCE_LEVELS, group_level, syntax_failure
from symcheck.grade._lang_shapes import CONSTANTS, FUNCTION_ALIASES, FUNCTIONS, GREEK
from symcheck.grade._lang_tree import DERIVATIVE_HINT, DERIVATIVES, LangFail, Node, derivative_of

__all__ = ["parse_latex", "INFER_LATEX", "KNOWN_COMMANDS"]

_GREEK_NAMES = ("lambda", "beta", "alpha", "theta", "eta", "mu", "gamma", "delta", "epsilon",
                "varepsilon", "rho", "tau", "phi", "omega", "nu", "kappa", "xi", "zeta", "psi",
                "chi", "sigma", "pi")
_FONTS = ("mathbf", "mathrm", "mathit", "mathsf", "boldsymbol", "bm", "text", "textrm", "textbf",
          "textit", "operatorname", "mathbb", "mathcal", "vec")
_FUNCS = ("exp", "log", "ln", "tanh", "det", "tr", "Tr", "diag")
_IGNORED = ("left", "right", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "big", "Big",
            "bigg", "Bigg", "quad", "qquad", "displaystyle", "middle")
KNOWN_COMMANDS = frozenset(_GREEK_NAMES + _FONTS + _FUNCS + _IGNORED + (
    "frac", "dfrac", "tfrac", "sqrt", "cdot", "times", "odot", "circ", "otimes", "top",
    "intercal", "prime", "hat", "widehat", "Vert", "lVert", "rVert"))


def _alternatives(words) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


GRAMMAR = r"""
start: [DOLLAR] [EQ] expr [DOLLAR]
expr: signed ((PM | MULOP | HOP) signed)*
signed: PM* juxt
juxt: factor+
factor: primary post*
?post: SUP sarg -> sup
     | SUB sarg -> sub
     | PRIME -> prime
     | INVSUP -> invsup
?sarg: LBRACE expr RBRACE -> braced
     | LPAR expr RPAR -> braced
     | simple
     | PM simple -> signed_sarg
?simple: SCHAR -> letter
       | DIGITS -> number
       | TOP -> top
       | GREEK -> greek
       | font
?primary: NUMBER -> number
        | WORD -> word
        | GREEK -> greek
        | UNAME -> uname
        | TOP -> top
        | FUNC -> func
        | font
        | hat
        | FRAC farg farg2 -> frac
        | SQRT LBRACE expr RBRACE -> sqrt
        | LPAR expr RPAR -> group
        | LPAR expr ("," expr)+ RPAR -> tuple
        | LSQB expr RSQB -> group
        | LBRACE expr RBRACE -> group
        | LNORM expr RNORM -> norm
?farg: LBRACE expr RBRACE -> braced
     | FCHAR -> letter_or_digit
?farg2: LBRACE expr RBRACE -> braced
      | FCHAR -> letter_or_digit
font: FONT LBRACE fitem+ RBRACE
    | FONT LBRACE PM NUMBER RBRACE -> font_number
    | FONT GREEK
    | FONT SCHAR
hat: HAT LBRACE fitem+ RBRACE
   | HAT SCHAR
?fitem: WORD | NUMBER | GREEK | UNAME | SUB | ESCUS | font | hat

NUMBER: /(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/
DIGITS: /\d+/
WORD: /[A-Za-z]+/
SCHAR: /[A-Za-z]/
FCHAR: /[A-Za-z0-9]/
UNAME: /[\u03bb\u03b2\u03b1\u03c3\u03b8\u03b7\u03bc\u03c0]/
GREEK: /\\(""" + _alternatives(_GREEK_NAMES) + r""")(?![A-Za-z])/
FONT: /\\(""" + _alternatives(_FONTS) + r""")(?![A-Za-z])/
FUNC: /\\(""" + _alternatives(_FUNCS) + r""")(?![A-Za-z])/
HAT: /\\(hat|widehat)(?![A-Za-z])/
FRAC: /\\[dt]?frac(?![A-Za-z])/
SQRT: /\\sqrt(?![A-Za-z])/
TOP: /\\(top|intercal|prime)(?![A-Za-z])/
NORM: /\\\||\u2016|\\Vert(?![A-Za-z])/
LNORM: /\\lVert(?![A-Za-z])/
RNORM: /\\rVert(?![A-Za-z])/
ESCUS: "\\_"
PRIME: "'" | "\u2032"
INVSUP: "\u207b\u00b9" | "\u1d40"
PM: "+" | "-" | "\u2212"
MULOP: /\\(cdot|times)(?![A-Za-z])/ | "*" | "/" | "\u00b7" | "\u00d7" | "\u22c5"
HOP: /\\(odot|circ|otimes)(?![A-Za-z])/ | "\u2218" | "\u2299" | "\u2297"
SUP: "^"
SUB: "_"
EQ: "="
DOLLAR: /\$\$?/
LPAR: "("
RPAR: ")"
LSQB: "["
RSQB: "]"
LBRACE: "{"
RBRACE: "}"
SPACING: /\\[,;:! ]|~|\\(""" + _alternatives(_IGNORED) + r""")(?![A-Za-z])/
%ignore SPACING
%ignore /[ \t\r\n\u00a0]+/
"""

_OPERAND_ENDS = {"NUMBER", "WORD", "SCHAR", "DIGITS", "UNAME", "GREEK", "TOP", "RPAR", "RSQB",
                 "RBRACE", "RNORM", "PRIME", "INVSUP"}


class _NormBars:
    """Post-lexer: a bare ``\\|`` opens a norm unless it directly follows an operand inside one."""

    always_accept = ("NORM",)

    def process(self, stream):
        depth, previous = 0, None
        for token in stream:
            if token.type == "NORM":
                closing = depth > 0 and previous in _OPERAND_ENDS
                depth += -1 if closing else 1
                token = Token.new_borrow_pos("RNORM" if closing else "LNORM", token, token)
            elif token.type == "LNORM":
                depth += 1
            elif token.type == "RNORM":
                depth -= 1
            previous = token.type
            yield token


def _start(item) -> int:
    return item.start_pos if isinstance(item, Token) else item.start


def _end(item) -> int:
    return item.end_pos if isinstance(item, Token) else item.end


def _node(op, args, value, items) -> Node:
    return Node(op, tuple(args), value, _start(items[0]), _end(items[-1]))


def _sign(token) -> str:
    return "-" if str(token) in ("-", "\u2212") else "+"


class _Build(Transformer):
    """Callbacks run on each LALR reduction; they build raw nodes, resolved later with the scope."""

    def start(self, items):
        return next(i for i in reversed(items) if isinstance(i, Node))

    def expr(self, items):
        units, ops = items[0::2], items[1::2]
        for kind, op in PRECEDENCE_LEVELS:       # the same precedence as the plain grammar
            units, ops = group_level(units, ops, kind, op)
        return units[0]

    def signed(self, items):
        *signs, operand = items
        if sum(_sign(s) == "-" for s in signs) % 2 == 0:
            return operand
        return _node("neg", (operand,), None, items)

    def juxt(self, items):
        return items[0] if len(items) == 1 else _node("juxt", items, None, items)

    def factor(self, items):
        return items[0] if len(items) == 1 else _node("lfactor", items, None, items)

    def sup(self, items):
        return _node("sup", (items[1],), None, items)

    def sub(self, items):
        return _node("sub", (items[1],), None, items)

    def prime(self, items):
        return _node("prime", (), None, items)

    def invsup(self, items):
        return _node("prime" if str(items[0]) == "\u1d40" else "invsup", (), None, items)

    def braced(self, items):
        open_, inner, close = items
        inner.start, inner.end = open_.start_pos, close.end_pos
        return inner

    def signed_sarg(self, items):
        sign, operand = items
        return _node("neg", (operand,), None, items) if _sign(sign) == "-" else operand

    def letter(self, items):
        return _node("word", (), str(items[0]), items)

    word = letter

    def number(self, items):
        return _node("num", (), str(items[0]), items)

    def top(self, items):
        return _node("top", (), None, items)

    def greek(self, items):
        return _node("word", (), str(items[0])[1:], items)

    def uname(self, items):
        return _node("word", (), GREEK.get(str(items[0]), str(items[0])), items)

    def func(self, items):
        return _node("fword", (), str(items[0])[1:], items)

    def font(self, items):
        body = "".join(_font_text(i) for i in (items[2:-1] if len(items) > 2 else items[1:]))
        if body in ("1", "0"):
            return _node("bold" + body, (), None, items)
        if _NUMBER.fullmatch(body):              # \mathbf{1.89}: a number in bold, as the key writes
            return _node("num", (), body, items)
        return _node("word", (), body, items)

    def font_number(self, items):               # \mathbf{-0.42614473734}
        number = _node("num", (), str(items[3]), items)
        return _node("neg", (number,), None, items) if _sign(items[2]) == "-" else number

    def hat(self, items):
        inner = items[2:-1] if len(items) > 2 else items[1:]
        return _node("word", (), "".join(_font_text(i) for i in inner) + "hat", items)

    def frac(self, items):
        return _node("prod", (items[1], items[2]), ("/",), items)

    def letter_or_digit(self, items):      # \frac12: TeX takes one character per argument
        text = str(items[0])
        return _node("num" if text.isdigit() else "word", (), text, items)

    def sqrt(self, items):
        return _node("call", (items[2],), "sqrt", items)

    def group(self, items):
        return _node("group", (items[1],), None, items)

    def tuple(self, items):
        return _node("tuple", [i for i in items if isinstance(i, Node)], None, items)

    def norm(self, items):
        return _node("call", (items[1],), "norm", items)


def _font_text(item) -> str:
    if isinstance(item, Node):
        return item.value if item.op == "word" else ""
    text = str(item)
    if item.type == "GREEK":
        return text[1:]
    if item.type in ("ESCUS", "SUB"):
        return "_"
    return GREEK.get(text, text)


@functools.cache
def _parser() -> Lark:
    """Build the LALR tables once, on first use, so importing stays cheap."""
    return Lark(GRAMMAR, parser="lalr", lexer="contextual", transformer=_Build(),
                postlex=_NormBars(), maybe_placeholders=True, cache=False)


_COMMAND = re.compile(r"\\([A-Za-z]+|.?)")
_NUMBER = re.compile(r"(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _check_commands(text: str) -> None:
    for match in _COMMAND.finditer(text):
        name = match.group(1)
        if name in KNOWN_COMMANDS or name in (",", ";", ":", "!", " ", "|", "_"):
            continue
        command = "\\" + name
        if name in ("sum", "prod", "int"):
            fix = "write it in matrix form, e.g. ones(N, 1).T*(Y - Yhat)"
        elif name in ("partial", "nabla", "mathrm d"):
            fix = "write the result of the derivative, not the derivative notation"
        else:
            fix = "write the answer with the commands students use for matrices (\\mathbf, ^\\top, \\frac, ...)"
        raise LangFail("UNSUPPORTED", f"the LaTeX command {command} is not part of the answer language",
                       match.start(), fix)


def parse_latex(text: str) -> Node:
    """Parse LaTeX answer text into a raw :class:`Node` tree (names not yet resolved)."""
    _check_commands(text)
    try:
        return _parser().parse(text)
    except UnexpectedInput as exc:
        raise syntax_failure(exc, text, hint="check braces and brackets; write \\mathbf{X}^\\top for "
                             "a transpose and \\frac{a}{b} for a fraction") from None


# -- resolution of the LaTeX-only raw nodes, with the part's names ---------------------------------
def _function_name(walker, raw) -> str | None:
    if raw.op == "fword":
        return FUNCTION_ALIASES.get(raw.value, raw.value)
    if raw.op != "word" or _known(walker, raw.value):
        return None
    name = FUNCTION_ALIASES.get(raw.value, raw.value)
    return name if name in FUNCTIONS else None


def _known(walker, name: str) -> bool:
    scope = walker.scope
    return (name in walker.indices or name in scope.symbols or name in scope.definitions
            or name in scope.sizes or name in scope.aliases or name in CONSTANTS or name == "I")


def _name(raw, value, offset=0) -> Node:
    return Node("name", (), value, raw.start + offset, raw.start + offset + len(value))


def _word(walker, raw) -> Node:
    """A run of letters: one known name, or a product of one-letter names (``ab`` is a·b)."""
    word = raw.value
    if _known(walker, word) or word in GREEK.values() or len(word) == 1:
        return _name(raw, word)
    if _function_name(walker, raw):
        raise LangFail("SYNTAX", f"{word} is a function, used here without its argument", raw.start,
                       f"write {word}(...)")
    letters = [_name(raw, ch, i) for i, ch in enumerate(word)]
    if not all(_known(walker, ch) for ch in word):
        walker.unknown(raw, word)
    return Node("prod", tuple(letters), ("*",) * (len(letters) - 1), raw.start, raw.end)


def _infer_word(walker, raw, elementwise):
    if walker.scope.symbols.get(raw.value) is None and raw.value == "sigma" and \
            "sigma" not in walker.scope.definitions:
        raise LangFail("SYNTAX", "σ is the sigmoid function, used here without its argument",
                       raw.start, "write \\sigma(z)")
    return walker.infer(_word(walker, raw), elementwise)


def _sub_text(raw) -> str | None:
    """The text of a subscript that is part of a name: ``o``, ``1``, ``h_2``, ``h2``."""
    if raw.op == "word":
        return raw.value
    if raw.op == "num":
        return raw.value
    if raw.op == "group":
        return _sub_text(raw.args[0])
    if raw.op == "juxt":
        parts = [_sub_text(a) for a in raw.args]
        return None if None in parts else "".join(parts)
    if raw.op == "lfactor" and len(raw.args) == 2 and raw.args[1].op == "sub":
        base, sub = _sub_text(raw.args[0]), _sub_text(raw.args[1].args[0])
        return None if base is None or sub is None else f"{base}_{sub}"
    return None


def _dims(raw) -> tuple[Node, Node | None]:
    """Split a subscript ``N \\times k`` into (rows, cols); a single size gives (size, None)."""
    if raw.op == "group":
        return _dims(raw.args[0])
    if raw.op == "prod":
        cut = [i for i, op in enumerate(raw.value) if op in ("\\times", "×")]
        if len(cut) == 1:
            i = cut[0]
            left = raw.args[:i + 1]
            right = raw.args[i + 1:]
            return (_part(left, raw.value[:i], raw), _part(right, raw.value[i + 1:], raw))
    return raw, None


def _part(args, ops, raw) -> Node:
    return args[0] if len(args) == 1 else Node("prod", tuple(args), tuple(ops), args[0].start, args[-1].end)


def _subscripted(walker, base, sub) -> Node:
    if base.op in ("word", "name"):
        word = base.value
        text = _sub_text(sub)
        if word == "I" and "I" not in walker.scope.symbols:
            return Node("call", (sub,), "Identity", base.start, sub.end)
        if text is None:
            raise LangFail("UNSUPPORTED", f"the subscript of {word} is not a name or a number",
                           sub.start, "write names like \\mathbf{W}_{o} or \\mathbf{H}_1")
        flat = text.replace("_", "")
        for candidate in dict.fromkeys((f"{word}_{text}", f"{word}{text}", f"{word}_{flat}",
                                        f"{word}{flat}")):
            if _known(walker, candidate):
                return Node("name", (), candidate, base.start, sub.end)
        walker.unknown(base, f"{word}_{text}")
    if base.op in ("bold1", "bold0"):
        rows, cols = _dims(sub)
        cols = cols or Node("num", (), "1", sub.start, sub.end)
        name = "OneMatrix" if base.op == "bold1" else "ZeroMatrix"
        return Node("call", (rows, cols), name, base.start, sub.end)
    if base.op == "call" and base.value == "norm" and _sub_text(sub) in ("F", "2"):
        return base
    raise LangFail("UNSUPPORTED", "a subscript here is not understood", sub.start,
                   "subscripts belong to names (\\mathbf{W}_o), to \\mathbf{I}_n and \\mathbf{1}_N, "
                   "and to a Frobenius norm \\|X\\|_F")


def _infer_factor(walker, raw, elementwise):
    primary, *posts = raw.args
    if _function_name(walker, primary):
        name = primary.value
        primed = any(p.op == "prime" for p in posts)
        if primed and len(posts) == 1 and _function_name(walker, primary) in DERIVATIVES:
            raise LangFail("SYNTAX", f"{name}′ needs an argument", primary.start,
                           f"write {name}′(z), read as the homework defines it")
        what = f"{name}′ (a derivative)" if primed else f"a superscript or subscript on the function {name}"
        raise LangFail("UNSUPPORTED", f"{what} is not part of the answer language", primary.start,
                       DERIVATIVE_HINT if primed else f"write {name}(x)^2 for a power; an inverse "
                       f"function ({name}^{{-1}}) is not read: give its value as a number")
    subs = [p for p in posts if p.op == "sub"]
    if len(subs) > 1:
        raise LangFail("SYNTAX", "two subscripts on one name", subs[1].start, "write one subscript")
    sups = [p for p in posts if p.op == "sup"]
    if len(sups) > 1:
        # TeX refuses x^a^b too ("double superscript"); the reading would be a guess.
        raise LangFail("SYNTAX", "double superscript", sups[1].start,
                       "group the exponents: write (x^{a})^{b} or x^{a^{b}}")
    prefix = []
    base = primary
    if primary.op == "word" and not _known(walker, primary.value) and len(primary.value) > 1 and \
            not _function_name(walker, primary) and primary.value not in GREEK.values():
        # In LaTeX `ab^T` is a·bᵀ: the scripts belong to the last letter.
        *head, last = primary.value
        prefix = [_name(primary, ch, i) for i, ch in enumerate(head)]
        base = _name(primary, last, len(head))
    if subs:
        base = _subscripted(walker, base, subs[0].args[0])
    elif base.op == "word":
        base = _word(walker, base)
    for post in posts:
        if post.op == "sup":
            base = Node("pow", (base, post.args[0]), None, base.start, post.end)
        elif post.op == "prime":
            base = Node("post", (base,), "'", base.start, post.end)
        elif post.op == "invsup":
            base = Node("post", (base,), ".I", base.start, post.end)
    if prefix:
        base = Node("prod", (*prefix, base), ("*",) * len(prefix), raw.start, raw.end)
    return walker.infer(base, elementwise)


def _infer_juxt(walker, raw, elementwise):
    items, out, i = list(raw.args), [], 0
    for left, right in zip(items, items[1:]):
        if left.op == "num" and right.op == "num":   # 0.26 89: a typo, not a product
            raise LangFail("SYNTAX", f"two numbers side by side ({left.value} {right.value})",
                           right.start, r"write one number, or \cdot between two numbers to multiply them")
    while i < len(items):
        item = items[i]
        scripted = _scripted_function(walker, item) if i + 1 < len(items) else None
        if scripted is not None:
            # \sigma'(z) is the homework's σ′(z); \tanh^2(x) is (tanh x)², while \tanh^{-1}
            # (the inverse function) stays refused.
            function, name, post = scripted
            call = _apply(function, name, items[i + 1])
            out.append(_derivative_applied(function, call) if post.op == "prime" else
                       Node("lfactor", (call, post), None, item.start, call.end))
            i += 2
            continue
        name = _function_name(walker, item)
        if name is None:
            out.append(item)
            i += 1
            continue
        if i + 1 == len(items):
            raise LangFail("SYNTAX", f"{item.value} needs an argument", item.start,
                           f"write {item.value}(...)")
        out.append(_apply(item, name, items[i + 1]))
        i += 2
    if len(out) == 1:
        return walker.infer(out[0], elementwise)
    return walker.infer(Node("prod", tuple(out), ("*",) * (len(out) - 1), raw.start, raw.end), elementwise)


def _scripted_function(walker, raw):
    """``(function, name, post)`` when ``raw`` is a function with one script that the answer
    language reads before an argument: a prime on σ or tanh (``\\sigma'``), or a positive
    whole-number power (``\\tanh^2``, ``\\sigma^{3}``); else None."""
    if raw.op != "lfactor" or len(raw.args) != 2:
        return None
    function, post = raw.args
    name = _function_name(walker, function)
    if name is None:
        return None
    if post.op == "prime":
        return (function, name, post) if name in DERIVATIVES else None
    exponent = post.args[0] if post.op == "sup" else None
    if exponent is None or exponent.op != "num" or not str(exponent.value).isdigit() or int(exponent.value) < 1:
        return None
    return function, name, post


def _derivative_applied(function, applied: Node) -> Node:
    """``σ′(z)`` read as the homework defines it (:func:`derivative_of`); scripts after the
    bracket (``σ′(z)^2``) apply to the derivative."""
    call, posts = (applied.args[0], applied.args[1:]) if applied.op == "lfactor" else (applied, ())
    value = derivative_of(call, "\\odot", lambda n: Node("group", (n,), None, n.start, n.end))
    if not posts:
        return value
    return Node("lfactor", (Node("group", (value,), None, function.start, call.end), *posts), None,
                function.start, posts[-1].end)


def _apply(function, name, arg) -> Node:
    """``f(x)^2`` is (f(x))²: the function takes the bracket, the scripts apply to the result."""
    posts = ()
    if arg.op == "lfactor" and arg.args[0].op in ("group", "tuple"):
        arg, posts = arg.args[0], arg.args[1:]
    inner = arg.args if arg.op == "tuple" else (arg.args[0],) if arg.op == "group" else (arg,)
    call = Node("call", tuple(inner), name, function.start, arg.end)
    if not posts:
        return call
    return Node("lfactor", (call, *posts), None, function.start, posts[-1].end)


def _infer_group(walker, raw, elementwise):
    return walker.infer(raw.args[0], elementwise)


def _infer_fword(walker, raw, elementwise):
    raise LangFail("SYNTAX", f"\\{raw.value} needs an argument", raw.start, f"write \\{raw.value}(...)")


def _infer_top(walker, raw, elementwise):
    raise LangFail("SYNTAX", "\\top outside a superscript", raw.start, "write X^\\top for a transpose")


def _infer_bold(walker, raw, elementwise):
    # \mathbf{1} is the column of ones (its length from context); \mathbf{0} a zero matrix.
    # Inside an elementwise product it is the ones of whatever it meets, as 1 is there:
    # H ⊙ (\mathbf{1} − H) is H ∘ (ones − H), as the homework writes σ′.
    if raw.op == "bold1":
        return walker.unsized_ones(raw, "ones", column=not elementwise)
    return walker.unsized_ones(raw, "zeros")


def _divisor_lead(walker, raw):
    r"""``(lead, rest)`` of a juxtaposed divisor whose lead is a number or a plain name (not a
    function, which takes what follows as its argument, and not I), else None: the shape pass
    reads ``2/N (\hat{Y} - Y)`` as (2/N)(Ŷ − Y) when the rest is a matrix."""
    if raw.op != "juxt" or len(raw.args) < 2:
        return None
    lead, rest = raw.args[0], raw.args[1:]
    if not (lead.op == "num" or (lead.op == "word" and lead.value != "I"
                                 and _function_name(walker, lead) is None)):
        return None
    return lead, rest[0] if len(rest) == 1 else Node("juxt", tuple(rest), None, rest[0].start, rest[-1].end)


# The LaTeX-only shape rules: a handler for each raw operation the plain grammar does not make,
# and one hook, divisor_lead, that the shared product rule asks how a divisor may split.
INFER_LATEX = {
    "word": _infer_word, "lfactor": _infer_factor, "juxt": _infer_juxt, "group": _infer_group,
    "fword": _infer_fword, "top": _infer_top, "bold1": _infer_bold, "bold0": _infer_bold,
    "divisor_lead": _divisor_lead,
}
