"""Shared test settings: deterministic hypothesis profiles.

``default`` keeps the suite fast; ``slow`` (selected automatically with ``-m slow``) runs the
10,000-example proofs.  Both are derandomized, so every run draws the same examples.
"""

import os
import tempfile

from hypothesis import HealthCheck, settings

settings.register_profile("default", max_examples=100, derandomize=True, deadline=None,
                          database=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("slow", max_examples=10_000, derandomize=True, deadline=None,
                          database=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("SYMCHECK_HYPOTHESIS_PROFILE", "default"))

# The prepared-part store (symcheck/grade/_store.py) goes to a fresh directory for every test
# session, so no run reads entries another run (or the user's own symcheck) wrote.  Child
# processes the tests start inherit it.
os.environ["SYMCHECK_CACHE_DIR"] = tempfile.mkdtemp(prefix="symcheck-test-store-")


def pytest_configure(config):
    """Use the 10,000-example profile when the slow tests are selected."""
    markexpr = config.getoption("markexpr", "") or ""
    if "slow" in markexpr and "not slow" not in markexpr:
        settings.load_profile("slow")
