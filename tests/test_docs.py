"""The README stays short and the docs stay true to the code: every page is in the site's nav,
every link into docs/ resolves, the CLI reference is `--help` itself, and every `tailor ...`
example names a real command and only long options it has."""

from __future__ import annotations

import importlib.util
import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import typer
import yaml

from tailor.cli import app
from tailor.providers import PROVIDERS
from tests.conftest import ROOT

README = ROOT / "README.md"
DOCS = ROOT / "docs"
PAGES = sorted(path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md"))
DOCUMENTS = [README, *(DOCS / page for page in PAGES)]
COMMAND: Any = typer.main.get_command(app)  # a group; typer ships its own copy of click


def hook() -> ModuleType:
    """The mkdocs hook that writes the CLI reference, imported from its file."""
    spec = importlib.util.spec_from_file_location("cli_reference", DOCS / "hooks/cli_reference.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def nav_pages(entries: Any) -> Iterator[str]:
    for entry in entries:
        if isinstance(entry, str):
            yield entry
        else:
            for value in entry.values():
                yield from [value] if isinstance(value, str) else nav_pages(value)


class _Loader(yaml.SafeLoader):
    """mkdocs.yml names Python objects (`!!python/name:...`); the test only reads its nav."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def test_readme_is_at_most_15000_characters() -> None:
    assert len(README.read_bytes()) <= 15_000


def test_readme_quickstart_runs_the_demo_and_the_tests() -> None:
    quickstart = README.read_text(encoding="utf-8").split("## Quickstart", 1)[1].split("\n## ")[0]
    assert "\nmake demo " in quickstart and "\nmake test " in quickstart


def test_every_docs_page_is_in_the_nav_and_every_nav_entry_exists() -> None:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    assert sorted(nav_pages(config["nav"])) == PAGES


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_relative_links_resolve(document: Path) -> None:
    text = document.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if "://" not in target:
            assert (document.parent / target).exists(), f"{document.name} links to {target}"


def test_cli_reference_is_the_help_of_every_command() -> None:
    reference = hook()
    page = (DOCS / "reference/cli.md").read_text(encoding="utf-8")
    assert reference.MARKER in page
    generated = reference.reference()
    found = list(reference.commands(COMMAND))
    assert {context.command_path for context, _ in found} >= {
        f"tailor {name}" for name in COMMAND.commands
    }
    for context, command in found:
        assert f"## `{context.command_path}`" in generated
        assert command.get_help(context).rstrip() in generated


def test_readme_lists_every_command_and_provider() -> None:
    readme = README.read_text(encoding="utf-8")
    for name in COMMAND.commands:
        assert f"| `tailor {name}` |" in readme
    providers = readme.split("## Providers", 1)[1].split("\n## ")[0]
    guide = (DOCS / "guide/providers.md").read_text(encoding="utf-8")
    for provider in PROVIDERS:
        assert f"`{provider}`" in providers and f"`{provider}`" in guide


# -- the examples ------------------------------------------------------------------------------

EXAMPLE_LINE = re.compile(r"^(?:\$ )?(tailor .*)$|\| (tailor .*)$")
INLINE = re.compile(r"`(tailor [^`]+)`")


def examples(text: str) -> Iterator[str]:
    """Every `tailor ...` command line of a document: in code blocks and inline code."""
    in_code = False
    for line in text.splitlines():
        if line.startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            match = EXAMPLE_LINE.search(line)
            if match:
                yield match.group(1) or match.group(2)
        else:
            yield from INLINE.findall(line)


def options(command: Any) -> set[str]:
    names = {"--help"}
    for param in command.params:
        if param.param_type_name == "option":
            names |= {*param.opts, *param.secondary_opts}
    return names


def check_example(example: str) -> str | None:
    """What is wrong with one example, or None."""
    words = shlex.split(re.split(r"\s#|\s[|><]|&&", example)[0])[1:]
    command = COMMAND
    while words and words[0].startswith("--"):  # the app's own options, before the command
        if words.pop(0) not in options(command):
            return "an unknown option before the command"
    if not words or words[0] in ("COMMAND", "..."):
        return None
    while hasattr(command, "commands") and words:
        name = words.pop(0)
        if name not in command.commands:
            return f"no command {name!r}"
        command = command.commands[name]
    for word in words:
        if re.fullmatch(r"-[A-Za-z]+", word):
            return f"short flag {word}: examples use long names"
        if word.startswith("--") and word.split("=")[0] not in options(command):
            return f"{word} is not an option of {command.name}"
    return None


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_every_example_uses_a_real_command_and_its_long_options(document: Path) -> None:
    found = list(examples(document.read_text(encoding="utf-8")))
    problems = [f"{example}: {problem}" for example in found if (problem := check_example(example))]
    assert problems == []


def test_the_example_check_catches_drift() -> None:
    assert check_example("tailor critique cv.md --target startup") is None
    assert check_example("tailor --verbose providers --check") is None
    assert check_example("tailor cache clear") is None
    assert check_example("tailor critique cv.md -t startup") is not None
    assert check_example("tailor critique cv.md --no-such-flag") is not None
    assert check_example("tailor critic cv.md") is not None
    assert check_example("tailor cache purge") is not None
