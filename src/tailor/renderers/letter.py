"""A cover letter on the page: the CV's own header (name, label, contacts), then the letter.

A letter goes out beside the CV, so it wears the same header in every format. The letter's
words are given whole (`LetterPage`); the renderers decide only how they look. Each format is
the `render_letter(page, theme) -> bytes` of the format's module, beside its `render` of a CV, so the
two share their header; plain text is here.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from tailor.cv.layout import Contact
from tailor.renderers import renderer_for
from tailor.renderers.themes import theme_named

LETTER_FORMATS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
    ".pdf": "pdf",
}


@dataclass(frozen=True)
class LetterPage:
    """A letter as it is laid out: the CV's header, then the greeting, the paragraphs, the
    closing and the signature."""

    name: str
    label: str | None
    contacts: list[Contact]
    greeting: str
    paragraphs: list[str]
    closing: str
    signature: str
    title: str  # the document's title: HTML's <title>, the PDF's and DOCX's metadata


def letter_format(path: Path) -> str:
    """The renderer module for a letter's file name, from its extension (a .json letter is
    the `Letter` itself, written by `tailor.cover_letter`)."""
    return renderer_for(path, LETTER_FORMATS, "a letter format", also=".json")


def letter_bytes(page: LetterPage, suffix: str, theme: str | None = None) -> bytes:
    """The letter rendered in the format of a file extension (".md", ".pdf"...), in the theme
    called `theme` (None: the default), so that it matches the CV beside it; plain text has
    no look and only checks the name."""
    module = letter_format(Path(f"letter.{suffix.lstrip('.')}"))
    if module == "text":
        theme_named(theme)
        return to_text(page).encode("utf-8")
    renderer = import_module(f"tailor.renderers.{module}")
    data: bytes = renderer.render_letter(page, theme)
    return data


def to_text(page: LetterPage) -> str:
    """The letter as plain text: the header lines, then the letter, a blank line between."""
    header = [page.name] if page.name else []
    details = [page.label] if page.label else []
    details += [contact.text for contact in page.contacts]
    if details:
        header.append(" · ".join(details))
    blocks = ["\n".join(header)] if header else []
    blocks += [page.greeting, *page.paragraphs]
    blocks.append(f"{page.closing}\n{page.signature}" if page.signature else page.closing)
    return "\n\n".join(blocks) + "\n"
