"""Write a CV in the format its file name asks for: .md, .json, .html, .docx or .pdf.

Each format is one module with `render(cv, section_order) -> bytes`, imported only when used
(python-docx and typst are heavy). Files are written atomically: to a temporary file beside the
target, then renamed, so a failure never leaves half a CV behind.
"""

from __future__ import annotations

import os
import tempfile
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
}


def format_of(path: Path) -> str:
    """The renderer for a file name, from its extension."""
    module = FORMATS.get(path.suffix.lower())
    if module is None:
        known = " ".join(dict.fromkeys(FORMATS))
        shown = f"'{path.suffix}'" if path.suffix else "no extension"
        raise UserError(f"cannot write {path}: {shown} is not an output format (use {known})")
    return module


def render_bytes(cv: CV, fmt: str, section_order: Sequence[str] | None = None) -> bytes:
    """The CV rendered as `fmt` ("md", "json", "html", "docx", "pdf", or a file extension)."""
    module = format_of(Path(f"cv.{fmt.lstrip('.')}"))
    renderer = import_module(f"tailor.renderers.{module}")
    data: bytes = renderer.render(cv, section_order)
    return data


def write_file(path: Path, data: bytes, *, overwrite: bool) -> None:
    """Write `data` to `path` atomically; refuse to replace a file unless `overwrite`."""
    if path.is_dir():
        raise UserError(f"cannot write {path}: it is a folder")
    if path.exists() and not overwrite:
        raise UserError(f"{path} already exists; pass --force to replace it")
    folder = path.parent
    if not folder.is_dir():
        raise UserError(f"cannot write {path}: no such folder {folder}")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise UserError(f"cannot write {path}: {error.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise UserError(f"cannot write {path}: {error.strerror}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
