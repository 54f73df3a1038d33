"""Markdown output, in the layout tailor's own reader reads back to the same CV.

A cover letter (`render_letter`) wears the CV's header: the same `_header` writes both.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tailor.cv.layout import (
    Contact,
    Entry,
    Item,
    Section,
    entry_details,
    entry_heading,
    entry_lines,
    layout,
    segments,
)
from tailor.cv.model import CV
from tailor.renderers.themes import theme_named

if TYPE_CHECKING:
    from tailor.renderers.letter import LetterPage


def render(cv: CV, section_order: Sequence[str] | None = None, theme: str | None = None) -> bytes:
    """The CV as Markdown (UTF-8). Markdown has no look of its own: `theme` is checked, then
    ignored."""
    theme_named(theme)
    return to_markdown(cv, section_order).encode("utf-8")


def to_markdown(cv: CV, section_order: Sequence[str] | None = None) -> str:
    """The CV as Markdown text: `#` name, `##` sections, `### Position — Company` roles."""
    document = layout(cv, section_order)
    blocks = _header(document.name, document.label, document.contacts)
    for section in document.sections:
        blocks.extend(_section(section))
    return "\n\n".join(blocks) + "\n"


def render_letter(page: LetterPage, theme: str | None = None) -> bytes:
    """A cover letter as Markdown (UTF-8): the CV's header, then the letter's paragraphs.
    Markdown has no look of its own: `theme` is checked, then ignored."""
    theme_named(theme)
    blocks = _header(page.name, page.label, page.contacts)
    if page.greeting:
        blocks.append(inline(page.greeting))
    blocks.extend(inline(paragraph) for paragraph in page.paragraphs)
    # a hard break (a backslash at the line's end) keeps the name under the closing
    signed = [inline(line) for line in (page.closing, page.signature) if line]
    if signed:
        blocks.append("\\\n".join(signed))
    return ("\n\n".join(blocks) + "\n").encode("utf-8")


def _header(name: str, label: str | None, contacts: list[Contact]) -> list[str]:
    """`# Name`, then the label and the contacts on one line."""
    blocks = [f"# {name}"] if name else []
    details = [label] if label else []
    details += [_contact(contact) for contact in contacts]
    if details:
        blocks.append(" · ".join(details))
    return blocks


def _section(section: Section) -> list[str]:
    blocks = [f"## {section.title}"]
    if section.paragraph:
        blocks.append(inline(section.paragraph))
    for entry in section.entries:
        blocks.extend(_entry(entry))
    if section.items:
        blocks.append("\n".join(f"- {_item(item)}" for item in section.items))
    return blocks


def _entry(entry: Entry) -> list[str]:
    heading = entry_heading(entry)
    blocks = [f"### {heading}"] if heading else []
    if details := entry_details(entry):
        blocks.append(f"*{details}*")
    blocks.extend(inline(line) for line in entry_lines(entry))
    if entry.bullets:
        blocks.append("\n".join(f"- {inline(bullet)}" for bullet in entry.bullets))
    return blocks


def _item(item: Item) -> str:
    if item.label is None:
        return inline(item.text)
    if not item.text:
        return f"**{item.label}**"
    return f"**{item.label}**{item.joiner}{inline(item.text)}"


def _contact(contact: Contact) -> str:
    if contact.url and not contact.url.startswith("mailto:"):
        return f"[{contact.text}]({contact.url})"
    return contact.text


def inline(text: str) -> str:
    """Text with its links written as Markdown links."""
    return "".join(
        f"[{segment.text}]({segment.url})"
        if segment.url and segment.url != segment.text
        else segment.text
        for segment in segments(text)
    )
