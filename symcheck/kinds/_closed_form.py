"""Kind ``closed_form``: a closed form such as the stationary point of an objective (ridge).

Fields: ``function`` (the objective), ``wrt`` (required), ``solve`` (words, e.g.
"stationary point"), ``definitions``.  The truth is the stationary point of ∇f = 0 with the
condition that makes it unique, proven by evaluating the gradient there.  Rule: ``symbolic``;
equation lines of the key (``lhs = rhs``) must hold at the solution.
"""

from symcheck.kinds._registry import Established, Field, register_kind
from symcheck.kinds._symbolic import SymbolicKind
from symcheck.kinds._verdict import Truth, expr_digest


@register_kind("closed_form")
class ClosedForm(SymbolicKind):
    """A stationary point; ``symcheck derive`` shows how it is solved for."""

    description = "a closed form, such as the stationary point of an objective"
    fields = SymbolicKind.fields + (Field("solve", choices=("stationary point",)),)

    def describe(self, problem) -> str:
        """Return e.g. ``closed form (stationary point) for beta``."""
        return f"closed form ({problem.ask.solve or 'solution'}) for {problem.ask.wrt}"

    def truth(self, problem, *, examples: int) -> Established:
        """Solve ∇f = 0 and prove that the gradient vanishes at the solution."""
        from symcheck.calculus import stationary_point
        from symcheck.calculus import text as to_text
        from symcheck.verify import prove_stationary_point

        f, wrt = problem.function, problem.variable
        point = stationary_point(f, wrt, problem.assumption_texts)
        proof = prove_stationary_point(f, wrt, point.expr, examples=examples,
                                       assumptions=problem.assumption_texts)
        derived = to_text(point.expr)
        note = "stationary point: ∇f = 0; " + "; ".join(point.conditions)
        return Established(Truth(derived, expr=point.expr, kind="solution", solution=point.expr,
                                 wrt=wrt, derived=expr_digest(point.expr)), derived, proof, note)

    def derive(self, problem, *, order: int | None = None):
        """Return the stationary point's derivation, or the derivative at an explicit ``order``."""
        if order:
            return super().derive(problem, order=order)
        from symcheck.calculus import stationary_point

        return stationary_point(problem.function, problem.variable,
                                problem.assumption_texts).as_derivation()
