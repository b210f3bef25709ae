"""What the symbolic kinds share: the truth is a derivation, proven numerically; rule ``symbolic``."""

from __future__ import annotations

from symcheck.kinds._registry import Established, Field, Kind
from symcheck.kinds._verdict import Truth, Verdict, expr_digest, reason

__all__ = ["SymbolicKind", "compare_by_rule", "key_missing"]

_FUNCTION = Field("function", required=True)
_WRT = Field("wrt", required=True)


def key_missing(claim) -> Verdict | None:
    """Return the 'no answer' verdict when the claim states nothing, else None."""
    if not claim.present:
        return Verdict("unverifiable", (reason("MISSING", "the key gives no answer for this part"),), note=claim.note)
    return None


def compare_by_rule(kind, problem, truth, claim, *, examples: int) -> Verdict:
    """Compare ``claim`` with ``truth`` by the part's grading rule (one the kind declared)."""
    missing = key_missing(claim)
    if missing is not None:
        return missing
    rule = problem.rule
    if rule == "symbolic":
        from symcheck.kinds._compare_symbolic import compare_symbolic

        return compare_symbolic(problem, truth, claim, examples=examples)
    if rule == "numeric":
        from symcheck.kinds._compare_numbers import compare_number

        return compare_number(problem, truth, claim)
    if rule == "table":
        from symcheck.kinds._compare_numbers import compare_table

        return compare_table(problem, truth, claim)
    raise AssertionError(f"kind {kind.name} has no comparison for rule {rule!r}")  # refused at load


class SymbolicKind(Kind):
    """A kind whose truth is the derivative of ``ask.function`` by ``ask.wrt``."""

    fields = (_FUNCTION, _WRT, Field("order", choices=(1, 2)), Field("definitions"),
              Field("conventions"))
    rules = ("symbolic",)
    symbolic = True
    reference_is_function = False   # whether the key's lines rewrite the function itself

    def truth(self, problem, *, examples: int) -> Established:
        """Derive the derivative, prove it at ``examples`` instances, fold named quantities."""
        from symcheck.calculus import derive, fold_definitions
        from symcheck.calculus import text as to_text
        from symcheck.verify import prove_derivative

        f, wrt, order = problem.function, problem.variable, problem.ask.order
        result = derive(f, wrt, order=order, assumptions=problem.assumption_texts)
        proof = prove_derivative(f, wrt, result.expr, order=order, examples=examples,
                                 assumptions=problem.assumption_texts)
        derived = to_text(fold_definitions(result.expr, problem.named_quantities))
        if result.is_zero:
            derived = f"0 (the zero tensor, shape {' × '.join(str(d) for d in result.tensor_shape)})"
        elif result.linear_map is not None:
            derived += f";  {result.differential.name} ↦ {to_text(result.linear_map)}"
        reference = f if self.reference_is_function and order == 1 else None
        truth = Truth(derived, expr=result.expr, kind=result.kind, is_zero=result.is_zero,
                      reference=reference, derived=expr_digest(result.expr))
        return Established(truth, derived, proof, result.convention)

    def compare(self, problem, truth, claim, *, examples: int) -> Verdict:
        """Compare by the ``symbolic`` rule: equal as functions at random instances."""
        return compare_by_rule(self, problem, truth, claim, examples=examples)

    def derive(self, problem, *, order: int | None = None):
        """Return the derivation of the part's function, at ``order`` or the part's own."""
        from symcheck.calculus import derive

        return derive(problem.function, problem.variable, order or problem.ask.order,
                      problem.assumption_texts)
