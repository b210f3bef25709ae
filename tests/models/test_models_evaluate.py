"""`symcheck evaluate`: data checks, determinism, JSON, plots, and RMSE against scikit-learn."""

import builtins
import json
import sys

import numpy as np
import pytest

from symcheck.cli import main
from symcheck.errors import DataError, UsageError
from symcheck.models import evaluate
from symcheck.models._data import Standardizer, read_csv, shipped_dataset, split_rows

FAST = dict(progress=False, epochs=3)


def _write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def _table(rows=12, *, header="a,b,y", cell=None):
    rng = np.random.default_rng(0)
    lines = [header]
    for i in range(rows):
        a, b = rng.normal(size=2)
        lines.append(f"{a},{b},{2 * a - b + 0.1 * rng.normal()}")
    if cell is not None:
        line, text = cell
        parts = lines[line].split(",")
        parts[1] = text
        lines[line] = ",".join(parts)
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("text, target, where, what", [
    (_table(), "price", "--target", "no column named 'price'"),
    (_table(cell=(3, "abc")), None, "line 4, column 'b'", "'abc' is not a number"),
    (_table(cell=(5, "nan")), None, "line 6, column 'b'", "NaN"),
    (_table(cell=(2, "")), None, "line 3, column 'b'", "the cell is empty"),
    (_table(cell=(2, "__import__('os')")), None, "line 3, column 'b'", "is not a number"),
    (_table(rows=4), None, "data.csv", "4 data row(s); at least 10"),
    ("a,b,y\n1,2,3,4\n" + _table().split("\n", 1)[1], None, "line 2", "4 cells but"),
    ("a,b,y\n" + "".join(f"{i},5,{i * 2}\n" for i in range(12)), None, "column 'b'", "constant"),
    ("", None, "data.csv", "the file is empty"),
    ("1,2,3\n4,5,6\n", None, "line 1", "no header row"),
    ("a,a,y\n1,2,3\n", None, "line 1", "appears twice"),
])
def test_bad_csv_is_a_data_error_with_where_and_fix(tmp_path, text, target, where, what):
    path = _write(tmp_path, text)
    with pytest.raises(DataError) as info:
        evaluate(path, target=target, **FAST)
    assert where in info.value.where and what in info.value.what and info.value.fix


def test_bad_csv_through_the_cli_exits_6_without_traceback(tmp_path, capsys):
    path = _write(tmp_path, _table(cell=(3, "abc")))
    assert main(["evaluate", "--data", str(path), "--quiet"]) == 6
    err = capsys.readouterr().err
    assert "line 4, column 'b'" in err and "Traceback" not in err


def test_missing_file_and_bad_lambdas(tmp_path, capsys):
    assert main(["evaluate", "--data", str(tmp_path / "nope.csv"), "--quiet"]) == 6
    assert main(["evaluate", "--lambdas", "1,x", "--quiet"]) == 2
    assert "'x' is not a number" in capsys.readouterr().err
    with pytest.raises(UsageError):
        evaluate(lambdas=[-1.0], **FAST)


def test_json_is_clean_stdout_and_progress_goes_to_stderr(capsys):
    assert main(["evaluate", "--json", "--seed", "3"]) == 0
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert set(report["rmse"]) == {"pinv", "ridge", "ridge_best", "mlp", "mlp2"}
    assert report["n_train"] + report["n_test"] == 442
    assert report["lambda_choice"]["folds"] == 5 and "5-fold" in report["lambda_choice"]["text"]
    assert report["rmse"]["ridge_best"]["rmse"] == report["rmse"]["ridge"][
        f"{report['rmse']['ridge_best']['lambda']:g}"]
    assert "MLP 1 hidden layer" in err


def test_deterministic_for_a_seed():
    a = evaluate(seed=5, **FAST).to_dict()
    assert a == evaluate(seed=5, **FAST).to_dict()
    assert a != evaluate(seed=6, **FAST).to_dict()


def _training_rows(seed):
    split = split_rows(442, seed=seed, test_fraction=0.2, validation_fraction=0.2,
                       has_test_file=False)
    return np.sort(np.concatenate([split.fit, split.validation])), split


def test_rmse_matches_an_independent_sklearn_pipeline_fitted_on_all_training_rows():
    pytest.importorskip("sklearn")
    from sklearn.linear_model import LinearRegression, Ridge
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    report = evaluate(seed=2, lambdas=[0.5, 50.0], **FAST)
    X, y, _, _ = read_csv(shipped_dataset()).features_and_target("target")
    train, split = _training_rows(2)

    def test_rmse(model):
        model.fit(X[train], y[train])
        return np.sqrt(np.mean((model.predict(X[split.test]) - y[split.test]) ** 2))

    assert report.rmse_pinv == pytest.approx(
        test_rmse(make_pipeline(StandardScaler(), LinearRegression())), rel=1e-8)
    for lam in (0.5, 50.0):
        assert report.rmse_ridge[lam] == pytest.approx(
            test_rmse(make_pipeline(StandardScaler(), Ridge(alpha=lam))), rel=1e-8)


def test_least_squares_matches_linear_regression_on_a_300_row_file(tmp_path):
    pytest.importorskip("sklearn")
    from sklearn.linear_model import LinearRegression

    rng = np.random.default_rng(7)
    X = rng.normal(size=(375, 4)) * [1.0, 10.0, 0.1, 3.0]
    y = X @ [1.0, -0.2, 4.0, 0.5] + np.sin(3 * X[:, 0]) + rng.normal(size=375)

    def write(name, rows):
        lines = ["a,b,c,d,y"] + [",".join(repr(float(v)) for v in row) for row in rows]
        return _write(tmp_path, "\n".join(lines) + "\n", name)

    data = np.column_stack([X, y])
    train, test = write("train.csv", data[:300]), write("test.csv", data[300:])
    report = evaluate(train, target="y", test=test, **FAST)
    model = LinearRegression().fit(X[:300], y[:300])
    expected = np.sqrt(np.mean((model.predict(X[300:]) - y[300:]) ** 2))
    assert (report.n_train, report.n_test) == (300, 75)
    assert report.rmse_pinv == pytest.approx(expected, rel=1e-8)


@pytest.mark.parametrize("seed, folds", [(0, 5), (3, 10), (11, 3)])
def test_lambda_is_chosen_as_ridgecv_chooses_it_with_the_same_folds(seed, folds):
    pytest.importorskip("sklearn")
    from sklearn.linear_model import Ridge, RidgeCV
    from sklearn.model_selection import GridSearchCV, KFold
    from sklearn.preprocessing import StandardScaler

    lambdas = (0.01, 0.3, 3.0, 10.0, 30.0, 100.0, 1000.0)
    report = evaluate(seed=seed, cv=folds, lambdas=lambdas, **FAST)
    X, y, _, _ = read_csv(shipped_dataset()).features_and_target("target")
    train, _ = _training_rows(seed)
    Z = StandardScaler().fit(X[train]).transform(X[train])
    splits = KFold(n_splits=folds, shuffle=True, random_state=seed)
    # RidgeCV with cv= scores each fold with the scorer (default R², not MSE) and averages
    # the folds equally; with neg_mean_squared_error it minimises our per-fold mean MSE.
    chosen = RidgeCV(alphas=lambdas, cv=splits, scoring="neg_mean_squared_error").fit(Z, y[train])
    assert report.best_lambda == chosen.alpha_
    assert report.cv_mse_ridge[report.best_lambda] == pytest.approx(-chosen.best_score_, rel=1e-8)
    grid = GridSearchCV(Ridge(), {"alpha": list(lambdas)}, cv=splits,
                        scoring="neg_mean_squared_error").fit(Z, y[train])
    assert [report.cv_mse_ridge[lam] for lam in lambdas] == pytest.approx(
        -grid.cv_results_["mean_test_score"], rel=1e-8)


def test_folds_are_sklearn_kfold_folds():
    pytest.importorskip("sklearn")
    from sklearn.model_selection import KFold

    from symcheck.models import kfold_held_out

    for n, folds, seed in ((354, 5, 0), (17, 4, 9), (10, 10, 1)):
        ours = [sorted(f.tolist()) for f in kfold_held_out(n, folds, seed=seed)]
        theirs = [sorted(test.tolist()) for _, test in
                  KFold(n_splits=folds, shuffle=True, random_state=seed).split(np.zeros(n))]
        assert ours == theirs


def test_mlp_keeps_the_weights_of_its_best_validation_epoch():
    from symcheck.models import MLP

    report = evaluate(seed=1, progress=False, epochs=30)
    history = report.history_mlp
    best = report.mlp_settings["best_epochs"][0]
    assert history.validation[best - 1] == min(history.validation)
    # Independently: a net trained for exactly `best` epochs from the same start predicts the same.
    X, y, features, _ = read_csv(shipped_dataset()).features_and_target("target")
    train, split = _training_rows(1)
    scale = Standardizer.fit(X[train], features, source="t")
    y_scale = Standardizer.fit(y[train][:, None], ("target",), source="t")
    net = MLP.initialize([10, 8, 1], seed=1)
    net.fit(scale(X[split.fit]), y_scale(y[split.fit][:, None]), epochs=best, alpha=0.05,
            batch_size=32, seed=1)
    predicted = y_scale.inverse(net.forward(scale(X[split.test])))[:, 0]
    assert report.rmse_mlp == pytest.approx(np.sqrt(np.mean((predicted - y[split.test]) ** 2)),
                                            rel=1e-12)
    assert f"{report.n_mlp_validation} are held out for early stopping" in report.format()


def test_the_summary_names_the_winner_from_the_figures():
    from dataclasses import replace

    report = evaluate(**FAST)
    assert report.summary().startswith(f"On these 88 test rows {report.winner()} has")
    mlp_wins = replace(report, rmse_mlp=report.rmse_pinv / 2)
    assert mlp_wins.winner().startswith("the 1-hidden-layer MLP")
    assert "non-linear structure" in mlp_wins.summary()
    pinv_wins = replace(report, rmse_pinv=min(report.rmse_ridge.values()) / 2)
    assert pinv_wins.winner() == "least squares" and "least squares has the lowest" in \
        pinv_wins.summary()


def test_bad_fold_counts_are_usage_errors(capsys):
    assert main(["evaluate", "--cv", "1", "--quiet"]) == 2
    with pytest.raises(UsageError, match="cv=400"):
        evaluate(cv=400, **FAST)


def test_user_csv_with_a_separate_test_file(tmp_path):
    train = _write(tmp_path, _table(40, header="a,b,y"))
    # the test file lists its columns in another order; they are matched by name
    rows = _table(10, header="a,b,y").splitlines()
    test = _write(tmp_path, "\n".join(",".join(reversed(r.split(","))) for r in rows) + "\n",
                  "test.csv")
    report = evaluate(train, target="y", test=test, **FAST)
    assert (report.n_train, report.n_test) == (40, 10)
    assert report.rmse_pinv < 0.5                       # y = 2a − b + 0.1·noise
    bad = _write(tmp_path, "a,y\n1,2\n", "bad.csv")
    with pytest.raises(DataError, match="'b'"):
        evaluate(train, target="y", test=bad, **FAST)


def test_standardizer_uses_training_rows_only():
    X = np.array([[0.0], [2.0], [100.0]])
    scale = Standardizer.fit(X[:2], ("a",), source="t")
    assert scale(X)[:, 0].tolist() == [-1.0, 1.0, 99.0]


def test_plots_are_written(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    assert main(["evaluate", "--plots", str(tmp_path), "--quiet"]) == 0
    for name in ("ridge_path.png", "ridge_rmse.png", "loss_curves.png", "rmse_bars.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plots_without_matplotlib_say_how_to_install(tmp_path, monkeypatch, capsys):
    real_import = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name == "matplotlib" or name.startswith("matplotlib."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    monkeypatch.delitem(sys.modules, "matplotlib", raising=False)
    assert main(["evaluate", "--plots", str(tmp_path), "--quiet"]) == 2
    assert "pip install 'symcheck[plots]'" in capsys.readouterr().err
