"""The ``symcheck`` command line: one small module per command, thin over the library.

Each command module defines ``register(subparsers)``, which adds its parser and sets
``func`` to a function ``run(args) -> int``.  :func:`main` maps symcheck's errors to exit
codes at the edge, so every command can be tested as ``main([...])`` without a subprocess.

Exit codes: 0 success; 1 an internal error (a bug in symcheck: please report it); 2 bad usage;
3 a malformed catalogue file; 4 a bad expression; 5 cannot differentiate; 6 bad data;
7 a derived closed form failed its proof; 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

from symcheck.errors import SymcheckError

__all__ = ["main", "console_main", "build_parser"]

_COMMAND_MODULES = ("list", "verify", "derive", "evaluate", "report", "grade")

_EPILOG = """\
examples:
  symcheck list                      every part of the homework, with what it asks
  symcheck verify                    derive, prove and compare every part with the key
  symcheck derive 1.5.first          the derivation of one catalogue part
  symcheck derive --expr "a.T*X.T*X*b" --shape a=m,1 --shape X=n,m --shape b=m,1 --wrt X
  symcheck evaluate                  section 4: RMSE of pinv, ridge and the MLPs

run 'symcheck COMMAND --help' for the options of each command.
"""


class _Parser(argparse.ArgumentParser):
    """An argparse parser whose usage errors become symcheck UsageErrors (exit code 2)."""

    def error(self, message):  # noqa: D401 - argparse's name
        from symcheck.errors import UsageError

        raise UsageError(message, where=self.prog, fix=f"run '{self.prog} --help' for the options")


def build_parser() -> argparse.ArgumentParser:
    """Return the top-level parser with every command registered."""
    from importlib import import_module

    from symcheck import __version__

    parser = _Parser(prog="symcheck", description=(
        "symcheck derives, proves and grades the mathematics behind machine learning. Its first "
        "subject is Homework 4, 'Math Foundation for Machine Learning Engineers'."),
        epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"symcheck {__version__}")
    subparsers = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND",
                                       parser_class=_Parser)
    for name in _COMMAND_MODULES:
        module = import_module(f"symcheck.cli._{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``) and return the exit code."""
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help()
            return 2
        return args.func(args)
    except SymcheckError as err:
        print(f"symcheck: error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("symcheck: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the edge: a bug must not look like a user's mistake
        if os.environ.get("SYMCHECK_DEBUG"):
            raise
        print(f"symcheck: internal error (a bug in symcheck, not in your input): "
              f"{type(exc).__name__}: {exc}\n"
              "Please report it with the command you ran; set SYMCHECK_DEBUG=1 to see the traceback.",
              file=sys.stderr)
        return 1


def console_main() -> None:
    """Entry point of the ``symcheck`` console script."""
    sys.exit(main())
