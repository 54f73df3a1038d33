"""Type sizes: the body text's, the name's (the largest line at the top), and the section
headings' (set like the headings tailor knows)."""

from __future__ import annotations

import re

from tailor.cv.patterns import DOCUMENT_TITLE
from tailor.cv.readers.pdf.geometry import BULLET_GLYPHS, Line, PageWords, Word
from tailor.cv.readers.sections import section_kind

NAME_SIZE_RATIO = 1.25  # the name is set at least this much larger than the body text

HEADING_SIZE_RATIO = 1.08  # a heading style is at least this much larger than the body text

SIZE_TOLERANCE = 0.3  # points: two lines within this are set at one size


def body_size(pages: list[PageWords]) -> float:
    """The size most of the text is set in (by characters)."""
    counts: dict[float, int] = {}
    for page in pages:
        for word in page.words:
            size = round(word.size * 2) / 2
            counts[size] = counts.get(size, 0) + len(word.text)
    return max(counts, key=lambda size: counts[size]) if counts else 0.0


def name_words(lines: list[Line | None], body: float) -> tuple[Word, ...]:
    """The words of the first page's largest line, when it is set well above the body text
    and reads like a name (a few words, no digits); none otherwise."""
    candidates = [line for line in lines if line is not None]
    if not candidates or body <= 0:
        return ()
    largest = max(candidates, key=lambda line: line.size)
    name = tuple(w for w in largest.words if w.size >= largest.size - SIZE_TOLERANCE)
    text = Line(name).text if name else ""
    if largest.size < NAME_SIZE_RATIO * body or not _reads_like_name(text):
        return ()
    return name


def _reads_like_name(text: str) -> bool:
    words = text.split()
    return (
        1 <= len(words) <= 6
        and not re.search(r"\d|@", text)
        and not section_kind(text)
        and not DOCUMENT_TITLE.fullmatch(text.strip())
    )


def section_heading_sizes(lines: list[Line | None], body: float) -> set[float]:
    """The sizes the CV sets its section headings in, learnt from the headings tailor knows
    by their words ("Experience", "Education"): none when those are set like body text."""
    sizes = {
        line.size
        for line in lines
        if line is not None and len(line.words) <= 6 and section_kind(line.text)
    }
    # a smaller known title ("Courses" under a degree) is a label within a section
    sizes = {size for size in sizes if size >= max(sizes, default=0.0) / HEADING_SIZE_RATIO}
    if not sizes or min(sizes) < HEADING_SIZE_RATIO * body:
        return set()
    return sizes


def is_heading(line: Line, sizes: set[float]) -> bool:
    """A short line set at a heading size, all of it: not a sentence, a bullet or a date."""
    text = line.text
    if not any(abs(line.size - size) <= SIZE_TOLERANCE for size in sizes):
        return False
    smallest = min(word.size for word in line.words)
    return (
        smallest >= line.size - SIZE_TOLERANCE
        and len(text.split()) <= 6
        and not text.endswith(".")
        and text[:1] not in BULLET_GLYPHS
        and not re.search(r"\d{4}", text)
    )
