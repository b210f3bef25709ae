"""Kind ``number`` with ``model = "notebook"``: a figure from the course notebook.

The notebook's data set is not shipped, so symcheck cannot recompute these figures
(``symcheck evaluate`` runs the same comparison on a shipped data set): the truth is
unverifiable and so is every claim.  Quantities: ``rmse_pinv``, ``rmse_ridge``, ``rmse_mlp``.
"""

from __future__ import annotations

from symcheck.kinds._registry import Established, Field, Kind, register_kind
from symcheck.kinds._verdict import reason, Verdict

_REASON = ("the figure comes from the course notebook's data set, which symcheck does not have; "
           "'symcheck evaluate' runs the same comparison on a shipped data set")


@register_kind("number", model="notebook")
class NotebookFigure(Kind):
    """A figure of the course notebook: listed, never scored by symcheck."""

    description = "a number from the course notebook (not recomputed)"
    fields = (Field("model", required=True), Field("quantity", required=True))
    rules = ("numeric",)
    models = {"notebook": ("rmse_pinv", "rmse_ridge", "rmse_mlp")}

    def describe(self, problem) -> str:
        """Return ``number (notebook figure)``."""
        return "number (notebook figure)"

    def truth(self, problem, *, examples: int) -> Established:
        """Return no truth, with the reason."""
        return Established(reason=reason("MANUAL", _REASON))

    def compare(self, problem, truth, claim, *, examples: int) -> Verdict:
        """Return unverifiable: there is nothing to compare with."""
        return Verdict("unverifiable", (reason("MANUAL", _REASON),))
