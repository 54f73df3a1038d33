"""Read a CV written as Markdown or plain text into the CV model.

CVs are written in many ways; this reader accepts the usual ones:
- section titles as Markdown headings (`## Experience`), UPPERCASE lines (`EXPERIENCE`), lines
  underlined with `===`/`---`, or a known title alone on its line (`Experience:`);
- roles as a sub-heading (`### Position — Company`) or one line holding a position, a company
  and usually a date range (`Position, Company (Mar 2021 – Present)`, `Company | Position | 2021`,
  `Position at Company, 2019 - 2021`), optionally followed by a line of dates and place;
- bullets starting with `-`, `*`, `•`, `·`, `–` or a number; wrapped bullet lines are joined.

PDF and DOCX readers turn their documents into text and come through here too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from tailor.cv.links import looks_like_link
from tailor.cv.model import (
    CV,
    Award,
    Basics,
    Bullet,
    Certificate,
    Education,
    Interest,
    Language,
    Location,
    Origin,
    Profile,
    Project,
    Publication,
    Reference,
    Skill,
    Source,
    Volunteer,
    Work,
)
from tailor.cv.patterns import EMAIL, MARKDOWN_LINK, MONTHS, URL_TAIL, WEB_URL
from tailor.cv.readers.sections import ROLE_SUBHEADINGS, normalise_title, section_kind
from tailor.errors import UserError
from tailor.skills import split_skill_list

_BULLET = re.compile(r"^\s*(?:[-*•·▪◦●‣–]|\d{1,2}[.)])\s+(?P<text>\S.*)$")
_MD_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.+?)\s*#*\s*$")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_UNDERLINE = re.compile(r"^\s*(=+|-{3,})\s*$")
_URL = re.compile(rf"{WEB_URL}|\b(?:github|gitlab|linkedin)\.com/{URL_TAIL}")
_BARE_DOMAIN = re.compile(r"(?:[\w-]+\.)+[a-z]{2,10}(?:/\S*)?", re.IGNORECASE)
_PHONE = re.compile(r"\+?\(?\d[\d\s().-]{7,}\d")
_DATE = (
    r"(?:(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s+\d{4}"
    r"|\d{4}-\d{2}(?:-\d{2})?|\d{1,2}[/.]\d{4}|\d{4})"
)
_PRESENT = r"(?:present|current|now|today|ongoing)"
_DATE_RANGE = re.compile(
    rf"(?P<start>{_DATE})\s*(?:–|—|-|to|until)\s*(?P<end>{_DATE}|{_PRESENT})", re.IGNORECASE
)
_SINGLE_DATE = re.compile(rf"\b(?P<date>{_DATE})\b", re.IGNORECASE)
_TITLE_WORDS = re.compile(
    r"\b(engineer|scientist|researcher|developer|manager|lead|intern|analyst|architect|head|"
    r"director|founder|co-founder|cto|ceo|vp|consultant|fellow|student|assistant|associate|"
    r"professor|lecturer|specialist|programmer|officer|technician|designer|contractor|"
    r"postdoc|phd|staff|principal|member of technical staff)\b",
    re.IGNORECASE,
)
_DEGREE = re.compile(
    r"\b((?:bachelor|master|doctor)(?:'s)? of (?:science|arts|engineering|philosophy|technology|business administration)|ph\.?d|d\.?phil|m\.?sc|b\.?sc|m\.?s|b\.?s|b\.?a|m\.?a|m\.?eng|b\.?eng|mba|bachelor|"
    r"master|doctorate|diploma|associate)\b\.?",
    re.IGNORECASE,
)
_INSTITUTION = re.compile(
    r"\b(university|college|institute|school|academy|polytechnic|universität|université|ETH|MIT)\b",
    re.IGNORECASE,
)
_PLACE = re.compile(r"[A-Z][\w.'-]*(?: [A-Z][\w.'-]*)*, [A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,2}")
_DURATION = re.compile(r"\(\s*\d+\s*(?:years?|yrs?|months?|mos?)\b[^)]*\)", re.IGNORECASE)
_SEPARATORS = re.compile(r"\t+|\s{3,}|\s+[—–|@·]\s+|\s+-\s+|\s+at\s+|,\s+")


@dataclass
class _Line:
    number: int  # 1-based line in the source text
    text: str  # as written, trailing whitespace removed
    indent: int


@dataclass
class _Section:
    title: str
    kind: str | None
    lines: list[_Line] = field(default_factory=list)


def parse_text(
    text: str, *, fmt: str = "text", path: str | None = None, text_is_file: bool = True
) -> CV:
    """Parse a Markdown or plain-text CV; raise UserError when no CV section is found.

    `text_is_file` is False for text extracted from a PDF or DOCX: its line numbers mean
    nothing to the user, so bullets then keep their section but no line.
    """
    text = text.replace("\u00ad", "")  # soft hyphens: invisible in the source, noise in a quote
    without_comments = _HTML_COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text)
    lines = [
        _Line(number, raw.rstrip(), len(raw) - len(raw.lstrip()))
        for number, raw in enumerate(without_comments.splitlines(), start=1)
    ]
    # Markdown files mark every section with a heading; a DOCX may mix heading styles with
    # titles typed in capitals, so its plain-text titles still count.
    header, sections = _split_sections(lines, headings_only=fmt == "markdown")
    if not any(section.kind for section in sections):
        raise UserError(
            "no CV sections found (expected English section titles such as Experience, "
            "Education or Skills)"
        )
    cv = CV(basics=_parse_header(header))
    extra: list[dict[str, Any]] = []
    for section in sections:
        if section.kind is None:
            extra.append({"title": section.title, "lines": _plain_lines(section.lines)})
            continue
        _FILLERS[section.kind](cv, section)
    if extra:
        setattr(cv, "additionalSections", extra)  # noqa: B010 - kept as an extra JSON field
    titles = [section.title for section in sections]
    cv.set_origin(
        Origin(format=fmt, path=path, sections=titles, text=text, text_is_file=text_is_file)
    )
    if not text_is_file:
        for bullet in cv.bullets():
            bullet.source = bullet.source and bullet.source.model_copy(update={"line": None})
    return cv


# -- sections -----------------------------------------------------------------------------


def _split_sections(
    lines: list[_Line], *, headings_only: bool
) -> tuple[list[_Line], list[_Section]]:
    section_level = _markdown_section_level(lines)
    header: list[_Line] = []
    sections: list[_Section] = []
    skip_next = False
    content = [line for line in lines if line.text.strip()]
    following = dict(zip((id(line) for line in content), [*content[1:], None], strict=True))
    first_text = content[0].number if content else None
    for index, line in enumerate(lines):
        if skip_next:
            skip_next = False
            continue
        next_line = lines[index + 1] if index + 1 < len(lines) else None
        after_gap = index == 0 or not lines[index - 1].text.strip()
        title = _section_title(
            line, next_line, section_level, after_gap=after_gap, headings_only=headings_only
        )
        current = sections[-1].kind if sections else None
        if title is not None and not _opens_section(title, line, following.get(id(line)), current):
            title = None
        if line.number == first_text and title and not section_kind(title):
            title = None  # the first line of a CV is its owner's name, even in capitals
        if title is not None:
            sections.append(_Section(title=title, kind=section_kind(title)))
            skip_next = next_line is not None and bool(_UNDERLINE.match(next_line.text))
        elif sections:
            sections[-1].lines.append(line)
        else:
            header.append(line)
    return header, sections


def _opens_section(
    title: str, line: _Line, next_content: _Line | None, current: str | None
) -> bool:
    """Whether a line that reads like a title really opens a section where it stands."""
    text = line.text.strip()
    if _MD_HEADING.match(text):
        return True
    kind = section_kind(title)
    if current in ("work", "volunteer", "projects") and normalise_title(title) in ROLE_SUBHEADINGS:
        return False  # "Key achievements:" heads a role's bullets
    if current == "skills" and kind == "languages" and not _is_uppercase_title(text):
        return False  # "Languages" under Skills labels programming languages
    if kind is None and next_content is not None:
        # an unknown line in capitals followed by a role line is a company name, not a title
        return not (_DATE_RANGE.search(next_content.text) or _TITLE_WORDS.search(next_content.text))
    return True


def _markdown_section_level(lines: list[_Line]) -> int | None:
    """The heading level that marks sections: the highest level used by a known title."""
    levels = [
        len(match["hashes"])
        for line in lines
        if (match := _MD_HEADING.match(line.text)) and section_kind(match["text"])
    ]
    return min(levels) if levels else None


def _section_title(
    line: _Line,
    next_line: _Line | None,
    md_level: int | None,
    *,
    after_gap: bool,
    headings_only: bool,
) -> str | None:
    """The section title on this line, if it is one.

    A known title alone on its line ("Experience") counts when it follows a gap, ends with a
    colon or starts with a capital, so a wrapped line that happens to read "projects" or
    "work." stays part of its paragraph.
    """
    text = line.text.strip()
    if not text or _BULLET.match(line.text) or text.endswith("."):
        return None
    heading = _MD_HEADING.match(text)
    if heading:
        level = len(heading["hashes"])
        if (md_level is not None and level == md_level) or (
            not headings_only and section_kind(heading["text"])
        ):
            return _strip_markdown(heading["text"])
        return None  # in Markdown, a deeper heading is a role or a project
    if md_level is not None and headings_only:
        return None  # a Markdown CV with section headings opens sections with them alone
    if next_line is not None and _UNDERLINE.match(next_line.text) and len(text.split()) <= 5:
        return _strip_markdown(text)
    if section_kind(text) and (
        after_gap or text.endswith(":") or _strip_markdown(text)[:1].isupper()
    ):
        return _strip_markdown(text).rstrip(":")
    if _is_uppercase_title(text) and (len(text) >= 5 or " " in text):  # not "JAX" or "AWS"
        return _strip_markdown(text).rstrip(":")
    return None


def _is_uppercase_title(text: str) -> bool:
    bare = _strip_markdown(text).rstrip(":")
    letters = [c for c in bare if c.isalpha()]
    return (
        len(letters) >= 3
        and len(bare.split()) <= 5
        and all(c.isupper() for c in letters)
        and not _DATE_RANGE.search(bare)
        and not EMAIL.search(bare)
    )


# -- header (name and contact details) ------------------------------------------------------


def _parse_header(lines: list[_Line]) -> Basics:
    """Name from the first line; label, contacts, links and place from the lines after it."""
    texts = [line.text.strip() for line in lines if line.text.strip()]
    basics = Basics()
    if texts:
        name, *rest = re.split(r"\s{3,}|\t", _link_text(texts[0]).lstrip("#").strip())
        basics.name = name
        _fill_contact_details(basics, [*rest, *texts[1:]])
    return basics


def _fill_contact_details(basics: Basics, texts: list[str]) -> None:
    """Read email, phone, links, a job title and a place from contact lines or segments."""
    for url in dict.fromkeys(
        _with_scheme(url.rstrip("./")) for url in _URL.findall(" | ".join(texts))
    ):
        network = _network_of(url)
        if network and all(p.url != url for p in basics.profiles):
            basics.profiles.append(Profile(network=network, url=url))
        elif not network and basics.url is None:
            basics.url = url
    segments = (
        seg.strip()
        for text in texts
        for seg in re.split(r"\s[|·•](?:\s|$)|\s{3,}", _link_text(text))
    )
    for segment in segments:
        if not segment or _URL.sub("", segment).strip(" ()") == "":
            continue
        if email := EMAIL.search(segment):
            basics.email = basics.email or email.group()
        elif _BARE_DOMAIN.fullmatch(segment) and looks_like_link(
            segment, profile_host=_network_of(segment) is not None
        ):
            url = _with_scheme(segment.rstrip("/"))
            network = _network_of(url)
            if network is None and basics.url is None:
                basics.url = url
        elif phone := _PHONE.fullmatch(segment.strip("📞☎ ")):
            basics.phone = basics.phone or phone.group()
        elif basics.label is None and _TITLE_WORDS.search(segment) and not _URL.search(segment):
            basics.label = segment
        elif basics.location is None and re.fullmatch(r"[^\d@/]{2,60}", segment) and "," in segment:
            basics.location = Location(address=segment.strip("📍 "))


_NETWORKS = {
    "github.com": "GitHub",
    "gitlab.com": "GitLab",
    "linkedin.com": "LinkedIn",
    "huggingface.co": "Hugging Face",
    "scholar.google.com": "Google Scholar",
    "x.com": "X",
    "twitter.com": "Twitter",
}


def _network_of(url: str) -> str | None:
    """The profile network a URL belongs to, by its host ("box.com" is not X)."""
    host = (urlsplit(_with_scheme(url)).hostname or "").removeprefix("www.")
    return next(
        (
            name
            for domain, name in _NETWORKS.items()
            if host == domain or host.endswith(f".{domain}")
        ),
        None,
    )


def _with_scheme(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else f"https://{url}"


# -- entries (roles, projects, degrees) -----------------------------------------------------


_HeaderTest = Callable[[_Line, list[_Line], str], bool]


@dataclass
class _Entry:
    header: str | None
    details: list[str] = field(default_factory=list)  # non-bullet lines under the header
    bullets: list[_Line] = field(default_factory=list)


def _split_entries(
    section: _Section, is_header: _HeaderTest, *, multi_line_headers: bool = False
) -> list[_Entry]:
    """Group a section's lines into entries: a header line, detail lines and bullets.

    `is_header(line, upcoming, previous)` decides whether a non-bullet line opens an entry,
    given the next two non-empty lines and what came before it: "start", "blank", "bullet",
    "header" or "detail". With `multi_line_headers`, short lines right under a header
    complete it (a role written as Title / Company / dates).
    """
    entries: list[_Entry] = []
    previous = "start"
    uses_headings = any(_MD_HEADING.match(line.text.strip()) for line in section.lines)
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
        bullet = _BULLET.match(line.text)
        if bullet:
            if not entries:
                entries.append(_Entry(header=None))
            entries[-1].bullets.append(_Line(line.number, bullet["text"].strip(), line.indent))
            previous = "bullet"
        elif (
            previous == "bullet"
            and _continues_bullet(line, entries[-1].bullets[-1])
            and not _starts_role(line, upcoming)
        ):
            last = entries[-1].bullets[-1]
            last.text = _join_wrapped(last.text, text)
        elif entries and not entries[-1].bullets and _is_date_line(line.text):
            entries[-1].details.append(text)
            previous = "detail"
        elif (
            multi_line_headers
            and previous in ("header", "blank")
            and entries
            and _continues_header(line, entries[-1])
        ):
            entries[-1].header = f"{entries[-1].header} | {_strip_heading(text)}"
        elif not entries or (
            is_header(line, upcoming, previous)
            and (not uses_headings or _opens_entry_beside_headings(text, previous))
        ):
            entries.append(_Entry(header=_strip_heading(line.text)))
            previous = "header"
        else:
            entries[-1].details.append(text)
            previous = "detail"
    return entries


def _continues_header(line: _Line, entry: _Entry) -> bool:
    """A short line right under a role's first line completes it: Title / Company / dates, or
    a dated title followed by its company and place."""
    text = line.text.strip()
    header = entry.header or ""
    if entry.details or entry.bullets or _MD_HEADING.match(text):
        return False
    if len(text) >= 80 or text.endswith((".", "!", "?")):
        return False
    has_company = len(_split_parts(_split_dates(header)[0])) >= 2
    return not (_DATE_RANGE.search(header) and has_company)


def _starts_role(line: _Line, upcoming: list[_Line]) -> bool:
    """A capitalised short line that names a role, with dates on it or just after it."""
    text = line.text.strip()
    if not text[:1].isupper() or len(text) > 100 or text.endswith((".", "!", "?")):
        return False
    dated_next = bool(upcoming) and _is_date_line(upcoming[0].text)
    return bool(_TITLE_WORDS.search(text)) and (dated_next or bool(_SEPARATORS.search(text)))


def _opens_entry_beside_headings(text: str, previous: str) -> bool:
    """In a section whose entries are headings, a dated line after a gap still opens one."""
    if _MD_HEADING.match(text):
        return True
    return previous in ("blank", "bullet") and _DATE_RANGE.search(text) is not None


def _is_date_line(text: str) -> bool:
    """A line holding a date range and at most a place: `*Mar 2021 – Present · Berlin*`."""
    if not _DATE_RANGE.search(text):
        return False
    rest, _, _ = _split_dates(_strip_markdown(text))
    return len(rest.split()) <= 4 and not _TITLE_WORDS.search(rest)


def _continues_bullet(line: _Line, bullet: _Line) -> bool:
    text = line.text.strip()
    if _MD_HEADING.match(text) or _DATE_RANGE.search(text):
        return False
    return (
        line.indent > 0
        or text[0].islower()
        or not bullet.text.rstrip().endswith((".", "!", "?", ")"))
    )


def _join_wrapped(first: str, second: str) -> str:
    """Join a wrapped line to the text before it. A hyphen at the break is kept: text files
    are not hyphenated by a typesetter, and the PDF reader rejoins its own breaks."""
    return f"{first}{second}" if first.endswith("-") else f"{first} {second}"


def _role_header(line: _Line, upcoming: list[_Line], previous: str) -> bool:
    """A role opens with a heading, a short dated line, or a short line whose next lines carry
    the dates. A paragraph is never a role's first line, whatever follows it."""
    text = line.text.strip()
    if _MD_HEADING.match(text):
        return True
    if len(text) >= 160 or text.endswith((".", "!", "?")):
        return False
    if _DATE_RANGE.search(text):
        return True
    short = len(text) < 100
    dated = [bool(_DATE_RANGE.search(n.text)) and not _BULLET.match(n.text) for n in upcoming]
    if short and dated[:1] == [True]:
        return True
    if short and dated[1:2] == [True] and len(upcoming[0].text.strip()) < 80:
        return previous in ("start", "blank", "bullet")  # Title / Company / dates
    return short and bool(_TITLE_WORDS.search(text)) and bool(_SEPARATORS.search(text))


def _named_header(line: _Line, upcoming: list[_Line], previous: str) -> bool:
    """A project or degree opens with a heading, or a short line after a gap or a bullet list."""
    text = line.text.strip()
    return bool(_MD_HEADING.match(text)) or (previous in ("blank", "bullet") and len(text) < 120)


def _strip_heading(text: str) -> str:
    match = _MD_HEADING.match(text.strip())
    return _strip_markdown(match["text"] if match else text.strip())


def _strip_markdown(text: str) -> str:
    text = MARKDOWN_LINK.sub(r"\g<label> (\g<url>)", text)
    text = re.sub(r"(\*\*|__|\*|`)", "", text)
    return text.strip()


def _split_dates(text: str) -> tuple[str, str | None, str | None]:
    """Remove a date range (or single date) from text; return the rest, start and end."""
    match = _DATE_RANGE.search(text)
    if match:
        start, end = _iso_date(match["start"]), _iso_date(match["end"])
    else:
        match = _SINGLE_DATE.search(text)
        if not match:
            return text, None, None
        start, end = _iso_date(match["date"]), None
    rest = text[: match.start()] + text[match.end() :]
    rest = _DURATION.sub("", re.sub(r"\(\s*\)|\[\s*\]", "", rest))
    rest = re.sub(r"\s+([.,;:])", r"\1", re.sub(r"\s{2,}", " ", rest))
    rest = re.sub(r"[,;]+(?=[.,;])", "", rest)
    return rest.strip(" ,|·•—–-"), start, end


def _iso_date(text: str) -> str | None:
    value = text.strip().rstrip(".")
    if re.fullmatch(_PRESENT, value, re.IGNORECASE):
        return None
    if re.fullmatch(r"\d{4}(-\d{2}){0,2}", value):
        return value
    if slash := re.fullmatch(r"(\d{1,2})[/.](\d{4})", value):
        return f"{slash[2]}-{int(slash[1]):02d}"
    month, _, year = value.partition(" ")
    number = MONTHS.get(month.lower().rstrip("."))
    return f"{year.strip()}-{number:02d}" if number else value


def _split_parts(text: str) -> list[str]:
    return [part.strip(" ,|·") for part in _SEPARATORS.split(text) if part.strip(" ,|·")]


def _position_and_company(parts: list[str]) -> tuple[str | None, str | None, str | None]:
    """Pick which parts of a role header are the position, company and place."""
    if not parts:
        return None, None, None
    position_index = next((i for i, p in enumerate(parts) if _TITLE_WORDS.search(p)), 0)
    position = parts[position_index]
    others = [p for i, p in enumerate(parts) if i != position_index]
    company = others[0] if others else None
    place = ", ".join(others[1:]) or None
    return position, company, place


def _bullet(line: _Line, section: _Section) -> Bullet:
    return Bullet(text=line.text, source=Source(section=section.title, line=line.number))


def _bullets(entry: _Entry, section: _Section) -> list[Bullet]:
    return [_bullet(line, section) for line in entry.bullets]


@dataclass(frozen=True)
class _Role:
    position: str | None
    organisation: str | None
    place: str | None
    start: str | None
    end: str | None
    summary: str | None


def _role(entry: _Entry) -> _Role:
    """Position, organisation, place and dates from a role's header, date line and place line."""
    date_lines = [d for d in entry.details if _is_date_line(d)]
    details = [d for d in entry.details if d not in date_lines]
    rest, start, end = _split_dates(entry.header or "")
    position, organisation, place = _position_and_company(_split_parts(rest))
    if date_lines:
        date_rest, start, end = _split_dates(_strip_markdown(date_lines[0]))
        place = place or date_rest or None
    if details and place is None and _PLACE.fullmatch(details[0]):
        place = details.pop(0)
    return _Role(position, organisation, place, start, end, " ".join(details) or None)


def _fill_work(cv: CV, section: _Section) -> None:
    for entry in _split_entries(section, _role_header, multi_line_headers=True):
        role = _role(entry)
        cv.work.append(
            Work(
                name=role.organisation,
                position=role.position,
                location=role.place,
                start_date=role.start,
                end_date=role.end,
                summary=role.summary,
                highlights=_bullets(entry, section),
            )
        )


def _fill_volunteer(cv: CV, section: _Section) -> None:
    for entry in _split_entries(section, _role_header, multi_line_headers=True):
        role = _role(entry)
        cv.volunteer.append(
            Volunteer(
                organization=role.organisation,
                position=role.position,
                start_date=role.start,
                end_date=role.end,
                summary=role.summary,
                highlights=_bullets(entry, section),
            )
        )


def _fill_projects(cv: CV, section: _Section) -> None:
    for entry in _split_entries(section, _named_header):
        if entry.header is None:
            # a list of one-line projects: each bullet is a project of its own
            for line in entry.bullets:
                cv.projects.append(_one_line_project(line, section))
            continue
        urls = _URL.findall(" ".join([entry.header, *entry.details]))
        name, _, description = _link_text(entry.header).partition(" — ")
        cv.projects.append(
            Project(
                name=_URL.sub("", name).strip(" ()|,:") or None,
                description=" ".join(filter(None, [description.strip(), *entry.details])) or None,
                url=_with_scheme(urls[0].rstrip(".")) if urls else None,
                highlights=_bullets(entry, section),
            )
        )


def _one_line_project(line: _Line, section: _Section) -> Project:
    name, separator, description = _link_text(line.text).partition(": ")
    urls = _URL.findall(line.text)
    return Project(
        name=name.strip() if separator and len(name) < 60 else None,
        description=(
            description if separator and len(name) < 60 else _link_text(line.text)
        ).strip(),
        url=_with_scheme(urls[0].rstrip(".")) if urls else None,
        highlights=[_bullet(line, section)],
    )


def _link_text(text: str) -> str:
    """Markdown links reduced to their text, other markdown removed."""
    return _strip_markdown(MARKDOWN_LINK.sub(r"\g<label>", text))


def _fill_education(cv: CV, section: _Section) -> None:
    for entry in _merge_split_degrees(_split_entries(section, _degree_header)):
        if entry.header is None:
            for line in entry.bullets:
                cv.education.append(_degree(line.text, []))
        else:
            cv.education.append(_degree(", ".join([entry.header, *entry.details]), entry.bullets))


def _merge_split_degrees(entries: list[_Entry]) -> list[_Entry]:
    """Rejoin a school named on its own line with the degree on the next (LinkedIn's layout)."""
    merged: list[_Entry] = []
    for entry in entries:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and previous.header
            and not previous.bullets
            and not _DEGREE.search(" ".join([previous.header, *previous.details]))
            and entry.header
            and not _INSTITUTION.search(" ".join([entry.header, *entry.details]))
        ):
            previous.details += [entry.header, *entry.details]
            previous.bullets += entry.bullets
        else:
            merged.append(entry)
    return merged


def _degree_header(line: _Line, upcoming: list[_Line], previous: str) -> bool:
    """A degree opens with a heading, a line naming a degree, or a line after a gap."""
    text = line.text.strip()
    return bool(_MD_HEADING.match(text) or _DEGREE.search(text)) or previous in ("blank", "bullet")


def _degree(text: str, courses: list[_Line]) -> Education:
    rest, start, end = _split_dates(_link_text(text))
    if start and not _DATE_RANGE.search(text):
        start, end = None, start  # a degree's single date is when it was awarded
    parts = _split_parts(rest)
    institution = next((p for p in parts if _INSTITUTION.search(p)), None)
    degree_index = next((i for i, p in enumerate(parts) if _DEGREE.search(p)), None)
    study_type = area = None
    if degree_index is not None:
        degree = parts[degree_index]
        match = _DEGREE.search(degree)
        assert match is not None
        study_type = degree[: match.end()].strip()
        area = re.sub(r"^\s*(in|of)\s+", "", degree[match.end() :]).strip(" ,") or None
        following = [p for p in parts[degree_index + 1 :] if p != institution]
        following = [p for p in following if not _DEGREE.fullmatch(p)]  # "Master of Science - MS"
        if area is None and following:
            area = following[0]
    if institution is None:
        institution = next(
            (p for i, p in enumerate(parts) if i != degree_index and p != area), None
        )
    return Education(
        institution=institution,
        study_type=study_type,
        area=area,
        start_date=start,
        end_date=end,
        courses=[line.text for line in courses],
    )


# the levels JSON Resume's "skills[].level" takes, as tailor writes them: "Web (Expert):"
_SKILL_LEVEL = re.compile(
    r"^(?P<name>.*?)\s*\((?P<level>beginner|novice|basic|elementary|intermediate|proficient|"
    r"advanced|expert|master|fluent|native)\)$",
    re.IGNORECASE,
)


def _fill_skills(cv: CV, section: _Section) -> None:
    for text in _skill_lines(section):
        name, sep, listed = text.partition(":")
        if not sep or len(name) > 40:
            name, listed = "", text
        keywords = split_skill_list(listed)
        level = _SKILL_LEVEL.match(name.strip())
        if level:
            name = level["name"]
        if keywords:
            cv.skills.append(
                Skill(name=name.strip() or None, level=level and level["level"], keywords=keywords)
            )


def _skill_lines(section: _Section) -> list[str]:
    """Skill lines with wrapped lists joined, and a label alone on its line put before its list."""
    lines: list[str] = []
    label: str | None = None
    for line in section.lines:
        bullet = _BULLET.match(line.text)
        text = _strip_markdown(bullet["text"] if bullet else line.text.strip())
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


def _fill_publications(cv: CV, section: _Section) -> None:
    for text in _items(section):
        urls = _URL.findall(text)
        year = re.search(r"\b(19|20)\d{2}\b", text)
        cv.publications.append(
            Publication(
                name=_strip_markdown(text),
                url=_with_scheme(urls[0].rstrip(".")) if urls else None,
                release_date=year.group() if year else None,
            )
        )


def _fill_contact(cv: CV, section: _Section) -> None:
    _fill_contact_details(
        cv.basics, [line.text.strip() for line in section.lines if line.text.strip()]
    )


def _fill_summary(cv: CV, section: _Section) -> None:
    text = " ".join(_plain_lines(section.lines))
    cv.basics.summary = " ".join(filter(None, [cv.basics.summary, text])) or None


def _fill_awards(cv: CV, section: _Section) -> None:
    for text in _items(section):
        rest, date, _ = _split_dates(_strip_markdown(text))
        cv.awards.append(Award(title=rest, date=date))


def _fill_certificates(cv: CV, section: _Section) -> None:
    for text in _items(section):
        rest, date, _ = _split_dates(_strip_markdown(text))
        cv.certificates.append(Certificate(name=rest, date=date))


def _fill_languages(cv: CV, section: _Section) -> None:
    for text in _items(section):
        for item in re.split(r"[,;|·]", _strip_markdown(text)):
            language, _, fluency = item.partition("(")
            if language.strip():
                cv.languages.append(
                    Language(language=language.strip(" -:"), fluency=fluency.strip(" )") or None)
                )


def _fill_interests(cv: CV, section: _Section) -> None:
    for text in _items(section):
        cv.interests.append(Interest(name=_strip_markdown(text)))


def _fill_references(cv: CV, section: _Section) -> None:
    for text in _items(section):
        cv.references.append(Reference(reference=_strip_markdown(text)))


def _items(section: _Section) -> list[str]:
    """The items of a list section: bullets, or lines when there are no bullets."""
    items: list[str] = []
    has_markers = any(
        _BULLET.match(line.text) or _MD_HEADING.match(line.text) for line in section.lines
    )
    for line in section.lines:
        text = line.text.strip()
        if not text:
            continue
        bullet = _BULLET.match(line.text)
        unclosed = bool(items) and items[-1].count("(") > items[-1].count(")")
        if bullet or _MD_HEADING.match(text) or not items or (not has_markers and not unclosed):
            items.append(bullet["text"].strip() if bullet else _strip_heading(text))
        else:
            items[-1] = _join_wrapped(items[-1], text)
    return items


def _plain_lines(lines: list[_Line]) -> list[str]:
    return [_strip_markdown(line.text.strip()) for line in lines if line.text.strip()]


_FILLERS: dict[str, Callable[[CV, _Section], None]] = {
    "summary": _fill_summary,
    "contact": _fill_contact,
    "work": _fill_work,
    "volunteer": _fill_volunteer,
    "projects": _fill_projects,
    "education": _fill_education,
    "skills": _fill_skills,
    "publications": _fill_publications,
    "awards": _fill_awards,
    "certificates": _fill_certificates,
    "languages": _fill_languages,
    "interests": _fill_interests,
    "references": _fill_references,
}
