"""Word (.docx) output: Word's own heading, list and hyperlink styles on a compact A4 page.

Real styles, not look-alike formatting, are what screen readers, applicant tracking systems
and tailor's own DOCX reader see: the name is the Title, sections are Heading 1, roles and
projects Heading 2 (no level skipped), bullets are Word's "List Bullet" list. The built-in
styles are restyled in the theme's look (its font family, accent colour, body size, spacing
and margin, as the PDF has them), so a two-page CV stays about two pages.

An entry's header is two lines, as in the PDF: the organisation (Heading 2) with its place,
then the title in italics with its dates, each flush right at a right-aligned tab stop at the
text's width. Skills and education are "label: value" rows (Normal paragraphs, the label in
bold), not bullets. Word shows the theme's font when it has it and falls back otherwise.

A cover letter (`render_letter`) has the CV's page, styles and header paragraphs, then the
letter as Normal paragraphs, spaced further apart.

The output is byte-for-byte reproducible: the metadata dates and the zip entries' dates are
fixed, so rendering the same CV twice gives the same file.
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from tailor.cv.layout import (
    Contact,
    Entry,
    HeadLine,
    Item,
    Section,
    entry_head,
    layout,
    segments,
)
from tailor.cv.model import CV
from tailor.renderers.themes import Theme, theme_named

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

    from tailor.renderers.letter import LetterPage

INK = "222222"  # headings: near black, not Word's default blue (a coloured theme's accent)
RULE = "888888"  # the thin line under section titles (a coloured theme's accent)
MUTED = "525252"  # the place and the dates, as the PDF and HTML set them
PAGE_WIDTH_MM = 210
LETTER_SPACING = 8  # points after each of a letter's paragraphs (a CV's lines have 2)
LETTER_LINE_SPACING = 1.15  # a letter is read as prose: its lines a little apart
LETTER_GAP = 16  # points between the header and a letter's greeting, and above its closing
# the metadata's created and modified dates, fixed so that the output is reproducible
FIXED_TIME = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
# The built-in styles' ids, set directly: python-docx finds a style by name by scanning all of
# styles.xml, which took two thirds of the render time.
TITLE, SUBTITLE, SECTION, ENTRY, BULLET = "Title", "Subtitle", "Heading1", "Heading2", "ListBullet"
# Characters XML 1.0 forbids (lxml refuses them): C0 controls but tab, newline and return,
# lone surrogates, and U+FFFE/U+FFFF. Vertical tab and form feed were line and page breaks.
_BREAKS = re.compile("[\x0b\x0c]")
_ILLEGAL_XML = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def render(cv: CV, section_order: Sequence[str] | None = None, theme: str | None = None) -> bytes:
    """The CV as a Word document (.docx bytes) in the theme called `theme` (None: the
    default)."""
    look = theme_named(theme)
    document = layout(cv, section_order)
    name = document.name
    word = _new_document(name, f"{name} — CV" if name else "CV", look)
    _header(word, name, document.label, document.contacts)
    for section in document.sections:
        _section(word, section, look)
    return _save(word)


def render_letter(page: LetterPage, theme: str | None = None) -> bytes:
    """A cover letter as a Word document (.docx bytes), under the CV's own header, in the
    CV's theme."""
    word = _new_document(page.name, page.title, theme_named(theme))
    _header(word, page.name, page.label, page.contacts)
    body = [page.greeting, *page.paragraphs] if page.greeting else page.paragraphs
    for index, text in enumerate(body):
        _add_text(_letter_paragraph(word, gap=index == 0), text)
    if page.closing or page.signature:
        paragraph = _letter_paragraph(word, gap=True)
        _add_text(paragraph, page.closing)
        if page.closing and page.signature:
            paragraph.add_run().add_break()
        _add_text(paragraph, page.signature)
    return _save(word)


def xml_safe(text: str) -> str:
    """Text without the characters XML cannot hold; vertical tabs and form feeds become spaces.

    A CV pasted from Word or a PDF can carry them, and one of them would stop the document
    from being written at all.
    """
    return _ILLEGAL_XML.sub("", _BREAKS.sub(" ", text))


def add_hyperlink(paragraph: Paragraph, text: str, url: str) -> Run:
    """Append a clickable link to `paragraph`, and return its run (to style it); python-docx
    has no API for making one."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rel_id = paragraph.part.relate_to(xml_safe(url), RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink", attrs={qn("r:id"): rel_id})
    run = paragraph.add_run(xml_safe(text))
    run._r.style = "Hyperlink"
    link.append(run._r)  # moves the run from the paragraph into the link
    paragraph._p.append(link)
    return run


# -- content ---------------------------------------------------------------------------------


def _new_document(name: str, title: str, theme: Theme) -> WordDocument:
    """An empty document with the theme's page and styles, and tailor's metadata."""
    import docx

    word = docx.Document()
    _set_up_page(word, theme)
    _set_up_styles(word, theme)
    _set_properties(word, name, title)
    _drop_thumbnail(word)
    return word


def _header(word: WordDocument, name: str, label: str | None, contacts: list[Contact]) -> None:
    """The name as the Title, the label as the Subtitle, the contacts on one line."""
    if name:
        _add_text(_paragraph(word, TITLE), name)
    if label:
        _add_text(_paragraph(word, SUBTITLE), label)
    if contacts:
        _contacts(_paragraph(word), contacts)


def _letter_paragraph(word: WordDocument, *, gap: bool = False) -> Paragraph:
    """A Normal paragraph spaced as prose; `gap`: set apart from what comes before it."""
    from docx.shared import Pt

    paragraph = _paragraph(word)
    spacing = paragraph.paragraph_format
    spacing.space_after = Pt(LETTER_SPACING)
    spacing.line_spacing = LETTER_LINE_SPACING
    if gap:
        spacing.space_before = Pt(LETTER_GAP)
    return paragraph


def _save(word: WordDocument) -> bytes:
    out = io.BytesIO()
    word.save(out)
    return _fixed_zip_dates(out.getvalue())


def _section(word: WordDocument, section: Section, theme: Theme) -> None:
    _add_text(_paragraph(word, SECTION), section.title)
    if section.paragraph:
        _add_text(_paragraph(word), section.paragraph)
    for entry in section.entries:
        _entry(word, entry, theme)
    for item in section.items:
        if section.rows:
            _row_item(_row(word, theme), item, theme)
        else:
            _item(_paragraph(word, BULLET), item)


def _entry(word: WordDocument, entry: Entry, theme: Theme) -> None:
    # an entry read from a plain list has no header
    for index, head in enumerate(entry_head(entry)):
        _head_line(_paragraph(word, ENTRY if head.strong else None), head, theme, index)
    for line in entry.lines:
        _add_text(_paragraph(word), line)
    for bullet in entry.bullets:
        _add_text(_paragraph(word, BULLET), bullet)


def _head_line(paragraph: Paragraph, line: HeadLine, theme: Theme, index: int) -> None:
    """One line of an entry's header: its text (the title in italics), then a tab to the
    right-aligned stop at the text's width, and the place or the dates."""
    from docx.shared import Pt

    _right_tab_stop(paragraph, theme)
    if index:  # the title's line sits close under the organisation's
        paragraph.paragraph_format.space_before = Pt(0)
    if line.text:
        run = (
            add_hyperlink(paragraph, line.text, line.url)
            if line.url
            else paragraph.add_run(xml_safe(line.text))
        )
        run.italic = not line.strong
    if line.right:
        _flush_right(paragraph, line.right)


def _row(word: WordDocument, theme: Theme) -> Paragraph:
    """A "label: value" row (skills, education): a Normal paragraph whose lines after the
    first hang under the label."""
    from docx.shared import Cm, Pt

    paragraph = _paragraph(word)
    spacing = paragraph.paragraph_format
    spacing.left_indent = Cm(0.35)
    spacing.first_line_indent = Cm(-0.35)
    spacing.space_after = Pt(3 * theme.spacing)
    return paragraph


def _row_item(paragraph: Paragraph, item: Item, theme: Theme) -> None:
    """A row; a degree's dates after a tab to the right-aligned stop, as an entry's are, when
    the row fits on one line beside them; a longer row is its whole text (as the PDF sets it)."""
    if item.columns is None:
        _item(paragraph, item)
        return
    text, right = item.columns
    if _width(f"{item.label or ''}{item.joiner}{text}  {right}") > _line_characters(theme):
        _item(paragraph, item)  # its whole text
        return
    _item(paragraph, Item(item.label, text))
    _right_tab_stop(paragraph, theme)
    _flush_right(paragraph, right)


def _right_tab_stop(paragraph: Paragraph, theme: Theme) -> None:
    """A right-aligned tab stop at the text's width, where the place or the dates stand."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Cm

    paragraph.paragraph_format.tab_stops.add_tab_stop(
        Cm(_text_width_cm(theme)), WD_TAB_ALIGNMENT.RIGHT
    )


def _flush_right(paragraph: Paragraph, text: str) -> None:
    """`text` after a tab to the right-aligned stop, plain and muted, as the PDF sets it."""
    from docx.shared import RGBColor

    run = paragraph.add_run("\t" + xml_safe(text))
    run.bold = False
    run.italic = False
    run.font.color.rgb = RGBColor.from_string(MUTED)


def _width(text: str) -> float:
    """A text's width in average characters: a capital or a figure is wider (about 0.6 em
    to the average 0.46), a wide East Asian character two."""
    return sum(
        2.0
        if unicodedata.east_asian_width(char) in "WF"
        else 1.3
        if char.isupper() or char.isdigit()
        else 1.0
        for char in text
    )


def _line_characters(theme: Theme) -> int:
    """About how many average characters a line of body text holds: Word cannot be asked,
    so an average character is taken as 0.46 em (the themes' faces set lower-case text at
    about that), less a twentieth to be safe."""
    em_cm = theme.body_size * 2.54 / 72
    return int(0.95 * _text_width_cm(theme) / (0.46 * em_cm))


def _text_width_cm(theme: Theme) -> float:
    return PAGE_WIDTH_MM / 10 - 2 * theme.margin_cm


def _paragraph(word: WordDocument, style_id: str | None = None) -> Paragraph:
    """A new paragraph at the end, in the style with this id (Normal when None)."""
    paragraph = word.add_paragraph()
    if style_id:
        paragraph._p.style = style_id
    return paragraph


def _item(paragraph: Paragraph, item: Item) -> None:
    """ "**Label:** text" or "**Label**, text", as the Markdown renderer writes it."""
    if item.label is not None:
        paragraph.add_run(xml_safe(item.label)).bold = True
        if item.joiner:
            paragraph.add_run(item.joiner)
    _add_text(paragraph, item.text)


def _contacts(paragraph: Paragraph, contacts: list[Contact]) -> None:
    for index, contact in enumerate(contacts):
        if index:
            paragraph.add_run(" · ")
        if contact.url:
            add_hyperlink(paragraph, contact.text, contact.url)
        else:
            paragraph.add_run(xml_safe(contact.text))


def _add_text(paragraph: Paragraph, text: str) -> None:
    """Append text to a paragraph, its links as clickable hyperlinks."""
    for segment in segments(xml_safe(text)):
        if segment.url:
            add_hyperlink(paragraph, segment.text, segment.url)
        else:
            paragraph.add_run(segment.text)


# -- page, styles and metadata ---------------------------------------------------------------


def _set_up_page(word: WordDocument, theme: Theme) -> None:
    """A4 with the theme's margins."""
    from docx.shared import Cm, Mm

    section = word.sections[0]
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(297)
    margin = Cm(theme.margin_cm)
    section.top_margin = section.bottom_margin = margin
    section.left_margin = section.right_margin = margin


def _set_up_styles(word: WordDocument, theme: Theme) -> None:
    """Restyle Word's built-in styles in the theme's look: its font, size and spacing, small
    headings (in its accent colour when it is `coloured`), links in its accent colour."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt, RGBColor

    styles = word.styles
    size, gap = theme.body_size, theme.spacing
    ink = theme.accent.lstrip("#") if theme.coloured else INK
    normal = styles["Normal"]
    _use_font(normal, theme.font)
    normal.font.size = Pt(size)
    _space(normal, before=0, after=2 * gap)
    normal.paragraph_format.line_spacing = 1.0
    _restyle(styles["Title"], theme, size=round(2 * size, 1), before=0, after=1, bold=True, ink=ink)
    _remove_child(styles["Title"].element.pPr, "w:pBdr")
    _restyle(styles["Subtitle"], theme, size=size + 1, before=0, after=1, bold=False, ink=MUTED)
    _restyle(
        styles["Heading 1"],
        theme,
        size=size + 0.5,
        before=11 * gap,
        after=4 * gap,
        bold=True,
        ink=ink,
    )
    styles["Heading 1"].font.all_caps = True
    _rule_below(styles["Heading 1"], ink if theme.coloured else RULE)
    _restyle(styles["Heading 2"], theme, size=size, before=7 * gap, after=1, bold=True, ink=INK)
    if theme.serif:
        for centred in ("Title", "Subtitle"):
            styles[centred].paragraph_format.alignment = 1  # WD_ALIGN_PARAGRAPH.CENTER
    bullets = styles["List Bullet"]
    _space(bullets, before=0, after=2 * gap)
    _remove_child(bullets.element.pPr, "w:contextualSpacing")  # keep the space between bullets
    link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER, builtin=True)
    link.font.color.rgb = RGBColor.from_string(theme.accent.lstrip("#"))
    link.font.underline = False


def _restyle(
    style: Any, theme: Theme, *, size: float, before: float, after: float, bold: bool, ink: str
) -> None:
    from docx.shared import Pt, RGBColor

    _use_font(style, theme.font)
    font = style.font
    font.size = Pt(size)
    font.bold = bold
    font.italic = False
    font.color.rgb = RGBColor.from_string(ink)
    _remove_child(style.element.rPr, "w:spacing")  # the Title's letter spacing
    _remove_child(style.element.rPr, "w:szCs")  # the large size kept for complex scripts
    _space(style, before=before, after=after)


def _space(style: Any, *, before: float, after: float) -> None:
    from docx.shared import Pt

    style.paragraph_format.space_before = Pt(before)
    style.paragraph_format.space_after = Pt(after)


def _use_font(style: Any, font: str) -> None:
    """Set the style's font by name; a theme font, as Word's styles use, would override it."""
    from docx.oxml.ns import qn

    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), font)


def _rule_below(style: Any, colour: str) -> None:
    """A thin line under every paragraph of the style (the section titles)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    border = OxmlElement("w:pBdr")
    attributes = {"w:val": "single", "w:sz": "4", "w:space": "1", "w:color": colour}
    border.append(OxmlElement("w:bottom", attrs={qn(k): v for k, v in attributes.items()}))
    # the schema orders a paragraph's properties: the border comes before the spacing
    style.element.get_or_add_pPr().get_or_add_spacing().addprevious(border)


def _remove_child(element: Any, tag: str) -> None:
    from docx.oxml.ns import qn

    if element is not None:
        for child in element.findall(qn(tag)):
            element.remove(child)


def _set_properties(word: WordDocument, name: str, title: str) -> None:
    """The user's own metadata, in place of python-docx's template's ("python-docx")."""
    properties = word.core_properties
    properties.title = xml_safe(title)
    properties.author = xml_safe(name)
    properties.last_modified_by = xml_safe(name)
    properties.comments = ""
    properties.created = properties.modified = FIXED_TIME
    properties.revision = 1


def _drop_thumbnail(word: WordDocument) -> None:
    """Remove the template's preview picture: a blank page that is not this CV."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    rels = word.part.package.rels
    for rel_id in [key for key, rel in rels.items() if rel.reltype == RELATIONSHIP_TYPE.THUMBNAIL]:
        del rels[rel_id]


def _fixed_zip_dates(data: bytes) -> bytes:
    """The same package with every zip entry dated alike (python-docx stamps the current time)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(entry.filename))
    return out.getvalue()
