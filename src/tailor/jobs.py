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
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, TypeVar, cast

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from tailor import limits
from tailor.errors import ProviderError, TailorError, UserError
from tailor.llm.base import BatchProvider, Reply
from tailor.llm.client import Deferred, DeferredRequest
from tailor.output_folder import bad_name, held, leads_outside, overwritten
from tailor.resources import load_yaml
from tailor.usage import add_usage

if TYPE_CHECKING:
    from tailor.critic.model import Critique
    from tailor.cv.model import CV
    from tailor.interview.model import Prep
    from tailor.llm.client import LLMClient
    from tailor.posting.model import JobPosting
    from tailor.rewriter.model import TailoredCV
    from tailor.usage import Usage

T = TypeVar("T")
Task = Literal["critique", "rewrite"]
State = Literal["pending", "done", "failed"]
MANIFEST = "manifest.json"
MANIFEST_VERSION = 1
MAX_BATCH_ROUNDS = 4  # a posting's reading, the job's call, a re-ask, a rewrite's second try
ANSWERS = ".answers"  # a provider batch's answers, kept until every job has used them
BATCH_PROVIDERS = ("anthropic", "openai")
CV_FORMATS = (".md", ".json", ".html", ".docx", ".pdf")


def _inside_the_folder(name: object) -> object:
    """A name from a manifest (read back from disk: anyone may have edited it) as tailor writes
    them, relative and inside the output folder; a symlink on the way is `_read_manifest`'s."""
    reason = bad_name(name) if isinstance(name, str) else None
    if reason is not None:
        raise ValueError(reason)
    return name


FolderName = Annotated[str, BeforeValidator(_inside_the_folder)]


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

    id: FolderName = Field(
        pattern=r"^[A-Za-z0-9._+-]+/[A-Za-z0-9._+-]+$",
        description="the job's name in the output folder",
    )
    job: JobSpec
    key: str | None = Field(default=None, description="hash of its inputs and settings")
    state: State = "pending"
    reason: str | None = Field(default=None, description="why it failed")
    files: list[FolderName] = Field(default_factory=list, description="its outputs, in the folder")
    score: int | None = None
    changes: int | None = None
    input_tokens: int = 0
    output_tokens: int = 0
    cache_write_tokens: int = 0
    cache_read_tokens: int = 0
    cost_usd: float | None = None
    seconds: float | None = None


class ProviderBatch(BaseModel):
    """A batch sent to a provider's batch API and not yet collected."""

    model_config = ConfigDict(extra="forbid")

    id: str
    provider: str
    submitted: str
    keys: dict[str, str] = Field(description="each request's custom id -> its request key")


class RunManifest(BaseModel):
    """Every job of a batch and how it went; `manifest.json` in the output folder."""

    model_config = ConfigDict(extra="forbid")

    version: int = MANIFEST_VERSION
    provider: str = "offline"
    model: str | None = None
    base_url: str | None = None
    format: str = ".md"
    updated: str | None = None
    provider_batches: bool = Field(default=False, description="run through provider batches")
    provider_batch: ProviderBatch | None = None
    prep: bool = Field(default=False, description="each CV's interview prep is written too")
    jobs: list[JobRecord] = Field(default_factory=list)

    def counts(self, records: Sequence[JobRecord] | None = None) -> dict[State, int]:
        """How many jobs (of `records`, else of the whole folder) are in each state."""
        chosen = self.jobs if records is None else records
        return {s: sum(1 for r in chosen if r.state == s) for s in ("pending", "done", "failed")}


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
    """Every CV for every target and posting: with both, each posting refines each target.

    Paths are made absolute (a batch can be resumed from anywhere) and a target named by an
    alias becomes its profile's id (`-t anthropic -t frontier-lab` is one target).
    """
    if not cvs:
        raise UserError("no CV to tailor: name one or more CV files, or a --jobs file")
    if not targets and not jds:
        raise UserError("say what to tailor for: --target, --jd, or both")
    target_list: list[str | None] = list(dict.fromkeys(_target(t) for t in targets)) or [None]
    jd_list: list[str | None] = list(dict.fromkeys(_path(j) for j in jds)) or [None]
    jobs = [
        JobSpec(cv=_path(cv), target=target, jd=jd, task=task)
        for cv in cvs
        for target in target_list
        for jd in jd_list
        for task in tasks
    ]
    return list(dict.fromkeys(jobs))


def read_jobs_file(path: str | Path) -> list[JobSpec]:
    """Jobs from a YAML list or a CSV file with the columns cv, target, jd and task (only cv
    is required; task may be critique, rewrite or both); relative paths, a profile file's
    too, are taken from the jobs file's folder."""
    file = Path(path)
    data = limits.read_limited(file, limit=limits.DATA_BYTES, what="jobs")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(f"{file}: cannot decode the jobs file (save it as UTF-8)") from None
    try:
        if file.suffix.lower() == ".csv":
            rows: object = list(csv.DictReader(io.StringIO(text)))
        else:
            rows = load_yaml(text, name=str(file))
    except (yaml.YAMLError, csv.Error) as error:
        raise UserError(f"{file}: not a valid jobs file ({str(error).splitlines()[0]})") from None
    if not isinstance(rows, list) or not rows:
        raise UserError(f"{file}: a jobs file is a list of rows with at least a cv")
    jobs: list[JobSpec] = []
    for number, row in enumerate(rows, start=1):
        jobs += _jobs_of_row(file, number, row)
    return list(dict.fromkeys(jobs))


_COLUMNS = ("cv", "target", "jd", "task")


def _jobs_of_row(file: Path, number: int, row: object) -> list[JobSpec]:
    where = f"{file}: row {number}"
    if not isinstance(row, dict):
        raise UserError(f"{where} is not a mapping of {', '.join(_COLUMNS)}")
    values: dict[str, str] = {}
    for key, value in row.items():
        name = str(key).strip() if key is not None else ""
        if name not in _COLUMNS:
            raise UserError(
                f"{where}: unknown column {name or '(none)'!r}; use {', '.join(_COLUMNS)}"
            )
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if not isinstance(value, str):
            raise UserError(f"{where}: {name} must be text, not {type(value).__name__}")
        values[name] = value.strip()
    if "cv" not in values:
        raise UserError(f"{where} has no cv")
    if "target" not in values and "jd" not in values:
        raise UserError(f"{where} names neither a target nor a jd")
    task = values.get("task", "critique")
    if task not in ("critique", "rewrite", "both"):
        raise UserError(f"{where}: task {task!r}; use critique, rewrite or both")
    target = values.get("target")
    if target is not None and _looks_like_path(target) and not Path(target).is_absolute():
        target = str(file.parent / target)
    jd = str(file.parent / values["jd"]) if "jd" in values else None
    tasks: list[Task] = ["critique", "rewrite"] if task == "both" else [cast(Task, task)]
    return plan(
        [str(file.parent / values["cv"])], [target] if target else [], [jd] if jd else [], tasks
    )


def _path(value: str) -> str:
    if value == "-":
        raise UserError("a batch reads its CVs and postings from files, not from stdin")
    return str(Path(value).expanduser().resolve())


def _looks_like_path(target: str) -> bool:
    return target.endswith((".yaml", ".yml")) or "/" in target or "\\" in target


def _target(name: str) -> str:
    """A bundled target's id ("anthropic" -> "frontier-lab"); a profile file's absolute path;
    an unknown name as written (its jobs fail with the reason)."""
    from tailor.targets import resolve_target

    if _looks_like_path(name):
        return _path(name)
    try:
        return resolve_target(name).id
    except TailorError:
        return name


class Batch:
    """One run of jobs into one output folder."""

    def __init__(
        self,
        out_dir: str | Path,
        *,
        client: LLMClient | None = None,
        output_format: str = ".md",
        concurrency: int = 4,
        warm_cache: bool | None = None,
        prep: bool = False,
        provider_batch: bool = False,
        poll_seconds: float = 30.0,
        on_event: Callable[[Event], None] | None = None,
        on_note: Callable[[str], None] | None = None,
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
        self.prep = prep
        if provider_batch and (client is None or client.settings.provider not in BATCH_PROVIDERS):
            raise UserError("--provider-batch needs --provider anthropic or openai")
        self.provider_batch = provider_batch
        self.poll_seconds = poll_seconds
        self.on_note = on_note or (lambda note: None)
        self._sleep = time.sleep
        self._finished: dict[str, threading.Event] = {}
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._cvs: dict[str, CV | TailorError] = {}
        self._postings: dict[str, JobPosting | TailorError] = {}
        self._loading = threading.Lock()
        self._path_locks: dict[str, threading.Lock] = {}
        self._first_use: set[str] = set()  # paths loaded and not yet billed to a job
        self._digests: dict[str, str] = {}
        self.this_run: list[JobRecord] = []  # the records of the last `run`
        self.manifest = self._open_manifest()  # read again by `run`: early word of a problem
        self._check_in_flight()

    # -- the run ------------------------------------------------------------------------------

    def run(self, jobs: Iterable[JobSpec]) -> RunManifest:
        """Run `jobs` (skipping those done with the same inputs and settings); the manifest.

        The folder is this run's alone while it runs: another run into it is refused. Its
        manifest is read again once held, so the jobs of a run that ended meanwhile are kept.
        """
        with held(self.folder):
            self.manifest = self._open_manifest()
            self._check_in_flight()
            return self._run(list(jobs))

    def _run(self, jobs: list[JobSpec]) -> RunManifest:
        records = self._records(jobs)
        self._refuse_unsafe_outputs(records)
        self.this_run = records
        todo = []
        for record in records:
            if record.state == "done" and all((self.folder / f).is_file() for f in record.files):
                self.on_event(Event("skipped", record))
            else:  # new, interrupted, or failed before: tried again
                record.state, record.reason = "pending", None
                todo.append(record)
        self._save()
        if self.provider_batch and self.client is not None:
            self._through_provider_batches(todo)
            todo = [record for record in todo if record.state == "pending"]
        waits = self._cache_warmups(todo)
        todo.sort(key=lambda record: record.id in waits)  # the CVs' first jobs go first
        with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
            futures = [pool.submit(self._run_one, record, waits.get(record.id)) for record in todo]
            try:
                for future in as_completed(futures):
                    future.result()
            except KeyboardInterrupt:  # stop cleanly: what is done is on disk and recorded
                self._stopping.set()  # jobs waiting for a CV's first job do not start either
                for future in futures:
                    future.cancel()
                raise
            finally:
                self._save()
        from tailor.comparison import write_report

        if self.prep and not self.manifest.prep:  # kept, so that --resume writes it again
            self.manifest.prep = True
            self._save()
        preps = self._write_preps() if self.manifest.prep else None
        write_report(self.folder, self.manifest, preps)
        return self.manifest

    def _write_preps(self) -> dict[str, tuple[str, Prep]]:
        """Each CV's interview prep (the offline evidence: no LLM call), as `<cv>/prep.md`;
        by CV path, its file (relative to the folder) and the prep."""
        from tailor.interview.evidence import prep_offline
        from tailor.interview.report import to_markdown
        from tailor.renderers import write_file

        preps: dict[str, tuple[str, Prep]] = {}
        for path, name in self._prep_names().items():
            try:
                cv = self._cv(path)
            except TailorError:
                continue  # its jobs failed, and say why
            prep = prep_offline(cv)
            write_file(self.folder / name, to_markdown(prep).encode("utf-8"), overwrite=True)
            preps[path] = (name, prep)
        return preps

    def _prep_names(self) -> dict[str, str]:
        """Each CV's prep file, by CV path: `<cv>/prep.md`, numbered when two CVs in the
        folder share a name (`cv/prep-2.md`), so that neither takes the other's place."""
        names: dict[str, str] = {}
        taken: set[str] = set()
        for record in self.manifest.jobs:
            if record.job.cv not in names:
                name = _unique(f"{record.id.split('/')[0]}/prep", taken)
                taken.add(name)
                names[record.job.cv] = f"{name}.md"
        return names

    def _refuse_unsafe_outputs(self, records: list[JobRecord]) -> None:
        """Refuse the run, before any work, if a file it would write is one of its inputs (a CV
        or posting named like a result, in the folder) or would land outside the folder."""
        from tailor.comparison import REPORT

        names = [MANIFEST, REPORT]
        names += [n for r in records for n in _output_names(r.id, r.job.task, self.format)]
        if self.prep or self.manifest.prep:
            names += self._prep_names().values()
        for name in names:
            if leads_outside(self.folder, name):
                raise UserError(
                    f"refusing to write {self.folder / name}: it leads outside {self.folder} "
                    "through a symlink"
                )
        inputs = [part for r in self.manifest.jobs for part in _inputs(r.job)]
        found = overwritten((self.folder / name for name in names), inputs)
        if found is not None:
            raise UserError(
                f"refusing to write {found[0]}: it is the input {found[1]}; use another --out-dir"
            )

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

    # -- provider batches --------------------------------------------------------------------

    def _through_provider_batches(self, todo: list[JobRecord]) -> None:
        """Run `todo` through the provider's batch API, in rounds: each round runs the jobs
        until each needs an answer it does not have, sends all those requests as one batch,
        waits for it, and gives the answers to the client. A job's later calls (a posting's
        reading first, then its critique; a rewrite's second try) go in the next round.
        Whatever is left after `MAX_BATCH_ROUNDS` runs live."""
        assert self.client is not None
        self.manifest.provider_batches = True  # a --resume goes on in batches
        self._load_answers()
        try:
            for _ in range(MAX_BATCH_ROUNDS):
                if self.manifest.provider_batch is None:
                    requests = self._collect(todo)
                    if not requests:
                        break
                    self._submit(requests)
                self._collect_answers()
        except ProviderError as error:
            batch = self.manifest.provider_batch
            if batch is None:
                raise
            raise ProviderError(
                f"{error} (batch {batch.id} is on record: tailor batch --resume "
                f"{self.folder} collects it)"
            ) from None
        left = [record for record in todo if record.state == "pending"]
        if left:
            self.on_note(f"{len(left)} jobs still need answers after {MAX_BATCH_ROUNDS} "
                         "batches; they are asked directly, at the full price")  # fmt: skip
        elif self.manifest.provider_batch is None:  # every answer used: a rerun asks afresh
            shutil.rmtree(self.folder / ANSWERS, ignore_errors=True)
            self.client.answers.clear()

    def _collect(self, todo: list[JobRecord]) -> list[DeferredRequest]:
        """Run the jobs not done with the client collecting requests; those requests."""
        assert self.client is not None
        self.client.deferring = []
        try:
            for record in todo:
                if record.state == "pending":  # a failed job is not asked again
                    self._run_job(record)
            return list({r.key: r for r in self.client.deferring}.values())
        finally:
            self.client.deferring = None

    def _submit(self, requests: list[DeferredRequest]) -> None:
        assert self.client is not None
        provider = cast(BatchProvider, self.client.provider)
        bodies = {
            f"r{number:05d}": provider.batch_params(r.messages, r.schema, r.max_tokens)
            for number, r in enumerate(requests, start=1)
        }
        batch_id = self.client.with_retries(lambda: provider.submit_batch(bodies))
        self.manifest.provider_batch = ProviderBatch(
            id=batch_id,
            provider=self.client.settings.provider,
            submitted=datetime.now(UTC).isoformat(timespec="seconds"),
            keys={cid: r.key for cid, r in zip(bodies, requests, strict=True)},
        )
        self._save()
        self.on_note(f"sent {len(requests)} requests as {self.manifest.provider_batch.provider} "
                     f"batch {batch_id}; its id is in {self.folder / MANIFEST}")  # fmt: skip

    def _collect_answers(self) -> None:
        """Wait for the batch in the manifest to end; give its answers to the client."""
        assert self.client is not None and self.manifest.provider_batch is not None
        client, provider = self.client, cast(BatchProvider, self.client.provider)
        batch = self.manifest.provider_batch
        said = ""
        while True:
            ended, progress = client.with_retries(lambda: provider.batch_state(batch.id))
            if progress != said:
                self.on_note(f"batch {batch.id}: {progress}")
                said = progress
            if ended:
                break
            self._sleep(self.poll_seconds)
        results = client.with_retries(lambda: provider.batch_results(batch.id))
        answered = {batch.keys[cid]: a for cid, a in results.items() if cid in batch.keys}
        replies = {key: a for key, a in answered.items() if not isinstance(a, str)}
        self._store_answers(replies)  # on disk before the batch is forgotten: paid for once
        client.answers.update(replies)
        unanswered = len(batch.keys) - len(replies)
        if unanswered:
            reasons = sorted({a for a in answered.values() if isinstance(a, str)})
            why = f" ({'; '.join(reasons)[:200]})" if reasons else ""
            self.on_note(f"batch {batch.id}: {unanswered} requests got no answer{why}; "
                         "they go in the next batch")  # fmt: skip
        self.manifest.provider_batch = None
        self._save()

    def _store_answers(self, replies: dict[str, Reply]) -> None:
        """Keep a batch's answers in DIR/.answers (the owner's only): a run stopped before
        using them resumes with them."""
        folder = self.folder / ANSWERS
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        for key, reply in replies.items():
            path = folder / f"{key}.json"
            data = json.dumps(dataclasses.asdict(reply)).encode()
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)

    def _load_answers(self) -> None:
        assert self.client is not None
        folder = self.folder / ANSWERS
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            try:
                text = limits.read_limited(path, limit=limits.CV_BYTES, what="answer").decode()
                self.client.answers[path.stem] = Reply(**limits.load_json(text, name=path.name))
            except (ValueError, TypeError, UserError):
                continue  # a damaged answer is asked again

    def _cache_warmups(self, todo: list[JobRecord]) -> dict[str, threading.Event]:
        """With an LLM, each CV's other jobs may wait for its first one: the first writes the
        CV's prompt prefix (instructions and CV) to the provider's cache, and the others read
        it at a tenth of the price. Requests sent at the same moment would all miss the cache.

        `warm_cache` None (the default) warms only when it adds no round of `concurrency` to
        the batch: the CVs' first jobs, then the rest, take no more rounds than all at once
        (a batch that fits in one round, or one CV for many targets, runs all at once).
        """
        warm = self.warm_cache
        if warm is None:
            firsts = len({record.job.cv for record in todo})
            rounds = -(-len(todo) // self.concurrency)
            warmed = -(-firsts // self.concurrency) + -(-(len(todo) - firsts) // self.concurrency)
            warm = warmed <= rounds
        if self.client is None or not warm:
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
        try:
            if after is not None:
                after.wait()
            if not self._stopping.is_set():  # interrupted while waiting: it stays pending
                self._run_job(record)
        finally:
            self._finished.setdefault(record.id, threading.Event()).set()

    def _run_job(self, record: JobRecord) -> None:
        self.on_event(Event("start", record))
        started = time.perf_counter()
        job = record.job
        reading: Usage | None = None
        try:
            cv = self._cv(job.cv)
            posting = self._posting(job.jd) if job.jd else None
            # the model's reading of the posting is billed to this job, however the job ends
            reading = self._reading_cost(job.jd, posting)
            files, result = self._do(job, record.id, cv, posting)
        except Deferred:  # its request waits in a provider batch: the job stays pending
            with self._lock:
                record.state, record.reason = "pending", "waiting for a provider batch"
            return
        except TailorError as error:
            reason, spent = _first_line(str(error)), self._spent_on(error)
            self._finish(record, "failed", reason=reason, spent=spent, reading=reading)
        except Exception as error:  # a bug of ours must not lose the other jobs' results
            reason = f"internal error ({type(error).__name__})"
            self._finish(record, "failed", reason=reason, reading=reading)
        else:
            self._finish(record, "done", files=files, result=result, reading=reading)
        record.seconds = round(time.perf_counter() - started, 3)
        self._save()
        self.on_event(Event("done" if record.state == "done" else "failed", record))

    def _do(
        self, job: JobSpec, job_id: str, cv: CV, posting: JobPosting | None
    ) -> tuple[list[str], Critique | TailoredCV]:
        from tailor import api
        from tailor.renderers import render_bytes, write_file

        target = job.target
        if job.task == "critique":
            critique = api.critique(cv, target, posting=posting, client=self.client, fallback=False)
            from tailor.critic.report import to_markdown

            data = [critique.model_dump_json(indent=2).encode(), to_markdown([critique]).encode()]
            result: Critique | TailoredCV = critique
        else:
            tailored = api.rewrite(cv, target, posting=posting, client=self.client, fallback=False)
            from tailor.rewriter.report import to_markdown_log

            data = [
                tailored.model_dump_json(indent=2).encode(),
                to_markdown_log(tailored).encode(),
                render_bytes(tailored.cv, self.format, tailored.section_order),
            ]
            result = tailored
        files = _output_names(job_id, job.task, self.format)
        for name, content in zip(files, data, strict=True):
            path = self.folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            write_file(path, content, overwrite=True)
        return files, result

    def _finish(
        self,
        record: JobRecord,
        state: State,
        *,
        reason: str | None = None,
        files: list[str] | None = None,
        result: Critique | TailoredCV | None = None,
        reading: Usage | None = None,
        spent: Usage | None = None,
    ) -> None:
        usage = result.usage if result is not None else spent  # a failed call is billed too
        if reading is not None:  # the model's reading of the job's posting
            usage = add_usage(reading, usage) if usage is not None else reading
        with self._lock:
            record.state, record.reason, record.files = state, reason, files or []
            record.score = getattr(result, "score", None)
            changes = getattr(result, "changes", None)
            record.changes = len(changes) if changes is not None else None
            _count(record, usage)

    def _spent_on(self, error: TailorError) -> Usage | None:
        """What the answers of a failed call cost, taken off its error so that it is billed to
        one job: a posting that could not be read fails every job that needs it."""
        if not isinstance(error, ProviderError):
            return None
        with self._lock:
            usage, error.usage = error.usage, None
        return usage

    # -- inputs, read once per run ------------------------------------------------------------

    def _cv(self, path: str) -> CV:
        from tailor.cv.readers import load_cv

        return self._once(self._cvs, path, lambda: load_cv(path))

    def _posting(self, path: str) -> JobPosting:
        from tailor.api import load_posting

        return self._once(self._postings, path, lambda: load_posting(path, client=self.client))

    def _once(self, store: dict[str, T | TailorError], path: str, load: Callable[[], T]) -> T:
        """`load()` once per path for the whole run; its error, too, for every job it fails.
        Each path has its own lock: a posting a model is reading holds up no CV."""
        with self._loading:
            lock = self._path_locks.setdefault(path, threading.Lock())
        with lock:
            if path not in store:
                try:
                    store[path] = load()
                except TailorError as error:
                    store[path] = error
                else:
                    self._first_use.add(path)
            value = store[path]
        if isinstance(value, TailorError):
            raise value
        return value

    def _reading_cost(self, path: str | None, posting: JobPosting | None) -> Usage | None:
        """A model's reading of a posting, billed to the first job that needed it."""
        if path is None or posting is None or posting.usage is None:
            return None
        with self._loading:
            if path not in self._first_use:
                return None
            self._first_use.discard(path)
        return posting.usage

    def _key(self, job: JobSpec) -> str:
        """A hash of what makes a job's result: its files' bytes, its target's profile, the
        task, the engine and the output format."""
        from tailor import __version__
        from tailor.targets import resolve_target

        digest = hashlib.sha256()
        for part in (job.cv, job.jd):
            if part and part not in self._digests:
                self._digests[part] = _file_digest(part)
            digest.update(self._digests[part].encode() if part else b"-")
        try:
            profile = resolve_target(job.target).model_dump_json() if job.target else "-"
        except TailorError as error:
            profile = f"error: {error}"
        settings = self.client.settings if self.client is not None else None
        for part in (
            profile,
            job.task,
            self.format if job.task == "rewrite" else "",
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
        manifest = _read_manifest(path)
        manifest.provider, manifest.model = fresh.provider, fresh.model
        manifest.base_url, manifest.format = fresh.base_url, fresh.format
        return manifest

    def _check_in_flight(self) -> None:
        in_flight = self.manifest.provider_batch
        if in_flight is not None and (
            self.client is None or self.client.settings.provider != in_flight.provider
        ):
            raise UserError(
                f"a {in_flight.provider} batch ({in_flight.id}) is in flight for {self.folder}: "
                f"resume it with -p {in_flight.provider}"
            )

    def _save(self) -> None:
        from tailor.renderers import write_file

        with self._lock:  # one writer at a time, and the newest state last
            self.manifest.updated = datetime.now(UTC).isoformat(timespec="seconds")
            data = self.manifest.model_dump_json(indent=2).encode()
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise UserError(f"cannot make {self.folder}: {error.strerror or error}") from None
            write_file(self.folder / MANIFEST, data, overwrite=True)


def caching_savings(records: Sequence[JobRecord], provider: str, model: str | None) -> float | None:
    """What prompt caching saved on `records`, at list prices: each job's price with its cached
    tokens billed as fresh input, less its price as billed. None when the price is unknown."""
    from tailor.llm.pricing import cost_usd

    if model is None:
        return None
    saved = 0.0
    for record in records:
        cached = record.cache_write_tokens + record.cache_read_tokens
        if record.state != "done" or not cached:
            continue
        fresh = cost_usd(
            provider,
            model,
            input_tokens=record.input_tokens + cached,
            output_tokens=record.output_tokens,
        )
        billed = cost_usd(
            provider,
            model,
            input_tokens=record.input_tokens,
            output_tokens=record.output_tokens,
            cache_write_tokens=record.cache_write_tokens,
            cache_read_tokens=record.cache_read_tokens,
        )
        if fresh is None or billed is None:
            return None
        saved += fresh - billed
    return saved


def load_manifest(folder: str | Path) -> RunManifest:
    """The run manifest of an output folder, to resume it."""
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise UserError(f"no batch to resume in {folder} (no {MANIFEST})")
    return _read_manifest(path)


def _read_manifest(path: Path) -> RunManifest:
    """The manifest at `path`, refused in one line, naming its first bad entry, unless every
    job's id and files are names inside its folder, with no symlink leading out."""
    try:
        data = limits.read_limited(path, limit=limits.DATA_BYTES, what="manifest")
        manifest = RunManifest.model_validate_json(data.decode("utf-8"))
    except ValidationError as error:
        raise UserError(f"{path} is not a tailor batch manifest ({_first(error)})") from None
    except (OSError, UnicodeDecodeError):
        raise UserError(f"{path} is not a tailor batch manifest (unreadable)") from None
    except UserError as error:
        raise UserError(f"{path} is not a tailor batch manifest ({error})") from None
    for number, record in enumerate(manifest.jobs):
        names = [(f"jobs[{number}].id", record.id)]
        names += [(f"jobs[{number}].files[{n}]", name) for n, name in enumerate(record.files)]
        for where, name in names:
            if leads_outside(path.parent, name):
                raise UserError(
                    f"{path} is not a tailor batch manifest ({where} {name!r}: a symlink leads "
                    "out of the output folder)"
                )
    return manifest


def _first(error: ValidationError) -> str:
    """A validation error's first problem on one line: where, the value when short, why."""
    problem = error.errors()[0]
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in problem["loc"])
    why = problem["msg"].removeprefix("Value error, ")
    value = problem.get("input")
    if where and isinstance(value, str) and len(value) <= 200:
        return f"{where.lstrip('.')} {value!r}: {why}"
    return f"{where.lstrip('.')}: {why}" if where else why


def _output_names(job_id: str, task: Task, output_format: str) -> list[str]:
    """A job's files in the output folder, in the order `comparison` describes them."""
    if task == "critique":
        return [f"{job_id}.json", f"{job_id}.md"]
    return [f"{job_id}.json", f"{job_id}.changes.md", f"{job_id}.cv{output_format}"]


def _inputs(job: JobSpec) -> list[str]:
    """The files a job reads: its CV, its posting, its profile when a file."""
    target = job.target if job.target and _looks_like_path(job.target) else None
    return [part for part in (job.cv, job.jd, target) if part]


def _count(record: JobRecord, usage: Usage | None) -> None:
    record.input_tokens = usage.input_tokens if usage else 0
    record.output_tokens = usage.output_tokens if usage else 0
    record.cache_write_tokens = usage.cache_write_tokens if usage else 0
    record.cache_read_tokens = usage.cache_read_tokens if usage else 0
    record.cost_usd = usage.cost_usd if usage else None  # None: offline, no answer, or unpriced


def _file_digest(path: str) -> str:
    """The input's hash, read within the CV limits (a posting's are smaller): a device, a pipe
    or a file too large is "unreadable", and its job says why when it runs."""
    try:
        return hashlib.sha256(
            limits.read_limited(path, limit=limits.CV_BYTES, what="CV")
        ).hexdigest()
    except UserError:
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
