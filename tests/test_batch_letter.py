"""`tailor batch --letter`: a cover letter for each posting, through the batch's runner,
manifest, resume and report."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

import tailor
from tailor.batch import Batch, JobSpec, plan
from tailor.batch.plan import output_names
from tailor.errors import UserError
from tests.conftest import EXAMPLES

Run = Callable[..., subprocess.CompletedProcess[str]]
CASEY = str(EXAMPLES / "casey-morgan.md")
JORDAN = str(EXAMPLES / "jordan-reyes.md")
STARTUP = str(EXAMPLES / "postings" / "startup-inference.md")
PLATFORM = str(EXAMPLES / "postings" / "production-ml-platform.txt")


def manifest(folder: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def letters(folder: Path) -> list[dict]:  # type: ignore[type-arg]
    return [job for job in manifest(folder)["jobs"] if job["job"]["task"] == "letter"]


def read_letter(folder: Path, record: dict) -> tailor.Letter:  # type: ignore[type-arg]
    name = next(f for f in record["files"] if f.endswith(".letter.json"))
    return tailor.Letter.model_validate_json((folder / name).read_text(encoding="utf-8"))


def test_a_letter_for_each_cv_and_posting(run_tailor: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_tailor(
        "batch", CASEY, JORDAN, "--jd", STARTUP, "--jd", PLATFORM, "--letter", "-f", "json",
        "-o", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    written = letters(out)
    assert len(written) == 4 and {job["state"] for job in written} == {"done"}
    titles = {
        STARTUP: "Founding ML Inference Engineer at Wrenfield",
        PLATFORM: "Senior ML Engineer, Model Platform at Brackwater Data Systems",
    }
    report = (out / "report.html").read_text(encoding="utf-8")
    for record in written:
        letter = read_letter(out, record)
        assert letter.draft and letter.posting == titles[record["job"]["jd"]]
        assert letter.cv == record["job"]["cv"] and letter.paragraphs
        assert record["score"] is None and record["changes"] is None
        stem = Path(record["job"]["jd"]).stem
        assert record["files"] == [
            f"{Path(record['job']['cv']).stem}/{stem}.letter.json",
            f"{Path(record['job']['cv']).stem}/{stem}.letter.notes.md",
        ]
        notes = (out / record["files"][1]).read_text(encoding="utf-8")
        assert notes == tailor.cover_letter.report.notes_markdown(letter)
        for name in record["files"]:
            assert f'href="{name}"' in report
    assert ">letter (json)</a>" in report and ">letter notes</a>" in report
    critiques = [job for job in manifest(out)["jobs"] if job["job"]["task"] == "critique"]
    assert len(critiques) == 4  # the letter comes on top of --task


def test_a_letter_for_a_target_and_a_posting_beside_its_critique(
    run_tailor: Run, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = run_tailor(
        "batch", CASEY, "-t", "startup", "--jd", STARTUP, "--letter", "-f", "json",
        "-o", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    jobs = manifest(out)["jobs"]
    assert sorted(job["id"] for job in jobs) == [
        "casey-morgan/startup+startup-inference.critique",
        "casey-morgan/startup+startup-inference.letter",
    ]
    assert {job["state"] for job in jobs} == {"done"}
    assert read_letter(out, letters(out)[0]).target == "startup"
    assert "letter" in result.stdout and "critique" in result.stdout


def test_a_letter_needs_a_posting(run_tailor: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    for args in (["-t", "startup"], []):
        result = run_tailor("batch", CASEY, *args, "--letter", "-o", str(out))
        assert result.returncode == 2
        assert result.stderr.strip().splitlines() == [
            "tailor: error: a letter answers a job posting: --letter needs --jd"
        ]
    assert not out.exists()


def test_a_posting_that_cannot_be_read_fails_only_its_jobs(run_tailor: Run, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = tmp_path / "out"
    result = run_tailor(
        "batch", CASEY, "--jd", str(empty), "--jd", STARTUP, "--letter", "-f", "json",
        "-o", str(out),
    )  # fmt: skip
    assert result.returncode == 3
    assert "2 of 4 jobs failed" in result.stderr
    states = {(Path(j["job"]["jd"]).stem, j["job"]["task"]): j for j in manifest(out)["jobs"]}
    failed = states[("empty", "letter")]
    assert failed["state"] == "failed" and "empty" in failed["reason"] and not failed["files"]
    assert states[("empty", "critique")]["state"] == "failed"
    done = states[("startup-inference", "letter")]
    assert done["state"] == "done"
    assert read_letter(out, done).posting.startswith("Founding ML Inference Engineer")
    report = (out / "report.html").read_text(encoding="utf-8")
    assert f"Failed: letter: {failed['reason']}" in report


def test_a_rerun_skips_the_letters_done_and_resume_writes_a_lost_one_again(
    run_tailor: Run, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    args = ("batch", CASEY, JORDAN, "--jd", STARTUP, "--letter", "-f", "json", "-o", str(out))
    assert run_tailor(*args).returncode == 0
    files = sorted(out.glob("*/*.letter.*"))
    assert len(files) == 4
    before = {path: path.stat().st_mtime_ns for path in files}
    again = run_tailor(*args)
    assert again.returncode == 0, again.stderr
    assert again.stderr.count("done before") == 4  # two letters, two critiques
    assert {path: path.stat().st_mtime_ns for path in files} == before
    lost = out / "jordan-reyes" / "startup-inference.letter.notes.md"
    lost.unlink()
    resumed = run_tailor("batch", "--resume", str(out))
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stderr.count("done before") == 3
    assert lost.is_file() and lost.read_text(encoding="utf-8").startswith("## Notes on the letter")
    kept = [path for path in files if path.parent.name == "casey-morgan"]  # the other CV's
    assert {path: path.stat().st_mtime_ns for path in kept} == {p: before[p] for p in kept}
    assert {job["state"] for job in manifest(out)["jobs"]} == {"done"}


def test_a_jobs_file_asks_for_letters(run_tailor: Run, tmp_path: Path) -> None:
    jobs = tmp_path / "jobs.yaml"
    jobs.write_text(
        f"- cv: {CASEY}\n  jd: {STARTUP}\n  task: letter\n"
        f"- cv: {JORDAN}\n  target: startup\n  jd: {PLATFORM}\n  task: letter\n"
        f"- cv: {JORDAN}\n  jd: {PLATFORM}\n"
    )
    out = tmp_path / "out"
    result = run_tailor("batch", "--jobs", str(jobs), "-f", "json", "-o", str(out))
    assert result.returncode == 0, result.stderr
    recorded = [(j["job"]["task"], j["job"]["target"], j["state"]) for j in manifest(out)["jobs"]]
    assert recorded == [
        ("letter", None, "done"),
        ("letter", "startup", "done"),
        ("critique", None, "done"),
    ]
    assert read_letter(out, letters(out)[1]).target == "startup"


def test_a_letter_row_without_a_posting_is_refused_by_its_number(
    run_tailor: Run, tmp_path: Path
) -> None:
    jobs = tmp_path / "jobs.yaml"
    jobs.write_text(
        f"- cv: {CASEY}\n  jd: {STARTUP}\n  task: letter\n"
        f"- cv: {JORDAN}\n  target: startup\n  task: letter\n"
    )
    out = tmp_path / "out"
    result = run_tailor("batch", "--jobs", str(jobs), "-o", str(out))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"tailor: error: {jobs}: row 2: a letter answers a job posting; give the row a jd"
    ]
    assert not out.exists()


def test_letter_and_jobs_file_options_are_checked(run_tailor: Run, tmp_path: Path) -> None:
    jobs = tmp_path / "jobs.yaml"
    jobs.write_text(f"- cv: {CASEY}\n  jd: {STARTUP}\n")
    out = tmp_path / "out"
    alone = run_tailor("batch", "--jobs", str(jobs), "--letter", "-o", str(out))
    assert alone.returncode == 2 and "--letter go with CV arguments" in alone.stderr
    resumed = run_tailor("batch", "--resume", str(out), "--letter")
    assert resumed.returncode == 2 and "it takes no --letter" in resumed.stderr


# -- the plan and the runner, in the library -------------------------------------------------


def test_each_posting_of_each_target_gets_one_letter() -> None:
    jobs = plan([CASEY, JORDAN], ["startup", "anthropic"], [STARTUP, PLATFORM], letters=True)
    letter_jobs = [job for job in jobs if job.task == "letter"]
    assert len(jobs) == 16 and len(letter_jobs) == 8
    assert {job.target for job in letter_jobs} == {"startup", "frontier-lab"}
    assert all(job.jd for job in letter_jobs)
    assert plan([CASEY], [], [STARTUP], ["letter"]) == plan(
        [CASEY], [], [STARTUP], [], letters=True
    )
    with pytest.raises(UserError, match="--letter needs --jd"):
        plan([CASEY], ["startup"], [], ["critique", "letter"])


def test_a_letters_files_follow_the_format() -> None:
    assert output_names("cv/job.letter", "letter", ".pdf") == [
        "cv/job.letter.json",
        "cv/job.letter.notes.md",
        "cv/job.letter.pdf",
    ]
    # as JSON, the letter is its Letter: one file of that name, not two
    assert output_names("cv/job.letter", "letter", ".json") == [
        "cv/job.letter.json",
        "cv/job.letter.notes.md",
    ]


def test_a_letters_key_holds_its_format(tmp_path: Path) -> None:
    letter = JobSpec(cv=CASEY, jd=STARTUP, task="letter")
    critique = JobSpec(cv=CASEY, jd=STARTUP, task="critique")
    as_json, as_pdf = (Batch(tmp_path / f, output_format=f) for f in (".json", ".pdf"))
    assert as_json._key(letter) != as_pdf._key(letter)
    assert as_json._key(critique) == as_pdf._key(critique)


def test_the_library_runs_letters(tmp_path: Path) -> None:
    import tailor.batch

    out = tmp_path / "out"
    result = tailor.batch.run(
        [CASEY], jds=[STARTUP], tasks=["letter"], out_dir=out, output_format=".json"
    )
    assert result.counts() == {"pending": 0, "done": 1, "failed": 0}
    assert [record.job.task for record in result.jobs] == ["letter"]
    with pytest.raises(UserError, match="needs --jd"):
        tailor.batch.run([CASEY], ["startup"], letters=True, out_dir=tmp_path / "none")


@pytest.mark.parametrize("fmt", ["md", "html", "docx", "pdf"])
def test_the_letter_is_written_in_the_batch_format(
    run_tailor: Run, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / "out"
    args = ["-f", fmt] if fmt != "md" else []
    result = run_tailor("batch", CASEY, "--jd", STARTUP, "--letter", *args, "-o", str(out))
    assert result.returncode == 0, result.stderr
    (record,) = letters(out)
    name = f"casey-morgan/startup-inference.letter.{fmt}"
    assert record["files"][-1] == name
    data = (out / name).read_bytes()
    letter = read_letter(out, record)
    if fmt in ("docx", "pdf"):
        assert data.startswith(b"PK" if fmt == "docx" else b"%PDF")
    else:
        text = data.decode("utf-8")
        assert letter.header.name in text and letter.greeting in text
    report = (out / "report.html").read_text(encoding="utf-8")
    assert f'<a href="{name}">letter ({fmt})</a>' in report
