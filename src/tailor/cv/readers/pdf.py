"""Text from a PDF CV, with its words, lines and columns put back in reading order.

pdfplumber gives positioned words; the lines, blank lines and column order are rebuilt here,
because the downstream text parser finds sections by blank lines, bullets and UPPERCASE titles.

Three things real CVs need that pdfplumber's defaults get wrong:

- pdfTeX writes no space characters: a justified line is one TJ array whose kerning offsets are
  the spaces, shrunk to ~0.2 em. pdfplumber's default `x_tolerance=3` points merges such words
  ("fraudscoring"), so the gap that starts a new word is set relative to the font size instead.
- Words hyphenated at a line end are joined again, and soft hyphens (U+00AD) are dropped.
- A two-column page is read column by column: a vertical gutter that (almost) no word crosses
  splits it, full-width lines (the name, a contact line) are read where they stand.
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import logging
import math
import re
import statistics
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tailor.cv.readers.links import shows_address
from tailor.errors import UserError

if TYPE_CHECKING:
    from pdfplumber.page import Page

# A gap wider than this fraction of the font size starts a new word. pdfTeX shrinks interword
# space to ~0.19 em at most (Times) or ~0.22 em (Computer Modern); kerns that widen a word stay
# under ~0.05 em. 0.12 em sits between the two.
X_TOLERANCE_RATIO = 0.12
WIDE_GAP_RATIO = 2.0  # a gap wider than this many times the text height is a tab, not a space
LINE_TOLERANCE = 3.0  # points: words whose bottoms differ by less sit on one line
# A line pitch this many times the page's usual pitch marks a new block (a blank line).
BLANK_LINE_RATIO = 1.4
GUTTER_ZONE = (0.2, 0.8)  # fractions of the page width where a column gutter may lie
MIN_GUTTER_WIDTH = 8.0  # points
# Words closer than this fraction of their height belong to one phrase that no gutter can split.
SPAN_GAP_RATIO = 1.0
MIN_COLUMN_LINES = 3
MAX_FULL_WIDTH_SHARE = 0.25  # of a two-column page's lines that may cross the gutter
ALIGN_TOLERANCE = 2.0  # points: line starts this close count as one left edge

SOFT_HYPHEN = "\u00ad"
_UNMAPPED_GLYPH = re.compile(r"\(cid:\d+\)")
NO_TEXT_LAYER = "PDF has no text layer (is it a scan?); run OCR on it or export the CV as text"
_HYPHENATED = re.compile(r"[^\W\d_]-$")


@dataclass(frozen=True)
class PdfText:
    """The text of a PDF CV, one visual line per line in reading order."""

    text: str
    pages: int


@dataclass(frozen=True)
class _Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass(frozen=True)
class _Line:
    words: tuple[_Word, ...]

    @property
    def text(self) -> str:
        """The words joined by a space, or by three where a wide gap (a tab, `\\hfill`) stood
        between them, so the text parser can tell a name from a title pushed to the margin."""
        parts = [self.words[0].text]
        for previous, word in itertools.pairwise(self.words):
            wide = word.x0 - previous.x1 > WIDE_GAP_RATIO * (word.bottom - word.top)
            parts.append(("   " if wide else " ") + word.text)
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


@dataclass(frozen=True)
class _Page:
    width: float
    words: list[_Word]


def extract_text(data: bytes) -> PdfText:
    """Read a PDF CV's text layer: one visual line per line, columns read one after the other.

    Raises UserError for a PDF that cannot be parsed or has no text layer (a scan).
    """
    pages = _read_pages(data)
    if not any(page.words for page in pages):
        raise UserError(NO_TEXT_LAYER)
    lines: list[str] = []
    for page in pages:
        page_lines = _page_lines(page)
        if lines and page_lines:
            lines.append("")
        lines += page_lines
    return PdfText(text="\n".join(_join_hyphenated(lines)), pages=len(pages))


def _read_pages(data: bytes) -> list[_Page]:
    """Every page's width and words, turning any parser failure into a UserError."""
    import pdfplumber

    with _quiet_pdf_loggers():
        try:
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                pages = [_Page(float(page.width), _page_words(page)) for page in pdf.pages]
        # pdfminer raises anything from its own PSEOF to KeyError on malformed files.
        except Exception as exc:
            raise UserError(f"could not read PDF: {_reason(exc)}") from exc
    if not pages:
        raise UserError("could not read PDF: it has no pages")
    return pages


def _page_words(page: Page) -> list[_Word]:
    words = page.extract_words(x_tolerance_ratio=X_TOLERANCE_RATIO)
    found = [_Word(_fix_bullet(w["text"]), w["x0"], w["x1"], w["top"], w["bottom"]) for w in words]
    return _with_link_targets(found, page.hyperlinks)


def _with_link_targets(words: list[_Word], links: list[dict[str, Any]]) -> list[_Word]:
    """Write each link's address after the words it covers, unless they already show it.

    A CV's "GitHub" or "Portfolio" is often a clickable label (LaTeX's \\href); the address
    is the evidence a reader follows, so it belongs in the text.
    """
    for link in links:
        uri = str(link.get("uri") or "")
        inside = [
            i
            for i, w in enumerate(words)
            if link["x0"] - 1 <= (w.x0 + w.x1) / 2 <= link["x1"] + 1
            and link["top"] - 1 <= (w.top + w.bottom) / 2 <= link["bottom"] + 1
        ]
        shown = " ".join(words[i].text for i in inside)
        if not uri.startswith(("http://", "https://")) or not inside or shows_address(shown, uri):
            continue
        last = words[inside[-1]]
        words[inside[-1]] = dataclasses.replace(last, text=f"{last.text} ({uri})")
    return words


def _fix_bullet(text: str) -> str:
    # A glyph the font gives no Unicode for comes out as "(cid:N)". Standing alone as a word it
    # is a symbol, and on a CV that symbol is a bullet or a separator: reportlab writes "•" as
    # code 127, and LaTeX's \textbullet (cmsy) comes out as "(cid:136)".
    return "•" if _UNMAPPED_GLYPH.fullmatch(text) else text


@contextmanager
def _quiet_pdf_loggers() -> Iterator[None]:
    """Hide pdfminer's and pdfplumber's warnings about harmless quirks while reading."""
    loggers = [logging.getLogger(name) for name in ("pdfminer", "pdfplumber")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _reason(exc: Exception) -> str:
    """A short one-line reason for a parser failure."""
    # pdfplumber wraps pdfminer's exception as the first argument of its own.
    cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
    if "Password" in type(cause).__name__:
        return "it is password-protected; save a copy without the password"
    lines = str(cause).strip().splitlines()
    reason = lines[0] if lines else ""
    return reason[:100] or type(cause).__name__


def _page_lines(page: _Page) -> list[str]:
    """One page's lines in reading order, with a blank line between blocks."""
    gutter = _find_gutter(page.words, page.width)
    flows = [_group_lines(page.words)] if gutter is None else _column_flows(page.words, gutter)
    return _render(flows)


def _group_lines(words: Sequence[_Word]) -> list[_Line]:
    """Words grouped into lines by their bottom edge, each sorted left to right, top to bottom."""
    lines: list[list[_Word]] = []
    for word in sorted(words, key=lambda w: (w.bottom, w.x0)):
        if lines and abs(word.bottom - lines[-1][0].bottom) <= LINE_TOLERANCE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [_Line(tuple(sorted(line, key=lambda w: w.x0))) for line in lines]


def _render(flows: list[list[_Line]]) -> list[str]:
    """Lines of text: a blank line between flows, and where the pitch jumps within one."""
    pitch = _usual_pitch(flows)
    out: list[str] = []
    for flow in flows:
        if out and flow:
            out.append("")
        out.append(flow[0].text)
        for previous, line in itertools.pairwise(flow):
            if _starts_block(previous, line, pitch):
                out.append("")
            out.append(line.text)
    return out


def _usual_pitch(flows: list[list[_Line]]) -> float | None:
    """The median distance from one line's top to the next's, or None if there are too few."""
    pitches = [b.top - a.top for flow in flows for a, b in itertools.pairwise(flow)]
    positive = [p for p in pitches if p > 0]
    return statistics.median(positive) if positive else None


def _starts_block(previous: _Line, line: _Line, pitch: float | None) -> bool:
    # A large heading is followed by a larger pitch than the body text without starting a block.
    expected = max(pitch or 0.0, 1.2 * previous.height)
    return line.top - previous.top > BLANK_LINE_RATIO * expected


def _find_gutter(words: Sequence[_Word], width: float) -> float | None:
    """The x of a column gutter on this page, or None if the page has one column."""
    lines = _group_lines(words)
    spans = [span for line in lines for span in _spans(line)]
    most_crossings = int(MAX_FULL_WIDTH_SHARE * len(lines))
    for gutter in _clear_strips(spans, width, most_crossings):
        if _splits_into_columns(lines, gutter):
            return gutter
    return None


def _splits_into_columns(lines: list[_Line], gutter: float) -> bool:
    """Whether the lines that do not cross the gutter form a left and a right column."""
    rest = [word for line in lines if not _crosses(line, gutter) for word in line.words]
    left = _group_lines([w for w in rest if w.x1 <= gutter])
    right = _group_lines([w for w in rest if w.x1 > gutter])
    return min(len(left), len(right)) >= MIN_COLUMN_LINES and _is_left_aligned(right)


def _spans(line: _Line) -> list[_Line]:
    """The runs of a line's words separated by less than a word space's worth of gap.

    A centred contact line is one span; a line of the left column and one of the right column
    that share a baseline are two.
    """
    spans: list[list[_Word]] = [[line.words[0]]]
    for previous, word in itertools.pairwise(line.words):
        if word.x0 - previous.x1 > SPAN_GAP_RATIO * (word.bottom - word.top):
            spans.append([word])
        else:
            spans[-1].append(word)
    return [_Line(tuple(span)) for span in spans]


def _crosses(line: _Line, gutter: float) -> bool:
    return any(span.x0 < gutter < span.x1 for span in _spans(line))


def _clear_strips(spans: Sequence[_Line], width: float, most: int) -> Iterator[float]:
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


def _is_left_aligned(lines: list[_Line]) -> bool:
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


def _column_flows(words: Sequence[_Word], gutter: float) -> list[list[_Line]]:
    """Flows in reading order: each run of full-width lines, then the columns below it.

    Lines at the top of the page whose right part does not start at the right column's left
    edge (a name with a title pushed to the right margin) are header lines, read in full.
    """
    lines = _group_lines(words)
    column_edges = _right_column_edges(lines, gutter)
    flows: list[list[_Line]] = []
    run: list[_Line] = []
    left: list[_Word] = []
    right: list[_Word] = []
    in_columns = False
    for line in lines:
        right_part = [w for w in line.words if w.x1 > gutter]
        starts_column = bool(right_part) and any(
            abs(right_part[0].x0 - edge) <= ALIGN_TOLERANCE for edge in column_edges
        )
        header = not in_columns and bool(right_part) and not starts_column
        if not _crosses(line, gutter) and not header:
            in_columns = in_columns or starts_column
            left += [w for w in line.words if w.x1 <= gutter]
            right += right_part
            continue
        if left or right:
            flows += [run, _group_lines(left), _group_lines(right)]
            run, left, right = [], [], []
        run.append(line)
    flows += [run, _group_lines(left), _group_lines(right)]
    return [flow for flow in flows if flow]


def _right_column_edges(lines: list[_Line], gutter: float) -> list[float]:
    """The two x positions where most right-column lines start: its margin and bullet indent."""
    starts = [
        next(w.x0 for w in line.words if w.x1 > gutter)
        for line in lines
        if not _crosses(line, gutter) and any(w.x1 > gutter for w in line.words)
    ]
    edges: list[float] = []
    for _ in range(2):
        if not starts:
            break
        edge = max(starts, key=lambda x: sum(abs(o - x) <= ALIGN_TOLERANCE for o in starts))
        edges.append(edge)
        starts = [x for x in starts if abs(x - edge) > ALIGN_TOLERANCE]
    return edges


def _join_hyphenated(lines: list[str]) -> list[str]:
    """Join words broken across lines by a hyphen or soft hyphen, and drop soft hyphens."""
    out: list[str] = []
    for line in lines:
        if out and line and _continues_word(out[-1], line):
            head, _, rest = line.partition(" ")
            out[-1] = _without_break(out[-1]) + head
            if rest:
                out.append(rest)
        else:
            out.append(line)
    return [line.replace(SOFT_HYPHEN, "") for line in out]


def _continues_word(previous: str, line: str) -> bool:
    if previous.endswith(SOFT_HYPHEN):
        return True
    return bool(_HYPHENATED.search(previous)) and line[0].islower()


def _without_break(line: str) -> str:
    """The line without its break hyphen; a compound's own hyphen ("end-to-") is kept."""
    if line.endswith(SOFT_HYPHEN):
        return line[:-1]
    last_word = line.rsplit(" ", 1)[-1]
    return line if "-" in last_word[:-1] else line[:-1]
