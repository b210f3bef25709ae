"""The verification report as data: what the LaTeX and the HTML writers both print.

One :func:`build_report` call checks the parts (``symcheck.grade.check_parts``), derives each
derivative part again for its steps (``symcheck.calculus``), collects the findings and runs
``symcheck.models.evaluate`` for section 4.  The writers only lay the data out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Sequence

__all__ = ["Finding", "PartSection", "Report", "build_report", "key_contradiction"]


@dataclass(frozen=True)
class Finding:
    """One finding on the key: the part (and step), what it says, and why it is wrong."""

    id: str
    explanation: str
    code: str | None = None
    step: str | None = None
    claim: str | None = None
    truth: str | None = None
    root: bool | None = None
    carried_forward_from: tuple[str, ...] = ()


@dataclass(frozen=True)
class PartSection:
    """Everything the report prints for one part."""

    id: str
    title: str
    statement: str
    points: float
    checked: dict                    # PartReport.to_dict(): derived, proof, key, verdict, ...
    derivation: object | None        # a symcheck.calculus Derivation, or None
    key_latex: str | None            # the key as the homework writes it (LaTeX source)
    key_expr: object | None          # the key's answer parsed into SymPy, when it parses
    findings: tuple[Finding, ...] = ()

    @property
    def verdict(self) -> str:
        """The verdict of ``symcheck verify``: agrees, differs, warning or unverifiable."""
        return self.checked["verdict"]

    @property
    def reasons(self) -> list[str]:
        """The verdict's reasons as sentences (``{code, message}`` objects are read too)."""
        return [_message(r) for r in self.checked.get("reasons", [])]


@dataclass
class Report:
    """The whole document: parts, findings, the section-4 evaluation and its notes."""

    parts: list[PartSection]
    evaluation: object | None = None             # a symcheck.models EvaluationReport
    figures: dict[str, str] = field(default_factory=dict)   # caption -> PNG path
    section4_notes: list[str] = field(default_factory=list)
    examples: int = 200

    @property
    def findings(self) -> list[Finding]:
        """Every finding, in the order of the parts."""
        return [f for part in self.parts for f in part.findings]

    def counts(self) -> dict[str, int]:
        """Return how many parts got each verdict."""
        counts: dict[str, int] = {}
        for part in self.parts:
            counts[part.verdict] = counts.get(part.verdict, 0) + 1
        return counts


def _message(reason) -> str:
    if isinstance(reason, dict):
        return str(reason.get("message") or reason.get("explanation") or reason)
    return str(reason)


def _findings(checked: dict, attribute_findings) -> tuple[Finding, ...]:
    """The part's findings: verify's own list when it has one, else its verdict's reasons."""
    listed = attribute_findings if attribute_findings is not None else checked.get("findings")
    if listed is not None:
        return tuple(_finding(checked["id"], f) for f in listed)
    if checked["verdict"] in ("agrees", "unverifiable"):
        return ()
    return tuple(Finding(checked["id"], _message(r), code=checked["verdict"],
                         claim=checked.get("key"), truth=checked.get("truth"))
                 for r in checked.get("reasons", []))


def _finding(part_id: str, data) -> Finding:
    if not isinstance(data, dict):
        data = data.to_dict() if hasattr(data, "to_dict") else vars(data)
    carried = data.get("carried_forward_from") or ()
    return Finding(id=data.get("id", part_id), explanation=str(data.get("explanation", "")),
                   code=data.get("code"), step=data.get("step"),
                   claim=None if data.get("claim") is None else str(data["claim"]),
                   truth=None if data.get("truth") is None else str(data["truth"]),
                   root=data.get("root"),
                   carried_forward_from=tuple(carried if isinstance(carried, (list, tuple))
                                              else (carried,)))


def _derivation(part):
    """The derivation of a derivative or closed-form part, or None for the other kinds."""
    if part.ask.function is None or part.ask.wrt is None:
        return None
    from symcheck.calculus import derive_part, stationary_point

    if part.ask.kind == "closed_form":
        return stationary_point(part.function_expr(), part.wrt_symbol(),
                                part.assumptions).as_derivation()
    return derive_part(part)


def _key_expr(part):
    """The key's answer, read by symcheck's safe parser, or None when it has none or fails."""
    answer = part.key.answer
    if not answer:
        return None
    from symcheck.errors import SymcheckError
    from symcheck.expr import parse

    try:
        return parse(answer, part.namespace, where=f"{part.id} key")
    except SymcheckError:
        return None


_CONTRADICTION = re.compile(r"[^.]*cannot be captured in a one-layer mlp[^.]*\.", re.IGNORECASE)


def key_contradiction(text: str | None) -> str | None:
    """Return a note when the key explains the MLP's error by what a one-layer MLP cannot do.

    The key says the one-layer MLP "can capture non-linear relationships" and, in the same
    sentence, that they "cannot be captured in a one-layer mlp"; the note quotes it.

    >>> key_contradiction("A. It is complex and can capture non-linear relationships in the "
    ...                   "data which cannot be captured in a one-layer mlp. B.")[:40]
    "The key's explanation contradicts itself"
    """
    if not text:
        return None
    match = _CONTRADICTION.search(text)
    if match is None or "can capture non-linear" not in match.group(0).lower():
        return None
    sentence = " ".join(match.group(0).split())
    return ("The key's explanation contradicts itself: it says the one-layer MLP can capture "
            "non-linear relationships and, of the same model, that they cannot be captured in "
            f"a one-layer MLP (\u201c{sentence}\u201d); nor does a more flexible model explain a "
            "higher test error by itself: that needs overfitting or poor training, which the "
            "key does not show.")


def build_report(parts: Sequence, *, examples: int = 200, evaluate: bool = True,
                 figures_dir=None, progress: Callable[[int, int, str], None] | None = None
                 ) -> Report:
    """Check ``parts`` and gather everything the report prints.

    Args:
        parts: catalogue parts (``load_catalogue().parts`` or a selection).
        examples: hypothesis examples per numerical proof (default 200, as verify).
        evaluate: run ``symcheck.models.evaluate`` on the shipped data (default True).
        figures_dir: where to write the evaluation's PNG plots (needs matplotlib), or None.
        progress: ``progress(done, total, part_id)`` as ``check_parts`` calls it.
    """
    from symcheck.calculus import cached_derivations
    from symcheck.grade import check_parts

    sections = []
    with cached_derivations():          # checking a part derives it: print that derivation
        checked = check_parts(parts, examples=examples, progress=progress)
        for part, result in zip(parts, checked):
            data = result.to_dict()
            sections.append(PartSection(
                id=part.id, title=part.title, statement=part.statement,
                points=part.grading.points, checked=data, derivation=_derivation(part),
                key_latex=part.key.latex, key_expr=_key_expr(part),
                findings=_findings(data, getattr(result, "findings", None))))
    report = Report(sections, examples=examples)
    if evaluate:
        _add_evaluation(report, parts, figures_dir)
    return report


def _add_evaluation(report: Report, parts, figures_dir) -> None:
    from symcheck.models import evaluate

    plots = None
    if figures_dir is not None:
        try:
            import matplotlib  # noqa: F401
            plots = figures_dir
        except ImportError:
            report.section4_notes.append(
                "The plots are missing: matplotlib is not installed "
                "(pip install 'symcheck[plots]').")
    report.evaluation = evaluate(progress=False, plots=plots)
    if plots is not None:
        from pathlib import Path

        captions = {"rmse_bars.png": "Test RMSE of the four models",
                    "ridge_rmse.png": "Ridge: test and cross-validation RMSE against λ",
                    "ridge_path.png": "Ridge coefficient paths",
                    "loss_curves.png": "MLP training and validation loss"}
        report.figures = {caption: str(Path(plots) / name) for name, caption in captions.items()}
    for part in parts:
        note = key_contradiction(part.key.latex)
        if note:
            report.section4_notes.append(note)
