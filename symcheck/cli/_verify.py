"""``symcheck verify``: derive every part, prove it numerically, compare with the key."""

from __future__ import annotations

import argparse
import json
import shutil

HELP = "derive each part, prove it numerically and compare it with the key"
DESCRIPTION = """\
For every part of the homework symcheck can answer, derive the answer symbolically (or compute
it with the reference models, for the numbers of 3.1 and 3.3), prove it numerically against
complex-step and finite-difference derivatives on hypothesis-drawn instances, and show it next
to the key's claim with a verdict: agrees, differs, warning or unverifiable.

Conventions: gradients have the shape of the variable; Jacobians are in numerator layout
(rows = outputs); second derivatives are vec-Hessians (column-major vec), with the linear map
dX ↦ H[dX].

The exit status is 0 when every derived closed form passes its proof, even where the key
differs (a wrong key is a finding, not a crash); 7 when a proof fails."""
EPILOG = """\
examples:
  symcheck verify                     every part
  symcheck verify 1.5 3.1.a5          some parts (ids or prefixes)
  symcheck verify --examples 2000     more hypothesis examples per proof
  symcheck verify --json              {"parts": [{"id", "derived", "proof", "key", "verdict", ...}]}
"""

_MARK = {"agrees": "✓ agrees", "differs": "✗ differs", "warning": "! warning",
         "unverifiable": "? unverifiable"}


def register(subparsers) -> None:
    """Add the ``verify`` command."""
    parser = subparsers.add_parser("verify", help=HELP, description=DESCRIPTION, epilog=EPILOG,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("parts", nargs="*", metavar="PART", help="part ids or prefixes; default: all")
    parser.add_argument("--examples", type=_positive, default=200, metavar="N",
                        help="hypothesis examples per proof (default 200)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    parser.add_argument("--catalogue", metavar="DIR",
                        help="a folder of catalogue files (default: the shipped homework)")
    parser.set_defaults(func=run)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"--examples={text!r} is not a positive integer; write e.g. 200")
    return value


def _clip(text: str | None, width: int) -> str:
    text = "—" if text is None else " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _proof_cell(proof, width: int) -> str:
    """The proof column: the oracle, cut if need be, then always its error and its count."""
    if proof is None:
        return "—"
    unit = getattr(proof, "unit", "examples")
    tail = (f" {proof.max_rel_error:.0e} ×{proof.examples}" if unit == "examples"
            else f" {proof.max_rel_error:.0e}, {proof.examples} {unit}")
    method = " ".join(proof.method.split(",")[0].split())
    room = width - len(tail)
    if len(method) > room:
        method = method[: max(room - 1, 0)] + "…"
    return method + tail


# How the summary counts each verdict: (singular, plural).
_COUNTED = {"agrees": ("agrees", "agree"), "differs": ("differs", "differ"),
            "warning": ("warning", "warnings"), "unverifiable": ("unverifiable", "unverifiable")}


def _summary(reports) -> str:
    """The last line: ``93 parts: 33 agree, 37 differ, 12 warnings, 11 unverifiable``."""
    verdicts = list(_COUNTED) + sorted({r.verdict for r in reports} - set(_COUNTED))
    counts = [(v, sum(r.verdict == v for r in reports)) for v in verdicts]
    words = [f"{n} {_COUNTED.get(v, (v, v))[n != 1]}" for v, n in counts if n]
    noun = "part" if len(reports) == 1 else "parts"
    return f"{len(reports)} {noun}: " + ", ".join(words)


def _reason_text(reason) -> str:
    """A reason as text: a string, or the message of a {code, message} reason."""
    if isinstance(reason, dict):
        return str(reason.get("message", reason))
    return str(getattr(reason, "message", reason))


def render_table(reports, *, width: int | None = None) -> str:
    """Return the verify table: one row per part, the reasons indented below it, a summary."""
    width = width or max(shutil.get_terminal_size((160, 24)).columns, 120)
    id_w = max(len(r.id) for r in reports)
    proof_w, verdict_w = 34, 14
    free = max(width - id_w - proof_w - verdict_w - 8, 40)
    derived_w, key_w = free * 3 // 5, free - free * 3 // 5
    lines = [f"{'part':<{id_w}}  {'derived':<{derived_w}}  {'proof':<{proof_w}}  "
             f"{'key':<{key_w}}  verdict", "-" * min(width, id_w + derived_w + proof_w + key_w + 22)]
    for r in reports:
        lines.append(f"{r.id:<{id_w}}  {_clip(r.derived, derived_w):<{derived_w}}  "
                     f"{_proof_cell(r.proof, proof_w):<{proof_w}}  {_clip(r.key, key_w):<{key_w}}  "
                     f"{_MARK.get(r.verdict, r.verdict)}")
        indent = " " * (id_w + 2)
        for reason in r.reasons:
            lines.append(f"{indent}· {_reason_text(reason)}")
        if r.verdict in ("differs", "warning") and r.truth:
            lines.append(f"{indent}· truth: {r.truth}")
    lines.append("")
    lines.append(_summary(reports))
    return "\n".join(lines)


def _keep_hypothesis_out_of_the_working_directory() -> None:
    """Hypothesis caches data in ./.hypothesis; a command-line run puts it in the user cache."""
    import os
    from pathlib import Path

    from hypothesis.configuration import set_hypothesis_home_dir

    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "symcheck" / "hypothesis"
    set_hypothesis_home_dir(str(cache))


def run(args) -> int:
    """Check the selected parts and print the table (or JSON); exit 7 if a proof fails."""
    from symcheck.catalogue import load_catalogue
    from symcheck.grade import check_parts, failed_proofs
    from symcheck._progress import ProgressBar

    parts = load_catalogue(args.catalogue).select(args.parts)
    _keep_hypothesis_out_of_the_working_directory()
    with ProgressBar(len(parts), label="verify", enabled=not args.quiet) as bar:
        def progress(done, total, part_id):
            if done:
                bar.update()
            bar.label = f"verify {part_id}" if part_id else "verify"

        reports = check_parts(parts, examples=args.examples, progress=progress)
    from symcheck.grade import key_findings, render_findings

    findings = key_findings(parts)   # root errors and what carries them forward (the grader's)
    if args.json:
        print(json.dumps({"parts": [r.to_dict() for r in reports],
                          "findings": [f.to_dict() for f in findings]}, indent=2, ensure_ascii=False))
    else:
        print(render_table(reports))
        print(render_findings(findings))
    failed = failed_proofs(reports)
    if failed:
        from symcheck.errors import ProofError

        raise ProofError("; ".join(f"the derived closed form of {r.id} failed its proof: "
                                   f"{r.proof.failure}" for r in failed), where="symcheck verify",
                         fix="this is a bug in symcheck: please report it with the command you ran")
    return 0
