"""The top of a CV: the name, the headline under it, and the contact details, in the header or
at the very end."""

from __future__ import annotations

import functools
import re
from urllib.parse import urlsplit

from tailor.cv.model import Basics, Location, Profile
from tailor.cv.patterns import (
    CONTACT_URL,
    DATE_RANGE,
    DOCUMENT_TITLE,
    EMAIL,
    LABELLED_PHONE,
    MARKDOWN_LINK,
    SINGLE_DATE,
    bare_url,
)
from tailor.cv.readers.sections import section_kind
from tailor.cv.readers.text.contacts import (
    has_contact,
    is_prose,
    links_in,
    network_of,
    with_scheme,
    without_link,
)
from tailor.cv.readers.text.markdown import link_text, strip_heading, strip_markdown
from tailor.cv.readers.text.source import BULLET, UNDERLINE, Section, SourceLine, join_wrapped
from tailor.cv.readers.text.vocabulary import TITLE_WORDS, looks_like_place

# a headline's lines at most: a job title, its fields, an affiliation
HEADLINE_LINES = 3


def headline_lines(content: list[SourceLine], name_at: int) -> set[int]:
    """The numbers of the lines right under the name that say what the person is, however
    they are set ("RESEARCH SCIENTIST", "## Machine Learning · Statistics"): a few short
    lines, none a bullet, a sentence or a known section title, with a contact line or a known
    section title right after them (else they may head a section of their own)."""
    if name_at >= len(content) or not _may_be_name(strip_heading(content[name_at].text)):
        return set()  # no name: the CV starts with a section, or a date
    run: list[SourceLine] = []
    for line in content[name_at + 1 :]:
        if UNDERLINE.match(line.text):
            continue  # the rule under the name or the headline
        text = strip_heading(line.text)
        if has_contact(text) or section_kind(text.rstrip(":"), by_last_word=True):
            return {line.number for line in run}
        if len(run) == HEADLINE_LINES or BULLET.match(line.text) or not _is_headline(text):
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
    line = link_text(text).lstrip("#").strip()
    return (
        0 < len(line) < 100
        and not line.endswith(".")
        and not has_contact(line)
        and not is_prose(line)
        and not SINGLE_DATE.search(line)
    )


def parse_header(lines: list[SourceLine]) -> tuple[Basics, list[str]]:
    """Name from the first line; label, contacts, links and place from the lines after it;
    and the header's words that are none of these (a motto, a second email)."""
    # the rules under a name or headline in a text file ("=====") say nothing
    texts = [
        line.text.strip() for line in lines if line.text.strip() and not UNDERLINE.match(line.text)
    ]
    basics = Basics()
    if len(texts) > 1 and is_document_title(texts[0]):
        texts = texts[1:]  # "Curriculum Vitae" above the name
    if not texts:
        return basics, []
    first = link_text(texts[0]).lstrip("#").strip()
    name, *rest = re.split(r"\s{3,}|\t", first)
    # a name set as a link to the person's site: "Jane Doe (https://jane.dev)"
    basics.name, url = without_link(name)
    if url:
        rest = [url, *rest]
    details = texts[1:]
    if _may_be_name(basics.name or "") and not any(has_contact(cell) for cell in rest):
        headline = _label_lines(details)
        basics.label = " · ".join(headline) or None
        details = details[len(headline) :]
    return basics, fill_contact_details(basics, [*rest, *details])


def _label_lines(texts: list[str]) -> list[str]:
    """The headline under the name, as the CV's label: the line right under it ("RESEARCH
    SCIENTIST", "Machine Learning · Statistics"), with the one or two after it that go on
    saying what the person is; never a place, an address, a street or the document's title."""
    label: list[str] = []
    for text in texts[:HEADLINE_LINES]:
        line = link_text(text).lstrip("#").strip()
        if (
            not _is_headline(line)
            or is_document_title(line)
            or (_is_address(line) and not TITLE_WORDS.search(line))
            or re.search(r"\d{3}", line)  # a house number or a postcode
            or (label and looks_like_place(line))  # "Berlin" under the job title
        ):
            break
        label.append(line)
    return label


def fill_contact_details(basics: Basics, texts: list[str]) -> list[str]:
    """Read email, phone, links, a job title and a place from contact lines or segments;
    return the segments that are none of these."""
    for url in dict.fromkeys(with_scheme(url.rstrip("./")) for url in links_in(" | ".join(texts))):
        _add_link(basics, url)
    unplaced: list[str] = []
    for text in texts:
        line = link_text(text)
        # the label of a link ("[portfolio](https://...)"), whose address is read above
        labels = {match["label"].strip() for match in MARKDOWN_LINK.finditer(text)}
        if basics.label is None and _is_label(line):
            basics.label = line.strip()
            continue
        if is_prose(line):  # a few sentences under the name: a summary without its title
            basics.summary = join_wrapped(basics.summary, line) if basics.summary else line
            continue
        for segment in (s.strip() for s in _CONTACT_BREAK.split(line)):
            if segment and segment not in labels and not _fill_contact_segment(basics, segment):
                unplaced.append(segment)
    return unplaced


# what separates the details of a contact line: a bar, a middle dot or bullet between
# spaces, a wide gap
_CONTACT_BREAK = re.compile(r"\s*\|\s*|\s[·•](?:\s|$)|\s{3,}")


def closing_contacts(basics: Basics, sections: list[Section]) -> list[str]:
    """Contact details written at the very end of the CV, where a header has none: a line
    of the last three holding an email or a phone ("jo@example.com • +44 20 7946 0000").
    The line leaves the section it was read in; what of it is not a contact is returned."""
    # a referee's contact details are theirs, not the owner's
    closing = [section for section in sections[-2:] if section.kind != "references"]
    last = [line for section in closing for line in section.lines if line.text.strip()]
    for line in last[-3:]:
        text = strip_markdown(BULLET.sub(lambda m: m["text"], line.text)).strip()
        if len(text) <= 200 and (EMAIL.search(text) or _labelled_phone(text, whole=False)):
            for section in closing:
                if line in section.lines:
                    section.lines.remove(line)
            return fill_contact_details(basics, [text])
    return []


def _labelled_phone(text: str, *, whole: bool = True) -> re.Match[str] | None:
    """A phone number (after a label or not) that `text` is, or starts with; a range of
    years ("2015 - 2019") is none, though its digits and dash look like one."""
    phone = LABELLED_PHONE.fullmatch(text) if whole else LABELLED_PHONE.match(text)
    if phone is None or DATE_RANGE.fullmatch(phone["phone"].strip()):
        return None
    return phone


def is_document_title(text: str) -> bool:
    """A line that names the document, not its owner: "Curriculum Vitae", "# RÉSUMÉ"."""
    return DOCUMENT_TITLE.fullmatch(link_text(text).strip("#* ")) is not None


def _is_label(line: str) -> bool:
    """A header line that says what the person is: job words, and no contact details."""
    return len(line) < 100 and bool(TITLE_WORDS.search(line)) and not has_contact(line)


def _fill_contact_segment(basics: Basics, segment: str) -> bool:
    """Put one segment of a contact line in its place; False when it has none."""
    links = links_in(segment)
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
    if phone := _labelled_phone(bare):
        if basics.phone is None or basics.phone == phone["phone"]:
            basics.phone = phone["phone"]
            return True
        return False
    if basics.label is None and TITLE_WORDS.search(bare) and not CONTACT_URL.search(bare):
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
    network = network_of(url)
    known = {bare_url(u) for u in [basics.url, *(p.url for p in basics.profiles)] if u}
    if bare_url(url) in known:
        return
    if network is None and basics.url is None:
        basics.url = url
    else:
        host = (urlsplit(url).hostname or "").removeprefix("www.")
        basics.profiles.append(Profile(network=network or host, url=url))
