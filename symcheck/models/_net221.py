"""The 2-2-1 network of Homework 4, section 3.1, in float64.

Inputs x1, x2; hidden node 3 is a sigmoid, node 4 a tanh; output node 5 is linear; no bias.
Loss L = (ŷ − a5)², where ŷ is the *target* (the homework's notation).  One gradient-descent
step updates W ← W − α ∂L/∂W (α = 0.1 in the homework).

tanh′(z4) is computed as sech²(z4), which equals 1 − a4² but keeps full relative precision
when a4 is close to ±1 (3.3 has a4 ≈ 0.9992).

Every value has the name the symbolic graph (:mod:`symcheck.models.net221_symbolic`) uses,
so the two can be compared node by node.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from symcheck.models._mlp import sigmoid

__all__ = ["WEIGHT_NAMES", "Net221"]

WEIGHT_NAMES = ("W13", "W14", "W23", "W24", "W35", "W45")


def _sigmoid(t: float) -> float:
    # σ(t) = 1 / (1 + e^(−t)): the MLP's sigmoid, on one number
    return float(sigmoid(np.array(t, dtype=np.float64)))


@dataclass
class Net221:
    """The 2-2-1 network; ``forward``, ``loss``, ``backward`` and ``step`` as in micrograd.

    >>> net = Net221(W13=1, W14=-1, W23=2, W24=-3, W35=2, W45=-1)
    >>> round(net.forward(1.0, -1.0), 6)
    -0.426145
    >>> grads = net.backward(target=1.0)
    >>> round(grads["W35"], 6)
    -0.767099
    """

    W13: float
    W14: float
    W23: float
    W24: float
    W35: float
    W45: float
    values: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def weights(self) -> dict[str, float]:
        """Return the six weights as a dict ``name -> value``."""
        return {name: float(getattr(self, name)) for name in WEIGHT_NAMES}

    def forward(self, x1: float, x2: float) -> float:
        """Return the output a5 for inputs (x1, x2); remember every intermediate value."""
        v = self.values = {"x1": float(x1), "x2": float(x2)}
        v["z3"] = self.W13 * v["x1"] + self.W23 * v["x2"]    # z3 = W13 x1 + W23 x2
        v["a3"] = _sigmoid(v["z3"])                          # a3 = σ(z3)
        v["z4"] = self.W14 * v["x1"] + self.W24 * v["x2"]    # z4 = W14 x1 + W24 x2
        v["a4"] = math.tanh(v["z4"])                         # a4 = tanh(z4)
        v["a5"] = self.W35 * v["a3"] + self.W45 * v["a4"]    # a5 = W35 a3 + W45 a4
        return v["a5"]

    def loss(self, target: float) -> float:
        """Return L = (target − a5)² for the last forward pass."""
        v = self._forwarded()
        v["target"] = float(target)
        v["loss"] = (v["target"] - v["a5"]) ** 2             # L = (ŷ − a5)²
        return v["loss"]

    def backward(self, target: float) -> dict[str, float]:
        """Return ∂L/∂W for each weight (``{"W13": …}``), backpropagating from the last forward."""
        v = self._forwarded()
        self.loss(target)
        v["dL_da5"] = -2.0 * (v["target"] - v["a5"])         # ∂L/∂a5 = −2 (ŷ − a5)
        v["grad_W35"] = v["dL_da5"] * v["a3"]                # ∂L/∂W35 = ∂L/∂a5 · a3
        v["grad_W45"] = v["dL_da5"] * v["a4"]                # ∂L/∂W45 = ∂L/∂a5 · a4
        v["dL_da4"] = v["dL_da5"] * self.W45                 # ∂L/∂a4 = ∂L/∂a5 · W45
        v["tanh_prime"] = math.cosh(v["z4"]) ** -2           # tanh′(z4) = 1 − a4² = sech²(z4)
        v["dL_dz4"] = v["dL_da4"] * v["tanh_prime"]          # ∂L/∂z4 = ∂L/∂a4 · (1 − a4²)
        v["grad_W14"] = v["dL_dz4"] * v["x1"]                # ∂L/∂W14 = ∂L/∂z4 · x1
        v["grad_W24"] = v["dL_dz4"] * v["x2"]                # ∂L/∂W24 = ∂L/∂z4 · x2
        v["dL_da3"] = v["dL_da5"] * self.W35                 # ∂L/∂a3 = ∂L/∂a5 · W35
        v["sigmoid_prime"] = v["a3"] * (1.0 - v["a3"])       # σ′(z3) = a3 (1 − a3)
        v["dL_dz3"] = v["dL_da3"] * v["sigmoid_prime"]       # ∂L/∂z3 = ∂L/∂a3 · a3 (1 − a3)
        v["grad_W13"] = v["dL_dz3"] * v["x1"]                # ∂L/∂W13 = ∂L/∂z3 · x1
        v["grad_W23"] = v["dL_dz3"] * v["x2"]                # ∂L/∂W23 = ∂L/∂z3 · x2
        return {name: v[f"grad_{name}"] for name in WEIGHT_NAMES}

    def step(self, target: float, *, alpha: float = 0.1) -> "Net221":
        """Return a new network after one gradient-descent step W ← W − α ∂L/∂W."""
        grads = self.backward(target)
        new = {name: getattr(self, name) - alpha * grads[name] for name in WEIGHT_NAMES}
        for name, value in new.items():
            self.values[f"new_{name}"] = value
        return replace(self, **new, values={})

    def iteration(self, x1: float, x2: float, target: float, *, alpha: float = 0.1) -> dict:
        """Return every named value of one forward, backward and update (z3 … new_W45).

        >>> trace = Net221(1, -1, 2, -3, 2, -1).iteration(1.0, -1.0, 1.0)
        >>> round(trace["new_W13"], 6), round(trace["loss"], 6)
        (1.112159, 2.033889)
        """
        self.forward(x1, x2)
        self.step(target, alpha=alpha)
        return dict(self.values)

    def _forwarded(self) -> dict:
        if "a5" not in self.values:
            from symcheck.errors import UsageError

            raise UsageError("no forward pass yet", where="Net221",
                             fix="call net.forward(x1, x2) before loss/backward/step")
        return self.values
