"""What `tailor batch` prints, in-process: a progress bar on a terminal (plain lines
elsewhere), and a summary whose token and cost columns appear only when something was spent."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from tailor.batch import Event, JobRecord, JobSpec, RunManifest
from tailor.cli import app
from tailor.cli.batch_progress import BatchProgress, print_summary
from tests.conftest import EXAMPLES

runner = CliRunner()
CASEY = str(EXAMPLES / "casey-morgan.md")
JORDAN = str(EXAMPLES / "jordan-reyes.md")


def _header(stdout: str) -> list[str]:
    """The summary table's column names."""
    line = next(line for line in stdout.splitlines() if "CV" in line and "state" in line)
    return [cell.strip() for cell in line.strip("┃│ ").replace("┃", "│").split("│")]


def _record(name: str, state: str = "done", **usage: object) -> JobRecord:
    job = JobSpec(cv=f"/cvs/{name}.md", target="startup")
    fields = {"id": f"{name}/startup.critique", "job": job, "state": state, "score": 70, **usage}
    return JobRecord.model_validate(fields)


def test_an_offline_batch_has_no_token_or_cost_columns(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", CASEY, JORDAN, "-t", "startup", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert _header(result.stdout) == ["CV", "target", "task", "state", "score", "changes", "time"]
    assert "2 done, 0 failed, 0 pending; no cost (offline)" in result.stdout
    # not a terminal: a plain line for each job, as a log wants
    assert result.stderr.count("tailor: done ") == 2
    assert {job["state"] for job in json.loads((out / "manifest.json").read_text())["jobs"]} == {
        "done"
    }


def test_a_batch_that_spent_tokens_shows_them_and_their_cost(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = RunManifest(provider="anthropic", model="claude-sonnet-4-5")
    spent = _record("ana", input_tokens=3000, output_tokens=500, cost_usd=0.0165)
    cached = _record("ben", cache_read_tokens=2000, output_tokens=400, cost_usd=0.0066)
    print_summary(manifest, [spent, cached], tmp_path)
    stdout = capsys.readouterr().out
    assert _header(stdout) == [
        "CV", "target", "task", "state", "score", "changes", "tokens", "cached", "cost", "time",
    ]  # fmt: skip
    assert "$0.0165" in stdout and "3500" in stdout and "2000" in stdout
    assert "2 done, 0 failed, 0 pending; $0.0231" in stdout
    print_summary(manifest, [_record("ana"), _record("ben")], tmp_path)  # all cached
    assert "tokens" not in _header(capsys.readouterr().out)


def test_on_a_terminal_a_bar_counts_the_jobs_and_the_time_left() -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=100, color_system=None)
    done, failed = _record("ana"), _record("ben", "failed", reason="no such file")
    with BatchProgress(2, console) as progress:
        assert progress.live
        progress.event(Event("start", done))
        progress.event(Event("done", done))
        progress.event(Event("start", failed))
        progress.event(Event("failed", failed))
        progress.progress.refresh()
    shown = screen.getvalue()
    assert "2/2 jobs, time left" in shown
    assert "tailor: FAILED ben for startup (critique): no such file" in shown
    assert "tailor: done" not in shown  # the bar counts it; the summary lists it


def test_elsewhere_each_job_is_one_plain_line() -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=False, width=100)
    record = _record("ana")
    with BatchProgress(1, console) as progress:
        assert not progress.live
        progress.event(Event("start", record))
        progress.event(Event("skipped", record))
    assert screen.getvalue() == "tailor: done before ana for startup (critique)\n"
