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

import dataclasses
import functools
import itertools
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
from tailor.cv.patterns import (
    BARE_URL,
    CONTACT_URL,
    DATE_RANGE,
    DOCUMENT_TITLE,
    EMAIL,
    ISO_DATE,
    LABELLED_PHONE,
    MARKDOWN_AUTOLINK,
    MARKDOWN_LINK,
    MARKDOWN_LINK_DEFINITION,
    MARKDOWN_REFERENCE_LINK,
    MONTH_SLASH_YEAR,
    MONTHS,
    PHONE_LIKE,
    PRESENT,
    SEASONS,
    SINGLE_DATE,
    TEXT_AND_ADDRESS,
    YEAR,
    bare_url,
)
from tailor.cv.readers.sections import ROLE_SUBHEADINGS, normalise_title, section_kind
from tailor.errors import UserError
from tailor.skills import split_skill_list

_BULLET = re.compile(r"^\s*(?:[-*•·▪◦●‣–]|\d{1,2}[.)])\s+(?P<text>\S.*)$")
_MD_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.+?)\s*#*\s*$")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_UNDERLINE = re.compile(r"^\s*(=+|-{3,})\s*$")
_TITLE_WORDS = re.compile(
    r"\b(engineer|scientist|researcher|developer|manager|lead|intern|analyst|architect|head|"
    r"director|founder|co-founder|cto|ceo|vp|consultant|fellow|student|assistant|associate|"
    r"professor|lecturer|specialist|programmer|officer|technician|designer|contractor|"
    r"postdoc|phd|staff|principal|member of technical staff|member|president|chair|"
    r"volunteer|mentor|organi[sz]er|tutor|teacher|instructor|editor|writer|reporter|"
    r"coordinator|representative|treasurer|secretary|trainee|apprentice|tester|advisor|"
    r"adviser|owner|partner|contributor|leader|maintainer)\b",
    re.IGNORECASE,
)
_DEGREE = re.compile(
    r"\b((?:bachelor|master|doctor)(?:['’]s)? of (?:science|arts|engineering|philosophy|technology|business administration)|ph\.?d|d\.?phil|m\.?sc|b\.?sc|m\.?s|b\.?s|b\.?a|m\.?a|m\.?eng|b\.?eng|mba|bachelor(?:['’]s)?|"
    r"master(?:['’]s)?|doctorate|diploma|associate(?:['’]s)?)(?!\w)\.?",
    re.IGNORECASE,
)
_INSTITUTION = re.compile(
    r"\b(university|college|institute|school|academy|polytechnic|universität|université|ETH|MIT)\b",
    re.IGNORECASE,
)
_PLACE = re.compile(
    r"(?<![\w.'-])[A-Z][\w.'-]*+(?: [A-Z][\w.'-]*+){0,5}, [A-Z][\w.'-]*+(?: [A-Z][\w.'-]*+){0,2}"
)


def _is_place(text: str) -> bool:
    """ "Austin, TX", "Heidelberg, Germany"; not "Example, Inc." (a company's legal form)."""
    return bool(_PLACE.fullmatch(text)) and not re.search(rf",\s+{_LEGAL_FORM}\.?$", text)


_DURATION = re.compile(r"\(\s*\d+\s*(?:years?|yrs?|months?|mos?)\b[^)]*\)", re.IGNORECASE)
# a comma before a company's legal form ("Hiatt Digital, LLC") does not separate
_LEGAL_FORM = (
    r"(?:LLC|L\.L\.C\.|Inc|Ltd|GmbH|Corp|Co|S\.A|SA|plc|PLC|AG|LLP|LP|Pty|BV|NV|SAS|SRL)\b"
)
_SEPARATORS = re.compile(rf"\n|\t+|\s{{3,}}|\s+[—–|@·]\s+|\s+-\s+|\s+at\s+|,\s+(?!{_LEGAL_FORM})")
# what splits a header line into its cells: a wide gap (a right-aligned column) or a bar
_CELL_BREAK = re.compile(r"\t+|\s{3,}|\s+[|·]\s+")


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
    markdown: bool = False  # Markdown's rules hold: a line right after a bullet continues it


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
        raw_lines = _plain_markdown(raw_lines)
    lines = [
        _Line(number, raw.rstrip(), len(raw) - len(raw.lstrip()))
        for number, raw in enumerate(raw_lines, start=1)
    ]
    # Markdown files mark every section with a heading; a DOCX may mix heading styles with
    # titles typed in capitals, so its plain-text titles still count.
    only = fmt == "markdown" if headings_only is None else headings_only
    header, sections = _split_sections(lines, headings_only=only)
    if not any(section.kind for section in sections):
        raise UserError(
            "no CV sections found (expected English section titles such as Experience, "
            "Education or Skills)"
        )
    basics, unplaced = _parse_header(header)
    if not (basics.email or basics.phone):
        unplaced += _closing_contacts(basics, sections)
    cv = CV(basics=basics)
    kinds: dict[str, str | None] = {}  # the section each title was read as
    extra: list[dict[str, Any]] = []
    for section in sections:
        section.markdown = fmt == "markdown"
        if section.kind == "publications" and _lists_roles(section):
            section.kind = "work"  # "Research": roles in a lab, not papers
        elif (
            section.kind == "work"
            and not _lists_roles(section)
            and section_kind(section.title, by_last_word=False) is None
        ):
            section.kind = None  # "Technical Experience" holding no dated roles
        kinds[section.title] = section.kind
        if section.kind is None:
            extra.append({"title": section.title, "lines": _paragraphs(section.lines)})
        elif section.kind == "contact":
            unplaced += _fill_contact_details(cv.basics, _plain_lines(section.lines))
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


# -- Markdown ------------------------------------------------------------------------------

_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_THEMATIC_BREAK = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_FENCED_DIV = re.compile(r"^\s*:::")


def _plain_markdown(lines: list[str]) -> list[str]:
    """Markdown's other ways of writing structure, as the forms this reader knows, line for
    line (so every line keeps its number): underlined headings as `#` and `##` ones, block
    quotes, definition lists, reference links, autolinks, hard breaks and fenced divs as
    plain text; rules and link definitions as blank lines."""
    references = {
        match["ref"].lower(): match["url"].strip("<>")
        for line in lines
        if (match := MARKDOWN_LINK_DEFINITION.match(line))
    }
    plain = list(lines)
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        text = line.strip()
        if MARKDOWN_LINK_DEFINITION.match(line) or _FENCED_DIV.match(line):
            plain[index] = ""
        elif (
            text
            and not _BULLET.match(line)
            and _SETEXT.match(following)
            and not _SETEXT.match(line)
        ):
            level = "#" if following.strip().startswith("=") else "##"
            plain[index] = f"{level} {_unquoted(text)}"
        elif _SETEXT.match(line) and index and plain[index - 1].startswith("#"):
            plain[index] = ""  # the underline of the heading above
        elif _THEMATIC_BREAK.match(line):
            plain[index] = ""
        else:
            plain[index] = _inline_markdown(_unquoted(line), references)
    return plain


def _unquoted(line: str) -> str:
    """A line without its block-quote marks, definition mark and hard break."""
    line = re.sub(r"^(\s*>)+\s?", "", line)
    line = re.sub(r"^\s*:\s{1,4}(?=\S)", "", line)
    return line[:-1].rstrip() if line.endswith("\\") else line


def _inline_markdown(line: str, references: dict[str, str]) -> str:
    def resolved(match: re.Match[str]) -> str:
        url = references.get((match["ref"] or match["label"]).lower())
        return f"[{match['label']}]({url})" if url else match.group()

    line = MARKDOWN_REFERENCE_LINK.sub(resolved, line)
    return MARKDOWN_AUTOLINK.sub(r"\1", line)


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
    # the name's line: the first, or the one after a document title ("CURRICULUM VITAE"), and
    # the headline under it ("RESEARCH SCIENTIST"): the header's, however they are set
    name_at = 1 if len(content) > 1 and _is_document_title(content[0].text) else 0
    top = {line.number for line in content[: name_at + 1]} | _headline(content, name_at)
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
        if line.number in top and title and not section_kind(title):
            title = None  # the first line of a CV is its owner's name, even in capitals
        if title is not None:
            # a line that opens a section is a heading: its last word may name it
            sections.append(_Section(title=title, kind=section_kind(title, by_last_word=True)))
            skip_next = next_line is not None and bool(_UNDERLINE.match(next_line.text))
        elif sections:
            sections[-1].lines.append(line)
        else:
            header.append(line)
    return header, sections


# a headline's lines at most: a job title, its fields, an affiliation
HEADLINE_LINES = 3


def _headline(content: list[_Line], name_at: int) -> set[int]:
    """The numbers of the lines right under the name that say what the person is, however
    they are set ("RESEARCH SCIENTIST", "## Machine Learning · Statistics"): a few short
    lines, none a bullet, a sentence or a known section title, with a contact line or a known
    section title right after them (else they may head a section of their own)."""
    if name_at >= len(content) or not _may_be_name(_strip_heading(content[name_at].text)):
        return set()  # no name: the CV starts with a section, or a date
    run: list[_Line] = []
    for line in content[name_at + 1 :]:
        if _UNDERLINE.match(line.text):
            continue  # the rule under the name or the headline
        text = _strip_heading(line.text)
        if _has_contact(text) or section_kind(text.rstrip(":"), by_last_word=True):
            return {line.number for line in run}
        if len(run) == HEADLINE_LINES or _BULLET.match(line.text) or not _is_headline(text):
            return set()
        run.append(line)
    return set()


def _may_be_name(text: str) -> bool:
    """Whether the first line may be a name, with a headline under it: not a section title,
    and not a note with a date ("Last updated in Mar 2026", above the name)."""
    return bool(text) and not section_kind(text) and not SINGLE_DATE.search(text)


def _is_headline(text: str) -> bool:
    """A line under the name that may say what the person is: short, with no contact detail,
    date or sentence ("Senior ML Engineer | NLP"); a place or an address may stand there too."""
    line = _link_text(text).lstrip("#").strip()
    return (
        0 < len(line) < 100
        and not line.endswith(".")
        and not _has_contact(line)
        and not _is_prose(line)
        and not SINGLE_DATE.search(line)
    )


def _lists_roles(section: _Section) -> bool:
    """Whether a section lists roles: dates on lines that are not bullets, or in a right-hand
    column beside a first bullet."""
    for line in section.lines:
        bullet = _BULLET.match(line.text)
        text = (_without_column(bullet["text"])[1] or "") if bullet else line.text
        if DATE_RANGE.search(text):
            return True
    return False


def _opens_section(
    title: str, line: _Line, next_content: _Line | None, current: str | None
) -> bool:
    """Whether a line that reads like a title really opens a section where it stands."""
    text = line.text.strip()
    if _MD_HEADING.match(text):
        return True
    # a title named by its last word ("TEACHING EXPERIENCE") is known too, unless it holds a
    # job title's words ("HEAD OF CUSTOMER EXPERIENCE" heads a role)
    kind = section_kind(title) or (
        None if _TITLE_WORDS.search(title) else section_kind(title, by_last_word=True)
    )
    if current in ("work", "volunteer", "projects") and normalise_title(title) in ROLE_SUBHEADINGS:
        return False  # "Key achievements:" heads a role's bullets
    if current == "skills" and kind == "languages" and not _is_uppercase_title(text):
        return False  # "Languages" under Skills labels programming languages
    if kind is None and next_content is not None:
        # an unknown line in capitals followed by a role line is a company name, not a title
        return not (DATE_RANGE.search(next_content.text) or _TITLE_WORDS.search(next_content.text))
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
            not headings_only and section_kind(heading["text"], by_last_word=False)
        ):
            return _strip_markdown(heading["text"])
        return None  # in Markdown, a deeper heading is a role or a project
    if md_level is not None and headings_only:
        return None  # a Markdown CV with section headings opens sections with them alone
    if next_line is not None and _UNDERLINE.match(next_line.text) and len(text.split()) <= 5:
        return _strip_markdown(text)
    if md_level is not None and not _is_uppercase_title(text):
        return None  # beside heading-styled sections, only a title typed in capitals is one
    if section_kind(text) and (
        after_gap or text.endswith(":") or _strip_markdown(text)[:1].isupper()
    ):
        return _strip_markdown(text).rstrip(":")
    apart = after_gap and (next_line is None or not next_line.text.strip())
    if apart and section_kind(text, by_last_word=True) and not _TITLE_WORDS.search(text):
        # "Teaching Experience", standing apart: a title by its last word; "Head of
        # Customer Experience" (a job title) is none
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
        and not DATE_RANGE.search(bare)
        and not EMAIL.search(bare)
    )


# -- header (name and contact details) ------------------------------------------------------


def _parse_header(lines: list[_Line]) -> tuple[Basics, list[str]]:
    """Name from the first line; label, contacts, links and place from the lines after it;
    and the header's words that are none of these (a motto, a second email)."""
    # the rules under a name or headline in a text file ("=====") say nothing
    texts = [
        line.text.strip() for line in lines if line.text.strip() and not _UNDERLINE.match(line.text)
    ]
    basics = Basics()
    if len(texts) > 1 and _is_document_title(texts[0]):
        texts = texts[1:]  # "Curriculum Vitae" above the name
    if not texts:
        return basics, []
    first = _link_text(texts[0]).lstrip("#").strip()
    name, *rest = re.split(r"\s{3,}|\t", first)
    # a name set as a link to the person's site: "Jane Doe (https://jane.dev)"
    basics.name, url = _without_link(name)
    if url:
        rest = [url, *rest]
    details = texts[1:]
    if _may_be_name(basics.name or "") and not any(_has_contact(cell) for cell in rest):
        headline = _label_lines(details)
        basics.label = " · ".join(headline) or None
        details = details[len(headline) :]
    return basics, _fill_contact_details(basics, [*rest, *details])


def _label_lines(texts: list[str]) -> list[str]:
    """The headline under the name, as the CV's label: the line right under it ("RESEARCH
    SCIENTIST", "Machine Learning · Statistics"), with the one or two after it that go on
    saying what the person is; never a place, an address, a street or the document's title."""
    label: list[str] = []
    for text in texts[:HEADLINE_LINES]:
        line = _link_text(text).lstrip("#").strip()
        if (
            not _is_headline(line)
            or _is_document_title(line)
            or (_is_address(line) and not _TITLE_WORDS.search(line))
            or re.search(r"\d{3}", line)  # a house number or a postcode
            or (label and _looks_like_place(line))  # "Berlin" under the job title
        ):
            break
        label.append(line)
    return label


def _fill_contact_details(basics: Basics, texts: list[str]) -> list[str]:
    """Read email, phone, links, a job title and a place from contact lines or segments;
    return the segments that are none of these."""
    for url in dict.fromkeys(
        _with_scheme(url.rstrip("./")) for url in _links_in(" | ".join(texts))
    ):
        _add_link(basics, url)
    unplaced: list[str] = []
    for text in texts:
        line = _link_text(text)
        # the label of a link ("[portfolio](https://...)"), whose address is read above
        labels = {match["label"].strip() for match in MARKDOWN_LINK.finditer(text)}
        if basics.label is None and _is_label(line):
            basics.label = line.strip()
            continue
        if _is_prose(line):  # a few sentences under the name: a summary without its title
            basics.summary = _join_wrapped(basics.summary, line) if basics.summary else line
            continue
        for segment in (s.strip() for s in _CONTACT_BREAK.split(line)):
            if segment and segment not in labels and not _fill_contact_segment(basics, segment):
                unplaced.append(segment)
    return unplaced


# what separates the details of a contact line: a bar, a middle dot or bullet between
# spaces, a wide gap
_CONTACT_BREAK = re.compile(r"\s*\|\s*|\s[·•](?:\s|$)|\s{3,}")


def _closing_contacts(basics: Basics, sections: list[_Section]) -> list[str]:
    """Contact details written at the very end of the CV, where a header has none: a line
    of the last three holding an email or a phone ("jo@example.com • +44 20 7946 0000").
    The line leaves the section it was read in; what of it is not a contact is returned."""
    # a referee's contact details are theirs, not the owner's
    closing = [section for section in sections[-2:] if section.kind != "references"]
    last = [line for section in closing for line in section.lines if line.text.strip()]
    for line in last[-3:]:
        text = _strip_markdown(_BULLET.sub(lambda m: m["text"], line.text)).strip()
        if len(text) <= 200 and (EMAIL.search(text) or LABELLED_PHONE.match(text)):
            for section in closing:
                if line in section.lines:
                    section.lines.remove(line)
            return _fill_contact_details(basics, [text])
    return []


def _is_document_title(text: str) -> bool:
    """A line that names the document, not its owner: "Curriculum Vitae", "# RÉSUMÉ"."""
    return DOCUMENT_TITLE.fullmatch(_link_text(text).strip("#* ")) is not None


def _has_contact(line: str) -> bool:
    """Whether a line holds a link, an email address or a phone number."""
    return bool(_links_in(line) or EMAIL.search(line) or PHONE_LIKE.search(line))


def _links_in(text: str) -> list[str]:
    """The web addresses in contact details, in the order written: with a scheme, or without
    one ("scholar.example.net/ilse", "github.com/ilse"); an e-mail's domain, "Node.js" or
    "B.Sc" is none."""
    found = [(match.start(), match.group()) for match in CONTACT_URL.finditer(text)]
    # each address is read once, and no part of an e-mail address ("ana.quill+jobs@...") is one
    rest = CONTACT_URL.sub(lambda match: " " * len(match.group()), text)
    rest = EMAIL.sub(lambda match: " " * len(match.group()), rest)
    found += [
        (match.start(), match.group())
        for match in BARE_URL.finditer(rest)
        if looks_like_link(match.group(), profile_host=_network_of(match.group()) is not None)
    ]
    return [url for _, url in sorted(found)]


def _is_prose(line: str) -> bool:
    """Words in sentences with no contact detail: eight words or more, most of them starting
    lower-case (a header's motto or a summary without its title, not a list of places)."""
    if _has_contact(line) or "|" in line:
        return False
    words = line.split()
    return len(words) >= 8 and sum(w[:1].islower() for w in words) >= len(words) / 2


def _is_label(line: str) -> bool:
    """A header line that says what the person is: job words, and no contact details."""
    return len(line) < 100 and bool(_TITLE_WORDS.search(line)) and not _has_contact(line)


def _fill_contact_segment(basics: Basics, segment: str) -> bool:
    """Put one segment of a contact line in its place; False when it has none."""
    links = _links_in(segment)
    rest = functools.reduce(lambda text, url: text.replace(url, ""), links, segment)
    rest = rest.replace("()", "")
    if links and len(rest.split()) <= 3 and not EMAIL.search(rest):
        return True  # a link, read above, with its label or icon ("GitHub jdoe (https://...)")
    if links and EMAIL.search(rest):
        segment = rest.strip()  # "jo@example.com https://jo.dev": the link is read above
    # without icons and a label ("LinkedIn: linkedin.com/in/x", "Tel.: +44 ...")
    bare = re.sub(r"^[A-Za-z][\w .-]{0,20}:\s*(?=\S)", "", segment.strip("📞☎📍✉ "))
    if email := EMAIL.search(bare):
        if basics.email not in (None, email.group()):
            return False  # a second address: nowhere to put it
        basics.email = email.group()
        # what stands beside the address ("jo@example.com, +44 ...") is read in turn, once:
        # every copy of the address goes, so a line of repeats never recurses deeper
        rest = EMAIL.sub(lambda m: " " if m.group() == basics.email else m.group(), bare)
        rest = " ".join(rest.split()).strip(" ,;:()")
        return not rest or _fill_contact_segment(basics, rest)
    if phone := LABELLED_PHONE.fullmatch(bare):
        if basics.phone is None or basics.phone == phone["phone"]:
            basics.phone = phone["phone"]
            return True
        return False
    if basics.label is None and _TITLE_WORDS.search(bare) and not CONTACT_URL.search(bare):
        basics.label = bare
        return True
    if basics.location is None and _is_address(bare):
        basics.location = Location(address=bare)
        return True
    return False


def _is_address(text: str) -> bool:
    """A place or postal address: words and commas, a postcode or house number at most."""
    if "," not in text or len(text) > 120 or "@" in text or "/" in text:
        return False
    return len(re.findall(r"\d", text)) <= 12 and len(re.findall(r"[^\W\d_]", text)) >= 4


def _add_link(basics: Basics, url: str) -> None:
    """A profile on a network tailor knows, the person's site, or another site of theirs."""
    network = _network_of(url)
    known = {bare_url(u) for u in [basics.url, *(p.url for p in basics.profiles)] if u}
    if bare_url(url) in known:
        return
    if network is None and basics.url is None:
        basics.url = url
    else:
        host = (urlsplit(url).hostname or "").removeprefix("www.")
        basics.profiles.append(Profile(network=network or host, url=url))


_NETWORKS = {
    "github.com": "GitHub",
    "gitlab.com": "GitLab",
    "linkedin.com": "LinkedIn",
    "huggingface.co": "Hugging Face",
    "scholar.google.com": "Google Scholar",
    "x.com": "X",
    "twitter.com": "Twitter",
    "facebook.com": "Facebook",
    "youtube.com": "YouTube",
    "quora.com": "Quora",
    "stackoverflow.com": "Stack Overflow",
    "kaggle.com": "Kaggle",
    "medium.com": "Medium",
    "orcid.org": "ORCID",
    "xing.com": "XING",
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


_HeaderTest = Callable[[_Line, list[_Line], str, "_Entry | None"], bool]


@dataclass
class _Entry:
    header: str | None
    details: list[str] = field(default_factory=list)  # non-bullet lines under the header
    bullets: list[_Line] = field(default_factory=list)
    level: int | None = None  # the Markdown heading level of the header, if it is one
    indent: int = 0  # the header's


def _split_entries(
    section: _Section,
    is_header: _HeaderTest,
    *,
    multi_line_headers: bool = False,
    indented_items: bool = False,
) -> list[_Entry]:
    """Group a section's lines into entries: a header line, detail lines and bullets.

    `is_header(line, upcoming, previous, entry)` decides whether a non-bullet line opens an
    entry, given the next two non-empty lines, what came before it ("start", "blank",
    "bullet", "header" or "detail") and the entry it would otherwise join. With
    `multi_line_headers`, short lines right under a header complete it (a role written as
    Title / Company / dates). With `indented_items`, lines indented under a header in a
    text file are its bullets, written without marks (as academic CVs list a role's work).
    """
    entries: list[_Entry] = []
    previous = "start"
    unmarked = False  # the last bullet is an indented line without a mark
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
            text, column = _without_column(bullet["text"].strip())
            if column and entries[-1].header is not None and not entries[-1].bullets:
                # the dates or place of the entry, set in a right-hand column beside its
                # first bullet: they belong to its header
                entries[-1].header += f"\n   {column}"
            elif column:
                text = bullet["text"].strip()
            entries[-1].bullets.append(_Line(line.number, text, line.indent))
            previous, unmarked = "bullet", False
        elif (
            previous == "bullet"
            and not unmarked
            and _continues_bullet(line, entries[-1].bullets[-1], markdown=section.markdown)
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
            entries[-1].header = f"{entries[-1].header}\n{_strip_heading(text)}"
        elif indented_items and not section.markdown and _is_unmarked_item(line, entries):
            items = entries[-1].bullets
            if unmarked and previous == "bullet" and _continues_item(line, items[-1]):
                items[-1].text = _join_wrapped(items[-1].text, text)
            else:
                items.append(_Line(line.number, text, line.indent))
            previous, unmarked = "bullet", True
        elif not entries or (
            is_header(line, upcoming, previous, entries[-1])
            and (not uses_headings or _opens_entry_beside_headings(text, previous))
        ):
            heading = _MD_HEADING.match(line.text.strip())
            level = len(heading["hashes"]) if heading else None
            entries.append(
                _Entry(header=_strip_heading(line.text), level=level, indent=line.indent)
            )
            previous = "header"
        else:
            entries[-1].details.append(text)
            previous = "detail"
    return entries


def _is_unmarked_item(line: _Line, entries: list[_Entry]) -> bool:
    """Whether a line is an item of the role above written without a mark: indented under its
    header, and no date line or place ("Amsterdam, NL" under the header is where it was)."""
    if not entries or entries[-1].header is None or line.indent <= entries[-1].indent:
        return False
    text = line.text.strip()
    return not (_is_date_line(text) or _is_place(text) or _looks_like_place(text))


def _continues_item(line: _Line, item: _Line) -> bool:
    """Whether an indented line goes on with the unmarked item above it: it starts in lower
    case, is indented deeper, or the item broke after a joining word ("evaluation suites for")."""
    text = line.text.strip()
    return text[0].islower() or line.indent > item.indent or bool(_CONNECTOR.search(item.text))


_LAST_CELL = re.compile(r"(?<!\s)(?:\t+|\s{3,})(?P<cell>\S(?:(?!\t|\s{3}).)*)$")


def _without_column(text: str) -> tuple[str, str | None]:
    """A line and the cell of a right-hand column at its end ("... a team   Oct 2020 –
    May 2023"), when that cell holds dates or a place alone."""
    match = _LAST_CELL.search(text)
    if match is None:
        return text, None
    cell = match["cell"].strip()
    alone = DATE_RANGE.fullmatch(cell) or SINGLE_DATE.fullmatch(cell) or _date_list(cell)
    if alone or _is_place(cell):
        return text[: match.start()].rstrip(), cell
    return text, None


# a role's header is its title, employer, dates and place at most: a longer run of short lines
# is something else (and joining thousands of them into one header took minutes)
HEADER_LINES = 4


def _continues_header(line: _Line, entry: _Entry) -> bool:
    """A short line right under a role's first line completes it: Title / Company / dates, or
    a dated title followed by its company and place."""
    text = line.text.strip()
    header = entry.header or ""
    if entry.details or entry.bullets or _MD_HEADING.match(text):
        return False
    if header.count("\n") + 1 >= HEADER_LINES:
        return False
    sentence = text.endswith((".", "!", "?")) and len(text.split()) > 4  # not "Yahoo!"
    if len(_split_dates(text)[0]) >= 80 or sentence or text.endswith((",", ";")):
        return False  # a sentence, or the first line of a wrapped paragraph
    has_company = len(_split_parts(_split_dates(header)[0])) >= 2
    return not (DATE_RANGE.search(header) and has_company)


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
    return previous in ("blank", "bullet") and DATE_RANGE.search(text) is not None


def _is_date_line(text: str) -> bool:
    """A line holding dates and at most a place: `*Mar 2021 – Present · Berlin*`,
    `Berkeley, CA | 2015`."""
    if not _dated(_strip_markdown(text)):
        return False
    rest, _, _ = _split_dates(_strip_markdown(text))
    place = len(rest.split()) <= 4 or _looks_like_place(rest)  # "Seoul, S.Korea & LA, U.S.A"
    # "BSc Physics, Aldgate University, 2016 – 2019" is a degree of its own, not a date line
    degree = _DEGREE.search(rest) or _INSTITUTION.search(rest)
    return place and not _TITLE_WORDS.search(rest) and not degree


def _continues_bullet(line: _Line, bullet: _Line, *, markdown: bool = False) -> bool:
    """Whether a line right under a bullet goes on with it: in Markdown always (a "lazy"
    continuation line), elsewhere when it is indented, starts in lower case, or the bullet
    has not ended its sentence."""
    text = line.text.strip()
    if _MD_HEADING.match(text) or DATE_RANGE.search(text):
        return False
    return (
        markdown
        or line.indent > 0
        or text[0].islower()
        or not bullet.text.rstrip().endswith((".", "!", "?", ")"))
    )


def _join_wrapped(first: str, second: str) -> str:
    """Join a wrapped line to the text before it. A hyphen at the break is kept: text files
    are not hyphenated by a typesetter, and the PDF reader rejoins its own breaks."""
    return f"{first}{second}" if first.endswith("-") else f"{first} {second}"


def _role_header(line: _Line, upcoming: list[_Line], previous: str, entry: _Entry | None) -> bool:
    """A role opens with a heading, a short dated line, or a short line whose next lines carry
    the dates. A paragraph is never a role's first line, whatever follows it."""
    text = line.text.strip()
    if _MD_HEADING.match(text) or re.fullmatch(r"\*\*[^*]+\*\*:?|__[^_]+__:?", text):
        return True  # a heading, or a line all in bold
    if len(text) >= 160 or text.endswith((".", "!", "?")):
        return False
    if DATE_RANGE.search(text):
        return True
    short = len(text) < 100
    dated = [_dated(n.text) and not _BULLET.match(n.text) for n in upcoming]
    if short and dated[:1] == [True]:
        # the first line of Title / Company + dates; not a line before a whole header
        # ("Developer at Acme   2019 – 2021" needs no line above it)
        return not _whole_header(upcoming[0].text)
    if short and dated[1:2] == [True] and len(upcoming[0].text.strip()) < 80:
        return previous in ("start", "blank", "bullet")  # Title / Company / dates
    return short and bool(_TITLE_WORDS.search(text)) and bool(_SEPARATORS.search(text))


def _whole_header(text: str) -> bool:
    """A dated line that names a role and its employer by itself."""
    rest = _split_dates(text)[0]
    return bool(_TITLE_WORDS.search(rest)) and len(_split_parts(rest)) >= 2


def _named_header(line: _Line, upcoming: list[_Line], previous: str, entry: _Entry | None) -> bool:
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
    match = DATE_RANGE.search(text)
    if match:
        start, end = _iso_date(match["start"]), _iso_date(match["end"])
    else:
        match = SINGLE_DATE.search(text)
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
    if re.fullmatch(PRESENT, value, re.IGNORECASE):
        return None
    if ISO_DATE.fullmatch(value):
        return value
    if slash := MONTH_SLASH_YEAR.fullmatch(value):
        return f"{slash['year']}-{int(slash['month']):02d}"
    month, _, year = value.partition(" ")
    if month.lower() in SEASONS:
        return year.strip()  # a season says the year, not the month
    number = MONTHS.get(month.lower().rstrip("."))
    return f"{year.strip()}-{number:02d}" if number else value


def _abbreviates(part: str, degree: str) -> bool:
    """Whether `part` is the short form of the spelled-out degree it follows ("Master of
    Science - MS", "Doctor of Philosophy - PhD"): it holds the initial of each of the
    degree's capitalised words. Not a place that reads like one ("Medford, MA" after "BSc"),
    nor another degree ("Master of Science, MBA")."""
    words = degree.split()
    initials = {word[0] for word in words if word[0].isupper()}
    letters = set(re.sub(r"[^A-Za-z]", "", part).upper())
    return len(words) > 1 and _DEGREE.fullmatch(part) is not None and initials <= letters


_NAME_BREAK = re.compile(r"\t+|\s{3,}|\s+[—–|@·]\s+|\s+-\s+")


def _comma_names(school: str) -> list[str]:
    """The names a school's heading writes with a comma inside, each to keep whole
    ("Utah State University, Quinney College"); a place after the name stays apart
    ("Utah State University — Logan, UT", "Stanford University, Stanford, CA")."""
    names = []
    for chunk in _NAME_BREAK.split(school):
        pieces = [piece.strip() for piece in chunk.split(", ")]
        if len(pieces) >= 3 and _is_place(", ".join(pieces[-2:])):
            pieces = pieces[:-2]
        elif _is_place(chunk.strip()) and not _INSTITUTION.search(chunk):
            pieces = []
        if len(pieces) >= 2:
            names.append(", ".join(pieces))
    return names


def _split_parts(text: str) -> list[str]:
    return [part.strip(" ,|·") for part in _SEPARATORS.split(text) if part.strip(" ,|·")]


def _kept_whole(parts: list[str], whole: str) -> list[str]:
    """`parts` with the run of them that makes up `whole` as one part again."""
    pieces = _split_parts(whole)
    for start in range(len(parts) - len(pieces) + 1):
        if parts[start : start + len(pieces)] == pieces:
            return [*parts[:start], whole, *parts[start + len(pieces) :]]
    return parts


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
    url: str | None = None  # where the title or employer links to, in a PDF or DOCX


def _role(entry: _Entry) -> _Role:
    """Position, organisation, place and dates from a role's header (one line or several,
    split into cells at wide gaps and bars), its date line and its place line."""
    date_lines = [d for d in entry.details if _is_date_line(d)]
    details = [d for d in entry.details if d not in date_lines]
    cells = _cells([_strip_markdown(line) for line in (entry.header or "").split("\n")])
    start, end, places = cells.start, cells.end, list(cells.places)
    if date_lines:
        date_rest, line_start, line_end = _split_dates(_strip_markdown(date_lines[0]))
        if start is None and end is None:
            start, end = line_start, line_end
        if date_rest and _names_title_only(cells) and not _is_place(date_rest):
            cells.texts.append(date_rest)  # "Software Consultant" / "TNG   Dec 2024 – present"
        elif date_rest:
            places.append(date_rest)
    if len(cells.texts) >= 2:
        position, organisation, extra = _position_cell(cells)
        details = [*extra, *details]
        title, at, employer = (position or "").partition(" at ")
        if at and _TITLE_WORDS.search(title) and organisation and _looks_like_place(organisation):
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
            _is_place(details[0])
            or (len(details[0].split()) <= 2 and _looks_like_place(details[0]))
        )
    ):
        place = details.pop(0)  # "Austin, TX" or "Lisbon" on the line under the header
    if start and end is None and not _open_range(entry):
        end = start  # "2015" alone is when the role was, not a start with no end
    position, title_url = _without_link(position)
    organisation, employer_url = _without_link(organisation)
    return _Role(
        position,
        organisation,
        place,
        start,
        end,
        " ".join(details) or None,
        employer_url or title_url,
    )


def _without_link(text: str | None) -> tuple[str | None, str | None]:
    """A header cell and the address a PDF or DOCX linked it to ("Acme (https://acme.io)")."""
    match = TEXT_AND_ADDRESS.fullmatch(text or "")
    return (match["text"], match["url"]) if match else (text, None)


def _open_range(entry: _Entry) -> bool:
    """Whether the entry's dates are a range (ended or open: "2019 – Present")."""
    return any(DATE_RANGE.search(text) for text in [entry.header or "", *entry.details])


@dataclass
class _Cells:
    """A header's cells (its lines split at wide gaps and bars): the texts, the places in
    a right-hand column, and the dates."""

    texts: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    dated: int | None = None  # the index in `texts` of the text on the dates' line
    start: str | None = None
    end: str | None = None


def _cells(lines: list[str]) -> _Cells:
    """Split header lines into cells: "Company   Place" / "Title   Mar 2021 – Present" (two
    lines of a template with right-aligned columns, in either order), "Company | Title"."""
    cells = _Cells()
    for line in lines:
        first_text = len(cells.texts)
        parts = [c.strip(" ,|·") for c in _CELL_BREAK.split(line)]
        parts = [part for part in parts if part]
        # the rightmost cell after a wide gap is the right-hand column: a place or dates (a
        # line that starts with a gap is all right-hand column)
        right_only = bool(re.match(r"\t|\s{3,}", line))
        column = right_only or (
            len(parts) > 1 and bool(re.search(r"(?:\t|\s{3,})[^\t]*$", line.rstrip()))
        )
        for index, cell in enumerate(parts):
            rest, start, end = _split_dates(cell)
            if listed := _date_list(cell):
                rest, (start, end) = "", listed
            elif not DATE_RANGE.search(cell) and rest:
                start = end = None  # "President at 2013" keeps its year; "2019" alone is a date
                rest = cell
            if start or end:
                if cells.start is None and cells.end is None:
                    cells.start, cells.end = start, end
                    cells.dated = first_text
                elif (start, end) != (cells.start, cells.end):
                    start = end = None  # a second span has no field: kept as written
                    rest = cell
                if not rest:
                    continue
                cell = rest
            last = index == len(parts) - 1
            # after a left-hand column of dates alone ("2019   MSc in Language Technology,
            # Example University"), the last cell is the line's text unless it names a place
            # and no job or school ("Boston, MA" names a state, not a degree)
            beside_text = right_only or len(cells.texts) > first_text
            place = _is_place(cell) or (column and beside_text and _looks_like_place(cell))
            if place and not beside_text:
                place = not (_TITLE_WORDS.search(cell) or _INSTITUTION.search(cell))
            if last and (index > 0 or right_only) and place:
                cells.places.append(cell)
            else:
                cells.texts.append(cell)
    if cells.dated is not None and cells.dated >= len(cells.texts):
        cells.dated = None
    return cells


def _dated(text: str) -> bool:
    """Whether a line carries dates: a range, or dates alone in a right-hand column
    ("Data Scientist   Summer 2012 and 2013")."""
    if DATE_RANGE.search(text):
        return True
    cells = [cell.strip(" ,|·") for cell in _CELL_BREAK.split(text)][1:]
    return any(_date_list(cell) or SINGLE_DATE.fullmatch(cell) for cell in cells)


def _date_list(cell: str) -> tuple[str | None, str | None] | None:
    """The first and last of a cell that lists dates and nothing else: "Summer 2012 and
    2013", "2019, 2021"; None for any other cell."""
    found = [_iso_date(m["date"]) for m in SINGLE_DATE.finditer(cell)]
    if len(found) < 2 or SINGLE_DATE.sub("", cell).strip(" ,&") not in ("", "and"):
        return None
    return found[0], found[-1]


def _looks_like_place(cell: str) -> bool:
    """A right-hand cell that names a place: "Seoul, S.Korea", "Remote", "New York, NY"."""
    words = cell.split()
    return (
        len(words) <= 6
        and not _TITLE_WORDS.search(cell)
        and not re.search(r"\d{3,}|@|https?://", cell)
        and all(
            word[:1].isupper() or word[:1] in "(&" or (word.islower() and len(word) <= 3)
            for word in words
        )
    )


def _names_title_only(cells: _Cells) -> bool:
    """Whether a header is a job title alone, so the line under it names the employer."""
    return (
        len(cells.texts) == 1
        and bool(_TITLE_WORDS.search(cells.texts[0]))
        and len(_split_parts(cells.texts[0])) == 1
    )


def _trailing_place(text: str) -> tuple[str, list[str]] | None:
    """ "Acme Corp, Boston" as the organisation and its place, when its last part is one."""
    name, separator, place = text.rpartition(", ")
    legal_form = re.fullmatch(rf"{_LEGAL_FORM}\.?", place) is not None  # "Omnious. Co., Ltd."
    if (
        separator
        and name
        and _looks_like_place(place)
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
        return _position_and_company(_split_parts(text))
    first, second = (side.strip() for side in sides)
    position, organisation = (
        (second, first)
        if _TITLE_WORDS.search(second) and not _TITLE_WORDS.search(first)
        else (first, second)
    )
    found = None if placed else _trailing_place(organisation)
    if found is None:
        return position, organisation, None
    name, places = found
    return position, name, places[0]


def _position_cell(cells: _Cells) -> tuple[str | None, str | None, list[str]]:
    """The position, the organisation and any other cells: the position is the cell with a
    job title's words (else the one on the dates' line), the organisation the next one."""
    texts = cells.texts
    titled = [i for i, text in enumerate(texts) if _TITLE_WORDS.search(text)]
    if len(titled) == 1:
        position = titled[0]
    elif cells.dated is not None:
        position = cells.dated
    else:
        position = titled[0] if titled else 0
    others = [text for i, text in enumerate(texts) if i != position]
    return texts[position], others[0] if others else None, others[1:]


def _roles(entries: list[_Entry]) -> list[tuple[_Entry, _Role]]:
    """Each entry with its role. An employer's heading over deeper headings of roles
    ("### IBM" / "#### Senior Engineer") is not a role itself: it lends them its name, place
    and dates where they have none, and its lines go to the first of them."""
    roles: list[tuple[_Entry, _Role]] = []
    parent: tuple[int, _Role] | None = None
    for entry, following in itertools.zip_longest(entries, entries[1:]):
        role = _role(entry)
        level = entry.level or 0
        if parent is not None and (
            level < parent[0] or (level == parent[0] and entry.bullets == [])
        ):
            parent = None
        if level and not entry.bullets and following and _heads_roles(entry, following):
            name = " ".join(_cells([_strip_markdown(entry.header or "")]).texts)
            parent = (level, dataclasses.replace(role, organisation=name or role.organisation))
            continue
        if parent is not None:
            role = _within(role, parent[1])
            parent = (parent[0], dataclasses.replace(parent[1], summary=None))
        roles.append((entry, role))
    return roles


def _heads_roles(entry: _Entry, following: _Entry) -> bool:
    """Whether an entry's heading is an employer's over the next heading's role: deeper, or
    at its level when the employer's has no job title and the role's does."""
    level, next_level = entry.level or 0, following.level or 0
    if next_level > level:
        return True
    return (
        next_level == level
        and not _TITLE_WORDS.search(entry.header or "")
        and bool(_TITLE_WORDS.search(following.header or ""))
        and not _dated(following.header or "")
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


def _fill_work(cv: CV, section: _Section) -> None:
    entries = _split_entries(section, _role_header, multi_line_headers=True, indented_items=True)
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
                highlights=_bullets(entry, section),
            )
        )


def _fill_volunteer(cv: CV, section: _Section) -> None:
    entries = _split_entries(section, _role_header, multi_line_headers=True, indented_items=True)
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
        urls = CONTACT_URL.findall(" ".join([entry.header, *entry.details]))
        # "Gitlytics | Python, Flask   June 2020 – Present": name, what it is, dates
        cells = _cells([_link_text(line) for line in entry.header.split("\n")])
        name, _, description = (cells.texts[0] if cells.texts else "").partition(" — ")
        about = [description.strip(), *cells.texts[1:], *cells.places, *entry.details]
        single = cells.start is not None and cells.end is None and not _open_range(entry)
        cv.projects.append(
            Project(
                name=CONTACT_URL.sub("", name).strip(" ()|,:") or None,
                description=" ".join(filter(None, about)) or None,
                url=_with_scheme(urls[0].rstrip(".")) if urls else None,
                start_date=cells.start,
                end_date=cells.start if single else cells.end,
                highlights=_bullets(entry, section),
            )
        )


def _one_line_project(line: _Line, section: _Section) -> Project:
    name, separator, description = _link_text(line.text).partition(": ")
    urls = CONTACT_URL.findall(line.text)
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
                cv.education.append(_degree([line.text], []))
        else:
            cv.education.append(
                _degree([entry.header, *entry.details], entry.bullets, heading=bool(entry.level))
            )


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


# a line under a degree that says more about it, not a degree of its own
_DEGREE_NOTE = re.compile(
    r"^\W*(?:thesis|dissertation|minor|major|gpa|cgpa|grade|courses?|coursework|relevant "
    r"coursework|honou?rs|advisor|adviser|supervisors?|focus|speciali[sz]ation|concentration)\b",
    re.IGNORECASE,
)


def _degree_header(line: _Line, upcoming: list[_Line], previous: str, entry: _Entry | None) -> bool:
    """A degree opens with a heading, a line after a gap, or a line naming a degree or a
    school where the entry so far already names one (school and degree lines, in either
    order, make one entry; the next school or degree starts the next)."""
    text = line.text.strip()
    if _MD_HEADING.match(text) or entry is None:
        return True
    if previous in ("blank", "bullet"):
        return not _DEGREE_NOTE.match(_strip_markdown(text))
    so_far = " ".join([entry.header or "", *entry.details])
    if not re.search(r"[^\W\d_]{2,}", _split_dates(so_far)[0].replace("expected", "")):
        return False  # the entry so far is its dates: "2010 – 2014" over its degree
    if _DEGREE.search(text):
        return _DEGREE.search(so_far) is not None or _INSTITUTION.search(so_far) is None
    return _INSTITUTION.search(text) is not None and _INSTITUTION.search(so_far) is not None


_CONNECTOR = re.compile(r"(?:\b(?:of|and|in|for|the|at|to|on|with)|[&,(-])$", re.IGNORECASE)


def _join_continuations(lines: list[str]) -> list[str]:
    """Lines with those that go on to the next joined: after a joining word ("University
    of" / "HomeTown"), or inside emphasis or brackets left open."""
    joined: list[str] = []
    for line in lines:
        previous = joined[-1] if joined else ""
        open_markup = previous.count("*") % 2 or previous.count("(") > previous.count(")")
        if joined and (_CONNECTOR.search(previous) or open_markup):
            joined[-1] = f"{previous} {line}"
        else:
            joined.append(line)
    return joined


_SCORE = re.compile(r"\b(?:GPA|CGPA|grade|cum laude|honou?rs|distinction|first class)\b", re.I)


def _degree(lines: list[str], under: list[_Line], *, heading: bool = False) -> Education:
    """A degree from its lines: school, degree and subject, dates, place, grade; any other
    words stay with it (its subject's continuation, or a line under it). A school named in
    a heading ("### Utah State University, Quinney College") keeps its name whole."""
    notes = [line for line in lines[1:] if _DEGREE_NOTE.match(_strip_markdown(line))]
    lines = [line for line in lines if line not in notes]  # "Thesis: ..." is said, not parsed
    cells = _cells([_link_text(line) for line in _join_continuations(lines)])
    rest, start, end = ", ".join(cells.texts), cells.start, cells.end
    if start is None and end is None:
        rest, start, end = _split_dates(rest)
    if start and end is None and not any(DATE_RANGE.search(line) for line in lines):
        start, end = None, start  # a degree's single date is when it was awarded
    parts = _split_parts(rest)
    school = cells.texts[0] if heading and cells.texts else ""
    if _INSTITUTION.search(school) and not _DEGREE.search(school):
        for name in _comma_names(school):
            parts = _kept_whole(parts, name)
    institution = next((p for p in parts if _INSTITUTION.search(p)), None)
    degree_index = next((i for i, p in enumerate(parts) if _DEGREE.search(p)), None)
    study_type = area = None
    used = {institution}
    if degree_index is not None:
        degree = parts[degree_index]
        match = _DEGREE.search(degree)
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
        if following and not cells.places and _looks_like_place(place) and area:
            cells.places.append(place)  # "M.Sc. in Mathematics – Heidelberg, Germany"
            used.update(following)
        elif following and not _SCORE.search(following[0]):
            area = ", ".join(filter(None, [area, *following])) if area else ", ".join(following)
            used.update(following)
    if institution is None:
        institution = next((p for p in parts if p not in used and p != area), None)
        used.add(institution)
    area_parts = {area, *_split_parts(area)} if area else set()
    leftovers = [p for p in parts if p not in used and p not in area_parts]
    scores = [p for p in leftovers if _SCORE.search(p)]
    others = [p for p in leftovers if p not in scores]
    places = cells.places
    if not places and others and _looks_like_place(", ".join(others)):
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
        highlights=[*(_strip_markdown(note) for note in notes), *(line.text for line in under)],
    )


# the levels JSON Resume's "skills[].level" takes, as tailor writes them: "Web (Expert):"
_SKILL_LEVEL = re.compile(
    r"^(?P<name>.*)\((?P<level>beginner|novice|basic|elementary|intermediate|proficient|"
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
            name = level["name"].rstrip()
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
    for text, column in _column_items(section):
        urls = CONTACT_URL.findall(text)
        year = re.search(rf"\b{YEAR}\b", text)
        date = _iso_date(column) if column and SINGLE_DATE.fullmatch(column) else None
        cv.publications.append(
            Publication(
                name=_strip_markdown(text if date or not column else f"{text} {column}"),
                url=_with_scheme(urls[0].rstrip(".")) if urls else None,
                release_date=date or (year.group() if year else None),
            )
        )


def _fill_summary(cv: CV, section: _Section) -> None:
    text = " ".join(_plain_lines(section.lines))
    cv.basics.summary = " ".join(filter(None, [cv.basics.summary, text])) or None


def _fill_awards(cv: CV, section: _Section) -> None:
    for text in _items(section):
        label, gap, after = _strip_markdown(text).partition("   ")
        if gap and _date_list(label):  # "2018, 2019   Performance Award": the years stay
            cv.awards.append(Award(title=f"{label} {after.strip()}"))
            continue
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
    """The items of a list section: bullets, or lines when there are no bullets; a date or
    place set in a right-hand column beside an item goes at its end."""
    return [f"{text} {column}" if column else text for text, column in _column_items(section)]


def _column_items(section: _Section) -> list[tuple[str, str | None]]:
    """The items of a list section, each with the cell of a right-hand column beside it
    ("Disparities in ...   July 2024"). Without bullets, a line is an item of its own unless
    it goes on with the one before: a bracket left open, a comma, or a lower-case start."""
    items: list[list[str]] = []
    columns: list[str | None] = []
    has_markers = any(
        _BULLET.match(line.text) or _MD_HEADING.match(line.text) for line in section.lines
    )
    written = [line.text.strip() for line in section.lines if line.text.strip()]
    # a list whose lines start with a label ("2018   SIGMOD Travel Award"): a line without
    # one goes on with the item above it
    labelled = sum(bool(_LABEL_CELL.match(text)) for text in written) >= len(written) / 2
    for line in section.lines:
        text, column = _without_column(line.text.strip())
        if not text:
            continue
        bullet = _BULLET.match(line.text)
        goes_on = bool(items) and (
            _goes_on(items[-1][-1], text) or (labelled and not _LABEL_CELL.match(text))
        )
        if bullet or _MD_HEADING.match(text) or not items or (not has_markers and not goes_on):
            items.append(
                [_without_column(bullet["text"].strip())[0] if bullet else _strip_heading(text)]
            )
            columns.append(column)
        else:
            items[-1].append(text)
            columns[-1] = columns[-1] or column
    joined = [functools.reduce(_join_wrapped, parts) for parts in items]
    return list(zip(joined, columns, strict=True))


_LABEL_CELL = re.compile(r"^\S+(?: \S+){0,3}?(?:\t|\s{3,})\S")


def _goes_on(previous: str, text: str) -> bool:
    """Whether a line goes on with the line before it, in a list without bullets."""
    unclosed = previous.count("(") > previous.count(")")
    return unclosed or text[:1].islower() or previous.endswith((",", ";"))


def _plain_lines(lines: list[_Line]) -> list[str]:
    return [_strip_markdown(line.text.strip()) for line in lines if line.text.strip()]


def _paragraphs(lines: list[_Line]) -> list[str]:
    """A section's lines with the lines of a wrapped sentence or bullet joined: a line goes
    on the one before it when it starts in lower case or with a bracket, follows a comma,
    or (under a bullet) is indented."""
    items: list[str] = []
    previous: _Line | None = None
    for line in lines:
        text = _strip_markdown(line.text.strip())
        if not text:
            previous = None
            continue
        continues = (
            previous is not None
            and items
            and not _BULLET.match(line.text)
            and (
                text[0].islower()
                or text[0] in "(["
                or items[-1].endswith((",", ";", "-", "–", "/"))
                or (bool(_BULLET.match(previous.text)) and line.indent > previous.indent)
            )
        )
        if continues:
            items[-1] = _join_wrapped(items[-1], text)
        else:
            items.append(text)
        previous = line
    return items


_FILLERS: dict[str, Callable[[CV, _Section], None]] = {
    "summary": _fill_summary,
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
