"""What `tailor batch` prints while it runs (a progress bar, or a line a job) and after (a table
of this run's jobs and the totals)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from tailor.batch import Event, JobRecord, RunManifest


class BatchProgress:
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

    def __enter__(self) -> BatchProgress:
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


def print_summary(manifest: RunManifest, records: list[JobRecord], folder: Path) -> None:
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
        from tailor.batch import caching_savings

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
