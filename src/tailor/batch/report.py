"""The batch's comparison report: `report.html` in the output folder, one self-contained page;
and what prompt caching saved, for the run's summary.

For each CV: its score for each target as a bar, the top findings per target side by side,
and links to each job's files (the critique, the tailored CV, its change log, the cover
letter and its notes). With many
CVs, a table of every score comes first, each CV's name linking to its part of the page.
With `--prep`, each CV's part also lists its readiness for the likely interview questions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from tailor import limits
from tailor.critic.model import Critique, Finding
from tailor.critic.report import top_findings
from tailor.errors import UserError
from tailor.output_folder import inside

if TYPE_CHECKING:
    from collections.abc import Sequence

    from jinja2 import Environment

    from tailor.batch.manifest import JobRecord, RunManifest
    from tailor.interview.model import Prep

REPORT = "report.html"
TOP_FINDINGS = 3
OPEN_CARDS = 3  # with more CVs than this, each CV's details start folded


@dataclass
class Column:
    """One target (and/or posting) of one CV: its score, top findings and files."""

    label: str
    score: int | None = None
    coverage: int | None = None
    failed: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (what, relative href)


@dataclass
class Row:
    """One CV, its columns, and its interview prep when the batch made one."""

    name: str
    anchor: str
    columns: list[Column]
    prep: Prep | None = None
    prep_link: str | None = None


def write_report(
    folder: str | Path,
    manifest: RunManifest,
    preps: dict[str, tuple[str, Prep]] | None = None,
) -> Path:
    """Write `report.html` for the batch in `folder`, with each CV's interview prep (its
    file and readiness) from `preps`, by CV path; its path."""
    from tailor.renderers import write_file

    rows = _rows(Path(folder), manifest, preps or {})
    labels = list(dict.fromkeys(column.label for row in rows for column in row.columns))
    html = (
        _environment()
        .get_template("batch-report.html.j2")
        .render(
            rows=rows,
            labels=labels,
            open_cards=len(rows) <= OPEN_CARDS,
            provider=manifest.provider
            if manifest.provider == "offline"
            else (f"{manifest.provider} {manifest.model or ''}".strip()),
            counts=manifest.counts(),
            updated=manifest.updated,
        )
    )
    path = Path(folder) / REPORT
    write_file(path, html.encode("utf-8"), overwrite=True)
    return path


def _rows(folder: Path, manifest: RunManifest, preps: dict[str, tuple[str, Prep]]) -> list[Row]:
    by_cv: dict[str, dict[str, Column]] = {}
    stems: dict[str, set[str]] = {}
    for record in manifest.jobs:
        if record.job.jd:
            stems.setdefault(Path(record.job.jd).stem, set()).add(record.job.jd)
    for record in manifest.jobs:
        job = record.job
        label = " + ".join(p for p in (_target_label(job.target), _jd_label(job.jd, stems)) if p)
        column = by_cv.setdefault(job.cv, {}).setdefault(label, Column(label))
        if record.state == "failed":
            column.failed.append(f"{job.task}: {record.reason}")
            continue
        if record.state != "done":
            continue
        if job.task == "critique":
            _add_critique(column, folder, record)
        for what, name in zip(_FILES[job.task], record.files, strict=False):
            if not inside(folder, name):  # a manifest built by hand: never a link out
                continue
            suffix = name.rsplit(".", 1)[-1]
            column.links.append((what.format(suffix=suffix), name))
    rows = []
    for number, (cv, columns) in enumerate(by_cv.items(), start=1):
        link, prep = preps.get(cv, (None, None))
        rows.append(Row(Path(cv).name, f"cv-{number}", list(columns.values()), prep, link))
    return rows


def _add_critique(column: Column, folder: Path, record: JobRecord) -> None:
    name = next((f for f in record.files if f.endswith(".json")), None)
    if name is None or not inside(folder, name):
        return
    path = folder / name
    if not path.is_file():
        return
    try:
        data = limits.read_limited(path, limit=limits.CV_BYTES, what="critique")
        critique = Critique.model_validate(limits.load_json(data.decode(), name=name))
    except (ValueError, UserError):
        column.failed.append("critique: its file is unreadable")
        return
    column.score = critique.score
    column.coverage = critique.coverage.score if critique.coverage is not None else None
    column.findings = top_findings(critique.findings, TOP_FINDINGS)  # as `tailor critique` shows


# what each of a job's files is, in the order `plan.output_names` names them
_FILES = {
    "critique": ("critique ({suffix})", "critique ({suffix})"),
    "rewrite": ("rewrite ({suffix})", "change log", "tailored CV ({suffix})"),
    "letter": ("letter ({suffix})", "letter notes", "letter ({suffix})"),
}


def _target_label(target: str | None) -> str | None:
    """A target as the report names it: its id, or a profile file's name."""
    if target is None:
        return None
    return Path(target).stem if ("/" in target or "\\" in target) else target


def _jd_label(jd: str | None, stems: dict[str, set[str]]) -> str | None:
    """A posting's file name; with its folder when two postings share a name."""
    if jd is None:
        return None
    path = Path(jd)
    return f"{path.parent.name}/{path.stem}" if len(stems[path.stem]) > 1 else path.stem


@cache
def _environment() -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(
        loader=FileSystemLoader(Path(__file__).parents[1] / "renderers" / "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


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
