"""The list sections (skills, publications, awards, certificates, languages, interests,
references, the summary) and the paragraphs of sections tailor does not know."""

from __future__ import annotations

import functools
import re

from tailor.cv.model import (
    CV,
    Award,
    Certificate,
    Interest,
    Language,
    Publication,
    Reference,
    Skill,
)
from tailor.cv.patterns import CONTACT_URL, SINGLE_DATE, YEAR
from tailor.cv.readers.text.cells import without_column
from tailor.cv.readers.text.contacts import with_scheme
from tailor.cv.readers.text.dates import date_list, iso_date, split_dates
from tailor.cv.readers.text.markdown import MD_HEADING, plain_lines, strip_heading, strip_markdown
from tailor.cv.readers.text.source import BULLET, Section, SourceLine, join_wrapped
from tailor.skills import split_skill_list

# the levels JSON Resume's "skills[].level" takes, as tailor writes them: "Web (Expert):"
_SKILL_LEVEL = re.compile(
    r"^(?P<name>.*)\((?P<level>beginner|novice|basic|elementary|intermediate|proficient|"
    r"advanced|expert|master|fluent|native)\)$",
    re.IGNORECASE,
)


def fill_skills(cv: CV, section: Section) -> None:
    for text in _skill_lines(section):
        name, sep, listed = text.partition(":")
        if not sep or len(name) > 40:
            name, listed = "", text
        keywords = split_skill_list(listed)
        level = _SKILL_LEVEL.match(name.strip())
        if level:
            name = level["name"].rstrip()
        if keywords:
            cv.skills.append(
                Skill(name=name.strip() or None, level=level and level["level"], keywords=keywords)
            )


def _skill_lines(section: Section) -> list[str]:
    """Skill lines with wrapped lists joined, and a label alone on its line put before its list."""
    lines: list[str] = []
    label: str | None = None
    for line in section.lines:
        bullet = BULLET.match(line.text)
        text = strip_markdown(bullet["text"] if bullet else line.text.strip())
        if not text:
            continue
        if lines and lines[-1].endswith((",", ";")):
            lines[-1] = f"{lines[-1]} {text}"
        elif (
            label is None
            and not re.search(r"[,;:|]", text)
            and len(text.split()) <= 4
            and not bullet
        ):
            label = text
        else:
            lines.append(f"{label}: {text}" if label and ":" not in text else text)
            label = None
    if label:
        lines.append(label)
    return lines


def fill_publications(cv: CV, section: Section) -> None:
    for text, column in _column_items(section):
        urls = CONTACT_URL.findall(text)
        year = re.search(rf"\b{YEAR}\b", text)
        date = iso_date(column) if column and SINGLE_DATE.fullmatch(column) else None
        cv.publications.append(
            Publication(
                name=strip_markdown(text if date or not column else f"{text} {column}"),
                url=with_scheme(urls[0].rstrip(".")) if urls else None,
                release_date=date or (year.group() if year else None),
            )
        )


def fill_summary(cv: CV, section: Section) -> None:
    text = " ".join(plain_lines(section.lines))
    cv.basics.summary = " ".join(filter(None, [cv.basics.summary, text])) or None


def fill_awards(cv: CV, section: Section) -> None:
    for text in _items(section):
        label, gap, after = strip_markdown(text).partition("   ")
        if gap and date_list(label):  # "2018, 2019   Performance Award": the years stay
            cv.awards.append(Award(title=f"{label} {after.strip()}"))
            continue
        rest, date, _ = split_dates(strip_markdown(text))
        cv.awards.append(Award(title=rest, date=date))


def fill_certificates(cv: CV, section: Section) -> None:
    for text in _items(section):
        rest, date, _ = split_dates(strip_markdown(text))
        cv.certificates.append(Certificate(name=rest, date=date))


def fill_languages(cv: CV, section: Section) -> None:
    for text in _items(section):
        for item in re.split(r"[,;|·]", strip_markdown(text)):
            language, _, fluency = item.partition("(")
            if language.strip():
                cv.languages.append(
                    Language(language=language.strip(" -:"), fluency=fluency.strip(" )") or None)
                )


def fill_interests(cv: CV, section: Section) -> None:
    for text in _items(section):
        cv.interests.append(Interest(name=strip_markdown(text)))


def fill_references(cv: CV, section: Section) -> None:
    for text in _items(section):
        cv.references.append(Reference(reference=strip_markdown(text)))


def _items(section: Section) -> list[str]:
    """The items of a list section: bullets, or lines when there are no bullets; a date or
    place set in a right-hand column beside an item goes at its end."""
    return [f"{text} {column}" if column else text for text, column in _column_items(section)]


def _column_items(section: Section) -> list[tuple[str, str | None]]:
    """The items of a list section, each with the cell of a right-hand column beside it
    ("Disparities in ...   July 2024"). Without bullets, a line is an item of its own unless
    it goes on with the one before: a bracket left open, a comma, or a lower-case start."""
    items: list[list[str]] = []
    columns: list[str | None] = []
    has_markers = any(
        BULLET.match(line.text) or MD_HEADING.match(line.text) for line in section.lines
    )
    written = [line.text.strip() for line in section.lines if line.text.strip()]
    # a list whose lines start with a label ("2018   SIGMOD Travel Award"): a line without
    # one goes on with the item above it
    labelled = sum(bool(_LABEL_CELL.match(text)) for text in written) >= len(written) / 2
    for line in section.lines:
        text, column = without_column(line.text.strip())
        if not text:
            continue
        bullet = BULLET.match(line.text)
        goes_on = bool(items) and (
            _goes_on(items[-1][-1], text) or (labelled and not _LABEL_CELL.match(text))
        )
        if bullet or MD_HEADING.match(text) or not items or (not has_markers and not goes_on):
            items.append(
                [without_column(bullet["text"].strip())[0] if bullet else strip_heading(text)]
            )
            columns.append(column)
        else:
            items[-1].append(text)
            columns[-1] = columns[-1] or column
    joined = [functools.reduce(join_wrapped, parts) for parts in items]
    return list(zip(joined, columns, strict=True))


_LABEL_CELL = re.compile(r"^\S+(?: \S+){0,3}?(?:\t|\s{3,})\S")


def _goes_on(previous: str, text: str) -> bool:
    """Whether a line goes on with the line before it, in a list without bullets."""
    unclosed = previous.count("(") > previous.count(")")
    return unclosed or text[:1].islower() or previous.endswith((",", ";"))


def paragraphs(lines: list[SourceLine]) -> list[str]:
    """A section's lines with the lines of a wrapped sentence or bullet joined: a line goes
    on the one before it when it starts in lower case or with a bracket, follows a comma,
    or (under a bullet) is indented."""
    items: list[str] = []
    previous: SourceLine | None = None
    for line in lines:
        text = strip_markdown(line.text.strip())
        if not text:
            previous = None
            continue
        continues = (
            previous is not None
            and items
            and not BULLET.match(line.text)
            and (
                text[0].islower()
                or text[0] in "(["
                or items[-1].endswith((",", ";", "-", "–", "/"))
                or (bool(BULLET.match(previous.text)) and line.indent > previous.indent)
            )
        )
        if continues:
            items[-1] = join_wrapped(items[-1], text)
        else:
            items.append(text)
        previous = line
    return items
