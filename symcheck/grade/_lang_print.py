"""Print a typed answer tree as canonical plain text or LaTeX; parsing either gives it back.

Each printer returns (text, binding level) per node and brackets an operand only where the
grammar needs it.  Implicit steps of the typed tree (``scal``, ``bcast``) print as their operand:
reparsing infers them again.

Binding levels, loosest first: 1 sum, 2 elementwise/Kronecker product, 3 product, 4 sign,
5 power, 6 postfix, 7 atom.
"""

from __future__ import annotations

from symcheck.grade._lang_tree import Node

__all__ = ["plain", "latex"]

_SUM, _HPROD, _PROD, _SIGN, _POW, _POST, _ATOM = range(1, 8)


def _wrap(pair, level: int, open_="(", close=")") -> str:
    text, own = pair
    return text if own >= level else f"{open_}{text}{close}"


def _sum(node: Node, printer, open_: str, close: str):
    """``a + b - c``: the terms of a sum with their signs (the printer gives (text, level))."""
    parts = []
    for sign, term in zip(node.value, node.args):
        text = _wrap(printer(term), _HPROD, open_, close)
        if parts:
            parts.append((" - " if sign == "-" else " + ") + text)
        else:
            parts.append("-" + text if sign == "-" else text)
    return "".join(parts), _SUM


def _negate(inner, open_, close):
    """``-x``; a product stays unbracketed (``-a*b``) and then binds as loosely as the product."""
    text, level = inner
    if level < _HPROD or text.startswith("-"):
        return f"-{open_}{text}{close}", _SIGN
    return "-" + text, min(level, _SIGN)


# -- plain ----------------------------------------------------------------------------------------
def plain(node: Node) -> str:
    """Return the canonical plain text of a typed tree, e.g. ``X.T*X + lambda*Identity(p)``."""
    return _plain(node)[0]


def _plain(node: Node):
    op = node.op
    if op == "num":
        return node.value[1], _ATOM
    if op in ("const", "sym", "size", "idx"):
        return node.value, _ATOM
    if op == "eye":       # value None: a size not known yet (in a message written during inference)
        return ("I" if node.value is None else f"Identity({node.value})"), _ATOM
    if op in ("ones", "zeros"):
        name = "ones" if op == "ones" else "ZeroMatrix"
        if node.value is None:
            return f"{name}()", _ATOM
        return f"{name}({node.value[0]}, {node.value[1]})", _ATOM
    if op in ("scal", "bcast"):
        return _plain(node.args[0])
    if op == "add":
        return _sum(node, _plain, "(", ")")
    if op == "neg":
        return _negate(_plain(node.args[0]), "(", ")")
    if op in ("prod", "hprod"):
        level = _PROD if op == "prod" else _HPROD
        joiner = {"*": "*", "/": "/", "∘": " ∘ ", "⊗": " ⊗ "}
        # Operands of ∘ and ⊗ are bracketed unless atomic, though * binds tighter: easier to read.
        first, later = (_PROD, _SIGN) if level == _PROD else (_SIGN, _SIGN)
        text = _wrap(_plain(node.args[0]), first)
        for sym, arg in zip(node.value, node.args[1:]):
            text += joiner[sym] + _wrap(_plain(arg), later)
        return text, level
    if op == "pow":
        return f"{_wrap(_plain(node.args[0]), _POST)}^{_wrap(_plain(node.args[1]), _SIGN)}", _POW
    if op == "mpow":
        exponent = str(node.value) if node.value >= 0 else f"({node.value})"
        return f"{_wrap(_plain(node.args[0]), _POST)}^{exponent}", _POW
    if op == "inv":
        return f"inv({_plain(node.args[0])[0]})", _ATOM
    if op == "T":
        return f"{_wrap(_plain(node.args[0]), _POST)}.T", _POST
    if op in ("tr", "det", "norm", "diag"):
        return f"{op}({_plain(node.args[0])[0]})", _ATOM
    if op == "fn":
        return f"{node.value}({_plain(node.args[0])[0]})", _ATOM
    if op == "hpow":
        return f"hadamard_power({_plain(node.args[0])[0]}, {_plain(node.args[1])[0]})", _ATOM
    if op == "index":
        indices = ", ".join(_plain(i)[0] for i in node.args[1:])
        return f"{_wrap(_plain(node.args[0]), _POST)}[{indices}]", _POST
    if op == "sum":
        term, *bounds = node.args
        ranges = ", ".join(f"({name}, {_plain(lo)[0]}, {_plain(hi)[0]})"
                           for name, lo, hi in zip(node.value, bounds[0::2], bounds[1::2]))
        return f"sum({_plain(term)[0]}, {ranges})", _ATOM
    raise AssertionError(f"no plain printer for {op}")


# -- LaTeX ------------------------------------------------------------------------------------------
_GREEK_LATEX = {"lambda", "beta", "alpha", "theta", "eta", "mu", "gamma", "delta", "epsilon",
                "rho", "tau", "phi", "omega", "nu", "kappa", "xi", "zeta", "psi", "chi"}


def latex_name(name: str, matrix: bool) -> str:
    """Return the LaTeX for a name: ``\\mathbf{X}``, ``\\lambda``, ``\\hat{\\mathbf{Y}}``, ``\\mathbf{W}_{o}``."""
    def letter(text):
        if text in _GREEK_LATEX:
            return rf"\boldsymbol{{\{text}}}" if matrix else f"\\{text}"
        if len(text) == 1:
            return rf"\mathbf{{{text}}}" if matrix else text
        return None

    simple = letter(name)
    if simple:
        return simple
    if name.endswith("hat") and letter(name[:-3]):
        return rf"\hat{{{letter(name[:-3])}}}"
    base, sep, sub = name.partition("_")
    if sep and letter(base) and sub.replace("_", "").isalnum():
        return f"{letter(base)}_{{{sub}}}"
    if len(name) > 1 and letter(name[0]) and name[1:].isdigit():
        return f"{letter(name[0])}_{{{name[1:]}}}"
    return r"\mathrm{" + name.replace("_", r"\_") + "}"


def _dim_latex(dim) -> str:
    return " ".join(([str(dim.coef)] if dim.coef != 1 or not dim.names else []) + list(dim.names))


def latex(node: Node) -> str:
    r"""Return the canonical LaTeX of a typed tree, e.g. ``\mathbf{X}^\top \mathbf{X}``."""
    return _latex(node)[0]


def _latex(node: Node):
    op = node.op
    if op == "num":
        return node.value[1].replace("_", ""), _ATOM
    if op == "const":
        return ("e" if node.value == "e" else r"\pi"), _ATOM
    if op in ("sym", "idx"):
        return latex_name(node.value, bool(node.shape)), _ATOM
    if op == "size":
        return latex_name(node.value, False), _ATOM
    if op == "eye":
        return rf"\mathbf{{I}}_{{{_dim_latex(node.value)}}}", _ATOM
    if op in ("ones", "zeros"):
        digit = "1" if op == "ones" else "0"
        rows, cols = node.value
        return rf"\mathbf{{{digit}}}_{{{_dim_latex(rows)} \times {_dim_latex(cols)}}}", _ATOM
    if op in ("scal", "bcast"):
        return _latex(node.args[0])
    if op == "add":
        return _sum(node, _latex, r"\left(", r"\right)")
    if op == "neg":
        return _negate(_latex(node.args[0]), r"\left(", r"\right)")
    if op == "prod":
        return _latex_product(node), _PROD
    if op == "hprod":
        joiner = {"∘": r" \odot ", "⊗": r" \otimes "}
        text = _wrap(_latex(node.args[0]), _SIGN, r"\left(", r"\right)")
        for sym, arg in zip(node.value, node.args[1:]):
            text += joiner[sym] + _wrap(_latex(arg), _SIGN, r"\left(", r"\right)")
        return text, _HPROD
    if op in ("pow", "mpow"):
        exponent = _latex(node.args[1])[0] if op == "pow" else str(node.value)
        return f"{_base(node.args[0])}^{{{exponent}}}", _POW
    if op == "inv":
        return f"{_base(node.args[0])}^{{-1}}", _POW
    if op == "T":
        return f"{_base(node.args[0])}^\\top", _POW
    if op in ("tr", "det"):
        name = r"\operatorname{tr}" if op == "tr" else r"\det"
        return rf"{name}\left({_latex(node.args[0])[0]}\right)", _ATOM
    if op == "norm":
        return rf"\left\| {_latex(node.args[0])[0]} \right\|_F", _ATOM
    if op == "diag":
        return rf"\operatorname{{diag}}\left({_latex(node.args[0])[0]}\right)", _ATOM
    if op == "fn":
        name = {"sigmoid": r"\sigma", "abs": r"\operatorname{abs}"}.get(node.value, "\\" + node.value)
        if node.value == "sqrt":
            return rf"\sqrt{{{_latex(node.args[0])[0]}}}", _ATOM
        return rf"{name}\left({_latex(node.args[0])[0]}\right)", _ATOM
    if op == "hpow":
        return (rf"\operatorname{{hadamard\_power}}\left({_latex(node.args[0])[0]}, "
                rf"{_latex(node.args[1])[0]}\right)"), _ATOM
    # Entries and index sums print for display only: the LaTeX grammar does not read them back.
    if op == "index":
        indices = " ".join(_latex(i)[0] for i in node.args[1:])
        return rf"{{{_base(node.args[0])}}}_{{{indices}}}", _POST
    if op == "sum":
        term, *bounds = node.args
        sums = " ".join(rf"\sum_{{{name}={_latex(lo)[0]}}}^{{{_latex(hi)[0]}}}"
                        for name, lo, hi in zip(node.value, bounds[0::2], bounds[1::2]))
        return sums + " " + _wrap(_latex(term), _PROD, r"\left(", r"\right)"), _SUM
    raise AssertionError(f"no LaTeX printer for {op}")


def _base(node: Node) -> str:
    """A base for ^: atoms as they are, anything else in \\left( \\right)."""
    text, level = _latex(node)
    return text if level >= _ATOM else rf"\left({text}\right)"


def _latex_product(node: Node) -> str:
    """Juxtapose the factors (``2 \\mathbf{X} \\mathbf{b}``), or use \\cdot throughout when a
    factor after the first starts with a digit, so the chain reads back as one product."""
    first, steps = node, []
    while first.op == "prod":          # (a b) c is the chain a b c: product chains are left-nested
        steps[:0] = list(zip(first.value, first.args[1:]))
        first = first.args[0]
    printed = [_latex(arg) for _, arg in steps]          # each operand printed once
    rights = [_wrap(pair, _SIGN + 1, r"\left(", r"\right)") for pair in printed]
    joiner = r" \cdot " if any(r[:1].isdigit() or r[:1] in ".-" for r in rights) else " "
    text = _wrap(_latex(first), _PROD, r"\left(", r"\right)")
    for (sym, _), pair, right in zip(steps, printed, rights):
        if sym == "/":
            text = rf"\frac{{{text}}}{{{pair[0]}}}"
        else:
            text += joiner + right
    return text
