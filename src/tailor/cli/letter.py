"""`tailor letter`: a cover letter for a job posting, grounded in the CV."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from tailor.cli.app import handle_user_errors
from tailor.cli.inputs import CvArgument, load_posting, warn_if_misread
from tailor.cli.llm_options import LLMFlags, announced_client, with_llm_flags
from tailor.cli.output import ForceOption, OutputFormat, ThemeOption, check_output, say_fallbacks
from tailor.errors import UserError
from tailor.options import LLMOptions


@handle_user_errors
@with_llm_flags
def letter(
    cv: CvArgument,
    jd: Annotated[
        str | None,
        typer.Option(
            "--jd",
            metavar="FILE",
            help="The job posting to write for (.txt .md .html .pdf .json, or - for stdin).",
            show_default=False,
        ),
    ] = None,
    target: Annotated[
        str | None,
        typer.Option(
            "--target",
            "-t",
            metavar="TARGET",
            help="A kind of employer whose values decide which evidence leads: a profile id, "
            "alias or .yaml file.",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the letter here, under your CV's header; the extension picks the "
            "format: .md .txt .html .docx .pdf, or .json for the letter with its notes.",
        ),
    ] = None,
    force: ForceOption = False,
    theme: ThemeOption = None,
    output_format: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            help="What is printed: the letter as text or md, with its notes on stderr (with "
            "-o, the notes alone); or json, the whole letter with its notes.",
        ),
    ] = OutputFormat.text,
    gaps: Annotated[
        bool,
        typer.Option(
            "--gaps",
            help="Add a line naming the posting's must-haves your CV does not show yet.",
        ),
    ] = False,
    *,
    llm: LLMFlags,
) -> None:
    """Write a cover letter for a job posting from your CV: nothing in it that your CV does
    not say.

    Offline, a draft of your own best lines for the posting's must-haves, to edit into your
    own voice. With an LLM, the model writes it, and every sentence is checked against the CV
    lines it cites: one that states more is sent back once, then left out (the notes say
    which, and why).
    """
    import tailor
    from tailor.cover_letter import report

    if jd is None:
        raise UserError("a letter answers a job posting: give it with --jd FILE")
    if str(cv) == "-" and jd == "-":
        raise UserError("the CV and the posting cannot both come from stdin: give one as a file")
    if output is not None:
        if output.is_dir():
            raise UserError(f"cannot write {output}: it is a folder")
        report.check_path(output)  # a bad extension fails before any work is done
    if theme is not None:
        from tailor.renderers.themes import theme_named

        theme_named(theme)
    check_output(output, cv, jd, target)
    document = tailor.load_cv(cv)
    warn_if_misread(document, cv)
    profile = tailor.resolve_target(target) if target is not None else None
    with announced_client(llm) as client:
        posting = load_posting(jd, client)
        assert posting is not None
        result = tailor.letter(
            document, profile, posting=posting, gaps=gaps, llm=LLMOptions(client=client)
        )
        say_fallbacks([result])
    if output is not None:
        tailor.render(result, output, overwrite=force, theme=theme)
    # stdout carries one thing a script can use: the JSON, else the letter (its notes on
    # stderr), else with -o the notes
    markdown = output_format is OutputFormat.md
    notes = report.notes_markdown(result) if markdown else report.notes_text(result)
    if output_format is OutputFormat.json:
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
    elif output is not None:
        sys.stdout.write(notes)
    else:
        sys.stdout.write(report.to_markdown(result) if markdown else report.to_text(result))
        sys.stderr.write("\n" + notes)
    if output is not None:
        print(f"wrote {output}", file=sys.stderr)
