"""Section 4 of the homework: test RMSE of least squares, ridge and the two MLPs.

Protocol (deterministic for a given seed):

1. Read the data (default: the diabetes data shipped in ``symcheck/models/data``).  Without a
   test file, a seeded 20 % of the rows is the test set; 20 % of the remaining training rows
   is the validation set; the rest are the *fit* rows every model is trained on.
2. Standardise the features with the mean and std of the fit rows only.
3. Least squares by the pseudo-inverse, and ridge for each λ, both with an unpenalised
   intercept (centring).  λ is chosen by validation RMSE.
4. The MLPs see a standardised target (fit-row statistics) and their predictions are mapped
   back, so every RMSE is in the units of the target.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

from symcheck.errors import UsageError
from symcheck.models._data import (MIN_ROWS, SHIPPED_TARGET, Standardizer, read_csv,
                                   shipped_dataset, split_rows)
from symcheck.models._linear import least_squares, ridge_path
from symcheck.models._mlp import MLP, TrainingHistory
from symcheck._progress import ProgressBar

__all__ = ["evaluate", "EvaluationReport", "DEFAULT_LAMBDAS", "rmse"]

DEFAULT_LAMBDAS = (0.01, 0.1, 1.0, 10.0, 100.0, 1000.0)


def rmse(y_pred: np.ndarray, y: np.ndarray) -> float:
    """Return the root mean square error √(mean((ŷ − y)²)).

    >>> rmse(np.array([1.0, 3.0]), np.array([0.0, 0.0]))
    2.23606797749979
    """
    return float(np.sqrt(np.mean((np.asarray(y_pred) - np.asarray(y)) ** 2)))


@dataclass
class EvaluationReport:
    """Every figure of one evaluation; ``to_dict()`` is the ``--json`` output."""

    data: str
    target: str
    features: tuple[str, ...]
    seed: int
    n_train: int
    n_validation: int
    n_test: int
    rmse_pinv: float
    rmse_ridge: dict[float, float]
    validation_rmse_ridge: dict[float, float]
    best_lambda: float
    rmse_mlp: float
    rmse_mlp2: float
    mlp_settings: dict
    history_mlp: TrainingHistory = field(repr=False)
    history_mlp2: TrainingHistory = field(repr=False)
    path_lambdas: np.ndarray = field(repr=False)
    path_coefs: np.ndarray = field(repr=False)
    path_test_rmse: np.ndarray = field(repr=False)

    def to_dict(self) -> dict:
        """Return the JSON-ready summary (``rmse`` block, row counts, settings)."""
        return {
            "rmse": {
                "pinv": self.rmse_pinv,
                "ridge": {_lambda_key(lam): value for lam, value in self.rmse_ridge.items()},
                "ridge_best": {"lambda": self.best_lambda,
                               "rmse": self.rmse_ridge[self.best_lambda]},
                "mlp": self.rmse_mlp,
                "mlp2": self.rmse_mlp2,
            },
            "n_train": self.n_train,
            "n_validation": self.n_validation,
            "n_test": self.n_test,
            "data": self.data,
            "target": self.target,
            "seed": self.seed,
            "validation_rmse_ridge": {_lambda_key(lam): value
                                      for lam, value in self.validation_rmse_ridge.items()},
            "mlp_settings": self.mlp_settings,
        }

    def format(self) -> str:
        """Return the human-readable report."""
        s = self.mlp_settings
        lines = [
            f"data: {self.data}  (target {self.target!r}, {len(self.features)} features)",
            f"rows: {self.n_train} train, {self.n_validation} validation (chooses λ), "
            f"{self.n_test} test; seed {self.seed}",
            "features standardised with training-row statistics; intercepts unpenalised",
            "",
            "test RMSE",
            *_aligned(self._rmse_rows()),
            "",
            f"MLPs: sigmoid hidden layers, linear output, MSE loss, mini-batch gradient descent "
            f"(α = {s['alpha']}, batch {s['batch_size']}, {s['epochs']} epochs), "
            f"standardised target.",
        ]
        return "\n".join(lines)


    def _rmse_rows(self) -> list[tuple[str, float, str]]:
        s = self.mlp_settings
        rows = [("least squares (SVD pseudo-inverse)", self.rmse_pinv, "")]
        rows += [(f"ridge λ = {_lambda_key(lam)}", value,
                  "  <- chosen by validation" if lam == self.best_lambda else "")
                 for lam, value in self.rmse_ridge.items()]
        hidden2 = "×".join(str(n) for n in s["hidden2"])
        rows += [(f"MLP, 1 hidden layer ({s['hidden']})", self.rmse_mlp, ""),
                 (f"MLP, 2 hidden layers ({hidden2})", self.rmse_mlp2, "")]
        return rows


def _aligned(rows: list[tuple[str, float, str]]) -> list[str]:
    width = max(len(label) for label, _, _ in rows)
    return [f"  {label:<{width}}  {value:12.6f}{mark}" for label, value, mark in rows]


def _lambda_key(lam: float) -> str:
    return f"{lam:g}"


def evaluate(data=None, *, target: str | None = None, test=None,
             lambdas: Sequence[float] = DEFAULT_LAMBDAS, seed: int = 0, plots=None,
             progress: bool = True, test_fraction: float = 0.2,
             validation_fraction: float = 0.2, hidden: int = 8,
             hidden2: tuple[int, int] = (8, 8), epochs: int = 200, alpha: float = 0.05,
             batch_size: int = 32) -> EvaluationReport:
    """Compare least squares, ridge and the MLPs by test RMSE (homework section 4).

    Args:
        data: a CSV with a header row (default: the shipped diabetes data).
        target: the target column (default ``"target"`` for the shipped data, else the last).
        test: an optional CSV with the same columns, used as the test set.
        lambdas: the ridge penalties λ ≥ 0 to report (default 0.01 … 1000).
        seed: seeds the split, the MLP initialisation and the mini-batch order (default 0).
        plots: a directory to write PNG figures into (needs matplotlib), or None.
        progress: show training progress bars on stderr (default True).
        test_fraction, validation_fraction: split sizes (defaults 0.2 and 0.2).
        hidden, hidden2: MLP hidden sizes (defaults 8 and (8, 8)).
        epochs, alpha, batch_size: MLP training (defaults 200, 0.05, 32).

    Returns:
        An :class:`EvaluationReport`.

    >>> report = evaluate(progress=False, epochs=5)
    >>> report.n_train + report.n_validation + report.n_test
    442
    """
    lambdas = _checked_lambdas(lambdas)
    if plots is not None:
        from symcheck.models._plots import require_matplotlib

        require_matplotlib()
    source = shipped_dataset() if data is None else Path(data)
    if data is None and target is None:
        target = SHIPPED_TARGET
    table = read_csv(source, min_rows=MIN_ROWS)
    X_all, y_all, features, target = table.features_and_target(target)
    split = split_rows(len(y_all), seed=seed, test_fraction=test_fraction,
                       validation_fraction=validation_fraction, has_test_file=test is not None)
    if test is not None:
        X_test, y_test, _, _ = read_csv(test).features_and_target(target, features=features)
    else:
        X_test, y_test = X_all[split.test], y_all[split.test]
    X_fit, y_fit = X_all[split.fit], y_all[split.fit]
    X_val, y_val = X_all[split.validation], y_all[split.validation]

    scale = Standardizer.fit(X_fit, features, source=str(source))
    Z_fit, Z_val, Z_test = scale(X_fit), scale(X_val), scale(X_test)

    pinv = least_squares(Z_fit, y_fit)
    fits = ridge_path(Z_fit, y_fit, lambdas)
    rmse_ridge = {fit.lam: rmse(fit.predict(Z_test), y_test) for fit in fits}
    val_ridge = {fit.lam: rmse(fit.predict(Z_val), y_val) for fit in fits}
    best_lambda = min(val_ridge, key=lambda lam: (val_ridge[lam], lam))

    path_lambdas = np.logspace(-3, 4, 50)
    path = ridge_path(Z_fit, y_fit, path_lambdas)

    settings = {"hidden": hidden, "hidden2": list(hidden2), "epochs": epochs, "alpha": alpha,
                "batch_size": batch_size, "init": "Glorot uniform", "seed": seed}
    # The target is checked like a feature: a constant target has nothing to predict.
    y_scale = Standardizer.fit(y_fit[:, None], (target,), source=str(source))
    train = dict(X=Z_fit, y=y_fit, X_val=Z_val, y_val=y_val, y_scale=y_scale, epochs=epochs,
                 alpha=alpha, batch_size=batch_size, seed=seed, progress=progress)
    mlp, history = _train_mlp([Z_fit.shape[1], hidden, 1], label="MLP 1 hidden layer ", **train)
    mlp2, history2 = _train_mlp([Z_fit.shape[1], *hidden2, 1], label="MLP 2 hidden layers", **train)

    def predict(net: MLP) -> np.ndarray:
        return y_scale.inverse(net.forward(Z_test))[:, 0]

    report = EvaluationReport(
        data=str(source), target=target, features=features, seed=seed,
        n_train=len(y_fit), n_validation=len(y_val), n_test=len(y_test),
        rmse_pinv=rmse(pinv.predict(Z_test), y_test), rmse_ridge=rmse_ridge,
        validation_rmse_ridge=val_ridge, best_lambda=best_lambda,
        rmse_mlp=rmse(predict(mlp), y_test), rmse_mlp2=rmse(predict(mlp2), y_test),
        mlp_settings=settings, history_mlp=history, history_mlp2=history2,
        path_lambdas=path_lambdas, path_coefs=np.array([fit.coef for fit in path]),
        path_test_rmse=np.array([rmse(fit.predict(Z_test), y_test) for fit in path]))
    if plots is not None:
        from symcheck.models._plots import write_plots

        write_plots(report, plots)
    return report


def _train_mlp(sizes, *, X, y, X_val, y_val, y_scale, epochs, alpha, batch_size, seed,
               progress, label) -> tuple[MLP, TrainingHistory]:
    net = MLP.initialize(sizes, seed=seed)
    Y, Y_val = y_scale(y[:, None]), y_scale(y_val[:, None])
    with ProgressBar(epochs, label=label, enabled=progress) as bar:
        history = net.fit(X, Y, epochs=epochs, alpha=alpha, batch_size=batch_size, seed=seed,
                          validation=(X_val, Y_val),
                          on_epoch=lambda epoch, loss: bar.update(loss=loss))
    return net, history


def _checked_lambdas(lambdas: Sequence[float]) -> tuple[float, ...]:
    values = tuple(float(lam) for lam in lambdas)
    bad = [lam for lam in values if not (np.isfinite(lam) and lam >= 0)]
    if not values or bad:
        raise UsageError(f"lambdas={list(lambdas)!r} must be one or more finite numbers ≥ 0",
                         where="--lambdas", fix="write e.g. --lambdas 0.1,1,10")
    return tuple(dict.fromkeys(values))
