"""`tailor themes` and `--theme`: every command that writes a file takes one, an unknown one is
one line and exit 2 before any work, and a batch keeps its theme through a resume."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pypdf
import pytest

import tailor
from tailor.batch import load_manifest
from tailor.renderers.themes import DEFAULT_THEME, themes
from tests.conftest import EXAMPLES

Run = Callable[..., subprocess.CompletedProcess[str]]
CV = EXAMPLES / "jordan-reyes.md"
POSTING = EXAMPLES / "postings" / "startup-inference.md"


def fonts_of(pdf: Path) -> set[str]:
    """The base names of the fonts a PDF uses ("ABCDEF+Lato-Regular" -> "Lato-Regular")."""
    found: set[str] = set()
    for page in pypdf.PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            found.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return found


def test_themes_lists_every_theme_with_its_description(run_tailor: Run) -> None:
    result = run_tailor("themes")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(themes()) >= 3
    for line, theme in zip(lines, themes(), strict=True):
        assert line.startswith(theme.name) and theme.description in line
    assert "(default)" in lines[0] and lines[0].startswith(DEFAULT_THEME)
    listed = json.loads(run_tailor("themes", "--format", "json").stdout)
    assert [item["name"] for item in listed] == [theme.name for theme in themes()]


def test_each_theme_writes_its_own_pdf(run_tailor: Run, tmp_path: Path) -> None:
    written = {}
    for theme in themes():
        out = tmp_path / f"{theme.name}.pdf"
        result = run_tailor(
            "rewrite", str(CV), "-t", "startup", "--theme", theme.name, "-o", str(out)
        )
        assert result.returncode == 0, result.stderr
        written[theme.name] = (out.read_bytes(), fonts_of(out))
    assert len({data for data, _ in written.values()}) == len(themes())
    assert len({frozenset(fonts) for _, fonts in written.values()}) >= 2


@pytest.mark.parametrize("command", ["rewrite", "letter", "batch"])
def test_an_unknown_theme_is_one_line_before_any_work(
    run_tailor: Run, tmp_path: Path, command: str
) -> None:
    args = {
        "rewrite": ["rewrite", str(CV), "-t", "startup", "-o", str(tmp_path / "cv.pdf")],
        "letter": ["letter", str(CV), "--jd", str(POSTING), "-o", str(tmp_path / "l.pdf")],
        "batch": [
            "batch",
            str(CV),
            "-t",
            "startup",
            "--task",
            "rewrite",
            "-o",
            str(tmp_path / "b"),
        ],
    }[command]
    result = run_tailor(*args, "--theme", "neon")
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "unknown theme 'neon'" in result.stderr and "classic" in result.stderr
    assert not list(tmp_path.iterdir())


def test_a_letter_takes_the_theme_of_its_cv(run_tailor: Run, tmp_path: Path) -> None:
    cv, letter = tmp_path / "cv.pdf", tmp_path / "letter.pdf"
    run_tailor("rewrite", str(CV), "-t", "startup", "--theme", "modern", "-o", str(cv))
    result = run_tailor(
        "letter", str(CV), "--jd", str(POSTING), "--theme", "modern", "-o", str(letter)
    )
    assert result.returncode == 0, result.stderr
    assert fonts_of(letter) <= fonts_of(cv)


def test_a_batch_keeps_its_theme_through_a_resume(run_tailor: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["batch", str(CV), "-t", "startup", "-t", "lab", "--task", "rewrite", "-f", "pdf"]
    result = run_tailor(*args, "--theme", "compact", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert load_manifest(out).theme == "compact"
    [first, *_] = sorted(out.rglob("*.cv.pdf"))
    before = first.read_bytes()
    first.unlink()
    assert run_tailor("batch", "--resume", str(out)).returncode == 0
    assert first.read_bytes() == before  # written again in the compact theme


def test_the_library_renders_in_a_theme(tmp_path: Path) -> None:
    cv = tailor.load_cv(CV)
    classic = tailor.render(cv, tmp_path / "classic.pdf")
    modern = tailor.render(cv, tmp_path / "modern.pdf", theme="modern")
    assert classic.read_bytes() != modern.read_bytes()
    with pytest.raises(tailor.UserError, match="unknown theme"):
        tailor.render(cv, tmp_path / "x.pdf", theme="neon")
    assert not (tmp_path / "x.pdf").exists()
