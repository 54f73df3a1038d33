"""`tailor batch` through the CLI: exit codes, resume, jobs files, formats."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

from tests.conftest import EXAMPLES

Run = Callable[..., subprocess.CompletedProcess[str]]
CASEY = str(EXAMPLES / "casey-morgan.md")
JORDAN = str(EXAMPLES / "jordan-reyes.md")
POSTING = str(EXAMPLES / "postings" / "production-ml-platform.txt")


def manifest(folder: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def test_a_batch_of_two_cvs_and_two_targets(run_tailor: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_tailor("batch", CASEY, JORDAN, "-t", "startup", "-t", "palantir", "-o", str(out))
    assert result.returncode == 0, result.stderr
    jobs = manifest(out)["jobs"]
    assert len(jobs) == 4 and {job["state"] for job in jobs} == {"done"}
    assert (out / "casey-morgan" / "startup.critique.md").is_file()
    assert "4 done, 0 failed, 0 pending" in result.stdout
    assert "casey-morgan.md" in result.stdout and "production-ml" in result.stdout


def test_rewrites_for_a_posting_in_word(run_tailor: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_tailor(
        "batch", CASEY, "-t", "startup", "--jd", POSTING, "--task", "both", "-f", "docx",
        "-o", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    files = sorted(p.name for p in (out / "casey-morgan").iterdir())
    assert "startup+production-ml-platform.rewrite.cv.docx" in files
    assert "startup+production-ml-platform.critique.json" in files
    critique = json.loads(
        (out / "casey-morgan" / "startup+production-ml-platform.critique.json").read_text()
    )
    assert critique["coverage"]["posting"].startswith("Senior ML Engineer")


def test_a_failed_job_sets_exit_code_3_and_resume_finishes_the_batch(
    run_tailor_process: Run, tmp_path: Path
) -> None:
    cv = tmp_path / "late.md"
    out = tmp_path / "out"
    result = run_tailor_process("batch", CASEY, str(cv), "-t", "startup", "-o", str(out))
    assert result.returncode == 3
    assert "1 of 2 jobs failed" in result.stderr and "--resume" in result.stderr
    assert "Traceback" not in result.stderr
    states = sorted(job["state"] for job in manifest(out)["jobs"])
    assert states == ["done", "failed"]
    cv.write_text(Path(CASEY).read_text(encoding="utf-8"), encoding="utf-8")  # the file arrives
    resumed = run_tailor_process("batch", "--resume", str(out))
    assert resumed.returncode == 0, resumed.stderr
    assert "done before" in resumed.stderr
    assert {job["state"] for job in manifest(out)["jobs"]} == {"done"}


def test_a_jobs_file_drives_the_batch(run_tailor: Run, tmp_path: Path) -> None:
    jobs = tmp_path / "jobs.yaml"
    jobs.write_text(
        f"- cv: {CASEY}\n  target: lab\n  task: rewrite\n- cv: {JORDAN}\n  jd: {POSTING}\n"
    )
    out = tmp_path / "out"
    result = run_tailor("batch", "--jobs", str(jobs), "-o", str(out))
    assert result.returncode == 0, result.stderr
    recorded = [(j["job"]["task"], j["job"]["target"]) for j in manifest(out)["jobs"]]
    assert recorded == [("rewrite", "frontier-lab"), ("critique", None)]


def test_usage_mistakes_are_one_line(run_tailor: Run, tmp_path: Path) -> None:
    for args, message in [
        ((CASEY, "-t", "lab"), "--out-dir DIR"),
        ((CASEY, "-o", str(tmp_path / "o")), "--target, --jd, or both"),
        ((CASEY, "-t", "lab", "-o", str(tmp_path / "o"), "-f", "rtf"), "unknown format '.rtf'"),
        (("--resume", str(tmp_path / "none")), "no batch to resume"),
        (("--resume", str(tmp_path / "o"), "-t", "lab"), "it takes no --target"),
        ((CASEY, "--jd", "-", "-o", str(tmp_path / "o")), "not from stdin"),
        ((CASEY, "-t", "lab", "-o", __file__ + "/sub"), "cannot make"),
    ]:
        result = run_tailor("batch", *args)
        assert result.returncode == 2, (args, result.stderr)
        assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_exit_code_3_is_about_this_runs_jobs_only(run_tailor: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    failed = run_tailor("batch", str(tmp_path / "missing.md"), "-t", "lab", "-o", str(out))
    assert failed.returncode == 3
    other = run_tailor("batch", CASEY, "-t", "startup", "-o", str(out))
    assert other.returncode == 0, other.stderr  # the old failure is not this run's
    assert "1 done, 0 failed, 0 pending" in other.stdout


def test_a_second_run_into_a_folder_adds_its_jobs_and_resume_knows_both(
    run_tailor: Run, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert run_tailor("batch", CASEY, "-t", "startup", "-o", str(out)).returncode == 0
    assert run_tailor("batch", JORDAN, "-t", "lab", "-o", str(out)).returncode == 0
    ids = [job["id"] for job in manifest(out)["jobs"]]
    assert ids == ["casey-morgan/startup.critique", "jordan-reyes/frontier-lab.critique"]
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "casey-morgan/startup.critique.md" in report
    assert "jordan-reyes/frontier-lab.critique.md" in report
    resumed = run_tailor("batch", "--resume", str(out))
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stderr.count("done before") == 2
    assert "2 done, 0 failed, 0 pending" in resumed.stdout
    assert ".tailor.lock" not in resumed.stdout + report  # the lock is no result


def test_resume_reruns_the_recorded_jobs_with_the_recorded_engine(tmp_path: Path) -> None:
    from tailor.batch import JobRecord, JobSpec, RunManifest, resume_plan
    from tailor.options import LLMOptions

    job = JobSpec(cv=CASEY, target="startup")
    recorded = RunManifest(
        provider="openai-compatible", model="qwen3", base_url="http://127.0.0.1:9/v1",
        format=".docx", provider_batches=True,
        jobs=[JobRecord(id="casey-morgan/startup.critique", job=job)],
    )  # fmt: skip
    (tmp_path / "manifest.json").write_text(recorded.model_dump_json(), encoding="utf-8")
    plan = resume_plan(tmp_path, LLMOptions(provider=None))
    assert (plan.jobs, plan.output_format, plan.provider_batch) == ([job], ".docx", True)
    assert (plan.llm.provider, plan.llm.model, plan.llm.base_url) == (
        "openai-compatible", "qwen3", "http://127.0.0.1:9/v1",
    )  # fmt: skip
    same = resume_plan(tmp_path, LLMOptions(provider="openai-compatible", model="llama3"))
    assert (same.llm.model, same.llm.base_url) == ("llama3", "http://127.0.0.1:9/v1")
    other = resume_plan(tmp_path, LLMOptions(provider="anthropic"))
    assert (other.llm.provider, other.llm.model, other.llm.base_url) == ("anthropic", None, None)
