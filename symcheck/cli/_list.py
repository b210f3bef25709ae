"""``symcheck list``: every part of the catalogue, with what it asks and its points."""

from __future__ import annotations

import json

from symcheck.catalogue import load_catalogue

HELP = "list every part of the homework: id, one-line statement, what is asked, points"
EPILOG = """\
examples:
  symcheck list
  symcheck list 3.1            only the parts whose id starts with 3.1
  symcheck list --json         {"parts": [{"id", "section", "title", "asks", "points", ...}]}
  symcheck list --check --catalogue DIR   parse every formula now (exit 3 for a broken one)
"""


def register(subparsers) -> None:
    """Add the ``list`` command."""
    import argparse

    parser = subparsers.add_parser("list", help=HELP, description=HELP, epilog=EPILOG,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("parts", nargs="*", metavar="PART",
                        help="part ids or prefixes (e.g. 1.5 or 3.1.grad); default: all")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--check", action="store_true",
                        help="parse every formula of the listed parts now (they are parsed when first used)")
    parser.add_argument("--catalogue", metavar="DIR",
                        help="a folder of catalogue files (default: the shipped homework)")
    parser.set_defaults(func=run)


def describe_ask(part) -> str:
    """Return what a part asks, in a few words (e.g. 'first derivative wrt X'), from its kind."""
    problem = part.problem
    return problem.kind.describe(problem)


def run(args) -> int:
    """Print the catalogue as a table or JSON."""
    catalogue = load_catalogue(args.catalogue)
    parts = catalogue.select(args.parts)
    if args.check:
        for part in parts:
            part.problem.check()
    rows = [{"id": p.id, "section": p.section, "title": p.title, "kind": p.ask.kind,
             "asks": describe_ask(p), "points": p.grading.points, "rule": p.grading.rule}
            for p in parts]
    if args.json:
        print(json.dumps({"parts": rows}, indent=2, ensure_ascii=False))
        return 0
    id_w = max(len(r["id"]) for r in rows)
    asks_w = max(len(r["asks"]) for r in rows)
    print(f"{'part':<{id_w}}  {'points':>6}  {'asks':<{asks_w}}  statement")
    for r in rows:
        print(f"{r['id']:<{id_w}}  {r['points']:>6g}  {r['asks']:<{asks_w}}  {r['title']}")
    total = sum(r["points"] for r in rows)
    print(f"\n{len(rows)} parts, {total:g} points")
    return 0
