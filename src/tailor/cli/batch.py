"""`tailor batch`: many CVs for many targets and postings at once."""

from __future__ import annotations

import dataclasses
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tailor.cli.app import EXIT_SOME_FAILED, handle_user_errors
from tailor.cli.batch_progress import BatchProgress, print_summary
from tailor.cli.llm_options import LLMFlags, announced_client, with_llm_flags
from tailor.cli.output import ThemeOption
from tailor.errors import UserError

if TYPE_CHECKING:
    from tailor.batch import JobSpec


class BatchTask(StrEnum):
    critique = "critique"
    rewrite = "rewrite"
    both = "both"


@handle_user_errors
@with_llm_flags
def batch(
    cvs: Annotated[
        list[str] | None,
        typer.Argument(metavar="CV", help="CV files (any supported format)."),
    ] = None,
    target: Annotated[
        list[str] | None,
        typer.Option("--target", "-t", metavar="TARGET", help="A target; repeat for several."),
    ] = None,
    jd: Annotated[
        list[str] | None,
        typer.Option("--jd", metavar="FILE", help="A job posting; repeat for several."),
    ] = None,
    task: Annotated[
        BatchTask | None,
        typer.Option("--task", help="What to make for each CV and target (default critique)."),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out-dir",
            "-o",
            metavar="DIR",
            help="Where results and manifest.json go (needed unless --resume).",
        ),
    ] = None,
    jobs_file: Annotated[
        Path | None,
        typer.Option(
            "--jobs",
            metavar="FILE",
            help="A YAML or CSV file of jobs (columns cv, target, jd, task: critique, "
            "rewrite, both or letter), for large runs.",
        ),
    ] = None,
    resume: Annotated[
        Path | None,
        typer.Option(
            "--resume",
            metavar="DIR",
            help="Finish an interrupted or partly failed batch: rerun what is not done.",
        ),
    ] = None,
    concurrency: Annotated[
        int | None,
        typer.Option(
            "--concurrency",
            "-j",
            min=1,
            max=64,
            help="Jobs at once (default 4; 1 for an openai-compatible server, which answers "
            "one request at a time).",
            show_default=False,
        ),
    ] = None,
    rpm: Annotated[
        float | None,
        typer.Option("--rpm", min=1, help="At most this many LLM requests a minute."),
    ] = None,
    tpm: Annotated[
        float | None,
        typer.Option(
            "--tpm",
            min=100,
            help="At most about this many input tokens a minute (counted as 4 characters a "
            "token before sending).",
        ),
    ] = None,
    cv_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="Format of the tailored CVs: md (default), json, html, docx, pdf or "
            "rendercv.yaml (rendercv's input; letters then only as JSON).",
        ),
    ] = None,
    theme: ThemeOption = None,
    provider_batch: Annotated[
        bool,
        typer.Option(
            "--provider-batch",
            help="Send the LLM requests as one Anthropic Message Batch or OpenAI Batch: half "
            "price, answered within a day. The batch id is kept in DIR/manifest.json; "
            "--resume DIR picks it up.",
        ),
    ] = False,
    poll: Annotated[
        float,
        typer.Option(
            "--poll", metavar="SECONDS", min=0, help="How often to check a provider batch."
        ),
    ] = 30.0,
    with_prep: Annotated[
        bool,
        typer.Option(
            "--prep",
            help="Also write each CV's interview prep (DIR/<cv>/prep.md, offline: no LLM call) "
            "and show its readiness in report.html.",
        ),
    ] = False,
    with_letter: Annotated[
        bool,
        typer.Option(
            "--letter",
            help="Also write a cover letter for each posting (DIR/<cv>/<target+posting>.letter."
            "<fmt>, with its notes and JSON beside it); needs --jd.",
        ),
    ] = False,
    warm_cache: Annotated[
        bool | None,
        typer.Option(
            "--warm-cache/--no-warm-cache",
            help="With an LLM, run each CV's first job before its others, so that they read "
            "the CV from the provider's prompt cache (cheaper, but it can add a round of -j "
            "jobs). Default: only when it adds no round.",
            show_default=False,
        ),
    ] = None,
    *,
    llm: LLMFlags,
) -> None:
    """Critique or tailor many CVs for many targets and postings at once; with --letter, a
    cover letter for each posting too.

    Each result is written as soon as it is ready, and DIR/manifest.json records every job.
    A failed job does not stop the others; rerunning into the same DIR (or --resume DIR)
    skips what is done. Runs into one DIR add up in its manifest; one runs there at a time.
    Exit code 0: all done; 3: some failed.
    """
    from tailor.batch import Batch, rate_limited, resume_plan
    from tailor.llm.config import batch_concurrency

    if resume is not None:
        inputs = {
            "CV": cvs, "--target": target, "--jd": jd, "--task": task, "--out-dir": out_dir,
            "--jobs": jobs_file, "--format": cv_format, "--theme": theme, "--letter": with_letter,
        }  # fmt: skip
        given = [name for name, value in inputs.items() if value]
        if given:
            raise UserError(f"--resume reruns a batch as it was; it takes no {given[0]}")
        plan = resume_plan(resume, llm.options)
        folder, specs, cv_format, theme = resume, plan.jobs, plan.output_format, plan.theme
        provider_batch = provider_batch or plan.provider_batch
        llm = dataclasses.replace(llm, options=plan.llm)
    elif out_dir is None:
        raise UserError("say where the results go: --out-dir DIR (or --resume DIR)")
    else:
        specs = _jobs(cvs or [], target or [], jd or [], task, jobs_file, letters=with_letter)
        folder = out_dir
    if llm.no_store and provider_batch:
        raise UserError(
            "--provider-batch keeps the batch's answers on disk until they are used (so that a "
            "stopped run can resume); it cannot go with --no-store"
        )
    with (
        announced_client(llm) as client,
        rate_limited(client, rpm, tpm),
        BatchProgress(len(specs)) as progress,
    ):
        runner = Batch(
            folder,
            client=client,
            output_format="." + (cv_format or "md").lstrip(".").lower(),
            theme=theme,
            concurrency=batch_concurrency(concurrency, client.settings if client else None),
            warm_cache=warm_cache,
            prep=with_prep,
            provider_batch=provider_batch,
            poll_seconds=poll,
            on_event=progress.event,
            on_note=progress.note,
        )
        manifest = runner.run(specs)
    print_summary(manifest, runner.this_run, folder)
    counts = manifest.counts(runner.this_run)
    if counts["failed"] or counts["pending"]:
        print(
            f"tailor: {counts['failed']} of {len(runner.this_run)} jobs failed"
            + (f" and {counts['pending']} did not run" if counts["pending"] else "")
            + f"; rerun with --resume {folder} to retry them",
            file=sys.stderr,
        )
        raise typer.Exit(EXIT_SOME_FAILED)


def _jobs(
    cvs: list[str],
    targets: list[str],
    jds: list[str],
    task: BatchTask | None,
    jobs_file: Path | None,
    *,
    letters: bool = False,
) -> list[JobSpec]:
    """The jobs of a new batch: the jobs file's, then every CV argument for every target and
    posting (and with `letters`, a letter for each posting)."""
    from tailor.batch import plan, read_jobs_file

    chosen = task or BatchTask.critique
    tasks = ["critique", "rewrite"] if chosen is BatchTask.both else [chosen.value]
    specs = read_jobs_file(jobs_file) if jobs_file is not None else []
    if jobs_file is not None and not cvs and (targets or jds or task or letters):
        raise UserError(
            "--target, --jd, --task and --letter go with CV arguments; a jobs file names its "
            "own in its columns"
        )
    if cvs or not specs:
        specs += plan(cvs, targets, jds, tasks, letters=letters)  # type: ignore[arg-type]
    return specs
