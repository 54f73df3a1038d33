"""Hostile files made at test time (nothing large is committed): zip and deflate bombs, PDFs
of many pages, YAML alias bombs, deeply nested documents."""

from __future__ import annotations

import io
import json
import struct
import zlib
from collections.abc import Sequence

MIB = 2**20


def deflated_zeros(mebibytes: int, *, raw: bool) -> bytes:
    """`mebibytes` MiB of zero bytes, deflated in well under a second: one compressed MiB,
    flushed so that it stands alone, repeated. `raw` gives bare deflate (as in a zip), else
    the zlib format (a PDF's FlateDecode) with its checksum."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(b"\0" * MIB) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    body = block * mebibytes + end
    if raw:
        return body
    # the Adler-32 of n zero bytes: a = 1, b = n (mod 65521)
    checksum = ((mebibytes * MIB) % 65521) << 16 | 1
    return b"\x78\xda" + body + struct.pack(">I", checksum)


def zip_of(entries: dict[str, tuple[bytes, int, int]]) -> bytes:
    """A zip archive of already deflated entries: name -> (data, crc32, unpacked size)."""
    out = io.BytesIO()
    central = b""
    for name, (data, crc, size) in entries.items():
        offset = out.tell()
        encoded = name.encode()
        out.write(
            struct.pack(
                "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size, len(encoded), 0
            )
            + encoded
            + data
        )
        fields = (0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data), size, len(encoded), 0, 0, 0, 0)
        central += struct.pack("<IHHHHHHIIIHHHHHII", *fields, 0, offset) + encoded
    start = out.tell()
    out.write(central)
    out.write(
        struct.pack(
            "<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), start, 0
        )
    )
    return out.getvalue()


def docx_bomb(mebibytes: int = 2048) -> bytes:
    """A DOCX whose word/document.xml unpacks to `mebibytes` MiB of zeros (2 GiB: 2.1 MB)."""
    crc = 0
    zeros = b"\0" * MIB
    for _ in range(mebibytes):
        crc = zlib.crc32(zeros, crc)
    document = (deflated_zeros(mebibytes, raw=True), crc, mebibytes * MIB)
    types = b"<Types/>"
    return zip_of(
        {
            "[Content_Types].xml": (_raw_deflate(types), zlib.crc32(types), len(types)),
            "word/document.xml": document,
        }
    )


def _raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def pdf(pages: list[bytes], *, deflated: bool = False) -> bytes:
    """A PDF of one page per content stream, in Helvetica; `deflated` writes each stream as
    given, marked FlateDecode (it must already be zlib data)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, filled in below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    kids = []
    for content in pages:
        stream = len(objects) + 1
        extra = b" /Filter /FlateDecode" if deflated else b""
        objects.append(
            b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(content), extra, content)
        )
        kids.append(b"%d 0 R" % (len(objects) + 1))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % stream
        )
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    return pdf_objects(objects)


def pdf_objects(objects: list[bytes]) -> bytes:
    """A PDF of these objects (numbered from 1; the first is the catalog) and their table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def one_page_pdf(content: bytes, *, filters: bytes = b"", forms: Sequence[bytes] = ()) -> bytes:
    """One page showing `content` (its stream marked with `filters`), drawing `forms` as
    XObjects /X0, /X1, ... in Helvetica."""
    names = b" ".join(b"/X%d %d 0 R" % (n, 6 + n) for n in range(len(forms)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R "
        b"/Resources << /Font << /F1 3 0 R >> /XObject << %s >> >> >>" % names,
        b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(content), filters, content),
    ]
    objects += [
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] "
        b"/Resources << /Font << /F1 3 0 R >> >> /Length %d >>\nstream\n%s\nendstream"
        % (len(form), form)
        for form in forms
    ]
    return pdf_objects(objects)


def page_of_text(lines: list[str]) -> bytes:
    """A content stream that writes `lines` down a page, 14 points apart."""
    shown = b" ".join(
        b"(%s) Tj 0 -14 Td" % line.replace("(", "[").replace(")", "]").encode("latin-1")
        for line in lines
    )
    return b"BT /F1 11 Tf 72 740 Td " + shown + b" ET"


def yaml_alias_bomb() -> bytes:
    """Nine levels of nine aliases: 361 bytes that a naive loader makes into 387 million
    strings ("billion laughs")."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level, name in enumerate("bcdefghi"):
        previous = "abcdefghi"[level]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    return ("\n".join(lines) + "\n").encode()


def nested_json(levels: int) -> bytes:
    """A JSON Resume whose `work` holds a list nested `levels` deep."""
    return b'{"basics": {"name": "Ada"}, "work": ' + b"[" * levels + b"]" * levels + b"}"


def json_resume(roles: int, bullets: int, words: int = 6) -> bytes:
    """A JSON Resume of `roles` roles of `bullets` bullets of about `words` words each."""
    filler = " ".join(["shipped"] * max(words - 4, 0))
    work = [
        {
            "name": f"Acme {n}",
            "position": "Engineer",
            "startDate": f"{2000 + n % 20}-01",
            "highlights": [f"Built service {n}.{k} {filler} by 30%" for k in range(bullets)],
        }
        for n in range(roles)
    ]
    return json.dumps({"basics": {"name": "Ada Quill"}, "work": work}).encode()
