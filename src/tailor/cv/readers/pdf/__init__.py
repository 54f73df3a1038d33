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

`extract_text` reads the pages (`pages`, within the limits of `budget`), drops their furniture
(`furniture`), puts each page's lines in reading order (`order`, with `columns` and `labels`),
marks the name and headings by their type size (`sizes`) and joins broken words (`hyphens`).
"""

from __future__ import annotations

from dataclasses import dataclass

from tailor.cv.readers.pdf.furniture import without_furniture
from tailor.cv.readers.pdf.geometry import Line, Word
from tailor.cv.readers.pdf.hyphens import join_hyphenated, soft_hyphens_read
from tailor.cv.readers.pdf.order import reading_order
from tailor.cv.readers.pdf.pages import read_pages
from tailor.cv.readers.pdf.sizes import body_size, is_heading, name_words, section_heading_sizes
from tailor.errors import UserError

__all__ = ["PdfText", "extract_text"]

PAGE_BREAK = "\f"  # between two pages' lines: a blank line to the text parser
NO_TEXT_LAYER = "PDF has no text layer (is it a scan?); run OCR on it or export the CV as text"


@dataclass(frozen=True)
class PdfText:
    """The text of a PDF CV, one visual line per line in reading order; `headings` says that
    its section headings were found by their type size and marked `## `."""

    text: str
    pages: int
    headings: bool = False


def extract_text(data: bytes) -> PdfText:
    """Read a PDF CV's text layer: one visual line per line, columns read one after the other.

    Raises UserError for a PDF that cannot be parsed or has no text layer (a scan).
    """
    pages = without_furniture(read_pages(data))
    if not any(page.words for page in pages):
        raise UserError(NO_TEXT_LAYER)
    page_lines = [reading_order(page) for page in pages]
    body = body_size(pages)
    name = name_words(page_lines[0], body)
    heading_sizes = section_heading_sizes([line for lines in page_lines for line in lines], body)
    texts = ["# " + Line(name).text] if name else []
    for number, lines in enumerate(page_lines):
        if number and lines:
            texts.append(PAGE_BREAK)
        for line in lines:
            text = _marked(line, name, heading_sizes)
            if text is not None:
                texts.append(text)
    addresses = {address for page in pages for address in page.addresses}
    text = "\n".join(join_hyphenated(soft_hyphens_read(texts), addresses))
    return PdfText(text=text, pages=len(pages), headings=bool(heading_sizes))


def _marked(line: Line | None, name: tuple[Word, ...], heading_sizes: set[float]) -> str | None:
    """A line's text: "" for a blank line, the Markdown heading mark on a section heading,
    and without the name's words (the name leads the text on a line of its own; None for
    its line when nothing else stands on it)."""
    if line is None:
        return ""
    words = tuple(word for word in line.words if word not in name)
    if not words:
        return None
    rest = Line(words, line.column)
    if is_heading(rest, heading_sizes):
        return "## " + rest.text
    return rest.text
