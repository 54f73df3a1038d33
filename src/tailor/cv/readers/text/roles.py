"""Roles (work and volunteering): position, organisation, place and dates from an entry's
header, its date line and its place line."""

from __future__ import annotations

import dataclasses
import itertools
import re
from dataclasses import dataclass

from tailor.cv.model import CV, Volunteer, Work
from tailor.cv.readers.text.cells import Cells, carries_dates, split_cells
from tailor.cv.readers.text.contacts import without_link
from tailor.cv.readers.text.dates import split_dates
from tailor.cv.readers.text.entries import (
    Entry,
    entry_bullets,
    is_date_line,
    open_range,
    role_header,
    split_entries,
)
from tailor.cv.readers.text.markdown import strip_markdown
from tailor.cv.readers.text.source import Section
from tailor.cv.readers.text.vocabulary import (
    LEGAL_FORM,
    TITLE_WORDS,
    is_place,
    looks_like_place,
    split_parts,
)


def _position_and_company(parts: list[str]) -> tuple[str | None, str | None, str | None]:
    """Pick which parts of a role header are the position, company and place."""
    if not parts:
        return None, None, None
    position_index = next((i for i, p in enumerate(parts) if TITLE_WORDS.search(p)), 0)
    position = parts[position_index]
    others = [p for i, p in enumerate(parts) if i != position_index]
    company = others[0] if others else None
    place = ", ".join(others[1:]) or None
    return position, company, place


@dataclass(frozen=True)
class _Role:
    position: str | None
    organisation: str | None
    place: str | None
    start: str | None
    end: str | None
    summary: str | None
    url: str | None = None  # where the title or employer links to, in a PDF or DOCX


def _role(entry: Entry) -> _Role:
    """Position, organisation, place and dates from a role's header (one line or several,
    split into cells at wide gaps and bars), its date line and its place line."""
    date_lines = [d for d in entry.details if is_date_line(d)]
    details = [d for d in entry.details if d not in date_lines]
    cells = split_cells([strip_markdown(line) for line in (entry.header or "").split("\n")])
    start, end, places = cells.start, cells.end, list(cells.places)
    if date_lines:
        date_rest, line_start, line_end = split_dates(strip_markdown(date_lines[0]))
        if start is None and end is None:
            start, end = line_start, line_end
        if date_rest and _names_title_only(cells) and not is_place(date_rest):
            cells.texts.append(date_rest)  # "Software Consultant" / "TNG   Dec 2024 – present"
        elif date_rest:
            places.append(date_rest)
    if len(cells.texts) >= 2:
        position, organisation, extra = _position_cell(cells)
        details = [*extra, *details]
        title, at, employer = (position or "").partition(" at ")
        if at and TITLE_WORDS.search(title) and organisation and looks_like_place(organisation):
            # "Developer at Tokenized" / "Melbourne": the employer is in the title's cell
            position, organisation, places = title, employer, [organisation, *places]
        if organisation and not places and (found := _trailing_place(organisation)):
            organisation, places = found  # "ACME CORPORATION, London"
    else:  # one cell: "Position — Company", "Position, Company, Place", "Position at Company"
        position, organisation, place = _one_cell_role(" ".join(cells.texts), bool(places))
        places = [place, *places] if place else places
    place = ", ".join(places) or None
    if (
        details
        and place is None
        and (
            is_place(details[0]) or (len(details[0].split()) <= 2 and looks_like_place(details[0]))
        )
    ):
        place = details.pop(0)  # "Austin, TX" or "Lisbon" on the line under the header
    if start and end is None and not open_range(entry):
        end = start  # "2015" alone is when the role was, not a start with no end
    position, title_url = without_link(position)
    organisation, employer_url = without_link(organisation)
    return _Role(
        position,
        organisation,
        place,
        start,
        end,
        " ".join(details) or None,
        employer_url or title_url,
    )


def _names_title_only(cells: Cells) -> bool:
    """Whether a header is a job title alone, so the line under it names the employer."""
    return (
        len(cells.texts) == 1
        and bool(TITLE_WORDS.search(cells.texts[0]))
        and len(split_parts(cells.texts[0])) == 1
    )


def _trailing_place(text: str) -> tuple[str, list[str]] | None:
    """ "Acme Corp, Boston" as the organisation and its place, when its last part is one."""
    name, separator, place = text.rpartition(", ")
    legal_form = re.fullmatch(rf"{LEGAL_FORM}\.?", place) is not None  # "Omnious. Co., Ltd."
    if (
        separator
        and name
        and looks_like_place(place)
        and len(place.split()) <= 3
        and not legal_form
    ):
        return name, [place]
    return None


def _one_cell_role(text: str, placed: bool) -> tuple[str | None, str | None, str | None]:
    """Position, organisation and place of a header written in one cell. Around an em dash
    (as tailor writes "Position — Company") each side is whole, commas and all: "Researcher
    — Lab of Vision, Pohang Institute"; a short place may end the organisation's side unless
    the role's place is `placed` elsewhere (on its date line)."""
    sides = text.split(" — ")
    if len(sides) != 2 or not all(side.strip() for side in sides):
        return _position_and_company(split_parts(text))
    first, second = (side.strip() for side in sides)
    position, organisation = (
        (second, first)
        if TITLE_WORDS.search(second) and not TITLE_WORDS.search(first)
        else (first, second)
    )
    found = None if placed else _trailing_place(organisation)
    if found is None:
        return position, organisation, None
    name, places = found
    return position, name, places[0]


def _position_cell(cells: Cells) -> tuple[str | None, str | None, list[str]]:
    """The position, the organisation and any other cells: the position is the cell with a
    job title's words (else the one on the dates' line), the organisation the next one."""
    texts = cells.texts
    titled = [i for i, text in enumerate(texts) if TITLE_WORDS.search(text)]
    if len(titled) == 1:
        position = titled[0]
    elif cells.dated is not None:
        position = cells.dated
    else:
        position = titled[0] if titled else 0
    others = [text for i, text in enumerate(texts) if i != position]
    return texts[position], others[0] if others else None, others[1:]


def _roles(entries: list[Entry]) -> list[tuple[Entry, _Role]]:
    """Each entry with its role. An employer's heading over deeper headings of roles
    ("### IBM" / "#### Senior Engineer") is not a role itself: it lends them its name, place
    and dates where they have none, and its lines go to the first of them."""
    roles: list[tuple[Entry, _Role]] = []
    parent: tuple[int, _Role] | None = None
    for entry, following in itertools.zip_longest(entries, entries[1:]):
        role = _role(entry)
        level = entry.level or 0
        if parent is not None and (
            level < parent[0] or (level == parent[0] and entry.bullets == [])
        ):
            parent = None
        if level and not entry.bullets and following and _heads_roles(entry, following):
            name = " ".join(split_cells([strip_markdown(entry.header or "")]).texts)
            parent = (level, dataclasses.replace(role, organisation=name or role.organisation))
            continue
        if parent is not None:
            role = _within(role, parent[1])
            parent = (parent[0], dataclasses.replace(parent[1], summary=None))
        roles.append((entry, role))
    return roles


def _heads_roles(entry: Entry, following: Entry) -> bool:
    """Whether an entry's heading is an employer's over the next heading's role: deeper, or
    at its level when the employer's has no job title and the role's does."""
    level, next_level = entry.level or 0, following.level or 0
    if next_level > level:
        return True
    return (
        next_level == level
        and not TITLE_WORDS.search(entry.header or "")
        and bool(TITLE_WORDS.search(following.header or ""))
        and not carries_dates(following.header or "")
    )


def _within(role: _Role, employer: _Role) -> _Role:
    """A role under an employer's heading, with the employer's name, place and dates."""
    name = employer.organisation or employer.position
    undated = role.start is None and role.end is None
    return _Role(
        position=role.position,
        organisation=role.organisation or name,
        place=role.place or employer.place,
        start=employer.start if undated else role.start,
        end=employer.end if undated else role.end,
        summary=" ".join(filter(None, [employer.summary, role.summary])) or None,
    )


def fill_work(cv: CV, section: Section) -> None:
    entries = split_entries(section, role_header, multi_line_headers=True, indented_items=True)
    for entry, role in _roles(entries):
        cv.work.append(
            Work(
                name=role.organisation,
                position=role.position,
                url=role.url,
                location=role.place,
                start_date=role.start,
                end_date=role.end,
                summary=role.summary,
                highlights=entry_bullets(entry, section),
            )
        )


def fill_volunteer(cv: CV, section: Section) -> None:
    entries = split_entries(section, role_header, multi_line_headers=True, indented_items=True)
    for entry, role in _roles(entries):
        cv.volunteer.append(
            Volunteer(
                organization=role.organisation,
                position=role.position,
                url=role.url,
                location=role.place,
                start_date=role.start,
                end_date=role.end,
                summary=role.summary,
                highlights=entry_bullets(entry, section),
            )
        )
