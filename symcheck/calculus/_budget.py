"""A budget of time and size for symbolic work: derivation, simplification, evaluation.

Symbolic work on a hostile expression can grow without bound (the derivative of ``X**64``
has 64 terms, its second derivative thousands), so every derivation runs inside
:func:`work_budget`, which enforces two rows of ``symcheck.limits.LIMITS``:

- ``derivation_seconds``: CPU seconds (the process's, so a busy machine does not make a valid
  derivation fail), checked at :func:`checkpoint` calls where the calculus builds sums and
  products and in its loops.  The check is cooperative, never a signal: interrupting SymPy at an
  arbitrary point corrupts its assumption caches for the rest of the process.
- ``derivation_ops``: nodes of any one expression the work produces, checked with
  :func:`check_size` as the derivation proceeds (counting stops at the limit, so the check
  itself is bounded).

Either raises :class:`~symcheck.errors.DerivationError` naming the limit and the stage.
Budgets nest: an inner one never outlives an outer one.

>>> import sympy as sp
>>> from symcheck.errors import DerivationError
>>> with work_budget("a test", ops=10):
...     try:
...         check_size(sp.Add(*sp.symbols("a:20")), "the sum")
...     except DerivationError as err:
...         print(err.what)
a test: the sum has more than 10 nodes (the limit derivation_ops = 10)
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Iterator

import sympy as sp
from sympy.matrices.expressions import MatPow

from symcheck.errors import DerivationError
from symcheck.limits import limit

__all__ = ["work_budget", "checkpoint", "check_size", "check_count", "differential_terms"]


@dataclass
class _Budget:
    what: str
    seconds: float
    deadline: float          # time.process_time() at which the work must stop
    ops: int
    stage: str = ""

    def exceeded(self) -> DerivationError:
        stage = f" ({self.stage})" if self.stage else ""
        return DerivationError(
            f"{self.what}{stage} took more than {self.seconds:g} s of CPU time (the limit "
            f"derivation_seconds = {self.seconds:g})", where="derive",
            fix="simplify the expression (fewer or smaller powers, fewer terms)")


_ACTIVE: ContextVar[tuple[_Budget, ...]] = ContextVar("symcheck_work_budgets", default=())


@contextmanager
def work_budget(what: str, *, seconds: float | None = None, ops: int | None = None
                ) -> Iterator[None]:
    """Run the block within ``seconds`` of CPU time and ``ops`` nodes per expression.

    Args:
        what: names the work in errors ("the derivation of f by X").
        seconds: default the limit ``derivation_seconds`` (as it stands, see limits.raised).
        ops: default the limit ``derivation_ops``.
    """
    seconds = float(limit("derivation_seconds").value if seconds is None else seconds)
    ops = int(limit("derivation_ops").value if ops is None else ops)
    outer = _ACTIVE.get()
    deadline = time.process_time() + seconds
    sooner = min(outer, key=lambda b: b.deadline, default=None)
    if sooner is not None and sooner.deadline < deadline:  # an outer budget ends first
        seconds, deadline = sooner.seconds, sooner.deadline
    budget = _Budget(what, seconds, deadline, min([ops] + [b.ops for b in outer]))
    token = _ACTIVE.set(outer + (budget,))
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def checkpoint(stage: str = "") -> None:
    """Raise DerivationError when the innermost budget's time is spent (cheap: call in loops)."""
    budgets = _ACTIVE.get()
    if not budgets:
        return
    if stage:
        budgets[-1].stage = stage
    if time.process_time() > budgets[-1].deadline:
        raise budgets[-1].exceeded()


def check_size(expr, stage: str):
    """Return ``expr``; raise DerivationError when it has more nodes than the budget allows."""
    budgets = _ACTIVE.get()
    if not budgets or not isinstance(expr, sp.Basic):
        return expr
    budget = budgets[-1]
    checkpoint(stage)
    count = 0
    for _ in sp.preorder_traversal(expr):
        count += 1
        if count > budget.ops:
            raise DerivationError(
                f"{budget.what}: {stage} has more than {budget.ops} nodes (the limit "
                f"derivation_ops = {budget.ops})", where="derive",
                fix="simplify the expression (fewer or smaller powers, fewer terms)")
    return expr


def check_count(count: int, stage: str, *, limit_name: str = "derivation_ops") -> None:
    """Raise DerivationError when ``count`` terms would exceed the limit ``limit_name``.

    ``derivation_ops`` is the budget's (it may be lowered by an outer budget); another row,
    such as ``derivation_terms``, is read from the table as it stands.
    """
    budgets = _ACTIVE.get()
    if not budgets:
        return
    checkpoint(stage)
    cap = budgets[-1].ops if limit_name == "derivation_ops" else limit(limit_name).value
    if count > cap:
        raise DerivationError(
            f"{budgets[-1].what}: {stage} makes {count} terms, more than the limit "
            f"{limit_name} = {cap}", where="derive",
            fix="simplify the expression (fewer or smaller powers, fewer terms)")



def differential_terms(expr, variable) -> int:
    """Return how many terms the product rule makes of d(expr), before any simplification.

    d(A^k) has k terms, d(AB) those of dA plus those of dB, d(A + B) those of both; functions,
    traces, determinants and inverses keep the count of their argument.  The count is exact
    for polynomials in the variable and an upper bound otherwise, computed in one pass.

    >>> X = sp.MatrixSymbol("X", 3, 3)
    >>> differential_terms(sp.Trace(X**5 * X.T), X), differential_terms(sp.log(sp.Determinant(X)), X)
    (6, 1)
    """
    memo: dict = {}

    def terms(node) -> int:
        if node == variable:
            return 1
        if not isinstance(node, sp.Basic) or not node.has(variable):
            return 0
        if node in memo:
            return memo[node]
        if isinstance(node, (MatPow, sp.Pow)) and node.args[1].is_Integer:
            count = abs(int(node.args[1])) * terms(node.args[0])
        else:
            count = sum(terms(arg) for arg in node.args)
        memo[node] = count
        return count

    return terms(expr)
