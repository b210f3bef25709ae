"""Prove a symbolic closed form numerically, over many hypothesis-drawn instances, with statistics.

``check_derivative`` (symcheck.testing) asserts; :func:`prove_derivative` measures: it runs the
same oracle comparison on every drawn instance and returns a :class:`Proof` with the methods
used, the largest relative error seen and the number of examples, which ``symcheck verify``
prints.  Nothing is shrunk: a failure is recorded with its instance, and the run goes on.

:func:`run_examples` draws the instances of an :func:`symcheck.verify.instances` strategy in
groups of up to ``GROUP`` that share their sizes: hypothesis draws the sizes and a seed once
per group and NumPy the values, so 200 examples pay the hypothesis engine's per-example cost
25 times, not 200 (and never fewer than ``SIZE_DRAWS`` size draws).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable

import numpy as np

from symcheck.errors import NumericBudgetError
from symcheck.tolerances import TOLERANCES

__all__ = ["Proof", "check_instance", "prove_derivative", "prove_stationary_point", "prove_values",
           "run_examples", "GROUP", "SIZE_DRAWS"]

# Instances per hypothesis example in a proof (they share their sizes, their values differ),
# and the fewest hypothesis examples (size draws) a run keeps before it groups at all.
GROUP = 8
SIZE_DRAWS = 25


@dataclass(frozen=True)
class Proof:
    """The outcome of a numerical proof.

    ``method`` names the oracle (and its step); ``max_rel_error`` is the largest normwise
    relative error over all ``examples``, the number of comparisons actually made (instances
    checked, skipped ones not counted; or values compared, as ``unit`` says); ``failure``
    describes the first failing instance.
    """

    passed: bool
    method: str
    max_rel_error: float
    examples: int
    failure: str | None = None
    notes: tuple[str, ...] = field(default=())
    unit: str = "examples"

    def to_dict(self) -> dict:
        """Return ``{"method", "max_rel_error", "examples", "unit"}`` plus ``passed`` and ``failure``."""
        return {"method": self.method, "max_rel_error": self.max_rel_error,
                "examples": self.examples, "unit": self.unit, "passed": self.passed,
                "failure": self.failure}

    def summary(self) -> str:
        """Return one line: ``complex_step, max rel err 3.1e-16, 200 examples``."""
        unit = self.unit[:-1] if self.examples == 1 and self.unit.endswith("s") else self.unit
        return f"{self.method}, max rel err {self.max_rel_error:.1e}, {self.examples} {unit}"


class _Tally:
    """Collect reports across examples."""

    def __init__(self):
        self.methods: Counter = Counter()
        self.notes: list[str] = []
        self.max_rel_error = 0.0
        self.examples = 0
        self.skipped = 0
        self.failure: str | None = None

    def add(self, method: str, rel_error: float, passed: bool, describe: Callable[[], str],
            note: str = "") -> None:
        self.examples += 1
        self.methods[method] += 1
        if np.isfinite(rel_error):
            self.max_rel_error = max(self.max_rel_error, float(rel_error))
        else:
            self.max_rel_error = float("inf")
        if note and note not in self.notes:
            self.notes.append(note)
        if not passed and self.failure is None:
            self.failure = describe()

    def proof(self, unit: str = "examples") -> Proof:
        method = ", ".join(f"{m}" if len(self.methods) == 1 else f"{m} ×{c}"
                           for m, c in self.methods.most_common()) or "none"
        notes = list(self.notes)
        if self.skipped:
            notes.append(f"{self.skipped} drawn instances lie outside the domain (not finite) "
                         "and were skipped")
        return Proof(passed=self.failure is None and self.examples > 0, method=method,
                     max_rel_error=self.max_rel_error, examples=self.examples,
                     failure=self.failure if self.examples else "no instance inside the domain "
                     "could be drawn", notes=tuple(notes), unit=unit)


def run_examples(strategy, body: Callable, examples: int, *, what: str = "the numerical proof") -> None:
    """Call ``body(instance)`` on ``examples`` seeded draws of ``strategy``.

    Every symcheck property run goes through here: derandomized (the same draws every run),
    no example database, no deadline.  When ``body`` raises, hypothesis shrinks the instance
    and re-raises, so callers that assert get the smallest failing instance.  An
    :func:`symcheck.verify.instances` strategy is drawn in groups that share their sizes: the
    largest group size up to ``GROUP`` that divides ``examples`` and leaves at least
    ``SIZE_DRAWS`` hypothesis examples.  Either way ``body`` is called exactly ``examples`` times,
    unless the run outlives ``numeric_seconds`` of CPU time (``symcheck.limits``): checked before
    each instance, it raises NumericBudgetError naming ``what`` and the limit.
    """
    __tracebackhide__ = True
    from symcheck.verify._budget import deadline
    from symcheck.verify._instances import groups_of

    _check_examples(examples)
    grouped = groups_of(strategy)
    size = max(d for d in range(1, max(min(GROUP, examples // SIZE_DRAWS), 1) + 1)
               if examples % d == 0)
    stop, hit = deadline(what), []

    def one(instance):
        # A budget error ends the run: the remaining draws are passed over (never shrunk, which
        # would spend the time again), and the error is raised once hypothesis is done.
        __tracebackhide__ = True
        if hit:
            return
        try:
            stop.check()
            body(instance)
        except NumericBudgetError as err:
            hit.append(err)

    if grouped is None or size == 1:
        _run(strategy, one, examples)
    else:
        def each(group):
            __tracebackhide__ = True
            for instance in group:
                one(instance)

        _run(grouped(size), each, examples // size)
    if hit:
        raise hit[0]


def _run(strategy, body: Callable, examples: int) -> None:
    __tracebackhide__ = True
    from hypothesis import HealthCheck, given, settings

    @settings(max_examples=examples, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def run(instance):
        __tracebackhide__ = True
        body(instance)

    run()


def check_instance(expr, wrt, closed_form, instance, *, order: int = 1, method: str = "auto",
                   rtol: float | None = None):
    """Return the DerivativeReport comparing ``closed_form`` with the oracle at one instance.

    Returns None when the instance lies outside the domain: the function or the closed form
    is not finite there (‖Y‖ at Y = 0, say), so no derivative exists to compare.
    """
    from symcheck.verify._checks import check_gradient, check_hessian, check_jacobian
    from symcheck.verify._symbolic import evaluate, is_scalar

    scalar = is_scalar(expr)
    check = check_hessian if order == 2 and scalar else check_gradient if scalar else check_jacobian
    f, value, point = evaluate(expr, closed_form, wrt, instance)
    with np.errstate(all="ignore"):
        inside = bool(np.all(np.isfinite(value)) and np.all(np.isfinite(np.asarray(f(point)))))
    if not inside:
        return None
    direction = _differential_in(closed_form, wrt, instance)
    if order == 2 and not scalar and direction is not None:
        # The closed form is the linear map dx ↦ dJ[dx]: compare it with the derivative of the
        # (complex-step) Jacobian along the drawn direction dx, by central differences in t.
        jac = _jacobian_of(f)
        along = lambda t: jac(point + t[0] * direction)  # noqa: E731
        return check_jacobian(along, np.zeros(1), value.reshape(-1, 1, order="F"), method="central",
                              rtol=rtol)
    if order == 2 and not scalar:
        # The derivative of the Jacobian: a (size of f · size of x) × (size of x) matrix.  The
        # inner Jacobian is exact to rounding (complex step), the outer one central differences.
        f, method = _jacobian_of(f), "central"
    if np.ndim(value) == 0 and float(value) == 0.0:
        value = np.zeros(_shape_of_derivative(f, point, order if scalar else 1))
    return check(f, point, value, method=method, rtol=rtol)


def prove_derivative(expr, wrt, closed_form, *, order: int = 1, examples: int = 200,
                     assumptions: Iterable[str] = (), method: str = "auto") -> Proof:
    """Return the :class:`Proof` that ``closed_form`` is the ``order``-th derivative of ``expr``.

    Layouts as in :func:`symcheck.testing.check_derivative`: gradients shaped like ``wrt``,
    numerator-layout Jacobians, column-major vec-Hessians.  Sizes 1..6 and values are drawn
    by hypothesis (seeded), respecting ``assumptions`` such as ``"M symmetric"``.

    >>> import sympy as sp
    >>> from symcheck.expr import symbols_from_shapes
    >>> ns = symbols_from_shapes({"X": ("n", "n")})
    >>> proof = prove_derivative(sp.Trace(ns["X"] * ns["X"].T), ns["X"], 2 * ns["X"], examples=20)
    >>> proof.passed, proof.examples, proof.max_rel_error < 1e-12
    (True, 20, True)
    """
    from symcheck.verify._instances import instances

    what = f"the numerical proof of the derivative of order {order} by {wrt}"
    _check_budget([expr, closed_form], wrt, order, what)
    tally = _Tally()

    def body(instance):
        try:
            report = check_instance(expr, wrt, closed_form, instance, order=order, method=method)
        except MemoryError:
            raise _out_of_memory(what, instance) from None
        if report is None:
            tally.skipped += 1
            return
        tally.add(report.method, report.max_rel_error, report.passed,
                  lambda: f"{report} at {instance!r}", report.note)

    run_examples(instances([expr, closed_form, wrt], assumptions=assumptions), body, examples,
                 what=what)
    return tally.proof()


def _check_budget(exprs, wrt, order: int, what: str) -> None:
    """Refuse (NumericBudgetError) expressions too costly to evaluate at the largest sizes drawn.

    The oracles evaluate the function of ``wrt`` at one point per entry of ``wrt`` (twice that
    for a second derivative) in batches; :class:`PartialFunction` splits the batches so that
    they stay within ``numeric_batch_entries``.
    """
    from symcheck.verify._budget import check_cost
    from symcheck.verify._instances import MAX_SIDE, dimensions_of

    sizes = tuple((d, MAX_SIDE) for d in dimensions_of(tuple(exprs) + (wrt,)))
    check_cost(exprs, sizes, what=what)


def _out_of_memory(what: str, instance):
    from symcheck.limits import limit

    row = limit("numeric_entries")
    return NumericBudgetError(f"{what} ran out of memory at {instance!r}", limit=row.name,
                              where="verify", fix=f"write the formula with smaller matrices "
                              f"(the estimate allows {row.describe()})")


def _check_examples(examples) -> None:
    from symcheck.errors import UsageError

    if isinstance(examples, bool) or not isinstance(examples, int) or examples < 1:
        raise UsageError(f"examples={examples!r} is not a positive integer", where="examples",
                         fix="use a whole number of instances, e.g. examples=200")


def _differential_in(closed_form, wrt, instance):
    """The drawn value of the differential d<wrt> when the closed form is a linear map in it."""
    symbol = _differential_symbol(closed_form, wrt, tuple(instance.values))
    return None if symbol is None else np.asarray(instance.values[symbol], dtype=np.float64)


@lru_cache(maxsize=512)
def _differential_symbol(closed_form, wrt, symbols: tuple):
    """The symbol named d<wrt> among ``symbols`` that occurs in the closed form, or None."""
    import sympy as sp

    name = f"d{wrt}"
    for symbol in symbols:
        if isinstance(symbol, sp.MatrixSymbol) and str(symbol) == name and closed_form.has(symbol):
            return symbol
    return None


def _jacobian_of(f: Callable) -> Callable:
    from symcheck.verify._oracles import jacobian

    def inner(x):
        return jacobian(f, x, method="auto").value

    return inner


def _shape_of_derivative(f: Callable, point: np.ndarray, order: int) -> tuple[int, ...]:
    """The shape a closed-form derivative of ``f`` at ``point`` must have."""
    out = np.asarray(f(point))
    if out.size == 1 and order == 1:
        return point.shape                        # gradient: the shape of the variable
    if out.size == 1:
        return (point.size, point.size)           # vec-Hessian
    return (out.size, point.size)                 # numerator-layout Jacobian


def prove_stationary_point(objective, wrt, solution, *, examples: int = 200,
                           assumptions: Iterable[str] = ()) -> Proof:
    """Return the :class:`Proof` that the gradient of ``objective`` vanishes at ``solution``.

    The gradient comes from the numeric oracle alone (never from a closed form), evaluated at
    the point the closed-form ``solution`` gives; its size is measured against the gradient's
    scale at the origin-free reference point ``2·solution``.
    """
    from symcheck.verify._instances import instances
    from symcheck.verify._oracles import gradient
    from symcheck.verify._symbolic import evaluate

    what = f"the numerical proof of the stationary point in {wrt}"
    _check_budget([objective, solution], wrt, 1, what)
    tally = _Tally()

    def body(instance):
        try:
            f, solution_value, drawn = evaluate(objective, solution, wrt, instance)
        except MemoryError:
            raise _out_of_memory(what, instance) from None
        point = solution_value.reshape(drawn.shape)
        at_solution = gradient(f, point)
        away = gradient(f, 2 * point + 1)
        scale = max(float(np.max(np.abs(away.value))), 1e-300)
        rel = float(np.max(np.abs(at_solution.value))) / scale
        tol = TOLERANCES["stationary"].rtol
        tally.add(at_solution.method, rel, rel <= tol,
                  lambda: f"gradient at the solution is {rel:.2e} of its scale (> {tol:g}) at {instance!r}")

    run_examples(instances([objective, solution, wrt], assumptions=assumptions), body, examples,
                 what=what)
    return tally.proof()


def prove_values(pairs: Iterable[tuple[str, float, float]], *, method: str,
                 rtol: float | None = None) -> Proof:
    """Return the :class:`Proof` that float64 values match independent high-precision ones.

    ``pairs`` holds ``(name, float64 value, high-precision value)``; the proof counts the
    values it compared (``unit="values"``), not random examples.

    >>> prove_values([("a", 0.1 + 0.2, 0.3)], method="float64 vs exact").summary()
    'float64 vs exact, max rel err 1.9e-16, 1 value'
    """
    rtol = TOLERANCES["float64_vs_exact"].rtol if rtol is None else rtol
    tally = _Tally()
    for name, fast, exact in pairs:
        rel = abs(fast - exact) / max(abs(exact), 1e-300)
        tally.add(method, rel, rel <= rtol,
                  lambda name=name, fast=fast, exact=exact: f"{name}: {fast!r} vs {exact!r}")
    return tally.proof(unit="values")
