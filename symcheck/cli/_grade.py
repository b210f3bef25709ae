"""``symcheck grade``: one answer, one submission file, or a whole class; Gradescope output."""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager

from symcheck.errors import UsageError

HELP = "grade one answer, a submission file, or a folder of them (a class); Gradescope output"
DESCRIPTION = HELP + """.

A submission file is TOML with one [answers] table mapping quoted part ids to a string (an
expression, plain or LaTeX), a number, or an array of strings (a derivation, each line equal to
the one before). Run 'symcheck list' for the ids. Feedback comes with stable reason codes
(TRANSPOSED, SIGN, FACTOR, ROUNDING, ...). Nothing in an answer or a file is ever executed."""
EPILOG = """\
examples:
  symcheck grade --part 1.4.first "a*b.T"
  symcheck grade --part 1.4.first '\\mathbf{b}\\mathbf{a}^\\top' --json
  symcheck grade --part 1.4.first -- "-b*a.T"          (an answer starting with '-': put -- first)
  symcheck grade ada.toml                                 a table of every part
  symcheck grade ada.toml --format json                   {"score", "max_score", "parts": [...]}
  symcheck grade ada.toml --format gradescope --out results.json
  symcheck grade --batch submissions/ --jobs 2 --out grades.csv   (also grades-summary.csv)
  symcheck grade --batch submissions/ --out grades.json           (rows, summary, problems)
"""


def _jobs(text: str) -> int:
    import argparse

    from symcheck.limits import limit

    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"--jobs={text!r} is not a positive integer; write e.g. 2")
    most = limit("batch_jobs").value
    if value > most:
        raise argparse.ArgumentTypeError(
            f"--jobs={text!r} is more than {most} worker processes (the limit batch_jobs); "
            f"write at most --jobs {most}, best the number of CPU cores ({os.cpu_count() or 1})")
    return value


def register(subparsers) -> None:
    """Add the ``grade`` command."""
    import argparse

    parser = subparsers.add_parser("grade", help=HELP, description=DESCRIPTION, epilog=EPILOG,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("target", nargs="?", metavar="FILE|ANSWER",
                        help="a submission file (or, with --part, the answer)")
    parser.add_argument("--part", metavar="ID", help="grade one answer to the part ID")
    parser.add_argument("--batch", metavar="DIR", help="grade every *.toml file of the folder DIR")
    parser.add_argument("--jobs", type=_jobs, default=1, metavar="N",
                        help="with --batch: worker processes (default 1, at most the limit "
                             "batch_jobs of symcheck.limits)")
    parser.add_argument("--format", choices=("text", "json", "gradescope"), default=None,
                        help="for FILE: text (default), json, or gradescope (results.json)")
    parser.add_argument("--json", action="store_true", help="print JSON (same as --format json)")
    parser.add_argument("--out", metavar="FILE",
                        help="write the output to FILE (atomically); with --batch: .csv or .json")
    parser.add_argument("--catalogue", metavar="DIR",
                        help="a folder of catalogue files (default: the shipped homework)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    parser.set_defaults(func=run)


def _mode(args) -> str:
    chosen = [name for name, on in (("--part", args.part is not None),
                                    ("--batch", args.batch is not None)) if on]
    if len(chosen) > 1:
        raise UsageError("--part and --batch cannot be combined", where="symcheck grade",
                         fix="grade one answer, one file, or one folder per run")
    fmt = "json" if args.json else args.format
    if args.json and args.format not in (None, "json"):
        raise UsageError(f"--json and --format {args.format} disagree", where="--format",
                         fix="give one of them")
    if args.batch is not None:
        if args.target is not None:
            raise UsageError(f"--batch takes a folder, and {args.target!r} was given as well",
                             where="symcheck grade", fix="give either FILE or --batch DIR")
        if fmt is not None:
            raise UsageError("--batch writes the format its --out file names", where="--format",
                             fix="write --out grades.csv or --out grades.json")
        if args.out is None:
            raise UsageError("--batch needs --out", where="--out", fix="add --out grades.csv")
        return "batch"
    if args.target is None:
        raise UsageError("nothing to grade", where="symcheck grade",
                         fix="give a FILE, --part ID ANSWER, or --batch DIR; see --help")
    if args.jobs != 1:
        raise UsageError("--jobs applies to --batch only", where="--jobs",
                         fix="drop --jobs, or grade a folder with --batch")
    if args.part is not None:
        if fmt == "gradescope":
            raise UsageError("--format gradescope grades a submission file", where="--format",
                             fix="give a FILE instead of --part")
        return "part"
    return "file"


def _checked_out(args, *, suffixes=None, example=None, batch: bool = False):
    """Check the --out path before any work (the library's check, said as --out); return the
    paths that will be written."""
    from symcheck.grade import batch_output_paths, check_output_path

    try:
        if batch:
            return batch_output_paths(args.out)
        return [check_output_path(args.out, suffixes=suffixes, example=example)]
    except UsageError as err:
        raise UsageError(err.what, where=f"--out {args.out!r}", fix=err.fix) from None


def _catalogue(args):
    from symcheck.catalogue import load_catalogue

    return load_catalogue(args.catalogue)


def _emit(text: str, out: str | None) -> None:
    from symcheck.grade import write_atomically

    if out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        write_atomically(out, text if text.endswith("\n") else text + "\n")


def _score_text(result) -> str:
    """``score/max``, or ``not scored`` for a part the catalogue gives no points (it is checked)."""
    return f"{result.score:g}/{result.max_score:g}" if result.max_score else "not scored"


def format_part(result) -> str:
    """Return one graded answer as text: verdict and score, then feedback and reasons."""
    lines = [f"{result.id}: {result.verdict} ({_score_text(result)})"]
    if result.feedback and result.feedback not in {r.message for r in result.reasons}:
        lines.append(f"  {result.feedback}")
    lines += [f"  [{r.code}] {r.message}" for r in result.reasons]
    if result.carried_forward_from:
        lines.append("  carried forward from " + ", ".join(result.carried_forward_from))
    if result.truth and result.verdict not in ("correct", "manual"):
        lines.append(f"  truth: {result.truth}")
    return "\n".join(lines)


def format_submission(result, issues=()) -> str:
    """Return a whole submission's grades as a table, with its problems and total below."""
    width = max([len(p.id) for p in result.parts] + [4])
    lines = [f"{'part':<{width}}  {'verdict':<10} {'score':>10}  feedback"]
    for p in result.parts:
        codes = f" [{', '.join(p.codes)}]" if p.codes and p.verdict != "missing" else ""
        score = _score_text(p)
        lines.append(f"{p.id:<{width}}  {p.verdict:<10} {score:>10}  {p.feedback}{codes}")
    auto = [p for p in result.parts if p.verdict != "manual"]
    manual = [p for p in result.parts if p.verdict == "manual"]
    lines.append(f"\nscore {sum(p.score for p in auto):g}/{sum(p.max_score for p in auto):g}"
                 + (f" (plus {sum(p.max_score for p in manual):g} points graded by a person)"
                    if manual else ""))
    lines += [f"not graded: {issue}" for issue in issues]
    return "\n".join(lines)


def _run_part(args, fmt) -> int:
    from symcheck.grade import Grader

    if args.out is not None:
        _checked_out(args)
    catalogue = _catalogue(args)
    catalogue.part(args.part)  # unknown id: a UsageError with close matches
    result = Grader(catalogue).grade_answer(args.part, args.target)
    _emit(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) if fmt == "json"
          else format_part(result), args.out)
    return 0


def _run_file(args, fmt) -> int:
    from symcheck.grade import Grader, read_submission, write_gradescope_results

    if fmt == "gradescope":
        if args.out is None:
            raise UsageError("--format gradescope needs --out", where="--out",
                             fix="add --out results.json")
        _checked_out(args, suffixes=(".json",), example="results.json")
    elif args.out is not None:
        _checked_out(args)
    catalogue = _catalogue(args)
    if fmt == "gradescope":
        doc = write_gradescope_results(args.target, args.out, catalogue=catalogue)
        print(f"wrote {args.out}: score {doc['score']:g}/"
              f"{sum(t['max_score'] for t in doc['tests']):g}")
        return 0
    submission = read_submission(args.target, known_ids=[p.id for p in catalogue.parts])
    result = Grader(catalogue).grade_submission(submission.answers)
    if fmt == "json":
        doc = result.to_dict()
        doc["issues"] = [issue.to_dict() for issue in submission.issues]
        _emit(json.dumps(doc, indent=2, ensure_ascii=False), args.out)
    else:
        _emit(format_submission(result, submission.issues), args.out)
    if args.out is not None:
        for issue in submission.issues:
            print(f"symcheck: warning: not graded: {issue}", file=sys.stderr)
    return 0


def _run_batch(args) -> int:
    from symcheck._progress import ProgressBar
    from symcheck.grade import grade_batch, pinned_workers

    paths = _checked_out(args, batch=True)  # before any work: a bad path is refused at once
    bars: list[ProgressBar] = []

    def progress(done: int, total: int) -> None:
        if not bars:
            bars.append(ProgressBar(total, label="grading", enabled=not args.quiet and
                                    sys.stderr.isatty()))
        bars[0].update(done)

    with _sigterm_interrupts():
        try:
            with pinned_workers(args.jobs) as executors:
                result = grade_batch(args.batch, executor=executors, catalogue=args.catalogue,
                                     progress=progress, render=paths[0].suffix[1:])
        finally:
            if bars:
                bars[0].close()
        written = result.write(paths[0])
    print(result.format_summary())
    print("wrote " + " and ".join(str(p) for p in written))
    return 0


@contextmanager
def _sigterm_interrupts():
    """For the block: SIGTERM interrupts this process as Ctrl-C does (KeyboardInterrupt, exit
    130), so the batch stops its workers and removes its temporary files before it exits."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    owner = os.getpid()

    def interrupt(signum, frame):
        if os.getpid() != owner:  # a worker forked before its initializer ran: just end
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise KeyboardInterrupt

    before = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if before is None else before)


def run(args) -> int:
    """Grade what the arguments name and print (or write) the result."""
    mode = _mode(args)
    fmt = "json" if args.json else (args.format or "text")
    if mode == "part":
        return _run_part(args, fmt)
    if mode == "file":
        return _run_file(args, fmt)
    return _run_batch(args)
