"""The sigmoid MLPs: NumPy backprop against central differences, against the symbolic chain
rule (lambdified), against the homework's formulas typed in here, and against scikit-learn."""

import numpy as np
import pytest
from hypothesis import given, strategies as st

from models_finite_differences import central_gradient
from symcheck.errors import UsageError
from symcheck.models import MLP, Dense, mse
from symcheck.models import mlp_symbolic
from symcheck.tolerances import TOLERANCES

CENTRAL = TOLERANCES["central"]


def _data(seed, N, m, k):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(N, m)), rng.normal(size=(N, k))


def _net(sizes, seed, mean_over):
    net = MLP.initialize(sizes, seed=seed, mean_over=mean_over)
    rng = np.random.default_rng(seed + 1)
    for layer in net.layers:                      # non-zero biases, so their gradients matter
        layer.b[:] = rng.normal(size=layer.b.shape)
    return net


def instances(symbolic, mean_over):
    """Draw (X, Y, net) for the architecture of ``symbolic`` with random sizes and seed."""
    def build(N, m, k, hidden, seed):
        sizes = [m, *hidden[:len(symbolic.layers) - 1], k]
        return (*_data(seed, N, m, k), _net(sizes, seed, mean_over))

    return st.builds(build, st.integers(1, 6), st.integers(1, 4), st.integers(1, 3),
                     st.lists(st.integers(1, 4), min_size=2, max_size=2),
                     st.integers(0, 2**31 - 1))


architectures = st.builds(lambda m, hidden, k: [m, *hidden, k], st.integers(1, 4),
                          st.lists(st.integers(1, 4), min_size=1, max_size=2), st.integers(1, 3))


@given(sizes=architectures, N=st.integers(1, 6), seed=st.integers(0, 2**31 - 1),
       mean_over=st.sampled_from(["samples", "entries"]))
def test_backprop_equals_central_differences_of_the_mse(sizes, N, seed, mean_over):
    X, Y = _data(seed, N, sizes[0], sizes[-1])
    net = _net(sizes, seed, mean_over)
    net.loss(X, Y)
    net.backward(Y)
    for param, grad in zip(net.parameters(), net.gradients()):
        assert grad.shape == param.shape

        def loss_at(value, param=param):
            saved = param.copy()
            param[...] = value
            try:
                return net.loss(X, Y)
            finally:
                param[...] = saved

        want = central_gradient(loss_at, param.copy())
        np.testing.assert_allclose(grad, want, rtol=CENTRAL.rtol, atol=CENTRAL.atol)


@given(N=st.integers(1, 6), m=st.integers(1, 4), n=st.integers(1, 4), k=st.integers(1, 3),
       seed=st.integers(0, 2**31 - 1))
def test_one_hidden_layer_matches_the_homework_formulas(N, m, n, k, seed):
    # Section 3.4, written out independently with NumPy:
    #   ∂MSE/∂W_o = (2/N) Hᵀ(Ŷ − Y),  ∂MSE/∂b_o = (2/N) Σᵢ(Ŷᵢ − Yᵢ)
    #   δ_h = (2/N)(Ŷ − Y)W_oᵀ ∘ H ∘ (1 − H),  ∂MSE/∂W_h = Xᵀδ_h,  ∂MSE/∂b_h = Σᵢ δ_h,i
    X, Y = _data(seed, N, m, k)
    net = _net([m, n, k], seed, "samples")
    W_h, b_h, W_o, b_o = (p.copy() for p in net.parameters())
    H = 1 / (1 + np.exp(-(X @ W_h + b_h.T)))
    Y_hat = H @ W_o + b_o.T
    delta_h = (2 / N) * (Y_hat - Y) @ W_o.T * H * (1 - H)
    want = [X.T @ delta_h, delta_h.sum(0)[:, None], (2 / N) * H.T @ (Y_hat - Y),
            (2 / N) * (Y_hat - Y).sum(0)[:, None]]
    net.loss(X, Y)
    net.backward(Y)
    for got, expected in zip(net.gradients(), want):
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("build", [mlp_symbolic.one_hidden_layer, mlp_symbolic.two_hidden_layers])
@pytest.mark.parametrize("mean_over", ["samples", "entries"])
def test_symbolic_chain_rule_equals_numpy_backprop(build, mean_over):
    symbolic = build()
    evaluate = symbolic.lambdify(symbolic.chain_rule(mean_over=mean_over).gradients)
    loss = symbolic.lambdify({"mse": mlp_symbolic.mse_expression(
        symbolic.forward()["Y_hat"], symbolic.Y, mean_over=mean_over)})

    @given(instances(symbolic, mean_over))
    def check(instance):
        X, Y, net = instance
        params = [p.copy() for p in net.parameters()]
        got = evaluate(X, Y, *params)
        assert float(loss(X, Y, *params)["mse"]) == pytest.approx(net.loss(X, Y), rel=1e-12)
        net.backward(Y)
        for (name, value), want in zip(got.items(), net.gradients()):
            np.testing.assert_allclose(value, want, rtol=1e-11, atol=1e-13, err_msg=name)

    check()


def test_symbolic_forms_read_as_in_the_homework():
    grads = mlp_symbolic.one_hidden_layer().chain_rule(named_activations=True).gradients
    assert str(grads["W_o"]) == "(2/N)*H.T*(-Y + Y_hat)"
    assert str(grads["W_h"]).startswith("X.T*(HadamardProduct(")
    two = mlp_symbolic.two_hidden_layers().chain_rule(named_activations=True).gradients
    assert list(two) == ["W_h1", "b_h1", "W_h2", "b_h2", "W_o", "b_o"]
    assert str(two["W_h2"]).startswith("H1.T*")


def test_mean_over_entries_divides_the_gradient_by_k():
    X, Y = _data(0, 5, 3, 4)
    grads = {}
    for mean_over in ("samples", "entries"):
        net = _net([3, 2, 4], 0, mean_over)
        grads[mean_over] = (net.loss(X, Y), net.backward(Y), net.gradients())
    assert grads["samples"][0] == pytest.approx(4 * grads["entries"][0], rel=1e-14)
    for a, b in zip(grads["samples"][2], grads["entries"][2]):
        np.testing.assert_allclose(a, 4 * b, rtol=1e-14)


def test_two_layer_mlp_is_a_list_of_the_same_layers():
    net = MLP.initialize([3, 4, 5, 1], seed=0)
    assert [type(layer) for layer in net.layers] == [Dense, Dense, Dense]
    assert [layer.activation for layer in net.layers] == ["sigmoid", "sigmoid", "identity"]
    assert [layer.W.shape for layer in net.layers] == [(3, 4), (4, 5), (5, 1)]
    assert [layer.b.shape for layer in net.layers] == [(4, 1), (5, 1), (1, 1)]


def test_training_is_seeded_and_full_batch_equals_batch_size_n():
    X, Y = _data(3, 40, 3, 1)
    runs = [MLP.initialize([3, 5, 1], seed=7) for _ in range(3)]
    h0 = runs[0].fit(X, Y, epochs=30, alpha=0.1, batch_size=8, seed=1)
    h1 = runs[1].fit(X, Y, epochs=30, alpha=0.1, batch_size=8, seed=1)
    assert h0.train == h1.train and h0.train[-1] < h0.train[0]
    full = MLP.initialize([3, 5, 1], seed=7)
    h_full = full.fit(X, Y, epochs=5, alpha=0.1)
    h_n = runs[2].fit(X, Y, epochs=5, alpha=0.1, batch_size=40)
    assert h_full.train == h_n.train


def test_one_full_batch_sgd_step_matches_sklearn():
    neural = pytest.importorskip("sklearn.neural_network")
    X, Y = _data(11, 30, 4, 1)
    y = Y[:, 0]
    ours = _net([4, 6, 1], 11, "samples")
    alpha = 0.1
    theirs = neural.MLPRegressor(hidden_layer_sizes=(6,), activation="logistic", solver="sgd",
                                 momentum=0.0, nesterovs_momentum=False, alpha=0.0,
                                 learning_rate_init=alpha, batch_size=30, max_iter=1,
                                 shuffle=False, random_state=0)
    theirs.partial_fit(X, y)          # allocates the coefficient arrays
    theirs.coefs_ = [layer.W.copy() for layer in ours.layers]
    theirs.intercepts_ = [layer.b[:, 0].copy() for layer in ours.layers]
    theirs._optimizer.params = theirs.coefs_ + theirs.intercepts_
    theirs.partial_fit(X, y)
    # sklearn's squared loss is ½·mean, i.e. MSE/2: one of its steps with rate α equals one
    # of ours with rate α/2.
    ours.loss(X, Y)
    ours.backward(Y)
    ours.step(alpha / 2)
    for layer, W, b in zip(ours.layers, theirs.coefs_, theirs.intercepts_):
        np.testing.assert_allclose(layer.W, W, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(layer.b[:, 0], b, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("call, fragment", [
    (lambda: MLP.initialize([3], seed=0), "sizes=[3]"),
    (lambda: MLP.initialize([3, 0, 1], seed=0), "sizes=[3, 0, 1]"),
    (lambda: MLP.initialize([3, 2, 1], mean_over="all"), "mean_over='all'"),
    (lambda: mse(np.zeros((2, 1)), np.zeros((2, 1)), mean_over="mean"), "mean_over='mean'"),
    (lambda: Dense(np.ones((1, 1)), np.zeros((1, 1)), "relu"), "activation='relu'"),
    (lambda: MLP.initialize([1, 1, 1]).fit(np.ones((2, 1)), np.ones((2, 1)), batch_size=0),
     "batch_size=0"),
    (lambda: mlp_symbolic.one_hidden_layer().chain_rule(mean_over="x"), "mean_over='x'"),
])
def test_bad_calls_raise_usage_errors(call, fragment):
    with pytest.raises(UsageError) as info:
        call()
    assert fragment in str(info.value)


@pytest.mark.parametrize("build", [mlp_symbolic.one_hidden_layer, mlp_symbolic.two_hidden_layers])
@pytest.mark.parametrize("mean_over", ["samples", "entries"])
def test_calculus_engine_derivative_of_the_mse_equals_the_chain_rule(build, mean_over):
    from symcheck import calculus
    symbolic = build()
    mse_expr = mlp_symbolic.mse_expression(symbolic.forward()["Y_hat"], symbolic.Y,
                                           mean_over=mean_over)
    engine = symbolic.lambdify({p.name: calculus.derive(mse_expr, p).expr
                                for p in symbolic.parameters})
    chain = symbolic.lambdify(symbolic.chain_rule(mean_over=mean_over).gradients)

    @given(instances(symbolic, mean_over))
    def check(instance):
        X, Y, net = instance
        params = [p.copy() for p in net.parameters()]
        got, want = engine(X, Y, *params), chain(X, Y, *params)
        for name in want:
            np.testing.assert_allclose(got[name], want[name], rtol=1e-11, atol=1e-13,
                                       err_msg=name)

    check()
