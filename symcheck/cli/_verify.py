"""``symcheck verify``: derive every part, prove it numerically, compare with the key."""

from __future__ import annotations

import sys

HELP = "derive each part, prove it numerically and compare it with the key (not built yet)"
EPILOG = """\
examples:
  symcheck verify                 every part
  symcheck verify 1.5 3.1.a5      some parts
  symcheck verify --json
"""


def register(subparsers) -> None:
    """Add the ``verify`` command."""
    import argparse

    parser = subparsers.add_parser("verify", help=HELP, description=HELP, epilog=EPILOG,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("parts", nargs="*", metavar="PART", help="part ids or prefixes; default: all")
    parser.add_argument("--examples", type=int, default=200, metavar="N",
                        help="hypothesis examples per proof (default 200)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(func=run)


def run(args) -> int:
    """Say what verify will do; it is not built yet, so exit non-zero."""
    print("symcheck verify is not built yet. When it is, it will, for every part of the catalogue:\n"
          "  1. derive the answer symbolically (or compute it with the reference models),\n"
          "  2. prove it numerically against complex-step and finite-difference derivatives,\n"
          "  3. show it next to the key's claim with a verdict: agrees, differs, warning, unverifiable.\n"
          "Run 'symcheck list' to see the parts it will cover.", file=sys.stderr)
    return 1
