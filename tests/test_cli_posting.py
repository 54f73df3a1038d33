"""`--jd`: a job posting as a target on the command line, through the real CLI."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

import tailor
from tests.conftest import EXAMPLES
from tests.fake_llm import FakeLLM, Text

Run = Callable[..., subprocess.CompletedProcess[str]]
CV = str(EXAMPLES / "jordan-reyes.md")
POSTINGS = EXAMPLES / "postings"
PLATFORM = str(POSTINGS / "production-ml-platform.txt")
HOSTILE = str(
    Path(__file__).resolve().parent / "data" / "postings" / "injected" / "frontier-lab-injected.md"
)


def test_critique_with_a_posting_shows_the_coverage_table(run_tailor: Run) -> None:
    result = run_tailor("critique", CV, "--jd", PLATFORM)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Job posting: Senior ML Engineer, Model Platform at Brackwater Data Systems" in out
    assert "Coverage" in out and "missing" in out and "shown" in out
    assert "posting-must-missing" in out
    assert out.count("/100") >= 2  # coverage and one score: the posting alone, no profiles


def test_critique_with_targets_and_a_posting_refines_each_target(run_tailor: Run) -> None:
    result = run_tailor(
        "critique", CV, "--jd", PLATFORM, "-t", "startup", "-t", "palantir", "-f", "json"
    )
    assert result.returncode == 0, result.stderr
    critiques = json.loads(result.stdout)
    assert [c["target"] for c in critiques] == ["startup", "production-ml"]
    for critique in critiques:
        assert critique["coverage"]["posting"].startswith("Senior ML Engineer")
        assert critique["posting"] == critique["coverage"]["posting"]
        statuses = {item["status"] for item in critique["coverage"]["requirements"]}
        assert "missing" in statuses and "applied" in statuses


def test_critique_markdown_has_a_coverage_table(run_tailor: Run) -> None:
    result = run_tailor("critique", CV, "--jd", PLATFORM, "-f", "md")
    assert result.returncode == 0, result.stderr
    assert "| | requirement | CV | evidence |" in result.stdout
    assert "| must | Production experience on AWS or GCP. | missing |" in result.stdout


def test_a_posting_can_come_from_stdin(run_tailor: Run) -> None:
    posting = "ML Engineer at Fernhill\nRequirements:\n- Strong SQL and Spark experience\n"
    result = run_tailor("critique", CV, "--jd", "-", "-f", "json", stdin=posting)
    assert result.returncode == 0, result.stderr
    critique = json.loads(result.stdout)
    assert critique["coverage"]["posting"] == "ML Engineer at Fernhill"
    assert critique["coverage"]["requirements"][0]["status"] == "applied"


def test_rewrite_for_a_posting_writes_the_cv_and_reports_coverage(
    run_tailor: Run, tmp_path: Path
) -> None:
    output = tmp_path / "cv.md"
    result = run_tailor("rewrite", CV, "--jd", PLATFORM, "-o", str(output))
    assert result.returncode == 0, result.stderr
    assert output.is_file()
    assert "The posting: coverage" in result.stdout and "must-haves" in result.stdout
    # the posting writes "k8s", the CV "Kubernetes": a skill keeps its full name
    assert "the posting calls it" not in result.stdout
    assert "Kubernetes" in output.read_text(encoding="utf-8")


def test_a_listed_skill_takes_the_postings_full_name_for_it(run_tailor: Run) -> None:
    casey = str(EXAMPLES / "casey-morgan.md")
    posting = "ML Engineer\nRequirements:\n- Production experience on Amazon Web Services\n"
    result = run_tailor("rewrite", casey, "--jd", "-", "--format", "json", stdin=posting)
    assert result.returncode == 0, result.stderr
    tailored = json.loads(result.stdout)
    keywords = [k for skill in tailored["cv"]["skills"] for k in skill["keywords"]]
    assert "Amazon Web Services" in keywords and "AWS" not in keywords
    assert tailored["unsupported"] == []


def test_a_hostile_posting_is_reported_and_changes_nothing(run_tailor: Run) -> None:
    clean = run_tailor(
        "critique", CV, "--jd", str(POSTINGS / "frontier-lab-research-engineer.md"), "-f", "json"
    )
    hostile = run_tailor("critique", CV, "--jd", HOSTILE, "-f", "json")
    assert hostile.returncode == clean.returncode == 0, hostile.stderr
    assert "left out 3 lines of the posting that addressed an AI model" in hostile.stderr
    assert json.loads(hostile.stdout)["score"] == json.loads(clean.stdout)["score"]


@pytest.mark.parametrize(
    ("posting", "message"),
    [
        ("missing.md", "no such posting file"),
        ("", "is empty"),
        ("\x00\x01binary\x02" * 50, "binary file, not a job posting"),
        ("{broken", "malformed JSON"),
    ],
)
def test_bad_postings_fail_in_one_line(
    run_tailor: Run, tmp_path: Path, posting: str, message: str
) -> None:
    path = tmp_path / ("job.json" if posting.startswith("{") else "job.txt")
    if posting != "missing.md":
        path.write_text(posting, encoding="utf-8")
    else:
        path = tmp_path / posting
    for command in (("critique", CV), ("rewrite", CV)):
        result = run_tailor(*command, "--jd", str(path))
        assert result.returncode == 2
        assert message in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_rewrite_needs_a_target_or_a_posting(run_tailor: Run) -> None:
    result = run_tailor("rewrite", CV)
    assert result.returncode == 2
    assert "--target TARGET, --jd POSTING, or both" in result.stderr


# -- with a provider, through the fake LLM server ----------------------------------------------


def test_with_a_provider_the_posting_is_read_once_for_every_target(
    run_tailor: Run, fake_llm: FakeLLM
) -> None:
    posting = tailor.load_posting(PLATFORM)
    reading = {
        "title": posting.title,
        "company": posting.company,
        "requirements": [
            {"text": r.text, "kind": r.kind, "skills": r.skills} for r in posting.requirements
        ],
        "keywords": posting.keywords,
    }
    critique = {"score": 80, "summary": "Solid.", "findings": [], "strengths": []}
    fake_llm.reply(
        Text(json.dumps(reading)), Text(json.dumps(critique)), Text(json.dumps(critique))
    )
    result = run_tailor(
        "critique", CV, "--jd", PLATFORM, "-t", "startup", "-t", "lab", "-f", "json",
        "-p", "openai-compatible", "--base-url", fake_llm.openai_base_url,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert len(fake_llm.requests) == 3  # one reading of the posting, one critique per target
    assert "the posting was read by openai-compatible" in result.stderr
    assert "7 must-haves, 4 nice-to-haves" in result.stderr
    first, second = (r.body["messages"] for r in fake_llm.requests[1:])
    task = "Critique the CV above"
    # the instructions, the CV and the posting are the same prefix for both targets
    assert first[0] == second[0]
    assert first[1]["content"].split(task)[0] == second[1]["content"].split(task)[0]
    assert "<job_posting>" in first[1]["content"].split(task)[0]
    reports = json.loads(result.stdout)
    assert all(r["coverage"]["score"] == reports[0]["coverage"]["score"] for r in reports)


def test_a_file_with_no_requirements_is_said_to_be_no_posting(
    run_tailor: Run, tmp_path: Path
) -> None:
    letter = tmp_path / "letter.txt"
    letter.write_text(
        "Dear team,\n\nThank you for the interview. I enjoyed our talk about Kafka.\n"
    )
    result = run_tailor("rewrite", CV, "--jd", str(letter))
    assert result.returncode == 0, result.stderr
    assert "found no requirements in" in result.stderr and "is it a job posting?" in result.stderr
    assert "0 of its 0 must-haves" not in result.stderr
