"""`tailor critique`: score a CV for each target."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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

if TYPE_CHECKING:
    from tailor.critic.model import Critique
    from tailor.targets import CompanyProfile


@handle_user_errors
@with_llm_flags
def critique(
    cv: CvArgument,
    target: Annotated[
        list[str] | None,
        typer.Option(
            "--target",
            "-t",
            metavar="TARGET",
            help="Target: a profile id, an alias (anthropic, palantir, ...) or a profile .yaml file. "
            "Repeat for several; all bundled profiles when omitted (just the posting with --jd).",
        ),
    ] = None,
    jd: JobPostingOption = None,
    output_format: ReportFormatOption = OutputFormat.text,
    output: ReportFileOption = None,
    show_all: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Show every finding in full in the text report (by default: each target's "
            "three that matter most, the rest one line a rule). Markdown and JSON always "
            "have every finding.",
        ),
    ] = False,
    *,
    llm: LLMFlags,
) -> None:
    """Score a CV for each target: its verdict and the three findings that matter most first;
    every finding quotes its line and says how to fix it.

    With --jd, the report shows which of the posting's requirements the CV shows, and where.
    """
    import tailor

    check_output(output, cv, jd, *(target or []))
    names = target or ([] if jd is not None else list(tailor.bundled_profiles()))
    resolved = [tailor.resolve_target(name) for name in names]
    profiles: list[CompanyProfile | None]
    profiles = list({profile.id: profile for profile in resolved}.values())  # `-t lab -t openai`
    document = tailor.load_cv(cv)
    warn_if_misread(document, cv)
    with announced_client(llm) as client:
        posting = load_posting(jd, client)
        critiques = [
            tailor.critique(document, profile, posting=posting, llm=LLMOptions(client=client))
            for profile in (profiles or [None])  # None: the posting alone
        ]
    say_fallbacks(critiques)
    if output_format is OutputFormat.json:
        payload = [c.model_dump(mode="json") for c in critiques]
        chosen = payload[0] if len(payload) == 1 else payload
        emit(json.dumps(chosen, indent=2, ensure_ascii=False) + "\n", output)
    elif output_format is OutputFormat.md:
        from tailor.critic.report import to_markdown

        emit(to_markdown(critiques), output)
    else:
        _print_text(critiques, output, full=show_all)


def _print_text(critiques: list[Critique], output: Path | None, *, full: bool) -> None:
    """The text report: boxed on a terminal; plain, without trailing spaces, in a file or pipe."""
    from rich.console import Console

    from tailor.critic.report import to_rich

    terminal = Console()
    if output is None and terminal.is_terminal:
        terminal.width = min(terminal.width, 100)
        terminal.print(to_rich(critiques, full=full))
        return
    console = Console(record=True, width=100, file=io.StringIO(), color_system=None)
    console.print(to_rich(critiques, boxed=False, full=full))
    text = "\n".join(line.rstrip() for line in console.export_text().splitlines())
    emit(text.strip("\n") + "\n", output)
