"""Each package's __all__ is exactly what it exposes, and no package reaches into another's privates."""

import __future__
import importlib
import inspect
import re
from pathlib import Path

import pytest

import symcheck

PACKAGES = ["symcheck", "symcheck.calculus", "symcheck.catalogue", "symcheck.expr", "symcheck.grade",
            "symcheck.kinds", "symcheck.models", "symcheck.models.net221_symbolic",
            "symcheck.models.mlp_symbolic", "symcheck.report", "symcheck.testing", "symcheck.verify",
            "symcheck.errors", "symcheck.limits", "symcheck.tolerances"]
ROOT = Path(symcheck.__file__).parent


def _exposed(module) -> set[str]:
    """Public names the module defines or re-exports from its own submodules (constants too),
    leaving out submodules and what it imported from elsewhere for its own use."""
    names = set()
    own = module.__name__ if module.__name__ != "symcheck" else "symcheck"
    for name in dir(module):
        if name.startswith("_"):
            continue
        value = getattr(module, name)
        if inspect.ismodule(value) or isinstance(value, __future__._Feature):
            continue
        home = getattr(value, "__module__", None) if callable(value) else None
        if isinstance(home, str) and not (home == own or home.startswith(own + ".")):
            continue  # e.g. dataclass, Mapping or UsageError imported for the module's own use
        names.add(name)
    return names


@pytest.mark.parametrize("name", PACKAGES)
def test_all_is_what_the_package_exposes(name):
    module = importlib.import_module(name)
    declared = set(module.__all__)
    assert len(declared) == len(module.__all__), f"{name}.__all__ repeats a name"
    missing = sorted(n for n in declared if not hasattr(module, n))
    assert not missing, f"{name}.__all__ names {missing}, which the package does not have"
    undeclared = sorted(_exposed(module) - declared)
    assert not undeclared, f"{name} exposes {undeclared} without listing them in __all__"


def test_subpackages_are_attributes_of_symcheck_on_first_use():
    assert symcheck.verify.prove_derivative is importlib.import_module("symcheck.verify").prove_derivative
    assert symcheck.grade.check_part is importlib.import_module("symcheck.grade").check_part
    with pytest.raises(AttributeError):
        symcheck.no_such_thing  # noqa: B018


_PRIVATE_IMPORT = re.compile(r"^\s*(?:from|import)\s+symcheck\.([a-z_]+)\.(_[a-z_0-9]+)", re.M)


def _private_imports_across_packages():
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        own = relative.parts[0] if len(relative.parts) > 1 else None
        for match in _PRIVATE_IMPORT.finditer(path.read_text(encoding="utf-8")):
            if match.group(1) != own:
                line = path.read_text(encoding="utf-8").count("\n", 0, match.start()) + 1
                found.append(f"symcheck/{relative}:{line}: symcheck.{match.group(1)}.{match.group(2)}")
    return found


def test_no_module_imports_another_packages_private_modules():
    found = _private_imports_across_packages()
    assert not found, "import the package's public names instead:\n" + "\n".join(found)


def test_the_check_finds_a_private_import(tmp_path, monkeypatch):
    fake = tmp_path / "symcheck"
    (fake / "grade").mkdir(parents=True)
    (fake / "grade" / "_x.py").write_text("from symcheck.verify._prove import Proof\n"
                                          "from symcheck.grade._result import Reason\n")
    monkeypatch.setattr(__import__(__name__), "ROOT", fake)
    assert _private_imports_across_packages() == ["symcheck/grade/_x.py:1: symcheck.verify._prove"]
