"""Closed-form derivatives from the literature, written directly in NumPy: the test oracles' prey.

Each case is a scalar function of matrices, a hand-derived gradient of one argument, and a
hypothesis strategy for well-scaled arguments with sizes 1..6.  Sources:
HW4 = the homework key (/work/shared/seed/hw4.md), MC = The Matrix Cookbook (Petersen &
Pedersen, 2012), ESL = Hastie, Tibshirani & Friedman, Elements of Statistical Learning §3.4.1,
and the backpropagation equations of Goodfellow, Bengio & Courville, Deep Learning §6.5.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from hypothesis import strategies as st

from symcheck.testing import matrices

__all__ = ["Case", "GRADIENT_CASES", "HESSIAN_CASES", "JACOBIAN_CASES", "sigmoid"]

SIDE = st.integers(1, 6)


@dataclass(frozen=True)
class Case:
    """A function, a closed-form derivative of args[wrt], and a strategy for args."""

    key: str
    name: str
    source: str
    f: Callable
    derivative: Callable
    wrt: int
    args: st.SearchStrategy


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


@st.composite
def _args(draw, *shapes):
    """Draw sizes for the letters in ``shapes`` and a matrix for each shape ('n','m' or ints)."""
    sizes: dict[str, int] = {}
    out = []
    for shape in shapes:
        if shape == "lam":
            out.append(draw(st.floats(0.1, 2.0)))
            continue
        concrete = tuple(s if isinstance(s, int) else sizes.setdefault(s, draw(SIDE)) for s in shape)
        out.append(draw(matrices(concrete)))
    return tuple(out)


# --- 1.1 f(x) = MᵀMx: Jacobian MᵀM (HW4 1.1; MC eq. 69 for d(Ax)/dx = A) ---------------------
JACOBIAN_CASES = [
    Case("hw1.1", "HW 1.1  f = MᵀMx, J = MᵀM", "HW4 1.1; MC §2.4 (∂(Ax)/∂x = A)",
         lambda M, x: M.T @ M @ x, lambda M, x: M.T @ M, 1, _args(("m", "m"), ("m", 1))),
]


# --- MLP with one sigmoid hidden layer and linear output, MSE loss ------------------------------
# H = σ(X W_h + 1 b_h)  (N×h);  Ŷ = H W_o + 1 b_o  (N×o);  L = (1/N) Σ (Ŷ − Y)²
def _mlp_forward(X, W_h, b_h, W_o, b_o):
    H = sigmoid(X @ W_h + b_h)
    return H, H @ W_o + b_o


def mlp_loss(X, Y, W_h, b_h, W_o, b_o):
    _, Y_hat = _mlp_forward(X, W_h, b_h, W_o, b_o)
    return np.sum((Y_hat - Y) ** 2) / X.shape[0]


def _mlp_grads(X, Y, W_h, b_h, W_o, b_o):
    H, Y_hat = _mlp_forward(X, W_h, b_h, W_o, b_o)
    N = X.shape[0]
    delta_o = 2 / N * (Y_hat - Y)                    # ∂L/∂Ŷ = (2/N)(Ŷ − Y)      (N×o)
    delta_h = (delta_o @ W_o.T) * H * (1 - H)        # δ_h = (2/N)(Ŷ−Y)W_oᵀ ∘ H ∘ (1−H)  (N×h)
    return {"W_o": H.T @ delta_o,                    # ∂L/∂W_o = (2/N) Hᵀ(Ŷ − Y)  (h×o)
            "b_o": delta_o.sum(axis=0, keepdims=True),  # column sums             (1×o)
            "W_h": X.T @ delta_h,                    # ∂L/∂W_h = Xᵀ δ_h           (d×h)
            "b_h": delta_h.sum(axis=0, keepdims=True)}  # column sums             (1×h)


_MLP_ARGS = _args(("N", "d"), ("N", "o"), ("d", "h"), (1, "h"), ("h", "o"), (1, "o"))
_MLP_POSITION = {"W_h": 2, "b_h": 3, "W_o": 4, "b_o": 5}


def _mlp_case(name: str, formula: str) -> Case:
    return Case(f"mlp-{name}", f"MLP  ∂L/∂{name} = {formula}", "Goodfellow et al. §6.5 (backprop)",
                mlp_loss, lambda *args: _mlp_grads(*args)[name], _MLP_POSITION[name], _MLP_ARGS)


GRADIENT_CASES = [
    Case("hw1.2", "HW 1.2  ∇ tr(MX) = Mᵀ", "HW4 1.2; MC (100)",
         lambda M, X: np.trace(M @ X), lambda M, X: M.T, 1, _args(("m", "n"), ("n", "m"))),
    Case("hw1.3", "HW 1.3  ∇ tr(XXᵀ) = 2X", "HW4 1.3; MC §2.5.2",
         lambda X: np.trace(X @ X.T), lambda X: 2 * X, 0, _args(("n", "m"))),
    Case("hw1.4", "HW 1.4  ∇ aᵀXb = abᵀ", "HW4 1.4; MC (70)",
         lambda a, X, b: (a.T @ X @ b).item(), lambda a, X, b: a @ b.T, 1,
         _args(("m", 1), ("m", "n"), ("n", 1))),
    Case("hw1.5", "HW 1.5  ∇ aᵀXᵀXb = X(abᵀ+baᵀ)", "HW4 1.5; MC (77)",
         lambda a, X, b: (a.T @ X.T @ X @ b).item(), lambda a, X, b: X @ (a @ b.T + b @ a.T), 1,
         _args(("m", 1), ("n", "m"), ("m", 1))),
    Case("ridge", "ridge  ∇ = 2(XᵀX+λI)β − 2Xᵀy", "ESL (3.43)-(3.44)",
         lambda X, y, beta, lam: (np.sum((y - X @ beta) ** 2) + lam * np.sum(beta ** 2)),
         lambda X, y, beta, lam: 2 * (X.T @ X + lam * np.eye(X.shape[1])) @ beta - 2 * X.T @ y, 2,
         _args(("N", "d"), ("N", 1), ("d", 1), "lam")),
    _mlp_case("W_o", "(2/N)Hᵀ(Ŷ−Y)"),
    _mlp_case("b_o", "column sums of (2/N)(Ŷ−Y)"),
    _mlp_case("W_h", "Xᵀδ_h"),
    _mlp_case("b_h", "column sums of δ_h"),
]


def _hessian_15(a, X, b):
    # d²f = 2 aᵀdXᵀdX b  ⇒  H = (abᵀ + baᵀ) ⊗ I_n for X n×m (vec-Hessian, column-major vec)
    return np.kron(a @ b.T + b @ a.T, np.eye(X.shape[0]))


HESSIAN_CASES = [
    Case("hw1.2-hessian", "HW 1.2  H tr(MX) = 0", "HW4 1.2",
         lambda M, X: np.trace(M @ X), lambda M, X: np.zeros((X.size, X.size)), 1,
         _args(("m", "n"), ("n", "m"))),
    Case("hw1.3-hessian", "HW 1.3  H tr(XXᵀ) = 2I", "HW4 1.3",
         lambda X: np.trace(X @ X.T), lambda X: 2 * np.eye(X.size), 0, _args(("n", "m"))),
    Case("hw1.5-hessian", "HW 1.5  H aᵀXᵀXb = (abᵀ+baᵀ)⊗I", "HW4 1.5; MC (520) vec(AXB) = (Bᵀ⊗A)vec X",
         lambda a, X, b: (a.T @ X.T @ X @ b).item(), _hessian_15, 1,
         _args(("m", 1), ("n", "m"), ("m", 1))),
    Case("ridge-hessian", "ridge  H = 2(XᵀX+λI)", "ESL (3.43)",
         lambda X, y, beta, lam: (np.sum((y - X @ beta) ** 2) + lam * np.sum(beta ** 2)),
         lambda X, y, beta, lam: 2 * (X.T @ X + lam * np.eye(X.shape[1])), 2,
         _args(("N", "d"), ("N", 1), ("d", 1), "lam")),
]
