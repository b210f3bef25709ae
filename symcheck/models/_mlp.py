"""Sigmoid MLPs with MSE loss: matrix-form backprop, vectorised over the batch.

Shapes (section 3.4): X (N×m), Y (N×k).  A layer holds W (fan_in×fan_out) and b
(fan_out×1) and computes A = act(X W + 1_N bᵀ).  The one-hidden-layer MLP is
``[Dense(m, n, "sigmoid"), Dense(n, k, "identity")]``; the two-hidden-layer MLP of the bonus
is the same list with one more sigmoid layer — there is one backprop, in :class:`Dense`.

MSE convention for k outputs (the key's formula is ambiguous when k > 1):

- ``mean_over="samples"`` (default): MSE = (1/N) Σᵢ ‖Yᵢ − Ŷᵢ‖²  (sum over outputs, mean
  over samples); ∂MSE/∂Ŷ = (2/N)(Ŷ − Y).
- ``mean_over="entries"``: MSE = (1/(N·k)) Σᵢⱼ (Yᵢⱼ − Ŷᵢⱼ)²; ∂MSE/∂Ŷ = (2/(N·k))(Ŷ − Y).

The two agree when k = 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from symcheck.errors import UsageError

__all__ = ["Dense", "MLP", "TrainingHistory", "mse", "mse_gradient", "sigmoid"]

_MEAN_OVER = ("samples", "entries")


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Return σ(z) = 1 / (1 + e^(−z)) elementwise (e^(−z) = ∞ gives exactly 0, no warning)."""
    out = np.array(z, dtype=np.result_type(z, np.float64))   # a copy (0-d too), worked in place
    np.negative(out, out=out)
    with np.errstate(over="ignore"):
        np.exp(out, out=out)
    out += 1.0
    return np.reciprocal(out, out=out)


def _check_mean_over(mean_over: str) -> None:
    if mean_over not in _MEAN_OVER:
        raise UsageError(f"mean_over={mean_over!r} is not an MSE convention", where="mean_over",
                         fix="use mean_over='samples' (1/N) or mean_over='entries' (1/(N·k))")


def mse(Y_hat: np.ndarray, Y: np.ndarray, *, mean_over: str = "samples") -> float:
    """Return the MSE of Ŷ against Y (both N×k) under the ``mean_over`` convention.

    >>> mse(np.array([[1.0, 2.0]]), np.array([[0.0, 0.0]])), \
mse(np.array([[1.0, 2.0]]), np.array([[0.0, 0.0]]), mean_over="entries")
    (5.0, 2.5)
    """
    _check_mean_over(mean_over)
    N, k = Y.shape
    scale = N if mean_over == "samples" else N * k
    return float(np.sum((Y - Y_hat) ** 2) / scale)


def mse_gradient(Y_hat: np.ndarray, Y: np.ndarray, *, mean_over: str = "samples") -> np.ndarray:
    """Return ∂MSE/∂Ŷ = (2/N)(Ŷ − Y), or (2/(N·k))(Ŷ − Y) with ``mean_over="entries"``."""
    _check_mean_over(mean_over)
    N, k = Y.shape
    scale = N if mean_over == "samples" else N * k
    return (2.0 / scale) * (Y_hat - Y)


@dataclass
class Dense:
    """A fully connected layer A = act(X W + 1_N bᵀ), act ∈ {"sigmoid", "identity"}.

    ``forward`` remembers its input and output; ``backward`` takes ∂L/∂A, stores ``dW`` and
    ``db`` and returns ∂L/∂X.

    >>> layer = Dense(np.ones((2, 1)), np.zeros((1, 1)), "identity")
    >>> layer.forward(np.array([[1.0, 2.0]]))
    array([[3.]])
    >>> layer.backward(np.array([[1.0]]))
    array([[1., 1.]])
    """

    W: np.ndarray
    b: np.ndarray
    activation: str = "sigmoid"
    dW: np.ndarray | None = field(default=None, repr=False)
    db: np.ndarray | None = field(default=None, repr=False)

    def __post_init__(self):
        if self.activation not in ("sigmoid", "identity"):
            raise UsageError(f"activation={self.activation!r} is not supported", where="Dense",
                             fix="use activation='sigmoid' or activation='identity'")

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Return A = act(X W + 1_N bᵀ) (N×n) for X (N×m), remembering X and A."""
        self._X = X
        Z = X @ self.W
        Z += self.b.T                               # Z = X W + 1_N bᵀ        (N×n)
        self._A = sigmoid(Z) if self.activation == "sigmoid" else Z  # A = σ(Z)  (N×n)
        return self._A

    def backward(self, dA: np.ndarray, *, input_gradient: bool = True) -> np.ndarray | None:
        """Store dW, db from ∂L/∂A (N×n); return ∂L/∂X (N×m), or None if not wanted."""
        A = self._A
        if self.activation == "sigmoid":
            delta = A * (1.0 - A)
            delta *= dA                             # δ = ∂L/∂A ∘ A ∘ (1 − A)  (N×n)
        else:
            delta = dA                              # δ = ∂L/∂A                (N×n)
        self.dW = self._X.T @ delta                 # dW = Xᵀ δ               (m×n)
        self.db = delta.sum(axis=0)[:, None]        # db = δᵀ 1_N             (n×1)
        return delta @ self.W.T if input_gradient else None  # dX = δ Wᵀ      (N×m)

    def step(self, alpha: float) -> None:
        self.W -= alpha * self.dW                   # W ← W − α dW
        self.b -= alpha * self.db                   # b ← b − α db


@dataclass
class TrainingHistory:
    """Loss per epoch: ``train`` and ``validation`` (empty without validation data).

    ``train`` is the mean over the epoch of each batch's MSE before its update (with full
    batches: the MSE at the start of the epoch), as Keras and scikit-learn report it.
    """

    train: list[float] = field(default_factory=list)
    validation: list[float] = field(default_factory=list)


@dataclass
class MLP:
    """A sigmoid MLP with a linear output: a list of :class:`Dense` layers.

    >>> net = MLP.initialize([3, 4, 1], seed=0)        # one hidden layer of 4 sigmoids
    >>> X = np.ones((5, 3)); Y = np.zeros((5, 1))
    >>> before = net.loss(X, Y); net.backward(Y); net.step(0.1)
    >>> net.loss(X, Y) < before
    True
    """

    layers: list[Dense]
    mean_over: str = "samples"

    @classmethod
    def initialize(cls, sizes: Sequence[int], *, seed: int = 0, mean_over: str = "samples"
                   ) -> "MLP":
        """Return an MLP with layer sizes ``[m, n1, …, k]`` and seeded Glorot-uniform weights.

        Hidden layers are sigmoid, the last is identity; biases start at zero.
        """
        sizes = [int(s) for s in sizes]
        if len(sizes) < 2 or min(sizes) < 1:
            raise UsageError(f"sizes={sizes!r} is not a list of ≥ 2 positive sizes",
                             where="MLP.initialize", fix="write e.g. sizes=[10, 8, 1]")
        _check_mean_over(mean_over)
        rng = np.random.default_rng(seed)
        layers = []
        for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            limit = np.sqrt(6.0 / (fan_in + fan_out))
            W = rng.uniform(-limit, limit, size=(fan_in, fan_out))
            activation = "identity" if i == len(sizes) - 2 else "sigmoid"
            layers.append(Dense(W, np.zeros((fan_out, 1)), activation))
        return cls(layers, mean_over)

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Return Ŷ (N×k) for X (N×m)."""
        for layer in self.layers:
            X = layer.forward(X)
        return X

    def loss(self, X: np.ndarray, Y: np.ndarray) -> float:
        """Run the forward pass and return the MSE against Y (N×k)."""
        self._Y_hat = self.forward(X)
        return mse(self._Y_hat, Y, mean_over=self.mean_over)

    def backward(self, Y: np.ndarray) -> None:
        """Backpropagate the MSE of the last forward pass; fills every layer's dW and db."""
        grad = mse_gradient(self._Y_hat, Y, mean_over=self.mean_over)  # ∂MSE/∂Ŷ  (N×k)
        for i, layer in reversed(list(enumerate(self.layers))):
            grad = layer.backward(grad, input_gradient=i > 0)   # ∂MSE/∂X is not needed

    def step(self, alpha: float) -> None:
        """Apply one gradient-descent update W ← W − α ∂MSE/∂W to every layer."""
        for layer in self.layers:
            layer.step(alpha)

    def parameters(self) -> list[np.ndarray]:
        """Return [W1, b1, W2, b2, …] (the arrays themselves, not copies)."""
        return [p for layer in self.layers for p in (layer.W, layer.b)]

    def gradients(self) -> list[np.ndarray]:
        """Return [dW1, db1, dW2, db2, …] from the last backward pass."""
        return [g for layer in self.layers for g in (layer.dW, layer.db)]

    def fit(self, X: np.ndarray, Y: np.ndarray, *, epochs: int = 100, alpha: float = 0.1,
            batch_size: int | None = None, seed: int = 0,
            validation: tuple[np.ndarray, np.ndarray] | None = None,
            on_epoch: Callable[[int, float], None] | None = None) -> TrainingHistory:
        """Train by gradient descent and return the loss history.

        Args:
            X, Y: training rows (N×m), (N×k).
            epochs: passes over the data (default 100).
            alpha: learning rate (default 0.1).
            batch_size: rows per step; None (default) is full-batch gradient descent.
            seed: seeds the shuffling of mini-batches (default 0).
            validation: optional (X_val, Y_val) whose MSE is recorded after each epoch.
            on_epoch: optional callback ``(epoch, train_loss)``, e.g. a progress bar.
        """
        N = X.shape[0]
        batch = N if batch_size is None else int(batch_size)
        if batch < 1:
            raise UsageError(f"batch_size={batch_size!r} is not positive", where="MLP.fit",
                             fix="use batch_size=None (full batch) or a positive integer")
        rng = np.random.default_rng(seed)
        history = TrainingHistory()
        for epoch in range(int(epochs)):
            order = rng.permutation(N) if batch < N else np.arange(N)
            total = 0.0
            for start in range(0, N, batch):
                rows = order[start:start + batch] if batch < N else slice(None)
                total += self.loss(X[rows], Y[rows]) * len(order[start:start + batch])
                self.backward(Y[rows])
                self.step(alpha)
            history.train.append(total / N)
            if validation is not None:
                history.validation.append(
                    mse(self.forward(validation[0]), validation[1], mean_over=self.mean_over))
            if on_epoch is not None:
                on_epoch(epoch, history.train[-1])
        return history
