"""The report as one standalone HTML file: formulas in presentation MathML, no script, no network.

Browsers lay MathML out natively (MathML Core).  Figures are embedded as ``data:`` URIs, the
style sheet is inline, and every text from the catalogue is escaped, so the file shows the
same anywhere, offline.
"""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path

from symcheck.report._document import Report

__all__ = ["html_document"]

_STYLE = """
body { font-family: Georgia, 'DejaVu Serif', serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; line-height: 1.45; color: #222; }
h1, h2, h3 { font-family: 'DejaVu Sans', Arial, sans-serif; }
h3 { margin-top: 2rem; border-top: 1px solid #ddd; padding-top: .8rem; }
.formula { overflow-x: auto; overflow-y: hidden; padding: .2rem 0 .2rem 1rem; }
.why { color: #555; font-size: .9em; margin: 0 0 .4rem 2rem; }
.tex { font-family: 'DejaVu Sans Mono', monospace; font-size: .85em; white-space: pre-wrap;
       overflow-wrap: anywhere; background: #f6f6f6; padding: .3rem .5rem; }
.verdict { font-weight: bold; }
.agrees { color: #1a7f37; } .differs { color: #b42318; } .warning { color: #b54708; }
.unverifiable { color: #666; }
table { border-collapse: collapse; } td, th { padding: .2rem .8rem; border-bottom: 1px solid #ddd; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure img { max-width: 100%; }
li { overflow-wrap: anywhere; }
"""


def _inner(expr) -> str:
    """The MathML of ``expr`` without its ``<math>`` wrapper (HTML needs no namespace)."""
    from symcheck.calculus import mathml

    body = mathml(expr, display=False)
    return body[body.index(">") + 1:-len("</math>")]


def _math(expr) -> str:
    return f'<div class="formula"><math display="block">{_inner(expr)}</math></div>'


def _equation(name_mathml: str, expr) -> str:
    """A display formula ``name = expr``."""
    return (f'<div class="formula"><math display="block"><mrow>{name_mathml}<mo>=</mo>'
            f"{_inner(expr)}</mrow></math></div>")


def _name(text: str) -> str:
    """MathML for a quantity's name such as ``df`` or ``∂f/∂X``."""
    return f"<mi>{escape(text)}</mi>"


def html_document(report: Report) -> str:
    """Return the whole report as one HTML page."""
    counts = ", ".join(f"{n} {verdict}" for verdict, n in sorted(report.counts().items()))
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           "<title>symcheck verification report</title>", f"<style>{_STYLE}</style>",
           "</head><body>", "<h1>symcheck verification report</h1>",
           f"<p>{len(report.parts)} parts: {escape(counts)}. Each part shows its statement, "
           "symcheck's derivation and closed form, the numerical proof "
           f"({report.examples} hypothesis examples per proof), the key's claim and the "
           "verdict with its reasons. Conventions: a gradient has the shape of the variable; "
           "Jacobians are in numerator layout; second derivatives are vec-Hessians "
           "(column-major vec) with the map dX ↦ H[dX].</p>"]
    section = None
    for part in report.parts:
        if part.id.split(".")[0] != section:
            section = part.id.split(".")[0]
            out.append(f"<h2>Section {escape(section)}</h2>")
        out += _part(part)
    out += _findings(report)
    out += _evaluation(report)
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _part(part) -> list[str]:
    checked = part.checked
    out = [f'<h3 id="{escape(part.id)}">{escape(part.id)}: {escape(part.title)}</h3>',
           f'<p><em>Statement.</em></p><div class="tex">{escape(part.statement)}</div>']
    d = part.derivation
    if d is not None:
        out.append("<p><em>Derivation (differential method).</em></p>")
        for step in d.steps:
            out.append(_equation(_name(step.quantity), step.expr))
            if step.why:
                out.append(f'<p class="why">{escape(step.why)}</p>')
        out.append("<p><em>Closed form.</em></p>")
        out.append(_equation(_name(_result_name(d)), d.expr))
        if d.linear_map is not None:
            out.append(_equation(_name(f"{d.differential.name} ↦ H[{d.differential.name}]"),
                                 d.linear_map))
        out.append(f'<p class="why">Convention: {escape(d.convention)}</p>')
    elif checked.get("derived"):
        out.append(f"<p><em>Value.</em> {escape(str(checked['derived']))}</p>")
    proof = checked.get("proof")
    if proof:
        passed = "passed" if proof.get("passed", True) else "FAILED"
        out.append(f"<p><em>Numerical proof.</em> {escape(proof['method'])}: largest relative "
                   f"error {proof['max_rel_error']:.1e} over {proof['examples']} examples; "
                   f"{passed}.</p>")
    out.append("<p><em>The key's claim.</em></p>")
    if part.key_latex:
        out.append(f'<div class="tex">{escape(part.key_latex)}</div>')
    else:
        out.append(f"<p>{escape(str(checked.get('key') or '(no answer)'))}</p>")
    if part.key_expr is not None:
        out.append('<p class="why">read as:</p>' + _math(part.key_expr))
    out.append(f'<p><em>Verdict.</em> <span class="verdict {escape(part.verdict)}">'
               f"{escape(part.verdict)}</span></p>")
    reasons = part.reasons + ([f"note: {checked['note']}"] if checked.get("note") else [])
    if reasons:
        out.append("<ul>" + "".join(f"<li>{escape(r)}</li>" for r in reasons) + "</ul>")
    return out


def _result_name(derivation) -> str:
    x = derivation.variable.name
    return {"gradient": f"∂f/∂{x}", "solution": f"{x}⋆",
            "jacobian": f"∂vec f/∂vec({x})ᵀ",
            "hessian": f"∂²f/∂vec({x})∂vec({x})ᵀ"}.get(derivation.kind,
                                                     f"∂^{derivation.order}f/∂{x}^{derivation.order}")


def _findings(report: Report) -> list[str]:
    out = ["<h2>Findings</h2>"]
    findings = report.findings
    if not findings:
        return out + ["<p>No findings: every checked claim of the key agrees.</p>"]
    out.append(f"<p>{len(findings)} findings on {len({f.id for f in findings})} parts.</p><ul>")
    for f in findings:
        where = f.id + (f", step {f.step}" if f.step else "")
        origin = (" (root error)" if f.root is True else
                  f" (carried forward from {', '.join(f.carried_forward_from)})"
                  if f.carried_forward_from else "")
        code = f" [{f.code}]" if f.code else ""
        detail = "; ".join(x for x in (f"claim {f.claim}" if f.claim else "",
                                       f"truth {f.truth}" if f.truth else "") if x)
        out.append(f'<li><a href="#{escape(f.id)}"><strong>{escape(where)}</strong></a>'
                   f"{escape(code + origin)}: {escape(f.explanation)}"
                   + (f" <small>({escape(detail)})</small>" if detail else "") + "</li>")
    out.append("</ul>")
    return out


def _evaluation(report: Report) -> list[str]:
    evaluation = report.evaluation
    if evaluation is None:
        return []
    out = ["<h2>Section 4 on the shipped data</h2>",
           "<p>The key's RMSE figures (parts 4.rmse.*) come from the course notebook's data set, "
           "which symcheck does not have: they are unverifiable. symcheck evaluate runs the "
           "same comparison on the diabetes data of Efron et al. (2004) shipped with symcheck: "
           f"{evaluation.n_train} training rows, {evaluation.n_test} test rows, seed "
           f"{evaluation.seed}. {escape(evaluation.lambda_choice)}. "
           f"{escape('T' + evaluation.early_stopping[1:])}.</p>",
           "<table><tr><th>model</th><th>test RMSE</th></tr>"]
    for name, value in evaluation.test_rmse_by_model().items():
        out.append(f'<tr><td>{escape(name)}</td><td class="num">{value:.6f}</td></tr>')
    out.append("</table>")
    out.append(f"<p><strong>Which model wins here, and why.</strong> "
               f"{escape(evaluation.summary())}</p>")
    out += [f"<p>{escape(note)}</p>" for note in report.section4_notes]
    for caption, path in report.figures.items():
        data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
        out.append(f'<figure><img alt="{escape(caption)}" src="data:image/png;base64,{data}">'
                   f"<figcaption>{escape(caption)}</figcaption></figure>")
    return out
