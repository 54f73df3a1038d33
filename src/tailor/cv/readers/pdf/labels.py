"""Labels beside the text: a column of row labels (moderncv's dates and \\cvitem labels), and
section titles set in the left margin."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

from tailor.cv.readers.pdf.columns import MAX_FULL_WIDTH_SHARE, MIN_COLUMN_LINES, crosses
from tailor.cv.readers.pdf.geometry import LINE_TOLERANCE, Line, Word, group_lines
from tailor.cv.readers.sections import section_kind

LABEL_CHARS = 32  # a line of a column of labels holds this many characters at most


def labels_left_of(words: Sequence[Word], gutter: float) -> bool:
    """Whether the column left of a gutter holds labels of the text beside it (moderncv's
    dates, a wrapped "Oct 2020 – May / 2023" among them), not a sidebar of its own: short
    lines, in blocks that each start level with a line of the text."""
    beside = [line for line in group_lines(words) if not crosses(line, gutter)]
    left = group_lines([w for line in beside for w in line.words if w.x1 <= gutter])
    right = group_lines([w for line in beside for w in line.words if w.x0 >= gutter])
    if len(left) < MIN_COLUMN_LINES or any(len(line.text) > LABEL_CHARS for line in left):
        return False
    blocks = _blocks(left)  # a sidebar is a block or two; labels stand apart, one an entry
    level = [b for b in blocks if any(abs(b[0].top - r.top) <= LINE_TOLERANCE for r in right)]
    return len(blocks) >= MIN_COLUMN_LINES and len(level) >= 0.8 * len(blocks)


def _blocks(lines: list[Line]) -> list[list[Line]]:
    """Lines in blocks: a line closer to the one above than one and a half of its height
    goes with it."""
    blocks: list[list[Line]] = []
    for line in lines:
        if blocks and line.top - blocks[-1][-1].top < 1.5 * blocks[-1][-1].height:
            blocks[-1].append(line)
        else:
            blocks.append([line])
    return blocks


def label_rows(words: Sequence[Word], gutter: float) -> list[Line]:
    """The page's lines with each block of labels (its lines joined) at the start of the
    line of text it stands level with, a wide gap between them."""
    lines = group_lines(words)
    crossing = [line for line in lines if crosses(line, gutter)]
    labels = [w for line in lines if line not in crossing for w in line.words if w.x1 <= gutter]
    text = [w for line in lines if line not in crossing for w in line.words if w.x1 > gutter]
    out = sorted([*crossing, *group_lines(text, gutter)], key=lambda line: line.top)
    for block in _blocks(group_lines(labels)):
        label = tuple(word for line in block for word in line.words)
        index = next(
            (i for i, line in enumerate(out) if abs(line.top - block[0].top) <= LINE_TOLERANCE),
            None,
        )
        if index is None:
            after = next((i for i, line in enumerate(out) if line.top > block[0].top), len(out))
            out.insert(after, Line(label, gutter))
        else:
            out[index] = Line(label + out[index].words, gutter)
    return out


def with_margin_titles(lines: list[Line]) -> list[Line]:
    """A section title set in the left margin, level with its section's first line ("Work
    CEO/President"), as a line of its own above it."""
    out: list[Line] = []
    for line in lines:
        title = _margin_title(line)
        if title:
            out += [Line(title), Line(line.words[len(title) :], line.column)]
        elif out and _beside_block_start(line, out[-1]):
            out.insert(len(out) - 1, line)  # a title centred on its block: above the block
        else:
            out.append(line)
    return out


def _beside_block_start(line: Line, previous: Line) -> bool:
    """Whether a known section title, alone on its line in the left margin, stands just
    below the text line it belongs before (set centred beside a block of several lines)."""
    return (
        len(line.words) <= 4
        and line.x1 < previous.x0
        and line.size > previous.size
        and line.top - previous.top < 1.5 * previous.height
        and bool(section_kind(line.text))
    )


def _margin_title(line: Line) -> tuple[Word, ...]:
    """The words of a known section title that open a line, apart from the rest by a wide
    gap and set larger than it; none when the line does not start so."""
    for end in range(1, min(4, len(line.words))):
        head, rest = line.words[:end], line.words[end:]
        gap = rest[0].x0 - head[-1].x1
        if (
            gap > rest[0].bottom - rest[0].top
            and min(w.size for w in head) > max(w.size for w in rest)
            and section_kind(Line(head).text)
        ):
            return head
    return ()


LABEL_ZONE = (0.08, 0.45)  # fractions of the page width where a column of labels may end

MIN_LABEL_ROWS = 3


def label_column(words: Sequence[Word], width: float) -> float | None:
    """The x where a column of row labels ends, on a page that sets labels beside its text
    row by row (moderncv's dates and \\cvitem labels, section titles in a margin): a clear
    strip that most lines with words left of it also cross with words right of it."""
    lines = group_lines(words)
    for edge in _strips_between_words(words, width, int(MAX_FULL_WIDTH_SHARE * len(lines))):
        left = [line for line in lines if line.x0 < edge and not _word_crosses(line, edge)]
        rows = [line for line in left if line.x1 > edge and len(line.words) >= 2]
        labels = [[w for w in line.words if w.x1 <= edge] for line in rows]
        if (
            len(rows) >= MIN_LABEL_ROWS
            and len(rows) >= 0.6 * len(left)
            and all(0 < len(label) <= 4 for label in labels)
        ):
            return edge
    return None


MIN_LABEL_GAP = 5.0  # points: labels stand this far from their text, at least


def _strips_between_words(words: Sequence[Word], width: float, most: int) -> Iterator[float]:
    """The middles of the strips in the label zone that few words cross (0, 1, ... up to
    `most`), each at least MIN_LABEL_GAP wide: where a column of labels may end, closer to
    its text than a gutter to its column."""
    low, high = (int(width * f) for f in LABEL_ZONE)
    crossings = [0] * (high - low + 1)
    for word in words:
        for x in range(max(math.floor(word.x0) + 1, low), min(math.ceil(word.x1) - 1, high) + 1):
            crossings[x - low] += 1
    tried: set[tuple[int, int]] = set()
    for limit in range(min(crossings), most + 1):
        start = None
        for x, count in enumerate([*crossings, most + 1]):
            if count <= limit and start is None:
                start = x
            elif count > limit and start is not None:
                if x - start >= MIN_LABEL_GAP and (start, x) not in tried:
                    tried.add((start, x))
                    yield low + (start + x - 1) / 2
                start = None


def _word_crosses(line: Line, x: float) -> bool:
    return any(word.x0 < x < word.x1 for word in line.words)
