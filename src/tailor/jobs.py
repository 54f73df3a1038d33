"""Many CVs for many targets at once: concurrent, resumable, nothing lost.

A batch is a list of jobs (a CV, a target and/or a job posting, a task). Each job's result is
written to the output folder the moment it is ready, atomically, and the run manifest
(`manifest.json` in that folder) records every job's state: pending, done (with its files,
score, tokens and cost) or failed (with the reason). A failing job (an unreadable CV, an
unknown target, a provider that gives up) is recorded and the others go on. A job is keyed by
a hash of its inputs and settings, so a rerun into the same folder skips what is done and an
interrupted run picks up where it stopped.

Jobs run in a pool of threads: the LLM calls are what takes time, and the SDKs' clients are
safe to share between threads, so one client (and the provider's prompt cache for a CV's
shared prefix) serves every job.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tailor.errors import TailorError, UserError

if TYPE_CHECKING:
    from tailor.critic.model import Critique
    from tailor.cv.model import CV
    from tailor.llm.base import Usage
    from tailor.llm.client import LLMClient
    from tailor.posting.model import JobPosting
    from tailor.rewriter.model import TailoredCV

T = TypeVar("T")
Task = Literal["critique", "rewrite"]
State = Literal["pending", "done", "failed"]
TASKS: tuple[Task, ...] = ("critique", "rewrite")
MANIFEST = "manifest.json"
MANIFEST_VERSION = 1
CV_FORMATS = (".md", ".json", ".html", ".docx", ".pdf")


class JobSpec(BaseModel):
    """One job: a CV, a target and/or a posting, a task."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cv: str
    target: str | None = None
    jd: str | None = None
    task: Task = "critique"

    def label(self) -> str:
        """ "casey-morgan for startup + job.md (critique)"."""
        parts = [p for p in (self.target, Path(self.jd).name if self.jd else None) if p]
        return f"{Path(self.cv).stem} for {' + '.join(parts)} ({self.task})"


class JobRecord(BaseModel):
    """A job's state in the run manifest."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="the job's name in the output folder")
    job: JobSpec
    key: str | None = Field(default=None, description="hash of its inputs and settings")
    state: State = "pending"
    reason: str | None = Field(default=None, description="why it failed")
    files: list[str] = Field(default_factory=list, description="its outputs, in the folder")
    score: int | None = None
    changes: int | None = None
    input_tokens: int = 0
    output_tokens: int = 0
    cache_write_tokens: int = 0
    cache_read_tokens: int = 0
    cost_usd: float | None = None
    seconds: float | None = None


class RunManifest(BaseModel):
    """Every job of a batch and how it went; `manifest.json` in the output folder."""

    model_config = ConfigDict(extra="forbid")

    version: int = MANIFEST_VERSION
    provider: str = "offline"
    model: str | None = None
    base_url: str | None = None
    format: str = ".md"
    updated: str | None = None
    jobs: list[JobRecord] = Field(default_factory=list)

    def counts(self) -> dict[State, int]:
        return {s: sum(1 for r in self.jobs if r.state == s) for s in ("pending", "done", "failed")}


@dataclass(frozen=True)
class Event:
    """What the progress display hears: a job started, finished or was skipped as done."""

    kind: Literal["start", "done", "failed", "skipped"]
    record: JobRecord


def plan(
    cvs: Sequence[str],
    targets: Sequence[str],
    jds: Sequence[str] = (),
    tasks: Sequence[Task] = ("critique",),
) -> list[JobSpec]:
    """Every CV for every target and posting: with both, each posting refines each target."""
    if not cvs:
        raise UserError("no CV to tailor: name one or more CV files, or a --jobs file")
    if not targets and not jds:
        raise UserError("say what to tailor for: --target, --jd, or both")
    target_list: list[str | None] = list(targets) or [None]
    jd_list: list[str | None] = list(jds) or [None]
    return [
        JobSpec(cv=cv, target=target, jd=jd, task=task)
        for cv in cvs
        for target in target_list
        for jd in jd_list
        for task in tasks
    ]


def read_jobs_file(path: str | Path) -> list[JobSpec]:
    """Jobs from a YAML list or a CSV file with the columns cv, target, jd and task (only cv
    is required); relative paths are taken from the file's folder."""
    file = Path(path)
    if not file.is_file():
        raise UserError(f"no such jobs file: {file}")
    text = file.read_text(encoding="utf-8-sig")
    try:
        if file.suffix.lower() == ".csv":
            rows: object = list(csv.DictReader(io.StringIO(text)))
        else:
            rows = yaml.safe_load(text)
    except (yaml.YAMLError, csv.Error) as error:
        raise UserError(f"{file}: not a valid jobs file ({str(error).splitlines()[0]})") from None
    if not isinstance(rows, list) or not rows:
        raise UserError(f"{file}: a jobs file is a list of rows with at least a cv")
    jobs = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise UserError(f"{file}: row {number} is not a mapping of cv, target, jd, task")
        values = {k.strip(): v.strip() for k, v in row.items() if isinstance(v, str) and v.strip()}
        for key in ("cv", "jd"):
            if key in values and not Path(values[key]).is_absolute():
                values[key] = str(file.parent / values[key])
        try:
            job = JobSpec.model_validate(values)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "row"
            raise UserError(f"{file}: row {number}: {where}: {first['msg']}") from None
        if job.target is None and job.jd is None:
            raise UserError(f"{file}: row {number} names neither a target nor a jd")
        jobs.append(job)
    return jobs


class Batch:
    """One run of jobs into one output folder."""

    def __init__(
        self,
        out_dir: str | Path,
        *,
        client: LLMClient | None = None,
        output_format: str = ".md",
        concurrency: int = 4,
        warm_cache: bool = True,
        on_event: Callable[[Event], None] | None = None,
    ) -> None:
        if output_format not in CV_FORMATS:
            raise UserError(f"unknown format {output_format!r}; use {', '.join(CV_FORMATS)}")
        if concurrency < 1:
            raise UserError("--concurrency must be 1 or more")
        self.folder = Path(out_dir)
        self.client = client
        self.format = output_format
        self.concurrency = concurrency
        self.on_event = on_event or (lambda event: None)
        self.warm_cache = warm_cache
        self._finished: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        self._cvs: dict[str, CV | TailorError] = {}
        self._postings: dict[str, JobPosting | TailorError] = {}
        self._loading = threading.Lock()
        self.manifest = self._open_manifest()

    # -- the run ------------------------------------------------------------------------------

    def run(self, jobs: Iterable[JobSpec]) -> RunManifest:
        """Run `jobs` (skipping those done with the same inputs and settings); the manifest."""
        records = self._records(list(jobs))
        todo = []
        for record in records:
            if record.state == "done" and all((self.folder / f).is_file() for f in record.files):
                self.on_event(Event("skipped", record))
            else:
                todo.append(record)
        self._save()
        waits = self._cache_warmups(todo)
        todo.sort(key=lambda record: record.id in waits)  # the CVs' first jobs go first
        with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
            futures = [pool.submit(self._run_one, record, waits.get(record.id)) for record in todo]
            try:
                for future in as_completed(futures):
                    future.result()
            except KeyboardInterrupt:  # stop cleanly: what is done is on disk and recorded
                for future in futures:
                    future.cancel()
                raise
            finally:
                self._save()
        from tailor.comparison import write_report

        write_report(self.folder, self.manifest)
        return self.manifest

    def _records(self, jobs: list[JobSpec]) -> list[JobRecord]:
        """The manifest's record for each job (a new one for a new job), keyed afresh."""
        by_job = {record.job: record for record in self.manifest.jobs}
        taken = {record.id for record in self.manifest.jobs}
        records = []
        for job in dict.fromkeys(jobs):
            record = by_job.get(job)
            if record is None:
                record = JobRecord(id=_unique(_job_id(job), taken), job=job)
                taken.add(record.id)
                self.manifest.jobs.append(record)
            key = self._key(job)
            if key != record.key:  # new inputs or settings: the old result no longer stands
                record.key, record.state = key, "pending"
            records.append(record)
        return records

    def _cache_warmups(self, todo: list[JobRecord]) -> dict[str, threading.Event]:
        """With an LLM and `warm_cache`, each CV's other jobs wait for its first one: the
        first writes the CV's prompt prefix (instructions and CV) to the provider's cache,
        and the others read it at a tenth of the price. Requests sent at the same moment
        would all miss the cache."""
        if self.client is None or not self.warm_cache:
            return {}
        first: dict[str, threading.Event] = {}
        waits: dict[str, threading.Event] = {}
        for record in todo:
            if record.job.cv in first:
                waits[record.id] = first[record.job.cv]
            else:
                first[record.job.cv] = self._finished.setdefault(record.id, threading.Event())
        return waits

    def _run_one(self, record: JobRecord, after: threading.Event | None = None) -> None:
        if after is not None:
            after.wait()
        try:
            self._run_job(record)
        finally:
            self._finished.setdefault(record.id, threading.Event()).set()

    def _run_job(self, record: JobRecord) -> None:
        self.on_event(Event("start", record))
        started = time.perf_counter()
        try:
            files, result = self._do(record.job, record.id)
        except TailorError as error:
            self._finish(record, "failed", reason=_first_line(str(error)))
        except Exception as error:  # a bug of ours must not lose the other jobs' results
            self._finish(record, "failed", reason=f"internal error ({type(error).__name__})")
        else:
            self._finish(record, "done", files=files, result=result)
        record.seconds = round(time.perf_counter() - started, 3)
        self._save()
        self.on_event(Event("done" if record.state == "done" else "failed", record))

    def _do(self, job: JobSpec, job_id: str) -> tuple[list[str], Critique | TailoredCV]:
        from tailor import api
        from tailor.renderers import render_bytes, write_file

        cv = self._cv(job.cv)
        posting = self._posting(job.jd) if job.jd else None
        target = job.target
        if job.task == "critique":
            critique = api.critique(cv, target, posting=posting, client=self.client)
            from tailor.critic.report import to_markdown

            files = {
                f"{job_id}.json": critique.model_dump_json(indent=2).encode(),
                f"{job_id}.md": to_markdown([critique]).encode(),
            }
            result: Critique | TailoredCV = critique
        else:
            tailored = api.rewrite(cv, target, posting=posting, client=self.client)
            from tailor.rewriter.report import to_markdown_log

            files = {
                f"{job_id}.json": tailored.model_dump_json(indent=2).encode(),
                f"{job_id}.changes.md": to_markdown_log(tailored).encode(),
                f"{job_id}.cv{self.format}": render_bytes(
                    tailored.cv, self.format, tailored.section_order
                ),
            }
            result = tailored
        for name, data in files.items():
            path = self.folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            write_file(path, data, overwrite=True)
        return list(files), result

    def _finish(
        self,
        record: JobRecord,
        state: State,
        *,
        reason: str | None = None,
        files: list[str] | None = None,
        result: Critique | TailoredCV | None = None,
    ) -> None:
        with self._lock:
            record.state, record.reason, record.files = state, reason, files or []
            record.score = getattr(result, "score", None)
            changes = getattr(result, "changes", None)
            record.changes = len(changes) if changes is not None else None
            _count(record, getattr(result, "usage", None))

    # -- inputs, read once per run ------------------------------------------------------------

    def _cv(self, path: str) -> CV:
        from tailor.cv.readers import load_cv

        return self._once(self._cvs, path, lambda: load_cv(path))

    def _posting(self, path: str) -> JobPosting:
        from tailor.api import load_posting

        return self._once(self._postings, path, lambda: load_posting(path, client=self.client))

    def _once(self, store: dict[str, T | TailorError], path: str, load: Callable[[], T]) -> T:
        """`load()` once per path for the whole run; its error, too, for every job it fails."""
        with self._loading:
            if path not in store:
                try:
                    store[path] = load()
                except TailorError as error:
                    store[path] = error
            value = store[path]
        if isinstance(value, TailorError):
            raise value
        return value

    def _key(self, job: JobSpec) -> str:
        """A hash of what makes a job's result: its files' bytes, its target's profile, the
        task, the engine and the output format."""
        from tailor import __version__
        from tailor.targets import resolve_target

        digest = hashlib.sha256()
        for part in (job.cv, job.jd):
            digest.update(_file_digest(part).encode() if part else b"-")
        try:
            profile = resolve_target(job.target).model_dump_json() if job.target else "-"
        except TailorError as error:
            profile = f"error: {error}"
        settings = self.client.settings if self.client is not None else None
        for part in (
            profile,
            job.task,
            self.format,
            __version__,
            settings.provider if settings else "offline",
            settings.model if settings else "",
            settings.base_url or "" if settings else "",
        ):
            digest.update(b"\0" + part.encode())
        return digest.hexdigest()

    # -- the manifest -------------------------------------------------------------------------

    def _open_manifest(self) -> RunManifest:
        path = self.folder / MANIFEST
        settings = self.client.settings if self.client is not None else None
        fresh = RunManifest(
            provider=settings.provider if settings else "offline",
            model=settings.model if settings else None,
            base_url=settings.base_url if settings else None,
            format=self.format,
        )
        if self.folder.exists() and not self.folder.is_dir():
            raise UserError(f"{self.folder} is a file, not an output folder")
        if not path.is_file():
            return fresh
        try:
            manifest = RunManifest.model_validate_json(path.read_text(encoding="utf-8"))
        except (ValidationError, OSError, UnicodeDecodeError):
            raise UserError(
                f"{path} is not a tailor batch manifest; use another --out-dir"
            ) from None
        manifest.provider, manifest.model = fresh.provider, fresh.model
        manifest.base_url, manifest.format = fresh.base_url, fresh.format
        return manifest

    def _save(self) -> None:
        from tailor.renderers import write_file

        with self._lock:
            self.manifest.updated = datetime.now(UTC).isoformat(timespec="seconds")
            data = self.manifest.model_dump_json(indent=2).encode()
        self.folder.mkdir(parents=True, exist_ok=True)
        with self._lock:  # one writer at a time; each write is atomic
            write_file(self.folder / MANIFEST, data, overwrite=True)


def load_manifest(folder: str | Path) -> RunManifest:
    """The run manifest of an output folder, to resume it."""
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise UserError(f"no batch to resume in {folder} (no {MANIFEST})")
    try:
        return RunManifest.model_validate_json(path.read_text(encoding="utf-8"))
    except (ValidationError, UnicodeDecodeError):
        raise UserError(f"{path} is not a tailor batch manifest") from None


def _count(record: JobRecord, usage: Usage | None) -> None:
    if usage is None:  # offline, or failed: nothing billed
        record.cost_usd = None
        return
    record.input_tokens = usage.input_tokens
    record.output_tokens = usage.output_tokens
    record.cache_write_tokens = usage.cache_write_tokens
    record.cache_read_tokens = usage.cache_read_tokens
    record.cost_usd = usage.cost_usd


def _file_digest(path: str) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return f"unreadable: {path}"


def _job_id(job: JobSpec) -> str:
    """ "casey-morgan/startup.critique", "casey-morgan/startup+job.rewrite"."""
    what = "+".join(_slug(p) for p in (job.target, Path(job.jd).stem if job.jd else None) if p)
    return f"{_slug(Path(job.cv).stem)}/{what}.{job.task}"


def _unique(name: str, taken: set[str]) -> str:
    candidate, number = name, 2
    while candidate in taken:
        candidate = f"{name}-{number}"
        number += 1
    return candidate


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "x"


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "failed"
