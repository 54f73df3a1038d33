"""rendercv output: the CV as rendercv 2.x input YAML, which tailor's rendercv reader
(`tailor.cv.readers.rendercv`) reads back to the same CV.

Each JSON Resume section becomes a rendercv section of the entry type that fits it, under the
CV's own title, in the CV's section order: work and volunteering as ExperienceEntry, education
as EducationEntry, publications as PublicationEntry, projects, awards and certificates as
NormalEntry, skills, languages, interests and references as OneLineEntry (label and details),
the summary as a TextEntry, and the sections JSON Resume has no place for (Talks, Patents) as
BulletEntry. A field rendercv has no place for (a project's keywords, an award's awarder) is
kept as an extra key of its entry, which rendercv allows and does not print, and printed as one
of the entry's first highlights ("Keywords: ...", `printed_extras`), which the reader drops
again; a skill's level follows its label, a publication's summary its journal. An entry's link
is its name written as a Markdown link, as rendercv users write it. What rendercv 2.3 does not
print in the header (the headline, the contact details it has no field for, which 2.4 prints)
is logged.

rendercv reads its text as Markdown and Typst, so text is written to print as tailor shows it
(`rendercv_text`). When the CV was read from rendercv YAML, that file's `design`, `locale` and
`settings` (and their older names) are copied unchanged, so the user's theme survives tailoring;
otherwise no design is written and rendercv uses its default theme.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

import yaml

from tailor.cv.layout import (
    DEFAULT_ORDER,
    DEFAULT_TITLES,
    date_range,
    link_target,
    place_text,
    section_titles,
    source_order,
)
from tailor.cv.model import CV, Bullet, Location, Profile, Project, Volunteer, Work
from tailor.cv.patterns import ISO_DATE, LIST_MARK, RENDERCV_LINK, bare_url
from tailor.cv.readers.rendercv import (
    JOURNAL_SUMMARY,
    KEEP_END,
    LINE_BREAK,
    RENDERCV_FORMAT,
    SOCIAL_NETWORKS,
    WORD_JOINER,
    printed_extras,
    profile_url,
)
from tailor.cv.readers.sections import kind_in, section_kind
from tailor.renderers.themes import theme_named

# the top-level keys of a rendercv file besides `cv`, in the order rendercv writes them:
# 2.0-2.3 call the settings `rendercv_settings` and early 2.x the locale `locale_catalog`
PASSED_THROUGH = ("design", "locale", "locale_catalog", "settings", "rendercv_settings")

_JSON_RESUME_KEYS = {"basics", *DEFAULT_TITLES, "work"}


def render(cv: CV, section_order: Sequence[str] | None = None, theme: str | None = None) -> bytes:
    """The CV as rendercv input YAML (UTF-8), its sections in `section_order` (kinds). Its look
    is rendercv's `design` (passed through from a rendercv source): `theme` is checked, then
    ignored."""
    theme_named(theme)
    document: dict[str, Any] = {"cv": rendercv_cv(cv, section_order)}
    text = yaml.dump(
        document,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )
    return "".join([text, *passed_through(cv)]).encode("utf-8")


class _Dumper(yaml.SafeDumper):
    """A safe dumper that writes every value out, never as an anchor and an alias."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def passed_through(cv: CV) -> list[str]:
    """The rendercv file's own `design`, `locale` and `settings` blocks, as the file writes
    them (comments within them too), when the CV was read from one: each key's lines to the
    end of its value, however the file writes them (a quoted key, flow style, JSON). Copied
    as text, not parsed and written again: a YAML 1.1 parser would turn rendercv's
    `language: no` into `false`. (The reader refuses aliases, so a block stands alone.)"""
    origin = cv.origin
    if origin is None or origin.format != RENDERCV_FORMAT or not origin.text:
        return []
    text = origin.text.removeprefix("\ufeff")  # libyaml counts from after a byte-order mark
    try:  # with the loader the reader used, so what it read composes here too
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    blocks = []
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value in PASSED_THROUGH:
            start = key.start_mark.index
            line_start = text.rfind("\n", 0, start) + 1
            if text[line_start:start].strip() == "?":  # an explicit key's "? " stays with it
                start = line_start
            blocks.append(text[start : value.end_mark.index].rstrip() + "\n")
    return blocks


def rendercv_cv(cv: CV, section_order: Sequence[str] | None = None) -> dict[str, Any]:
    """rendercv's `cv:` mapping: the header's details, then the sections."""
    basics = cv.basics
    header: dict[str, Any] = {"name": rendercv_text(basics.name or "")}
    header["headline"] = basics.label and rendercv_text(basics.label)
    place = place_text(basics.location)
    header["location"] = place and rendercv_text(place)
    header["photo"] = _photo(basics.image)
    custom: list[dict[str, Any]] = []
    if basics.email:
        if _valid_email(basics.email):
            header["email"] = basics.email
        else:
            custom.append(_connection("envelope", basics.email))
    if basics.phone:
        phone = _international_phone(basics.phone, basics.location)
        header["phone"] = phone
        if phone is None:
            custom.append(_connection("phone", basics.phone))
    if basics.url:
        website = _web_address(basics.url)
        header["website"] = website
        if website is None:
            custom.append(_connection("link", basics.url))
    networks, others = _social_networks(basics.profiles)
    header["social_networks"] = networks or None
    # rendercv 2.4 and later print these; earlier versions keep them unprinted
    header["custom_connections"] = [*custom, *others] or None
    _log_unprinted(header)
    rendered = {key: value for key, value in header.items() if value}
    rendered["sections"] = _sections(cv, section_order)
    return rendered


# -- the header ------------------------------------------------------------------------------

log = logging.getLogger("tailor.renderers")
# the domains email-validator (and so rendercv) refuses: RFC 6761's special-use names
_SPECIAL_DOMAINS = ("arpa", "invalid", "local", "localhost", "onion", "test")
_WEB_ADDRESS = re.compile(r"https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?", re.IGNORECASE)


def _log_unprinted(header: dict[str, Any]) -> None:
    """Say what rendercv 2.3 and earlier keep but do not print (2.4 and later print them): the
    headline and the contact details it has no field for. By field, never by value: a log
    holds nothing of the CV."""
    unprinted = ["the headline"] if header.get("headline") else []
    if count := len(header.get("custom_connections") or []):
        unprinted.append(f"{count} contact detail{'s' if count > 1 else ''} (custom_connections)")
    if unprinted:
        log.warning(
            "rendercv 2.3 and earlier do not print %s; rendercv 2.4 and later do",
            " and ".join(unprinted),
        )


def _photo(image: str | None) -> str | None:
    """The photo as rendercv takes it, a path next to the file; an address is not one."""
    return image if image and "://" not in image else None


def _valid_email(email: str) -> bool:
    """Whether rendercv takes the address: pydantic's check (email-validator, rendercv's),
    else a name, "@" and a domain of dotted labels that neither start nor end with "-"."""
    name, _, domain = email.partition("@")
    labels = domain.split(".")
    plain = bool(
        re.fullmatch(r"[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*", name)
        and len(labels) > 1
        and all(re.fullmatch(r"(?!-)[\w-]{1,63}(?<!-)", label) for label in labels)
        and labels[-1].lower() not in _SPECIAL_DOMAINS
    )
    try:
        from pydantic.networks import validate_email
    except ImportError:  # pragma: no cover - pydantic always has it
        return plain
    try:
        validate_email(email)
    except ImportError:  # email-validator is not installed: the stricter check alone
        return plain
    except ValueError:
        return False
    return plain


def _international_phone(phone: str, location: Location | None) -> str | None:
    """The number as rendercv takes it, international (E.164): as written when it has its
    country code, else in the country of the CV's address; None when neither reads it."""
    import phonenumbers

    region = (location.country_code or "").upper() if location else ""
    for default in (None, region if re.fullmatch(r"[A-Z]{2}", region) else None):
        try:
            number = phonenumbers.parse(phone, default)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            written = phone if default is None else None
            return written or phonenumbers.format_number(
                number, phonenumbers.PhoneNumberFormat.E164
            )
    return None


def _web_address(url: str) -> str | None:
    """The address as rendercv takes it (pydantic's HttpUrl, with a dotted host), else None."""
    target = link_target(url)
    if not target or not _WEB_ADDRESS.fullmatch(target):
        return None
    import pydantic

    try:
        pydantic.TypeAdapter(pydantic.HttpUrl).validate_python(target)
    except pydantic.ValidationError:
        return None
    return target


def _connection(icon: str, text: str, url: str | None = None) -> dict[str, Any]:
    return {"fontawesome_icon": icon, "placeholder": text, "url": url}


def _social_networks(
    profiles: list[Profile],
) -> tuple[list[dict[str, str]], list[dict[str, Any]]]:
    """The profiles rendercv knows (`network` and `username`), and the others as custom
    connections: a profile whose link rendercv would not build the same way is one of those."""
    networks: list[dict[str, str]] = []
    others: list[dict[str, Any]] = []
    for profile in profiles:
        known = _social_network(profile)
        if known is not None:
            networks.append(known)
            continue
        if not profile.url:  # a username alone, with its network's name when it has one
            named = f"{profile.network}: {profile.username}" if profile.network else None
            if profile.username:
                others.append(_connection("user", named or profile.username))
            continue
        url = _web_address(profile.url)
        text = profile.network or bare_url(profile.url)
        if url:
            others.append(_connection("link", text, url))
    return networks, others


def _social_network(profile: Profile) -> dict[str, str] | None:
    """The profile as rendercv's `{network, username}`, when rendercv links it to the same
    address (and the network is one rendercv 2.x knows)."""
    network = _network_name(profile)
    if network is None:
        return None
    username = profile.username
    if profile.url:
        username = _username(network, profile.url) or username
    if not username or not _USERNAMES.get(network, re.compile(r"\S+")).fullmatch(username):
        return None
    built = profile_url(network, username)
    if built is None or (profile.url and bare_url(built) != bare_url(profile.url)):
        return None
    if username.lower() not in built.lower() or username != (profile.username or username):
        return None  # read back, it would show a username the CV does not (Mastodon's)
    return {"network": network, "username": username}


# the usernames rendercv checks the form of (anchored: a search cannot start at every character)
_USERNAMES = {
    "Mastodon": re.compile(r"^@[^@\s]+@[^@\s]+"),
    "StackOverflow": re.compile(r"^\d+/[^/\s]+"),
    "YouTube": re.compile(r"^[^@\s]\S*"),
    "ORCID": re.compile(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]"),
    "IMDB": re.compile(r"nm\d{7}"),
}


def _network_name(profile: Profile) -> str | None:
    """rendercv's name of the profile's network, from its name or else its link's host."""
    names = {name.lower().replace(" ", ""): name for name in SOCIAL_NETWORKS}
    if profile.network:
        return names.get(profile.network.lower().replace(" ", ""))
    for name in SOCIAL_NETWORKS:
        built = profile_url(name, "x")
        host = bare_url(built).split("/")[0] if built else None
        if host and profile.url and bare_url(profile.url).startswith(f"{host}/"):
            return name
    return None


def _username(network: str, url: str) -> str | None:
    """The username in a profile's address, as rendercv builds the address from it."""
    if network == "Mastodon":
        match = re.fullmatch(r"^([^/]+)/@([^/]+)", bare_url(url))
        return f"@{match.group(2)}@{match.group(1)}" if match else None
    prefix = profile_url(network, "")
    if prefix is None:
        return None
    address, start = _without_scheme(url), _without_scheme(prefix).lower()
    if not address.lower().startswith(start):
        return None
    return address[len(start) :].rstrip("/") or None


def _without_scheme(url: str) -> str:
    return re.sub(r"^(?:https?://)?(?:www\.)?", "", url.strip(), flags=re.IGNORECASE)


# -- the sections ----------------------------------------------------------------------------


def _sections(cv: CV, section_order: Sequence[str] | None) -> dict[str, list[Any]]:
    """Each section's entries under its title, in order: the CV's kinds, then the sections
    JSON Resume has no place for."""
    titles = section_titles(cv)
    order = list(dict.fromkeys([*(section_order or source_order(cv)), *DEFAULT_ORDER]))
    sections: dict[str, list[Any]] = {}
    for kind in order:
        for title, entries in _kind_sections(cv, kind, titles[kind]):
            _add(sections, _title_text(_readable_title(kind, title)), entries)
    for extra in (cv.model_extra or {}).get("additionalSections") or []:
        lines = [LIST_MARK.sub("", str(line)) for line in extra.get("lines", [])]
        entries = [{"bullet": rendercv_text(line)} for line in lines if line.strip()]
        title = str(extra.get("title") or "Other")
        if section_kind(title, by_last_word=True) == "summary":
            title = "Other"
        _add(sections, _title_text(title), entries)
    return sections


def _title_text(title: str) -> str:
    """A section title that rendercv 2.3 prints as written. rendercv escapes a title's Typst
    characters itself (no Markdown there), except "#...[...]", which it passes on as a
    command, and "*", "`", "<" and "$$", which it leaves to Typst: each of these is written
    as a Typst block holding the escaped character ("#[\\#]"), which rendercv passes on and
    Typst prints as the character. The reader's `unmarked` undoes it."""
    return _TITLE_SPECIAL.sub(lambda match: f"#[\\{match.group()}]", title)


_TITLE_SPECIAL = re.compile(r"[#*`<$]")


def _add(sections: dict[str, list[Any]], title: str, entries: list[Any]) -> None:
    """A section under `title`; a title taken already gets a number, as YAML keys are unique."""
    if not entries:
        return
    unique, number = title, 2
    while unique in sections:
        unique, number = f"{title} ({number})", number + 1
    sections[unique] = entries


def _readable_title(kind: str, title: str) -> str:
    """The title, if tailor's rendercv reader reads its entries as `kind` again, else the
    kind's own title ("Experience", "Awards"): rendercv types entries by their keys, and the
    reader tells an award from a project, or a skill from a language, by the title."""
    read = section_kind(title, by_last_word=True)
    fits = {
        "work": read != "volunteer",
        "education": True,
        "publications": True,
    }.get(kind, read == kind)
    return title if fits and title not in _JSON_RESUME_KEYS else DEFAULT_TITLES[kind]


def _kind_sections(cv: CV, kind: str, title: str) -> list[tuple[str, list[Any]]]:
    if kind == "summary":
        summary = cv.basics.summary
        return [(title, [rendercv_text(summary)])] if summary else []
    if kind in ("work", "volunteer", "projects"):
        groups: dict[str, list[Any]] = {}
        for entry in getattr(cv, kind):
            written = _title_of(cv, entry, kind, title)
            groups.setdefault(written, []).append(_entry(cv, entry))
        return list(groups.items())
    build = _ITEMS.get(kind)
    entries = [build(item) for item in getattr(cv, kind)] if build else []
    return [(title, entries)] if entries else []


def _title_of(cv: CV, entry: Work | Volunteer | Project, kind: str, default: str) -> str:
    """The title the entry stood under in the source (as the layout groups entries)."""
    source = entry.highlights[0].source if entry.highlights else None
    written = source.section if source is not None else None
    if written and written not in _JSON_RESUME_KEYS and kind_in(cv.origin, written) == kind:
        return written
    return default


def _entry(cv: CV, entry: Work | Volunteer | Project) -> dict[str, Any]:
    nested = cv.origin is not None and cv.origin.format == RENDERCV_FORMAT
    highlights = [_bullet(bullet, nested=nested) for bullet in entry.highlights]
    dates = _dates(entry.start_date, entry.end_date)
    if isinstance(entry, Project):
        name = _linked(entry.name, entry.url)
        fields: dict[str, Any] = {"name": name or "", **dates, "summary": entry.description}
        fields |= {"highlights": highlights, "keywords": entry.keywords, "roles": entry.roles}
        fields |= {"entity": entry.entity, "type": entry.type}
        url = entry.url if entry.url and not _is_link(name) else None
        raw = {"entity": entry.entity, "roles": entry.roles, "keywords": entry.keywords}
        return _entry_fields({**fields, "url": url}, printed=raw)
    organization = entry.name if isinstance(entry, Work) else entry.organization
    company = _linked(organization, entry.url)
    fields = {"company": company or "", "position": rendercv_text(entry.position or "")}
    fields |= {"location": entry.location, **dates}
    summary, description = entry.summary, None
    if isinstance(entry, Work) and entry.description:
        if summary and entry.description != summary:
            description = entry.description  # kept, unprinted: rendercv has one summary
        else:
            summary = entry.description
    url = entry.url if entry.url and not _is_link(company) else None
    fields |= {"summary": summary, "highlights": highlights, "description": description}
    return _entry_fields({**fields, "url": url}, printed={"description": description})


def _entry_fields(fields: dict[str, Any], printed: dict[str, Any] | None = None) -> dict[str, Any]:
    """The fields with a value, their text written for rendercv (links and names as they are);
    the `printed` ones (as the CV has them), which rendercv 2.3 keeps but does not print, are
    printed too, as the first highlights (`printed_extras`)."""
    lines = [_bullet(Bullet(text=line), nested=False) for line in printed_extras(printed or {})]
    if lines:
        fields = {**fields, "highlights": [*lines, *(fields.get("highlights") or [])]}
    kept = {}
    for key, value in fields.items():
        if value is None or value == []:
            continue
        if key in ("summary", "location", "description", "entity", "type"):
            value = rendercv_text(value)
        elif key in ("keywords", "roles", "courses"):
            value = [rendercv_text(str(item)) for item in value]
        kept[key] = value
    return kept


def _bullet(bullet: Bullet, *, nested: bool) -> str:
    """A highlight; rendercv makes " - " in one a nested bullet, which it is only in text
    that came from rendercv."""
    text = rendercv_text(bullet.text)
    return text if nested else text.replace(" - ", f" -{WORD_JOINER} ")


def _education(education: Any) -> dict[str, Any]:
    institution = _linked(education.institution, education.url)
    fields: dict[str, Any] = {
        "institution": institution or "",
        "area": rendercv_text(education.area or ""),
        "degree": education.study_type and rendercv_text(education.study_type),
        "grade": education.score and rendercv_text(education.score),
        "location": education.location,
        **_dates(education.start_date, education.end_date),
        "summary": education.summary,
        "highlights": [_bullet(Bullet(text=line), nested=False) for line in education.highlights],
        "courses": education.courses,
        "url": education.url if education.url and not _is_link(institution) else None,
    }
    raw = {"grade": education.score, "courses": education.courses}
    return _entry_fields(fields, printed=raw)


def _publication(publication: Any) -> dict[str, Any]:
    # rendercv requires the authors, even none; 2.3 prints no summary: it follows the journal
    authors = [rendercv_text(author) for author in publication.authors]
    journal = JOURNAL_SUMMARY.join(
        rendercv_text(part) for part in (publication.publisher, publication.summary) if part
    )
    fields: dict[str, Any] = {
        "journal": _kept_end(journal) if journal else None,
        "date": _single_date(publication.release_date),
        "url": _web_address(publication.url) if publication.url else None,
        "summary": publication.summary,  # kept, to read back
    }
    title = rendercv_text(publication.name or "")
    return {"title": title, "authors": authors, **_entry_fields(fields)}


def _award(award: Any) -> dict[str, Any]:
    fields = {"name": rendercv_text(award.title or ""), "date": _single_date(award.date)}
    fields |= {"summary": award.summary, "awarder": award.awarder}
    return _entry_fields(fields, printed={"awarder": award.awarder})


def _certificate(certificate: Any) -> dict[str, Any]:
    name = _linked(certificate.name, certificate.url)
    fields = {"name": name or "", "date": _single_date(certificate.date)}
    fields["issuer"] = certificate.issuer and rendercv_text(certificate.issuer)
    fields["url"] = certificate.url if certificate.url and not _is_link(name) else None
    return _entry_fields(fields, printed={"issuer": certificate.issuer})


def _one_line(label: str | None, details: str | None, level: str | None = None) -> dict[str, Any]:
    """A label and its details; a skill's level, which rendercv 2.3 has no place for, printed
    after the label as tailor shows it ("Frontend (Senior)") and kept as `level`."""
    shown = f"{label} ({level})" if level else label
    fields = {
        "label": rendercv_text(shown or ""),
        "details": _kept_end(rendercv_text(details or "")),
    }
    return fields | ({"level": rendercv_text(level)} if level else {})


def _kept_end(text: str) -> str:
    """Text whose last punctuation rendercv 2.3 prints: it strips what a template's text ends
    with, up to a bracket (`KEEP_END`, which prints as nothing)."""
    return f"{text}{KEEP_END}" if re.search(r"[^\w\s#\[\]()]$", text) else text


_ITEMS: dict[str, Any] = {
    "education": _education,
    "publications": _publication,
    "awards": _award,
    "certificates": _certificate,
    "skills": lambda s: _one_line(s.name, ", ".join(s.keywords), level=s.level),
    "languages": lambda lang: _one_line(lang.language, lang.fluency),
    "interests": lambda i: _one_line(i.name, ", ".join(i.keywords)),
    "references": lambda r: _one_line(r.name, r.reference),
}


# -- links and dates -------------------------------------------------------------------------


def _linked(text: str | None, url: str | None) -> str | None:
    """The text as a Markdown link to `url` (rendercv prints the name linked), or the text."""
    if not text:
        return None
    target = link_target(url) if url else None
    # an address written without its scheme stays the entry's `url`, as written
    if url is None or target != url.strip() or re.search(r"[\s()\[\]<>]", target):
        return rendercv_text(text)
    return f"[{rendercv_text(text)}]({target})"


def _is_link(text: str | None) -> bool:
    return bool(text) and RENDERCV_LINK.fullmatch(text or "") is not None


def _rendercv_date(value: str | None) -> int | str | None:
    """An ISO date as rendercv takes it (a year as a number), else None."""
    match = ISO_DATE.fullmatch((value or "").strip())
    if not match:
        return None
    year, month, day = match["year"], match["month"], match["day"]
    if month is None:
        return int(year)
    import datetime

    try:
        datetime.date(int(year), int(month), int(day or 1))
    except ValueError:
        return None
    return match.group(0)


def _dates(start: str | None, end: str | None) -> dict[str, Any]:
    """`start_date` and `end_date` as rendercv takes them; dates it would refuse (not ISO, or
    a start after the end) are written as the one `date` text tailor shows for them."""
    first = _rendercv_date(start)
    ongoing = (end or "").strip().lower() in ("present", "current", "now", "ongoing")
    last: int | str | None = "present" if ongoing and first is not None else _rendercv_date(end)
    refused = (start and first is None) or (end and last is None)
    if refused or (first is not None and last not in (None, "present") and _after(first, last)):
        shown = date_range(start, end)
        return {"date": shown} if shown else {}
    return {key: value for key, value in (("start_date", first), ("end_date", last)) if value}


def _after(first: int | str, last: int | str | None) -> bool:
    def key(value: int | str | None) -> tuple[int, ...]:
        return (*(int(part) for part in str(value).split("-")), 1, 1)

    return key(first)[:3] > key(last)[:3]


def _single_date(value: str | None) -> int | str | None:
    """A one-off date (an award's, a publication's): ISO as rendercv takes it, else the text."""
    if not value:
        return None
    return _rendercv_date(value) or value.strip()


# -- text ------------------------------------------------------------------------------------

# Markdown emphasis as a person writes it, the marks against the words ("**fast**"): kept,
# as tailor's Markdown output keeps it; any other asterisk prints as one
_EMPHASIS = re.compile(r"(?<![*\\\w])(\*{1,3})(?=[^\s*])([^*\n]*?[^\s*\\])\1(?![*\w])")


def rendercv_text(text: str) -> str:
    """Text that rendercv prints as tailor shows it (the reader's `unmarked` undoes this).

    rendercv reads text as Markdown and then Typst: an asterisk is emphasis (a written one is
    "\\*"), "$$...$$" is an equation, "#...[...]" (2.0-2.3) and "#name" (2.4 on) a Typst
    command it passes on unescaped, and "<name>" a Typst label (and in Markdown, a tag). Each is broken with a word
    joiner (U+2060), which prints as nothing, or an indented line break, which prints as a
    space (in rendercv 2.3's entries, a new line); links and emphasis stay as they are.
    """
    parts: list[str] = []
    position = 0
    for match in RENDERCV_LINK.finditer(text):
        parts.append(_escaped(text[position : match.start()]))
        parts.append(match.group(0))
        position = match.end()
    parts.append(_escaped(text[position:]))
    return _without_commands("".join(parts))


def _escaped(text: str) -> str:
    out, position = [], 0
    for match in _EMPHASIS.finditer(text):
        out.append(_BACKSLASH_OR_TICK.sub(r"\\\g<0>", text[position : match.start()]))
        out[-1] = out[-1].replace("*", "\\*")
        # emphasis stays Markdown; within it, a backslash or backtick is still the character
        marks, inner = match.group(1), _BACKSLASH_OR_TICK.sub(r"\\\g<0>", match.group(2))
        out.append(f"{marks}{inner}{marks}")
        position = match.end()
    out.append(_BACKSLASH_OR_TICK.sub(r"\\\g<0>", text[position:]).replace("*", "\\*"))
    # rendercv 2.3 takes "\n" for a new line even after an escaped backslash
    escaped = "".join(out).replace("\\n", f"\\{WORD_JOINER}n")
    escaped = escaped.replace("$$", f"${WORD_JOINER}$").replace("$$", f"${WORD_JOINER}$")
    escaped = re.sub(r"<(?=[\w:.\-/!?])|#(?=\w)", rf"\g<0>{WORD_JOINER}", escaped)
    return _PLACEHOLDERS.sub(lambda m: f"{m.group(0)[0]}{WORD_JOINER}{m.group(0)[1:]}", escaped)


# a backslash or a backtick, which rendercv passes on to Typst as an escape or raw text
_BACKSLASH_OR_TICK = re.compile(r"[\\`]")
# rendercv 2.0-2.3 fill its entry templates by replacing these words one after another, so
# one written in a value would be replaced too; a word joiner keeps it a word of the text
_PLACEHOLDERS = re.compile(
    r"\b(?:AREA|AUTHORS|BULLET|COMPANY|DATE|DEGREE|DETAILS|DOI|END_DATE|GRADE|HIGHLIGHTS"
    r"|INSTITUTION|JOURNAL|LABEL|LOCATION|NAME|NUMBER|POSITION|REVERSED_NUMBER|START_DATE"
    r"|SUMMARY|TITLE|URL)\b"
)


def _without_commands(text: str) -> str:
    """Text where no "#" is followed by "[" on its line, outside links: rendercv would pass
    "#...[...]" on to Typst as a command. A line break before the "[" ends the line."""
    lines = []
    for line in text.split("\n"):
        masked = RENDERCV_LINK.sub(lambda m: "\0" * len(m.group(0)), line)
        hash_at = masked.find("#")
        bracket = masked.find("[", hash_at) if hash_at >= 0 else -1
        if bracket < 0 or "]" not in masked[bracket:]:
            lines.append(line)
            continue
        out = []
        for index, char in enumerate(line):
            if masked[index] == "[" and index > hash_at >= 0:
                out.append(LINE_BREAK)
            out.append(char)
        lines.append("".join(out))
    return "\n".join(lines)
