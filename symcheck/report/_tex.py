"""Text and catalogue LaTeX made safe to typeset.

The catalogue's statements and key are untrusted text.  Their LaTeX is typeset only when every
command in it is on a whitelist of mathematics commands (no definitions, no file access, no
catcode changes) and its braces and environments balance; otherwise it is printed as text.
"""

from __future__ import annotations

import re

__all__ = ["escape_text", "is_prose", "prose_latex", "safe_math", "statement_latex"]

_MATH_COMMANDS = frozenset("""
    alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi
    pi rho sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi
    Psi Omega mathbf mathbb mathrm mathcal mathit boldsymbol text textbf textit operatorname frac
    dfrac tfrac sqrt partial nabla top intercal sum prod int lim cdot times circ otimes odot
    oplus ast star hat tilde bar vec dot ddot overline underline left right big Big bigg Bigg
    bigl bigr Bigl Bigr in notin subset subseteq le leq ge geq neq ne approx equiv sim propto to
    mapsto rightarrow leftarrow Rightarrow Leftarrow implies iff infty prime ldots cdots dots
    vdots ddots quad qquad exp log ln tanh sinh cosh sin cos tan det tr max min arg argmin
    argmax mid langle rangle lfloor rfloor lceil rceil lVert rVert lvert rvert Vert vert
    begin end displaystyle forall exists
""".split())
_ENVIRONMENTS = frozenset({"aligned", "bmatrix", "pmatrix", "matrix", "cases", "vmatrix"})
_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|[{}]|[^\\{}]+", re.DOTALL)
_FORBIDDEN = set("%#$~")


def safe_math(tex: str | None) -> str | None:
    """Return ``tex`` (maths-mode LaTeX) if it is safe to typeset, else None.

    >>> safe_math(r"\\frac{\\partial f}{\\partial \\mathbf{X}} = 2\\mathbf{X}")
    '\\\\frac{\\\\partial f}{\\\\partial \\\\mathbf{X}} = 2\\\\mathbf{X}'
    >>> safe_math(r"\\input{/etc/passwd}") is None, safe_math("{") is None
    (True, True)
    """
    if not tex or _FORBIDDEN & set(tex):
        return None
    depth, environments = 0, []
    tokens = _TOKEN.findall(tex)
    for i, token in enumerate(tokens):
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth < 0:
                return None
        elif token.startswith("\\") and token[1:].isalpha():
            if token[1:] not in _MATH_COMMANDS:
                return None
            if token in (r"\begin", r"\end"):
                name = tokens[i + 2] if i + 3 < len(tokens) and tokens[i + 1] == "{" else None
                if name not in _ENVIRONMENTS or tokens[i + 3] != "}":
                    return None
                if token == r"\begin":
                    environments.append(name)
                elif not environments or environments.pop() != name:
                    return None
        elif token.startswith("\\") and token[1:] not in ("\\", ",", ";", ":", "!", " ", "{",
                                                          "}", "|", "_", "&"):
            return None
    if depth or environments:
        return None
    if ("&" in tex or "\\\\" in tex) and r"\begin" not in tex:
        return r"\begin{aligned}" + tex + r"\end{aligned}"
    return tex


_TEXT_SYMBOLS = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "%": r"\%",
    "#": r"\#", "_": r"\_", "^": r"\^{}", "~": r"\~{}", "<": r"\textless{}", ">": r"\textgreater{}",
    "ᵀ": r"$^{\top}$", "⊗": r"$\otimes$", "↦": r"$\mapsto$", "×": r"$\times$", "∂": r"$\partial$",
    "²": r"$^{2}$", "³": r"$^{3}$", "∘": r"$\circ$", "⁻": r"$^{-}$", "¹": r"$^{1}$", "≥": r"$\geq$",
    "≤": r"$\leq$", "∇": r"$\nabla$", "⇒": r"$\Rightarrow$", "→": r"$\to$", "λ": r"$\lambda$",
    "β": r"$\beta$", "σ": r"$\sigma$", "α": r"$\alpha$", "δ": r"$\delta$", "·": r"$\cdot$",
    "‖": r"$\|$", "−": "-", "√": r"$\surd$", "≈": r"$\approx$", "∈": r"$\in$", "ℝ": r"$\mathbb{R}$",
    "ŷ": r"$\hat{y}$", "Ŷ": r"$\hat{Y}$", "ĥ": r"$\hat{h}$", "∑": r"$\sum$", "⁺": r"$^{+}$",
    "≠": r"$\neq$", "✓": "yes", "✗": "no", "…": r"\ldots{}", "\u201c": "``", "\u201d": "''",
    "\u2018": "`", "\u2019": "'", "–": "--", "—": "---", "₀": r"$_0$", "₁": r"$_1$",
    "₂": r"$_2$", "₃": r"$_3$", "₄": r"$_4$", "₅": r"$_5$", "ₒ": r"$_o$", "⋆": r"$\star$",
    "\u00a0": "~", "é": r"\'e", "ö": r'\"o', "ü": r'\"u', "ä": r'\"a',
}
_BREAK_AFTER = set("*+,(/=|.;")


def escape_text(text: str) -> str:
    """Return ``text`` as LaTeX text: specials escaped, maths symbols mapped, breaks allowed.

    Long unspaced runs (expressions such as ``X*(a*b.T + b*a.T)``) may break after ``*``, ``+``,
    ``,``, ``(``, ``/``, ``=``, ``.`` so that they never run into the margin.  A character with
    no mapping is written as its code point.

    >>> escape_text("50% of X_1 ≥ λ")
    '50\\\\% of X\\\\_1 $\\\\geq$ $\\\\lambda$'
    """
    out = []
    run = 0
    for i, char in enumerate(text):
        if char in _TEXT_SYMBOLS:
            out.append(_TEXT_SYMBOLS[char])
        elif ord(char) < 128:
            out.append(char)
        else:
            out.append(rf"\texttt{{U+{ord(char):04X}}}")
        run = 0 if char.isspace() else run + 1
        decimal_point = char == "." and text[i + 1:i + 2].isdigit()
        if char in _BREAK_AFTER and run > 1 and not decimal_point:
            out.append(r"\allowbreak{}")
        elif run and run % 20 == 0:
            out.append(r"\allowbreak{}")
    return "".join(out)


_DOLLARS = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.DOTALL)


def statement_latex(text: str) -> str:
    """Return a statement (text with ``$…$`` and ``$$…$$`` maths) as LaTeX.

    Maths that :func:`safe_math` accepts is typeset; anything else is printed as text.

    >>> statement_latex(r"Let $x \\in \\mathbb{R}^m$ and $\\def\\a{1}$.")
    'Let $x \\\\in \\\\mathbb{R}^m$ and \\\\$\\\\textbackslash{}def\\\\textbackslash{}a\\\\{1\\\\}\\\\$.'
    """
    pieces, last = [], 0
    for match in _DOLLARS.finditer(text):
        pieces.append(escape_text(text[last:match.start()]))
        display, inline = match.group(1), match.group(2)
        math = safe_math(display if display is not None else inline)
        if math is None:
            pieces.append(escape_text(match.group(0)))
        elif display is not None:
            pieces.append(rf"\[ {math} \]")
        else:
            pieces.append(f"${math}$")
        last = match.end()
    pieces.append(escape_text(text[last:]))
    return "".join(pieces)


_TEXT_GROUP = re.compile(r"\\(?:text|textbf|textit|mathrm|operatorname)\{[^{}]*\}")
_WORD_PAIR = re.compile(r"\b[A-Za-z]{2,}\s+[A-Za-z]{2,}\s+[A-Za-z]{2,}\b")
_BOLD = re.compile(r"\\textbf\{([^{}\\$]*)\}")


def is_prose(tex: str) -> bool:
    """Return whether ``tex`` is sentences (with maths inside) rather than one formula.

    Words inside ``\\text{…}`` do not count: ``\\text{Node 4: } a_4 = 0.99`` is a formula.

    >>> is_prose(r"The RMSE of the ridge regression is \\textbf{7.37}."), is_prose(r"\\text{Node 4: } a_4 = 1")
    (True, False)
    """
    stripped = _TEXT_GROUP.sub(" ", tex)
    stripped = re.sub(r"\\[A-Za-z]+", " ", stripped)
    return _WORD_PAIR.search(stripped) is not None


def prose_latex(text: str) -> str:
    """Return sentences with ``$…$`` maths and ``\\textbf{…}`` as LaTeX (the rest escaped).

    >>> prose_latex(r"The RMSE is \\textbf{7.37}.")
    'The RMSE is \\\\textbf{7.37}.'
    """
    pieces, last = [], 0
    for match in _BOLD.finditer(text):
        pieces.append(statement_latex(text[last:match.start()]))
        pieces.append(rf"\textbf{{{escape_text(match.group(1))}}}")
        last = match.end()
    pieces.append(statement_latex(text[last:]))
    return "".join(pieces)
