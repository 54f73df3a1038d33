"""Projects: a name, what it is, its link and dates, from an entry or a one-line bullet."""

from __future__ import annotations

from tailor.cv.model import CV, Project
from tailor.cv.patterns import CONTACT_URL
from tailor.cv.readers.text.cells import split_cells
from tailor.cv.readers.text.contacts import with_scheme
from tailor.cv.readers.text.entries import (
    bullet_of,
    entry_bullets,
    named_header,
    open_range,
    split_entries,
)
from tailor.cv.readers.text.markdown import link_text
from tailor.cv.readers.text.source import Section, SourceLine


def fill_projects(cv: CV, section: Section) -> None:
    for entry in split_entries(section, named_header):
        if entry.header is None:
            # a list of one-line projects: each bullet is a project of its own
            for line in entry.bullets:
                cv.projects.append(_one_line_project(line, section))
            continue
        urls = CONTACT_URL.findall(" ".join([entry.header, *entry.details]))
        # "Gitlytics | Python, Flask   June 2020 – Present": name, what it is, dates
        cells = split_cells([link_text(line) for line in entry.header.split("\n")])
        name, _, description = (cells.texts[0] if cells.texts else "").partition(" — ")
        about = [description.strip(), *cells.texts[1:], *cells.places, *entry.details]
        single = cells.start is not None and cells.end is None and not open_range(entry)
        cv.projects.append(
            Project(
                name=CONTACT_URL.sub("", name).strip(" ()|,:") or None,
                description=" ".join(filter(None, about)) or None,
                url=with_scheme(urls[0].rstrip(".")) if urls else None,
                start_date=cells.start,
                end_date=cells.start if single else cells.end,
                highlights=entry_bullets(entry, section),
            )
        )


def _one_line_project(line: SourceLine, section: Section) -> Project:
    name, separator, description = link_text(line.text).partition(": ")
    urls = CONTACT_URL.findall(line.text)
    return Project(
        name=name.strip() if separator and len(name) < 60 else None,
        description=(description if separator and len(name) < 60 else link_text(line.text)).strip(),
        url=with_scheme(urls[0].rstrip(".")) if urls else None,
        highlights=[bullet_of(line, section)],
    )
