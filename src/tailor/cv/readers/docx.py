"""Text from a DOCX CV, as Markdown the text parser reads: headings, bullets and lines.

Word's structure is kept where it says something about the CV: heading styles become `#`
headings, list paragraphs become `-` bullets, and tables are read row by row. The page header
(where many templates put the name and contact line) comes first, and content controls
(`w:sdt`, which Word's CV templates wrap around most fields) and text boxes are read through.
"""

from __future__ import annotations

import collections
import functools
import io
import itertools
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from tailor import limits
from tailor.cv.links import shows_address
from tailor.errors import UserError

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph

_HEADING = re.compile(r"Heading (\d+)")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the legacy binary .doc format
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_MAX_STYLE_DEPTH = 10  # a style's base-style chain is short; this guards against a cycle


@dataclass(frozen=True)
class _Block:
    kind: Literal["heading", "item", "text"]
    text: str


def extract_text(data: bytes) -> str:
    """Read a DOCX CV as Markdown-ish text: `#` headings, `-` bullets, plain lines.

    Raises UserError for a file that is not a readable DOCX.
    """
    blocks = _read_blocks(data)
    if not blocks:
        raise UserError("DOCX has no text")
    parts = [blocks[0].text]
    for previous, block in itertools.pairwise(blocks):
        # List items stay together; everything else is its own Markdown paragraph.
        parts.append("\n" if previous.kind == block.kind == "item" else "\n\n")
        parts.append(block.text)
    return "".join(parts)


def _read_blocks(data: bytes) -> list[_Block]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if data.startswith(_OLE_MAGIC):
        raise UserError("could not read DOCX: this is an old binary .doc file; save it as .docx")
    _check_package(data)
    try:
        document = docx.Document(io.BytesIO(data))
        # python-docx looks a paragraph's or run's style up anew each time, scanning every
        # style: 5 ms a paragraph with Word's 160 styles, minutes for a long document
        part = document.part
        part.get_style = functools.cache(part.get_style)  # type: ignore[method-assign]
        _check_elements(document)
        return list(_document_blocks(document))
    except (PackageNotFoundError, zipfile.BadZipFile):
        raise UserError("could not read DOCX: it is not a zip archive") from None
    except UserError:
        raise
    # A damaged package fails anywhere in zipfile, lxml or python-docx, with many error types.
    except Exception as exc:
        raise UserError(f"could not read DOCX: {_reason(exc)}") from exc


def _check_package(data: bytes) -> None:
    """Refuse a DOCX whose parts would unpack past the limits, before any is unpacked: the
    sizes a zip declares are the most Python's zipfile will unpack of each part."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = package.infolist()
    except zipfile.BadZipFile:
        raise UserError("could not read DOCX: it is not a zip archive") from None
    if len(parts) > limits.DOCX_PARTS:
        raise UserError(f"the DOCX holds {len(parts):,} files; the limit is {limits.DOCX_PARTS:,}")
    for part in parts:
        xml = part.filename.lower().endswith((".xml", ".rels"))
        limit = limits.DOCX_XML_BYTES if xml else limits.DOCX_PART_BYTES
        if part.file_size > limit:
            raise UserError(
                f"the DOCX's {part.filename} unpacks to {part.file_size / limits.MIB:,.0f} MB; "
                f"the limit is {limit // limits.MIB} MB for {'an XML' if xml else 'a'} part"
            )
    total = sum(part.file_size for part in parts)
    if total > limits.DOCX_TOTAL_BYTES:
        raise UserError(
            f"the DOCX unpacks to {total / limits.MIB:,.0f} MB; "
            f"the limit is {limits.DOCX_TOTAL_BYTES // limits.MIB} MB"
        )


def _check_elements(document: Document) -> None:
    """Refuse a document of more paragraphs or runs than the limits, counted in the XML before
    any is read: python-docx takes about 15 µs a run and 100 µs a paragraph."""
    from docx.oxml.ns import qn

    paragraph, run = qn("w:p"), qn("w:r")
    counts = collections.Counter(
        element.tag for element in document.element.body.iter(paragraph, run)
    )
    for tag, limit, what in (
        (paragraph, limits.DOCX_PARAGRAPHS, "paragraphs"),
        (run, limits.DOCX_RUNS, "runs of text"),
    ):
        if counts[tag] > limit:
            raise UserError(f"the DOCX has {counts[tag]:,} {what}; the limit is {limit:,}")


def _reason(exc: Exception) -> str:
    lines = str(exc).strip().strip('"').splitlines()  # a KeyError's message comes quoted
    return (lines[0] if lines else "")[:100] or type(exc).__name__


def _document_blocks(document: Document) -> Iterator[_Block]:
    """The first page's header blocks, the body's in document order, then the text boxes'.

    Text boxes (sidebars, in Word's CV templates) float beside the text they are anchored in,
    so they are read after the main flow rather than in the middle of it.
    """
    boxes: list[Any] = []
    if len(document.sections):
        section = document.sections[0]
        first = section.different_first_page_header_footer
        header = section.first_page_header if first else section.header
        if not header.is_linked_to_previous:
            yield from _container_blocks(header._element, header, boxes)
    yield from _container_blocks(document.element.body, document._body, boxes)
    for box in boxes:  # a box found inside a box is appended, and read in turn
        yield from _container_blocks(box, document._body, boxes)


def _container_blocks(element: Any, parent: Any, boxes: list[Any]) -> Iterator[_Block]:
    """Blocks of the paragraphs and tables under an XML element, including content controls;
    the text boxes met on the way are added to `boxes`.

    python-docx's own `iter_inner_content` skips content controls, so the XML is walked here.
    """
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in element.iterchildren():
        if child.tag == qn("w:p"):
            yield from _paragraph_blocks(Paragraph(child, parent))
            boxes.extend(_text_boxes(child))
        elif child.tag == qn("w:tbl"):
            yield from _table_blocks(Table(child, parent), boxes)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _container_blocks(content, parent, boxes)


def _text_boxes(paragraph: Any) -> Iterator[Any]:
    """The text boxes anchored in a paragraph (Word templates put sidebars in them), each once.

    Word writes a text box twice, as DrawingML and as a VML fallback (`mc:Fallback`); only
    the first is read. Boxes nested in a box are read with their parent box.
    """
    from docx.oxml.ns import qn

    skip = {_MC_FALLBACK, qn("w:txbxContent")}
    for box in paragraph.iter(qn("w:txbxContent")):
        between = itertools.takewhile(lambda node: node is not paragraph, box.iterancestors())
        if not any(node.tag in skip for node in between):
            yield box


def _table_blocks(table: Any, boxes: list[Any]) -> Iterator[_Block]:
    """Each cell's blocks, row by row; a merged cell is read once."""
    seen: set[Any] = set()  # the cells' XML elements; holding them keeps their identity stable
    for row in table.rows:
        for cell in row.cells:
            if cell._tc not in seen:
                seen.add(cell._tc)
                yield from _container_blocks(cell._tc, cell, boxes)


def _paragraph_blocks(paragraph: Paragraph) -> Iterator[_Block]:
    """A paragraph as one heading or bullet, or as plain lines (one per line break)."""
    # a tab separates parts of a line (title, dates); it reads as three spaces, like in a PDF
    lines = [
        "   ".join(" ".join(part.split()) for part in line.split("\t") if part.strip())
        for line in _text_with_link_targets(paragraph).split("\n")
    ]
    lines = [line for line in lines if line]
    if not lines:
        return
    styles = _style_names(paragraph)
    level = _heading_level(styles)
    if level:
        yield _Block("heading", "#" * level + " " + " ".join(lines))
    elif _is_list(paragraph, styles):
        yield _Block("item", "- " + " ".join(lines))
    elif len(lines) == 1 and _all_bold(paragraph):
        yield _Block("text", f"**{lines[0]}**")  # a line in bold heads an entry, as in Markdown
    else:
        yield _Block("text", "\n".join(lines))


def _text_with_link_targets(paragraph: Paragraph) -> str:
    """The paragraph's text, with each hyperlink's address after its label ("GitHub (https://...)")
    unless the label already shows it: the address is what a reader of the CV follows."""
    from docx.text.hyperlink import Hyperlink

    parts = []
    for item in paragraph.iter_inner_content():
        text = item.text
        url = item.url if isinstance(item, Hyperlink) else ""
        if url.startswith(("http://", "https://")) and not shows_address(text, url):
            text = f"{text} ({url})"
        parts.append(text)
    return "".join(parts)


def _all_bold(paragraph: Paragraph) -> bool:
    """Whether every run with text is bold (set on the run, its character style or the
    paragraph's style)."""
    runs = [run for run in paragraph.runs if run.text.strip()]
    style_bold = bool(paragraph.style is not None and paragraph.style.font.bold)

    def bold(run: Any) -> bool:
        if run.bold is not None:
            return bool(run.bold)
        return bool(run.style is not None and run.style.font.bold) or style_bold

    return bool(runs) and all(bold(run) for run in runs)


def _style_names(paragraph: Paragraph) -> list[str]:
    """The paragraph's style name and those it is based on, nearest first."""
    names: list[str] = []
    style = paragraph.style
    while style is not None and len(names) < _MAX_STYLE_DEPTH:
        names.append(style.name or "")
        style = style.base_style
    return names


def _heading_level(styles: list[str]) -> int:
    """1-6 for Title and Heading N styles (as Markdown has them), 0 for anything else."""
    for name in styles:
        if name == "Title":
            return 1
        match = _HEADING.fullmatch(name)
        if match:
            return min(int(match.group(1)), 6)
    return 0


def _is_list(paragraph: Paragraph, styles: list[str]) -> bool:
    properties = paragraph._p.pPr
    numbered = properties is not None and properties.numPr is not None
    return numbered or any("List" in name for name in styles)
