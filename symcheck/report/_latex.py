"""The report as a LaTeX document (texlive-latex-base and -recommended packages only).

The document is a list of blocks, one source line each, so that an overfull box in the log
(``Overfull \\hbox … at lines 120--120``) names its block: :func:`latex_document` takes the
set of blocks to set in their fallback form (a formula scaled to the line width), which
``symcheck.report.write_pdf`` fills in after a first compilation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from symcheck.report._document import Report
from symcheck.report._tex import escape_text, is_prose, prose_latex, safe_math, statement_latex

__all__ = ["Block", "latex_blocks", "latex_document"]

_PREAMBLE = r"""\documentclass[a4paper,10pt]{article}
\usepackage{amsmath,amssymb}
\usepackage{graphicx}
\usepackage[margin=2cm]{geometry}
\usepackage{booktabs}
\usepackage{xcolor}
\usepackage[hidelinks]{hyperref}
\allowdisplaybreaks
\setlength{\emergencystretch}{3em}
\setlength{\parindent}{0pt}
\setlength{\parskip}{4pt}
\setlength{\lineskiplimit}{2pt}
\setlength{\lineskip}{3pt}
\newcommand{\verdict}[1]{\textbf{#1}}
\title{symcheck verification report}
\author{symcheck}
\date{}
\begin{document}
\maketitle"""

_VERDICT_COLOURS = {"agrees": "green!50!black", "differs": "red!70!black",
                    "warning": "orange!80!black", "unverifiable": "gray"}


@dataclass(frozen=True)
class Block:
    """One source line of the document, with a form to use if it overflows the line."""

    text: str
    fallback: str | None = None


def _formula(tex: str) -> Block:
    """A display formula: inline maths in its own paragraph (it breaks), else scaled down."""
    tex = " ".join(tex.split())
    return Block(rf"\par\noindent\hangindent=1em $\displaystyle {tex}$\par",
                 rf"\par\noindent\resizebox{{\linewidth}}{{!}}{{$\displaystyle {tex}$}}\par")


def _paragraph(text: str) -> Block:
    return Block(text.replace("\n", " ") + r"\par")


def latex_blocks(report: Report, *, base=None) -> list[Block]:
    """Return the document body as blocks (without preamble and ending).

    ``base`` is the folder the document is compiled in; figure paths are made relative to it.
    """
    from symcheck.calculus import latex

    counts = ", ".join(f"{n} {verdict}" for verdict, n in sorted(report.counts().items()))
    blocks = [_paragraph(escape_text(
        f"{len(report.parts)} parts: {counts}. Each part shows its statement, symcheck's "
        f"derivation and closed form, the numerical proof ({report.examples} hypothesis "
        f"examples per proof), the key's claim and the verdict with its reasons. "
        f"Conventions: a gradient has the shape of the variable; Jacobians are in numerator "
        f"layout; second derivatives are vec-Hessians (column-major vec) with the map "
        f"dX ↦ H[dX]."))]
    section = None
    for part in report.parts:
        if part.id.split(".")[0] != section:
            section = part.id.split(".")[0]
            blocks.append(Block(rf"\section*{{Section {escape_text(section)}}}"))
        blocks += _part_blocks(part, latex)
    blocks += _findings_blocks(report)
    blocks += _evaluation_blocks(report, base)
    return blocks


def _part_blocks(part, latex) -> list[Block]:
    checked = part.checked
    colour = _VERDICT_COLOURS.get(part.verdict, "black")
    blocks = [Block(rf"\subsection*{{{escape_text(part.id)}: {escape_text(part.title)}}}"),
              _paragraph(r"\textit{Statement.} " + statement_latex(part.statement))]
    derivation = part.derivation
    if derivation is not None:
        blocks.append(_paragraph(r"\textit{Derivation (differential method).}"))
        for step in derivation.steps:
            blocks.append(_formula(rf"{step.quantity_latex} = "
                                   rf"{latex(step.expr, breakable=True)}"))
            if step.why:
                blocks.append(_paragraph(r"\hspace*{2em}{\small " + escape_text(step.why) + "}"))
        blocks.append(_paragraph(r"\textit{Closed form.}"))
        blocks.append(_formula(rf"{derivation.symbol_latex()} = "
                               rf"{latex(derivation.expr, breakable=True)}"))
        if derivation.linear_map is not None:
            blocks.append(_formula(rf"{latex(derivation.differential)} \mapsto "
                                   rf"{latex(derivation.linear_map, breakable=True)}"))
        blocks.append(_paragraph(r"{\small Convention: " + escape_text(derivation.convention)
                                 + "}"))
    elif checked.get("derived"):
        blocks.append(_paragraph(r"\textit{Value.} " + escape_text(str(checked["derived"]))))
    proof = checked.get("proof")
    if proof:
        passed = "passed" if proof.get("passed", True) else "FAILED"
        blocks.append(_paragraph(r"\textit{Numerical proof.} " + escape_text(
            f"{proof['method']}: largest relative error {proof['max_rel_error']:.1e} over "
            f"{proof['examples']} examples; {passed}.")))
    blocks += _key_blocks(part, latex)
    blocks.append(_paragraph(rf"\textit{{Verdict.}} \textcolor{{{colour}}}"
                             rf"{{\verdict{{{escape_text(part.verdict)}}}}}"))
    reasons = part.reasons + ([f"note: {checked['note']}"] if checked.get("note") else [])
    if reasons:
        blocks.append(Block(r"\begin{itemize}"))
        blocks += [_paragraph(r"\item " + escape_text(r)) for r in reasons]
        blocks.append(Block(r"\end{itemize}"))
    return blocks


def _key_blocks(part, latex) -> list[Block]:
    blocks = [_paragraph(r"\textit{The key's claim.}")]
    written = safe_math(part.key_latex)
    if part.key_latex and is_prose(part.key_latex):
        blocks += [_key_line(line) for line in part.key_latex.splitlines() if line.strip()]
    elif written is not None:
        blocks.append(_formula(written))
    elif part.key_latex:
        blocks.append(_paragraph(r"{\small\ttfamily " + escape_text(part.key_latex) + "}"))
    else:
        blocks.append(_paragraph(escape_text(str(part.checked.get("key") or "(no answer)"))))
    if part.key_expr is not None:
        blocks.append(_paragraph(r"{\small read as:}"))
        blocks.append(_formula(latex(part.key_expr, breakable=True)))
    return blocks


def _key_line(line: str) -> Block:
    """One line of a key that mixes sentences and formulas."""
    if is_prose(line):
        return _paragraph(prose_latex(line))
    formula = safe_math(line.rstrip(",. "))
    if formula is not None:
        return _formula(formula)
    return _paragraph(r"{\small\ttfamily " + escape_text(line) + "}")


def _findings_blocks(report: Report) -> list[Block]:
    blocks = [Block(r"\section*{Findings}")]
    findings = report.findings
    if not findings:
        return blocks + [_paragraph("No findings: every checked claim of the key agrees.")]
    blocks.append(_paragraph(escape_text(
        f"{len(findings)} findings on {len({f.id for f in findings})} parts.")))
    blocks.append(Block(r"\begin{itemize}"))
    for f in findings:
        where = f.id + (f", step {f.step}" if f.step else "")
        origin = ""
        if f.root is True:
            origin = " (root error)"
        elif f.carried_forward_from:
            origin = f" (carried forward from {', '.join(f.carried_forward_from)})"
        detail = "; ".join(x for x in (
            f"claim {f.claim}" if f.claim else "", f"truth {f.truth}" if f.truth else "") if x)
        code = f" [{f.code}]" if f.code else ""
        text = (rf"\item \textbf{{{escape_text(where)}}}{escape_text(code + origin)}: "
                + escape_text(f.explanation) + (r" {\small(" + escape_text(detail) + ")}"
                                                if detail else ""))
        blocks.append(_paragraph(text))
    blocks.append(Block(r"\end{itemize}"))
    return blocks


def _evaluation_blocks(report: Report, base) -> list[Block]:
    evaluation = report.evaluation
    if evaluation is None:
        return []
    data = evaluation.to_dict()
    blocks = [Block(r"\section*{Section 4 on the shipped data}"),
              _paragraph(escape_text(
                  "The key's RMSE figures (parts 4.rmse.*) come from the course "
                  "notebook's data set, which symcheck does not have: they are unverifiable. "
                  "symcheck evaluate runs the same comparison on the diabetes data of Efron et "
                  f"al. (2004) shipped with symcheck: {evaluation.n_train} training rows, "
                  f"{evaluation.n_test} test rows, seed {evaluation.seed}. "
                  + evaluation.lambda_choice + ". " + "T" + evaluation.early_stopping[1:] + ".")),
              Block(r"\begin{center}\begin{tabular}{lr}\toprule model & test RMSE \\ \midrule")]
    for name, value in evaluation.test_rmse_by_model().items():
        blocks.append(Block(rf"{escape_text(name)} & {value:.6f} \\"))
    blocks.append(Block(r"\bottomrule\end{tabular}\end{center}"))
    blocks.append(_paragraph(r"\textbf{Which model wins here, and why.} "
                             + escape_text(data["summary"])))
    blocks += [_paragraph(escape_text(note)) for note in report.section4_notes]
    for caption, path in report.figures.items():
        graphics = _graphics_path(path, base)
        if graphics is None:
            blocks.append(_paragraph(escape_text(f"(figure not included: its path {path} has "
                                                 "characters LaTeX cannot read)")))
            continue
        blocks.append(Block(r"\begin{figure}[htbp]\centering"
                            rf"\includegraphics[width=0.8\linewidth]{{{graphics}}}"
                            rf"\caption{{{escape_text(caption)}}}\end{{figure}}"))
    return blocks


_PLAIN_PATH = re.compile(r"^[A-Za-z0-9._/-]+$")


def _graphics_path(path: str, base) -> str | None:
    """The figure's path, relative to the document's folder when it can be, if LaTeX reads it."""
    figure = Path(path).resolve()
    if base is not None:
        try:
            figure = figure.relative_to(Path(base).resolve())
        except ValueError:
            pass
    text = figure.as_posix()
    return text if _PLAIN_PATH.match(text) else None


def latex_document(blocks: list[Block], fallback: frozenset[int] = frozenset()) -> str:
    """Return the whole document; blocks whose index is in ``fallback`` use their fallback."""
    body = [block.fallback if i in fallback and block.fallback else block.text
            for i, block in enumerate(blocks)]
    return "\n".join([_PREAMBLE, *body, r"\end{document}", ""])


def block_of_line(line: int) -> int:
    """Return the index of the block on source line ``line`` (1-based) of the document."""
    return line - 1 - _PREAMBLE.count("\n") - 1
