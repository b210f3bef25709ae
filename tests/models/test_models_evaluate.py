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
    assert report["n_train"] + report["n_validation"] + report["n_test"] == 442
    assert report["rmse"]["ridge_best"]["rmse"] == report["rmse"]["ridge"][
        f"{report['rmse']['ridge_best']['lambda']:g}"]
    assert "MLP 1 hidden layer" in err


def test_deterministic_for_a_seed():
    a = evaluate(seed=5, **FAST).to_dict()
    assert a == evaluate(seed=5, **FAST).to_dict()
    assert a != evaluate(seed=6, **FAST).to_dict()


def test_rmse_matches_an_independent_sklearn_pipeline():
    pytest.importorskip("sklearn")
    from sklearn.linear_model import LinearRegression, Ridge
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    report = evaluate(seed=2, lambdas=[0.5, 50.0], **FAST)
    table = read_csv(shipped_dataset())
    X, y, _, _ = table.features_and_target("target")
    split = split_rows(len(y), seed=2, test_fraction=0.2, validation_fraction=0.2,
                       has_test_file=False)

    def test_rmse(model):
        model.fit(X[split.fit], y[split.fit])
        return np.sqrt(np.mean((model.predict(X[split.test]) - y[split.test]) ** 2))

    assert report.rmse_pinv == pytest.approx(
        test_rmse(make_pipeline(StandardScaler(), LinearRegression())), rel=1e-8)
    for lam in (0.5, 50.0):
        assert report.rmse_ridge[lam] == pytest.approx(
            test_rmse(make_pipeline(StandardScaler(), Ridge(alpha=lam))), rel=1e-8)


def test_user_csv_with_a_separate_test_file(tmp_path):
    train = _write(tmp_path, _table(40, header="a,b,y"))
    # the test file lists its columns in another order; they are matched by name
    rows = _table(10, header="a,b,y").splitlines()
    test = _write(tmp_path, "\n".join(",".join(reversed(r.split(","))) for r in rows) + "\n",
                  "test.csv")
    report = evaluate(train, target="y", test=test, **FAST)
    assert (report.n_train + report.n_validation, report.n_test) == (40, 10)
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
