"""How much tailor reads of anything it is handed: one policy for every input.

A CV, posting or profile may come from the internet, and a bad one must not take the machine
down: every reader stops at these limits and says which one in one line (a `UserError`,
which the CLI prints with exit code 2). The figures are far above any real CV, posting or
profile, and far below what would hurt: the README's "Limits" table lists them.
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from tailor.errors import UserError

MIB = 2**20
CV_BYTES = 10 * MIB  # a CV file: a few pages, even with pictures
POSTING_BYTES = 2 * MIB  # a job posting: a page or two
DATA_BYTES = 1 * MIB  # a company profile, jobs file or manifest: a few hundred lines
DOCX_PART_BYTES = 32 * MIB  # one part of a DOCX (a picture, say) once unpacked
DOCX_XML_BYTES = 8 * MIB  # one XML part (the text, the styles): a 20-page CV's text is 1 MB
DOCX_PARAGRAPHS = 5_000  # paragraphs of a DOCX, table cells' and text boxes' too
DOCX_RUNS = 50_000  # runs of text (each change of font makes one); a real CV has 2,000
DOCX_TOTAL_BYTES = 96 * MIB  # all parts of a DOCX once unpacked
DOCX_PARTS = 2_000  # files inside a DOCX; Word writes a few dozen
PDF_PAGES = 40  # pages of a PDF CV or posting; a long academic CV has twenty
PDF_CHARACTERS = 100_000  # text on all pages of a PDF: 25 dense pages; a 2-page CV has 8,000
PDF_PAGE_TEXT_BYTES = 50_000  # text one page's content shows; a dense real page shows 20,000
PDF_UNPACKED_BYTES = 64 * MIB  # a PDF's compressed streams (fonts, images, text), unpacked
NESTING = 64  # levels of nested lists/objects in JSON or YAML; a JSON Resume has five
LINE_CHARACTERS = 50_000  # one line of text; a long paragraph has 3,000
WORD_CHARACTERS = 5_000  # one run of text without a space; the longest URL about 2,000
CV_ENTRIES = 1_000  # roles, degrees, projects, papers, skill groups...; a real CV has under 50
CV_BULLETS = 2_000  # bullets in all; a real CV has under 100
CV_WORDS = 50_000  # words in all; a 20-page academic CV has 10,000
READ_SECONDS = 20.0  # reading one input (a PDF is the slow one: 0.2 s for a real CV)


def read_limited(path: str | Path, *, limit: int, what: str) -> bytes:
    """The bytes of `path` (`-`: standard input), refusing more than `limit` of them.

    Only a regular file (or stdin) is read: a FIFO or device such as /dev/zero is refused by
    its type, found on the opened file (opened without waiting, as a FIFO with no writer would
    make it), so nothing can swap the file between the look and the read. Reading stops one
    byte past the limit, so an endless stream costs no more than a large file.
    """
    if str(path) == "-":
        return _read_stream(sys.stdin.buffer, limit=limit, name="<stdin>", what=what)
    file = Path(path)
    try:
        handle = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        missing = "file" if what == "CV" else f"{what.split()[-1]} file"  # "no such posting file"
        raise UserError(f"no such {missing}: {file}") from None
    except IsADirectoryError:
        raise UserError(f"{file} is a folder, not {_article(what)} file") from None
    except OSError as error:
        raise UserError(f"cannot read {file}: {error.strerror or error}") from None
    mode = os.fstat(handle).st_mode
    if not stat.S_ISREG(mode):
        os.close(handle)
        if stat.S_ISDIR(mode):
            raise UserError(f"{file} is a folder, not {_article(what)} file")
        kind = "a named pipe" if stat.S_ISFIFO(mode) else "a device or socket"
        raise UserError(f"{file} is {kind}, not {_article(what)} file; save it to a file first")
    with os.fdopen(handle, "rb") as stream:
        try:
            return _read_stream(stream, limit=limit, name=str(file), what=what)
        except OSError as error:
            raise UserError(f"cannot read {file}: {error.strerror or error}") from None


def _read_stream(stream: BinaryIO, *, limit: int, name: str, what: str) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise UserError(too_large(name, what, limit))
    return data


def too_large(name: str, what: str, limit: int) -> str:
    """The message for an input over its size limit."""
    return f"{name} is over {limit // MIB} MB, the limit for {_article(what)} file"


# a picture written into the text (a JSON Resume's photo, an image in Markdown): no words
_DATA_URI = re.compile(r"data:[\w.+/-]{1,100};base64,[A-Za-z0-9+/=]++")


def check_text(text: str, *, name: str) -> None:
    """Refuse text with a line or an unbroken run of characters no real document has; a
    picture written in as a data: address is not text, and is not measured."""
    for line in _long_lines(text, LINE_CHARACTERS):
        if len(line := _DATA_URI.sub("", line)) > LINE_CHARACTERS:
            raise UserError(
                f"{name} has a line of {len(line):,} characters; the limit is {LINE_CHARACTERS:,}"
            )
    for line in _long_lines(text, WORD_CHARACTERS):
        longest = max((len(word) for word in _DATA_URI.sub("", line).split()), default=0)
        if longest > WORD_CHARACTERS:
            raise UserError(
                f"{name} has a run of {longest:,} characters without a space; "
                f"the limit is {WORD_CHARACTERS:,}"
            )


def _long_lines(text: str, limit: int) -> Iterator[str]:
    """The lines longer than `limit`, found without splitting all of `text`."""
    if len(text) <= limit:
        return
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end == -1 else end
        if end - start > limit:
            yield text[start:end]
        start = end + 1


def check_counts(entries: int, bullets: int, words: int) -> None:
    """Refuse a CV with more entries, bullets or words than any real one: tailoring weighs
    each line against the others, so such a CV would take minutes, not seconds."""
    for count, limit, what in (
        (entries, CV_ENTRIES, "entries"),
        (bullets, CV_BULLETS, "bullets"),
        (words, CV_WORDS, "words"),
    ):
        if count > limit:
            raise UserError(f"the CV has {count:,} {what}; the limit is {limit:,}")


def check_strings(document: Any, *, name: str) -> None:
    """`check_text` on every string of a parsed JSON or YAML document."""
    for value in _leaves(document, name=name):
        if isinstance(value, str):
            check_text(value, name=name)


def _leaves(document: Any, *, name: str) -> Iterator[Any]:
    """Every scalar of a nested document, refusing nesting deeper than `NESTING`; iterative,
    so a deep document cannot exhaust Python's stack."""
    stack: list[tuple[Any, int]] = [(document, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth >= NESTING:
                raise UserError(too_deep(name))
            items = value.values() if isinstance(value, dict) else value
            stack.extend((item, depth + 1) for item in items)
            if isinstance(value, dict):
                yield from value  # the keys are text too
        else:
            yield value


def too_deep(name: str) -> str:
    """The message for a document nested past `NESTING` levels."""
    return f"{name} is nested more than {NESTING} levels deep; that is not a real document"


def load_json(text: str, *, name: str) -> Any:
    """Parse JSON within the nesting and text limits; a syntax error says where."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise UserError(
            f"malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    except RecursionError:  # the decoder's own guard, far past NESTING
        raise UserError(too_deep(name)) from None
    check_strings(document, name=name)
    return document


class Deadline:
    """The time left for reading one input; `check` refuses once it has run out."""

    def __init__(self, name: str, seconds: float = READ_SECONDS) -> None:
        self.name = name
        self.seconds = seconds
        self.ends = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.ends:
            raise UserError(
                f"{self.name} took over {self.seconds:g} s to read, the limit for one input"
            )


def _article(what: str) -> str:
    return f"an {what}" if what[:1] in "aeiou" else f"a {what}"
