"""The files the app hands back: a CV in any format and theme, with only the changes kept."""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import PurePath
from typing import TYPE_CHECKING
from urllib.parse import quote

from fastapi.responses import Response

from tailor.errors import UserError

if TYPE_CHECKING:
    from tailor.cv.model import CV
    from tailor.rewriter.model import TailoredCV

# the formats tailor writes, by the name the page and the API use, and their media types
FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
    "rendercv.yaml": "application/yaml",
}


def check_format(fmt: str, theme: str | None) -> None:
    """Refuse an unknown format or theme before any work is done."""
    if fmt not in FORMATS:
        raise UserError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    from tailor.renderers.themes import theme_named

    theme_named(theme)


def cv_file(cv: CV, fmt: str, theme: str | None, order: list[str] | None = None) -> bytes:
    from tailor.renderers import render_bytes

    return render_bytes(cv, fmt, order, theme=theme)


def reviewed(source: CV, tailored: TailoredCV, rejected: Collection[int]) -> TailoredCV:
    """`tailored` with the `rejected` changes undone: only the changes the user kept."""
    from tailor.rewriter.review import apply_changes, reviewable

    for index in rejected:
        if not 0 <= index < len(tailored.changes):
            raise UserError(
                f"there is no change {index}; the rewrite has {len(tailored.changes)} (0 to "
                f"{len(tailored.changes) - 1})"
            )
        if not reviewable(tailored.changes[index]):
            raise UserError(f"change {index} is a note, not a change to keep or undo")
    kept = [index for index in range(len(tailored.changes)) if index not in set(rejected)]
    return apply_changes(source, tailored, kept)


def reviewed_file(
    source: CV, tailored: TailoredCV, rejected: Collection[int], fmt: str, theme: str | None
) -> bytes:
    result = reviewed(source, tailored, rejected)
    return cv_file(result.cv, fmt, theme, result.section_order)


def file_name(uploaded: str | None, target: str | None, fmt: str) -> str:
    """'jordan-reyes.pdf' uploaded, tailored for startup, as DOCX: 'jordan-reyes-startup.docx'."""
    stem = PurePath((uploaded or "cv").replace("\\", "/")).name
    stem = stem.split(".", 1)[0] or "cv"
    stem = re.sub(r"[^\w.-]+", "-", stem).strip("-.") or "cv"
    return f"{stem}-{target}.{fmt}" if target else f"{stem}.{fmt}"


def download(data: bytes, name: str) -> Response:
    """The file as an attachment, under a name the browser keeps."""
    fmt = name.split(".", 1)[1] if "." in name else ""
    media = FORMATS.get(fmt, "application/octet-stream")
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return Response(content=data, media_type=media, headers={"content-disposition": disposition})
