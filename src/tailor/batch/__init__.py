"""Many CVs for many targets at once: concurrent, resumable, nothing lost.

A batch is a list of jobs (a CV, a target and/or a job posting, a task). Each job's result is
written to the output folder the moment it is ready, atomically, and the run manifest
(`manifest.json` in that folder) records every job's state: pending, done (with its files,
score, tokens and cost) or failed (with the reason). A failing job (an unreadable CV, an
unknown target, a provider that gives up) is recorded and the others go on. A job is keyed by
a hash of its inputs and settings, so a rerun into the same folder skips what is done and an
interrupted run picks up where it stopped.

One run at a time writes to a folder (`output_folder`): a second is refused, not raced, and
runs one after another add up in its manifest. A record is matched by its job (CV, target,
posting, task), not its id: a job run again keeps its entry, and another job whose id would be
the same (two CVs called `cv.md` in two folders) gets a numbered one (`cv/startup.critique-2`),
so no run's results take another's place.

Jobs run in a pool of threads: the LLM calls are what takes time, and the SDKs' clients are
safe to share between threads, so one client (and the provider's prompt cache for a CV's
shared prefix) serves every job.

    import tailor.batch
    manifest = tailor.batch.run(["cv.md"], ["startup", "anthropic"], out_dir="out")
    manifest = tailor.batch.resume("out")  # what failed or did not run, again
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from tailor.batch.manifest import Event, JobRecord, JobSpec, RunManifest, load_manifest
from tailor.batch.plan import ResumePlan, plan, read_jobs_file, resume_plan
from tailor.batch.report import caching_savings, write_report
from tailor.batch.runner import Batch
from tailor.errors import UserError
from tailor.options import OFFLINE, LLMOptions, engine

if TYPE_CHECKING:
    from tailor.llm.client import LLMClient

AS_IT_RAN = LLMOptions(provider=None)  # resume: the provider the batch ran with

__all__ = [
    "Batch",
    "Event",
    "JobRecord",
    "JobSpec",
    "ResumePlan",
    "RunManifest",
    "caching_savings",
    "load_manifest",
    "plan",
    "rate_limited",
    "read_jobs_file",
    "resume",
    "resume_plan",
    "run",
    "write_report",
]


def run(
    cvs: Sequence[str | Path],
    targets: Sequence[str] = (),
    *,
    jds: Sequence[str | Path] = (),
    tasks: Sequence[str] = ("critique",),
    out_dir: str | Path,
    output_format: str = ".md",
    theme: str | None = None,
    concurrency: int = 4,
    requests_per_minute: float | None = None,
    tokens_per_minute: float | None = None,
    provider_batch: bool = False,
    warm_cache: bool | None = None,
    prep: bool = False,
    letters: bool = False,
    llm: LLMOptions = OFFLINE,
) -> RunManifest:
    """Critique and/or tailor every CV for every target and posting, into `out_dir`; with
    `letters` (or a task "letter"), a cover letter for each posting too.

    Each result is written as soon as it is ready; `out_dir/manifest.json` records each job's
    state (done, with its files, score, tokens and cost; or failed, with the reason), and a
    rerun into the same folder skips the jobs already done. One failing job never stops the
    others: check `manifest.counts()`. `provider_batch` sends the requests as one Anthropic
    or OpenAI batch (half price, answered within a day). `warm_cache` runs each CV's first
    job before its others so they read the CV from the provider's prompt cache; None (the
    default) does so only when that adds no round of `concurrency` jobs. `prep`
    also writes each CV's interview prep (offline) and shows it in the report. A letter is
    written as its `Letter` (JSON), its notes (Markdown) and the letter in `output_format`;
    it needs `jds`.

    `llm.fallback` does not apply: a job the model fails at is recorded as failed, with the
    reason, and `resume` runs it again. Runs into one folder add up in its manifest; a
    UserError refuses a run while another writes there, a manifest naming a file outside the
    folder, and a result that would take the place of an input CV or posting.
    """
    unknown = [task for task in tasks if task not in ("critique", "rewrite", "letter")]
    if unknown:
        raise UserError(f"unknown task {unknown[0]!r}; use critique, rewrite or letter")
    jobs = plan(
        [str(c) for c in cvs],
        list(targets),
        [str(j) for j in jds],
        tasks,  # type: ignore[arg-type]
        letters=letters,
    )
    with engine(llm) as client, rate_limited(client, requests_per_minute, tokens_per_minute):
        runner = Batch(
            out_dir,
            client=client,
            output_format=output_format,
            theme=theme,
            concurrency=concurrency,
            warm_cache=warm_cache,
            prep=prep,
            provider_batch=provider_batch,
        )
        return runner.run(jobs)


def resume(
    out_dir: str | Path,
    *,
    concurrency: int = 4,
    requests_per_minute: float | None = None,
    tokens_per_minute: float | None = None,
    warm_cache: bool | None = None,
    llm: LLMOptions = AS_IT_RAN,
) -> RunManifest:
    """Finish the batch in `out_dir`: run again, as it was, every job not done (failed, or
    never run); a provider batch in flight is collected. With `llm.provider` None (the
    default) the batch goes on with the provider, model and server it ran with; another
    provider brings its own default model."""
    again = resume_plan(out_dir, llm)
    with engine(again.llm) as client, rate_limited(client, requests_per_minute, tokens_per_minute):
        runner = Batch(
            out_dir,
            client=client,
            output_format=again.output_format,
            theme=again.theme,
            concurrency=concurrency,
            warm_cache=warm_cache,
            provider_batch=again.provider_batch,
        )
        return runner.run(again.jobs)


@contextmanager
def rate_limited(
    client: LLMClient | None, requests_per_minute: float | None, tokens_per_minute: float | None
) -> Iterator[None]:
    """The client held to these rates for the run, then as it was (it may be the caller's)."""
    if client is None:
        yield
        return
    from tailor.llm.limits import RateLimiter

    limits = (client.limiter, client.token_limiter)
    if requests_per_minute:
        client.limiter = RateLimiter(requests_per_minute)
    if tokens_per_minute:
        client.token_limiter = RateLimiter(tokens_per_minute)
    try:
        yield
    finally:
        client.limiter, client.token_limiter = limits
