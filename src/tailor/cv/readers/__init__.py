"""Read a CV file of any supported format into the CV model.

The format is picked by the file's extension, and by its content when the extension says
nothing (stdin, `.dat`, no extension): PDF and DOCX by their magic bytes, JSON by a leading `{`,
YAML by parsing to a mapping with CV keys, else Markdown or plain text.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from tailor import limits
from tailor.cv.model import CV
from tailor.errors import UserError

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
_LIST_SECTIONS = [name for name in CV.model_fields if name not in ("basics", "meta")]


def load_cv(path: str | Path) -> CV:
    """Read the CV at `path` (`-` reads standard input) in any supported format."""
    if not isinstance(path, str | Path):
        raise TypeError(f"load_cv: path must be a str or Path, not {type(path).__name__}")
    data = limits.read_limited(path, limit=limits.CV_BYTES, what="CV")
    return read_cv(data, name="<stdin>" if str(path) == "-" else str(path))


def read_cv(data: bytes, *, name: str = "<cv>", fmt: str | None = None) -> CV:
    """Parse CV bytes; `fmt` is one of FORMATS, or None to go by `name`'s extension or content."""
    if isinstance(data, str):
        raise TypeError(
            "read_cv: data must be bytes, not str; pass text.encode(), or use load_cv(path) "
            "to read a file"
        )
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"read_cv: data must be bytes, not {type(data).__name__}")
    data = bytes(data)
    if fmt is not None and fmt not in FORMATS:
        raise UserError(f"unknown CV format {fmt!r}; use one of {', '.join(FORMATS)}")
    if len(data) > limits.CV_BYTES:
        raise UserError(limits.too_large(name, "CV", limits.CV_BYTES))
    if not data.strip():
        raise UserError(f"{name} is empty")
    fmt = fmt or _EXTENSIONS.get(Path(name).suffix.lower()) or sniff_format(data)
    try:
        cv = _parse(data, fmt, name)
        limits.check_counts(
            entries=sum(len(getattr(cv, kind)) for kind in _LIST_SECTIONS),
            bullets=sum(1 for _ in cv.bullets()),
            words=len(cv.model_dump_json().split()),
        )
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
    text = head_text(data[:4096])
    if text.lstrip("\ufeff \t\r\n")[:1] in ("{", "["):
        return "json"
    meaningful = [
        line for line in text.splitlines() if line.strip() and not line.startswith(("#", "---"))
    ]
    if meaningful and _YAML_CV_KEY.match(meaningful[0]):
        return "yaml"
    return "markdown" if re.search(r"^#{1,3} \S", text, re.MULTILINE) else "text"


def head_text(head: bytes) -> str:
    """The first bytes of a file as text, enough to tell its format."""
    for mark, encoding in _BYTE_ORDER_MARKS:
        if head.startswith(mark):
            return head.decode(encoding, errors="replace")
    return head.decode("utf-8", errors="replace")


def _parse(data: bytes, fmt: str, name: str) -> CV:
    if fmt == "doc":
        raise UserError("old Word .doc files are not supported; save the CV as .docx or PDF")
    if fmt == "pdf":
        from tailor.cv.readers import pdf
        from tailor.cv.readers.text import parse_text

        extracted = pdf.extract_text(data)
        limits.check_text(extracted.text, name="the text")
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

        text = docx.extract_text(data)
        limits.check_text(text, name="the text")
        return parse_text(text, fmt="docx", path=name, text_is_file=False)
    text = decode_text(data)
    if fmt == "json":
        from tailor.cv.readers.structured import parse_json

        return parse_json(text, path=name)
    if fmt == "yaml":
        from tailor.cv.readers.structured import parse_yaml

        return parse_yaml(text, path=name)
    from tailor.cv.readers.text import parse_text

    limits.check_text(text, name="the text")
    return parse_text(text, fmt=fmt, path=name)


def decode_text(data: bytes, *, kind: str = "a CV", formats: tuple[str, ...] = FORMATS) -> str:
    """Decode a text file: UTF-8 (with or without a byte-order mark), UTF-16 or UTF-32 with
    one (as Windows Notepad saves), else Windows-1252 (Latin-1's superset), else the legacy
    encoding charset-normalizer finds most likely. Only data that is no text in any of them is
    refused as binary."""
    text = _decode(data)
    if text is None or _control_share(text[:8192]) > 0.1:
        raise UserError(
            f"this is a binary file, not {kind} in a supported format ({', '.join(formats)})"
        )
    if text.startswith("\ufeff"):  # a byte-order mark some editors write in UTF-8
        text = text[1:]
    return text.replace("\r\n", "\n")


def _decode(data: bytes) -> str | None:
    for mark, encoding in _BYTE_ORDER_MARKS:  # UTF-32's marks start like UTF-16's: first
        if data.startswith(mark):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    if b"\x00" in data[:8192]:  # text without a mark never holds NUL
        return None
    for encoding in ("utf-8", "cp1252"):  # Windows-1252: Latin-1 and what Word adds to it
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 256 * 1024]).best()
    if best is None:
        return None
    try:
        return data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None


_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _control_share(sample: str) -> float:
    controls = sum(1 for char in sample if ord(char) < 32 and char not in "\t\n\f\r")
    return controls / max(len(sample), 1)
