"""PDF output, typeset by Typst from the laid-out CV.

The template (templates/cv.typ) receives the `Document` as JSON through `sys.inputs` and shows
every string as text, so nothing a CV says is read as Typst markup. A CV that fits on two pages
is made to: when the default size runs over, the body text is set a step smaller, down to 9 pt.
A cover letter (templates/letter.typ, given its text the same way) shares the CV's page set-up
and header (templates/common.typ), and is fitted to one page as a CV is to two.
"""

from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tailor.cv.layout import (
    Contact,
    Document,
    Entry,
    HeadLine,
    Item,
    Section,
    entry_head,
    layout,
    segments,
)
from tailor.cv.model import CV
from tailor.renderers.themes import Theme, font_folders, theme_named

if TYPE_CHECKING:
    import typst

    from tailor.renderers.letter import LetterPage

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE = TEMPLATES / "cv.typ"
LETTER_TEMPLATE = TEMPLATES / "letter.typ"
PAPER = "a4"  # Typst's paper name; "us-letter" for US Letter
# Body text sizes in points, tried in turn (from the theme's own size down) until the CV fits
# on MAX_PAGES; spacing is set in em, so it shrinks with the text.
BODY_SIZES = (10.5, 10.0, 9.5, 9.0)
MAX_PAGES = 2
# A letter's sizes: larger, as it is read as prose; a letter of up to 400 words fits on one page
# at the first.
LETTER_SIZES = (11.0, 10.5, 10.0)
LETTER_MAX_PAGES = 1
# A fixed creation date, so the same CV always gives the same bytes.
TIMESTAMP = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
PAGES_LABEL = "<tailor-pages>"

JSON = dict[str, Any]


def render(cv: CV, section_order: Sequence[str] | None = None, theme: str | None = None) -> bytes:
    """The CV as a PDF in the theme called `theme` (None: the default): A4, one column, on at
    most two pages when a smaller size gets it there."""
    look = theme_named(theme)
    document = to_json(layout(cv, section_order))
    return _fit(TEMPLATE, "cv", document, look, body_sizes(look), MAX_PAGES)


def render_letter(page: LetterPage, theme: str | None = None) -> bytes:
    """A cover letter as a PDF under the CV's own header, in the CV's theme: A4, on one page
    when it can be."""
    look = theme_named(theme)
    return _fit(LETTER_TEMPLATE, "letter", letter_json(page), look, LETTER_SIZES, LETTER_MAX_PAGES)


def body_sizes(theme: Theme) -> tuple[float, ...]:
    """The sizes a CV in `theme` is tried at: BODY_SIZES from the theme's own size down (the
    smallest alone when the theme's is smaller still)."""
    return tuple(size for size in BODY_SIZES if size <= theme.body_size) or BODY_SIZES[-1:]


def letter_json(page: LetterPage) -> JSON:
    """The letter as letter.typ reads it: the header as the CV's, the paragraphs as runs."""
    return {
        "title": page.title,
        "author": page.name,
        **_header(page.name, page.label, page.contacts),
        "greeting": page.greeting,
        "paragraphs": [_runs(paragraph) for paragraph in page.paragraphs],
        "closing": page.closing,
        "signature": page.signature,
    }


def _fit(
    template: Path,
    key: str,
    document: JSON,
    theme: Theme,
    sizes: Sequence[float],
    max_pages: int,
) -> bytes:
    """The document typeset at the first of `sizes` that keeps it to `max_pages` (the last
    size when none does)."""
    import typst

    # One compiler for every size tried: it reuses its layout cache.
    compiler = typst.Compiler(template, root=template.parent, font_paths=_fonts())
    pdf = b""
    for size in sizes:
        pdf, pages = _typeset(compiler, key, {**document, "style": _style(theme, size)})
        if pages <= max_pages:
            break
    return pdf


@functools.cache
def _fonts() -> typst.Fonts:
    """The themes' fonts, Typst's own and the system's (for glyphs the first lack), loaded
    once a process."""
    import typst

    return typst.Fonts(font_paths=list(font_folders()))


def to_json(document: Document) -> JSON:
    """The document as the template reads it: headings joined, text split into linked runs."""
    name = document.name
    return {
        "title": f"{name} — CV" if name else "CV",
        "author": name,
        **_header(name, document.label, document.contacts),
        "sections": [_section(section) for section in document.sections],
    }


def _header(name: str, label: str | None, contacts: list[Contact]) -> JSON:
    """The header as common.typ's `header` reads it, a CV's and a letter's alike."""
    return {
        "name": name,
        "label": label,
        "contacts": [{"text": c.text, "url": c.url} for c in contacts],
    }


def _section(section: Section) -> JSON:
    return {
        "title": section.title,
        "paragraph": _runs(section.paragraph),
        "entries": [_entry(entry) for entry in section.entries],
        "items": [_item(item) for item in section.items],
        "rows": section.rows,
    }


def _entry(entry: Entry) -> JSON:
    return {
        "head": [_head_line(line) for line in entry_head(entry)],
        "lines": [_runs(line) for line in entry.lines],
        "bullets": [_runs(bullet) for bullet in entry.bullets],
    }


def _head_line(line: HeadLine) -> JSON:
    return {"text": line.text, "right": line.right, "strong": line.strong, "url": line.url}


def _item(item: Item) -> JSON:
    text, right = item.columns or (item.text, None)
    # a row too long to set its dates flush right shows its whole text, the dates unbroken
    before, _, after = item.text.partition(right) if right else (item.text, "", "")
    return {
        "label": item.label,
        "joiner": item.joiner,
        "text": _runs(text),
        "right": right,
        "before": _runs(before),
        "after": _runs(after),
    }


def _runs(text: str | None) -> list[JSON]:
    """Text as runs of plain and linked text; no runs for no text."""
    return [{"text": s.text, "url": s.url} for s in segments(text or "")]


def _style(theme: Theme, body_size: float) -> JSON:
    """The page and the look, as common.typ's `setup` reads them."""
    return {
        "paper": PAPER,
        "margin-cm": theme.margin_cm,
        "body-size": body_size,
        "font": theme.font,
        "serif": theme.serif,
        "accent": theme.accent,
        "coloured": theme.coloured,
        "spacing": theme.spacing,
        "theme": theme.name,
    }


def _typeset(compiler: typst.Compiler, key: str, document: JSON) -> tuple[bytes, int]:
    """The PDF and its number of pages, read back from the template's page-count label;
    the template reads the document from `sys.inputs[key]`."""
    import typst

    try:
        pdf = compiler.compile(sys_inputs={key: json.dumps(document)}, timestamp=TIMESTAMP)
        pages = compiler.query(PAGES_LABEL, field="value", one=True)
    except typst.TypstError as error:
        raise RuntimeError(f"the PDF template failed: {error.message}") from error
    if not isinstance(pdf, bytes):
        raise RuntimeError("Typst returned no PDF")
    return pdf, int(json.loads(pages))
