"""A batch's output folder under attack: two runs at once, a manifest edited to point outside,
a result named like an input. Each is refused in one line or made safe, never trusted."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from filelock import FileLock

from tests.conftest import EXAMPLES
from tests.hostile.conftest import Outcome, Run

CASEY = EXAMPLES / "casey-morgan.md"
JORDAN = EXAMPLES / "jordan-reyes.md"


def _jobs(folder: Path) -> list[str]:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return [job["id"] for job in manifest["jobs"]]


def test_a_run_into_a_folder_another_run_holds_is_refused(run_bounded: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with FileLock(out / ".tailor.lock"):  # as a running batch holds it
        outcome = run_bounded("batch", CASEY, "-t", "startup", "-o", out)
    outcome.refused("another tailor batch is writing to", str(out))
    assert not (out / "manifest.json").exists()


def test_a_killed_run_leaves_no_lock_behind(run_bounded: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    hold = (
        "import time\nfrom filelock import FileLock\n"
        f"lock = FileLock({str(out / '.tailor.lock')!r})\nlock.acquire()\n"
        "print('held', flush=True)\ntime.sleep(60)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", hold], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        run_bounded("batch", CASEY, "-t", "startup", "-o", out).refused("another tailor batch")
    finally:
        os.kill(holder.pid, signal.SIGKILL)  # as kill -9: no cleanup of its own
        holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()
    outcome = run_bounded("batch", CASEY, "-t", "startup", "-o", out)
    outcome.bounded()
    assert outcome.code == 0, outcome.stderr
    assert _jobs(out) == ["casey-morgan/startup.critique"]


def test_two_runs_at_once_lose_no_finished_job(run_bounded: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    runs = {
        "casey-morgan": ("-t", "startup", "-t", "lab", "-t", "production-ml"),
        "jordan-reyes": ("-t", "startup", "-t", "lab", "-t", "production-ml"),
    }
    outcomes: dict[str, Outcome] = {}

    def start(name: str) -> None:
        outcomes[name] = run_bounded("batch", EXAMPLES / f"{name}.md", *runs[name], "-o", out)

    threads = [threading.Thread(target=start, args=(name,)) for name in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    finished = [name for name, outcome in outcomes.items() if outcome.code == 0]
    for name, outcome in outcomes.items():
        if name not in finished:  # it started while the other held the folder
            outcome.refused("another tailor batch is writing to", str(out))
    assert finished, "one of the two runs must have run"
    report = (out / "report.html").read_text(encoding="utf-8")
    for name in finished:  # every run that said it finished has all its jobs on record
        assert sum(job.startswith(f"{name}/") for job in _jobs(out)) == 3
        assert f"{name}.md" in report


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ("../../etc/hostname", ("'..' leads out",)),
        ("/etc/hostname", ("an absolute path",)),
        ("link/hostname", ("a symlink leads out",)),
    ],
)
def test_a_manifest_pointing_outside_is_refused_on_resume(
    run_bounded: Run, tmp_path: Path, entry: str, words: tuple[str, ...]
) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    first = run_bounded("batch", CASEY, "-t", "startup", "-o", out)
    assert first.code == 0, first.stderr
    elsewhere.mkdir()
    (elsewhere / "hostname").write_text("not tailor's\n")
    (out / "link").symlink_to(elsewhere)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["jobs"][0]["files"][0] = entry
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    before = (out / "report.html").read_bytes()
    outcome = run_bounded("batch", "--resume", out)
    outcome.refused("manifest.json", "jobs[0].files[0]", repr(entry), *words)
    assert (out / "report.html").read_bytes() == before  # nothing rewritten from it
    assert (elsewhere / "hostname").read_text() == "not tailor's\n"


def test_a_job_folder_swapped_for_a_symlink_is_refused_on_resume(
    run_bounded: Run, tmp_path: Path
) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    assert run_bounded("batch", CASEY, "-t", "startup", "-o", out).code == 0
    shutil.move(out / "casey-morgan", elsewhere)
    (out / "casey-morgan").symlink_to(elsewhere)
    outcome = run_bounded("batch", "--resume", out)
    outcome.refused("manifest.json", "'casey-morgan/startup.critique'", "a symlink leads out")
    assert sorted(p.name for p in elsewhere.iterdir()) == [
        "startup.critique.json",
        "startup.critique.md",
    ]


def test_a_result_named_like_the_input_cv_is_refused_and_the_cv_kept(
    run_bounded: Run, tmp_path: Path
) -> None:
    cv = tmp_path / "startup.critique" / "startup.critique.md"  # its critique's own name
    cv.parent.mkdir()
    shutil.copy(CASEY, cv)
    before = cv.read_bytes()
    outcome = run_bounded("batch", cv, "-t", "startup", "-o", tmp_path)
    outcome.refused("refusing to write", str(cv), "it is the input")
    assert cv.read_bytes() == before
    assert not (tmp_path / "manifest.json").exists()


def test_a_posting_saved_as_report_html_in_the_out_dir_is_kept(
    run_bounded: Run, tmp_path: Path
) -> None:
    posting = tmp_path / "report.html"  # a job page saved from the browser, beside the results
    shutil.copy(EXAMPLES / "postings" / "applied-ml-fintech.html", posting)
    before = posting.read_bytes()
    outcome = run_bounded("batch", CASEY, "--jd", posting, "-o", tmp_path)
    outcome.refused("refusing to write", "report.html", "it is the input", "another --out-dir")
    assert posting.read_bytes() == before
    elsewhere = run_bounded("batch", CASEY, "--jd", posting, "-o", tmp_path / "out")
    assert elsewhere.code == 0, elsewhere.stderr  # the same batch, into its own folder
