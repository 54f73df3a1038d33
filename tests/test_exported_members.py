"""The public API: `tailor`'s exported names are exactly these, each importable and documented.

A name added to or taken from `tailor.__all__` is a change to the library's promise; this test
makes it a deliberate one (httpx's tests/test_exported_members.py is the model).
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

import tailor

PUBLIC = [
    "CV",
    "PROVIDERS",
    "Bullet",
    "Change",
    "CompanyProfile",
    "Coverage",
    "Critique",
    "Finding",
    "GroundingError",
    "JobPosting",
    "LLMOptions",
    "Letter",
    "MarketBand",
    "Prep",
    "ProfileError",
    "ProviderError",
    "Requirement",
    "RunManifest",
    "Source",
    "TailorError",
    "TailoredCV",
    "UserError",
    "Violation",
    "__version__",
    "apply_changes",
    "batch",
    "bundled_profiles",
    "critique",
    "letter",
    "load_cv",
    "load_posting",
    "prep",
    "read_cv",
    "render",
    "resolve_target",
    "rewrite",
]


def test_the_exported_names_are_the_public_api() -> None:
    assert sorted(tailor.__all__) == sorted(PUBLIC)
    assert len(set(tailor.__all__)) == len(tailor.__all__)


@pytest.mark.parametrize("name", PUBLIC)
def test_every_exported_name_resolves_and_has_a_docstring(name: str) -> None:
    value = getattr(tailor, name)
    if name in ("__version__", "PROVIDERS"):
        assert value
        return
    assert inspect.getdoc(value), f"tailor.{name} has no docstring"


def test_the_type_checkers_view_matches_what_is_exported() -> None:
    """The names under TYPE_CHECKING (what mypy and IDEs see) are the names `__getattr__`
    gives at run time, from the same modules."""
    tree = ast.parse(Path(tailor.__file__).read_text())
    seen: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            for statement in node.body:
                assert isinstance(statement, ast.ImportFrom)
                for alias in statement.names:
                    seen[alias.asname or alias.name] = f"{statement.module}.{alias.name}"
    assert sorted(seen) == sorted(PUBLIC)
    for name, where in seen.items():
        module, _, attribute = where.rpartition(".")
        if name == "batch":
            assert getattr(tailor, name).__name__ == "tailor.batch"
        else:
            assert getattr(tailor, name) is getattr(__import__(module, fromlist=["_"]), attribute)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        _ = tailor.nothing_here  # type: ignore[attr-defined]


def test_the_version_is_the_installed_package_s() -> None:
    from importlib.metadata import version

    from tailor.version import __version__

    assert tailor.__version__ == __version__ == version("tailor-cv")
