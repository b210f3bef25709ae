"""Run-wide defaults for symcheck.testing, set by the pytest plugin.  Imports nothing."""

from __future__ import annotations

__all__ = ["DEFAULT_EXAMPLES", "default_examples", "set_default_examples"]

DEFAULT_EXAMPLES = 100
_examples: int | None = None


def default_examples() -> int:
    """Return how many hypothesis examples ``check_derivative`` draws when not told."""
    return DEFAULT_EXAMPLES if _examples is None else _examples


def set_default_examples(count: int | None) -> None:
    """Set the default example count (``None`` restores 100); the plugin's option calls this."""
    global _examples
    _examples = count
