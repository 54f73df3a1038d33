"""One page's lines in reading order, with a blank line between blocks."""

from __future__ import annotations

import itertools
import statistics

from tailor.cv.readers.pdf.columns import column_flows, find_gutter
from tailor.cv.readers.pdf.geometry import BULLET_GLYPHS, Line, PageWords, group_lines
from tailor.cv.readers.pdf.labels import (
    label_column,
    label_rows,
    labels_left_of,
    with_margin_titles,
)

# A line pitch this many times the page's usual pitch marks a new block (a blank line).
BLANK_LINE_RATIO = 1.4


def reading_order(page: PageWords) -> list[Line | None]:
    """One page's lines in reading order, with None (a blank line) between blocks."""
    gutter = find_gutter(page.words, page.width)
    if gutter is None:
        labels = label_column(page.words, page.width)
        flows = [with_margin_titles(group_lines(page.words, column=labels))]
    elif labels_left_of(page.words, gutter):
        flows = [label_rows(page.words, gutter)]
    else:
        flows = column_flows(page.words, gutter, label_column(page.words, page.width))
    return _render([_without_lone_bullets(flow) for flow in flows])


def _render(flows: list[list[Line]]) -> list[Line | None]:
    """The lines, with a blank (None) between flows and where the pitch jumps within one."""
    pitch = _usual_pitch(flows)
    out: list[Line | None] = []
    for flow in flows:
        if not flow:
            continue
        if out:
            out.append(None)
        out.append(flow[0])
        for previous, line in itertools.pairwise(flow):
            if _starts_block(previous, line, pitch):
                out.append(None)
            out.append(line)
    return out


def _without_lone_bullets(lines: list[Line]) -> list[Line]:
    """A bullet glyph on a line of its own joins the line it stands beside (its baseline a
    little off), or goes when it stands between lines (a template's ornament)."""
    out: list[Line] = []
    glyph: Line | None = None  # a lone bullet waiting for the line after it
    for line in lines:
        if len(line.words) == 1 and line.words[0].text in BULLET_GLYPHS:
            glyph = line
            continue
        if glyph is not None and _beside(glyph, line):
            line = Line((glyph.words[0], *line.words), line.column)
        glyph = None
        out.append(line)
    return out


def _beside(bullet: Line, line: Line) -> bool:
    centre = (bullet.top + bullet.bottom) / 2
    return abs(centre - (line.top + line.bottom) / 2) <= 0.5 * line.height and line.x0 > bullet.x0


def _usual_pitch(flows: list[list[Line]]) -> float | None:
    """The median distance from one line's top to the next's, or None if there are too few."""
    pitches = [b.top - a.top for flow in flows for a, b in itertools.pairwise(flow)]
    positive = [p for p in pitches if p > 0]
    return statistics.median(positive) if positive else None


def _starts_block(previous: Line, line: Line, pitch: float | None) -> bool:
    # A large heading is followed by a larger pitch than the body text without starting a block.
    expected = max(pitch or 0.0, 1.2 * previous.height)
    return line.top - previous.top > BLANK_LINE_RATIO * expected
