"""Text from a PDF CV, with its words, lines and columns put back in reading order.

pdfplumber gives positioned words; the lines, blank lines and column order are rebuilt here,
because the downstream text parser finds sections by blank lines, bullets and titles.

What real CVs need that pdfplumber's defaults get wrong:

- pdfTeX writes no space characters: a justified line is one TJ array whose kerning offsets are
  the spaces, shrunk to ~0.2 em. pdfplumber's default `x_tolerance=3` points merges such words
  ("fraudscoring"), so the gap that starts a new word is set relative to the font size instead.
- A word broken at a line end is joined again; whether its hyphen stays ("set-top") or goes
  ("man-agement") is judged from the words the CV writes elsewhere. LuaTeX writes some
  hyphens as soft hyphens (U+00AD): between two characters one is a hyphen, not nothing.
- A two-column page is read column by column: a vertical gutter that (almost) no word crosses
  splits it, full-width lines (the name, a contact line) are read where they stand.
- Page furniture goes: running headers and footers repeated on every page ("January 1, 2025
  · Jane Doe · Curriculum Vitae · 2"), page numbers and "last updated" notes.
- Type size says what text alone cannot: the name is the largest line at the top (not the
  "last updated" note above it), and a section heading is set like the headings tailor knows
  ("Experience"), whatever its words ("Program Committees"). Both are marked the Markdown
  way (`# Name`, `## Program Committees`) for the text parser.
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

from tailor import limits
from tailor.cv.patterns import DOCUMENT_TITLE
from tailor.cv.readers import pdf_budget
from tailor.cv.readers.links import shows_address
from tailor.cv.readers.sections import section_kind
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
PAGE_BREAK = "\f"  # between two pages' lines: a blank line to the text parser
_UNMAPPED_GLYPH = re.compile(r"\(cid:\d+\)")
NO_TEXT_LAYER = "PDF has no text layer (is it a scan?); run OCR on it or export the CV as text"
_HYPHENATED = re.compile(r"[^\W\d_]-$")
BULLET_GLYPHS = frozenset("•·▪◦●‣–-*")
# Page furniture: lines in the top or bottom strip of a page (this fraction of its height)
# that repeat on two pages or more (digits aside), or that say what a page number or an
# update note says.
FURNITURE_ZONE = 0.15
_FURNITURE = re.compile(
    r"^(?:page\s*)?#(?:\s*(?:of|/)\s*#)?$|^[-–—]\s*#\s*[-–—]$|^(?:last\s+)?updated\s+(?:on|in)\b",
    re.IGNORECASE,
)
NAME_SIZE_RATIO = 1.25  # the name is set at least this much larger than the body text
HEADING_SIZE_RATIO = 1.08  # a heading style is at least this much larger than the body text
SIZE_TOLERANCE = 0.3  # points: two lines within this are set at one size


@dataclass(frozen=True)
class PdfText:
    """The text of a PDF CV, one visual line per line in reading order; `headings` says that
    its section headings were found by their type size and marked `## `."""

    text: str
    pages: int
    headings: bool = False


@dataclass(frozen=True)
class _Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float = 0.0  # the font size of its largest character


@dataclass(frozen=True)
class _Line:
    words: tuple[_Word, ...]
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
class _Page:
    width: float
    height: float
    words: list[_Word]


def extract_text(data: bytes) -> PdfText:
    """Read a PDF CV's text layer: one visual line per line, columns read one after the other.

    Raises UserError for a PDF that cannot be parsed or has no text layer (a scan).
    """
    pages = _without_furniture(_read_pages(data))
    if not any(page.words for page in pages):
        raise UserError(NO_TEXT_LAYER)
    page_lines = [_page_lines(page) for page in pages]
    body = _body_size(pages)
    name = _name_words(page_lines[0], body)
    heading_sizes = _heading_sizes([line for lines in page_lines for line in lines], body)
    texts = ["# " + _Line(name).text] if name else []
    for number, lines in enumerate(page_lines):
        if number and lines:
            texts.append(PAGE_BREAK)
        for line in lines:
            text = _marked(line, name, heading_sizes)
            if text is not None:
                texts.append(text)
    text = "\n".join(_join_hyphenated(_soft_hyphens_read(texts)))
    return PdfText(text=text, pages=len(pages), headings=bool(heading_sizes))


def _marked(line: _Line | None, name: tuple[_Word, ...], heading_sizes: set[float]) -> str | None:
    """A line's text: "" for a blank line, the Markdown heading mark on a section heading,
    and without the name's words (the name leads the text on a line of its own; None for
    its line when nothing else stands on it)."""
    if line is None:
        return ""
    words = tuple(word for word in line.words if word not in name)
    if not words:
        return None
    rest = _Line(words, line.column)
    if _is_heading(rest, heading_sizes):
        return "## " + rest.text
    return rest.text


# -- type sizes: the name and the section headings ------------------------------------------


def _body_size(pages: list[_Page]) -> float:
    """The size most of the text is set in (by characters)."""
    counts: dict[float, int] = {}
    for page in pages:
        for word in page.words:
            size = round(word.size * 2) / 2
            counts[size] = counts.get(size, 0) + len(word.text)
    return max(counts, key=lambda size: counts[size]) if counts else 0.0


def _name_words(lines: list[_Line | None], body: float) -> tuple[_Word, ...]:
    """The words of the first page's largest line, when it is set well above the body text
    and reads like a name (a few words, no digits); none otherwise."""
    candidates = [line for line in lines if line is not None]
    if not candidates or body <= 0:
        return ()
    largest = max(candidates, key=lambda line: line.size)
    name = tuple(w for w in largest.words if w.size >= largest.size - SIZE_TOLERANCE)
    text = _Line(name).text if name else ""
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


def _heading_sizes(lines: list[_Line | None], body: float) -> set[float]:
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


def _is_heading(line: _Line, sizes: set[float]) -> bool:
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


# -- page furniture ---------------------------------------------------------------------------


def _without_furniture(pages: list[_Page]) -> list[_Page]:
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


def _edge_lines(page: _Page) -> list[_Line]:
    """The first two and last two lines of a page, where they stand in its top or bottom strip."""
    lines = _group_lines(page.words)
    top, bottom = FURNITURE_ZONE * page.height, (1 - FURNITURE_ZONE) * page.height
    ends = [*lines[:2], *lines[-2:]] if len(lines) > 4 else lines
    return [line for line in dict.fromkeys(ends) if line.bottom < top or line.top > bottom]


def _furniture_key(line: _Line) -> str:
    """A line as furniture is compared across pages: lower case, each number as "#"."""
    return re.sub(r"\d+", "#", " ".join(line.text.lower().split()))


def _read_pages(data: bytes) -> list[_Page]:
    """Every page's width and words, within the limits on pages, text and time; any parser
    failure becomes a UserError."""
    import pdfplumber

    deadline = limits.Deadline("the PDF")
    pages: list[_Page] = []
    with _quiet_pdf_loggers(), pdf_budget.budget(deadline):
        try:
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                if len(pdf.pages) > limits.PDF_PAGES:
                    raise UserError(
                        f"the PDF has {len(pdf.pages):,} pages; the limit is {limits.PDF_PAGES}"
                    )
                for page in pdf.pages:
                    _check_page_text(page)
                    pages.append(_Page(float(page.width), float(page.height), _page_words(page)))
                    page.close()  # its parsed objects are not needed again
                    deadline.check()
        except UserError:
            raise
        # pdfminer raises anything from its own PSEOF to KeyError on malformed files.
        except Exception as exc:
            # a limit's refusal from within pdfminer comes wrapped (PdfminerException(error))
            refusal = next((arg for arg in exc.args if isinstance(arg, UserError)), None)
            if refusal is not None:
                raise refusal from None
            raise UserError(f"could not read PDF: {_reason(exc)}") from exc
    if not pages:
        raise UserError("could not read PDF: it has no pages")
    return pages


# a string a page's content shows, (literal) or <hex>; and a drawing of an XObject, "/X0 Do"
_SHOWN_STRING = re.compile(
    rb"\((?:[^()\\]|\\.)*+\)|<[0-9A-Fa-f\s]*+>|/([^\s/\[\]()<>{}%]++)\s++Do\b"
)
_FORM_DEPTH = 4  # forms drawn inside forms; deeper is no real document


def _check_page_text(page: Page) -> None:
    """Refuse a page whose content shows more text than `limits.PDF_PAGE_TEXT_BYTES`, counted
    before the parser lays out every character (about 40 µs each): the text its content shows,
    and that of each form (XObject) it draws, as often as it draws it."""
    from pdfminer.pdftypes import resolve1

    resources = resolve1(page.page_obj.resources) or {}
    streams = [resolve1(reference) for reference in page.page_obj.contents]
    if _shown_bytes(streams, resources, depth=0) > limits.PDF_PAGE_TEXT_BYTES:
        raise UserError(
            f"page {page.page_number} of the PDF shows over {limits.PDF_PAGE_TEXT_BYTES:,} "
            "bytes of text, the limit for a page"
        )


def _shown_bytes(streams: list[Any], resources: Any, depth: int) -> int:
    """The bytes of text `streams` show, with the forms they draw; past the limit, the count
    stops early (a form drawn a thousand times is not counted a thousand times over)."""
    from pdfminer.pdftypes import PDFStream, resolve1

    if depth > _FORM_DEPTH:
        return limits.PDF_PAGE_TEXT_BYTES + 1
    forms = resolve1(resources.get("XObject")) if isinstance(resources, dict) else None
    shown = 0
    for stream in streams:
        if not isinstance(stream, PDFStream):
            continue
        for match in _SHOWN_STRING.finditer(stream.get_data()):
            text = match.group()
            if match.group(1) is not None:  # a drawing: the form's own text
                form = resolve1(forms.get(match.group(1).decode("latin-1"))) if forms else None
                if isinstance(form, PDFStream) and _is_form(form):
                    inner = resolve1(form.attrs.get("Resources")) or resources
                    shown += _shown_bytes([form], inner, depth + 1)
            else:
                shown += len(text) - 2 if text.startswith(b"(") else len(text) // 2
            if shown > limits.PDF_PAGE_TEXT_BYTES:
                return shown
    return shown


def _is_form(stream: Any) -> bool:
    return getattr(stream.attrs.get("Subtype"), "name", None) == "Form"


def _page_words(page: Page) -> list[_Word]:
    words = page.extract_words(x_tolerance_ratio=X_TOLERANCE_RATIO, return_chars=True)
    found = [
        _Word(
            _fix_bullet(_drawn_hyphens(_without_icons(w["text"]), w["chars"])),
            w["x0"],
            w["x1"],
            w["top"],
            w["bottom"],
            max((float(c.get("size") or 0.0) for c in w["chars"]), default=0.0),
        )
        for w in words
        if not _in_icon_font(w["chars"])
    ]
    return _with_link_targets([w for w in found if w.text], page.hyperlinks)


# the fonts that draw icons, whose glyphs' names ("Map-marker", "Envelope") are no text
_ICON_FONT = re.compile(r"awesome|icons|academicons|octicons|devicon|symbols?\b", re.IGNORECASE)


def _in_icon_font(chars: list[dict[str, Any]]) -> bool:
    return bool(chars) and all(_ICON_FONT.search(str(c.get("fontname", ""))) for c in chars)


def _without_icons(text: str) -> str:
    """A word without the private-use characters icon fonts draw with (U+E000-U+F8FF)."""
    return re.sub("[\ue000-\uf8ff]", "", text)


def _drawn_hyphens(text: str, chars: list[dict[str, Any]]) -> str:
    """A word with each soft hyphen (U+00AD) that is drawn, as a hyphen: LuaTeX gives a
    template's every hyphen that code ("cross\u00adcluster", "2019 \u00ad 2021"). One drawn
    with no width is the invisible kind and stays, for `_soft_hyphens_read`."""
    if SOFT_HYPHEN not in text:
        return text
    drawn = iter(
        float(c["x1"]) - float(c["x0"]) > 0.1 * float(c.get("size") or 1.0)
        for c in chars
        if c.get("text") == SOFT_HYPHEN
    )
    return "".join("-" if char == SOFT_HYPHEN and next(drawn, False) else char for char in text)


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


def _page_lines(page: _Page) -> list[_Line | None]:
    """One page's lines in reading order, with None (a blank line) between blocks."""
    gutter = _find_gutter(page.words, page.width)
    if gutter is None:
        labels = _label_column(page.words, page.width)
        flows = [_with_margin_titles(_group_lines(page.words, column=labels))]
    elif _labels_left_of(page.words, gutter):
        flows = [_label_rows(page.words, gutter)]
    else:
        flows = _column_flows(page.words, gutter, _label_column(page.words, page.width))
    return _render([_without_lone_bullets(flow) for flow in flows])


LABEL_CHARS = 32  # a line of a column of labels holds this many characters at most


def _labels_left_of(words: Sequence[_Word], gutter: float) -> bool:
    """Whether the column left of a gutter holds labels of the text beside it (moderncv's
    dates, a wrapped "Oct 2020 – May / 2023" among them), not a sidebar of its own: short
    lines, in blocks that each start level with a line of the text."""
    beside = [line for line in _group_lines(words) if not _crosses(line, gutter)]
    left = _group_lines([w for line in beside for w in line.words if w.x1 <= gutter])
    right = _group_lines([w for line in beside for w in line.words if w.x0 >= gutter])
    if len(left) < MIN_COLUMN_LINES or any(len(line.text) > LABEL_CHARS for line in left):
        return False
    blocks = _blocks(left)  # a sidebar is a block or two; labels stand apart, one an entry
    level = [b for b in blocks if any(abs(b[0].top - r.top) <= LINE_TOLERANCE for r in right)]
    return len(blocks) >= MIN_COLUMN_LINES and len(level) >= 0.8 * len(blocks)


def _blocks(lines: list[_Line]) -> list[list[_Line]]:
    """Lines in blocks: a line closer to the one above than one and a half of its height
    goes with it."""
    blocks: list[list[_Line]] = []
    for line in lines:
        if blocks and line.top - blocks[-1][-1].top < 1.5 * blocks[-1][-1].height:
            blocks[-1].append(line)
        else:
            blocks.append([line])
    return blocks


def _label_rows(words: Sequence[_Word], gutter: float) -> list[_Line]:
    """The page's lines with each block of labels (its lines joined) at the start of the
    line of text it stands level with, a wide gap between them."""
    lines = _group_lines(words)
    crossing = [line for line in lines if _crosses(line, gutter)]
    labels = [w for line in lines if line not in crossing for w in line.words if w.x1 <= gutter]
    text = [w for line in lines if line not in crossing for w in line.words if w.x1 > gutter]
    out = sorted([*crossing, *_group_lines(text, gutter)], key=lambda line: line.top)
    for block in _blocks(_group_lines(labels)):
        label = tuple(word for line in block for word in line.words)
        index = next(
            (i for i, line in enumerate(out) if abs(line.top - block[0].top) <= LINE_TOLERANCE),
            None,
        )
        if index is None:
            after = next((i for i, line in enumerate(out) if line.top > block[0].top), len(out))
            out.insert(after, _Line(label, gutter))
        else:
            out[index] = _Line(label + out[index].words, gutter)
    return out


def _with_margin_titles(lines: list[_Line]) -> list[_Line]:
    """A section title set in the left margin, level with its section's first line ("Work
    CEO/President"), as a line of its own above it."""
    out: list[_Line] = []
    for line in lines:
        title = _margin_title(line)
        if title:
            out += [_Line(title), _Line(line.words[len(title) :], line.column)]
        elif out and _beside_block_start(line, out[-1]):
            out.insert(len(out) - 1, line)  # a title centred on its block: above the block
        else:
            out.append(line)
    return out


def _beside_block_start(line: _Line, previous: _Line) -> bool:
    """Whether a known section title, alone on its line in the left margin, stands just
    below the text line it belongs before (set centred beside a block of several lines)."""
    return (
        len(line.words) <= 4
        and line.x1 < previous.x0
        and line.size > previous.size
        and line.top - previous.top < 1.5 * previous.height
        and bool(section_kind(line.text))
    )


def _margin_title(line: _Line) -> tuple[_Word, ...]:
    """The words of a known section title that open a line, apart from the rest by a wide
    gap and set larger than it; none when the line does not start so."""
    for end in range(1, min(4, len(line.words))):
        head, rest = line.words[:end], line.words[end:]
        gap = rest[0].x0 - head[-1].x1
        if (
            gap > rest[0].bottom - rest[0].top
            and min(w.size for w in head) > max(w.size for w in rest)
            and section_kind(_Line(head).text)
        ):
            return head
    return ()


def _group_lines(words: Sequence[_Word], column: float | None = None) -> list[_Line]:
    """Words grouped into lines by their bottom edge, each sorted left to right, top to bottom."""
    lines: list[list[_Word]] = []
    for word in sorted(words, key=lambda w: (w.bottom, w.x0)):
        if lines and abs(word.bottom - lines[-1][0].bottom) <= LINE_TOLERANCE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [_Line(tuple(sorted(line, key=lambda w: w.x0)), column) for line in lines]


LABEL_ZONE = (0.08, 0.45)  # fractions of the page width where a column of labels may end
MIN_LABEL_ROWS = 3


def _label_column(words: Sequence[_Word], width: float) -> float | None:
    """The x where a column of row labels ends, on a page that sets labels beside its text
    row by row (moderncv's dates and \\cvitem labels, section titles in a margin): a clear
    strip that most lines with words left of it also cross with words right of it."""
    lines = _group_lines(words)
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


def _render(flows: list[list[_Line]]) -> list[_Line | None]:
    """The lines, with a blank (None) between flows and where the pitch jumps within one."""
    pitch = _usual_pitch(flows)
    out: list[_Line | None] = []
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


def _without_lone_bullets(lines: list[_Line]) -> list[_Line]:
    """A bullet glyph on a line of its own joins the line it stands beside (its baseline a
    little off), or goes when it stands between lines (a template's ornament)."""
    out: list[_Line] = []
    glyph: _Line | None = None  # a lone bullet waiting for the line after it
    for line in lines:
        if len(line.words) == 1 and line.words[0].text in BULLET_GLYPHS:
            glyph = line
            continue
        if glyph is not None and _beside(glyph, line):
            line = _Line((glyph.words[0], *line.words), line.column)
        glyph = None
        out.append(line)
    return out


def _beside(bullet: _Line, line: _Line) -> bool:
    centre = (bullet.top + bullet.bottom) / 2
    return abs(centre - (line.top + line.bottom) / 2) <= 0.5 * line.height and line.x0 > bullet.x0


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
    """Whether the lines that do not cross the gutter form a left and a right column (not a
    margin of section titles beside the text, which is read row by row)."""
    rest = [word for line in lines if not _crosses(line, gutter) for word in line.words]
    left = _group_lines([w for w in rest if w.x1 <= gutter])
    right = _group_lines([w for w in rest if w.x1 > gutter])
    columns = min(len(left), len(right)) >= MIN_COLUMN_LINES and _is_left_aligned(right)
    return columns and not _only_titles(left)


def _only_titles(lines: list[_Line]) -> bool:
    return all(len(line.words) <= 4 and section_kind(line.text) for line in lines)


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


MIN_LABEL_GAP = 5.0  # points: labels stand this far from their text, at least


def _strips_between_words(words: Sequence[_Word], width: float, most: int) -> Iterator[float]:
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


def _word_crosses(line: _Line, x: float) -> bool:
    return any(word.x0 < x < word.x1 for word in line.words)


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


def _column_flows(
    words: Sequence[_Word], gutter: float, labels: float | None = None
) -> list[list[_Line]]:
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
            flows += [run, _group_lines(left, labels), _group_lines(right, labels)]
            run, left, right = [], [], []
        run.append(line)
    flows += [run, _group_lines(left, labels), _group_lines(right, labels)]
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


def _soft_hyphens_read(lines: list[str]) -> list[str]:
    """Invisible soft hyphens (those drawn are hyphens already): at a line end the word goes
    on on the next line ("engi\u00ad" / "neering"), elsewhere they show nothing."""
    out: list[str] = []
    for line in lines:
        if out and out[-1].endswith(SOFT_HYPHEN) and line:
            head, _, rest = line.partition(" ")
            out[-1] = out[-1][:-1] + head
            line = rest
            if not line:
                continue
        out.append(line)
    return [line.replace(SOFT_HYPHEN, "") for line in out]


def _join_hyphenated(lines: list[str]) -> list[str]:
    """Join words broken across lines by a hyphen; the hyphen stays where the CV writes the
    word with it elsewhere, or the word is a compound ("set-top", "multi-VPC")."""
    vocabulary = _vocabulary(lines)
    out: list[str] = []
    for line in lines:
        # a right-hand column's cell may follow the broken word: "by race, eth-   July 2024"
        left, gap, column = out[-1].rpartition("   ") if out and "   " in out[-1] else ("", "", "")
        if gap and not _HYPHENATED.search(left):
            left = gap = column = ""
        broken = left if gap else (out[-1] if out else "")
        if out and line and _HYPHENATED.search(broken) and line[0].isalnum():
            head, _, rest = line.partition(" ")
            joined = _joined(broken, head, vocabulary)
            out[-1] = f"{joined}{gap}{column}" if gap else joined
            if rest:
                out.append(rest)
        else:
            out.append(line)
    return out


# the first parts of compounds CVs write with a hyphen, kept when a line breaks after them
COMPOUND_PREFIXES = frozenset(
    {"multi", "cross", "non", "co", "self", "end", "real", "full", "high", "low", "large",
     "small", "long", "short", "well", "open", "state", "on", "off", "in", "out", "up", "pre",
     "post", "semi", "sub", "inter", "intra", "anti", "auto", "hands", "first", "second",
     "third", "top", "cutting", "fine", "hyper", "mid", "user", "data", "cost", "client",
     "server", "set", "day", "year", "team", "world", "part", "time", "fast", "event", "test"}
)  # fmt: skip


def _joined(line: str, head: str, vocabulary: set[str]) -> str:
    """`line` (ending in a broken word's first part and its hyphen) joined with `head`."""
    first = re.split(r"[\s/]", line[:-1])[-1]
    whole, compound = (first + head).lower(), f"{first}-{head}".lower()
    stem = re.sub(r"\W+$", "", compound)
    if stem in vocabulary or "-" in first or "-" in head:  # "set-top" elsewhere; "end-to-"
        # + "end"; "pixel-" + "by-pixel"
        return line + head
    if re.sub(r"\W+$", "", whole) in vocabulary:  # "management" elsewhere
        return line[:-1] + head
    if not head[0].islower() or first.lower() in COMPOUND_PREFIXES:
        return line + head
    return line[:-1] + head


def _vocabulary(lines: list[str]) -> set[str]:
    """The words the CV writes within its lines (lower case), hyphenated ones included."""
    words: set[str] = set()
    for line in lines:
        inner = line.split()[:-1] if line.endswith("-") else line.split()
        words.update(re.sub(r"^\W+|\W+$", "", word).lower() for word in inner)
    return words
