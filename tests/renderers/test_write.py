"""Writing a rendered CV: the format from the extension, atomic writes, clear one-line errors."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

import tailor
from tailor.renderers import write_file
from tests.conftest import EXAMPLES

JORDAN = EXAMPLES / "jordan-reyes.md"


@pytest.fixture(scope="module")
def cv() -> tailor.CV:
    return tailor.load_cv(JORDAN)


@pytest.fixture
def umask() -> Iterator[None]:
    """Restore the process umask after a test that sets it."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _one_line(error: pytest.ExceptionInfo[tailor.UserError]) -> str:
    message = str(error.value)
    assert message and "\n" not in message
    return message


# -- the format from the extension -----------------------------------------------------------

SIGNATURES = {
    "md": b"# Jordan Reyes\n",
    "json": b"{",
    "html": b"<!doctype html>",
    "docx": b"PK\x03\x04",
    "pdf": b"%PDF-",
}


@pytest.mark.parametrize("extension", SIGNATURES)
def test_each_format_is_written_with_its_signature(
    cv: tailor.CV, tmp_path: Path, extension: str
) -> None:
    target = tmp_path / f"cv.{extension}"
    assert tailor.render(cv, target) == target
    assert target.read_bytes().startswith(SIGNATURES[extension])
    assert os.listdir(tmp_path) == [target.name]


def test_a_string_path_works(cv: tailor.CV, tmp_path: Path) -> None:
    written = tailor.render(cv, str(tmp_path / "cv.md"))
    assert written == tmp_path / "cv.md"
    assert written.read_text(encoding="utf-8").startswith("# Jordan Reyes")


@pytest.mark.parametrize(("name", "signature"), [("cv.PDF", b"%PDF-"), ("CV.Html", b"<!doc")])
def test_the_extension_is_case_insensitive(
    cv: tailor.CV, tmp_path: Path, name: str, signature: bytes
) -> None:
    tailor.render(cv, tmp_path / name)
    assert (tmp_path / name).read_bytes().startswith(signature)


@pytest.mark.parametrize("name", ["cv.txt", "cv", "cv.md.bak", "cv.doc"])
def test_an_unknown_extension_is_a_one_line_error_and_writes_nothing(
    cv: tailor.CV, tmp_path: Path, name: str
) -> None:
    with pytest.raises(tailor.UserError) as error:
        tailor.render(cv, tmp_path / name)
    message = _one_line(error)
    assert name in message
    assert ".md" in message and ".pdf" in message  # says what would work
    assert os.listdir(tmp_path) == []


# -- replacing a file ------------------------------------------------------------------------


def test_an_existing_file_is_kept_without_overwrite(cv: tailor.CV, tmp_path: Path) -> None:
    target = tmp_path / "cv.md"
    target.write_bytes(b"my own notes")
    with pytest.raises(tailor.UserError) as error:
        tailor.render(cv, target, overwrite=False)
    assert "--force" in _one_line(error)
    assert target.read_bytes() == b"my own notes"
    with pytest.raises(tailor.UserError, match="--force"):
        write_file(target, b"new", overwrite=False)
    assert target.read_bytes() == b"my own notes"
    assert os.listdir(tmp_path) == ["cv.md"]


def test_overwrite_replaces_the_file(cv: tailor.CV, tmp_path: Path) -> None:
    target = tmp_path / "cv.md"
    target.write_bytes(b"old")
    tailor.render(cv, target)  # overwrite=True is the library's default
    assert target.read_text(encoding="utf-8").startswith("# Jordan Reyes")
    write_file(target, b"newer", overwrite=True)
    assert target.read_bytes() == b"newer"
    assert os.listdir(tmp_path) == ["cv.md"]


# -- where it cannot be written --------------------------------------------------------------


def test_a_missing_folder_is_a_user_error(cv: tailor.CV, tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "cv.md"
    with pytest.raises(tailor.UserError) as error:
        tailor.render(cv, target)
    assert "nowhere" in _one_line(error)
    with pytest.raises(tailor.UserError):
        write_file(target, b"x", overwrite=True)
    assert not (tmp_path / "nowhere").exists()


def test_a_folder_is_not_a_file(cv: tailor.CV, tmp_path: Path) -> None:
    folder = tmp_path / "cv.md"
    folder.mkdir()
    for overwrite in (True, False):
        with pytest.raises(tailor.UserError) as error:
            tailor.render(cv, folder, overwrite=overwrite)
        assert "folder" in _one_line(error)
    assert folder.is_dir() and os.listdir(folder) == []
    assert os.listdir(tmp_path) == ["cv.md"]


# -- atomic writes ---------------------------------------------------------------------------


def test_a_failed_write_leaves_no_temporary_file_and_the_old_file(
    cv: tailor.CV, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "cv.md"
    target.write_bytes(b"the old CV")
    calls: list[tuple[str, str]] = []

    def failing_replace(source: str, destination: str) -> None:
        calls.append((str(source), str(destination)))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("tailor.renderers.os.replace", failing_replace)
    with pytest.raises(tailor.UserError) as error:
        tailor.render(cv, target)
    message = _one_line(error)
    assert "No space left on device" in message and "cv.md" in message
    assert calls and calls[0][1] == str(target)  # it did get as far as the rename
    assert os.listdir(tmp_path) == ["cv.md"]
    assert target.read_bytes() == b"the old CV"


def test_an_interrupted_write_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(source: str, destination: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("tailor.renderers.os.replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_file(tmp_path / "cv.md", b"data", overwrite=True)
    assert os.listdir(tmp_path) == []


@pytest.mark.usefixtures("umask")
@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_the_file_mode_follows_the_umask(
    cv: tailor.CV, tmp_path: Path, mask: int, mode: int
) -> None:
    os.umask(mask)
    target = tailor.render(cv, tmp_path / "cv.md")
    assert stat.S_IMODE(target.stat().st_mode) == mode
    # a replaced file keeps its own mode: a CV made private stays private
    target.chmod(0o600)
    write_file(target, b"again", overwrite=True)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_bytes() == b"again"


def test_a_file_that_appears_after_the_check_is_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "cv.md"
    real_open = os.open

    def open_and_race(path: str, flags: int, mode: int = 0o777) -> int:
        target.write_bytes(b"someone else's file")  # created between the check and the move
        return real_open(path, flags, mode)

    monkeypatch.setattr("tailor.renderers.os.open", open_and_race)
    with pytest.raises(tailor.UserError, match="already exists"):
        write_file(target, b"mine", overwrite=False)
    assert target.read_bytes() == b"someone else's file"
    assert os.listdir(tmp_path) == ["cv.md"]
