"""Read a CV written as Markdown or plain text into the CV model.

CVs are written in many ways; this reader accepts the usual ones:
- section titles as Markdown headings (`## Experience`), UPPERCASE lines (`EXPERIENCE`), lines
  underlined with `===`/`---`, or a known title alone on its line (`Experience:`);
- roles as a sub-heading (`### Position — Company`) or one line holding a position, a company
  and usually a date range (`Position, Company (Mar 2021 – Present)`, `Company | Position | 2021`,
  `Position at Company, 2019 - 2021`), optionally followed by a line of dates and place;
- bullets starting with `-`, `*`, `•`, `·`, `–` or a number; wrapped bullet lines are joined.

PDF and DOCX readers turn their documents into text and come through here too.

`parse_text` makes Markdown plain (`markdown`), splits the text into sections (`headings`), reads
the name and contact details (`header`, `contacts`), and hands each known section to its reader
(`roles`, `education`, `projects`, `lists`), which group its lines into entries (`entries`) and
read their headers (`cells`, `dates`, `vocabulary`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tailor.cv.model import CV, Origin
from tailor.cv.readers.sections import section_kind
from tailor.cv.readers.text.education import fill_education
from tailor.cv.readers.text.header import closing_contacts, fill_contact_details, parse_header
from tailor.cv.readers.text.headings import lists_roles, split_sections
from tailor.cv.readers.text.lists import (
    fill_awards,
    fill_certificates,
    fill_interests,
    fill_languages,
    fill_publications,
    fill_references,
    fill_skills,
    fill_summary,
    paragraphs,
)
from tailor.cv.readers.text.markdown import plain_lines, plain_markdown
from tailor.cv.readers.text.projects import fill_projects
from tailor.cv.readers.text.roles import fill_volunteer, fill_work
from tailor.cv.readers.text.source import Section, SourceLine
from tailor.errors import UserError

__all__ = ["parse_text"]

_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def parse_text(
    text: str,
    *,
    fmt: str = "text",
    path: str | None = None,
    text_is_file: bool = True,
    headings_only: bool | None = None,
) -> CV:
    """Parse a Markdown or plain-text CV; raise UserError when no CV section is found.

    `text_is_file` is False for text extracted from a PDF or DOCX: its line numbers mean
    nothing to the user, so bullets then keep their section but no line. `headings_only`
    (the default for Markdown) opens sections at Markdown headings alone, as the PDF reader
    marks them when the type sizes tell; otherwise a title in capitals opens one too.
    """
    text = text.replace("\u00ad", "")  # soft hyphens: invisible in the source, noise in a quote
    without_comments = _HTML_COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text)
    raw_lines = without_comments.splitlines()
    if fmt == "markdown":
        raw_lines = plain_markdown(raw_lines)
    lines = [
        SourceLine(number, raw.rstrip(), len(raw) - len(raw.lstrip()))
        for number, raw in enumerate(raw_lines, start=1)
    ]
    # Markdown files mark every section with a heading; a DOCX may mix heading styles with
    # titles typed in capitals, so its plain-text titles still count.
    only = fmt == "markdown" if headings_only is None else headings_only
    header, sections = split_sections(lines, headings_only=only)
    if not any(section.kind for section in sections):
        raise UserError(
            "no CV sections found (expected English section titles such as Experience, "
            "Education or Skills)"
        )
    basics, unplaced = parse_header(header)
    if not (basics.email or basics.phone):
        unplaced += closing_contacts(basics, sections)
    cv = CV(basics=basics)
    kinds: dict[str, str | None] = {}  # the section each title was read as
    extra: list[dict[str, Any]] = []
    for section in sections:
        section.markdown = fmt == "markdown"
        if section.kind == "publications" and lists_roles(section):
            section.kind = "work"  # "Research": roles in a lab, not papers
        elif (
            section.kind == "work"
            and not lists_roles(section)
            and section_kind(section.title, by_last_word=False) is None
        ):
            section.kind = None  # "Technical Experience" holding no dated roles
        kinds[section.title] = section.kind
        if section.kind is None:
            extra.append({"title": section.title, "lines": paragraphs(section.lines)})
        elif section.kind == "contact":
            unplaced += fill_contact_details(cv.basics, plain_lines(section.lines))
        else:
            _FILLERS[section.kind](cv, section)
    if extra:
        setattr(cv, "additionalSections", extra)  # noqa: B010 - kept as an extra JSON field
    titles = [section.title for section in sections]
    cv.set_origin(
        Origin(
            format=fmt,
            path=path,
            sections=titles,
            kinds=kinds,
            text=text,
            text_is_file=text_is_file,
            unplaced=unplaced,
        )
    )
    if not text_is_file:
        for bullet in cv.bullets():
            bullet.source = bullet.source and bullet.source.model_copy(update={"line": None})
    return cv


_FILLERS: dict[str, Callable[[CV, Section], None]] = {
    "summary": fill_summary,
    "work": fill_work,
    "volunteer": fill_volunteer,
    "projects": fill_projects,
    "education": fill_education,
    "skills": fill_skills,
    "publications": fill_publications,
    "awards": fill_awards,
    "certificates": fill_certificates,
    "languages": fill_languages,
    "interests": fill_interests,
    "references": fill_references,
}
