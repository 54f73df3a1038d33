"""Positioned words, the lines they make, and the pages that hold them."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

WIDE_GAP_RATIO = 2.0  # a gap wider than this many times the text height is a tab, not a space
LINE_TOLERANCE = 3.0  # points: words whose bottoms differ by less sit on one line
BULLET_GLYPHS = frozenset("•·▪◦●‣–-*")


@dataclass(frozen=True)
class Word:
    """A word where the page sets it, in points from the top left."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float = 0.0  # the font size of its largest character


@dataclass(frozen=True)
class Line:
    """Words on one baseline, left to right."""

    words: tuple[Word, ...]
    column: float | None = None  # the right edge of a column of row labels, if the page has one

    @property
    def text(self) -> str:
        """The words joined by a space, or by three where a wide gap (a tab, `\\hfill`) or the
        edge of a column of labels stood between them, so the text parser can tell a name
        from a title pushed to the margin, and a label ("2019–2021", "Languages") from its
        text."""
        parts = [self.words[0].text]
        for previous, word in itertools.pairwise(self.words):
            wide = word.x0 - previous.x1 > WIDE_GAP_RATIO * (word.bottom - word.top)
            label = self.column is not None and previous.x1 <= self.column < word.x0
            parts.append(("   " if wide or label else " ") + word.text)
        return "".join(parts)

    @property
    def top(self) -> float:
        return min(word.top for word in self.words)

    @property
    def height(self) -> float:
        return max(word.bottom - word.top for word in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def bottom(self) -> float:
        return max(word.bottom for word in self.words)

    @property
    def size(self) -> float:
        return max(word.size for word in self.words)


@dataclass(frozen=True)
class PageWords:
    """A page's size, its words, and the addresses its links go to."""

    width: float
    height: float
    words: list[Word]
    addresses: tuple[str, ...] = ()


def group_lines(words: Sequence[Word], column: float | None = None) -> list[Line]:
    """Words grouped into lines by their bottom edge, each sorted left to right, top to bottom."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.bottom, w.x0)):
        if lines and abs(word.bottom - lines[-1][0].bottom) <= LINE_TOLERANCE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [Line(tuple(sorted(line, key=lambda w: w.x0)), column) for line in lines]
