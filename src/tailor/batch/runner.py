"""Running a batch's jobs into one output folder: concurrent, resumable, nothing lost."""

from __future__ import annotations

import hashlib
import shutil
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias, TypeVar, cast

from tailor import limits
from tailor.batch.answers import ANSWERS, load_answers, store_answers
from tailor.batch.manifest import (
    MANIFEST,
    Event,
    JobRecord,
    JobSpec,
    ProviderBatch,
    RunManifest,
    State,
    count_usage,
    read_manifest,
)
from tailor.batch.plan import NO_LETTER_FILE, job_id, job_inputs, output_names, unique_name
from tailor.errors import ProviderError, TailorError, UserError
from tailor.llm.base import BatchProvider
from tailor.llm.client import Deferred, DeferredRequest
from tailor.options import LLMOptions
from tailor.output_folder import held, leads_outside, overwritten
from tailor.renderers.themes import DEFAULT_THEME, theme_named
from tailor.usage import add_usage

if TYPE_CHECKING:
    from tailor.cover_letter.model import Letter
    from tailor.critic.model import Critique
    from tailor.cv.model import CV
    from tailor.interview.model import Prep
    from tailor.llm.client import LLMClient
    from tailor.posting.model import JobPosting
    from tailor.rewriter.model import TailoredCV
    from tailor.usage import Usage

T = TypeVar("T")
Result: TypeAlias = "Critique | TailoredCV | Letter"  # a done job's result
MAX_BATCH_ROUNDS = 4  # a posting's reading, the job's call, a re-ask, a rewrite's second try
BATCH_PROVIDERS = ("anthropic", "openai")
CV_FORMATS = (".md", ".json", ".html", ".docx", ".pdf", ".rendercv.yaml")


class Batch:
    """One run of jobs into one output folder."""

    def __init__(
        self,
        out_dir: str | Path,
        *,
        client: LLMClient | None = None,
        output_format: str = ".md",
        theme: str | None = None,
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
        # a job the model fails at fails, saying why (a posting it cannot read is read offline)
        self._llm = LLMOptions(client=client, fallback=False)
        self.format = output_format
        self.theme = theme_named(theme).name
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
        from tailor.batch.report import write_report

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
                name = unique_name(f"{record.id.split('/')[0]}/prep", taken)
                taken.add(name)
                names[record.job.cv] = f"{name}.md"
        return names

    def _refuse_unsafe_outputs(self, records: list[JobRecord]) -> None:
        """Refuse the run, before any work, if a file it would write is one of its inputs (a CV
        or posting named like a result, in the folder) or would land outside the folder."""
        from tailor.batch.report import REPORT

        names = [MANIFEST, REPORT]
        names += [n for r in records for n in output_names(r.id, r.job.task, self.format)]
        if self.prep or self.manifest.prep:
            names += self._prep_names().values()
        for name in names:
            if leads_outside(self.folder, name):
                raise UserError(
                    f"refusing to write {self.folder / name}: it leads outside {self.folder} "
                    "through a symlink"
                )
        inputs = [part for r in self.manifest.jobs for part in job_inputs(r.job)]
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
                record = JobRecord(id=unique_name(job_id(job), taken), job=job)
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
        self.client.answers.update(load_answers(self.folder))
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
        store_answers(self.folder, replies)  # on disk before the batch is forgotten: paid for once
        client.answers.update(replies)
        unanswered = len(batch.keys) - len(replies)
        if unanswered:
            reasons = sorted({a for a in answered.values() if isinstance(a, str)})
            why = f" ({'; '.join(reasons)[:200]})" if reasons else ""
            self.on_note(f"batch {batch.id}: {unanswered} requests got no answer{why}; "
                         "they go in the next batch")  # fmt: skip
        self.manifest.provider_batch = None
        self._save()

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
    ) -> tuple[list[str], Result]:
        from tailor import api
        from tailor.renderers import render_bytes, write_file

        target = job.target
        result: Result
        if job.task == "critique":
            critique = api.critique(cv, target, posting=posting, llm=self._llm)
            from tailor.critic.report import to_markdown

            data = [critique.model_dump_json(indent=2).encode(), to_markdown([critique]).encode()]
            result = critique
        elif job.task == "letter":
            data, result = self._letter(job, cv, posting)
        else:
            tailored = api.rewrite(cv, target, posting=posting, llm=self._llm)
            from tailor.rewriter.report import to_markdown_log

            data = [
                tailored.model_dump_json(indent=2).encode(),
                to_markdown_log(tailored).encode(),
                render_bytes(tailored.cv, self.format, tailored.section_order, theme=self.theme),
            ]
            result = tailored
        files = output_names(job_id, job.task, self.format)
        for name, content in zip(files, data, strict=True):
            path = self.folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            write_file(path, content, overwrite=True)
        return files, result

    def _letter(
        self, job: JobSpec, cv: CV, posting: JobPosting | None
    ) -> tuple[list[bytes], Letter]:
        """A letter's files, as `output_names` names them: the Letter with its notes (JSON),
        the notes (Markdown), and the letter itself in the batch's format (but JSON's)."""
        from tailor import api
        from tailor.cover_letter.report import file_bytes, notes_markdown

        if posting is None:  # a manifest edited by hand: `plan` makes none
            raise UserError("a letter answers a job posting, and this job has no jd")
        letter = api.letter(cv, job.target, posting=posting, llm=self._llm)
        data = [file_bytes(letter, Path("letter.json")), notes_markdown(letter).encode()]
        if self.format not in NO_LETTER_FILE:
            data.append(file_bytes(letter, Path(f"letter{self.format}"), theme=self.theme))
        return data, letter

    def _finish(
        self,
        record: JobRecord,
        state: State,
        *,
        reason: str | None = None,
        files: list[str] | None = None,
        result: Result | None = None,
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
            count_usage(record, usage)

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

        return self._once(
            self._postings, path, lambda: load_posting(path, llm=LLMOptions(client=self.client))
        )

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
        from tailor.targets import resolve_target
        from tailor.version import __version__

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
            self.format if job.task in ("rewrite", "letter") else "",
            # the default look adds nothing: a batch run before themes keeps its keys
            self.theme if self.theme != DEFAULT_THEME and job.task != "critique" else "",
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
            theme=self.theme,
        )
        if self.folder.exists() and not self.folder.is_dir():
            raise UserError(f"{self.folder} is a file, not an output folder")
        if not path.is_file():
            return fresh
        manifest = read_manifest(path)
        manifest.provider, manifest.model = fresh.provider, fresh.model
        manifest.base_url, manifest.format = fresh.base_url, fresh.format
        manifest.theme = fresh.theme
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


def _file_digest(path: str) -> str:
    """The input's hash, read within the CV limits (a posting's are smaller): a device, a pipe
    or a file too large is "unreadable", and its job says why when it runs."""
    try:
        return hashlib.sha256(
            limits.read_limited(path, limit=limits.CV_BYTES, what="CV")
        ).hexdigest()
    except UserError:
        return f"unreadable: {path}"


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "failed"
