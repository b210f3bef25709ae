"""Benchmark: the smallest corruption each gradient oracle catches, and its false alarms.

Run with ``pytest -m bench tests/bench/bench_oracles.py -s``; it prints the README table.

Instances: the hypothesis strategies of tests/verify/closed_forms.py (sizes 1..6, well-scaled
values), ``INSTANCES`` per closed form, seeded (derandomize=True).  A corruption of relative
size δ either scales the whole gradient by (1 + δ) or moves one entry by δ·max|∇|; "caught"
means the oracle rejects the corrupted gradient on every instance with max|∇| ≥ 1e-2 (below
that, absolute tolerances decide).  False alarms: correct gradients rejected, over all instances.

torch and JAX are not installed.  Their rows are RE-STATEMENTS of their default acceptance
rules in NumPy, written from their sources, not the libraries themselves:

- torch.autograd.gradcheck (torch/autograd/gradcheck.py), defaults eps=1e-6, atol=1e-5,
  rtol=1e-3: a numerical Jacobian by central differences of each input entry with absolute
  step eps, accepted iff every entry satisfies |analytical − numerical| ≤ atol + rtol·|numerical|
  (torch.allclose(analytical, numerical, rtol, atol)).
- jax.test_util.check_grads(f, (x,), order=1) (jax/_src/public_test_util.py), float64
  defaults: eps=1e-4, atol = rtol = 1e-5 (default_gradient_tolerance), each scaled by the
  output size (1 here).  Forward mode: tangent t ~ N(0, I) from RandomState(0); accepted iff
  |⟨∇, t⟩ − (f(x + eps·t) − f(x − eps·t))/(2·eps)| ≤ atol + rtol·|numerical|.  Reverse mode:
  the same t and a cotangent c ~ N(0, 1) drawn next; the same test on ⟨t, c∇⟩ against c times
  the numerical JVP.  Both modes must pass.
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from symcheck.verify import check_gradient, compare, gradient

pytestmark = pytest.mark.bench

_spec = importlib.util.spec_from_file_location(
    "closed_forms", Path(__file__).resolve().parents[1] / "verify" / "closed_forms.py")
closed_forms = sys.modules.setdefault("closed_forms", importlib.util.module_from_spec(_spec))
if not hasattr(closed_forms, "GRADIENT_CASES"):
    _spec.loader.exec_module(closed_forms)

INSTANCES = 300
DELTAS = [10.0 ** -k for k in range(13, 0, -1)]      # 1e-13 … 1e-1
SMALLEST_GRADIENT = 1e-2


@dataclass
class Instance:
    f: Callable          # f of the variable only
    x: np.ndarray
    grad: np.ndarray     # the correct closed form's value
    position: int        # the entry to corrupt


def collect(case) -> list[Instance]:
    """Return INSTANCES seeded hypothesis draws of one closed form."""
    found: list[Instance] = []

    @settings(max_examples=INSTANCES, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case.args)
    def draw(args):
        x = np.asarray(args[case.wrt], dtype=float)
        f = lambda z, args=args: case.f(*args[:case.wrt], z, *args[case.wrt + 1:])  # noqa: E731
        grad = np.asarray(case.derivative(*args), dtype=float).reshape(x.shape)
        found.append(Instance(f, x, grad, len(found) % x.size))

    draw()
    return found


def corrupt(grad: np.ndarray, position: int, delta: float, where: str) -> np.ndarray:
    if where == "scale":
        return grad * (1 + delta)
    out = grad.copy()
    out.flat[position] += delta * np.max(np.abs(grad))
    return out


# --- oracles: each turns an instance into an acceptance test for candidate gradients ---------
def symcheck_oracle(method: str):
    def prepare(inst: Instance):
        numeric = gradient(inst.f, inst.x, method=method)
        return lambda g: compare(numeric, g, kind="gradient", shape=inst.x.shape).passed
    return prepare


class _DeclaredAnalytic:
    """f declared analytic, as verify's compiled SymPy expressions are (abs-free here)."""

    analytic = True

    def __init__(self, f):
        self.f = f

    def __call__(self, x):
        return self.f(x)


def symcheck_declared_analytic(inst: Instance):
    # What `symcheck verify` runs: no cross-check up front; a closed form that misses
    # complex step is re-checked against central differences before it is rejected.
    f = _DeclaredAnalytic(inst.f)
    return lambda g: check_gradient(f, inst.x, g).passed


def torch_gradcheck_restated(inst: Instance, eps=1e-6, atol=1e-5, rtol=1e-3):
    flat = inst.x.reshape(-1)
    numerical = np.empty(flat.size)
    for k in range(flat.size):
        plus, minus = flat.copy(), flat.copy()
        plus[k] += eps
        minus[k] -= eps
        numerical[k] = (inst.f(plus.reshape(inst.x.shape)) - inst.f(minus.reshape(inst.x.shape))) / (2 * eps)
    return lambda g: bool(np.all(np.abs(g.reshape(-1) - numerical) <= atol + rtol * np.abs(numerical)))


def jax_check_grads_restated(inst: Instance, eps=1e-4, atol=1e-5, rtol=1e-5):
    rng = np.random.RandomState(0)
    tangent = rng.randn(*inst.x.shape)
    cotangent = rng.randn()
    jvp_numerical = (inst.f(inst.x + eps * tangent) - inst.f(inst.x - eps * tangent)) * (0.5 / eps)

    def close(actual, desired):
        return abs(actual - desired) <= atol + rtol * abs(desired)

    def accepts(g):
        forward = close(np.sum(g * tangent), jvp_numerical)
        reverse = close(np.sum(tangent * (cotangent * g)), jvp_numerical * cotangent)
        return forward and reverse
    return accepts


ORACLES = {
    "symcheck complex step (rtol 1e-12)": symcheck_oracle("complex_step"),
    "symcheck auto (complex step, cross-checked)": symcheck_oracle("auto"),
    "symcheck auto, f declared analytic (verify: cross-checked only when it misses)":
        symcheck_declared_analytic,
    "symcheck central + Richardson (rtol 1e-8)": symcheck_oracle("central"),
    "symcheck plain central, h = ε^(1/3)·max(1, x) (rtol 1e-6)": symcheck_oracle("central_plain"),
    "torch gradcheck defaults (re-statement)": torch_gradcheck_restated,
    "JAX check_grads float64 defaults (re-statement)": jax_check_grads_restated,
}


def _smallest_caught(accepts, instances, where):
    """Return the smallest δ of the grid from which on every corruption is caught."""
    caught_from = None
    for delta in reversed(DELTAS):          # from large to small
        if any(ok(corrupt(inst.grad, inst.position, delta, where))
               for ok, inst in zip(accepts, instances) if np.max(np.abs(inst.grad)) >= SMALLEST_GRADIENT):
            break
        caught_from = delta
    return caught_from


def _show(delta):
    return f"{delta:.0e}" if delta is not None else "> 1e-1"


def build_table() -> tuple[str, dict]:
    instances = [inst for case in closed_forms.GRADIENT_CASES for inst in collect(case)]
    rows, figures = [], {}
    for name, prepare in ORACLES.items():
        accepts = [prepare(inst) for inst in instances]
        false_alarms = sum(not ok(inst.grad) for ok, inst in zip(accepts, instances))
        scale = _smallest_caught(accepts, instances, "scale")
        entry = _smallest_caught(accepts, instances, "entry")
        figures[name] = {"scale": scale, "entry": entry, "false_alarms": false_alarms}
        rows.append(f"| {name} | {_show(scale)} | {_show(entry)} | {false_alarms} / {len(instances)} |")
    header = ("| oracle | smallest δ caught every time: whole gradient ×(1+δ) "
              "| one entry + δ·‖∇‖∞ | false alarms |\n|---|---|---|---|")
    return header + "\n" + "\n".join(rows), figures


def test_oracle_sensitivity_table(capsys):
    table, figures = build_table()
    with capsys.disabled():
        print(f"\n{len(closed_forms.GRADIENT_CASES)} closed forms × {INSTANCES} instances\n{table}")
    # The claims the README makes, checked where they are measured.
    assert figures["symcheck complex step (rtol 1e-12)"]["entry"] <= 1e-9
    assert figures["symcheck complex step (rtol 1e-12)"]["scale"] <= 1e-9
    assert figures["symcheck central + Richardson (rtol 1e-8)"]["entry"] <= 1e-6
    declared = figures["symcheck auto, f declared analytic (verify: cross-checked only when it misses)"]
    cross_checked = figures["symcheck auto (complex step, cross-checked)"]
    assert declared["entry"] <= cross_checked["entry"] and declared["scale"] <= cross_checked["scale"]
    assert all(f["false_alarms"] == 0 for n, f in figures.items() if n.startswith("symcheck"))


def test_complex_step_gradient_speed(benchmark):
    case = closed_forms.GRADIENT_CASES[-2]       # MLP ∂L/∂W_h: the costliest closed form
    inst = collect(case)[-1]
    benchmark(lambda: gradient(inst.f, inst.x, method="complex_step"))
