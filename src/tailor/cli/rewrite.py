"""`tailor rewrite`: tailor a CV for one target."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tailor.cli.app import handle_user_errors
from tailor.cli.inputs import CvArgument, JobPostingOption, load_posting, warn_if_misread
from tailor.cli.llm_options import LLMFlags, announced_client, with_llm_flags
from tailor.cli.output import ForceOption, OutputFormat, ThemeOption, check_output, say_fallbacks
from tailor.errors import UserError
from tailor.options import LLMOptions

if TYPE_CHECKING:
    from rich.text import Text


@handle_user_errors
@with_llm_flags
def rewrite(
    cv: CvArgument,
    target: Annotated[
        str | None,
        typer.Option(
            "--target",
            "-t",
            metavar="TARGET",
            help="Target: a profile id, an alias (anthropic, palantir, ...) or a profile .yaml "
            "file. Needed unless --jd gives a posting.",
        ),
    ] = None,
    jd: JobPostingOption = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the tailored CV here; the extension picks the format: "
            ".md .json .html .docx .pdf. Without it, the CV is printed as Markdown.",
        ),
    ] = None,
    force: ForceOption = False,
    theme: ThemeOption = None,
    diff: Annotated[
        bool,
        typer.Option(
            "--diff",
            help="Print a coloured diff of your CV and the tailored one (↕ marks a line "
            "that only moved).",
        ),
    ] = False,
    output_format: Annotated[
        OutputFormat,
        typer.Option(
            "--format",  # no -f: that is the format of a command's result, here -o's extension
            help="Change log format: text, md, or json (the whole result, CV included).",
        ),
    ] = OutputFormat.text,
    *,
    llm: LLMFlags,
) -> None:
    """Tailor a CV for one target: reorder, trim and select its lines; nothing is invented.

    The change log says what moved or was left out and why. Every fact of the result is
    checked against your CV.
    """
    import tailor
    from tailor.rewriter import report

    if output is not None:
        from tailor.renderers import renderer_for

        renderer_for(output)  # a bad extension fails before any work is done
    if theme is not None:
        from tailor.renderers.themes import theme_named

        theme_named(theme)
    check_output(output, cv, jd, target)
    if target is None and jd is None:
        raise UserError("say what to tailor for: --target TARGET, --jd POSTING, or both")
    source = tailor.load_cv(cv)
    warn_if_misread(source, cv)
    profile = tailor.resolve_target(target) if target is not None else None
    with announced_client(llm) as client:
        posting = load_posting(jd, client)
        tailored = tailor.rewrite(source, profile, posting=posting, llm=LLMOptions(client=client))
        say_fallbacks([tailored])
    if output is not None:
        tailor.render(tailored, output, overwrite=force, theme=theme)
    # stdout carries one thing a script can use: the JSON result, else the change log (or the
    # diff and the log), else the CV itself; the rest goes to stderr
    if diff:
        _print_diff(report.diff(source, tailored), to_stderr=output_format is OutputFormat.json)
    if output_format is OutputFormat.json:
        sys.stdout.write(tailored.model_dump_json(indent=2) + "\n")
    else:
        log = (
            report.to_text(tailored)
            if output_format is OutputFormat.text
            else report.to_markdown_log(tailored)
        )
        if output is None and not diff:
            from tailor.renderers.markdown import to_markdown

            sys.stdout.write(to_markdown(tailored.cv, tailored.section_order))
            sys.stderr.write("\n" + log)
        else:
            sys.stdout.write(log)
    if output is not None:
        print(f"wrote {output}", file=sys.stderr)


def _print_diff(text: Text, *, to_stderr: bool) -> None:
    """The diff in colour on a terminal, as plain +/-/↕ lines in a file or pipe."""
    from rich.console import Console

    terminal = Console(highlight=False, stderr=to_stderr)
    if terminal.is_terminal:
        terminal.print(text, soft_wrap=True)
    else:
        (sys.stderr if to_stderr else sys.stdout).write(text.plain)
