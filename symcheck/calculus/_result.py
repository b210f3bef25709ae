"""The result of a derivation: the closed form, its convention, and the steps that lead to it."""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from symcheck.calculus._printing import latex as to_latex
from symcheck.calculus._printing import text as to_text

__all__ = ["Step", "Derivation"]


@dataclass(frozen=True)
class Step:
    """One line of a derivation: ``quantity = expr``, justified by ``why``.

    Lines with the same ``quantity`` are equal as functions of the symbols (and of dX), so each
    can be checked numerically against the next.
    """

    quantity: str
    quantity_latex: str
    expr: sp.Basic
    why: str
    why_latex: str  # LaTeX for math mode, e.g. r"\text{by } \mathrm{d}(AB) = \dots"

    def text(self) -> str:
        """Return the line as plain text."""
        return f"{self.quantity} = {to_text(self.expr)}" + (f"    [{self.why}]" if self.why else "")

    def latex(self) -> str:
        """Return the line as one row of an amsmath ``align*``."""
        note = rf" && {self.why_latex}" if self.why_latex else ""
        return rf"{self.quantity_latex} &= {to_latex(self.expr)}{note}"


@dataclass(frozen=True)
class Derivation:
    """A derivative in closed form, with its convention and its step-by-step derivation.

    ``expr`` is the closed form (a SymPy matrix expression); ``kind`` is "gradient", "jacobian",
    "hessian" or "second derivative"; ``linear_map`` is the second derivative as the map
    dX ↦ H[dX] (order 2), written with ``differential`` (the symbol dX).
    """

    function: sp.Basic
    variable: sp.MatrixSymbol
    order: int
    expr: sp.Basic
    kind: str
    convention: str
    steps: tuple[Step, ...]
    differential: sp.MatrixSymbol
    tensor_shape: tuple
    is_zero: bool = False
    linear_map: sp.Basic | None = None
    assumptions: tuple[str, ...] = field(default=())

    @property
    def shape(self) -> tuple:
        """The shape of ``expr`` (for a vec-Hessian: (mn, mn))."""
        return tuple(self.expr.shape) if self.expr.is_Matrix else ()

    def symbol_latex(self) -> str:
        """Return the LaTeX name of the derivative, e.g. ∂f/∂X or ∂²f/∂vec X ∂vec Xᵀ."""
        x = to_latex(self.variable)
        if self.kind == "gradient":
            return rf"\frac{{\partial f}}{{\partial {x}}}"
        if self.kind == "solution":
            return rf"{x}^{{\star}}"
        if self.kind == "jacobian":
            return rf"\frac{{\partial \operatorname{{vec}} f}}{{\partial \operatorname{{vec}}({x})^{{\top}}}}"
        if self.kind == "hessian":
            return (rf"\frac{{\partial^2 f}}{{\partial \operatorname{{vec}}({x})\,"
                    rf"\partial \operatorname{{vec}}({x})^{{\top}}}}")
        return rf"\frac{{\partial^{self.order} f}}{{\partial {x}^{self.order}}}"

    def latex(self) -> str:
        """Return the closed form as a LaTeX equation body, e.g. ``\\frac{∂f}{∂X} = 2X``."""
        return f"{self.symbol_latex()} = {to_latex(self.expr)}"

    def _repr_latex_(self) -> str:
        return rf"$\displaystyle {self.latex()}$"

    def latex_steps(self) -> str:
        """Return the derivation as the body of an amsmath ``align*`` environment."""
        return " \\\\\n".join(step.latex() for step in self.steps)

    def latex_document(self) -> str:
        """Return a standalone amsmath document with the function, the steps and the result."""
        convention = _latex_text(self.convention)
        assumptions = "".join(rf"\item {_latex_text(a)}" + "\n" for a in self.assumptions)
        return "\n".join([
            r"\documentclass{article}",
            r"\usepackage{amsmath,amssymb}",
            r"\usepackage[margin=2cm]{geometry}",
            r"\allowdisplaybreaks",
            r"\begin{document}",
            rf"\section*{{Derivative of order {self.order} with respect to ${to_latex(self.variable)}$}}",
            rf"\[ f = {to_latex(self.function)} \]",
            (r"Assumptions:\begin{itemize}" + "\n" + assumptions + r"\end{itemize}"
             if assumptions else ""),
            r"\paragraph{Derivation (differential method).}",
            r"\begin{align*}",
            self.latex_steps(),
            r"\end{align*}",
            r"\paragraph{Result.}",
            rf"\[ {self.latex()} \]",
            rf"Convention: {convention}",
            r"\end{document}",
            "",
        ])

    def text(self) -> str:
        """Return a plain-text report: the result, its convention and the steps."""
        what = (f"stationary point (∇f = 0) for {self.variable.name}:" if self.kind == "solution"
                else f"derivative of order {self.order} with respect to {self.variable.name}:")
        lines = [f"f = {to_text(self.function)}", what, f"  {to_text(self.expr)}"]
        if self.linear_map is not None:
            lines.append(f"linear map: {self.differential.name} ↦ {to_text(self.linear_map)}")
        lines.append(f"convention: {self.convention}")
        if self.assumptions:
            lines.append("assumptions: " + "; ".join(self.assumptions))
        lines.append("derivation (differential method):")
        lines.extend(f"  {step.text()}" for step in self.steps)
        return "\n".join(lines)

    def to_dict(self) -> dict:
        """Return JSON-ready data: wrt, order, convention, shape, result, latex, steps."""
        return {
            "wrt": self.variable.name,
            "order": self.order,
            "kind": self.kind,
            "convention": self.convention,
            "shape": [str(d) for d in self.shape],
            "tensor_shape": [str(d) for d in self.tensor_shape],
            "zero": self.is_zero,
            "result": to_text(self.expr),
            "latex": self.latex(),
            "linear_map": None if self.linear_map is None else to_text(self.linear_map),
            "steps": [{"quantity": s.quantity, "expr": to_text(s.expr), "why": s.why,
                       "latex": s.latex()} for s in self.steps],
        }


_LATEX_TEXT = {"ᵀ": r"$^\top$", "⊗": r"$\otimes$", "↦": r"$\mapsto$", "×": r"$\times$",
               "∂": r"$\partial$", "²": r"$^2$", "∘": r"$\circ$", "⁻¹": r"$^{-1}$", "≥": r"$\geq$",
               "≤": r"$\leq$", "∇": r"$\nabla$", "⇒": r"$\Rightarrow$", "→": r"$\to$",
               "λ": r"$\lambda$", "β": r"$\beta$", "σ": r"$\sigma$", "·": r"$\cdot$",
               "‖": r"$\|$", "−": "-", "_": r"\_", "&": r"\&", "%": r"\%", "#": r"\#"}


def _latex_text(text: str) -> str:
    for plain, tex in _LATEX_TEXT.items():
        text = text.replace(plain, tex)
    return text
