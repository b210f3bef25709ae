"""Compiling the LaTeX report to PDF, and reading the engine's log.

The engine runs with ``-no-shell-escape`` and ``-interaction=nonstopmode`` under a timeout;
an overfull box that cuts text is found in the log and its block is set in its fallback form
(scaled to the line width) before a second run.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from symcheck.errors import UsageError

__all__ = ["ENGINES", "INSTALL_HINT", "LatexLog", "find_engine", "read_log", "compile_pdf"]

ENGINES = ("pdflatex", "lualatex")
INSTALL_HINT = ("install a LaTeX engine, e.g. on Debian or Ubuntu: sudo apt-get install "
                "texlive-latex-base texlive-latex-recommended (or run without --pdf and "
                "compile report.tex yourself)")
_OVERFULL = re.compile(r"^Overfull \\hbox \((?P<pt>[0-9.]+)pt too wide\) "
                       r"(?:in paragraph at lines (?P<a>\d+)--(?P<b>\d+)|"
                       r"detected at line (?P<line>\d+))", re.MULTILINE)
_ERROR = re.compile(r"^(?:! .*|.*:\d+: .*)$", re.MULTILINE)


@dataclass(frozen=True)
class LatexLog:
    """What a LaTeX log says: its errors and its overfull boxes (width, source lines)."""

    errors: tuple[str, ...] = ()
    overfull: tuple[tuple[float, int, int], ...] = field(default=())

    def overfull_lines(self) -> set[int]:
        """Return every source line that an overfull box covers."""
        return {line for _, a, b in self.overfull for line in range(a, b + 1)}


def read_log(text: str) -> LatexLog:
    """Return the errors and overfull boxes of a LaTeX log.

    >>> log = read_log("Overfull \\\\hbox (12.5pt too wide) in paragraph at lines 40--42\\n"
    ...                "! Undefined control sequence.\\n")
    >>> log.overfull, log.errors
    (((12.5, 40, 42),), ('! Undefined control sequence.',))
    """
    overfull = []
    for m in _OVERFULL.finditer(text):
        a = int(m.group("a") or m.group("line"))
        b = int(m.group("b") or m.group("line"))
        overfull.append((float(m.group("pt")), a, b))
    return LatexLog(tuple(_ERROR.findall(text)), tuple(overfull))


def find_engine() -> str | None:
    """Return the path of pdflatex (or else lualatex) on PATH, or None."""
    for name in ENGINES:
        path = shutil.which(name)
        if path:
            return path
    return None


def run_engine(tex_path: Path, *, engine: str | None = None, timeout: float = 120) -> LatexLog:
    """Compile ``tex_path`` in its own directory once; return the log's findings."""
    engine = engine or find_engine()
    if engine is None:
        raise UsageError("--pdf needs a LaTeX engine (pdflatex or lualatex), and none is "
                         "on PATH", where="--pdf", fix=INSTALL_HINT)
    command = [engine, "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error",
               "-file-line-error", tex_path.name]
    try:
        subprocess.run(command, cwd=tex_path.parent, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout,
                       check=False)
    except subprocess.TimeoutExpired:
        return LatexLog(errors=(f"{Path(engine).name} did not finish within {timeout:g} s",))
    log = tex_path.with_suffix(".log")
    if not log.exists():
        return LatexLog(errors=(f"{Path(engine).name} wrote no log",))
    return read_log(log.read_text(encoding="utf-8", errors="replace"))


def compile_pdf(blocks, tex_path: Path, *, engine: str | None = None) -> LatexLog:
    """Write and compile the document; set overfull blocks in their fallback and recompile.

    Returns the log of the last run.  The PDF is ``tex_path`` with suffix ``.pdf``.
    """
    from symcheck.report._latex import block_of_line, latex_document

    fallback: frozenset[int] = frozenset()
    for _ in range(3):
        tex_path.write_text(latex_document(blocks, fallback), encoding="utf-8")
        log = run_engine(tex_path, engine=engine)
        if log.errors:
            return log
        more = {block_of_line(line) for line in log.overfull_lines()}
        more = {i for i in more if 0 <= i < len(blocks) and blocks[i].fallback} - fallback
        if not more:
            return log
        fallback |= more
    return log
