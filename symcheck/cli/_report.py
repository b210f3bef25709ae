"""``symcheck report``: the whole verification as a document (LaTeX/PDF and standalone HTML)."""

from __future__ import annotations

HELP = "write the verification as a document: LaTeX (PDF with --pdf) and standalone HTML"
DESCRIPTION = HELP + """.

For each part: its statement, symcheck's derivation and closed form, the numerical proof, the
key's claim and the verdict with its reasons; then the findings; then section 4 on the shipped
data (symcheck evaluate's figures and plots). DIR receives report.tex, report.html (one file,
formulas in MathML, no script, no network: opens in any browser) and, with --pdf,
report.pdf. --pdf needs pdflatex or lualatex (Debian/Ubuntu: apt-get install
texlive-latex-base texlive-latex-recommended); the plots need matplotlib
(pip install 'symcheck[plots]')."""
EPILOG = """\
examples:
  symcheck report --out report/ --pdf          the whole homework
  symcheck report --out report/ 1.5 3.4.grad   some sections or parts
  symcheck report --out report/ --examples 50  fewer hypothesis examples per proof
"""


def register(subparsers) -> None:
    """Add the ``report`` command."""
    import argparse

    from symcheck.cli._verify import _positive

    parser = subparsers.add_parser("report", help=HELP, description=DESCRIPTION, epilog=EPILOG,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("parts", nargs="*", metavar="PART",
                        help="part ids or prefixes (default: every part)")
    parser.add_argument("--out", required=True, metavar="DIR", help="the folder to write into")
    parser.add_argument("--pdf", action="store_true", help="compile report.pdf with LaTeX")
    parser.add_argument("--examples", type=_positive, default=200, metavar="N",
                        help="hypothesis examples per proof (default 200)")
    parser.add_argument("--no-evaluate", action="store_true",
                        help="leave out section 4 on the shipped data")
    parser.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    parser.add_argument("--catalogue", metavar="DIR",
                        help="a folder of catalogue files (default: the shipped homework)")
    parser.set_defaults(func=run)


def run(args) -> int:
    """Build the report, write its files and say where they are."""
    from pathlib import Path

    from symcheck._progress import ProgressBar
    from symcheck.catalogue import load_catalogue
    from symcheck.cli._verify import _keep_hypothesis_out_of_the_working_directory
    from symcheck.errors import UsageError
    from symcheck.report import INSTALL_HINT, build_report, find_engine, write_report

    if args.pdf and find_engine() is None:
        raise UsageError("--pdf needs a LaTeX engine (pdflatex or lualatex), and none is on "
                         "PATH", where="--pdf", fix=INSTALL_HINT)
    parts = load_catalogue(args.catalogue).select(args.parts)
    _keep_hypothesis_out_of_the_working_directory()
    with ProgressBar(len(parts), label="report", enabled=not args.quiet) as bar:
        def progress(done, total, part_id):
            if done:
                bar.update()
            bar.label = f"report {part_id}" if part_id else "report"

        report = build_report(parts, examples=args.examples, evaluate=not args.no_evaluate,
                              figures_dir=Path(args.out) / "figures", progress=progress)
    files = write_report(report, args.out, pdf=args.pdf)
    print(f"wrote {files.tex}")
    print(f"wrote {files.html}  (standalone: MathML formulas, no script, no network)")
    if files.pdf is not None:
        print(f"wrote {files.pdf}")
    failed = [p for p in report.parts if (p.checked.get("proof") or {}).get("passed") is False]
    return 7 if failed else 0
