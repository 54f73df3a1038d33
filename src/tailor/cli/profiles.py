"""`tailor profiles`: the targets, or one of them as YAML."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from tailor.cli.app import handle_user_errors
from tailor.cli.output import OutputFormat


@handle_user_errors
def profiles(
    target: Annotated[
        str | None,
        typer.Argument(
            metavar="[TARGET]",
            help="Print this target's profile as YAML, to start your own profile from.",
        ),
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="List format.")
    ] = OutputFormat.text,
) -> None:
    """List the targets and what each weighs, or print one as YAML."""
    from tailor.targets import bundled_profiles, profile_source, resolve_target

    if target is not None:
        sys.stdout.write(profile_source(resolve_target(target)))
        return
    bundled = bundled_profiles()
    if output_format is OutputFormat.json:
        listed = [p.model_dump(mode="json") for p in bundled.values()]
        print(json.dumps(listed, indent=2, ensure_ascii=False))
        return
    if output_format is OutputFormat.md:
        for p in bundled.values():
            weighs = ", ".join(v.label for v in p.values)
            print(f"- **{p.id}** ({p.name}): aliases {', '.join(p.aliases)}; weighs {weighs}")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Targets (pass an id, an alias, or your own profile .yaml to --target)")
    table.add_column("id", style="bold")
    table.add_column("aliases")
    table.add_column("weighs")
    table.add_column("its own rules")
    for p in bundled.values():
        table.add_row(
            p.id,
            ", ".join(p.aliases),
            "; ".join(v.label for v in p.values),
            ", ".join(rule.id for rule in p.rules),
        )
    Console().print(table)
    print("Print one as YAML to start your own: tailor profiles frontier-lab > my-profile.yaml")
