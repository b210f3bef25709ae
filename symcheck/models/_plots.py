"""PNG figures for ``symcheck evaluate --plots DIR``; matplotlib is imported only here.

matplotlib is the optional extra ``symcheck[plots]``.  Figures are drawn on
``matplotlib.figure.Figure`` objects directly (no pyplot, no GUI backend).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from symcheck.errors import DataError, UsageError

__all__ = ["require_matplotlib", "write_plots"]

INSTALL_HINT = "install it with: pip install 'symcheck[plots]'"


def require_matplotlib() -> None:
    """Raise UsageError with the install command when matplotlib is missing."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise UsageError("--plots needs matplotlib, which is not installed", where="--plots",
                         fix=INSTALL_HINT) from None


def write_plots(report, directory) -> list[Path]:
    """Write the four figures of ``report`` into ``directory`` and return their paths."""
    require_matplotlib()
    from matplotlib.figure import Figure

    out = Path(directory)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise DataError(f"cannot create the directory ({err.strerror})", where=str(out),
                        fix="choose a writable directory for --plots") from None
    drawings = {"ridge_path.png": _ridge_path, "ridge_rmse.png": _ridge_rmse,
                "loss_curves.png": _loss_curves, "rmse_bars.png": _rmse_bars}
    paths = []
    for name, draw in drawings.items():
        fig = Figure(figsize=(7, 4.5), layout="constrained")
        draw(fig, report)
        fig.savefig(out / name, dpi=120)
        paths.append(out / name)
    return paths


def _ridge_path(fig, report) -> None:
    ax = fig.subplots()
    for j, name in enumerate(report.features):
        ax.plot(report.path_lambdas, report.path_coefs[:, j], label=name)
    ax.set_xscale("log")
    ax.axhline(0.0, color="grey", linewidth=0.5)
    ax.set_xlabel("λ  (objective ‖y − Xβ‖² + λ‖β‖², standardised features)")
    ax.set_ylabel("coefficient β_j")
    ax.set_title("Ridge coefficient paths")
    ax.legend(fontsize=7, ncol=2)


def _ridge_rmse(fig, report) -> None:
    ax = fig.subplots()
    ax.plot(report.path_lambdas, report.path_test_rmse, color="C0", label="test RMSE")
    chosen = [lam for lam in report.rmse_ridge if lam > 0]
    ax.plot(chosen, [report.rmse_ridge[lam] for lam in chosen], "o", color="C0")
    ax.plot(chosen, [np.sqrt(report.cv_mse_ridge[lam]) for lam in chosen], "s--", color="C1",
            label=f"{report.cv_folds}-fold cross-validation RMSE (√ mean MSE)")
    ax.axhline(report.rmse_pinv, color="grey", linestyle=":", label="least squares (pinv)")
    if report.best_lambda > 0:
        ax.axvline(report.best_lambda, color="C2", linewidth=0.8,
                   label=f"chosen λ = {report.best_lambda:g}")
    ax.set_xscale("log")
    ax.set_xlabel("λ")
    ax.set_ylabel(f"RMSE ({report.target})")
    ax.set_title("Ridge regression: RMSE against λ")
    ax.legend()


def _loss_curves(fig, report) -> None:
    ax = fig.subplots()
    for history, name, colour in ((report.history_mlp, "1 hidden layer", "C0"),
                                  (report.history_mlp2, "2 hidden layers", "C1")):
        epochs = np.arange(1, len(history.train) + 1)
        ax.plot(epochs, history.train, color=colour, label=f"{name}: training")
        ax.plot(epochs, history.validation, color=colour, linestyle="--",
                label=f"{name}: validation")
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("MSE (standardised target)")
    ax.set_title("MLP training and validation loss")
    ax.legend()


def _rmse_bars(fig, report) -> None:
    ax = fig.subplots()
    names = ["least squares", f"ridge λ={report.best_lambda:g}", "MLP 1 hidden",
             "MLP 2 hidden"]
    values = [report.rmse_pinv, report.rmse_ridge[report.best_lambda], report.rmse_mlp,
              report.rmse_mlp2]
    bars = ax.bar(names, values, color=["C0", "C1", "C2", "C3"])
    ax.bar_label(bars, fmt="%.2f")
    ax.set_ylabel(f"test RMSE ({report.target})")
    ax.set_title(f"Test RMSE, {report.n_test} test rows")
