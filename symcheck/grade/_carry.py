"""Error carried forward through a chained computation (the 2-2-1 network of 3.1 and 3.3).

Each network value has a local formula over its parents (``a5 = W35·a3 + W45·a4``,
``symcheck.models.net221_graph.LOCAL``).  A value that is wrong against the truth is checked
again against its local formula evaluated on the answerer's OWN earlier values, as written
(a parent nobody wrote is computed from its own parents the same way; leaves come from the
part's context).  Right given those, and inheriting at least one wrong parent, it is
``CARRIED_FORWARD``: ``carried_forward_from`` names the ROOT errors it inherits, found by walking
upstream through carried-forward values.  Wrong given them, it is a root error itself.

The check allows for the rounding of the parents as written: a parent written with 5 decimals
moves the local value by at most Σ |∂f/∂p|·½·10⁻⁵, which is added to the tolerance.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache, partial
from typing import Callable, Mapping, Sequence

from symcheck.grade._numbers import NumberClaim, fmt, judge_number, quantum, to_decimal
from symcheck.grade._result import Reason
from symcheck.limits import LIMITS
from symcheck.models.net221_graph import LEAVES, LOCAL

__all__ = ["ChainedValue", "carry_forward", "network_inputs", "network_node_values", "Finding"]


@dataclass(frozen=True)
class ChainedValue:
    """One graded network value: its part, node, the claim as written and the verdict so far."""

    part: object
    node: str
    claim: NumberClaim | None
    wrong: bool


@dataclass(frozen=True)
class Finding:
    """The carry-forward outcome for one wrong value: a root, carried from ``roots``, or (neither)
    right given correct earlier values whose rounding explains its last digits."""

    part_id: str
    root: bool
    roots: tuple[str, ...] = ()
    local: Decimal | None = None
    reason: Reason | None = None
    parents: Mapping[str, str] = field(default_factory=dict)


def network_inputs(part) -> dict[str, str]:
    """The leaves of the network from a part's context, as exact decimal strings."""
    ctx = part.context
    leaves = {"x1": ctx["x1"], "x2": ctx["x2"], "target": ctx["target"],
              "alpha": ctx.get("learning_rate", 0.1), **ctx["weights"]}
    return {name: repr(value) if isinstance(value, float) else str(value) for name, value in leaves.items()}


def _half_unit(claim: NumberClaim | None) -> Decimal:
    if claim is None or claim.literal is None:
        return Decimal(0)
    return Decimal(1).scaleb(quantum(claim.literal)) / 2


WORK_DIGITS = 45   # mpmath working precision for the local formulas (results kept to 30 digits)


class _MPMath:
    """The namespace net221_graph's formulas call, in mpmath (at the caller's precision)."""

    @staticmethod
    def sigmoid(t):
        import mpmath

        return 1 / (1 + mpmath.exp(-t))

    @staticmethod
    def tanh(t):
        import mpmath

        return mpmath.tanh(t)


def _at(node: str, values: Mapping[str, object]) -> tuple[Callable, dict[str, object]]:
    """The node's local formula as a function of its parents' mpf values, and those values."""
    import mpmath

    local = LOCAL[node]
    return partial(local.formula, _MPMath), {p: mpmath.mpf(str(values[p])) for p in local.parents}


def network_node_values(inputs: Mapping[str, str]) -> dict[str, Decimal]:
    """Every node of the network at ``inputs`` (a decimal string per leaf), to 30 digits.

    The local formulas in topological order at ``WORK_DIGITS``, rounded once at the end: the
    closed forms' values correctly rounded to 30 digits (tests compare them with SymPy's exact
    arithmetic at 50 digits), without SymPy, so a fresh ``symcheck grade --part 3.1.a5`` does
    not import it.
    """
    import mpmath

    with mpmath.workdps(WORK_DIGITS):
        values = {leaf: mpmath.mpf(str(inputs[leaf])) for leaf in LEAVES}
        for node, local in LOCAL.items():
            values[node] = local.formula(_MPMath, **{p: values[p] for p in local.parents})
        return {node: to_decimal(values[node]) for node in LOCAL}


def _rounding_spread(node: str, values: Mapping[str, Decimal], halves: Mapping[str, Decimal]) -> Decimal:
    """Σ |∂f/∂p|·(half a unit of p's last written digit) at the given parent values."""
    return _spread(node, tuple(sorted(values.items())), tuple(sorted(halves.items())))


@lru_cache(maxsize=LIMITS["grade_cache_answers"].value)
def _spread(node: str, values: tuple, halves: tuple) -> Decimal:
    # A class writes the same parent values again and again: each (values, halves) once.
    import mpmath

    values, halves = dict(values), dict(halves)
    spread = Decimal(0)
    with mpmath.workdps(WORK_DIGITS):
        formula, args = _at(node, values)
        for p, x in args.items():
            if halves.get(p, 0) == 0:
                continue
            slope = mpmath.diff(lambda t: formula(**{**args, p: t}), x)   # noqa: B023 (called at once)
            spread += abs(to_decimal(slope)) * halves[p]
    return spread


@lru_cache(maxsize=LIMITS["grade_cache_answers"].value)
def _local_value(node: str, parents: tuple) -> Decimal:
    """The node's local formula at the parents' values (strings), to 30 digits, once per input.

    The same number as ``evaluate_local`` (exact SymPy arithmetic, then 30 digits): evaluated
    at 45 digits, it differs only within 10⁻⁴⁵ of a rounding tie (tests compare the two).
    """
    import mpmath

    with mpmath.workdps(WORK_DIGITS):
        formula, args = _at(node, dict(parents))
        return to_decimal(formula(**args))


def carry_forward(values: Sequence[ChainedValue], *, min_figures: int = 4) -> dict[str, Finding]:
    """Return a :class:`Finding` for every wrong value of one network run (one context).

    ``values`` are the run's graded values; several parts may share a node (a number and its
    table value): the full-precision number is the one used downstream.
    """
    if not any(v.wrong and v.claim is not None for v in values):
        return {}   # findings are for wrong written values only

    leaves = {k: Decimal(v) for k, v in network_inputs(values[0].part).items()}
    written: dict[str, ChainedValue] = {}
    for v in sorted(values, key=lambda v: v.part.ask.kind == "table_value"):
        if v.claim is not None:
            written.setdefault(v.node, v)
    status: dict[str, Finding | None] = {}
    memo: dict[str, Decimal] = dict(leaves)

    def value_of(node: str) -> Decimal:
        if node in memo:
            return memo[node]
        if node in written:
            memo[node] = written[node].claim.value
        else:
            parents = {p: value_of(p) for p in LOCAL[node].parents}
            memo[node] = _local_value(node, tuple((p, str(x)) for p, x in parents.items()))
        return memo[node]

    def inherited(node: str) -> tuple[str, ...]:
        """The root errors reaching ``node`` through its parents (written or not)."""
        roots: list[str] = []
        for p in LOCAL[node].parents:
            if p in LEAVES:
                continue
            if p in written:
                finding = status.get(p)
                if finding is not None:
                    roots += [finding.part_id] if finding.root else list(finding.roots)
            else:
                roots += inherited(p)
        return tuple(dict.fromkeys(roots))

    findings: dict[str, Finding] = {}
    order = {node: i for i, node in enumerate(LOCAL)}
    for v in sorted(values, key=lambda v: (order[v.node], v.part.ask.kind == "table_value")):
        if not v.wrong or v.claim is None:
            if v is written.get(v.node):
                status[v.node] = None
            continue
        number = written.get(v.node)
        if number is not None and number is not v:
            # a table value is the rounding of the answerer's own full-precision value
            findings[v.part.id] = _rounded_from(v, number, status.get(v.node))
            continue
        parents = {p: value_of(p) for p in LOCAL[v.node].parents}
        local = _local_value(v.node, tuple((p, str(x)) for p, x in parents.items()))
        decimals = v.part.ask.decimals if v.part.ask.kind == "table_value" else None
        right = judge_number(v.claim, local, min_figures=min_figures, decimals=decimals,
                             explain=False).correct or \
            (decimals is None and _explained(v, parents, local, written))
        roots = inherited(v.node) if right else ()
        shown = {p: fmt(x) for p, x in parents.items() if p in written}
        if right and roots:
            finding = Finding(v.part.id, False, roots, local, _carried_reason(v, local, shown, roots), shown)
        elif right:   # off only by the rounding of correct earlier values, as written
            finding = Finding(v.part.id, False, (), local, None, shown)
        else:
            finding = Finding(v.part.id, True, (), local, None, shown)
        findings[v.part.id] = finding
        if v is written.get(v.node):
            status[v.node] = finding if finding.root or finding.roots else None
    return findings


def _explained(v: ChainedValue, parents: Mapping[str, Decimal], local: Decimal,
               written: Mapping[str, ChainedValue]) -> bool:
    """True when the rounding of the parents as written explains ``v``'s distance from ``local``."""
    halves = {p: _half_unit(written[p].claim) for p in parents if p in written}
    # strictly less: at equality the two rounding intervals (each closed at one end only)
    # share no point, so the earlier values' rounding cannot explain the written digits
    return abs(v.claim.value - local) < _rounding_spread(v.node, parents, halves) + _half_unit(v.claim)


def _rounded_from(v: ChainedValue, number: ChainedValue, upstream: Finding | None) -> Finding:
    decimals = v.part.ask.decimals if v.part.ask.kind == "table_value" else None
    right = judge_number(v.claim, number.claim.value, decimals=decimals, explain=False).correct
    shown = {number.node: fmt(number.claim.value)}
    if not right:
        return Finding(v.part.id, True, (), number.claim.value, None, shown)
    if upstream is None:
        return Finding(v.part.id, False, (), number.claim.value, None, shown)
    roots = (upstream.part_id,) if upstream.root else upstream.roots
    return Finding(v.part.id, False, roots, number.claim.value,
                   _carried_reason(v, number.claim.value, shown, roots), shown)


def _carried_reason(v: ChainedValue, local: Decimal, shown: Mapping[str, str], roots) -> Reason:
    used = ", ".join(f"{p} = {x}" for p, x in shown.items())
    return Reason("CARRIED_FORWARD", f"your answer {v.claim.text} follows from your earlier {used} "
                                     f"(which give {fmt(local)}), so it carries forward the error of "
                                     f"{', '.join(roots)}")


def apply_carry_forward(result, finding: Finding, credit: float):
    """Return ``result`` turned into a carried-forward partial credit (or unchanged for a root)."""
    if finding.root:
        return result
    if not finding.roots:
        return replace(result, verdict="correct", score=result.max_score, reasons=(),
                       feedback="correct given your own earlier values as written: their rounding "
                                "explains the last digits")
    return replace(result, verdict="partial", score=credit * result.max_score,
                   feedback=finding.reason.message, reasons=(finding.reason,) + result.reasons,
                   carried_forward_from=finding.roots)
