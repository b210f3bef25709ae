"""The pytest plugin: registered by entry point, light to import, and its option takes effect."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata

import pytest

pytest_plugins = ["pytester"]


def test_plugin_is_registered_as_a_pytest11_entry_point():
    points = {ep.name: ep.value for ep in metadata.entry_points(group="pytest11")}
    assert points.get("symcheck") == "symcheck.testing._plugin"


def test_importing_the_plugin_loads_no_heavy_module():
    code = ("import sys, symcheck.testing._plugin; "
            "print(sorted(m for m in ('sympy', 'numpy', 'hypothesis') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_public_names_load_on_first_use():
    import symcheck.testing as testing

    assert set(testing.__all__) <= set(dir(testing))
    assert testing.assert_gradient.__module__ == "symcheck.testing._assertions"
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        testing.nothing  # noqa: B018


def test_marker_is_registered_under_strict_markers(pytester):
    pytester.makepyfile("""
        import pytest

        @pytest.mark.symcheck
        def test_marked():
            pass
    """)
    result = pytester.runpytest("--strict-markers", "-m", "symcheck")
    result.assert_outcomes(passed=1)
    assert "symcheck: a test that proves derivatives" in "\n".join(
        pytester.runpytest("--markers").outlines)


def test_examples_option_sets_the_default_count(pytester):
    pytester.makepyfile("""
        from symcheck.expr import symbols_from_shapes
        from symcheck.testing import check_derivative
        from symcheck.testing._settings import default_examples
        import symcheck.testing._symbolic as symbolic

        def test_count(monkeypatch):
            assert default_examples() == 7
            seen = []
            original = symbolic.check_instance
            monkeypatch.setattr(symbolic, "check_instance", lambda *a, **k: seen.append(1) or original(*a, **k))
            ns = symbols_from_shapes({"X": ("n", "m")})
            from sympy import Trace
            check_derivative(Trace(ns["X"] * ns["X"].T), ns["X"], 2 * ns["X"])
            assert len(seen) == 7
    """)
    result = pytester.runpytest("--symcheck-examples=7")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["symcheck: check_derivative draws 7 examples per call"])


def test_examples_option_rejects_nonsense(pytester):
    pytester.makepyfile("def test_nothing(): pass")
    result = pytester.runpytest("--symcheck-examples=0")
    assert result.ret != 0
    result.stderr.fnmatch_lines(["*--symcheck-examples*'0' is not a positive whole number*"])
    assert "_positive_int" not in result.stderr.str()


def test_without_the_option_the_default_is_100():
    from symcheck.testing._settings import DEFAULT_EXAMPLES, default_examples

    assert DEFAULT_EXAMPLES == 100
    assert default_examples() == 100     # this suite runs without --symcheck-examples


def test_failures_point_at_the_users_test_not_at_symcheck(pytester):
    pytester.makepyfile("""
        import numpy as np
        from symcheck.testing import assert_gradient

        def test_wrong():
            assert_gradient(lambda X: np.trace(X @ X.T), lambda X: X, np.eye(2))
    """)
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    text = result.stdout.str()
    assert "assert_gradient(lambda X" in text           # the user's line is shown
    assert "_assertions.py" not in text                  # symcheck's frames are hidden
