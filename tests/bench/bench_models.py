"""Benchmarks of symcheck.models against scikit-learn, in the same run and on the same data.

Run with:  pytest -m bench tests/bench/bench_models.py --benchmark-columns=min,median
Targets: ridge and pseudo-inverse least squares on a 10⁵×100 problem take at most 1.5×
scikit-learn's time; one full-batch epoch of the one-hidden-layer MLP is no slower than one
epoch of MLPRegressor(solver="sgd", batch_size=N).  Each test times ours and scikit-learn
alternately (best of ROUNDS each, so machine load hits both alike), records both figures and
the ratio in ``extra_info``, and prints them.
"""

import time
import warnings

import numpy as np
import pytest

from symcheck.models import MLP, least_squares, ridge

pytestmark = pytest.mark.bench
sklearn = pytest.importorskip("sklearn")
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.linear_model import LinearRegression, Ridge  # noqa: E402
from sklearn.neural_network import MLPRegressor  # noqa: E402

ROUNDS = 7


@pytest.fixture(scope="module")
def regression():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100_000, 100))
    y = X @ rng.normal(size=100) + rng.normal(size=100_000)
    return X, y


@pytest.fixture(scope="module")
def mlp_data():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(20_000, 100))
    return X, np.tanh(X[:, :3].sum(axis=1))


def _interleaved_best_times(ours, theirs, rounds=ROUNDS) -> tuple[float, float]:
    """Time both functions alternately, so a busy machine slows both alike; return the minima."""
    times = {ours: [], theirs: []}
    for _ in range(rounds):
        for function in (ours, theirs):
            start = time.perf_counter()
            function()
            times[function].append(time.perf_counter() - start)
    return min(times[ours]), min(times[theirs])


def _compare(benchmark, ours, theirs, limit, label):
    ours()                                          # warm-up
    theirs()
    our_time, their_time = _interleaved_best_times(ours, theirs)
    benchmark.pedantic(ours, rounds=3, iterations=1)   # pytest-benchmark's own table
    ratio = our_time / their_time
    benchmark.extra_info.update({"sklearn_min_s": their_time, "ours_min_s": our_time,
                                 "ratio": ratio, "limit": limit})
    print(f"\n{label}: ours {our_time * 1e3:.1f} ms, scikit-learn {their_time * 1e3:.1f} ms, "
          f"ratio {ratio:.2f} (limit {limit or 'none'})")
    if limit is not None:
        assert ratio <= limit, f"{label}: {ratio:.2f}× scikit-learn's time, limit {limit}×"


def test_ridge_normal_equations_vs_sklearn_cholesky(benchmark, regression):
    X, y = regression
    _compare(benchmark, lambda: ridge(X, y, 1.0, method="normal"),
             lambda: Ridge(alpha=1.0, solver="cholesky").fit(X, y), 1.5,
             "ridge (normal equations) vs Ridge(solver='cholesky')")


def test_ridge_svd_vs_sklearn_svd(benchmark, regression):
    X, y = regression
    _compare(benchmark, lambda: ridge(X, y, 1.0, method="svd"),
             lambda: Ridge(alpha=1.0, solver="svd").fit(X, y), None,
             "ridge (SVD, informational) vs Ridge(solver='svd')")


def test_pinv_least_squares_vs_sklearn_linear_regression(benchmark, regression):
    X, y = regression
    _compare(benchmark, lambda: least_squares(X, y), lambda: LinearRegression().fit(X, y), 1.5,
             "least squares (pinv) vs LinearRegression")


def test_one_mlp_epoch_vs_sklearn_sgd_epoch(benchmark, mlp_data):
    X, y = mlp_data
    N = len(y)
    Y = y[:, None]
    theirs = MLPRegressor(hidden_layer_sizes=(64,), activation="logistic", solver="sgd",
                          batch_size=N, momentum=0.0, alpha=0.0, learning_rate_init=0.1,
                          shuffle=False, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        theirs.partial_fit(X, y)                  # initialisation, outside the timing
    ours = MLP.initialize([100, 64, 1], seed=0)
    _compare(benchmark, lambda: ours.fit(X, Y, epochs=1, alpha=0.1),
             lambda: theirs.partial_fit(X, y), 1.0,
             "one full-batch MLP epoch (100-64-1, N=20000) vs MLPRegressor(sgd)")
