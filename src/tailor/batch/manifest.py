"""A batch's record of itself: the jobs, their states and results (`manifest.json`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from tailor import limits
from tailor.errors import UserError
from tailor.output_folder import bad_name, leads_outside

if TYPE_CHECKING:
    from tailor.usage import Usage

Task = Literal["critique", "rewrite", "letter"]
State = Literal["pending", "done", "failed"]
MANIFEST = "manifest.json"
MANIFEST_VERSION = 1


def _inside_the_folder(name: object) -> object:
    """A name from a manifest (read back from disk: anyone may have edited it) as tailor writes
    them, relative and inside the output folder; a symlink on the way is `read_manifest`'s."""
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
    theme: str = Field(default="classic", description="the look of its tailored CVs and letters")
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


def load_manifest(folder: str | Path) -> RunManifest:
    """The run manifest of an output folder, to resume it."""
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise UserError(f"no batch to resume in {folder} (no {MANIFEST})")
    return read_manifest(path)


def read_manifest(path: Path) -> RunManifest:
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


def count_usage(record: JobRecord, usage: Usage | None) -> None:
    record.input_tokens = usage.input_tokens if usage else 0
    record.output_tokens = usage.output_tokens if usage else 0
    record.cache_write_tokens = usage.cache_write_tokens if usage else 0
    record.cache_read_tokens = usage.cache_read_tokens if usage else 0
    record.cost_usd = usage.cost_usd if usage else None  # None: offline, no answer, or unpriced
