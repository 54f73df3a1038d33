"""`tailor read`: what tailor read of a CV."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from tailor.cli.app import handle_user_errors
from tailor.cli.inputs import CvArgument
from tailor.cli.output import ForceOption, OutputFormat, check_output


@handle_user_errors
def read(
    cv: CvArgument,
    output_format: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            help="text (a report), md (the CV as tailor read it, to correct and read again), "
            "or json.",
        ),
    ] = OutputFormat.text,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write it to this file."),
    ] = None,
    force: ForceOption = False,
) -> None:
    """Show what tailor read of a CV: contacts, each section and role with its dates and
    bullets, what it could not place, and any signs that it read the CV wrong."""
    import tailor
    from tailor.renderers import reading, write_file

    document = tailor.load_cv(cv)  # first: a missing CV is said as such
    check_output(output, cv)
    if output_format is OutputFormat.json:
        text = json.dumps(reading.to_json(document), indent=2, ensure_ascii=False) + "\n"
    elif output_format is OutputFormat.md:
        text = reading.to_markdown(document)
    else:
        text = reading.to_text(document)
    if output is None:
        sys.stdout.write(text)
    else:  # the Markdown reading is a CV of its own: an existing file stays unless --force
        write_file(output, text.encode("utf-8"), overwrite=force)
        print(f"wrote {output}", file=sys.stderr)
