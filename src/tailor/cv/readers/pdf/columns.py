"""Columns: a vertical gutter that (almost) no word crosses splits a page into a left and a
right column, read one after the other below each run of full-width lines."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence

from tailor.cv.readers.pdf.geometry import Line, Word, group_lines
from tailor.cv.readers.sections import section_kind

GUTTER_ZONE = (0.2, 0.8)  # fractions of the page width where a column gutter may lie

MIN_GUTTER_WIDTH = 8.0  # points

# Words closer than this fraction of their height belong to one phrase that no gutter can split.
SPAN_GAP_RATIO = 1.0

MIN_COLUMN_LINES = 3

MAX_FULL_WIDTH_SHARE = 0.25  # of a two-column page's lines that may cross the gutter

ALIGN_TOLERANCE = 2.0  # points: line starts this close count as one left edge


def find_gutter(words: Sequence[Word], width: float) -> float | None:
    """The x of a column gutter on this page, or None if the page has one column."""
    lines = group_lines(words)
    spans = [span for line in lines for span in _spans(line)]
    most_crossings = int(MAX_FULL_WIDTH_SHARE * len(lines))
    for gutter in _clear_strips(spans, width, most_crossings):
        if _splits_into_columns(lines, gutter):
            return gutter
    return None


def _splits_into_columns(lines: list[Line], gutter: float) -> bool:
    """Whether the lines that do not cross the gutter form a left and a right column (not a
    margin of section titles beside the text, which is read row by row)."""
    rest = [word for line in lines if not crosses(line, gutter) for word in line.words]
    left = group_lines([w for w in rest if w.x1 <= gutter])
    right = group_lines([w for w in rest if w.x1 > gutter])
    columns = min(len(left), len(right)) >= MIN_COLUMN_LINES and _is_left_aligned(right)
    return columns and not _only_titles(left)


def _only_titles(lines: list[Line]) -> bool:
    return all(len(line.words) <= 4 and section_kind(line.text) for line in lines)


def _spans(line: Line) -> list[Line]:
    """The runs of a line's words separated by less than a word space's worth of gap.

    A centred contact line is one span; a line of the left column and one of the right column
    that share a baseline are two.
    """
    spans: list[list[Word]] = [[line.words[0]]]
    for previous, word in itertools.pairwise(line.words):
        if word.x0 - previous.x1 > SPAN_GAP_RATIO * (word.bottom - word.top):
            spans.append([word])
        else:
            spans[-1].append(word)
    return [Line(tuple(span)) for span in spans]


def crosses(line: Line, gutter: float) -> bool:
    return any(span.x0 < gutter < span.x1 for span in _spans(line))


def _clear_strips(spans: Sequence[Line], width: float, most: int) -> Iterator[float]:
    """Candidate gutters: the middles of the widest strips in the gutter zone that are wide
    enough and crossed by 0, 1, ... up to `most` spans (the full-width lines), fewest first."""
    low, high = int(width * GUTTER_ZONE[0]), int(width * GUTTER_ZONE[1])
    crossings = [0] * (high - low + 1)
    for span in spans:
        # Integer x positions strictly inside the span, clipped to the zone.
        for x in range(max(math.floor(span.x0) + 1, low), min(math.ceil(span.x1) - 1, high) + 1):
            crossings[x - low] += 1
    tried = set()
    for limit in range(min(crossings), most + 1):
        start, end = _widest_run([count <= limit for count in crossings])
        if end - start >= MIN_GUTTER_WIDTH and (start, end) not in tried:
            tried.add((start, end))
            yield low + (start + end - 1) / 2


def _widest_run(flags: list[bool]) -> tuple[int, int]:
    """The start and end (exclusive) of the longest run of True."""
    best, start = (0, 0), None
    for i, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            best = max(best, (start, i), key=lambda run: run[1] - run[0])
            start = None
    return best


def _is_left_aligned(lines: list[Line]) -> bool:
    """Whether the lines start at one or two x positions more often than they end at one.

    A column of text starts at its left edge, or at a bullet's hanging indent; right-aligned
    dates in a one-column CV end at one x and start anywhere, or at as few x positions as they
    end at when they are all the same width.
    """
    starts = _aligned_count([line.x0 for line in lines], groups=2)
    ends = _aligned_count([line.x1 for line in lines], groups=1)
    return starts >= len(lines) / 2 and starts > ends


def _aligned_count(edges: list[float], groups: int) -> int:
    """How many edges fall into the `groups` largest sets of edges within ALIGN_TOLERANCE."""
    count = 0
    for _ in range(groups):
        if not edges:
            break
        centre = max(edges, key=lambda e: sum(abs(other - e) <= ALIGN_TOLERANCE for other in edges))
        group = [e for e in edges if abs(e - centre) <= ALIGN_TOLERANCE]
        count += len(group)
        edges = [e for e in edges if abs(e - centre) > ALIGN_TOLERANCE]
    return count


def column_flows(
    words: Sequence[Word], gutter: float, labels: float | None = None
) -> list[list[Line]]:
    """Flows in reading order: each run of full-width lines, then the columns below it.

    Lines at the top of the page whose right part does not start at the right column's left
    edge (a name with a title pushed to the right margin) are header lines, read in full.
    """
    lines = group_lines(words)
    column_edges = _right_column_edges(lines, gutter)
    flows: list[list[Line]] = []
    run: list[Line] = []
    left: list[Word] = []
    right: list[Word] = []
    in_columns = False
    for line in lines:
        right_part = [w for w in line.words if w.x1 > gutter]
        starts_column = bool(right_part) and any(
            abs(right_part[0].x0 - edge) <= ALIGN_TOLERANCE for edge in column_edges
        )
        header = not in_columns and bool(right_part) and not starts_column
        if not crosses(line, gutter) and not header:
            in_columns = in_columns or starts_column
            left += [w for w in line.words if w.x1 <= gutter]
            right += right_part
            continue
        if left or right:
            flows += [run, group_lines(left, labels), group_lines(right, labels)]
            run, left, right = [], [], []
        run.append(line)
    flows += [run, group_lines(left, labels), group_lines(right, labels)]
    return [flow for flow in flows if flow]


def _right_column_edges(lines: list[Line], gutter: float) -> list[float]:
    """The two x positions where most right-column lines start: its margin and bullet indent."""
    starts = [
        next(w.x0 for w in line.words if w.x1 > gutter)
        for line in lines
        if not crosses(line, gutter) and any(w.x1 > gutter for w in line.words)
    ]
    edges: list[float] = []
    for _ in range(2):
        if not starts:
            break
        edge = max(starts, key=lambda x: sum(abs(o - x) <= ALIGN_TOLERANCE for o in starts))
        edges.append(edge)
        starts = [x for x in starts if abs(x - edge) > ALIGN_TOLERANCE]
    return edges
