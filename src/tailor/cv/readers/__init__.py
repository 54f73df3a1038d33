"""Read a CV file of any supported format into the CV model.

The format is picked by the file's extension, and by its content when the extension says
nothing (stdin, `.dat`, no extension): PDF and DOCX by their magic bytes, JSON by a leading `{`,
YAML by parsing to a mapping with CV keys, else Markdown or plain text.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from tailor.cv.model import CV
from tailor.errors import UserError

MAX_BYTES = 10 * 1024 * 1024  # a CV is a few pages; anything larger is not one

_EXTENSIONS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
    ".json": "json",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".pdf": "pdf",
    ".docx": "docx",
}
_YAML_CV_KEY = re.compile(
    r"^[\"']?(basics|cv|work|education|skills|projects|publications|\$schema)[\"']?\s*:(\s|$)"
)
FORMATS = tuple(sorted(set(_EXTENSIONS.values())))


def load_cv(path: str | Path) -> CV:
    """Read the CV at `path` (`-` reads standard input) in any supported format."""
    if str(path) == "-":
        return read_cv(sys.stdin.buffer.read(), name="<stdin>")
    file = Path(path)
    if not file.exists():
        raise UserError(f"no such file: {file}")
    if file.is_dir():
        raise UserError(f"{file} is a folder, not a CV file")
    size = file.stat().st_size
    if size > MAX_BYTES:
        raise UserError(
            f"{file} is {size / 1e6:.1f} MB; a CV file must be under {MAX_BYTES // 2**20} MB"
        )
    try:
        data = file.read_bytes()
    except OSError as error:
        raise UserError(f"cannot read {file}: {error.strerror}") from None
    return read_cv(data, name=str(file))


def read_cv(data: bytes, *, name: str = "<cv>", fmt: str | None = None) -> CV:
    """Parse CV bytes; `fmt` is one of FORMATS, or None to go by `name`'s extension or content."""
    if len(data) > MAX_BYTES:
        raise UserError(
            f"{name} is {len(data) / 1e6:.1f} MB; a CV file must be under {MAX_BYTES // 2**20} MB"
        )
    if not data.strip():
        raise UserError(f"{name} is empty")
    fmt = fmt or _EXTENSIONS.get(Path(name).suffix.lower()) or sniff_format(data)
    try:
        cv = _parse(data, fmt, name)
    except UserError as error:
        raise UserError(f"{name}: {error}") from None
    from tailor.cv.checks import misreadings

    if cv.origin is not None:
        cv.origin.warnings = misreadings(cv)
    return cv


def sniff_format(data: bytes) -> str:
    """Guess a CV's format from its first bytes."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: Word 97-2003 .doc and other old Office files
        return "doc"
    if data.startswith(b"PK\x03\x04"):
        return "docx" if b"word/" in data[:65536] else "binary"
    head = data.lstrip()[:1]
    if head in (b"{", b"["):
        return "json"
    text = data[:4096].decode("utf-8", errors="replace")
    meaningful = [
        line for line in text.splitlines() if line.strip() and not line.startswith(("#", "---"))
    ]
    if meaningful and _YAML_CV_KEY.match(meaningful[0]):
        return "yaml"
    return "markdown" if re.search(r"^#{1,3} \S", text, re.MULTILINE) else "text"


def _parse(data: bytes, fmt: str, name: str) -> CV:
    if fmt == "doc":
        raise UserError("old Word .doc files are not supported; save the CV as .docx or PDF")
    if fmt == "pdf":
        from tailor.cv.readers import pdf
        from tailor.cv.readers.text import parse_text

        extracted = pdf.extract_text(data)
        cv = parse_text(
            extracted.text,
            fmt="pdf",
            path=name,
            text_is_file=False,
            headings_only=extracted.headings,
        )
        assert cv.origin is not None
        cv.origin.pages = extracted.pages
        return cv
    if fmt == "docx":
        from tailor.cv.readers import docx
        from tailor.cv.readers.text import parse_text

        return parse_text(docx.extract_text(data), fmt="docx", path=name, text_is_file=False)
    text = decode_text(data)
    if fmt == "json":
        from tailor.cv.readers.structured import parse_json

        return parse_json(text, path=name)
    if fmt == "yaml":
        from tailor.cv.readers.structured import parse_yaml

        return parse_yaml(text, path=name)
    from tailor.cv.readers.text import parse_text

    return parse_text(text, fmt=fmt, path=name)


def decode_text(data: bytes, *, kind: str = "a CV", formats: tuple[str, ...] = FORMATS) -> str:
    """Decode a text file, refusing binary content with a clear message."""
    sample = data[:8192]
    if b"\x00" in sample or _control_share(sample) > 0.1:
        raise UserError(
            f"this is a binary file, not {kind} in a supported format ({', '.join(formats)})"
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding).replace("\r\n", "\n")
        except UnicodeDecodeError:
            continue
    raise UserError("cannot decode the file as text (save it as UTF-8)")


def _control_share(sample: bytes) -> float:
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
    return controls / max(len(sample), 1)
