"""The wheel ships every subpackage and the catalogue (pyproject lists packages explicitly)."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _setuptools():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def test_every_subpackage_is_listed():
    listed = set(_setuptools()["packages"])
    on_disk = {"symcheck"} | {f"symcheck.{p.parent.name}" for p in (ROOT / "symcheck").glob("*/__init__.py")}
    assert on_disk <= listed, f"add to [tool.setuptools] packages: {sorted(on_disk - listed)}"


def test_catalogue_ships_inside_the_package():
    config = _setuptools()
    assert config["package-dir"]["symcheck.problems"] == "problems"
    assert "*.toml" in config["package-data"]["symcheck.problems"]
    assert "derived-truths.json" in config["package-data"]["symcheck.problems"]
    assert (ROOT / "problems" / "derived-truths.json").is_file()
    assert "symcheck.problems" in config["packages"]
    assert sorted((ROOT / "problems").glob("*.toml")), "the catalogue folder is empty"
