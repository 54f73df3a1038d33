"""The entries of a section (a role, a project, a degree): a header line, detail lines and
bullets, with wrapped lines joined."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from tailor.cv.model import Bullet, Source
from tailor.cv.patterns import DATE_RANGE
from tailor.cv.readers.sections import ROLE_SUBHEADINGS, normalise_title
from tailor.cv.readers.text.cells import carries_dates, without_column
from tailor.cv.readers.text.dates import split_dates
from tailor.cv.readers.text.markdown import MD_HEADING, strip_heading, strip_markdown
from tailor.cv.readers.text.source import BULLET, Section, SourceLine, join_wrapped
from tailor.cv.readers.text.vocabulary import (
    DEGREE,
    INSTITUTION,
    SEPARATORS,
    TITLE_WORDS,
    is_place,
    looks_like_place,
    split_parts,
)

_HeaderTest = Callable[[SourceLine, list[SourceLine], str, "Entry | None"], bool]


@dataclass
class Entry:
    header: str | None
    details: list[str] = field(default_factory=list)  # non-bullet lines under the header
    bullets: list[SourceLine] = field(default_factory=list)
    level: int | None = None  # the Markdown heading level of the header, if it is one
    indent: int = 0  # the header's


def split_entries(
    section: Section,
    is_header: _HeaderTest,
    *,
    multi_line_headers: bool = False,
    indented_items: bool = False,
) -> list[Entry]:
    """Group a section's lines into entries: a header line, detail lines and bullets.

    `is_header(line, upcoming, previous, entry)` decides whether a non-bullet line opens an
    entry, given the next two non-empty lines, what came before it ("start", "blank",
    "bullet", "header" or "detail") and the entry it would otherwise join. With
    `multi_line_headers`, short lines right under a header complete it (a role written as
    Title / Company / dates). With `indented_items`, lines indented under a header in a
    text file are its bullets, written without marks (as academic CVs list a role's work).
    """
    entries: list[Entry] = []
    previous = "start"
    unmarked = False  # the last bullet is an indented line without a mark
    uses_headings = any(MD_HEADING.match(line.text.strip()) for line in section.lines)
    content = [line for line in section.lines if line.text.strip()]
    position = {id(line): index for index, line in enumerate(content)}
    for line in section.lines:
        text = line.text.strip()
        if not text:
            previous = "blank" if previous != "start" else previous
            continue
        if normalise_title(text) in ROLE_SUBHEADINGS:
            continue  # "Key achievements:" only heads the bullets that follow
        at = position[id(line)]
        upcoming = content[at + 1 : at + 3]
        bullet = BULLET.match(line.text)
        if bullet:
            if not entries:
                entries.append(Entry(header=None))
            text, column = without_column(bullet["text"].strip())
            if column and entries[-1].header is not None and not entries[-1].bullets:
                # the dates or place of the entry, set in a right-hand column beside its
                # first bullet: they belong to its header
                entries[-1].header += f"\n   {column}"
            elif column:
                text = bullet["text"].strip()
            entries[-1].bullets.append(SourceLine(line.number, text, line.indent))
            previous, unmarked = "bullet", False
        elif (
            previous == "bullet"
            and not unmarked
            and _continues_bullet(line, entries[-1].bullets[-1], markdown=section.markdown)
            and not _starts_role(line, upcoming)
        ):
            last = entries[-1].bullets[-1]
            last.text = join_wrapped(last.text, text)
        elif entries and not entries[-1].bullets and is_date_line(line.text):
            entries[-1].details.append(text)
            previous = "detail"
        elif (
            multi_line_headers
            and previous in ("header", "blank")
            and entries
            and _continues_header(line, entries[-1])
        ):
            entries[-1].header = f"{entries[-1].header}\n{strip_heading(text)}"
        elif indented_items and not section.markdown and _is_unmarked_item(line, entries):
            items = entries[-1].bullets
            if unmarked and previous == "bullet" and _continues_item(line, items[-1]):
                items[-1].text = join_wrapped(items[-1].text, text)
            else:
                items.append(SourceLine(line.number, text, line.indent))
            previous, unmarked = "bullet", True
        elif not entries or (
            is_header(line, upcoming, previous, entries[-1])
            and (not uses_headings or _opens_entry_beside_headings(text, previous))
        ):
            heading = MD_HEADING.match(line.text.strip())
            level = len(heading["hashes"]) if heading else None
            entries.append(Entry(header=strip_heading(line.text), level=level, indent=line.indent))
            previous = "header"
        else:
            entries[-1].details.append(text)
            previous = "detail"
    return entries


def _is_unmarked_item(line: SourceLine, entries: list[Entry]) -> bool:
    """Whether a line is an item of the role above written without a mark: indented under its
    header, and no date line or place ("Amsterdam, NL" under the header is where it was)."""
    if not entries or entries[-1].header is None or line.indent <= entries[-1].indent:
        return False
    text = line.text.strip()
    return not (is_date_line(text) or is_place(text) or looks_like_place(text))


def _continues_item(line: SourceLine, item: SourceLine) -> bool:
    """Whether an indented line goes on with the unmarked item above it: it starts in lower
    case, is indented deeper, or the item broke after a joining word ("evaluation suites for")."""
    text = line.text.strip()
    return text[0].islower() or line.indent > item.indent or bool(CONNECTOR.search(item.text))


# a role's header is its title, employer, dates and place at most: a longer run of short lines
# is something else (and joining thousands of them into one header took minutes)
HEADER_LINES = 4


def _continues_header(line: SourceLine, entry: Entry) -> bool:
    """A short line right under a role's first line completes it: Title / Company / dates, or
    a dated title followed by its company and place."""
    text = line.text.strip()
    header = entry.header or ""
    if entry.details or entry.bullets or MD_HEADING.match(text):
        return False
    if header.count("\n") + 1 >= HEADER_LINES:
        return False
    sentence = text.endswith((".", "!", "?")) and len(text.split()) > 4  # not "Yahoo!"
    if len(split_dates(text)[0]) >= 80 or sentence or text.endswith((",", ";")):
        return False  # a sentence, or the first line of a wrapped paragraph
    has_company = len(split_parts(split_dates(header)[0])) >= 2
    return not (DATE_RANGE.search(header) and has_company)


def _starts_role(line: SourceLine, upcoming: list[SourceLine]) -> bool:
    """A capitalised short line that names a role, with dates on it or just after it."""
    text = line.text.strip()
    if not text[:1].isupper() or len(text) > 100 or text.endswith((".", "!", "?")):
        return False
    dated_next = bool(upcoming) and is_date_line(upcoming[0].text)
    return bool(TITLE_WORDS.search(text)) and (dated_next or bool(SEPARATORS.search(text)))


def _opens_entry_beside_headings(text: str, previous: str) -> bool:
    """In a section whose entries are headings, a dated line after a gap still opens one."""
    if MD_HEADING.match(text):
        return True
    return previous in ("blank", "bullet") and DATE_RANGE.search(text) is not None


def is_date_line(text: str) -> bool:
    """A line holding dates and at most a place: `*Mar 2021 – Present · Berlin*`,
    `Berkeley, CA | 2015`."""
    if not carries_dates(strip_markdown(text)):
        return False
    rest, _, _ = split_dates(strip_markdown(text))
    place = len(rest.split()) <= 4 or looks_like_place(rest)  # "Seoul, S.Korea & LA, U.S.A"
    # "BSc Physics, Aldgate University, 2016 – 2019" is a degree of its own, not a date line
    degree = DEGREE.search(rest) or INSTITUTION.search(rest)
    return place and not TITLE_WORDS.search(rest) and not degree


def _continues_bullet(line: SourceLine, bullet: SourceLine, *, markdown: bool = False) -> bool:
    """Whether a line right under a bullet goes on with it: in Markdown always (a "lazy"
    continuation line), elsewhere when it is indented, starts in lower case, or the bullet
    has not ended its sentence."""
    text = line.text.strip()
    if MD_HEADING.match(text) or DATE_RANGE.search(text):
        return False
    return (
        markdown
        or line.indent > 0
        or text[0].islower()
        or not bullet.text.rstrip().endswith((".", "!", "?", ")"))
    )


def role_header(
    line: SourceLine, upcoming: list[SourceLine], previous: str, entry: Entry | None
) -> bool:
    """A role opens with a heading, a short dated line, or a short line whose next lines carry
    the dates. A paragraph is never a role's first line, whatever follows it."""
    text = line.text.strip()
    if MD_HEADING.match(text) or re.fullmatch(r"\*\*[^*]+\*\*:?|__[^_]+__:?", text):
        return True  # a heading, or a line all in bold
    if len(text) >= 160 or text.endswith((".", "!", "?")):
        return False
    if DATE_RANGE.search(text):
        return True
    short = len(text) < 100
    dated = [carries_dates(n.text) and not BULLET.match(n.text) for n in upcoming]
    if short and dated[:1] == [True]:
        # the first line of Title / Company + dates; not a line before a whole header
        # ("Developer at Acme   2019 – 2021" needs no line above it)
        return not _whole_header(upcoming[0].text)
    if short and dated[1:2] == [True] and len(upcoming[0].text.strip()) < 80:
        return previous in ("start", "blank", "bullet")  # Title / Company / dates
    return short and bool(TITLE_WORDS.search(text)) and bool(SEPARATORS.search(text))


def _whole_header(text: str) -> bool:
    """A dated line that names a role and its employer by itself."""
    rest = split_dates(text)[0]
    return bool(TITLE_WORDS.search(rest)) and len(split_parts(rest)) >= 2


def named_header(
    line: SourceLine, upcoming: list[SourceLine], previous: str, entry: Entry | None
) -> bool:
    """A project or degree opens with a heading, or a short line after a gap or a bullet list."""
    text = line.text.strip()
    return bool(MD_HEADING.match(text)) or (previous in ("blank", "bullet") and len(text) < 120)


def bullet_of(line: SourceLine, section: Section) -> Bullet:
    return Bullet(text=line.text, source=Source(section=section.title, line=line.number))


def entry_bullets(entry: Entry, section: Section) -> list[Bullet]:
    return [bullet_of(line, section) for line in entry.bullets]


def open_range(entry: Entry) -> bool:
    """Whether the entry's dates are a range (ended or open: "2019 – Present")."""
    return any(DATE_RANGE.search(text) for text in [entry.header or "", *entry.details])


CONNECTOR = re.compile(r"(?:\b(?:of|and|in|for|the|at|to|on|with)|[&,(-])$", re.IGNORECASE)
