"""The batch's comparison report: `report.html` in the output folder, one self-contained page.

For each CV: its score for each target as a bar, the top findings per target side by side,
and links to each job's files (the critique, the tailored CV, its change log). With many
CVs, a table of every score comes first, each CV's name linking to its part of the page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from tailor.critic.model import Critique, Finding
from tailor.critic.rubric import SEVERITY_ORDER

if TYPE_CHECKING:
    from jinja2 import Environment

    from tailor.jobs import JobRecord, RunManifest

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
    """One CV and its columns."""

    name: str
    anchor: str
    columns: list[Column]


def write_report(folder: str | Path, manifest: RunManifest) -> Path:
    """Write `report.html` for the batch in `folder`; its path."""
    from tailor.renderers import write_file

    rows = _rows(Path(folder), manifest)
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


def _rows(folder: Path, manifest: RunManifest) -> list[Row]:
    by_cv: dict[str, dict[str, Column]] = {}
    for record in manifest.jobs:
        job = record.job
        label = " + ".join(p for p in (job.target, Path(job.jd).stem if job.jd else None) if p)
        column = by_cv.setdefault(job.cv, {}).setdefault(label, Column(label))
        if record.state == "failed":
            column.failed.append(f"{job.task}: {record.reason}")
            continue
        if record.state != "done":
            continue
        if job.task == "critique":
            _add_critique(column, folder, record)
        for name in record.files:
            column.links.append((_link_name(name), name))
    rows = []
    for number, (cv, columns) in enumerate(by_cv.items(), start=1):
        rows.append(Row(Path(cv).name, f"cv-{number}", list(columns.values())))
    return rows


def _add_critique(column: Column, folder: Path, record: JobRecord) -> None:
    path = next((folder / f for f in record.files if f.endswith(".json")), None)
    if path is None or not path.is_file():
        return
    try:
        critique = Critique.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, OSError):
        column.failed.append("critique: its file is unreadable")
        return
    column.score = critique.score
    column.coverage = critique.coverage.score if critique.coverage is not None else None
    ranked = sorted(critique.findings, key=lambda f: SEVERITY_ORDER[f.severity])
    column.findings = ranked[:TOP_FINDINGS]


def _link_name(name: str) -> str:
    if name.endswith(".changes.md"):
        return "change log"
    if ".cv." in name:
        return "tailored CV (" + name.rsplit(".", 1)[1] + ")"
    kind = "critique" if ".critique." in name else "rewrite"
    return f"{kind} ({name.rsplit('.', 1)[1]})"


@cache
def _environment() -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(
        loader=FileSystemLoader(Path(__file__).parent / "renderers" / "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
