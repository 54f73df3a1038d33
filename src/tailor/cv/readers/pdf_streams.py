"""pdfminer's stream decoding, held to a budget of unpacked bytes.

pdfminer unpacks a stream whole (`zlib.decompress`, its LZW and run-length decoders): a few
megabytes of a PDF can unpack to gigabytes, behind any chain of filters or encryption. It has
no hook for a limit, so while tailor reads a PDF (`budget`), pdfminer's decoders are replaced
by ones that count what they unpack and stop at `limits.PDF_UNPACKED_BYTES` with a UserError.
Outside `budget` they behave as pdfminer's own.
"""

from __future__ import annotations

import contextvars
import io
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tailor import limits
from tailor.errors import UserError

_left: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("left", default=None)
# run-length decoding makes at most 128 bytes of each byte it reads
_RUN_LENGTH_RATIO = 128


@contextmanager
def budget(limit: int = limits.PDF_UNPACKED_BYTES) -> Iterator[None]:
    """Within this block, pdfminer unpacks at most `limit` bytes in all."""
    _install()
    token = _left.set([limit])
    try:
        yield
    finally:
        _left.reset(token)


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


def _install() -> None:
    global _installed
    if _installed:
        return
    from pdfminer import pdftypes

    # pdfminer's decoders are module names its `PDFStream.decode` looks up on each call
    setattr(pdftypes, "zlib", _BoundedZlib)  # noqa: B010
    setattr(pdftypes, "lzwdecode", _lzw_decode)  # noqa: B010
    setattr(pdftypes, "rldecode", _run_length_decode)  # noqa: B010
    _installed = True
