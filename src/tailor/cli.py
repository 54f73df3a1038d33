"""The `tailor` command: parses arguments, calls the library, prints. No logic of its own."""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, ParamSpec, TypeVar

import typer
from typer.exceptions import TyperException

from tailor.errors import ProviderError, TailorError, UserError
from tailor.providers import OUTPUT_MODES, PROVIDERS
from tailor.wording import counted

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from tailor.critic.model import Critique
    from tailor.cv.model import CV
    from tailor.interview.model import Prep
    from tailor.jobs import Event, JobRecord, RunManifest
    from tailor.llm.client import LLMClient
    from tailor.posting.model import JobPosting
    from tailor.rewriter.model import TailoredCV
    from tailor.targets import CompanyProfile

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(
    name="tailor",
    help="Critique and tailor an AI/ML engineer's CV for a kind of employer. Offline by default.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: typer's rich panels print "<bool>" beside every flag
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    md = "md"


Provider = StrEnum("Provider", {name: name for name in PROVIDERS})  # type: ignore[misc]
PROVIDER_HELP = (
    "offline (tailor's own engine), anthropic, openai, openai-compatible (Ollama, vLLM...), "
    "or auto: Anthropic if ANTHROPIC_API_KEY is set, else OpenAI if OPENAI_API_KEY is, "
    "else offline. TAILOR_PROVIDER and the config file can set it too."
)
ProviderOption = Annotated[Provider | None, typer.Option("--provider", "-p", help=PROVIDER_HELP)]
ModelOption = Annotated[
    str | None,
    typer.Option("--model", "-m", help="LLM model (default per provider; or TAILOR_MODEL)."),
]
BaseUrlOption = Annotated[
    str | None,
    typer.Option(
        "--base-url",
        metavar="URL",
        help="Server for openai-compatible (default TAILOR_BASE_URL, else Ollama's).",
    ),
]
OutputMode = StrEnum("OutputMode", {name: name for name in OUTPUT_MODES})  # type: ignore[misc]
OutputModeOption = Annotated[
    OutputMode | None,
    typer.Option(
        "--output-mode",
        help="How an openai-compatible server is asked for JSON: json_schema, json_object "
        "(with the schema), prompt (the schema in the prompt only), or auto: the best it "
        "takes, stepping down when it refuses one, starting where it worked last time "
        "(default: TAILOR_OUTPUT_MODE, the config file's output_mode, else auto).",
    ),
]
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
NoCacheOption = Annotated[
    bool, typer.Option("--no-cache", help="Ask the LLM again instead of using stored answers.")
]
RedactOption = Annotated[
    bool | None,
    typer.Option(
        "--redact/--no-redact",
        help="Send your name, contacts, address, handles, date of birth and ID numbers to the "
        "LLM as placeholders, put back in its answer. Default: on, except for a server on "
        "this machine or a private network.",
        show_default=False,
    ),
]
NoStoreOption = Annotated[
    bool,
    typer.Option(
        "--no-store",
        help="Write nothing to disk but the output you ask for: no response cache (read or "
        "written).",
    ),
]


def handle_user_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn tailor's errors into one line on stderr and exit code 2, never a traceback.

    Set TAILOR_DEBUG=1 to see the traceback of an unexpected error.
    """

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except ProviderError as error:
            _fail(str(error), code=2, note=error.spent())
        except TailorError as error:
            _fail(str(error), code=2)
        except typer.Exit:  # a command's own exit code (batch: some jobs failed)
            raise
        except KeyboardInterrupt:
            _fail("interrupted", code=130)
        except Exception as error:  # a bug of ours: still one line, unless debugging
            if os.environ.get("TAILOR_DEBUG"):
                raise
            _fail(
                f"internal error ({type(error).__name__}); rerun with TAILOR_DEBUG=1 for details",
                code=1,
            )

    return wrapper


_ERROR_CHARACTERS = 1_000  # an error line may quote a server's or a file's words: cut to this


def _fail(message: str, *, code: int, note: str = "") -> NoReturn:
    first_line = message.strip().splitlines()[0] if message.strip() else "failed"
    if len(first_line) > _ERROR_CHARACTERS:
        first_line = first_line[:_ERROR_CHARACTERS] + " [...]"
    print(f"tailor: error: {first_line}{note}", file=sys.stderr)
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        from tailor import __version__

        print(f"tailor {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose",
            "-v",
            help="Log each LLM call (provider, model, tokens, cost, time, cache hits) to "
            "stderr. Never the CV or a key.",
        ),
    ] = False,
) -> None:
    """Critique and tailor an AI/ML engineer's CV for a kind of employer. Offline by default."""
    if verbose:
        import logging

        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("tailor: %(message)s"))
        logger = logging.getLogger("tailor")
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


@app.command()
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
    force: Annotated[
        bool, typer.Option("--force", help="Replace FILE if it already exists.")
    ] = False,
) -> None:
    """Show what tailor read of a CV: contacts, each section and role with its dates and
    bullets, what it could not place, and any signs that it read the CV wrong."""
    import tailor
    from tailor.renderers import reading, write_file

    document = tailor.load_cv(cv)  # first: a missing CV is said as such
    _check_output(output, cv)
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


def _warn_if_misread(cv: CV, path: str) -> None:
    """One line on stderr when the reading of a CV looks wrong, pointing at `tailor read`.
    The signs quote the CV, so the line only counts them: stderr ends up in logs."""
    warnings = cv.origin.warnings if cv.origin else []
    if warnings:
        print(
            f"tailor: warning: this CV may be misread ({counted(len(warnings), 'sign')}); "
            f"`tailor read {path}` shows them and what was read",
            file=sys.stderr,
        )


@app.command()
@handle_user_errors
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
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Report format.")
    ] = OutputFormat.text,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write the report to this file."),
    ] = None,
    show_all: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Show every finding in full in the text report (by default: each target's "
            "three that matter most, the rest one line a rule). Markdown and JSON always "
            "have every finding.",
        ),
    ] = False,
    provider: ProviderOption = None,
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    output_mode: OutputModeOption = None,
    no_cache: NoCacheOption = False,
    redact: RedactOption = None,
    no_store: NoStoreOption = False,
) -> None:
    """Score a CV for each target: its verdict and the three findings that matter most first;
    every finding quotes its line and says how to fix it.

    With --jd, the report shows which of the posting's requirements the CV shows, and where.
    """
    import tailor

    _check_output(output, cv, jd, *(target or []))
    names = target or ([] if jd is not None else list(tailor.bundled_profiles()))
    resolved = [tailor.resolve_target(name) for name in names]
    profiles: list[CompanyProfile | None]
    profiles = list({profile.id: profile for profile in resolved}.values())  # `-t lab -t openai`
    document = tailor.load_cv(cv)
    _warn_if_misread(document, cv)
    with _llm(
        provider.value if provider else None, model, base_url, no_cache or no_store, redact,
        output_mode=output_mode.value if output_mode else None, no_store=no_store,
    ) as client:  # fmt: skip
        posting = _load_posting(jd, client)
        critiques = [
            tailor.critique(document, profile, posting=posting, client=client)
            for profile in (profiles or [None])  # None: the posting alone
        ]
    _say_fallbacks(critiques)
    if output_format is OutputFormat.json:
        payload = [c.model_dump(mode="json") for c in critiques]
        _emit(
            json.dumps(payload[0] if len(payload) == 1 else payload, indent=2, ensure_ascii=False)
            + "\n",
            output,
        )
    elif output_format is OutputFormat.md:
        from tailor.critic.report import to_markdown

        _emit(to_markdown(critiques), output)
    else:
        _print_rich(critiques, output, full=show_all)


@app.command()
@handle_user_errors
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
    force: Annotated[
        bool, typer.Option("--force", help="Replace FILE if it already exists.")
    ] = False,
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
            "--format",
            "-f",
            help="Change log format: text, md, or json (the whole result, CV included).",
        ),
    ] = OutputFormat.text,
    provider: ProviderOption = None,
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    output_mode: OutputModeOption = None,
    no_cache: NoCacheOption = False,
    redact: RedactOption = None,
    no_store: NoStoreOption = False,
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
    _check_output(output, cv, jd, target)
    if target is None and jd is None:
        raise UserError("say what to tailor for: --target TARGET, --jd POSTING, or both")
    source = tailor.load_cv(cv)
    _warn_if_misread(source, cv)
    profile = tailor.resolve_target(target) if target is not None else None
    with _llm(
        provider.value if provider else None, model, base_url, no_cache or no_store, redact,
        output_mode=output_mode.value if output_mode else None, no_store=no_store,
    ) as client:  # fmt: skip
        posting = _load_posting(jd, client)
        tailored = tailor.rewrite(source, profile, posting=posting, client=client)
        _say_fallbacks([tailored])
    if output is not None:
        tailor.render(tailored, output, overwrite=force)
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


class BatchTask(StrEnum):
    critique = "critique"
    rewrite = "rewrite"
    both = "both"


EXIT_SOME_FAILED = 3


@app.command()
@handle_user_errors
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
            help="A YAML or CSV file of jobs (columns cv, target, jd, task), for large runs.",
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
            help="Format of the tailored CVs: md (default), json, html, docx or pdf.",
        ),
    ] = None,
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
    provider: ProviderOption = None,
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    output_mode: OutputModeOption = None,
    no_cache: NoCacheOption = False,
    redact: RedactOption = None,
    no_store: NoStoreOption = False,
) -> None:
    """Critique or tailor many CVs for many targets and postings at once.

    Each result is written as soon as it is ready, and DIR/manifest.json records every job.
    A failed job does not stop the others; rerunning into the same DIR (or --resume DIR)
    skips what is done. Runs into one DIR add up in its manifest; one runs there at a time.
    Exit code 0: all done; 3: some failed.
    """
    from tailor.jobs import Batch, load_manifest, plan, read_jobs_file
    from tailor.llm.config import batch_concurrency

    if resume is not None:
        inputs = {
            "CV": cvs, "--target": target, "--jd": jd, "--task": task, "--out-dir": out_dir,
            "--jobs": jobs_file, "--format": cv_format,
        }  # fmt: skip
        given = [name for name, value in inputs.items() if value]
        if given:
            raise UserError(f"--resume reruns a batch as it was; it takes no {given[0]}")
        manifest = load_manifest(resume)
        manifest_batch = manifest.provider_batches  # it ran through provider batches
        specs = [record.job for record in manifest.jobs]
        folder = resume
        cv_format = manifest.format
        provider_name: str | None = manifest.provider
        if provider is not None and provider.value != manifest.provider:
            provider_name = provider.value  # another provider: its own default model and URL
        else:
            model = model or manifest.model
            base_url = base_url or manifest.base_url
    else:
        if out_dir is None:
            raise UserError("say where the results go: --out-dir DIR (or --resume DIR)")
        chosen = task or BatchTask.critique
        tasks = ["critique", "rewrite"] if chosen is BatchTask.both else [chosen.value]
        specs = read_jobs_file(jobs_file) if jobs_file is not None else []
        if jobs_file is not None and not cvs and (target or jd or task):
            raise UserError(
                "--target, --jd and --task go with CV arguments; a jobs file "
                "names its own in its columns"
            )
        if cvs or not specs:
            specs += plan(cvs or [], target or [], jd or [], tasks)  # type: ignore[arg-type]
        folder = out_dir
        provider_name = provider.value if provider else None
        manifest_batch = False
    extension = "." + (cv_format or "md").lstrip(".").lower()
    if no_store and (provider_batch or manifest_batch):
        raise UserError(
            "--provider-batch keeps the batch's answers on disk until they are used (so that a "
            "stopped run can resume); it cannot go with --no-store"
        )
    with _llm(
        provider_name, model, base_url, no_cache or no_store, redact,
        output_mode=output_mode.value if output_mode else None, no_store=no_store,
    ) as client:  # fmt: skip
        if client is not None and (rpm or tpm):
            from tailor.llm.limits import RateLimiter

            client.limiter = RateLimiter(rpm) if rpm else None
            client.token_limiter = RateLimiter(tpm) if tpm else None
        with _BatchProgress(len(specs)) as progress:
            runner = Batch(
                folder,
                client=client,
                output_format=extension,
                concurrency=batch_concurrency(concurrency, client.settings if client else None),
                warm_cache=warm_cache,
                prep=with_prep,
                provider_batch=provider_batch or manifest_batch,
                poll_seconds=poll,
                on_event=progress.event,
                on_note=progress.note,
            )
            manifest = runner.run(specs)
    _print_batch_summary(manifest, runner.this_run, folder)
    counts = manifest.counts(runner.this_run)
    if counts["failed"] or counts["pending"]:
        print(
            f"tailor: {counts['failed']} of {len(runner.this_run)} jobs failed"
            + (f" and {counts['pending']} did not run" if counts["pending"] else "")
            + f"; rerun with --resume {folder} to retry them",
            file=sys.stderr,
        )
        raise typer.Exit(EXIT_SOME_FAILED)


class _BatchProgress:
    """On a terminal: a progress bar on stderr (jobs done of all, time left), with a line for
    each failed job above it. Elsewhere (a log, a pipe): one line per finished job."""

    def __init__(self, total: int, console: Console | None = None) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self.console = console or Console(stderr=True)
        self.live = self.console.is_terminal
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("jobs, time left"),
            TimeRemainingColumn(),
            console=self.console,
            transient=True,
            disable=not self.live,
        )
        self.bar = self.progress.add_task("batch", total=total)

    def __enter__(self) -> _BatchProgress:
        self.progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.__exit__(None, None, None)

    def note(self, text: str) -> None:
        self.console.print(f"tailor: {text}", highlight=False, soft_wrap=True)

    def event(self, event: Event) -> None:
        record = event.record
        if event.kind == "start":
            self.progress.update(self.bar, description=record.job.label())
            return
        self.progress.advance(self.bar)
        if self.live and event.kind != "failed":  # the bar counts it; the table lists it
            return
        mark = {"done": "done", "skipped": "done before", "failed": "FAILED"}[event.kind]
        why = f": {record.reason}" if record.reason else ""
        self.console.print(
            f"tailor: {mark} {record.job.label()}{why}", highlight=False, soft_wrap=True
        )


def _tokens(record: JobRecord) -> int:
    cached = record.cache_read_tokens + record.cache_write_tokens
    return record.input_tokens + cached + record.output_tokens


def _print_batch_summary(manifest: RunManifest, records: list[JobRecord], folder: Path) -> None:
    """One row a job of this run (CV, target, task, state, score, changes, tokens, cost,
    time; no tokens nor cost when nothing was spent), and the totals."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Batch in {folder}", title_justify="left")
    # tokens and cost only when something was spent (never offline)
    spent = any(_tokens(r) or r.cost_usd for r in records)
    columns = ["CV", "target", "task", "state", "score", "changes"]
    columns += ["tokens", "cached", "cost"] if spent else []
    for column in (*columns, "time"):
        numeric = column not in ("CV", "target", "task", "state")
        table.add_column(column, justify="right" if numeric else "left")
    # a failed job's answers are billed too
    costs = [r.cost_usd for r in records if r.state == "done" or _tokens(r)]
    for record in records:
        job = record.job
        tokens = _tokens(record)
        usage = [
            str(tokens) if tokens else "",
            str(record.cache_read_tokens) if record.cache_read_tokens else "",
            "" if record.cost_usd is None else f"${record.cost_usd:.4f}",
        ]
        table.add_row(
            Path(job.cv).name,
            " + ".join(p for p in (job.target, Path(job.jd).name if job.jd else None) if p),
            job.task,
            record.state + (f": {record.reason}" if record.reason else ""),
            "" if record.score is None else str(record.score),
            "" if record.changes is None else str(record.changes),
            *(usage if spent else []),
            "" if record.seconds is None else f"{record.seconds:.1f} s",
        )
    console = Console(width=None if sys.stdout.isatty() else 160)
    console.print(table)
    known = [c for c in costs if c is not None]
    if manifest.provider == "offline":
        cost = "no cost (offline)"
    else:
        from tailor.jobs import caching_savings

        cost = f"${sum(known):.4f}" + (" (some costs unknown)" if len(known) < len(costs) else "")
        saved = caching_savings(records, manifest.provider, manifest.model)
        written = sum(r.cache_write_tokens for r in records)
        read = sum(r.cache_read_tokens for r in records)
        if written or read:
            cost += f"; prompt cache: {written} tokens written, {read} read"
            cost += f", saving ${saved:.4f} at list prices" if saved is not None else ""
    counts = manifest.counts(records)
    console.print(
        f"{counts['done']} done, {counts['failed']} failed, {counts['pending']} pending; "
        f"{cost}; results and manifest.json in {folder}",
        highlight=False,
        soft_wrap=True,
    )


@app.command()
@handle_user_errors
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
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Report format.")
    ] = OutputFormat.text,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write the report to this file."),
    ] = None,
    provider: ProviderOption = None,
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    output_mode: OutputModeOption = None,
    no_cache: NoCacheOption = False,
    redact: RedactOption = None,
    no_store: NoStoreOption = False,
) -> None:
    """Prepare for the interview: the questions AI/ML engineers are asked most, the lines of
    your CV to answer from, and what a strong answer covers that your CV does not show.

    With --target and --jd, their own questions are added. With an LLM, talking points drawn
    from your CV's facts (each checked against it). The role guide's salary band for your
    country is shown when your location names one.
    """
    import tailor
    from tailor.interview.report import to_markdown, to_text

    _check_output(output, cv, jd, target)
    document = tailor.load_cv(cv)
    _warn_if_misread(document, cv)
    profile = tailor.resolve_target(target) if target is not None else None
    with _llm(
        provider.value if provider else None, model, base_url, no_cache or no_store, redact,
        output_mode=output_mode.value if output_mode else None, no_store=no_store,
    ) as client:  # fmt: skip
        posting = _load_posting(jd, client)
        result = tailor.prep(document, profile, posting=posting, client=client)
        _say_fallbacks([result])
    if output_format is OutputFormat.json:
        _emit(result.model_dump_json(indent=2) + "\n", output)
    elif output_format is OutputFormat.md:
        _emit(to_markdown(result), output)
    else:
        _emit(to_text(result), output)


@app.command()
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


@app.command()
@handle_user_errors
def providers(
    provider: Annotated[
        str | None,
        typer.Option(
            "--provider",
            "-p",
            metavar="PROVIDER",
            help="auto, offline, anthropic, openai or openai-compatible "
            "(default: TAILOR_PROVIDER, the config file, else auto).",
        ),
    ] = None,
    model: Annotated[
        str | None, typer.Option("--model", "-m", help="Model name (default per provider).")
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            metavar="URL",
            help="Server for openai-compatible (default: TAILOR_BASE_URL, else Ollama's "
            "http://localhost:11434/v1).",
        ),
    ] = None,
    output_mode: OutputModeOption = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Send one tiny request (no CV) to prove the provider answers in the "
            "structured form tailor needs; prints its tokens, cost and time.",
        ),
    ] = False,
) -> None:
    """Show which LLM provider and model tailor would use, and check that it works."""
    from tailor.llm import config

    mode = output_mode.value if output_mode else None
    choice = config.resolve(provider, model, base_url, cache=False, output_mode=mode)
    print(f"config file: {config.default_config_file()}")
    for name in ("anthropic", "openai"):
        variable = config.KEY_VARIABLES[name]
        state = "set" if os.environ.get(variable) else "not set"
        print(f"{variable}: {state}")
    settings = choice.settings
    if settings is None:
        print(f"provider: offline ({choice.reason})")
        return
    print(f"provider: {settings.provider} ({choice.reason})")
    print(f"model: {settings.model or 'the one the server lists (GET /v1/models)'}")
    if settings.base_url:
        print(f"base URL: {settings.base_url}")
    if settings.local_server:
        print(f"output mode: {settings.output_mode}")
    if check:
        from tailor.llm.check import check_provider

        usage = check_provider(settings)
        if not settings.model:
            print(f"the server's model: {usage.model}")
        cost = f"${usage.cost_usd:.6f}" if usage.cost_usd is not None else "cost unknown"
        print(
            f"check: answered in {usage.latency_s:.2f} s with valid structured output "
            f"({usage.input_tokens} tokens in, {usage.output_tokens} out, {cost}, "
            f"{counted(usage.requests, 'request')})"
        )


cache_app = typer.Typer(
    help="The LLM response cache in your user cache folder.", no_args_is_help=True
)
app.add_typer(cache_app, name="cache")


@cache_app.command("clear")
@handle_user_errors
def cache_clear() -> None:
    """Delete every stored LLM answer."""
    from tailor.llm.cache import ResponseCache

    cache = ResponseCache()
    removed = cache.clear()
    print(f"removed {counted(removed, 'stored answer')} from {cache.folder}")


@cache_app.command("path")
@handle_user_errors
def cache_path() -> None:
    """Print the cache folder."""
    from tailor.llm.cache import ResponseCache

    print(ResponseCache().folder)


@contextlib.contextmanager
def _llm(
    provider: str | None,
    model: str | None,
    base_url: str | None,
    no_cache: bool,
    redact: bool | None = None,
    *,
    output_mode: str | None = None,
    no_store: bool = False,
) -> Iterator[LLMClient | None]:
    """The LLM client the options resolve to (None: offline), said on stderr, then closed.
    With `no_store`, not even the output mode a server takes is kept for the next run."""
    if provider == "offline":
        yield None
        return
    from tailor.llm.client import LLMClient
    from tailor.llm.config import resolve

    choice = resolve(
        provider, model, base_url, cache=not no_cache, redact=redact,
        output_mode=output_mode, remember_modes=not no_store,
    )  # fmt: skip
    if choice.settings is None:  # auto found no key: the report says "offline" itself
        yield None
        return
    settings = choice.settings
    where = f" at {settings.base_url}" if settings.provider == "openai-compatible" else ""
    named = settings.model or "(the model the server lists)"
    if settings.redacts:
        privacy = "your name, contacts, address and handles go as placeholders"
    else:
        privacy = "the CV goes as it is (--redact sends placeholders instead)"
    print(
        f"tailor: using {settings.provider} {named}{where} ({choice.reason}); {privacy}",
        file=sys.stderr,
    )
    with LLMClient(settings) as client:
        yield client


def _say_fallbacks(results: Sequence[Critique | TailoredCV | Prep | JobPosting]) -> None:
    """One stderr line for each distinct way the model failed, and what stands in its place."""
    for fallback in dict.fromkeys(result.fallback for result in results if result.fallback):
        print(f"tailor: {fallback}", file=sys.stderr)


def _load_posting(path: str | None, client: LLMClient | None) -> JobPosting | None:
    """The posting of --jd, read once for every target (by the model, when there is one)."""
    if path is None:
        return None
    import tailor

    posting = tailor.load_posting(path, client=client, provider="offline")
    _say_fallbacks([posting])
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


def _check_output(output: Path | None, *inputs: str | Path | None) -> None:
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


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from tailor.renderers import write_file

    write_file(output, text.encode("utf-8"), overwrite=True)  # a report is safe to replace
    print(f"wrote {output}", file=sys.stderr)


def _print_diff(text: Text, *, to_stderr: bool) -> None:
    """The diff in colour on a terminal, as plain +/-/↕ lines in a file or pipe."""
    from rich.console import Console

    terminal = Console(highlight=False, stderr=to_stderr)
    if terminal.is_terminal:
        terminal.print(text, soft_wrap=True)
    else:
        (sys.stderr if to_stderr else sys.stdout).write(text.plain)


def _print_rich(critiques: list[Critique], output: Path | None, *, full: bool) -> None:
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
    _emit(text.strip("\n") + "\n", output)


def main() -> None:
    """Entry point of the `tailor` console script.

    Usage mistakes (a missing argument, an unknown option or value) are reported like every
    other input error: one line on stderr and exit code 2.
    """
    try:
        code = app(standalone_mode=False)
    except typer.Abort:
        print("tailor: error: interrupted", file=sys.stderr)
        code = 130
    except TyperException as error:  # a usage error
        message = error.format_message() if hasattr(error, "format_message") else str(error)
        if type(error).__name__ == "NoArgsIsHelpError":  # `tailor` alone: its message is the help
            print(message)
        else:
            context = getattr(error, "ctx", None)
            command = context.command_path if context is not None else "tailor"
            print(f"tailor: error: {message} (see '{command} --help')", file=sys.stderr)
        code = getattr(error, "exit_code", 2)
    sys.exit(code if isinstance(code, int) else 0)
