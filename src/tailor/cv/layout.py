"""The CV laid out for reading: sections in order, each entry's heading, dates and bullets.

Every output format (Markdown, HTML, DOCX, PDF) renders the same `Document`, so they agree on
what is shown and in which order; each renderer only decides how it looks. Nothing here adds
words of its own to the user's content beyond section titles, "Present" for an open date range
and the separators between fields.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from tailor.cv.model import CV, Education, Location, Project, Publication, Volunteer, Work
from tailor.cv.patterns import (
    CLICKABLE_ADDRESS,
    ISO_DATE,
    LINK_IN_TEXT,
    LIST_MARK,
    SCHEMELESS_ADDRESS,
    bare_url,
)
from tailor.cv.readers.sections import kind_in

# every section kind with its default title, in JSON Resume's own order
DEFAULT_TITLES = {
    "summary": "Summary",
    "work": "Experience",
    "projects": "Projects",
    "publications": "Publications",
    "education": "Education",
    "skills": "Skills",
    "awards": "Awards",
    "certificates": "Certificates",
    "volunteer": "Volunteering",
    "languages": "Languages",
    "interests": "Interests",
    "references": "References",
}
# the order of the sections a target does not place; the kinds a profile may put in order
DEFAULT_ORDER = tuple(DEFAULT_TITLES)
_JSON_RESUME_KEYS = {"basics", *DEFAULT_TITLES}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Segment:
    """A run of text, linked when `url` is set."""

    text: str
    url: str | None = None


@dataclass(frozen=True)
class Entry:
    """A role, project or volunteering entry: a heading line, a detail line, the lines under
    them (a description, a summary, a project's roles), then bullets.

    `url` is the entry's own web link (the employer's site, the project's page), shown behind
    the name it belongs to: the organisation's when `links_title` is false, else the title's
    (a project's name), and taken off the end of the summary that showed it. A link that
    cannot be made clickable stays in `lines` as text. `written_lines` are the lines with the
    address written out, as a format that shows addresses (Markdown) writes them."""

    title: str
    organization: str | None = None
    dates: str | None = None
    location: str | None = None
    lines: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    url: str | None = None
    links_title: bool = False
    written_lines: list[str] | None = None  # `lines` with the link's address: see entry_lines


@dataclass(frozen=True)
class HeadLine:
    """One line of an entry's two-line header: text on the left (bold when `strong`), linked
    when `url` is set, and `right` set flush right (the place, or the dates)."""

    text: str
    right: str | None = None
    strong: bool = False
    url: str | None = None


@dataclass(frozen=True)
class Item:
    """One line of a list section (education, skills, awards...): a bold label and its text."""

    label: str | None
    text: str = ""
    # a row the typeset formats (PDF, HTML, DOCX) set in two columns, like an entry's header:
    # its text without the dates, and the dates flush right; the other formats show `text`
    columns: tuple[str, str] | None = None

    @property
    def joiner(self) -> str:
        """What stands between the label and the text: "ML: PyTorch", "MSc, Westbrook"."""
        if not self.label or not self.text:
            return ""
        return " " if self.label.endswith((":", ".")) else ", "


# the kinds of list section shown as "label: value" rows rather than bullets
ROW_KINDS = frozenset({"skills", "education", "languages", "interests", "certificates"})


@dataclass(frozen=True)
class Section:
    """A section: a paragraph (the summary), entries (roles, projects) or items (the rest)."""

    kind: str
    title: str
    paragraph: str | None = None
    entries: list[Entry] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)

    @property
    def rows(self) -> bool:
        """Whether its items are shown as "label: value" rows (skills, education...), not as
        bullets (publications, awards: one sentence or more each)."""
        return self.kind in ROW_KINDS


@dataclass(frozen=True)
class Contact:
    """One contact detail of the header, linked when `url` is set."""

    text: str
    url: str | None = None


@dataclass(frozen=True)
class Document:
    """The whole CV as laid out: the header, then the sections in order."""

    name: str
    label: str | None
    contacts: list[Contact]
    sections: list[Section]


def layout(cv: CV, section_order: Sequence[str] | None = None) -> Document:
    """Lay `cv` out with its sections in `section_order` (kinds), then any others it has."""
    order = list(dict.fromkeys([*(section_order or source_order(cv)), *DEFAULT_ORDER]))
    titles = section_titles(cv)
    sections = [section for kind in order for section in _sections(cv, kind, titles[kind])]
    sections.extend(_additional_sections(cv))
    basics = cv.basics
    return Document(
        name=basics.name or "",
        label=basics.label,
        contacts=_contacts(cv),
        sections=sections,
    )


def source_order(cv: CV) -> list[str]:
    """The section kinds in the order the source file had them (JSON Resume's when unknown)."""
    titles = cv.origin.sections if cv.origin else []
    origin = cv.origin
    kinds = ["summary" if title == "basics" else kind_in(origin, title) for title in titles]
    return [kind for kind in dict.fromkeys(kinds) if kind in DEFAULT_TITLES]


def section_titles(cv: CV) -> dict[str, str]:
    """Each section kind's title: the user's own where the source had one, else the default."""
    titles = dict(DEFAULT_TITLES)
    for title in reversed(cv.origin.sections if cv.origin else []):
        kind = kind_in(cv.origin, title)
        if kind in titles and _written_title(title):
            titles[kind] = title
    return titles


def _written_title(title: str | None) -> bool:
    """Whether a section title is one a person wrote, not a JSON Resume key ("work")."""
    return bool(title) and title not in _JSON_RESUME_KEYS


def format_date(value: str | None) -> str | None:
    """An ISO date as a reader writes it ("2022-03" -> "Mar 2022"); anything else unchanged."""
    if not value:
        return None
    match = ISO_DATE.fullmatch(value.strip())
    if not match:
        return value.strip()
    month = match.group("month")
    if month and 1 <= int(month) <= 12:
        return f"{_MONTHS[int(month) - 1]} {match.group('year')}"
    return match.group("year")


def date_range(start: str | None, end: str | None) -> str | None:
    """ "Mar 2022 – Present", "2016 – 2018", or the one date given."""
    first, last = format_date(start), format_date(end)
    if first and last:
        return first if first == last else f"{first} – {last}"
    if first:
        return f"{first} – Present"
    return last


def segments(text: str) -> list[Segment]:
    """Split text into plain and linked runs: Markdown links, "label (url)" and bare URLs."""
    runs: list[Segment] = []
    position = 0
    for match in LINK_IN_TEXT.finditer(text):
        if match.start() > position:
            runs.append(Segment(text[position : match.start()]))
        if match.group("md_url"):
            runs.append(Segment(match.group("md_label"), link_target(match.group("md_url"))))
        elif match.group("url"):
            label, url = match.group("label"), match.group("url")
            if bare_url(url) == bare_url(label):  # the label is the address: show it once
                runs.append(Segment(label, url))
            else:
                runs.extend([Segment(f"{label} ("), Segment(url, url), Segment(")")])
        else:
            runs.append(Segment(match.group("bare"), match.group("bare")))
        position = match.end()
    if position < len(text):
        runs.append(Segment(text[position:]))
    return runs


def link_target(url: str) -> str | None:
    """The address to make clickable: web and mail links only ("javascript:", "file:" and the
    like stay text); an address written without a scheme ("github.com/x") gets https://."""
    url = url.strip()
    if CLICKABLE_ADDRESS.match(url):
        return url
    if SCHEMELESS_ADDRESS.match(url):
        return f"https://{url}"
    return None


def plain(text: str) -> str:
    """Text with its links written as their labels only."""
    return "".join(segment.text for segment in segments(text))


def place_text(location: Location | None) -> str | None:
    """Where the person is, in one line: each part of the address once."""
    if location is None:
        return None
    parts = [
        location.address,
        location.city,
        location.region,
        location.postal_code,
        location.country_code,
    ]
    return ", ".join(dict.fromkeys(p for p in parts if p)) or None


def _contacts(cv: CV) -> list[Contact]:
    basics = cv.basics
    contacts: list[Contact] = []
    place = place_text(basics.location)
    if place:
        contacts.append(Contact(place))
    if basics.email:
        contacts.append(Contact(basics.email, f"mailto:{basics.email}"))
    if basics.phone:
        contacts.append(Contact(basics.phone))
    urls = [basics.url, *(p.url for p in basics.profiles)]
    for url in dict.fromkeys(u for u in urls if u):
        target = link_target(url)
        contacts.append(Contact(bare_url(url), target) if target else Contact(url))
    for profile in basics.profiles:
        shown_in_url = (
            profile.url and profile.username and profile.username.lower() in profile.url.lower()
        )
        if profile.username and not shown_in_url:
            label = f"{profile.network}: " if profile.network else ""
            contacts.append(Contact(f"{label}{profile.username}"))
    return contacts


def _sections(cv: CV, kind: str, title: str) -> list[Section]:
    """The sections of one kind: usually one; entries the source kept under different titles
    ("Selected Projects" and "Open Source") stay under their own titles."""
    if kind == "summary":
        summary = cv.basics.summary
        return [Section(kind, title, paragraph=summary)] if summary else []
    if kind in ("work", "volunteer", "projects"):
        groups: dict[str, list[Entry]] = {}
        for entry in getattr(cv, kind):
            groups.setdefault(_title_of(cv, entry, kind, title), []).append(_entry(entry))
        return [Section(kind, name, entries=entries) for name, entries in groups.items()]
    items = _items(cv, kind)
    return [Section(kind, title, items=items)] if items else []


def _title_of(cv: CV, entry: Work | Volunteer | Project, kind: str, default: str) -> str:
    """The title of the section the entry stood under in the source, when it is known."""
    source = entry.highlights[0].source if entry.highlights else None
    written = source.section if source is not None else None
    if written and _written_title(written) and kind_in(cv.origin, written) == kind:
        return written
    return default


def _additional_sections(cv: CV) -> list[Section]:
    """Sections the reader kept under their own title (Talks, Patents...), as lists, last."""
    sections = []
    for extra in (cv.model_extra or {}).get("additionalSections") or []:
        lines = [LIST_MARK.sub("", str(line)) for line in extra.get("lines", [])]
        items = [Item(None, line) for line in lines if line.strip()]
        if items:
            sections.append(Section("additional", str(extra.get("title", "")), items=items))
    return sections


def _with_url(summary: str | None, url: str | None) -> str | None:
    """The entry's summary, followed by its link when the summary does not show it already."""
    if not url or (summary and (url in summary or bare_url(url) in summary.lower())):
        return summary
    return f"{summary} {url}" if summary else url


@dataclass(frozen=True)
class _Linked:
    """An entry's summary as shown under its linked name (`shown`, without the address at
    its end) and as written with the address (`written`), and the address (`url`, None when
    the link cannot be clickable or has no name to stand behind: then `shown` is `written`)."""

    shown: str | None
    written: str | None
    url: str | None


def _link_of(summary: str | None, url: str | None, named: bool) -> _Linked:
    """Where an entry's own link goes: behind its `named` name, the address the summary ends
    with ("... systems. github.com/x/y") taken off it; else after the summary, as text."""
    written = _with_url(summary, url)
    target = link_target(url) if url else None
    if target is None or not named:
        return _Linked(written, written, None)
    return _Linked(_without_address(summary, target) if summary else None, written, target)


def _without_address(text: str, url: str) -> str | None:
    """Text without the address it ends with, when that is `url` written as itself (a bare
    address or a link labelled with it); the text unchanged otherwise."""
    last = next(reversed(list(LINK_IN_TEXT.finditer(text))), None)
    if last is None or text[last.end() :].strip(" .;"):
        return text
    shown = last.group("md_label") or last.group("label") or last.group("bare")
    address = last.group("md_url") or last.group("url") or last.group("bare")
    if not (bare_url(shown) == bare_url(address) == bare_url(url)):
        return text
    return text[: last.start()].rstrip(" ,;:–—-|·") or None


def _entry(entry: Work | Volunteer | Project) -> Entry:
    bullets = [bullet.text for bullet in entry.highlights]
    dates = date_range(entry.start_date, entry.end_date)
    if isinstance(entry, Project):
        # a line of a list ("Contributor to rankfair ...") is read as a project whose
        # description and only bullet are that line: show it once, as the bullet
        repeated = entry.description and plain(entry.description) in map(plain, bullets)
        linked = _link_of(None if repeated else entry.description, entry.url, bool(entry.name))
        others = (
            _labelled("Role" if len(entry.roles) == 1 else "Roles", entry.roles),
            _labelled("Keywords", entry.keywords),
        )
        return Entry(
            title=entry.name or "",
            organization=entry.entity,
            dates=dates,
            lines=_present(linked.shown, *others),
            bullets=bullets,
            url=linked.url,
            links_title=True,
            written_lines=_present(linked.written, *others),
        )
    if isinstance(entry, Work):
        # the description says what the employer does; the summary, what the role was
        description = entry.description if entry.description != entry.summary else None
        organisation = entry.name
    else:
        description, organisation = None, entry.organization
    linked = _link_of(entry.summary, entry.url, bool(organisation or entry.position))
    return Entry(
        title=entry.position or organisation or "",
        organization=organisation if entry.position else None,
        dates=dates,
        location=entry.location,
        lines=_present(description, linked.shown),
        bullets=bullets,
        url=linked.url,
        links_title=not (organisation and entry.position),
        written_lines=_present(description, linked.written),
    )


def _labelled(label: str, values: list[str]) -> str | None:
    """ "Roles: Team lead, Designer", or None for no values."""
    return f"{label}: {', '.join(values)}" if values else None


def _present(*lines: str | None) -> list[str]:
    return [line for line in lines if line]


def _items(cv: CV, kind: str) -> list[Item]:
    if kind == "education":
        return [_education(e) for e in cv.education]
    if kind == "publications":
        return [_publication(p) for p in cv.publications]
    if kind == "skills":
        return [_named_list(_with_level(s.name, s.level), s.keywords) for s in cv.skills]
    if kind == "awards":
        return [
            _item(a.title, _joined(a.awarder, format_date(a.date), a.summary)) for a in cv.awards
        ]
    if kind == "certificates":
        return [
            _item(c.name, _joined(c.issuer, format_date(c.date), c.url)) for c in cv.certificates
        ]
    if kind == "languages":
        return [
            Item(None, f"{lang.language} ({lang.fluency})" if lang.fluency else lang.language or "")
            for lang in cv.languages
        ]
    if kind == "interests":
        return [_named_list(i.name, i.keywords) for i in cv.interests]
    if kind == "references":
        return [_item(r.name, r.reference or "") for r in cv.references]
    return []


def _with_level(name: str | None, level: str | None) -> str | None:
    """ "Web Development (Master)": a skill group's name with the level the CV gives it."""
    if not level:
        return name
    return f"{name} ({level})" if name else f"({level})"


def _named_list(name: str | None, keywords: list[str]) -> Item:
    """ "ML: PyTorch, JAX", or the list alone when it has no name, or the name alone."""
    if keywords:
        return Item(f"{name}:" if name else None, ", ".join(keywords))
    return Item(None, name or "")


def _education(education: Education) -> Item:
    degree = ", ".join(p for p in (education.study_type, education.area) if p)
    dates = date_range(education.start_date, education.end_date)
    before = [education.institution, education.url, education.location]
    after = [education.score, education.summary]
    if education.courses:
        after.append("Courses: " + ", ".join(education.courses))
    whole = _education_text(_joined(*before, dates, *after), education.highlights)
    item = _item(degree, whole)
    if dates and item.label == (degree or None):  # not folded into the text
        rest = _education_text(_joined(*before, *after), education.highlights)
        return replace(item, columns=(rest, dates))
    return item


def _education_text(text: str, highlights: list[str]) -> str:
    if highlights:  # the lines under a degree ("Thesis: ...", "Award: ...")
        return "; ".join([text, *highlights]) if text else "; ".join(highlights)
    return text


def _publication(publication: Publication) -> Item:
    authors = ", ".join(publication.authors)
    detail = _joined(
        authors, publication.publisher, format_date(publication.release_date), publication.summary
    )
    name = publication.name or ""
    # a reader that could not split a citation keeps it whole in `name`; show it as written
    if publication.url and publication.url not in name:
        detail = _joined(detail, publication.url)
    return _item(name, detail)


def _item(label: str | None, text: str) -> Item:
    """An item whose label is bold; a label that is a whole sentence or more (a citation or an
    award the reader could not split) is shown as plain text instead."""
    if label and re.search(r"[.;](?:\s|$)", label):
        return Item(None, _joined(label, text))
    return Item(label or None, text)


def _joined(*parts: str | None) -> str:
    """Parts joined by commas, skipping any already written (a citation that holds its year)."""
    text = ""
    for part in parts:
        if not part or part in text:
            continue
        text = part if not text else f"{text}{' ' if text.endswith('.') else ', '}{part}"
    return text


def entry_heading(entry: Entry) -> str:
    """ "Position — Company", or the title alone."""
    return f"{entry.title} — {entry.organization}" if entry.organization else entry.title


def entry_details(entry: Entry) -> str:
    """ "Mar 2022 – Present · Austin, TX" (whichever of the two the entry has)."""
    return " · ".join(p for p in (entry.dates, entry.location) if p)


def entry_lines(entry: Entry) -> list[str]:
    """The lines under an entry's header with its link's address written out, for formats
    that show a link as its address (Markdown)."""
    return entry.lines if entry.written_lines is None else entry.written_lines


def entry_head(entry: Entry) -> list[HeadLine]:
    """An entry's header as it is set in two lines: the organisation in bold with the place on
    the right, then the title with the dates on the right. Without an organisation the title
    is the bold line; the dates go under the place when there are both. A project's name is
    its bold line, linked, and the organisation it was for goes under it: a project is known
    by its name, and a reader takes the bold line for it."""
    title_url = entry.url if entry.links_title else None
    if entry.organization and entry.links_title:
        return [
            HeadLine(entry.title, entry.location, strong=True, url=title_url),
            HeadLine(entry.organization, entry.dates),
        ]
    if entry.organization:
        organisation_url = None if entry.links_title else entry.url
        return [
            HeadLine(entry.organization, entry.location, strong=True, url=organisation_url),
            HeadLine(entry.title, entry.dates, url=title_url),
        ]
    if not entry.title and not entry.dates and not entry.location:
        return []
    if entry.location and entry.dates:
        return [
            HeadLine(entry.title, entry.location, strong=True, url=title_url),
            HeadLine("", entry.dates),
        ]
    return [HeadLine(entry.title, entry.location or entry.dates, strong=True, url=title_url)]


def estimated_lines(document: Document, chars_per_line: int) -> float:
    """How many lines of a page the document fills in tailor's layouts (headings and the
    space around them counted as the lines they take)."""
    contacts = _wrapped(" · ".join(c.text for c in document.contacts), chars_per_line)
    lines = 3.0 + contacts  # the name and the label, then the contacts
    for section in document.sections:
        lines += _heading_lines(section, chars_per_line)
        lines += sum(_part_lines(section, chars_per_line))
    return lines


def largest_lines(document: Document, chars_per_line: int, *, whole_sections: bool) -> float:
    """The most lines one section (`whole_sections`), or one entry or item with the heading
    of its section, takes: the most that leaving out one of them can save."""
    largest = 0.0
    for section in document.sections:
        parts = _part_lines(section, chars_per_line)
        taken = sum(parts) if whole_sections else max(parts, default=0.0)
        largest = max(largest, _heading_lines(section, chars_per_line) + taken)
    return largest


def _heading_lines(section: Section, chars_per_line: int) -> float:
    """The title, its rule and the space above it, and the section's paragraph."""
    return 2.0 + _wrapped(section.paragraph, chars_per_line)


def _part_lines(section: Section, chars_per_line: int) -> list[float]:
    """The lines each entry and each item of a section takes."""
    parts = [
        1.5
        + (1 if entry_details(entry) else 0)
        + sum(_wrapped(line, chars_per_line) for line in entry.lines)
        + sum(_wrapped(bullet, chars_per_line, indent=4) for bullet in entry.bullets)
        for entry in section.entries
    ]
    parts += [
        float(_wrapped(f"{item.label or ''}{item.joiner}{item.text}", chars_per_line))
        for item in section.items
    ]
    return parts


def _wrapped(text: str | None, chars_per_line: int, indent: int = 0) -> int:
    return math.ceil(_shown_length(text) / (chars_per_line - indent)) if text else 0


@functools.lru_cache(maxsize=2048)
def _shown_length(text: str) -> int:
    """The characters a line shows; fitting a long CV to its pages asks again and again."""
    return len(plain(text))
