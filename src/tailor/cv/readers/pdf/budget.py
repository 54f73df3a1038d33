"""pdfminer held to tailor's limits while it reads a PDF: bytes unpacked, characters laid out,
and time.

pdfminer unpacks a stream whole (`zlib.decompress`, its LZW and run-length decoders): a few
megabytes of a PDF can unpack to gigabytes, behind any chain of filters or encryption. And it
lays out every character a page draws, however the page draws it (a form drawn a thousand
times, strings no estimate sees), at about 40 µs and 1 KB each. It has no hook for a limit,
so within `budget` its decoders and its character rendering are replaced by ones that count
and stop with a UserError at `limits.PDF_UNPACKED_BYTES` bytes, `limits.PDF_CHARACTERS`
characters, or the reading's deadline. Outside `budget` they behave as pdfminer's own.
"""

from __future__ import annotations

import contextvars
import io
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tailor import limits
from tailor.errors import UserError

_left: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("left", default=None)
# characters left to lay out, and the reading's deadline
_characters: contextvars.ContextVar[tuple[list[int], limits.Deadline] | None] = (
    contextvars.ContextVar("characters", default=None)
)
_DEADLINE_EVERY = 1_000  # characters between looks at the clock
# run-length decoding makes at most 128 bytes of each byte it reads
_RUN_LENGTH_RATIO = 128


@contextmanager
def budget(deadline: limits.Deadline) -> Iterator[None]:
    """Within this block, pdfminer unpacks at most `limits.PDF_UNPACKED_BYTES` bytes and lays
    out at most `limits.PDF_CHARACTERS` characters in all, before `deadline`."""
    _install()
    unpacked = _left.set([limits.PDF_UNPACKED_BYTES])
    characters = _characters.set(([limits.PDF_CHARACTERS], deadline))
    try:
        yield
    finally:
        _left.reset(unpacked)
        _characters.reset(characters)


def _count_character() -> None:
    held = _characters.get()
    if held is None:
        return
    left, deadline = held
    left[0] -= 1
    if left[0] < 0:
        raise UserError(f"the PDF has over {limits.PDF_CHARACTERS:,} characters of text, the limit")
    if left[0] % _DEADLINE_EVERY == 0:
        deadline.check()


def _charge(size: int) -> None:
    left = _left.get()
    if left is None:
        return
    left[0] -= size
    if left[0] < 0:
        raise UserError(
            f"the PDF unpacks to over {limits.PDF_UNPACKED_BYTES // limits.MIB} MB, the limit"
        )


def _room() -> int:
    """How many more bytes may be unpacked (one more than that, to tell "over")."""
    left = _left.get()
    return left[0] + 1 if left is not None else 0  # 0: no limit, as zlib reads it


class _Inflater:
    """zlib's decompress object, counting what it gives."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        room = _room()
        out: bytes = self.inner.decompress(data, min(max_length, room) if max_length else room)
        _charge(len(out))
        return out

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class _BoundedZlib:
    """Stands in for the `zlib` module in pdfminer's stream decoding."""

    error = zlib.error

    @staticmethod
    def decompressobj(*args: Any, **kwargs: Any) -> _Inflater:
        return _Inflater(zlib.decompressobj(*args, **kwargs))

    @staticmethod
    def decompress(data: bytes) -> bytes:
        if _left.get() is None:
            return zlib.decompress(data)
        inflater = _Inflater(zlib.decompressobj())
        out = inflater.decompress(data)
        if not inflater.eof:  # as zlib.decompress says of a cut stream: pdfminer retries
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        return out


def _lzw_decode(data: bytes) -> bytes:
    from pdfminer.lzw import LZWDecoder

    chunks = []
    for chunk in LZWDecoder(io.BytesIO(data)).run():
        _charge(len(chunk))
        chunks.append(chunk)
    return b"".join(chunks)


def _run_length_decode(data: bytes) -> bytes:
    from pdfminer.runlength import rldecode

    _charge(len(data) * _RUN_LENGTH_RATIO)  # refused before, not after, it is unpacked
    out = rldecode(data)
    left = _left.get()
    if left is not None:
        left[0] += len(data) * _RUN_LENGTH_RATIO - len(out)  # the charge, made exact
    return out


_installed = False
_installing = threading.Lock()


def _install() -> None:
    global _installed
    with _installing:
        if not _installed:
            _replace_pdfminers_own()
            _installed = True


def _replace_pdfminers_own() -> None:
    from pdfminer import pdftypes
    from pdfminer.converter import PDFLayoutAnalyzer

    # pdfminer's decoders are module names its `PDFStream.decode` looks up on each call
    setattr(pdftypes, "zlib", _BoundedZlib)  # noqa: B010
    setattr(pdftypes, "lzwdecode", _lzw_decode)  # noqa: B010
    setattr(pdftypes, "rldecode", _run_length_decode)  # noqa: B010
    render_char = PDFLayoutAnalyzer.render_char

    def counted_render_char(self: PDFLayoutAnalyzer, *args: Any, **kwargs: Any) -> float:
        _count_character()
        return render_char(self, *args, **kwargs)

    setattr(PDFLayoutAnalyzer, "render_char", counted_render_char)  # noqa: B010
