"""Degrees: school, degree and subject, dates, place and grade from an education entry's lines."""

from __future__ import annotations

import itertools
import re

from tailor.cv.model import CV, Education
from tailor.cv.patterns import DATE_RANGE
from tailor.cv.readers.text.cells import split_cells
from tailor.cv.readers.text.dates import split_dates
from tailor.cv.readers.text.entries import CONNECTOR, Entry, split_entries
from tailor.cv.readers.text.markdown import MD_HEADING, link_text, strip_markdown
from tailor.cv.readers.text.source import Section, SourceLine
from tailor.cv.readers.text.vocabulary import (
    DEGREE,
    INSTITUTION,
    is_place,
    looks_like_place,
    split_parts,
)


def _abbreviates(part: str, degree: str) -> bool:
    """Whether `part` is the short form of the spelled-out degree it follows ("Master of
    Science - MS", "Doctor of Philosophy - PhD"): it holds the initial of each of the
    degree's capitalised words. Not a place that reads like one ("Medford, MA" after "BSc"),
    nor another degree ("Master of Science, MBA")."""
    words = degree.split()
    initials = {word[0] for word in words if word[0].isupper()}
    letters = set(re.sub(r"[^A-Za-z]", "", part).upper())
    return len(words) > 1 and DEGREE.fullmatch(part) is not None and initials <= letters


_NAME_BREAK = re.compile(r"\t+|\s{3,}|\s+[—–|@·]\s+|\s+-\s+")


def _comma_names(school: str) -> list[str]:
    """The names a school's heading writes with a comma inside, each to keep whole
    ("Utah State University, Quinney College"); a place after the name stays apart
    ("Utah State University — Logan, UT", "Stanford University, Stanford, CA")."""
    names = []
    for chunk in _NAME_BREAK.split(school):
        pieces = [piece.strip() for piece in chunk.split(", ")]
        if len(pieces) >= 3 and is_place(", ".join(pieces[-2:])):
            pieces = pieces[:-2]
        elif is_place(chunk.strip()) and not INSTITUTION.search(chunk):
            pieces = []
        if len(pieces) >= 2:
            names.append(", ".join(pieces))
    return names


def _kept_whole(parts: list[str], whole: str) -> list[str]:
    """`parts` with the run of them that makes up `whole` as one part again."""
    pieces = split_parts(whole)
    for start in range(len(parts) - len(pieces) + 1):
        if parts[start : start + len(pieces)] == pieces:
            return [*parts[:start], whole, *parts[start + len(pieces) :]]
    return parts


def fill_education(cv: CV, section: Section) -> None:
    for entry in _merge_split_degrees(split_entries(section, _degree_header)):
        if entry.header is None:
            for line in entry.bullets:
                cv.education.append(_degree([line.text], []))
        else:
            cv.education.append(
                _degree([entry.header, *entry.details], entry.bullets, heading=bool(entry.level))
            )


def _merge_split_degrees(entries: list[Entry]) -> list[Entry]:
    """Rejoin a school named on its own line with the degree on the next (LinkedIn's layout).
    Two rows with dates of their own are two entries ("Hebrew University, 2019 – 2020" above
    "Karl-Friedrich-Gymnasium, 2009 – 2017")."""
    merged: list[Entry] = []
    for entry in entries:
        previous = merged[-1] if merged else None
        so_far = " ".join([previous.header or "", *previous.details]) if previous else ""
        this = " ".join([entry.header or "", *entry.details])
        if (
            previous is not None
            and previous.header
            and not previous.bullets
            and not DEGREE.search(so_far)
            and not (DATE_RANGE.search(so_far) and DATE_RANGE.search(this))
            and entry.header
            and not INSTITUTION.search(" ".join([entry.header, *entry.details]))
        ):
            previous.details += [entry.header, *entry.details]
            previous.bullets += entry.bullets
        else:
            merged.append(entry)
    return merged


# a line under a degree that says more about it, not a degree of its own
_DEGREE_NOTE = re.compile(
    r"^\W*(?:thesis|dissertation|minor|major|gpa|cgpa|grade|courses?|coursework|relevant "
    r"coursework|honou?rs|advisor|adviser|supervisors?|focus|speciali[sz]ation|concentration)\b",
    re.IGNORECASE,
)


def _degree_header(
    line: SourceLine, upcoming: list[SourceLine], previous: str, entry: Entry | None
) -> bool:
    """A degree opens with a heading, a line after a gap, or a line naming a degree or a
    school where the entry so far already names one (school and degree lines, in either
    order, make one entry; the next school or degree starts the next)."""
    text = line.text.strip()
    if MD_HEADING.match(text) or entry is None:
        return True
    if previous in ("blank", "bullet"):
        return not _DEGREE_NOTE.match(strip_markdown(text))
    so_far = " ".join([entry.header or "", *entry.details])
    if not re.search(r"[^\W\d_]{2,}", split_dates(so_far)[0].replace("expected", "")):
        return False  # the entry so far is its dates: "2010 – 2014" over its degree
    if DEGREE.search(text):
        return DEGREE.search(so_far) is not None or INSTITUTION.search(so_far) is None
    return INSTITUTION.search(text) is not None and INSTITUTION.search(so_far) is not None


def _join_continuations(lines: list[str]) -> list[str]:
    """Lines with those that go on to the next joined: after a joining word ("University
    of" / "HomeTown"), or inside emphasis or brackets left open."""
    joined: list[str] = []
    for line in lines:
        previous = joined[-1] if joined else ""
        open_markup = previous.count("*") % 2 or previous.count("(") > previous.count(")")
        if joined and (CONNECTOR.search(previous) or open_markup):
            joined[-1] = f"{previous} {line}"
        else:
            joined.append(line)
    return joined


_SCORE = re.compile(r"\b(?:GPA|CGPA|grade|cum laude|honou?rs|distinction|first class)\b", re.I)


def _degree(lines: list[str], under: list[SourceLine], *, heading: bool = False) -> Education:
    """A degree from its lines: school, degree and subject, dates, place, grade; any other
    words stay with it (its subject's continuation, or a line under it). A school named in
    a heading ("### Utah State University, Quinney College") keeps its name whole."""
    notes = [line for line in lines[1:] if _DEGREE_NOTE.match(strip_markdown(line))]
    lines = [line for line in lines if line not in notes]  # "Thesis: ..." is said, not parsed
    cells = split_cells([link_text(line) for line in _join_continuations(lines)])
    rest, start, end = ", ".join(cells.texts), cells.start, cells.end
    if start is None and end is None:
        rest, start, end = split_dates(rest)
    if start and end is None and not any(DATE_RANGE.search(line) for line in lines):
        start, end = None, start  # a degree's single date is when it was awarded
    parts = split_parts(rest)
    school = cells.texts[0] if heading and cells.texts else ""
    if INSTITUTION.search(school) and not DEGREE.search(school):
        for name in _comma_names(school):
            parts = _kept_whole(parts, name)
    institution = next((p for p in parts if INSTITUTION.search(p)), None)
    degree_index = next((i for i, p in enumerate(parts) if DEGREE.search(p)), None)
    study_type = area = None
    used = {institution}
    if degree_index is not None:
        degree = parts[degree_index]
        match = DEGREE.search(degree)
        assert match is not None
        study_type = degree[: match.end()].strip()
        area = re.sub(r"(?i)^\s*(in|of)\s+", "", degree[match.end() :]).strip(" ,") or None
        used.add(degree)
        after = parts[degree_index + 1 :]
        if after and _abbreviates(after[0], study_type):  # "Master of Science - MS"
            used.add(after[0])
            after = after[1:]
        following = list(itertools.takewhile(lambda p: p != institution, after))
        place = ", ".join(following)
        if following and not cells.places and looks_like_place(place) and area:
            cells.places.append(place)  # "M.Sc. in Mathematics – Heidelberg, Germany"
            used.update(following)
        elif following and not _SCORE.search(following[0]):
            area = ", ".join(filter(None, [area, *following])) if area else ", ".join(following)
            used.update(following)
    if institution is None:
        institution = next((p for p in parts if p not in used and p != area), None)
        used.add(institution)
    area_parts = {area, *split_parts(area)} if area else set()
    leftovers = [p for p in parts if p not in used and p not in area_parts]
    scores = [p for p in leftovers if _SCORE.search(p)]
    others = [p for p in leftovers if p not in scores]
    places = cells.places
    if not places and others and looks_like_place(", ".join(others)):
        places, others = [", ".join(others)], []  # "..., Leeds, UK": the school's place
    summary = others
    return Education(
        institution=institution,
        study_type=study_type,
        area=area,
        start_date=start,
        end_date=end,
        score=", ".join(scores) or None,
        location=", ".join(places) or None,
        summary=", ".join(summary) or None,
        # the lines under a degree as written: a thesis, a scholarship, courses
        highlights=[*(strip_markdown(note) for note in notes), *(line.text for line in under)],
    )
