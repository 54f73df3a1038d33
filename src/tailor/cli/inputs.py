"""What several commands read (the CV, a job posting) and what they say of it on stderr."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from tailor.cli.output import say_fallbacks
from tailor.options import LLMOptions
from tailor.wording import counted

if TYPE_CHECKING:
    from tailor.cv.model import CV
    from tailor.llm.client import LLMClient
    from tailor.posting.model import JobPosting

CvArgument = Annotated[
    str,
    typer.Argument(metavar="CV", help="CV file (.md .txt .json .yaml .pdf .docx), or - for stdin."),
]
JobPostingOption = Annotated[
    str | None,
    typer.Option(
        "--jd",
        metavar="FILE",
        help="A job posting to tailor for (.txt .md .html .pdf .json, or - for stdin): its "
        "requirements are checked against the CV. With --target, it refines that target.",
    ),
]


def warn_if_misread(cv: CV, path: str) -> None:
    """One line on stderr when the reading of a CV looks wrong, pointing at `tailor read`.
    The signs quote the CV, so the line only counts them: stderr ends up in logs."""
    warnings = cv.origin.warnings if cv.origin else []
    if warnings:
        print(
            f"tailor: warning: this CV may be misread ({counted(len(warnings), 'sign')}); "
            f"`tailor read {path}` shows them and what was read",
            file=sys.stderr,
        )


def load_posting(path: str | None, client: LLMClient | None) -> JobPosting | None:
    """The posting of --jd, read once for every target (by the model, when there is one)."""
    if path is None:
        return None
    import tailor

    posting = tailor.load_posting(path, llm=LLMOptions(client=client))
    say_fallbacks([posting])
    usage = posting.usage
    if usage is not None:
        how = "from tailor's response cache" if usage.cached else usage.spent()
        print(
            f"tailor: the posting was read by {posting.extracted_by} ({how}): "
            f"{counted(len(posting.must()), 'must-have')}, "
            f"{counted(len(posting.requirements) - len(posting.must()), 'nice-to-have')}",
            file=sys.stderr,
        )
    if not posting.requirements:
        print(
            f"tailor: found no requirements in {path} (is it a job posting?); only "
            "the skills it names guide the result",
            file=sys.stderr,
        )
    if posting.ignored:
        print(
            f"tailor: left out {counted(len(posting.ignored), 'line')} of the posting that "
            "addressed an AI model rather than a candidate",
            file=sys.stderr,
        )
    return posting
