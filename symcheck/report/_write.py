"""Writing the report's files into one folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from symcheck.errors import DataError
from symcheck.report._document import Report

__all__ = ["ReportFiles", "write_report"]


@dataclass(frozen=True)
class ReportFiles:
    """The files written: the LaTeX source, the HTML page, the PDF (or None) and its log."""

    tex: Path
    html: Path
    pdf: Path | None
    log: object | None = None       # a LatexLog when the PDF was compiled


def write_report(report: Report, directory, *, pdf: bool = False,
                 engine: str | None = None) -> ReportFiles:
    """Write ``report.tex`` and ``report.html`` into ``directory``; compile the PDF if asked.

    Raises UsageError (with the install command) when ``pdf`` is asked and no LaTeX engine is
    on PATH, and DataError when the LaTeX run fails.
    """
    from symcheck.report._html import html_document
    from symcheck.report._latex import latex_blocks, latex_document
    from symcheck.report._pdf import compile_pdf

    out = Path(directory)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise DataError(f"cannot create the directory ({err.strerror})", where=str(out),
                        fix="choose a writable directory for --out") from None
    html = out / "report.html"
    html.write_text(html_document(report), encoding="utf-8")
    blocks = latex_blocks(report, base=out)
    tex = out / "report.tex"
    tex.write_text(latex_document(blocks), encoding="utf-8")
    if not pdf:
        return ReportFiles(tex, html, None)
    log = compile_pdf(blocks, tex, engine=engine)
    if log.errors:
        raise DataError(f"LaTeX failed: {log.errors[0]}", where=str(out / "report.log"),
                        fix="read the log; please report it as a symcheck bug")
    return ReportFiles(tex, html, tex.with_suffix(".pdf"), log)
