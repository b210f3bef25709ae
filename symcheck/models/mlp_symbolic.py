"""The MLP gradients of section 3.4 as SymPy matrix expressions, by a symbolic chain rule.

The chain rule runs over a list of layers, the same way the NumPy backprop in
:mod:`symcheck.models._mlp` does, so the one- and two-hidden-layer closed forms come from one
piece of code and are never typed in by hand.  For a layer A = act(A₋ W + 1_N bᵀ):

    δ     = G ∘ A ∘ (1 − A)       (sigmoid; δ = G for the identity output)
    ∂W    = A₋ᵀ δ                 (shape of W)
    ∂b    = δᵀ 1_N                (shape of b, a column)
    G₋    = δ Wᵀ                  (∂MSE/∂A₋, passed to the layer below)

starting from G = ∂MSE/∂Ŷ = (2/N)(Ŷ − Y) (or (2/(N·k))(Ŷ − Y) with ``mean_over="entries"``).
For one hidden layer this gives ∂MSE/∂W_o = (2/N) Hᵀ(Ŷ − Y),
δ_h = (2/N)(Ŷ − Y) W_oᵀ ∘ H ∘ (1 − H) and ∂MSE/∂W_h = Xᵀ δ_h.

>>> grads = one_hidden_layer().chain_rule(named_activations=True)
>>> grads.gradients["W_o"]
(2/N)*H.T*(-Y + Y_hat)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import sympy as sp
from sympy.matrices.expressions import MatrixExpr, MatrixSymbol, OneMatrix
from sympy.printing.numpy import NumPyPrinter

from symcheck.errors import UsageError
from symcheck.expr import dimension, sigmoid

__all__ = ["SymbolicLayer", "SymbolicMLP", "ChainRule", "one_hidden_layer",
           "two_hidden_layers", "mse_expression"]


@dataclass(frozen=True)
class SymbolicLayer:
    """One layer: weight W (fan_in×fan_out), bias b (fan_out×1), activation, output name."""

    W: MatrixSymbol
    b: MatrixSymbol
    activation: str
    output: str


@dataclass(frozen=True)
class ChainRule:
    """The result of :meth:`SymbolicMLP.chain_rule`: activations, δ's and gradients by name."""

    activations: dict[str, MatrixExpr]
    deltas: dict[str, MatrixExpr]
    gradients: dict[str, MatrixExpr]


@dataclass(frozen=True)
class SymbolicMLP:
    """An MLP as MatrixSymbols: X (N×m), Y (N×k) and a list of :class:`SymbolicLayer`."""

    X: MatrixSymbol
    Y: MatrixSymbol
    layers: tuple[SymbolicLayer, ...]
    dims: tuple[sp.Symbol, ...] = field(default=())

    @property
    def N(self) -> sp.Symbol:
        return self.X.shape[0]

    @property
    def parameters(self) -> tuple[MatrixSymbol, ...]:
        """Return (W1, b1, W2, b2, …) in layer order."""
        return tuple(p for layer in self.layers for p in (layer.W, layer.b))

    def forward(self, *, named_activations: bool = False) -> dict[str, MatrixExpr]:
        """Return each layer's output by name; Ŷ is ``"Y_hat"``.

        With ``named_activations`` each output is a fresh MatrixSymbol (H, H1, Y_hat …), so
        closed forms read as in the homework; otherwise they are expanded in X, W, b.
        """
        ones = OneMatrix(self.N, 1)
        A, out = self.X, {}
        for layer in self.layers:
            Z = A * layer.W + ones * layer.b.T                  # Z = A₋ W + 1_N bᵀ
            A = Z.applyfunc(sigmoid) if layer.activation == "sigmoid" else Z
            out[layer.output] = A
            if named_activations:
                A = MatrixSymbol(layer.output, *Z.shape)
                out[layer.output] = A
        return out

    def chain_rule(self, *, mean_over: str = "samples", named_activations: bool = False
                   ) -> ChainRule:
        """Return the gradients of the MSE w.r.t. every W and b, by the chain rule over layers.

        Args:
            mean_over: ``"samples"`` (1/N, default) or ``"entries"`` (1/(N·k)).
            named_activations: keep H, Y_hat … as symbols (for display) instead of expanding.
        """
        if mean_over not in ("samples", "entries"):
            raise UsageError(f"mean_over={mean_over!r} is not an MSE convention",
                             where="chain_rule", fix="use 'samples' or 'entries'")
        acts = self.forward(named_activations=named_activations)
        inputs = [self.X] + [acts[layer.output] for layer in self.layers[:-1]]
        Y_hat = acts[self.layers[-1].output]
        N, k = self.Y.shape
        scale = N if mean_over == "samples" else N * k
        G = (2 / scale) * (Y_hat - self.Y)                       # ∂MSE/∂Ŷ
        deltas, grads = {}, {}
        for layer, A_in in zip(reversed(self.layers), reversed(inputs)):
            A = acts[layer.output]
            delta = (sp.hadamard_product(G, A, OneMatrix(*A.shape) - A)
                     if layer.activation == "sigmoid" else G)    # δ = G ∘ A ∘ (1 − A)
            deltas[layer.output] = delta
            grads[layer.W.name] = A_in.T * delta                 # ∂W = A₋ᵀ δ
            grads[layer.b.name] = delta.T * OneMatrix(N, 1)      # ∂b = δᵀ 1_N
            G = delta * layer.W.T                                # G₋ = δ Wᵀ
        order = [p.name for p in self.parameters]
        return ChainRule(acts, deltas, {name: grads[name] for name in order})

    def lambdify(self, exprs: dict[str, MatrixExpr]) -> Callable[..., dict[str, np.ndarray]]:
        """Return ``f(X, Y, W1, b1, …) -> {name: ndarray}`` evaluating ``exprs`` with NumPy."""
        args = [self.X, self.Y, *self.parameters]
        dims = sorted({d for a in args for d in a.shape if isinstance(d, sp.Symbol)}, key=str)
        funcs = {name: sp.lambdify(args + dims, expr, printer=_Printer) for name, expr in
                 exprs.items()}

        def evaluate(*arrays):
            sizes = {}
            for sym, arr in zip(args, arrays):
                for d, size in zip(sym.shape, np.shape(arr)):
                    sizes[d] = size
            dim_values = [sizes[d] for d in dims]
            return {name: np.asarray(f(*arrays, *dim_values), dtype=np.float64)
                    for name, f in funcs.items()}

        return evaluate


class _Printer(NumPyPrinter):
    """NumPy printer that also prints f.(A), SymPy's elementwise application of f."""

    def _print_ElementwiseApplyFunction(self, expr):
        variable = expr.function.variables[0]
        placeholder = sp.Symbol("_ELEMENTWISE_ARGUMENT_")
        body = self._print(expr.function.expr.xreplace({variable: placeholder}))
        return "(" + body.replace(str(placeholder), "(" + self._print(expr.expr) + ")") + ")"

    def _print_Trace(self, expr):
        return f"{self._module_format('numpy.trace')}({self._print(expr.arg)})"


def mse_expression(Y_hat: MatrixExpr, Y: MatrixExpr, *, mean_over: str = "samples") -> sp.Expr:
    """Return MSE = tr((Ŷ − Y)ᵀ(Ŷ − Y)) / N  (or / (N·k)) as a scalar matrix expression."""
    N, k = Y.shape
    scale = N if mean_over == "samples" else N * k
    R = Y_hat - Y
    return sp.Trace(R.T * R) / scale


def one_hidden_layer() -> SymbolicMLP:
    """Return the MLP of section 3.4: X (N×m) → H (N×n, sigmoid) → Ŷ (N×k)."""
    return _mlp([("h", "n")], {"h": "H"})


def two_hidden_layers() -> SymbolicMLP:
    """Return the bonus MLP: X → H1 (N×n1) → H2 (N×n2) → Ŷ (N×k), both hidden sigmoid."""
    return _mlp([("h1", "n1"), ("h2", "n2")], {"h1": "H1", "h2": "H2"})


def _mlp(hidden: list[tuple[str, str]], outputs: dict[str, str]) -> SymbolicMLP:
    N, m, k = dimension("N"), dimension("m"), dimension("k")
    layers, fan_in = [], m
    for tag, size in hidden + [("o", "k")]:
        fan_out = dimension(size)
        layers.append(SymbolicLayer(MatrixSymbol(f"W_{tag}", fan_in, fan_out),
                                    MatrixSymbol(f"b_{tag}", fan_out, 1),
                                    "identity" if tag == "o" else "sigmoid",
                                    outputs.get(tag, "Y_hat")))
        fan_in = fan_out
    dims = (N, m, *(dimension(size) for _, size in hidden), k)
    return SymbolicMLP(MatrixSymbol("X", N, m), MatrixSymbol("Y", N, k), tuple(layers), dims)
