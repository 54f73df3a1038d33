"""`tailor rewrite` end to end: real exit codes, real files."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

import tailor
from tailor.renderers.jsonresume import SCHEMA_URL
from tailor.rewriter.model import TailoredCV

Run = Callable[..., subprocess.CompletedProcess[str]]
CASEY = "examples/casey-morgan.md"


def test_without_output_it_prints_the_cv_as_markdown_and_the_changes_on_stderr(
    run_tailor: Run,
) -> None:
    result = run_tailor("rewrite", CASEY, "--target", "startup")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Casey Morgan\n")
    reread = tailor.read_cv(result.stdout.encode(), name="cv.md")
    assert [w.name for w in reread.work] == [
        "Harbourline Insurance",
        "Mapleforge Retail",
        "Fernway Labs",
    ]
    assert "Tailored for Startup or growth company (startup)" in result.stderr
    assert "offline engine" in result.stderr
    assert "all supported" in result.stderr
    assert "line 19" in result.stderr and "Set up MLflow" in result.stderr


@pytest.mark.parametrize(
    ("suffix", "signature"),
    [
        (".md", b"# Casey Morgan"),
        (".json", b"{"),
        (".html", b"<!doctype html>"),
        (".docx", b"PK"),
        (".pdf", b"%PDF"),
    ],
)
def test_output_format_follows_the_extension(
    run_tailor: Run, tmp_path: Path, suffix: str, signature: bytes
) -> None:
    output = tmp_path / f"casey{suffix}"
    result = run_tailor("rewrite", CASEY, "-t", "anthropic", "-o", str(output))
    assert result.returncode == 0, result.stderr
    assert output.read_bytes().startswith(signature)
    assert f"wrote {output}" in result.stderr
    assert "Tailored for Frontier AI lab" in result.stdout  # the change log, on stdout
    again = tailor.load_cv(output) if suffix != ".html" else None
    if again is not None:
        assert again.work[0].name == "Harbourline Insurance"


def test_an_existing_file_needs_force(run_tailor: Run, tmp_path: Path) -> None:
    output = tmp_path / "cv.md"
    output.write_text("my own notes\n", encoding="utf-8")
    refused = run_tailor("rewrite", CASEY, "-t", "startup", "-o", str(output))
    assert refused.returncode == 2
    assert refused.stderr == f"tailor: error: {output} already exists; pass --force to replace it\n"
    assert output.read_text(encoding="utf-8") == "my own notes\n"
    forced = run_tailor("rewrite", CASEY, "-t", "startup", "-o", str(output), "--force")
    assert forced.returncode == 0, forced.stderr
    assert output.read_text(encoding="utf-8").startswith("# Casey Morgan")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cv.md"]  # no temporary file left


@pytest.mark.parametrize(
    ("output", "message"),
    [
        (
            "cv.txt",
            "'.txt' is not an output format (use .md .markdown .json .html .htm .docx .pdf "
            ".rendercv.yaml .rendercv.yml)",
        ),
        ("cv", "no extension is not an output format"),
        ("missing/cv.md", "no such folder"),
    ],
)
def test_bad_output_paths_fail_in_one_line_and_write_nothing(
    run_tailor: Run, tmp_path: Path, output: str, message: str
) -> None:
    result = run_tailor("rewrite", CASEY, "-t", "startup", "-o", str(tmp_path / output))
    assert result.returncode == 2
    assert result.stderr.startswith("tailor: error: ")
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_an_output_path_that_is_a_folder_fails(run_tailor: Run, tmp_path: Path) -> None:
    (tmp_path / "out.md").mkdir()
    result = run_tailor("rewrite", CASEY, "-t", "startup", "-o", str(tmp_path / "out.md"))
    assert result.returncode == 2
    assert "it is a folder" in result.stderr


def test_diff_shows_what_moved(run_tailor: Run) -> None:
    result = run_tailor("rewrite", CASEY, "-t", "startup", "--diff")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == ["--- your CV", "+++ tailored"]
    assert lines[2].startswith("-  left out   +  added   \u2195  moved")  # the legend
    assert any(line.startswith("\u2195- Set up MLflow experiment tracking") for line in lines)
    assert "\u2195## Education  [moved from line 43]" in lines  # Skills moved up above it
    assert "\x1b[" not in result.stdout  # no colour codes in a pipe
    assert "Tailored for Startup" in result.stdout  # the change log follows the diff
    assert not result.stdout.startswith("# Casey Morgan")


def test_diff_shows_what_was_cut(run_tailor: Run) -> None:
    result = run_tailor("rewrite", "tests/data/cvs/long.md", "-t", "palantir", "--diff")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    cut = "-- Mentored 9 senior and staff engineers; four were promoted during my tenure"
    assert any(line.startswith(cut) for line in lines)
    assert "dropped" in result.stdout


def test_json_format_prints_the_whole_result(run_tailor: Run, tmp_path: Path) -> None:
    result = run_tailor("rewrite", CASEY, "-t", "palantir", "--format", "json")
    assert result.returncode == 0, result.stderr
    tailored = TailoredCV.model_validate_json(result.stdout)
    assert tailored.target == "production-ml"
    assert tailored.unsupported == []
    assert any(change.kind == "moved" for change in tailored.changes)
    assert result.stderr == ""
    # the CV in JSON Resume's shape, as -o cv.json writes it
    document = json.loads(result.stdout)["cv"]
    assert document["work"][0]["startDate"] == "2023-03" and "start_date" not in result.stdout
    written = tailor.render(tailored, tmp_path / "cv.json")
    assert json.loads(written.read_text(encoding="utf-8")) == {"$schema": SCHEMA_URL, **document}


def test_markdown_change_log(run_tailor: Run, tmp_path: Path) -> None:
    output = tmp_path / "cv.pdf"
    result = run_tailor("rewrite", CASEY, "-t", "startup", "--format", "md", "-o", str(output))
    assert result.returncode == 0, result.stderr
    assert "| change | section | line | your text | why |" in result.stdout
    assert "| moved | work | 19 | Set up MLflow experiment tracking" in result.stdout


def test_the_cv_can_come_from_stdin(run_tailor: Run) -> None:
    document = json.loads(Path("examples/jordan-reyes.json").read_text(encoding="utf-8"))
    result = run_tailor("rewrite", "-", "-t", "lab", stdin=json.dumps(document))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Jordan Reyes")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((CASEY,), "say what to tailor for: --target TARGET, --jd POSTING"),
        ((CASEY, "-t", "frontier-labs"), "unknown target 'frontier-labs'; did you mean"),
        (("missing.md", "-t", "startup"), "missing.md"),
        ((CASEY, "-t", "startup", "-p", "gpt"), "Invalid value for '--provider'"),
    ],
)
def test_input_mistakes_fail_in_one_line(
    run_tailor: Run, args: tuple[str, ...], message: str
) -> None:
    result = run_tailor("rewrite", *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_diff_with_json_keeps_stdout_json(run_tailor: Run) -> None:
    result = run_tailor("rewrite", CASEY, "-t", "startup", "--diff", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert TailoredCV.model_validate_json(result.stdout).target == "startup"
    assert result.stderr.startswith("--- your CV\n+++ tailored\n")
