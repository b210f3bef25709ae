"""Kind ``number``: a value at full precision, computed by the reference 2-2-1 network.

Fields: ``model = "net221"`` and ``quantity`` (a node of the network: ``a3``, ``loss``,
``grad_W13``, ``new_W45``, ...), both required; the part's ``context`` gives the network's
inputs.  The truth is the node's value at 30 digits, proven against the float64 NumPy model.
Rule: ``numeric``: the claim agrees when it is the truth correctly rounded to the digits it
prints, and is a warning when it is only within the tolerance.
"""

from __future__ import annotations

from symcheck.kinds._network import NET221, check_network_context, network_quantities, network_values
from symcheck.kinds._registry import Established, Field, Kind, register_kind
from symcheck.kinds._symbolic import compare_by_rule
from symcheck.kinds._verdict import Truth


class NetworkValue(Kind):
    """A value of the 2-2-1 network (shared by ``number`` and ``table_value``)."""

    @property
    def models(self):
        """The network, with every node of its graph as a quantity."""
        return {NET221: network_quantities()}

    def check(self, part, error) -> None:
        """Check the part's context: every input and weight, each a finite number in range."""
        check_network_context(part.context, error)

    def value(self, problem, *, examples: int = 1):
        """Return ``(exact value, proof at ``examples`` inputs)`` of the part's quantity."""
        exact, proof = network_values(problem.part.context, examples=examples)
        return exact[problem.ask.quantity], proof

    def compare(self, problem, truth, claim, *, examples: int):
        """Compare by the part's rule (numeric or table)."""
        return compare_by_rule(self, problem, truth, claim, examples=examples)


@register_kind("number")
class Number(NetworkValue):
    """A network value at full precision."""

    description = "a numeric value at full precision"
    fields = (Field("model", required=True), Field("quantity", required=True))
    rules = ("numeric",)

    def describe(self, problem) -> str:
        """Return ``number, full precision``."""
        return "number, full precision"

    def truth(self, problem, *, examples: int) -> Established:
        """Evaluate the network at 30 digits; the proof compares it with float64 backprop."""
        import sympy as sp

        value, proof = self.value(problem, examples=examples)
        text = f"{sp.N(value, 15)}"
        return Established(Truth(text, value=value), text, proof)
