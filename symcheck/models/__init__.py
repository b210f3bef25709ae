"""NumPy reference models for Homework 4, in float64, with their backward rules beside them.

- Least squares and ridge (``‖y − Xβ‖² + λ‖β‖²``, intercept unpenalised): :func:`least_squares`,
  :func:`ridge` (``method="svd"`` or ``"normal"``), :func:`ridge_path`.
- The 2-2-1 network of section 3.1: :class:`Net221`; its local formulas as plain data are
  :mod:`symcheck.models.net221_graph` (no SymPy), its SymPy graph built from them is
  :mod:`symcheck.models.net221_symbolic`.
- Sigmoid MLPs with MSE loss (section 3.4 and the bonus): :class:`MLP`, a list of
  :class:`Dense` layers; the symbolic chain rule is :mod:`symcheck.models.mlp_symbolic`.
- Section 4: :func:`evaluate` (what ``symcheck evaluate`` runs).

>>> fit = ridge([[1.0], [2.0], [3.0]], [1.0, 2.0, 3.5], 0.0)
>>> round(float(fit.coef[0]), 6), round(fit.intercept, 6)
(1.25, -0.333333)
"""

from symcheck.models._evaluate import (DEFAULT_LAMBDAS, EvaluationReport, cross_validated_mse,
                                       evaluate, kfold_held_out, rmse)
from symcheck.models._linear import LinearFit, least_squares, ridge, ridge_path
from symcheck.models._mlp import MLP, Dense, TrainingHistory, mse, mse_gradient
from symcheck.models._net221 import WEIGHT_NAMES, Net221

__all__ = ["DEFAULT_LAMBDAS", "Dense", "EvaluationReport", "LinearFit", "MLP", "Net221",
           "TrainingHistory", "WEIGHT_NAMES", "cross_validated_mse", "evaluate", "kfold_held_out", "least_squares", "mse",
           "mse_gradient", "ridge", "ridge_path", "rmse"]
