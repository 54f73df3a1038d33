"""What tailor read of a CV, to check before trusting a critique or a rewrite of it.

`tailor read` shows it: the contacts, each section with its entries (roles with their dates
and every bullet), the text the reader could not place, and the signs of a misread
(`tailor.cv.checks`). The Markdown form is the CV itself, ready to correct and read again,
with the warnings and the unplaced text in comments the reader skips.
"""

from __future__ import annotations

import re
from typing import Any

from tailor.cv.layout import (
    Entry,
    Item,
    Section,
    entry_details,
    entry_heading,
    layout,
    place_text,
)
from tailor.cv.model import CV
from tailor.cv.readers.sections import kind_in
from tailor.renderers.markdown import to_markdown as cv_markdown
from tailor.wording import counted


def to_text(cv: CV) -> str:
    """The reading as a plain-text report."""
    document = layout(cv)
    lines = [_source_line(cv), ""]
    basics = cv.basics
    fields = [
        ("Name", basics.name),
        ("Label", basics.label),
        ("Email", basics.email),
        ("Phone", basics.phone),
        ("Location", place_text(basics.location)),
        ("Links", ", ".join(u for u in [basics.url, *(p.url for p in basics.profiles)] if u)),
    ]
    lines += [f"{name:<10}{value}" for name, value in fields if value]
    for section in document.sections:
        lines += ["", _section_heading(section)]
        lines += [f"  {line}" for entry in section.entries for line in _entry_lines(entry)]
        lines += [f"  {_item_text(item)}" for item in section.items]
        if section.paragraph:
            lines.append(f"  {section.paragraph}")
    lines += ["", *_notes(cv)]
    return "\n".join(lines).rstrip() + "\n"


def to_markdown(cv: CV) -> str:
    """The CV as Markdown (what tailor read, to correct and read again), the warnings and
    the text that could not be placed in comments at its top."""
    # no run of dashes in a note ends its comment early, whatever it quotes from the CV
    notes = [
        f"<!-- tailor read: {re.sub(r'-(?=-)', '- ', line.strip())} -->"
        for line in _notes(cv)
        if line.strip()
    ]
    return "\n".join([*notes, "", cv_markdown(cv)])


def to_json(cv: CV) -> dict[str, Any]:
    """The reading as data: the CV in JSON Resume's shape, where it came from, the sections
    as read, the text not placed and the warnings."""
    origin = cv.origin
    titles = origin.sections if origin else []
    return {
        "cv": cv.to_json_resume(),
        "source": {
            "path": origin.path if origin else None,
            "format": origin.format if origin else None,
            "pages": origin.pages if origin else None,
            "sections": [{"title": t, "kind": kind_in(origin, t)} for t in titles],
        },
        "unplaced": origin.unplaced if origin else [],
        "warnings": origin.warnings if origin else [],
    }


def _source_line(cv: CV) -> str:
    origin = cv.origin
    if origin is None:
        return "Read a CV given in memory"
    what = origin.format.upper() if origin.format in ("pdf", "docx") else origin.format
    pages = f", {counted(origin.pages, 'page')}" if origin.pages else ""
    return f"Read {origin.path or 'a CV'} ({what}{pages}), {len(origin.sections)} sections"


def _section_heading(section: Section) -> str:
    """ "Experience: 3 roles", "Talks: 2 lines, kept as they are"."""
    count = len(section.entries) or len(section.items)
    if not count:
        return section.title
    if section.kind in ("work", "volunteer"):
        return f"{section.title}: {counted(count, 'role')}"
    if section.kind == "additional":
        return f"{section.title}: {counted(count, 'line')}, kept as they are"
    return f"{section.title}: {counted(count, 'entry', 'entries')}"


def _entry_lines(entry: Entry) -> list[str]:
    head = " · ".join(p for p in (entry_heading(entry), entry_details(entry)) if p)
    return [head or "(no heading)", *(f"  {line}" for line in entry.lines)] + [
        f"  - {bullet}" for bullet in entry.bullets
    ]


def _item_text(item: Item) -> str:
    return f"{item.label or ''}{item.joiner}{item.text}" if item.label else item.text


def _notes(cv: CV) -> list[str]:
    origin = cv.origin
    unplaced = origin.unplaced if origin else []
    warnings = origin.warnings if origin else []
    lines: list[str] = []
    if unplaced:
        lines.append(f"Could not place ({len(unplaced)}): a rewrite leaves these out")
        lines += [f"  {text}" for text in unplaced]
    if warnings:
        lines.append(f"Warnings ({len(warnings)}): check these parts of the reading")
        lines += [f"  ! {warning}" for warning in warnings]
    else:
        lines.append("No signs of a misread.")
    return lines
