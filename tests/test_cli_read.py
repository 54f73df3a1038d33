"""`tailor read`: what tailor read of a CV, and the one-line warning the other commands give
when the reading looks wrong. In-process, through typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import tailor
from tailor.cli import app
from tests.conftest import EXAMPLES, REAL

runner = CliRunner()
AWESOME = REAL / "latex" / "awesome-cv-cv.pdf"

# A CV read wrong in the ways real ones are: a "last updated" note above the name, roles
# without an employer, every role open-ended, a section with nothing in it.
MISREAD = """Last updated in Mar 2026
Ana Ruiz
ana@example.com

EXPERIENCE

Machine Learning Engineer, Jan 2021 – Present
- Built a ranking service used by 2,000 shops.

Data Scientist, Mar 2019 – Present
- Cut churn by 12%.

Research Intern, Jun 2018 – Present
- Wrote a paper.

AWARDS

SKILLS
Python, SQL
"""


def test_the_text_report_shows_contacts_roles_dates_and_bullets() -> None:
    result = runner.invoke(app, ["read", str(AWESOME)])
    assert result.exit_code == 0, result.output
    report = result.stdout
    assert report.startswith(f"Read {AWESOME} (PDF, 3 pages)")
    assert "Name      Claud D. Park" in report
    assert "Phone     (+82) 10-9030-1843" in report
    assert "Experience: 9 roles" in report
    assert "SOFTWARE ARCHITECT — Omnious. Co., Ltd. · Jun 2017 – Present · Seoul, S.Korea" in report
    assert "    - Built fully automated CI/CD pipelines on CircleCI" in report
    assert "Presentation: 10 lines, kept as they are" in report
    assert report.rstrip().endswith("No signs of a misread.")


def test_the_markdown_is_the_cv_to_correct_and_read_again(tmp_path: Path) -> None:
    output = tmp_path / "read.md"
    result = runner.invoke(app, ["read", str(AWESOME), "-f", "md", "-o", str(output)])
    assert result.exit_code == 0, result.output
    text = output.read_text(encoding="utf-8")
    assert text.startswith("<!-- tailor read: No signs of a misread. -->")
    again = tailor.load_cv(output)
    source = tailor.load_cv(AWESOME)
    assert [(w.name, w.position, w.start_date) for w in again.work] == [
        (w.name, w.position, w.start_date) for w in source.work
    ]
    assert [b.text for b in again.bullets()] == [b.text for b in source.bullets()]


def test_json_has_the_cv_its_source_the_unplaced_text_and_the_warnings(tmp_path: Path) -> None:
    path = tmp_path / "cv.txt"
    path.write_text(MISREAD, encoding="utf-8")
    result = runner.invoke(app, ["read", str(path), "-f", "json"])
    assert result.exit_code == 0, result.output
    reading = json.loads(result.stdout)
    assert reading["cv"]["basics"]["email"] == "ana@example.com"
    assert reading["source"]["format"] == "text"
    assert {"title": "EXPERIENCE", "kind": "work"} in reading["source"]["sections"]
    warnings = " | ".join(reading["warnings"])
    assert "the name read ('Last updated in Mar 2026') looks like a date" in warnings
    assert "3 roles read without an employer" in warnings
    assert "all 3 dated roles read as running to the present" in warnings
    assert "the section 'AWARDS' was read with nothing in it" in warnings


def _with_header_extra(tmp_path: Path, extra: str) -> Path:
    """A Markdown CV whose contact line ends with `extra`, which no contact field holds."""
    path = tmp_path / "cv.md"
    path.write_text(
        f"# Ana Ruiz\nana@example.com · {extra}\n\n## Experience\n\n"
        "### ML Engineer — Quillnet\n*2021 – 2024*\n\n- Built it.\n",
        encoding="utf-8",
    )
    return path


def test_the_text_report_lists_the_warnings_and_what_could_not_be_placed(tmp_path: Path) -> None:
    path = _with_header_extra(tmp_path, "ana.r@example.org")
    report = runner.invoke(app, ["read", str(path)]).stdout
    assert "Could not place (1): a rewrite leaves these out\n  ana.r@example.org" in report
    assert "  ! 1 part of the CV could not be placed" in report


@pytest.mark.parametrize("command", ["critique", "rewrite", "prep"])
def test_other_commands_warn_in_one_line_when_the_cv_may_be_misread(
    tmp_path: Path, command: str
) -> None:
    path = tmp_path / "cv.txt"
    path.write_text(MISREAD, encoding="utf-8")
    args = [command, str(path), "-t", "startup"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    warning = [line for line in result.stderr.splitlines() if "may be misread" in line]
    assert warning == [
        f"tailor: warning: this CV may be misread (5 signs); `tailor read {path}` shows them "
        "and what was read"
    ]
    assert "Last updated" not in result.stderr and "ana@example.com" not in result.stderr


@pytest.mark.parametrize("dashes", ["--", "---", "----"])
def test_a_note_that_quotes_a_comment_end_leaves_the_markdown_readable(
    tmp_path: Path, dashes: str
) -> None:
    path = _with_header_extra(tmp_path, f"cv{dashes}> not a comment")
    output = tmp_path / "read.md"
    result = runner.invoke(app, ["read", str(path), "-f", "md", "-o", str(output)])
    assert result.exit_code == 0, result.output
    notes = [line for line in output.read_text(encoding="utf-8").splitlines() if "<!--" in line]
    assert any(f"cv{'- ' * (len(dashes) - 1)}-> not a comment" in line for line in notes)
    assert all(line.count("-->") == 1 and line.endswith("-->") for line in notes)
    assert tailor.load_cv(output).basics.name == "Ana Ruiz"


def test_a_cv_read_well_gets_no_warning() -> None:
    result = runner.invoke(app, ["critique", str(EXAMPLES / "jordan-reyes.md"), "-t", "startup"])
    assert result.exit_code == 0, result.output
    assert "may be misread" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["read", "missing.md"], "no such file: missing.md"),
        (["read", "missing.md", "-o", str(EXAMPLES / "casey-morgan.md")], "no such file"),
        (["read", str(EXAMPLES / "jordan-reyes.md"), "-f", "yaml"], "yaml"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output


def test_an_empty_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    empty = tmp_path / "cv.pdf"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["read", str(empty)])
    assert result.exit_code == 2
    assert result.stderr == f"tailor: error: {empty} is empty\n"


def test_the_reading_never_replaces_the_cv_it_reads_nor_another_file_unasked(
    tmp_path: Path,
) -> None:
    cv = tmp_path / "cv.md"
    cv.write_text((EXAMPLES / "casey-morgan.md").read_text(encoding="utf-8"), encoding="utf-8")
    before = cv.read_bytes()
    same = runner.invoke(app, ["read", str(cv), "-f", "md", "-o", str(cv), "--force"])
    assert same.exit_code == 2
    assert same.stderr == (
        f"tailor: error: {cv} is {cv}, an input of this run; write to another file "
        "(tailor never replaces its input, even with --force)\n"
    )
    assert cv.read_bytes() == before
    other = tmp_path / "read.md"
    other.write_text("my notes\n", encoding="utf-8")
    refused = runner.invoke(app, ["read", str(cv), "-f", "md", "-o", str(other)])
    assert refused.exit_code == 2 and "pass --force" in refused.stderr
    assert other.read_text(encoding="utf-8") == "my notes\n"
    forced = runner.invoke(app, ["read", str(cv), "-f", "md", "-o", str(other), "--force"])
    assert forced.exit_code == 0 and other.read_text(encoding="utf-8").startswith("<!-- tailor")


def test_an_error_line_is_cut_to_a_bounded_length() -> None:
    path = "folder/" * 400 + "cv.md"  # no such file: its name alone is 2,805 characters
    result = runner.invoke(app, ["read", path])
    assert result.exit_code == 2
    line = result.stderr.rstrip("\n")
    assert "\n" not in line and line.startswith("tailor: error: no such file: folder/")
    assert line.endswith(" [...]") and len(line) < 1_100
