"""Write a CV in the format its file name asks for: .md, .json, .html, .docx, .pdf or
.rendercv.yaml (rendercv's input).

Each format is one module with `render(cv, section_order, theme) -> bytes`, imported only when
used (python-docx and typst are heavy). Files are written atomically: to a temporary file beside the
target, then renamed, so a failure never leaves half a CV behind.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Sequence
from importlib import import_module
from pathlib import Path

from tailor.cv.model import CV
from tailor.errors import UserError

FORMATS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "jsonresume",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
    ".pdf": "pdf",
    # a two-part extension, looked for before the last part: a plain .yaml is not written,
    # as it could as well mean JSON Resume in YAML as rendercv's input
    ".rendercv.yaml": "rendercv",
    ".rendercv.yml": "rendercv",
}


def output_suffix(path: Path, formats: dict[str, str] = FORMATS) -> str:
    """The extension that names the file's format: its last one, or its last two where
    `formats` knows them ("cv.rendercv.yaml")."""
    double = "".join(path.suffixes[-2:]).lower()
    return double if len(path.suffixes) > 1 and double in formats else path.suffix.lower()


def renderer_for(
    path: Path, formats: dict[str, str] = FORMATS, what: str = "an output format", also: str = ""
) -> str:
    """The renderer module for a file name, from its extension among `formats` (a letter's
    are not a CV's); `also` names the extensions another writer takes."""
    module = formats.get(output_suffix(path, formats))
    if module is None:
        known = " ".join([*dict.fromkeys(formats), *also.split()])
        shown = f"'{path.suffix}'" if path.suffix else "no extension"
        raise UserError(f"cannot write {path}: {shown} is not {what} (use {known})")
    return module


def render_bytes(
    cv: CV, fmt: str, section_order: Sequence[str] | None = None, theme: str | None = None
) -> bytes:
    """The CV rendered as `fmt` ("md", "json", "html", "docx", "pdf", "rendercv.yaml", or a
    file extension) in the theme called `theme` (None: the default; see
    `tailor.renderers.themes`)."""
    module = renderer_for(Path(f"cv.{fmt.lstrip('.')}"))
    renderer = import_module(f"tailor.renderers.{module}")
    data: bytes = renderer.render(cv, section_order, theme)
    return data


def is_same_file(one: Path, other: Path) -> bool:
    """Whether two paths name one file: the same path, a hard link or a symbolic link."""
    try:
        return one.exists() and other.exists() and one.samefile(other)
    except OSError:
        return False


def write_file(path: Path, data: bytes, *, overwrite: bool) -> None:
    """Write `data` to `path` atomically; refuse to replace a file unless `overwrite`.

    The data goes to a temporary file beside `path` first (created as a new file, so the umask
    applies), which then takes the place of `path`: a failure leaves no half-written file. A
    replaced file keeps its permissions: a CV someone made private stays private.
    """
    if path.is_dir():
        raise UserError(f"cannot write {path}: it is a folder")
    if path.exists() and not overwrite:
        raise UserError(_exists(path))
    folder = path.parent
    if not folder.is_dir():
        raise UserError(f"cannot write {path}: no such folder {folder}")
    temporary = folder / f".{path.name}.{secrets.token_hex(4)}.tmp"
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        if path.exists():
            os.chmod(temporary, stat.S_IMODE(path.stat().st_mode))
        _move(temporary, path, overwrite=overwrite)
    except OSError as error:
        raise UserError(f"cannot write {path}: {error.strerror or error}") from None
    finally:
        temporary.unlink(missing_ok=True)


def _move(temporary: Path, path: Path, *, overwrite: bool) -> None:
    if overwrite:
        os.replace(temporary, path)
        return
    try:  # a hard link fails if `path` appeared since the check above; a rename would not
        os.link(temporary, path)
    except FileExistsError:
        raise UserError(_exists(path)) from None
    except OSError:  # a file system without hard links
        os.replace(temporary, path)


def _exists(path: Path) -> str:
    return f"{path} already exists; pass --force to replace it"
