"""`tailor prep`: prepare for the interview."""

from __future__ import annotations

from typing import Annotated

import typer

from tailor.cli.app import handle_user_errors
from tailor.cli.inputs import CvArgument, JobPostingOption, load_posting, warn_if_misread
from tailor.cli.llm_options import LLMFlags, announced_client, with_llm_flags
from tailor.cli.output import (
    OutputFormat,
    ReportFileOption,
    ReportFormatOption,
    check_output,
    emit,
    say_fallbacks,
)
from tailor.options import LLMOptions


@handle_user_errors
@with_llm_flags
def prep(
    cv: CvArgument,
    target: Annotated[
        str | None,
        typer.Option(
            "--target",
            "-t",
            metavar="TARGET",
            help="A target whose own questions are added: a profile id, alias or .yaml file.",
        ),
    ] = None,
    jd: JobPostingOption = None,
    output_format: ReportFormatOption = OutputFormat.text,
    output: ReportFileOption = None,
    *,
    llm: LLMFlags,
) -> None:
    """Prepare for the interview: the questions AI/ML engineers are asked most, the lines of
    your CV to answer from, and what a strong answer covers that your CV does not show.

    With --target and --jd, their own questions are added. With an LLM, talking points drawn
    from your CV's facts (each checked against it). The role guide's salary band for your
    country is shown when your location names one.
    """
    import tailor
    from tailor.interview.report import to_markdown, to_text

    check_output(output, cv, jd, target)
    document = tailor.load_cv(cv)
    warn_if_misread(document, cv)
    profile = tailor.resolve_target(target) if target is not None else None
    with announced_client(llm) as client:
        posting = load_posting(jd, client)
        result = tailor.prep(document, profile, posting=posting, llm=LLMOptions(client=client))
        say_fallbacks([result])
    if output_format is OutputFormat.json:
        emit(result.model_dump_json(indent=2) + "\n", output)
    elif output_format is OutputFormat.md:
        emit(to_markdown(result), output)
    else:
        emit(to_text(result), output)
