"""Check the key part by part: derive (or compute) the truth, prove it, compare the key's claim.

This is what ``symcheck verify`` runs.  For each part it returns a :class:`PartReport` with
the derived answer, its numerical proof, the key's claim and a verdict.  A wrong key is a
finding (a verdict), never an exception; a derived closed form that fails its proof is a bug
in symcheck and makes ``failed_proofs`` non-empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable, Sequence

import sympy as sp

from symcheck.grade._compare import Truth, Verdict, compare_claim
from symcheck.verify._prove import Proof

__all__ = ["PartReport", "check_part", "check_parts"]


@dataclass(frozen=True)
class PartReport:
    """One row of ``symcheck verify``: the part, the truth and its proof, the key, the verdict."""

    id: str
    title: str
    derived: str | None
    proof: Proof | None
    key: str | None
    verdict: str
    reasons: tuple[str, ...] = field(default=())
    truth: str | None = None
    note: str | None = None

    def to_dict(self) -> dict:
        """Return the row as JSON-ready data (the ``--json`` schema of ``symcheck verify``)."""
        return {"id": self.id, "derived": self.derived,
                "proof": None if self.proof is None else self.proof.to_dict(),
                "key": self.key, "verdict": self.verdict, "reasons": list(self.reasons),
                "truth": self.truth, "note": self.note}


def _key_text(part) -> str | None:
    key = part.key
    if key.answer is not None:
        return key.answer
    if key.value_text is not None or key.value is not None:
        return key.value_text or repr(key.value)
    if key.latex is not None:
        return key.latex if len(key.latex) <= 80 else key.latex[:77] + "..."
    return None


def _symbolic_truth(part, examples: int) -> tuple[Truth, str, Proof, str | None]:
    from symcheck.calculus import derive, stationary_point
    from symcheck.calculus import text as to_text
    from symcheck.calculus._fold import fold_definitions
    from symcheck.verify._prove import prove_derivative, prove_stationary_point

    f, wrt = part.function_expr(), part.wrt_symbol()
    if part.ask.kind == "closed_form":
        point = stationary_point(f, wrt, part.assumptions)
        proof = prove_stationary_point(f, wrt, point.expr, examples=examples,
                                       assumptions=part.assumptions)
        derived = to_text(point.expr)
        note = "stationary point: ∇f = 0; " + "; ".join(point.conditions)
        return (Truth(derived, expr=point.expr, kind="solution", solution=point.expr, wrt=wrt),
                derived, proof, note)
    result = derive(f, wrt, order=part.ask.order, assumptions=part.assumptions)
    proof = prove_derivative(f, wrt, result.expr, order=part.ask.order, examples=examples,
                             assumptions=part.assumptions)
    derived = to_text(fold_definitions(result.expr, part.named_quantities()))
    if result.is_zero:
        derived = f"0 (the zero tensor, shape {' × '.join(str(d) for d in result.tensor_shape)})"
    elif result.linear_map is not None:
        derived += f";  {result.differential.name} ↦ {to_text(result.linear_map)}"
    reference = f if part.ask.kind == "derivative" and part.ask.order == 1 else None
    truth = Truth(derived, expr=result.expr, kind=result.kind, is_zero=result.is_zero,
                  reference=reference)
    return truth, derived, proof, result.convention


def _inputs(context) -> tuple[tuple[str, str], ...]:
    """The leaves of the 2-2-1 network from a part's context, as exact decimal strings."""
    leaves = {"x1": context["x1"], "x2": context["x2"], "target": context["target"],
              "alpha": context.get("learning_rate", 0.1), **context["weights"]}
    return tuple(sorted((name, repr(value)) for name, value in leaves.items()))


@lru_cache(maxsize=16)
def _network(inputs: tuple[tuple[str, str], ...]) -> tuple[dict, Proof]:
    """Evaluate the network at 30 digits and prove it against the float64 NumPy model."""
    from symcheck.models import Net221
    from symcheck.models.net221_symbolic import evaluate_nodes
    from symcheck.verify._prove import prove_values

    leaves = dict(inputs)
    exact = evaluate_nodes(leaves, digits=30)
    weights = {name: float(leaves[name]) for name in ("W13", "W14", "W23", "W24", "W35", "W45")}
    trace = Net221(**weights).iteration(float(leaves["x1"]), float(leaves["x2"]),
                                        float(leaves["target"]), alpha=float(leaves["alpha"]))
    pairs = [(name, float(trace[name]), float(exact[name])) for name in trace if name in exact]
    proof = prove_values(pairs, method="float64 backprop vs 30-digit chain rule")
    return exact, proof


def _numeric_truth(part) -> tuple[Truth, str, Proof]:
    exact, proof = _network(_inputs(part.context))
    value = exact[part.ask.quantity]
    text = f"{sp.N(value, 15)}"
    if part.ask.kind == "table_value":
        from symcheck.grade._compare import round_half_up

        text = f"{round_half_up(value, part.ask.decimals)}"
    return Truth(text, value=value), text, proof


def check_part(part, *, examples: int = 200) -> PartReport:
    """Return the :class:`PartReport` for one catalogue part.

    >>> from symcheck.catalogue import load_catalogue
    >>> report = check_part(load_catalogue().part("1.4.first"), examples=10)
    >>> report.derived, report.proof.passed
    ('a*b.T', True)
    """
    base = {"id": part.id, "title": part.title, "key": _key_text(part)}
    if part.grading.rule == "manual":
        return PartReport(**base, derived=None, proof=None, verdict="unverifiable",
                          reasons=("a person grades this part; symcheck does not score it",))
    if part.ask.model == "notebook":
        return PartReport(**base, derived=None, proof=None, verdict="unverifiable",
                          reasons=("the figure comes from the course notebook's data set, which "
                                   "symcheck does not have; 'symcheck evaluate' runs the same "
                                   "comparison on a shipped data set",))
    note = None
    if part.ask.kind in ("number", "table_value"):
        truth, derived, proof = _numeric_truth(part)
    else:
        truth, derived, proof, note = _symbolic_truth(part, examples)
    verdict: Verdict = compare_claim(part, truth)
    return PartReport(**base, derived=derived, proof=proof, verdict=verdict.verdict,
                      reasons=verdict.reasons, truth=verdict.truth,
                      note="; ".join(n for n in (note, verdict.note) if n) or None)


def check_parts(parts: Sequence, *, examples: int = 200,
                progress: Callable[[int, int, str], None] | None = None) -> list[PartReport]:
    """Return a :class:`PartReport` for every part, calling ``progress(done, total, id)``."""
    reports = []
    for i, part in enumerate(parts):
        if progress is not None:
            progress(i, len(parts), part.id)
        reports.append(check_part(part, examples=examples))
    if progress is not None:
        progress(len(parts), len(parts), "")
    return reports


def failed_proofs(reports: Iterable[PartReport]) -> list[PartReport]:
    """Return the reports whose derived closed form failed its numerical proof."""
    return [r for r in reports if r.proof is not None and not r.proof.passed]
