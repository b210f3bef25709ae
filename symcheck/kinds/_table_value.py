"""Kind ``table_value``: a network value as a table prints it, rounded to ``decimals``.

Fields: ``model = "net221"``, ``quantity`` and ``decimals`` (0 to 15), all required; the
part's ``context`` gives the network's inputs.  Rule: ``table``: the claim agrees when it
equals the truth rounded half away from zero to ``decimals`` places.
"""

from __future__ import annotations

from symcheck.kinds._number import NetworkValue
from symcheck.kinds._registry import Established, Field, register_kind
from symcheck.kinds._verdict import Truth


@register_kind("table_value")
class TableValue(NetworkValue):
    """A network value rounded to the table's decimals."""

    description = "a table value, rounded to a number of decimals"
    fields = (Field("model", required=True), Field("quantity", required=True),
              Field("decimals", required=True, choices=range(0, 16)))
    rules = ("table",)

    def describe(self, problem) -> str:
        """Return e.g. ``table value, 2 decimals``."""
        return f"table value, {problem.ask.decimals} decimals"

    def truth(self, problem, *, examples: int) -> Established:
        """Evaluate the network at 30 digits and round to the table's decimals."""
        from symcheck.kinds._compare_numbers import round_half_up

        value, proof = self.value(problem, examples=examples)
        text = f"{round_half_up(value, problem.ask.decimals)}"
        return Established(Truth(text, value=value), text, proof)
