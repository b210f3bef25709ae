"""``symcheck derive``: a derivative in closed form, with its derivation by differentials."""

from __future__ import annotations

import json

HELP = "derive the first or second derivative of a matrix function, with every step"
EPILOG = """\
examples:
  symcheck derive 1.5.first                   a catalogue part, at the order it asks
  symcheck derive 1.5.first --order 2 --latex
  symcheck derive --expr "a.T*X.T*X*b" --shape a=m,1 --shape X=n,m --shape b=m,1 --wrt X
  symcheck derive --expr "M.T*M*x" --shape M=m,m --shape x=m,1 --wrt x --assume "M symmetric"
  symcheck derive --expr "log(det(X))" --shape X=3,3 --wrt X --order 2 --json

the expression language (every operator and function, with an example each):
  problems/LANGUAGE.md

conventions: a gradient has the shape of the variable; a Jacobian is in numerator layout
(rows = vec of the output, columns = vec of the variable, column-major vec); a second
derivative of a scalar is the vec-Hessian, with the linear map dX -> H[dX].
"""


def register(subparsers) -> None:
    """Add the ``derive`` command."""
    import argparse

    parser = subparsers.add_parser("derive", help=HELP, description=HELP, epilog=EPILOG,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("part", nargs="?", metavar="PART", help="a catalogue part id, e.g. 1.5.first")
    parser.add_argument("--expr", help="the function, in symcheck's expression language")
    parser.add_argument("--shape", action="append", default=[], metavar="NAME=ROWS,COLS",
                        help="declare a symbol (repeat); a bare NAME is a scalar")
    parser.add_argument("--wrt", help="the variable to differentiate by (with --expr)")
    parser.add_argument("--order", type=int, choices=(1, 2), help="1 or 2 (default: the part's, or 1)")
    parser.add_argument("--assume", action="append", default=[], metavar="FACT",
                        help='an assumption such as "M symmetric" or "lam > 0" (repeat)')
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--latex", action="store_true", help="print a standalone LaTeX document")
    output.add_argument("--json", action="store_true",
                        help="print JSON: wrt, order, convention, shape, result, latex, steps")
    parser.add_argument("--catalogue", metavar="DIR",
                        help="a folder of catalogue files (default: the shipped homework)")
    parser.set_defaults(func=run)


def _problem(args):
    """The catalogue part named by PART, loaded once (None with --expr)."""
    from symcheck.errors import UsageError

    if args.part and args.expr:
        raise UsageError("give either PART or --expr, not both", where="symcheck derive",
                         fix="e.g. 'symcheck derive 1.5.first' or 'symcheck derive --expr ...'")
    if not args.part:
        return None
    from symcheck.catalogue import load_catalogue

    return load_catalogue(args.catalogue).problem(args.part)


def _derivation(args, problem):
    from symcheck.errors import UsageError

    if problem is not None:
        return problem.kind.derive(problem, order=args.order)
    if not args.expr or not args.wrt:
        raise UsageError("nothing to derive", where="symcheck derive",
                         fix="give a PART id, or --expr with --shape declarations and --wrt")
    from symcheck.calculus import derive_text
    from symcheck.errors import SymcheckError

    try:
        return derive_text(args.expr, args.shape, args.wrt, order=args.order or 1,
                           assumptions=args.assume)
    except SymcheckError as err:
        raise _in_options(err) from None


# The arguments of derive_text, as the options of this command.
_OPTIONS = {"text": "--expr", "shapes": "--shape", "wrt": "--wrt", "assumptions": "--assume"}


def _in_options(err):
    """Return ``err`` with its place named as a command-line option (``wrt`` -> ``--wrt``)."""
    import re

    match = re.match(r"(text|shapes|wrt|assumptions)(\[\d+\])?(?=$| )", err.where or "")
    if match is None:
        return err
    where = _OPTIONS[match.group(1)] + err.where[match.end():]
    renamed = type(err)(err.what, where=where, fix=err.fix)
    renamed.__dict__.update({k: v for k, v in err.__dict__.items() if k not in ("what", "where", "fix")})
    return renamed


def _named(problem, result) -> str | None:
    """The result written with the part's named quantities (H, Yhat), when it has any."""
    if problem is None or not problem.named_quantities:
        return None
    from symcheck.calculus import fold_definitions, text

    named = problem.named_quantities
    folded = fold_definitions(result.expr, named)
    return None if folded == result.expr else f"{text(folded)}   (with {', '.join(n for n, _ in named)})"


def run(args) -> int:
    """Derive and print the result as text, LaTeX or JSON."""
    problem = _problem(args)
    result = _derivation(args, problem)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    elif args.latex:
        print(result.latex_document())
    else:
        text = result.text()
        named = _named(problem, result)
        if named:
            head, _, rest = text.partition("\nconvention:")
            text = f"{head}\n  = {named}\nconvention:{rest}"
        print(text)
    return 0
