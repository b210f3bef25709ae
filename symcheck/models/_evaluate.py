"""Section 4 of the homework: test RMSE of least squares, ridge and the two MLPs.

Protocol (deterministic for a given seed):

1. Read the data (default: the diabetes data shipped in ``symcheck/models/data``).  Without a
   test file, a seeded 20 % of the rows is the test set; every other row is a *training* row.
2. Standardise the features with the mean and std of the training rows only.
3. Least squares by the pseudo-inverse, and ridge for each λ, both with an unpenalised
   intercept (centring), fitted on all training rows.  λ is chosen by K-fold cross-validation
   on the training rows (seeded folds, the same as scikit-learn's
   ``KFold(n_splits=K, shuffle=True, random_state=seed)``; score: the mean over folds of the
   held-out MSE), and ridge is then refitted on all of them.
4. The MLPs see a standardised target (training-row statistics) and their predictions are
   mapped back, so every RMSE is in the units of the target.  They hold out a seeded 20 % of
   the training rows for early stopping: training keeps the weights of the epoch with the
   lowest validation MSE.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

from symcheck.errors import UsageError
from symcheck.limits import LIMITS
from symcheck.models._data import (MIN_ROWS, SHIPPED_TARGET, Standardizer, read_csv,
                                   shipped_dataset, split_rows)
from symcheck.models._linear import least_squares, ridge_path
from symcheck.models._mlp import MLP, TrainingHistory, mse
from symcheck._progress import ProgressBar

__all__ = ["evaluate", "EvaluationReport", "DEFAULT_LAMBDAS", "cross_validated_mse", "kfold_held_out",
           "rmse"]

DEFAULT_LAMBDAS = (0.01, 0.1, 1.0, 10.0, 100.0, 1000.0)


def rmse(y_pred: np.ndarray, y: np.ndarray) -> float:
    """Return the root mean square error √(mean((ŷ − y)²)).

    >>> rmse(np.array([1.0, 3.0]), np.array([0.0, 0.0]))
    2.23606797749979
    """
    return float(np.sqrt(np.mean((np.asarray(y_pred) - np.asarray(y)) ** 2)))


def kfold_held_out(n_rows: int, folds: int, *, seed: int) -> list[np.ndarray]:
    """Return the held-out rows of each of ``folds`` seeded folds of ``range(n_rows)``.

    The folds are those of scikit-learn's ``KFold(n_splits=folds, shuffle=True,
    random_state=seed)``: a ``RandomState(seed)`` shuffle of the rows, cut into consecutive
    folds whose sizes differ by at most one (the first ``n_rows % folds`` are one longer).

    >>> [fold.tolist() for fold in kfold_held_out(5, 2, seed=0)]
    [[2, 0, 1], [3, 4]]
    """
    order = np.random.RandomState(seed).permutation(n_rows)
    return np.array_split(order, folds)


def cross_validated_mse(Z: np.ndarray, y: np.ndarray, lambdas: Sequence[float], *, folds: int,
                        seed: int) -> dict[float, float]:
    """Return, for each λ, the mean over ``folds`` seeded folds of ridge's held-out MSE.

    Each fold fits ridge for every λ on the other rows (one SVD, :func:`ridge_path`) and
    scores the mean squared error on its own rows; folds count equally.
    """
    totals = dict.fromkeys(lambdas, 0.0)
    everything = np.ones(len(y), dtype=bool)
    for held_out in kfold_held_out(len(y), folds, seed=seed):
        kept = everything.copy()
        kept[held_out] = False
        for fit in ridge_path(Z[kept], y[kept], lambdas):
            totals[fit.lam] += rmse(fit.predict(Z[held_out]), y[held_out]) ** 2 / folds
    return totals


@dataclass
class EvaluationReport:
    """Every figure of one evaluation; ``to_dict()`` is the ``--json`` output."""

    data: str
    target: str
    features: tuple[str, ...]
    seed: int
    n_train: int
    n_test: int
    cv_folds: int
    n_mlp_validation: int
    rmse_pinv: float
    rmse_ridge: dict[float, float]
    cv_mse_ridge: dict[float, float]
    best_lambda: float
    rmse_mlp: float
    rmse_mlp2: float
    train_rmse: dict[str, float]
    mlp_settings: dict
    history_mlp: TrainingHistory = field(repr=False)
    history_mlp2: TrainingHistory = field(repr=False)
    path_lambdas: np.ndarray = field(repr=False)
    path_coefs: np.ndarray = field(repr=False)
    path_test_rmse: np.ndarray = field(repr=False)

    @property
    def lambda_choice(self) -> str:
        """Say how λ was chosen, in one line."""
        return (f"λ chosen by {self.cv_folds}-fold cross-validation on the {self.n_train} "
                f"training rows (seeded folds, seed {self.seed}; lowest mean held-out MSE), "
                f"then ridge refitted on all of them")

    @property
    def early_stopping(self) -> str:
        """Say how the MLPs were stopped, in one line."""
        epochs = ", ".join(str(e) for e in self.mlp_settings["best_epochs"])
        return (f"the MLPs train on {self.n_train - self.n_mlp_validation} of the {self.n_train} "
                f"training rows; a seeded {self.n_mlp_validation} are held out for early stopping "
                f"(the weights of the epoch with the lowest validation MSE are kept: epochs "
                f"{epochs})")

    def to_dict(self) -> dict:
        """Return the JSON-ready summary (``rmse`` block, row counts, settings, the verdict)."""
        return {
            "rmse": {
                "pinv": self.rmse_pinv,
                "ridge": {_lambda_key(lam): value for lam, value in self.rmse_ridge.items()},
                "ridge_best": {"lambda": self.best_lambda,
                               "rmse": self.rmse_ridge[self.best_lambda]},
                "mlp": self.rmse_mlp,
                "mlp2": self.rmse_mlp2,
            },
            "train_rmse": dict(self.train_rmse),
            "n_train": self.n_train,
            "n_test": self.n_test,
            "data": self.data,
            "target": self.target,
            "seed": self.seed,
            "lambda_choice": {"method": "k-fold cross-validation", "folds": self.cv_folds,
                              "seed": self.seed, "score": "mean over folds of the held-out MSE",
                              "mse": {_lambda_key(lam): value
                                      for lam, value in self.cv_mse_ridge.items()},
                              "text": self.lambda_choice},
            "n_mlp_validation": self.n_mlp_validation,
            "mlp_settings": self.mlp_settings,
            "winner": self.winner(),
            "summary": self.summary(),
        }

    def test_rmse_by_model(self) -> dict[str, float]:
        """Return the test RMSE of each of the four compared models, by display name."""
        s = self.mlp_settings
        hidden2 = "×".join(str(n) for n in s["hidden2"])
        return {"least squares": self.rmse_pinv,
                f"ridge (λ = {_lambda_key(self.best_lambda)}, chosen by cross-validation)":
                    self.rmse_ridge[self.best_lambda],
                f"the 1-hidden-layer MLP ({s['hidden']})": self.rmse_mlp,
                f"the 2-hidden-layer MLP ({hidden2})": self.rmse_mlp2}

    def winner(self) -> str:
        """Return the display name of the model with the lowest test RMSE."""
        by_model = self.test_rmse_by_model()
        return min(by_model, key=by_model.get)

    def summary(self) -> str:
        """Return one sentence, computed from the figures: which model wins here, and why.

        >>> print(evaluate(progress=False, epochs=5).summary())  # doctest: +ELLIPSIS
        On these ... test rows ...
        """
        by_model = self.test_rmse_by_model()
        best = self.winner()
        linear = min(self.rmse_pinv, self.rmse_ridge[self.best_lambda])
        mlp = min(self.rmse_mlp, self.rmse_mlp2)
        rows_per_coef = self.n_train / (len(self.features) + 1)
        opening = (f"On these {self.n_test} test rows {best} has the lowest RMSE "
                   f"({by_model[best]:.6g})")
        if mlp < linear:
            return (f"{opening}, {_percent(linear, mlp)} below the best linear model: a sigmoid "
                    f"hidden layer captures non-linear structure that a linear model cannot.")
        ridge_gain = _percent(self.rmse_pinv, self.rmse_ridge[self.best_lambda])
        shrink = (f"ridge's penalty changes least squares by only {ridge_gain}, as expected with "
                  f"{rows_per_coef:.0f} training rows per coefficient (little variance to remove)")
        mlp_fit = min(self.train_rmse["mlp"], self.train_rmse["mlp2"])
        if mlp_fit < self.train_rmse["pinv"]:
            why = (f"the MLPs fit the rows they were trained on more closely (RMSE {mlp_fit:.6g} against "
                   f"{self.train_rmse['pinv']:.6g}) but predict new rows {_percent(mlp, linear)} "
                   f"worse, so their extra flexibility buys variance, not accuracy")
        else:
            why = (f"the MLPs fit even the rows they were trained on no better (RMSE {mlp_fit:.6g} against "
                   f"{self.train_rmse['pinv']:.6g}) and test {_percent(mlp, linear)} worse: the "
                   f"non-linearity they could model is not found in this data by their training")
        return f"{opening}; {shrink}; {why}."

    def format(self) -> str:
        """Return the human-readable report."""
        s = self.mlp_settings
        lines = [
            f"data: {self.data}  (target {self.target!r}, {len(self.features)} features)",
            f"rows: {self.n_train} train, {self.n_test} test; seed {self.seed}",
            "features standardised with training-row statistics; intercepts unpenalised; "
            "least squares and ridge fitted on all training rows",
            self.lambda_choice,
            "",
            "test RMSE",
            *_aligned(self._rmse_rows()),
            "",
            f"MLPs: sigmoid hidden layers, linear output, MSE loss, mini-batch gradient descent "
            f"(α = {s['alpha']}, batch {s['batch_size']}, {s['epochs']} epochs), "
            f"standardised target;",
            f"{self.early_stopping}.",
            "",
            self.summary(),
        ]
        return "\n".join(lines)

    def _rmse_rows(self) -> list[tuple[str, float, str]]:
        s = self.mlp_settings
        rows = [("least squares (SVD pseudo-inverse)", self.rmse_pinv, "")]
        rows += [(f"ridge λ = {_lambda_key(lam)}", value,
                  f"  <- chosen by {self.cv_folds}-fold cross-validation"
                  if lam == self.best_lambda else "")
                 for lam, value in self.rmse_ridge.items()]
        hidden2 = "×".join(str(n) for n in s["hidden2"])
        rows += [(f"MLP, 1 hidden layer ({s['hidden']})", self.rmse_mlp, ""),
                 (f"MLP, 2 hidden layers ({hidden2})", self.rmse_mlp2, "")]
        return rows


def _percent(worse: float, better: float) -> str:
    """Return how much ``better`` is below ``worse``, in per cent of ``worse``."""
    return f"{100 * abs(worse - better) / worse:.2g} %"


def _aligned(rows: list[tuple[str, float, str]]) -> list[str]:
    width = max(len(label) for label, _, _ in rows)
    return [f"  {label:<{width}}  {value:12.6f}{mark}" for label, value, mark in rows]


def _lambda_key(lam: float) -> str:
    return f"{lam:g}"


def evaluate(data=None, *, target: str | None = None, test=None,
             lambdas: Sequence[float] = DEFAULT_LAMBDAS, seed: int = 0, plots=None,
             progress: bool = True, cv: int = 5, test_fraction: float = 0.2,
             validation_fraction: float = 0.2, hidden: int = 8,
             hidden2: tuple[int, int] = (8, 8), epochs: int = 200, alpha: float = 0.05,
             batch_size: int = 32) -> EvaluationReport:
    """Compare least squares, ridge and the MLPs by test RMSE (homework section 4).

    Args:
        data: a CSV with a header row (default: the shipped diabetes data).
        target: the target column (default ``"target"`` for the shipped data, else the last).
        test: an optional CSV with the same columns, used as the test set.
        lambdas: the ridge penalties λ ≥ 0 to report (default 0.01 … 1000).
        seed: seeds the split, the folds, the MLP initialisation and batches (default 0).
        plots: a directory to write PNG figures into (needs matplotlib), or None.
        progress: show training progress bars on stderr (default True).
        cv: the number of cross-validation folds that choose λ (default 5).
        test_fraction: the share of rows tested on without a test file (default 0.2).
        validation_fraction: the share of training rows the MLPs hold out for early stopping
            (default 0.2).
        hidden, hidden2: MLP hidden sizes (defaults 8 and (8, 8)).
        epochs, alpha, batch_size: MLP training (defaults 200, 0.05, 32).

    Returns:
        An :class:`EvaluationReport`.

    >>> report = evaluate(progress=False, epochs=5)
    >>> report.n_train + report.n_test, report.cv_folds
    (442, 5)
    """
    lambdas = _checked_lambdas(lambdas)
    seed = _checked_seed(seed)
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
    train_rows = np.sort(np.concatenate([split.fit, split.validation]))
    folds = _checked_folds(cv, len(train_rows))
    X_train, y_train = X_all[train_rows], y_all[train_rows]

    scale = Standardizer.fit(X_train, features, source=str(source))
    Z_train, Z_test = scale(X_train), scale(X_test)

    pinv = least_squares(Z_train, y_train)
    cv_mse = cross_validated_mse(Z_train, y_train, lambdas, folds=folds, seed=seed)
    best_lambda = min(cv_mse, key=lambda lam: (cv_mse[lam], lam))
    fits = {fit.lam: fit for fit in ridge_path(Z_train, y_train, lambdas)}
    rmse_ridge = {lam: rmse(fit.predict(Z_test), y_test) for lam, fit in fits.items()}

    path_lambdas = np.logspace(-3, 4, 50)
    path = ridge_path(Z_train, y_train, path_lambdas)

    # The MLPs: fit rows and early-stopping rows, both inside the training rows.
    X_fit, y_fit = scale(X_all[split.fit]), y_all[split.fit]
    X_val, y_val = scale(X_all[split.validation]), y_all[split.validation]
    # The target is checked like a feature: a constant target has nothing to predict.
    y_scale = Standardizer.fit(y_train[:, None], (target,), source=str(source))
    train = dict(X=X_fit, y=y_fit, X_val=X_val, y_val=y_val, y_scale=y_scale, epochs=epochs,
                 alpha=alpha, batch_size=batch_size, seed=seed, progress=progress)
    mlp, history = _train_mlp([Z_train.shape[1], hidden, 1], label="MLP 1 hidden layer ", **train)
    mlp2, history2 = _train_mlp([Z_train.shape[1], *hidden2, 1], label="MLP 2 hidden layers",
                                **train)
    settings = {"hidden": hidden, "hidden2": list(hidden2), "epochs": epochs, "alpha": alpha,
                "batch_size": batch_size, "init": "Glorot uniform", "seed": seed,
                "early_stopping": "keep the weights of the epoch with the lowest validation MSE",
                "best_epochs": [_best_epoch(history), _best_epoch(history2)]}

    def predict(net: MLP, Z: np.ndarray) -> np.ndarray:
        return y_scale.inverse(net.forward(Z))[:, 0]

    report = EvaluationReport(
        data=str(source), target=target, features=features, seed=seed,
        n_train=len(y_train), n_test=len(y_test), cv_folds=folds,
        n_mlp_validation=len(y_val),
        rmse_pinv=rmse(pinv.predict(Z_test), y_test), rmse_ridge=rmse_ridge,
        cv_mse_ridge=cv_mse, best_lambda=best_lambda,
        rmse_mlp=rmse(predict(mlp, Z_test), y_test), rmse_mlp2=rmse(predict(mlp2, Z_test), y_test),
        train_rmse={"pinv": rmse(pinv.predict(Z_train), y_train),
                    "ridge_best": rmse(fits[best_lambda].predict(Z_train), y_train),
                    "mlp": rmse(predict(mlp, X_fit), y_fit),
                    "mlp2": rmse(predict(mlp2, X_fit), y_fit)},
        mlp_settings=settings, history_mlp=history, history_mlp2=history2,
        path_lambdas=path_lambdas, path_coefs=np.array([fit.coef for fit in path]),
        path_test_rmse=np.array([rmse(fit.predict(Z_test), y_test) for fit in path]))
    if plots is not None:
        from symcheck.models._plots import write_plots

        write_plots(report, plots)
    return report


def _best_epoch(history: TrainingHistory) -> int:
    """The 1-based epoch whose validation MSE is lowest (the first, on a tie)."""
    return int(np.argmin(history.validation)) + 1


def _train_mlp(sizes, *, X, y, X_val, y_val, y_scale, epochs, alpha, batch_size, seed,
               progress, label) -> tuple[MLP, TrainingHistory]:
    """Train with early stopping: return the net with its best-validation-epoch weights."""
    net = MLP.initialize(sizes, seed=seed)
    Y, Y_val = y_scale(y[:, None]), y_scale(y_val[:, None])
    validation: list[float] = []
    best = [np.inf, [p.copy() for p in net.parameters()]]

    def after_epoch(epoch: int, loss: float) -> None:
        validation.append(mse(net.forward(X_val), Y_val))
        if validation[-1] < best[0]:
            best[:] = [validation[-1], [p.copy() for p in net.parameters()]]
        bar.update(loss=loss)

    with ProgressBar(epochs, label=label, enabled=progress) as bar:
        history = net.fit(X, Y, epochs=epochs, alpha=alpha, batch_size=batch_size, seed=seed,
                          on_epoch=after_epoch)
    history.validation = validation
    for parameter, kept in zip(net.parameters(), best[1]):
        parameter[...] = kept
    return net, history


def _checked_folds(cv: int, n_train: int) -> int:
    most = min(n_train, LIMITS["cv_folds"].value)
    if isinstance(cv, bool) or not isinstance(cv, (int, np.integer)) or not 2 <= cv <= most:
        raise UsageError(f"cv={cv!r} folds cannot cross-validate {n_train} training rows",
                         where="--cv", fix=f"use between 2 and {most} folds (default 5)")
    return int(cv)


def _checked_seed(seed: int) -> int:
    cap = LIMITS["evaluate_seed"]
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed <= cap.value:
        raise UsageError(f"seed={seed!r} is not a whole number from 0 to {cap.value} (the limit "
                         f"{cap.name}: NumPy seeds its generators with 32 bits)", where="evaluate",
                         fix="use a seed from 0 to 4294967295, e.g. 0")
    return int(seed)


def _checked_lambdas(lambdas: Sequence[float]) -> tuple[float, ...]:
    values = tuple(float(lam) for lam in lambdas)
    bad = [lam for lam in values if not (np.isfinite(lam) and lam >= 0)]
    if not values or bad:
        raise UsageError(f"lambdas={list(lambdas)!r} must be one or more finite numbers ≥ 0",
                         where="--lambdas", fix="write e.g. --lambdas 0.1,1,10")
    return tuple(dict.fromkeys(values))
