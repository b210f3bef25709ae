"""Resolve names and infer shapes: a raw parse tree in, a typed tree out, or a clear refusal.

Shapes are inferred by unification.  ``I``, ``ones`` and ``\\mathbf{1}`` without a size get
unknown dimensions that the rest of the answer fixes: in ``(X.T*X + lambda*I)^-1`` the I is p×p
because it is added to the p×p matrix ``X.T*X``.  The typed tree spells out every implicit step
(``scal``: a 1×1 matrix used as a scalar; ``bcast``: a scalar spread over a matrix inside an
elementwise product, as in ``H ∘ (1 - H)``), so the evaluator and the printers need no rules of
their own.

Typed operations: num const sym size idx eye ones zeros add neg prod hprod pow mpow inv T tr det
fn hpow diag norm index sum scal bcast.
"""

from __future__ import annotations

import difflib
import math
from fractions import Fraction
from typing import Callable, Mapping

from symcheck.grade._lang_tree import Dim, LangFail, Node, limit_value

__all__ = ["Scope", "infer", "format_dim", "format_shape", "toggle_transpose"]

_NUMBER_DIGITS = limit_value("number_digits")
_NUMBER_EXPONENT = limit_value("number_exponent")
_POWER_EXPONENT = limit_value("power_exponent")
_POWER_DEGREE = limit_value("power_degree")
_LITERAL_SIZE = limit_value("answer_literal_size")
_MAX_SIZE_POWER = 4            # Identity(n^2) is a size; n^9 is not one anybody means

GREEK = {"λ": "lambda", "β": "beta", "α": "alpha", "θ": "theta", "η": "eta", "μ": "mu",
         "σ": "sigma"}
CONSTANTS = {"e": "e", "E": "e", "pi": "pi", "π": "pi"}
ELEMENTWISE = ("exp", "log", "sqrt", "tanh", "sigmoid", "abs")
FUNCTION_ALIASES = {
    "trace": "tr", "Trace": "tr", "Tr": "tr", "Determinant": "det", "Inverse": "inv",
    "Transpose": "transpose", "HadamardProduct": "hadamard", "HadamardPower": "hadamard_power",
    "KroneckerProduct": "kron", "DiagMatrix": "diag", "eye": "Identity", "zeros": "ZeroMatrix",
    "ones": "OneMatrix", "ln": "log", "Abs": "abs", "sigma": "sigmoid", "σ": "sigmoid",
    "Exp": "exp", "Log": "log",
}
# name -> allowed numbers of arguments (None: two or more)
FUNCTIONS: dict[str, tuple[int, ...] | None] = {
    "tr": (1,), "det": (1,), "inv": (1,), "transpose": (1,), "hadamard": None,
    "hadamard_power": (2,), "kron": None, "diag": (1,), "norm": (1,), "Identity": (0, 1),
    "ZeroMatrix": (0, 2), "OneMatrix": (0, 2), "sum": None,
    **{name: (1,) for name in ELEMENTWISE},
}
TRANSPOSE_POSTS = {".T", "'", "\u2032", "\u1d40"}
INVERSE_POSTS = {".I", "\u207b\u00b9"}


# -- dimensions under unification ---------------------------------------------------------------
class _Var:
    """An unknown dimension (of an unsized I or ones), bound by unification."""

    __slots__ = ("ref",)

    def __init__(self):
        self.ref = None


class _Prod:
    """A product of dimensions, some unknown (the Kronecker product of an unsized I)."""

    __slots__ = ("factors",)

    def __init__(self, factors):
        self.factors = tuple(factors)


def _resolve(d):
    while isinstance(d, _Var) and d.ref is not None:
        d = d.ref
    if isinstance(d, _Prod):
        const, unknown = _split(d)
        return const if not unknown else _Prod((const, *unknown))
    return d


def _split(d) -> tuple[Dim, list]:
    """Return (known part, unknown factors) of a resolved-as-far-as-possible dimension."""
    d = d if isinstance(d, _Prod) else _resolve(d)
    if isinstance(d, Dim):
        return d, []
    if isinstance(d, _Var):
        return Dim(1), [d]
    const, unknown = Dim(1), []
    for factor in d.factors:
        c, u = _split(_resolve(factor) if not isinstance(factor, _Prod) else factor)
        const, unknown = const * c, unknown + u
    return const, unknown


def _times(a, b):
    a, b = _resolve(a), _resolve(b)
    if isinstance(a, Dim) and isinstance(b, Dim):
        return a * b
    return _resolve(_Prod((a, b)))


class _Unifier:
    def __init__(self):
        self.pending: list[tuple] = []
        self.bindings = 0          # unknowns bound so far: settle stops when a round binds none

    def unify(self, a, b) -> bool:
        """Make ``a`` and ``b`` equal, binding unknowns; return False when they cannot be."""
        a, b = _resolve(a), _resolve(b)
        if a is b:
            return True
        if isinstance(a, Dim) and isinstance(b, Dim):
            return a == b
        if isinstance(a, _Var) and not isinstance(b, _Prod):
            a.ref = b
            self.bindings += 1
            return True
        if isinstance(b, _Var) and not isinstance(a, _Prod):
            b.ref = a
            self.bindings += 1
            return True
        (ca, ua), (cb, ub) = _split(a), _split(b)
        for v in list(ua):
            if v in ub:
                ua.remove(v)
                ub.remove(v)
        if not ua and not ub:
            return ca == cb
        if len(ua) + len(ub) == 1:
            var, num, den = (ua[0], cb, ca) if ua else (ub[0], ca, cb)
            quotient = num.divide(den)
            if quotient is None:
                return False
            var.ref = quotient
            self.bindings += 1
            return True
        self.pending.append((a, b))
        return True

    def settle(self) -> bool:
        """Retry postponed equations until a round binds no unknown; False if one turned out false.

        (Each unknown is bound at most once, so this ends: ``X*(I ⊗ I)*y`` once looped here forever,
        comparing freshly built products that were never identical.)
        """
        while self.pending:
            pending, self.pending = self.pending, []
            before = self.bindings
            for a, b in pending:
                if not self.unify(a, b):
                    return False
            if self.bindings == before:
                return True
        return True


def format_dim(d) -> str:
    """Return a dimension as text; an unknown one reads ``?``."""
    d = _resolve(d)
    if isinstance(d, Dim):
        return str(d)
    if isinstance(d, _Var):
        return "?"
    const, unknown = _split(d)
    return "*".join(([str(const)] if not const.is_one else []) + ["?"] * len(unknown))


def format_shape(shape, *, brackets: bool = True) -> str:
    """Return ``(m×1)`` for a matrix shape, ``scalar`` for ``()``."""
    if not shape:
        return "scalar"
    text = f"{format_dim(shape[0])}×{format_dim(shape[1])}"
    return f"({text})" if brackets else text


def _is_matrix(node) -> bool:
    return len(node.shape) == 2


def _is_1x1(node) -> bool:
    return _is_matrix(node) and all(isinstance(_resolve(d), Dim) and _resolve(d).is_one
                                    for d in node.shape)


def toggle_transpose(node: Node) -> Node:
    """Return ``X`` for ``X.T`` and ``X.T`` for anything else (for did-you-mean hints)."""
    if node.op == "T":
        return node.args[0]
    return _typed("T", (node,), None, node, (node.shape[1], node.shape[0]) if node.shape else ())


def _typed(op, args, value, span, shape) -> Node:
    node = Node(op, tuple(args), value, span.start, span.end)
    node.shape = shape
    return node


class Scope:
    """What an answer may name: symbols and definitions with their shapes, and the sizes."""

    def __init__(self, symbols: Mapping[str, tuple], definitions: Mapping[str, tuple] = None,
                 aliases: Mapping[str, str] = None):
        self.symbols = {name: self._shape(shape) for name, shape in symbols.items()}
        self.definitions = {name: tuple(shape) for name, shape in (definitions or {}).items()}
        self.sizes = {n for shape in self.symbols.values() for d in shape for n in d.names}
        # Other names students use for a symbol or definition (the homework's ĥ for H: hhat -> H).
        self.aliases = {alias: target for alias, target in (aliases or {}).items()
                        if target in self.symbols or target in self.definitions}

    @staticmethod
    def _shape(shape) -> tuple:
        shape = tuple(shape)
        return tuple(Dim.of(d) for d in shape) if shape else ()

    def known(self) -> list[str]:
        return list(self.symbols) + [d for d in self.definitions if d not in self.symbols]

    def describe(self) -> str:
        names = self.known()
        text = f"this part uses {', '.join(names)}" if names else "this part has no symbols"
        if self.sizes:
            text += f" (and the sizes {', '.join(sorted(self.sizes))})"
        return text


# -- the inference walk ---------------------------------------------------------------------------
class _Infer:
    def __init__(self, text: str, scope: Scope, printer: Callable[[Node], str], extra=None):
        self.text, self.scope, self.printer = text, scope, printer
        self.unifier = _Unifier()
        self.indices: set[str] = set()
        self.unknowns: list[tuple[Node, object]] = []   # (node, var) for unsized I / ones
        self.extra = extra or {}                        # LaTeX-only raw operations

    # errors ------------------------------------------------------------------------------------
    def plain(self, node: Node) -> str:
        """Return a node as plain text for a message, each I and ones sized as far as known."""
        return self.printer(_settled(node))

    def seg(self, node) -> str:
        text = " ".join(self.text[node.start:node.end].split())
        return text if len(text) <= 60 else text[:57] + "..."

    def fail(self, code, node, what, fix=None):
        raise LangFail(code, what, node.start, fix)

    # dispatch ------------------------------------------------------------------------------------
    def infer(self, raw: Node, elementwise: bool = False) -> Node:
        handler = getattr(self, f"_{raw.op}", None) or self.extra.get(raw.op)
        if handler is None:
            self.fail("UNSUPPORTED", raw, f"`{self.seg(raw)}` is not part of the answer language")
        return handler(self, raw, elementwise) if raw.op in self.extra else handler(raw, elementwise)

    def scalar(self, node: Node) -> Node:
        """Return ``node`` as a scalar: a 1×1 matrix becomes the number it holds."""
        if _is_matrix(node):
            if not _is_1x1(node):
                self.fail("SHAPE", node, f"`{self.seg(node)}` is a {format_shape(node.shape, brackets=False)} "
                          "matrix where a scalar is needed", "use a scalar here, e.g. tr(...) of a 1×1 product")
            return _typed("scal", (node,), None, node, ())
        return node

    def same_shape(self, a: Node, b: Node) -> bool:
        return self.unifier.unify(a.shape[0], b.shape[0]) and self.unifier.unify(a.shape[1], b.shape[1])

    # leaves --------------------------------------------------------------------------------------
    def _num(self, raw, elementwise):
        literal = raw.value.replace("_", "")
        mantissa, _, exponent = literal.lower().partition("e")
        digits = mantissa.replace(".", "").lstrip("0")
        if len(digits) > _NUMBER_DIGITS:
            self.fail("TOO_LARGE", raw, f"the number {literal[:20]}… has {len(digits)} digits, more "
                      f"than {_NUMBER_DIGITS} (limit number_digits)", "round it")
        if exponent:
            sign = -1 if exponent.startswith("-") else 1
            digits_e = exponent.lstrip("+-")
            if len(digits_e) > 4 or int(digits_e) > _NUMBER_EXPONENT:
                self.fail("TOO_LARGE", raw, f"the number {literal[:20]} has the exponent "
                          f"{'-' if sign < 0 else ''}{digits_e[:8]}, beyond ±{_NUMBER_EXPONENT} "
                          "(limit number_exponent)", "write a number of ordinary size")
        # where its first digit stands: 0.000…01 with 9,000 zeros is 1e-9001, however it is written
        whole, _, fraction = mantissa.partition(".")
        place = len(whole.lstrip("0")) - 1 if whole.lstrip("0") else \
            -(len(fraction) - len(fraction.lstrip("0")) + 1)
        magnitude = place + (int(exponent) if exponent else 0)
        if digits and abs(magnitude) > _NUMBER_EXPONENT:
            self.fail("TOO_LARGE", raw, f"the number {literal[:12]}… is about 1e{magnitude}, beyond "
                      f"±{_NUMBER_EXPONENT} (limit number_exponent)", "write a number of ordinary size")
        return _typed("num", (), (Fraction(literal), literal), raw, ())

    def _name(self, raw, elementwise):
        return self.name(raw, raw.value)

    def name(self, raw, name):
        scope = self.scope
        if name in self.indices:
            return _typed("idx", (), name, raw, ())
        if name in scope.symbols:
            return _typed("sym", (), name, raw, scope.symbols[name])
        if name in scope.definitions:
            return _typed("sym", (), name, raw, scope.definitions[name])
        if name in scope.sizes:
            return _typed("size", (), name, raw, ())
        if name in scope.aliases:
            return self.name(raw, scope.aliases[name])
        if name in GREEK and GREEK[name] != name:
            return self.name(raw, GREEK[name])
        if name in CONSTANTS:
            return _typed("const", (), CONSTANTS[name], raw, ())
        if name == "I":
            return self.unsized_eye(raw)
        if name == "ones":
            return self.unsized_ones(raw)
        canonical = FUNCTION_ALIASES.get(name, name)
        if canonical in FUNCTIONS:
            self.fail("SYNTAX", raw, f"{name} is a function, used here without its argument",
                      f"write {name}(...)")
        self.unknown(raw, name)

    def unknown(self, raw, name):
        known = self.scope.known() + sorted(self.scope.sizes)
        close = difflib.get_close_matches(name, known, n=2, cutoff=0.6)
        fix = f"did you mean {' or '.join(close)}?" if close else None
        self.fail("UNKNOWN_SYMBOL", raw, f"unknown symbol '{name}'; {self.scope.describe()}", fix)

    def unsized_eye(self, raw):
        var = _Var()
        node = _typed("eye", (), var, raw, (var, var))
        self.unknowns.append((node, var))
        return node

    def unsized_ones(self, raw, op="ones", *, column=False):
        rows, cols = _Var(), Dim(1) if column else _Var()
        node = _typed(op, (), (rows, cols), raw, (rows, cols))
        self.unknowns.append((node, rows))
        self.unknowns.append((node, cols))
        return node

    # sums and products ---------------------------------------------------------------------------
    def _add(self, raw, elementwise):
        terms = [self.infer(t, elementwise) for t in raw.args]
        matrices = [t for t in terms if _is_matrix(t)]
        if not matrices:
            return _typed("add", terms, raw.value, raw, ())
        reference = matrices[0]
        for other in matrices[1:]:
            if not self.same_shape(reference, other):
                self.fail("SHAPE", raw, f"`{self.seg(raw)}` adds shapes {format_shape(reference.shape)} "
                          f"and {format_shape(other.shape)}, which differ",
                          "both terms of a sum must have the same shape")
        scalars = [t for t in terms if not _is_matrix(t)]
        if not scalars:
            return _typed("add", terms, raw.value, raw, reference.shape)
        if elementwise:
            terms = [t if _is_matrix(t) else _typed("bcast", (t,), None, t, reference.shape)
                     for t in terms]
            return _typed("add", terms, raw.value, raw, reference.shape)
        if _is_1x1(reference):
            return _typed("add", [self.scalar(t) for t in terms], raw.value, raw, ())
        scalar = scalars[0]
        shape = format_shape(reference.shape, brackets=False)
        rows, cols = (_resolve(d) for d in reference.shape)
        square = rows == cols or not (isinstance(rows, Dim) and isinstance(cols, Dim))
        name = self.plain(scalar)
        fix = f"did you mean {_times_text(name)}*I?" if square else \
            f"did you mean {_times_text(name)}*ones({format_dim(reference.shape[0])}, " \
            f"{format_dim(reference.shape[1])})?"
        self.fail("SHAPE", scalar, f"`{self.seg(raw)}` adds the scalar {name} to a {shape} matrix", fix)

    def _neg(self, raw, elementwise):
        inner = self.infer(raw.args[0], elementwise)
        return _typed("neg", (inner,), None, raw, inner.shape)

    def _implicit(self, raw, elementwise):
        return self._prod(Node("prod", raw.args, ("*",), raw.start, raw.end), elementwise)

    def _prod(self, raw, elementwise):
        first = self.infer(raw.args[0], elementwise)
        args, ops, shape = [first], [], first.shape
        for op, item in zip(raw.value, raw.args[1:]):
            span = Node("span", (), None, raw.args[0].start, item.end)
            if op == "/":
                # factor is not None for a / b C, b a scalar and C a matrix: dividing by a matrix
                # means nothing, so this is (a/b)·C, as a student writing 2/N (Ŷ − Y) means.
                divisor, factor = self._divisor_and_rest(item, elementwise)
                quotient = span if factor is None else \
                    Node("span", (), None, raw.args[0].start, divisor.end)
                args.append(self.divisor(quotient, divisor))
                ops.append("/")
                if factor is None:
                    continue
            else:
                factor = self.infer(item, elementwise)
            if not shape or not factor.shape:
                shape = shape or factor.shape
            elif self.unifier.unify(shape[1], factor.shape[0]):
                shape = (shape[0], factor.shape[1])
            elif _is_1x1(_typed("span", (), None, span, shape)):
                # A 1×1 product times a matrix: the number it holds scales the matrix (aᵀb·X).
                head = args[0] if len(args) == 1 else _typed("prod", args, tuple(ops), span, shape)
                args, ops, shape = [_typed("scal", (head,), None, head, ())], [], factor.shape
            elif _is_1x1(factor):
                factor = _typed("scal", (factor,), None, factor, ())
            else:
                left = args[0] if len(args) == 1 else _typed("prod", args, tuple(ops), span, shape)
                self.fail("SHAPE", span, f"{self.seg(span)} has shapes {format_shape(shape)}·"
                          f"{format_shape(factor.shape)}, which do not compose",
                          self.product_hint(left, factor))
            args.append(factor)
            ops.append("*")
        if len(args) == 1:
            return args[0]
        return _signed_chain("prod", args, tuple(ops), raw, shape)

    def _divisor_and_rest(self, raw, elementwise):
        """``(divisor, None)`` for the typed divisor ``raw``; or ``(scalar, matrix)`` when ``raw``
        juxtaposes a scalar and then a matrix (the ``N (Ŷ − Y)`` of ``2/N (Ŷ − Y)``), which is
        then read as divided by the scalar and multiplied by the matrix.

        Which juxtapositions may split is the syntax's to say (``extra["divisor_lead"]``: the
        LaTeX grammar splits ``N (Ŷ − Y)`` into its lead ``N``, a number or a name, and the
        rest); plain text has no juxtaposition of names, so there nothing splits.  Each part
        is inferred once.
        """
        split = self.extra.get("divisor_lead")
        parts = split(self, raw) if split is not None else None
        if parts is None:
            return self.infer(raw, elementwise), None
        lead, rest = parts
        scalar = self.infer(lead, elementwise)
        if scalar.shape:
            return self.infer(raw, elementwise), None   # a name: inferring it again costs nothing
        matrix = self.infer(rest, elementwise)
        if _is_matrix(matrix) and not _is_1x1(matrix):
            return scalar, matrix
        return _signed_chain("prod", [scalar, matrix], ("*",), raw, matrix.shape), None

    def product_hint(self, left: Node, right: Node) -> str:
        lr, lc = (_resolve(d) for d in left.shape)
        rr, rc = (_resolve(d) for d in right.shape)
        if lc == rc:
            return f"did you mean {self.plain(_typed('prod', (left, toggle_transpose(right)), ('*',), left, ()))}?"
        if lr == rr:
            return f"did you mean {self.plain(_typed('prod', (toggle_transpose(left), right), ('*',), left, ()))}?"
        return "the columns of the left factor must equal the rows of the right factor"

    def divisor(self, span, factor):
        if _is_matrix(factor) and not _is_1x1(factor):
            square = _resolve(factor.shape[0]) == _resolve(factor.shape[1])
            fix = (f"multiply by its inverse instead: inv({self.plain(factor)})" if square else
                   "only a square invertible matrix has an inverse to multiply by")
            self.fail("SHAPE", span, f"`{self.seg(span)}` divides by the "
                      f"{format_shape(factor.shape, brackets=False)} matrix {self.seg(factor)}", fix)
        factor = self.scalar(factor)
        value = constant_value(factor)
        if value == 0:
            self.fail("UNSUPPORTED", span, f"`{self.seg(span)}` divides by zero")
        return factor

    def _hprod(self, raw, elementwise):
        return self.hchain(raw, raw.args, raw.value)

    def hchain(self, raw, items, ops):
        """Elementwise (∘) and Kronecker (⊗) products, left to right."""
        first = self.infer(items[0], elementwise=ops[0] in _HADAMARD)
        args, shape = [first], first.shape
        for op, item in zip(ops, items[1:]):
            op = "∘" if op in _HADAMARD else "⊗"
            factor = self.infer(item, elementwise=op == "∘")
            args.append(factor)
            if not shape or not factor.shape:
                shape = shape or factor.shape
            elif op == "∘":
                probe = _typed("span", (), None, raw, shape)
                if not self.same_shape(probe, factor):
                    self.fail("SHAPE", raw, f"`{self.seg(raw)}`: an elementwise product needs equal "
                              f"shapes, got {format_shape(shape)} and {format_shape(factor.shape)}",
                              "both factors of ∘ (hadamard) must have the same shape")
            else:
                shape = (_times(shape[0], factor.shape[0]), _times(shape[1], factor.shape[1]))
        canonical = tuple("∘" if op in _HADAMARD else "⊗" for op in ops)
        return _signed_chain("hprod", args, canonical, raw, shape)

    # powers and postfix ----------------------------------------------------------------------------
    def _pow(self, raw, elementwise):
        base_raw, exponent_raw = raw.args
        marker = transpose_marker(exponent_raw, self.scope)
        if marker is not None:
            base = self.infer(base_raw)
            node = self.transpose(raw, base)
            return self.inverse(raw, node) if marker == "-T" else node
        base = self.infer(base_raw)
        exponent = self.infer(exponent_raw)
        if _is_matrix(exponent) and not _is_1x1(exponent):
            self.fail("SHAPE", raw, f"`{self.seg(raw)}` has a {format_shape(exponent.shape)} matrix as "
                      "its exponent", "exponents must be scalars")
        exponent = self.scalar(exponent)
        value = constant_value(exponent)
        if value is not None:
            if not math.isfinite(value) or abs(value) > _POWER_EXPONENT:
                shown = self.seg(exponent_raw)
                self.fail("TOO_LARGE", raw, f"the exponent {shown} of `{self.seg(raw)}` is too large "
                          f"(at most ±{_POWER_EXPONENT}, limit power_exponent)",
                          "use a smaller exponent")
            degree = abs(value) * _power_degree(base)
            if degree > _POWER_DEGREE:
                self.fail("TOO_LARGE", raw, f"`{self.seg(raw)}` nests powers to a total degree of "
                          f"{degree:g}, more than {_POWER_DEGREE} (limit power_degree)", "simplify it")
        if not _is_matrix(base):
            return _typed("pow", (base, exponent), value, raw, ())
        integer = value is not None and float(value).is_integer()
        if _is_1x1(base) and not integer:
            return _typed("pow", (self.scalar(base), exponent), value, raw, ())
        if not integer:
            self.fail("SHAPE", raw, f"`{self.seg(raw)}` raises a matrix to the power "
                      f"{self.seg(exponent_raw)}", "matrix powers must be integers; for elementwise "
                      "powers use hadamard_power(A, p)")
        self.require_square(raw, base, "a matrix power")
        if value == -1:
            return _typed("inv", (base,), None, raw, base.shape)
        return _typed("mpow", (base,), int(value), raw, base.shape)

    def require_square(self, raw, node, what):
        if not self.unifier.unify(node.shape[0], node.shape[1]):
            self.fail("SHAPE", raw, f"{what} needs a square matrix, but `{self.seg(node)}` is "
                      f"{format_shape(node.shape, brackets=False)}",
                      "transpose or multiply so the matrix is square first")

    def transpose(self, raw, node):
        if not _is_matrix(node):
            return node
        return _typed("T", (node,), None, raw, (node.shape[1], node.shape[0]))

    def inverse(self, raw, node):
        if _is_matrix(node):
            self.require_square(raw, node, "the inverse")
        return _typed("inv", (node,), None, raw, node.shape)

    def _post(self, raw, elementwise):
        base = self.infer(raw.args[0], elementwise)
        if raw.value in TRANSPOSE_POSTS:
            return self.transpose(raw, base)
        if raw.value in INVERSE_POSTS:
            return self.inverse(raw, base)
        self.fail("UNSUPPORTED", raw, f"`{raw.value}` is not part of the answer language",
                  "after a name only .T (transpose) and .I (inverse) are allowed")

    def _index(self, raw, elementwise):
        matrix = self.infer(raw.args[0])
        if not _is_matrix(matrix):
            self.fail("SHAPE", raw, f"`{self.seg(raw.args[0])}` is a scalar and has no entries",
                      "index only matrices, e.g. X[i, j]")
        indices = [self.scalar(self.infer(i)) for i in raw.args[1:]]
        rows, cols = (_resolve(d) for d in matrix.shape)
        if len(indices) == 1 and (cols == Dim(1) or rows == Dim(1)):
            one = _typed("num", (), (Fraction(1), "1"), raw, ())
            indices = [indices[0], one] if cols == Dim(1) else [one, indices[0]]
        if len(indices) != 2:
            self.fail("SHAPE", raw, f"`{self.seg(raw)}` needs two indices", "write X[i, j] (1-based), "
                      "or v[i] for a vector")
        for index, size in zip(indices, (rows, cols)):
            value = constant_value(index)
            if value is not None and (value < 1 or not float(value).is_integer() or (
                    isinstance(size, Dim) and not size.names and value > size.coef)):
                self.fail("SHAPE", raw, f"`{self.seg(raw)}` is outside the "
                          f"{format_shape(matrix.shape)} matrix",
                          "indices are 1-based whole numbers, at most the size of each side")
        return _typed("index", (matrix, *indices), None, raw, ())

    # calls ---------------------------------------------------------------------------------------
    def _call(self, raw, elementwise):
        name = raw.value
        if name in self.scope.symbols or name in self.scope.definitions:
            self.fail("SYNTAX", raw, f"{name} is not a function", f"write a product with *: {name}*(...)")
        name = FUNCTION_ALIASES.get(GREEK.get(name, name), GREEK.get(name, name))
        if name not in FUNCTIONS:
            close = difflib.get_close_matches(name, list(FUNCTIONS), n=2)
            fix = f"did you mean {' or '.join(close)}?" if close else \
                f"the functions are {', '.join(sorted(FUNCTIONS))}"
            self.fail("UNSUPPORTED", raw, f"unknown function '{raw.value}'", fix)
        arity = FUNCTIONS[name]
        args = raw.args
        fits = (name == "sum" or len(args) >= 2) if arity is None else len(args) in arity
        if not fits:
            want = "two or more" if arity is None else " or ".join(str(a) for a in arity)
            self.fail("SYNTAX", raw, f"{raw.value} takes {want} argument(s), got {len(args)}",
                      f"write {raw.value}(...) with {want} argument(s)")
        return self.apply(raw, name, args)

    def apply(self, raw, name, args):
        if name == "sum":
            return self.index_sum(raw, args)
        if name in ("hadamard", "kron"):
            op = "∘" if name == "hadamard" else "⊗"
            return self.hchain(raw, args, (op,) * (len(args) - 1))
        if name == "Identity":
            if not args:
                return self.unsized_eye(raw)
            return _typed("eye", (), self.dim(args[0]), raw, (self.dim(args[0]),) * 2)
        if name in ("ZeroMatrix", "OneMatrix"):
            op = "zeros" if name == "ZeroMatrix" else "ones"
            if not args:
                return self.unsized_ones(raw, op)
            dims = (self.dim(args[0]), self.dim(args[1]))
            return _typed(op, (), dims, raw, dims)
        values = [self.infer(a) for a in args]
        first = values[0]
        if name == "transpose":
            return self.transpose(raw, first)
        if name == "inv":
            return self.inverse(raw, first)
        if name in ELEMENTWISE:
            if _is_1x1(first):
                first = self.scalar(first)
            return _typed("fn", (first,), name, raw, first.shape)
        if name == "hadamard_power":
            self.require_matrix(raw, first, name)
            return _typed("hpow", (first, self.scalar(values[1])), None, raw, first.shape)
        if name in ("tr", "det") and not _is_matrix(first):
            return first        # a scalar is its own trace and determinant (a 1×1 matrix)
        if name == "norm":
            return _typed("norm", (first,), None, raw, ())
        self.require_matrix(raw, first, name)
        if name in ("tr", "det"):
            self.require_square(raw, first, "the trace" if name == "tr" else "the determinant")
            return _typed(name, (first,), None, raw, ())
        if name == "norm":
            return _typed("norm", (first,), None, raw, ())
        return self.diag(raw, first)

    def diag(self, raw, vector):
        rows, cols = (_resolve(d) for d in vector.shape)
        if cols == Dim(1) or (rows != Dim(1) and self.unifier.unify(cols, Dim(1))):
            side = vector.shape[0]
        elif rows == Dim(1):
            side = vector.shape[1]
        else:
            self.fail("SHAPE", raw, f"diag needs a vector, got {format_shape(vector.shape)}",
                      "pass a column vector v (k×1)")
        return _typed("diag", (vector,), None, raw, (side, side))

    def require_matrix(self, raw, node, name):
        if not _is_matrix(node):
            self.fail("SHAPE", raw, f"{name} needs a matrix argument, got the scalar {self.seg(node)}",
                      f"pass a matrix to {name}(...)")

    def dim(self, raw) -> Dim:
        """Read a size argument: a whole number, a size name, or a product of them."""
        if raw.op == "num":
            value = Fraction(raw.value.replace("_", "")) if len(raw.value) < 12 else None
            if value is None or value.denominator != 1 or not 1 <= value <= _LITERAL_SIZE:
                self.fail("TOO_LARGE" if value is not None and value > _LITERAL_SIZE else "SHAPE", raw,
                          f"`{self.seg(raw)}` is not a size from 1 to {_LITERAL_SIZE} "
                          "(limit answer_literal_size)", "write a size name such as n, or a small number")
            return Dim(int(value))
        if raw.op in ("name", "word") and raw.value in self.scope.sizes:
            return Dim(1, (raw.value,))
        if raw.op == "group":
            return self.dim(raw.args[0])
        if raw.op == "lfactor" and len(raw.args) == 2 and raw.args[1].op == "sup":   # LaTeX n^2
            raw = Node("pow", (raw.args[0], raw.args[1].args[0]), None, raw.start, raw.end)
        if raw.op == "pow" and raw.args[1].op == "num" and raw.args[1].value.isdigit() and \
                1 <= int(raw.args[1].value) <= _MAX_SIZE_POWER:
            base, result = self.dim(raw.args[0]), Dim(1)
            for _ in range(int(raw.args[1].value)):
                result = result * base
            return result
        if raw.op in ("prod", "implicit", "juxt") and all(op != "/" for op in (raw.value or ("*",))):
            result = Dim(1)
            for item in raw.args:
                result = result * self.dim(item)
            return result
        self.fail("SHAPE", raw, f"`{self.seg(raw)}` is not a size",
                  f"sizes are numbers or the size names of this part ({', '.join(sorted(self.scope.sizes)) or 'none'})")

    def index_sum(self, raw, args):
        if len(args) < 2:
            self.fail("SYNTAX", raw, "sum needs a term and at least one range",
                      "write sum(X[i, j]*M[j, i], (i, 1, n), (j, 1, m))")
        names, bounds = [], []
        for rng in args[1:]:
            if not (rng.op == "tuple" and len(rng.args) == 3 and rng.args[0].op == "name"):
                self.fail("SYNTAX", rng, f"`{self.seg(rng)}` is not a range", "write each range as (i, 1, n)")
            index = rng.args[0].value
            if index in self.scope.symbols or index in self.scope.definitions or index in self.scope.sizes:
                self.fail("SYNTAX", rng, f"the index {index} is already a name of this part",
                          "use another letter for the index")
            for bound in rng.args[1:]:
                value = self.scalar(self.infer(bound))
                if not _static(value):
                    self.fail("UNSUPPORTED", bound, f"the bound `{self.seg(bound)}` of a sum must be a "
                              "number or a size", "write ranges like (i, 1, n)")
                bounds.append(value)
            names.append(index)
        saved = set(self.indices)
        self.indices |= set(names)
        try:
            term = self.scalar(self.infer(args[0]))
        finally:
            self.indices = saved
        return _typed("sum", (term, *bounds), tuple(names), raw, ())

    # tuples outside sums --------------------------------------------------------------------------
    def _tuple(self, raw, elementwise):
        self.fail("SYNTAX", raw, f"`{self.seg(raw)}` is a list of values, not an expression",
                  "commas separate the arguments of a function only")


_HADAMARD = ("∘", "⊙", "\\odot", "\\circ")


def _settled(tree: Node) -> Node:
    """Return a copy of ``tree`` whose I, ones and zeros carry their sizes as far as unification
    knows them: a size still unknown becomes None, which prints as the unsized ``I`` or ``ones``
    (messages are written while shapes are still being inferred)."""
    def known(d):
        d = _resolve(d)
        return d if isinstance(d, Dim) else None

    def copy(node: Node) -> Node:
        value = node.value
        if node.op == "eye":
            value = known(value)
        elif node.op in ("ones", "zeros"):
            value = tuple(known(d) for d in value)
            value = value if None not in value else None
        return _typed(node.op, [copy(a) for a in node.args], value, node, node.shape)

    return copy(tree)


def _signed_chain(op, args, ops, raw, shape) -> Node:
    """(-a)*b is -(a*b): one tree for both, so `-u*u.T` and `-\\mathbf{u}\\mathbf{u}^\\top` agree."""
    first, negative = args[0], False
    while first.op == "neg":
        first, negative = first.args[0], not negative
    chain = _typed(op, [first, *args[1:]], ops, raw, shape)
    return _typed("neg", (chain,), None, raw, shape) if negative else chain


def _times_text(text: str) -> str:
    return text if text.replace("_", "").isalnum() else f"({text})"


def _static(node: Node) -> bool:
    """True when the node's value depends on sizes and numbers only (a sum's bounds)."""
    if node.op in ("num", "size"):
        return True
    if node.op in ("add", "neg", "prod", "pow"):
        return all(_static(a) for a in node.args)
    return False


def _power_degree(base: Node) -> float:
    while base.op in ("scal", "neg"):
        base = base.args[0]
    if base.op == "pow" and base.value is not None:
        return abs(base.value) * _power_degree(base.args[0])
    if base.op == "mpow":
        return abs(base.value) * _power_degree(base.args[0])
    if base.op == "inv":
        return _power_degree(base.args[0])
    return 1.0


def constant_value(node: Node) -> float | None:
    """Return the float value of a typed scalar made of numbers only, else None (never raises)."""
    try:
        return _constant(node)
    except (OverflowError, ZeroDivisionError, ValueError):
        return math.inf


def _constant(node: Node):
    op = node.op
    if op == "num":
        return float(node.value[0])
    if op == "const":
        return math.e if node.value == "e" else math.pi
    if op == "neg":
        value = _constant(node.args[0])
        return None if value is None else -value
    if op == "add":
        values = [_constant(a) for a in node.args]
        if any(v is None for v in values):
            return None
        return sum(v if s == "+" else -v for v, s in zip(values, node.value))
    if op == "prod":
        values = [_constant(a) for a in node.args]
        if any(v is None for v in values):
            return None
        result = values[0]
        for op_, v in zip(node.value, values[1:]):
            result = result * v if op_ == "*" else result / v
        return result
    if op == "pow":
        base, exponent = _constant(node.args[0]), _constant(node.args[1])
        if base is None or exponent is None:
            return None
        if abs(exponent) > 1e6:
            return math.inf
        result = base ** exponent
        if isinstance(result, complex):
            raise ValueError("complex")
        return result
    if op == "scal":
        return _constant(node.args[0])
    return None


def transpose_marker(raw: Node, scope: Scope) -> str | None:
    """Return "T" for an exponent that means transpose (``^T``, ``^\\top``), "-T" for ``^-T``."""
    if raw.op in ("name", "word") and raw.value in ("T", "⊤") and "T" not in scope.symbols:
        return "T"
    if raw.op == "group":
        return transpose_marker(raw.args[0], scope)
    if raw.op == "top":
        return "T"
    if raw.op == "neg":
        inner = transpose_marker(raw.args[0], scope)
        return "-T" if inner == "T" else None
    return None


def infer(tree: Node, text: str, scope: Scope, printer: Callable[[Node], str], *, extra=None,
          expect: tuple | None = None) -> Node:
    """Return the typed tree for ``tree``, with every shape resolved to :class:`Dim` objects.

    ``expect`` (a shape of Dims, or None) sizes what the answer leaves open, and nothing else:
    ``2*I`` alone is the identity of the expected size.
    """
    walker = _Infer(text, scope, printer, extra)
    typed = walker.infer(tree)
    if not walker.unifier.settle():
        raise LangFail("SHAPE", "the sizes in this answer contradict each other", tree.start)
    if not walker.unknowns:
        return typed            # every shape is already made of Dim objects
    unresolved = any(not isinstance(_resolve(var), Dim) for _, var in walker.unknowns)
    if unresolved and expect is not None and len(expect) == 2 and _is_matrix(typed):
        unifier = walker.unifier
        if unifier.unify(typed.shape[0], expect[0]) and unifier.unify(typed.shape[1], expect[1]):
            unifier.settle()
    for node, var in walker.unknowns:
        if not isinstance(_resolve(var), Dim):
            what = {"eye": "I", "ones": "ones (\\mathbf{1})", "zeros": "the zero matrix"}[node.op]
            raise LangFail("SHAPE", f"cannot tell the size of {what} from the rest of the answer",
                           node.start, "write it with its size: Identity(n), ones(r, c), "
                           "ZeroMatrix(r, c), \\mathbf{I}_n or \\mathbf{1}_N")
    _finalize(typed)
    return typed


def _finalize(node: Node) -> None:
    """Replace every inferred dimension by its resolved Dim (iteratively: no deep recursion)."""
    stack = [node]
    while stack:
        current = stack.pop()
        current.shape = tuple(_resolve(d) for d in current.shape)
        for d in current.shape:
            if not isinstance(d, Dim):
                raise LangFail("SHAPE", "cannot tell the sizes of this part of the answer", current.start,
                               "write I and ones with their sizes: Identity(n), ones(r, c)")
        if current.op == "eye":
            current.value = _resolve(current.value)
        elif current.op in ("ones", "zeros"):
            current.value = tuple(_resolve(d) for d in current.value)
        stack.extend(current.args)
