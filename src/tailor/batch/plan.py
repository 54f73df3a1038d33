"""A batch's jobs: every CV for every target and posting, or the rows of a jobs file; and
the names of each job's files in the output folder."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import cast

import yaml

from tailor import limits
from tailor.batch.manifest import JobSpec, Task, load_manifest
from tailor.errors import TailorError, UserError
from tailor.options import LLMOptions
from tailor.resources import load_yaml


def plan(
    cvs: Sequence[str],
    targets: Sequence[str],
    jds: Sequence[str] = (),
    tasks: Sequence[Task] = ("critique",),
    *,
    letters: bool = False,
) -> list[JobSpec]:
    """Every CV for every target and posting: with both, each posting refines each target.

    `letters` adds a cover letter for each of those (as a task "letter" does): a letter
    answers a posting, so it needs `jds`. Paths are made absolute (a batch can be resumed
    from anywhere) and a target named by an alias becomes its profile's id (`-t anthropic -t
    frontier-lab` is one target).
    """
    if not cvs:
        raise UserError("no CV to tailor: name one or more CV files, or a --jobs file")
    chosen: list[Task] = list(dict.fromkeys([*tasks, "letter"] if letters else tasks))
    if "letter" in chosen and not jds:
        raise UserError("a letter answers a job posting: --letter needs --jd")
    if not targets and not jds:
        raise UserError("say what to tailor for: --target, --jd, or both")
    target_list: list[str | None] = list(dict.fromkeys(_target(t) for t in targets)) or [None]
    jd_list: list[str | None] = list(dict.fromkeys(_path(j) for j in jds)) or [None]
    jobs = [
        JobSpec(cv=_path(cv), target=target, jd=jd, task=task)
        for cv in cvs
        for target in target_list
        for jd in jd_list
        for task in chosen
    ]
    return list(dict.fromkeys(jobs))


@dataclass(frozen=True)
class ResumePlan:
    """How to finish a batch: its jobs, CV format, theme and engine, as its manifest recorded
    them."""

    jobs: list[JobSpec]
    output_format: str
    theme: str
    provider_batch: bool  # it ran through provider batches, and goes on in them
    llm: LLMOptions


def resume_plan(folder: str | Path, llm: LLMOptions) -> ResumePlan:
    """How to finish the batch in `folder`. Its engine is the one its manifest records, with
    `llm`'s model and base URL where `llm` names them; a provider other than the recorded one
    starts from its own defaults instead (`llm.provider` None: the recorded one)."""
    manifest = load_manifest(folder)
    if llm.provider is None or llm.provider == manifest.provider:
        model, base_url = llm.model or manifest.model, llm.base_url or manifest.base_url
        llm = replace(llm, provider=manifest.provider, model=model, base_url=base_url)
    jobs = [record.job for record in manifest.jobs]
    return ResumePlan(jobs, manifest.format, manifest.theme, manifest.provider_batches, llm)


def read_jobs_file(path: str | Path) -> list[JobSpec]:
    """Jobs from a YAML list or a CSV file with the columns cv, target, jd and task (only cv
    is required; task may be critique, rewrite, both or letter, which needs a jd); relative
    paths, a profile file's too, are taken from the jobs file's folder."""
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
    if task not in ("critique", "rewrite", "both", "letter"):
        raise UserError(f"{where}: task {task!r}; use critique, rewrite, both or letter")
    if task == "letter" and "jd" not in values:
        raise UserError(f"{where}: a letter answers a job posting; give the row a jd")
    target = values.get("target")
    if target is not None and looks_like_path(target) and not Path(target).is_absolute():
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


def looks_like_path(target: str) -> bool:
    return target.endswith((".yaml", ".yml")) or "/" in target or "\\" in target


def _target(name: str) -> str:
    """A bundled target's id ("anthropic" -> "frontier-lab"); a profile file's absolute path;
    an unknown name as written (its jobs fail with the reason)."""
    from tailor.targets import resolve_target

    if looks_like_path(name):
        return _path(name)
    try:
        return resolve_target(name).id
    except TailorError:
        return name


# the CV formats a letter is not written in: JSON (the Letter file is JSON already) and
# rendercv's YAML (a CV's input, with no place for a letter)
NO_LETTER_FILE = (".json", ".rendercv.yaml")


def output_names(job_id: str, task: Task, output_format: str) -> list[str]:
    """A job's files in the output folder, in the order `tailor.batch.report` describes them."""
    if task == "critique":
        return [f"{job_id}.json", f"{job_id}.md"]
    if task == "letter":  # the Letter with its notes, the notes, the letter in the CVs' format
        letter = [f"{job_id}{output_format}"] if output_format not in NO_LETTER_FILE else []
        return [f"{job_id}.json", f"{job_id}.notes.md", *letter]
    return [f"{job_id}.json", f"{job_id}.changes.md", f"{job_id}.cv{output_format}"]


def job_inputs(job: JobSpec) -> list[str]:
    """The files a job reads: its CV, its posting, its profile when a file."""
    target = job.target if job.target and looks_like_path(job.target) else None
    return [part for part in (job.cv, job.jd, target) if part]


def job_id(job: JobSpec) -> str:
    """ "casey-morgan/startup.critique", "casey-morgan/startup+job.rewrite",
    "casey-morgan/job.letter"."""
    what = "+".join(_slug(p) for p in (job.target, Path(job.jd).stem if job.jd else None) if p)
    return f"{_slug(Path(job.cv).stem)}/{what}.{job.task}"


def unique_name(name: str, taken: set[str]) -> str:
    candidate, number = name, 2
    while candidate in taken:
        candidate = f"{name}-{number}"
        number += 1
    return candidate


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "x"
