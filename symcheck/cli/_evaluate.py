"""``symcheck evaluate``: section 4, test RMSE of least squares, ridge and the MLPs."""

from __future__ import annotations

import argparse
import json

from symcheck.errors import UsageError

HELP = "section 4: test RMSE of pseudo-inverse least squares, ridge and the two MLPs"
DESCRIPTION = HELP + """.

Without --data it uses the diabetes data of Efron et al. (2004), shipped with symcheck
(442 rows, 10 features). Features are standardised with training-row statistics; intercepts
are not penalised; ridge minimises ‖y − Xβ‖² + λ‖β‖². Least squares and ridge are fitted on
all training rows; λ is chosen by K-fold cross-validation on them (--cv K, seeded folds, the
lowest mean held-out MSE), then ridge is refitted on all of them. The MLPs hold out a seeded
20% of the training rows for early stopping (they keep the weights of the epoch with the
lowest validation MSE). Progress bars go to stderr (--quiet hides them)."""
EPILOG = """\
examples:
  symcheck evaluate
  symcheck evaluate --lambdas 0.1,1,10,100 --seed 3 --cv 10
  symcheck evaluate --data houses.csv --target price --test houses_test.csv
  symcheck evaluate --plots figures/          needs: pip install 'symcheck[plots]'
  symcheck evaluate --json                    {"rmse": {"pinv", "ridge", "ridge_best", "mlp", "mlp2"}, "n_train", "n_test", ...}
"""


def _seed(text: str) -> int:
    from symcheck.limits import limit

    most = limit("evaluate_seed").value
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= most:
        raise argparse.ArgumentTypeError(
            f"--seed={text!r} is not a whole number from 0 to {most} (the limit evaluate_seed); "
            "write e.g. --seed 0")
    return value


def _folds(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 2:
        raise argparse.ArgumentTypeError(f"--cv={text!r} is not a number of folds ≥ 2; write e.g. 5")
    return value


def register(subparsers) -> None:
    """Add the ``evaluate`` command."""
    import argparse

    parser = subparsers.add_parser("evaluate", help=HELP, description=DESCRIPTION,
                                   epilog=EPILOG,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", metavar="CSV",
                        help="a CSV with a header row (default: the shipped diabetes data)")
    parser.add_argument("--target", metavar="COL",
                        help="the target column (default: 'target' for the shipped data, "
                             "else the last column)")
    parser.add_argument("--test", metavar="CSV",
                        help="a CSV with the same columns to use as the test set "
                             "(default: a seeded 20%% of --data)")
    parser.add_argument("--lambdas", metavar="L1,L2,...",
                        help="ridge penalties λ ≥ 0 (default: 0.01,0.1,1,10,100,1000)")
    parser.add_argument("--cv", type=_folds, default=5, metavar="K",
                        help="cross-validation folds that choose λ (default 5, seeded by --seed)")
    parser.add_argument("--plots", metavar="DIR",
                        help="write PNG figures into DIR (needs matplotlib)")
    parser.add_argument("--seed", type=_seed, default=0, metavar="S",
                        help="seeds the split, the MLP initialisation and batches (default 0)")
    parser.add_argument("--json", action="store_true", help="print JSON on stdout")
    parser.add_argument("--quiet", action="store_true", help="no progress bars on stderr")
    for name, what in (("bytes", "bytes"), ("rows", "data rows"), ("columns", "columns")):
        parser.add_argument(f"--max-csv-{name}", type=int, metavar="N", help=f"refuse a CSV "
                            f"with more {what} (default: the limit csv_{name} of symcheck.limits)")
    parser.set_defaults(func=run)


def parse_lambdas(text: str | None) -> tuple[float, ...] | None:
    """Parse ``"0.1,1,10"`` into floats; raise UsageError naming the bad entry."""
    if text is None:
        return None
    values = []
    for item in text.split(","):
        try:
            values.append(float(item))
        except ValueError:
            raise UsageError(f"--lambdas entry {item.strip()!r} is not a number",
                             where="--lambdas", fix="write e.g. --lambdas 0.1,1,10") from None
    return tuple(values)


def run(args) -> int:
    """Run the evaluation and print the report (or its JSON)."""
    from symcheck.limits import raised
    from symcheck.models import DEFAULT_LAMBDAS, evaluate

    lambdas = parse_lambdas(args.lambdas) or DEFAULT_LAMBDAS
    with raised(csv_bytes=args.max_csv_bytes, csv_rows=args.max_csv_rows,
                csv_columns=args.max_csv_columns):
        report = evaluate(args.data, target=args.target, test=args.test, lambdas=lambdas,
                          seed=args.seed, cv=args.cv, plots=args.plots, progress=not args.quiet)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(report.format())
        if args.plots:
            print(f"\nfigures written to {args.plots}: ridge_path.png, ridge_rmse.png, "
                  f"loss_curves.png, rmse_bars.png")
    return 0
