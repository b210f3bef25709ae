"""Question kinds: what each kind of question means, in one module per kind.

A kind declares the ``ask`` fields it reads (checked when the catalogue loads, known models
and quantities included), the grading rules its ``compare`` knows, how its truth is
established and proven (``truth``), how a claim is judged (``compare``), and what
``symcheck list`` and ``symcheck derive`` show (``describe``, ``derive``).  ``verify``,
``list``, ``derive`` and ``grade`` dispatch through this registry, never on kind strings.

The kinds: ``derivative`` (_derivative.py), ``matrix_gradient`` (_matrix_gradient.py),
``closed_form`` (_closed_form.py), ``number`` of the 2-2-1 network (_number.py), ``number`` of
the course notebook (_notebook.py), ``table_value`` (_table_value.py), ``explanation`` and
``code`` (_manual.py).  Adding a kind is one new module with a class decorated by
``@register_kind("name")``, imported below, plus its catalogue entries.

>>> from symcheck.catalogue import load_catalogue
>>> problem = load_catalogue().part("3.1.a3").problem
>>> problem.kind.describe(problem), problem.kind.rules
('number, full precision', ('numeric',))
"""

from symcheck.kinds._registry import Established, Field, Kind, get_kind, kind_names, models_of, register_kind
from symcheck.kinds._verdict import VERDICTS, Truth, Verdict, expr_digest, reason
from symcheck.kinds._compare_numbers import round_half_up

# Each module registers its kinds when imported.
from symcheck.kinds import (_closed_form, _derivative, _manual, _matrix_gradient,  # noqa: F401,E402
                            _notebook, _number, _table_value)

__all__ = ["Established", "Field", "Kind", "Truth", "VERDICTS", "Verdict", "expr_digest", "get_kind", "kind_names",
           "models_of", "reason", "register_kind", "round_half_up"]
