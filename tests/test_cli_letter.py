"""`tailor letter`: the letter on stdout with its notes on stderr, every file format, a model
through the CLI's flags, and one clear line with exit 2 for bad input."""

from __future__ import annotations

import json
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

import tailor
from tests import scripted
from tests.fake_llm import FakeLLM, Text
from tests.test_letter import CV, GROUNDED, JOB, POSTING, good_letter

Run = Callable[..., subprocess.CompletedProcess[str]]


def letter(run: Run, *args: str) -> subprocess.CompletedProcess[str]:
    return run("letter", str(CV), "--jd", str(POSTING), *args)


def one_line_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith("tailor: error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr


def test_the_letter_goes_to_stdout_and_its_notes_to_stderr(run_tailor: Run) -> None:
    result = letter(run_tailor)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        "Mira Okonkwo\nML Engineer · Bristol, UK · mira.okonkwo@example.com"
    )
    assert "Dear Halcyra Logistics hiring team," in result.stdout
    assert result.stdout.rstrip().endswith("Kind regards,\nMira Okonkwo")
    assert "A draft, written offline" in result.stderr
    assert "rests on line 11: \u201cMoved demand-forecast training" in result.stderr
    assert "Experience with JAX." in result.stderr  # not shown, and said so
    assert "JAX" not in result.stdout


def test_markdown_and_json(run_tailor: Run) -> None:
    markdown = letter(run_tailor, "-f", "md")
    assert markdown.returncode == 0 and markdown.stdout.startswith("# Mira Okonkwo")
    assert "## Notes on the letter" in markdown.stderr
    payload = letter(run_tailor, "--format", "json", "--gaps")
    assert payload.returncode == 0 and payload.stderr.count("tailor:") == 0
    result = tailor.Letter.model_validate(json.loads(payload.stdout))
    assert result.draft and result.not_shown == ["Experience with JAX."]
    assert any(p.kind == "gaps" for p in result.paragraphs)


@pytest.mark.parametrize("suffix", [".md", ".txt", ".html", ".docx", ".pdf", ".json"])
def test_every_format_is_written_with_the_notes_on_stdout(
    run_tailor: Run, tmp_path: Path, suffix: str
) -> None:
    out = tmp_path / f"letter{suffix}"
    result = letter(run_tailor, "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Cover letter for Machine Learning Engineer, Forecasting")
    assert f"wrote {out}" in result.stderr
    data = out.read_bytes()
    if suffix == ".pdf":
        assert data.startswith(b"%PDF")
    elif suffix == ".docx":
        assert "word/document.xml" in zipfile.ZipFile(out).namelist()
    elif suffix == ".json":
        assert tailor.Letter.model_validate_json(data).header.name == "Mira Okonkwo"
    else:
        assert "Dear Halcyra Logistics hiring team," in data.decode()


def test_an_existing_file_needs_force_and_the_cv_is_never_replaced(
    run_tailor: Run, tmp_path: Path
) -> None:
    out = tmp_path / "letter.txt"
    out.write_text("mine", encoding="utf-8")
    one_line_error(letter(run_tailor, "-o", str(out)), "already exists", "--force")
    assert out.read_text(encoding="utf-8") == "mine"
    assert letter(run_tailor, "-o", str(out), "--force").returncode == 0
    assert out.read_text(encoding="utf-8").startswith("Mira Okonkwo")
    cv = tmp_path / "cv.md"
    cv.write_bytes(CV.read_bytes())
    refused = run_tailor("letter", str(cv), "--jd", str(POSTING), "-o", str(cv), "--force")
    one_line_error(refused, "an input of this run")
    assert cv.read_bytes() == CV.read_bytes()


def test_bad_input_gets_one_line_and_exit_2(run_tailor: Run, tmp_path: Path) -> None:
    empty = tmp_path / "empty.md"
    empty.write_text("", encoding="utf-8")
    binary = tmp_path / "binary.pdf"
    binary.write_bytes(b"\x00\xff" * 500)
    one_line_error(run_tailor("letter", str(CV)), "--jd")
    one_line_error(run_tailor("letter", str(CV), "--jd", str(empty)), "empty")
    one_line_error(run_tailor("letter", str(CV), "--jd", str(tmp_path / "none.md")))
    one_line_error(run_tailor("letter", str(binary), "--jd", str(POSTING)))
    one_line_error(run_tailor("letter", str(empty), "--jd", str(POSTING)), "empty")
    one_line_error(letter(run_tailor, "-t", "no-such-target"), "no-such-target")
    one_line_error(letter(run_tailor, "-o", str(tmp_path / "letter.rtf")), "not a letter format")
    one_line_error(letter(run_tailor, "-o", str(tmp_path)), "it is a folder")
    one_line_error(run_tailor("letter", "-", "--jd", "-", stdin="x"), "stdin")
    assert not (tmp_path / "letter.rtf").exists()


def test_a_posting_on_stdin(run_tailor: Run) -> None:
    result = run_tailor("letter", str(CV), "--jd", "-", stdin=POSTING.read_text("utf-8"))
    assert result.returncode == 0, result.stderr
    assert "Dear Halcyra Logistics hiring team," in result.stdout


def test_a_model_writes_the_letter_through_the_cli(run_tailor: Run, fake_llm: FakeLLM) -> None:
    fake_llm.reply(Text(scripted.reading_answer(JOB)), Text(good_letter()))
    result = letter(run_tailor, "-p", "openai-compatible", "--base-url", fake_llm.openai_base_url)
    assert result.returncode == 0, result.stderr
    assert GROUNDED in result.stdout
    assert "\nWritten by openai-compatible " in result.stderr
    assert "every sentence checked against the CV lines it cites" in result.stderr
    assert len(fake_llm.requests) == 2


def test_the_example_letter_in_the_docs_is_what_tailor_writes(run_tailor: Run) -> None:
    """docs/guide/letters.md shows a run of the example; the run must still give it."""
    page = (Path(__file__).resolve().parent.parent / "docs" / "guide" / "letters.md").read_text(
        encoding="utf-8"
    )
    command = "$ tailor letter examples/jordan-reyes.md --jd "
    start = page.index(command)
    args = page[start + 2 : page.index("\n", start)].split()[1:]
    shown = page[page.index("\n", start) + 1 : page.index("\n```", start)]
    result = run_tailor(*args)
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip() == shown
    notes = page.index("```text", page.index("\n```", start)) + len("```text\n")
    assert result.stderr.strip() == page[notes : page.index("\n```", notes)].strip()
