"""The verification report: LaTeX/PDF and standalone HTML (MathML) documents.

:func:`build_report` gathers the data (``symcheck.grade.check_parts``, the derivations of
``symcheck.calculus``, ``symcheck.models.evaluate``); :func:`write_report` writes
``report.tex`` and ``report.html`` (and ``report.pdf`` with ``pdf=True``) into a folder.
"""

from symcheck.report._document import Finding, PartSection, Report, build_report, key_contradiction
from symcheck.report._pdf import INSTALL_HINT, LatexLog, find_engine, read_log
from symcheck.report._write import ReportFiles, write_report

__all__ = ["Finding", "INSTALL_HINT", "LatexLog", "PartSection", "Report", "ReportFiles",
           "build_report", "find_engine", "key_contradiction", "read_log", "write_report"]
