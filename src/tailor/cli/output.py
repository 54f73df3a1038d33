"""Where a command's result goes: stdout or a file, never over one of the run's inputs."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tailor.errors import UserError

if TYPE_CHECKING:
    from tailor.cover_letter.model import Letter
    from tailor.critic.model import Critique
    from tailor.interview.model import Prep
    from tailor.posting.model import JobPosting
    from tailor.rewriter.model import TailoredCV


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    md = "md"


# a report's format and file, the same on critique and prep
ReportFormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="Report format.")]
ReportFileOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE", help="Write the report to this file."),
]


ThemeOption = Annotated[
    str | None,
    typer.Option(
        "--theme",
        metavar="NAME",
        help="The look of the file written (default classic): `tailor themes` lists them.",
        show_default=False,
    ),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace FILE if it already exists.")]


def emit(text: str, output: Path | None) -> None:
    """`text` to stdout, or to `output` (a report is safe to replace)."""
    if output is None:
        sys.stdout.write(text)
        return
    from tailor.renderers import write_file

    write_file(output, text.encode("utf-8"), overwrite=True)
    print(f"wrote {output}", file=sys.stderr)


def check_output(output: Path | None, *inputs: str | Path | None) -> None:
    """Refuse an output file that is one of the run's input files (the same path, a hard
    link or a symbolic link), even with --force: it may be the user's only copy."""
    if output is None:
        return
    from tailor.renderers import is_same_file

    for given in inputs:
        if given is not None and str(given) != "-" and is_same_file(output, Path(given)):
            raise UserError(
                f"{output} is {given}, an input of this run; write to another file "
                "(tailor never replaces its input, even with --force)"
            )


def say_fallbacks(results: Sequence[Critique | TailoredCV | Prep | Letter | JobPosting]) -> None:
    """One stderr line for each distinct way the model failed, and what stands in its place."""
    for fallback in dict.fromkeys(result.fallback for result in results if result.fallback):
        print(f"tailor: {fallback}", file=sys.stderr)
