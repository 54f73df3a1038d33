"""Page furniture: running headers and footers repeated on every page, page numbers and
"last updated" notes."""

from __future__ import annotations

import dataclasses
import re

from tailor.cv.readers.pdf.geometry import Line, PageWords, group_lines

# Page furniture: lines in the top or bottom strip of a page (this fraction of its height)
# that repeat on two pages or more (digits aside), or that say what a page number or an
# update note says.
FURNITURE_ZONE = 0.15

_FURNITURE = re.compile(
    r"^(?:page\s*)?#(?:\s*(?:of|/)\s*#)?$|^[-–—]\s*#\s*[-–—]$|^(?:last\s+)?updated\s+(?:on|in)\b",
    re.IGNORECASE,
)


def without_furniture(pages: list[PageWords]) -> list[PageWords]:
    """The pages without their running headers and footers, page numbers and update notes."""
    edges = [_edge_lines(page) for page in pages]
    seen: dict[str, int] = {}
    for lines in edges:
        for key in {_furniture_key(line) for line in lines}:
            seen[key] = seen.get(key, 0) + 1
    kept = []
    for page, lines in zip(pages, edges, strict=True):
        furniture = {
            id(word)
            for line in lines
            if _repeated(_furniture_key(line), seen) or _FURNITURE.search(_furniture_key(line))
            for word in line.words
        }
        kept.append(
            dataclasses.replace(page, words=[w for w in page.words if id(w) not in furniture])
        )
    return kept


def _repeated(key: str, seen: dict[str, int]) -> bool:
    """Whether a line at a page's edge stands on other pages too, words and all (two date
    lines "2018 – 2020" and "2014 – 2016" are alike only in their numbers)."""
    return seen[key] >= 2 and len(re.findall(r"[^\W\d_]", key)) >= 4


def _edge_lines(page: PageWords) -> list[Line]:
    """The first two and last two lines of a page, where they stand in its top or bottom strip."""
    lines = group_lines(page.words)
    top, bottom = FURNITURE_ZONE * page.height, (1 - FURNITURE_ZONE) * page.height
    ends = [*lines[:2], *lines[-2:]] if len(lines) > 4 else lines
    return [line for line in dict.fromkeys(ends) if line.bottom < top or line.top > bottom]


def _furniture_key(line: Line) -> str:
    """A line as furniture is compared across pages: lower case, each number as "#"."""
    return re.sub(r"\d+", "#", " ".join(line.text.lower().split()))
