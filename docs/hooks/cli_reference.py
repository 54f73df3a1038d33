"""mkdocs hook: the CLI reference page, written from `tailor --help` at build time.

`docs/reference/cli.md` holds a marker; this hook replaces it with a table of the commands and
one section a command (its `--help` exactly as a terminal 80 columns wide shows it), so the
reference cannot drift from the code.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

MARKER = "<!-- cli-reference -->"
PAGE = "reference/cli.md"
WIDTH = 80


def commands(command: Any, parent: Any = None, name: str = "tailor") -> Iterator[tuple[Any, Any]]:
    """Every command of the app with its context, the app first, each group before its
    subcommands. (Typer ships its own copy of click, so commands are typed as Any here.)"""
    context = command.context_class(
        command,
        info_name=name,
        parent=parent,
        terminal_width=WIDTH,
        max_content_width=WIDTH,
        **command.context_settings,
    )
    yield context, command
    for sub_name, sub in getattr(command, "commands", {}).items():
        if not sub.hidden:
            yield from commands(sub, context, sub_name)


def anchor(context: Any) -> str:
    return context.command_path.replace(" ", "-")


def reference() -> str:
    """The generated Markdown: a table of the commands, then one section each."""
    import typer

    from tailor.cli import app

    found = list(commands(typer.main.get_command(app)))
    table = ["| command | what it does |", "|---|---|"]
    sections = []
    for context, command in found:
        summary = command.get_short_help_str(limit=300)
        path = context.command_path
        table.append(f"| [`{path}`](#{anchor(context)}) | {summary} |")
        sections += [
            f"## `{path}` {{#{anchor(context)}}}",
            "",
            "```text",
            f"$ {path} --help",
            command.get_help(context).rstrip(),
            "```",
            "",
        ]
    return "\n".join([*table, "", *sections])


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    if page.file.src_uri != PAGE:
        return markdown
    if MARKER not in markdown:
        raise ValueError(f"{PAGE} has lost its marker {MARKER}")
    return markdown.replace(MARKER, reference())
