"""Map rendercv's YAML input (`cv: {name, sections: {title: [entries]}}`) to JSON Resume.

rendercv (https://github.com/rendercv/rendercv) types each entry by its keys, and every
type becomes a section of its own, under the title the user gave it:

- ExperienceEntry (`company`, `position`): work, or volunteering under such a title;
- EducationEntry (`institution`, `area`, `degree`): education, its highlights kept with it;
- PublicationEntry (`title`, `authors`): publications, with their authors;
- NormalEntry (`name`): projects, publications, awards or certificates as the title says,
  else a section of its own lines (Patents);
- OneLineEntry (`label`, `details`): skills, languages, awards or interests as the title
  says, else lines;
- BulletEntry (`bullet`), NumberedEntry (`number`), ReversedNumberedEntry
  (`reversed_number`) and TextEntry (a plain string): the summary under a summary title,
  else lines of a section of their own.

A section JSON Resume has no place for (Patents, Talks) keeps its title and its lines.

The reader is the inverse of tailor's rendercv writer (`tailor.renderers.rendercv`): an entry
whose name (company, institution) is a Markdown link is linked to its address, the JSON Resume
fields rendercv has no place for are read from the entry's extra keys, and text comes back as
rendercv prints it (`unmarked`: "\\*" is an asterisk; the writer's word joiners are dropped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tailor.cv.patterns import CONTACT_URL, RENDERCV_LINK, bare_url
from tailor.cv.readers.sections import section_kind
from tailor.cv.readers.text.contacts import with_scheme
from tailor.errors import UserError

RENDERCV_FORMAT = "rendercv-yaml"  # a CV's `origin.format` when it was read from rendercv YAML
WORD_JOINER = "\u2060"  # prints as nothing: the writer breaks up what rendercv would interpret
LINE_BREAK = f"{WORD_JOINER}\n    "  # prints as a space (within a list item too)
# an empty Typst block, which prints as nothing: rendercv 2.3 strips the punctuation a
# template's text ends with ("Highly recommended!"), and stops at this
KEEP_END = "#[]"
# the networks rendercv 2.x knows (2.0 to the latest), as rendercv spells them
SOCIAL_NETWORKS = (
    "LinkedIn",
    "GitHub",
    "GitLab",
    "IMDB",
    "Instagram",
    "ORCID",
    "Mastodon",
    "StackOverflow",
    "ResearchGate",
    "YouTube",
    "Google Scholar",
    "Telegram",
    "Leetcode",
    "X",
)
# the JSON Resume fields rendercv has no place for, which tailor keeps as an entry's extra keys
EXTRA_FIELDS = {
    "work": ("description", "url"),
    "volunteer": ("url",),
    "education": ("url", "courses"),
    "projects": ("keywords", "roles", "entity", "type"),
    "awards": ("awarder",),
    "certificates": ("issuer",),
    "skills": ("level",),
}


# the extra keys rendercv 2.3 does not print, which tailor's writer prints as an entry's first
# highlights too (keeping the keys, so that the fields read back as they were): the label
# each line starts with
PRINTED_EXTRAS = (
    ("entity", ""),
    ("description", ""),
    ("grade", "Grade: "),
    ("courses", "Courses: "),
    ("roles", "Roles: "),
    ("keywords", "Keywords: "),
    ("awarder", "Awarded by "),
    ("issuer", "Issued by "),
)


def printed_extras(entry: dict[str, Any]) -> list[str]:
    """The lines that print an entry's extra keys ("Keywords: Python, SQL"), in order."""
    lines = []
    for key, label in PRINTED_EXTRAS:
        value = entry.get(key)
        if value in (None, "", []):
            continue
        if isinstance(value, list):
            label = "Role: " if key == "roles" and len(value) == 1 else label
            value = ", ".join(str(item) for item in value)
        lines.append(f"{label}{value}")
    return lines


def _without_printed_extras(entry: dict[str, Any]) -> dict[str, Any]:
    """The entry without the highlights that print its extra keys (the writer's first ones),
    and a skill's label without the level written after it."""
    printed = printed_extras(entry)
    highlights = entry.get("highlights")
    if printed and isinstance(highlights, list) and highlights[: len(printed)] == printed:
        entry = {**entry, "highlights": highlights[len(printed) :]}
    level, label = entry.get("level"), entry.get("label")
    if level and isinstance(label, str) and label.endswith(f" ({level})"):
        entry = {**entry, "label": label[: -len(f" ({level})")]}
    summary, journal = entry.get("summary"), entry.get("journal")
    if "title" in entry and summary and isinstance(journal, str):
        if journal == summary:
            entry = {key: value for key, value in entry.items() if key != "journal"}
        elif journal.endswith(f"{JOURNAL_SUMMARY}{summary}"):
            entry = {**entry, "journal": journal[: -len(f"{JOURNAL_SUMMARY}{summary}")]}
    return entry


JOURNAL_SUMMARY = " — "  # between a publication's journal and its summary, printed with it


@dataclass
class RenderCvDocument:
    """The CV as a JSON Resume document, with the section titles as rendercv prints them, the
    section each title was read as, and the title each entry stood under."""

    document: dict[str, Any]
    titles: list[str] = field(default_factory=list)
    kinds: dict[str, str | None] = field(default_factory=dict)
    entry_titles: dict[str, list[str]] = field(default_factory=dict)  # "work" -> a title each


def rendercv_to_json_resume(cv: Any) -> RenderCvDocument:
    """A JSON Resume document with the content of a rendercv `cv:` mapping."""
    if not isinstance(cv, dict):
        raise UserError("rendercv's `cv:` must be a mapping with name, sections, ...")
    sections = cv.get("sections") or {}
    if not isinstance(sections, dict):
        raise UserError("rendercv's `cv.sections` must map section titles to lists of entries")
    result = RenderCvDocument({"basics": _basics(cv)})
    sections = _unmarked_values(sections)
    for key, entries in sections.items():
        title = section_title(unmarked(str(key)))
        result.titles.append(title)
        for entry in entries if isinstance(entries, list) else [entries]:
            _add_entry(result, title, entry)
    return result


def section_title(key: str) -> str:
    """A section's title as rendercv prints it: "software_development_experience" reads
    "Software Development Experience"; a key with capitals or spaces is printed as written."""
    if key != key.lower() or " " in key:
        return key
    return " ".join(word[:1].upper() + word[1:] for word in key.split("_") if word)


def _basics(cv: dict[str, Any]) -> dict[str, Any]:
    basics: dict[str, Any] = {
        key: cv[key] for key in ("name", "email", "phone", "label") if cv.get(key)
    }
    if cv.get("headline"):
        basics["label"] = cv["headline"]
    for key in ("name", "label"):  # text as rendercv prints it, as the sections' text
        if isinstance(basics.get(key), str):
            basics[key] = unmarked(basics[key])
    if cv.get("website"):
        basics["url"] = cv["website"]
    if cv.get("location"):
        basics["location"] = {"city": unmarked(str(cv["location"]))}
    if cv.get("photo"):
        basics["image"] = str(cv["photo"])
    basics["profiles"] = [
        _profile(item) for item in cv.get("social_networks") or [] if isinstance(item, dict)
    ]
    for item in cv.get("custom_connections") or []:
        if isinstance(item, dict):
            _add_connection(basics, item)
    return basics


def _add_connection(basics: dict[str, Any], item: dict[str, Any]) -> None:
    """A custom connection (rendercv 2.4): a profile with its link or its username alone
    (icon "user"), else the email, phone or web address rendercv could not take in its own
    field."""
    text, url, icon = item.get("placeholder"), item.get("url"), item.get("fontawesome_icon")
    if icon == "user" and text and not url:  # a username alone: "Network: username"
        network, _, username = str(text).rpartition(": ")
        profile = {"network": network, "username": username} if network else {"username": text}
        basics["profiles"].append(profile)
    elif url:
        profile = {"network": text, "url": str(url)}
        if text and str(text).lower() == bare_url(str(url)):
            del profile["network"]
        basics["profiles"].append(profile)
    elif text:
        key = {"envelope": "email", "phone": "phone"}.get(str(icon), "url")
        basics.setdefault(key, str(text))


def _add_entry(result: RenderCvDocument, title: str, entry: Any) -> None:
    kind = section_kind(title, by_last_word=True)
    if isinstance(entry, str) or _one_key(entry, ("bullet", "number", "reversed_number")):
        text = entry if isinstance(entry, str) else str(next(iter(entry.values())))
        if kind == "summary":
            summary = result.document["basics"].get("summary")
            result.document["basics"]["summary"] = f"{summary} {text}" if summary else text
            result.kinds[title] = "summary"
        else:
            _add_lines(result, title, [text])
        return
    if not isinstance(entry, dict):
        return
    entry = _without_printed_extras(entry)
    before = {key: len(value) for key, value in result.document.items()}
    _add_typed_entry(result, title, kind, entry)
    for section, fields in EXTRA_FIELDS.items():
        items = result.document.get(section)
        if isinstance(items, list) and len(items) > before.get(section, 0):
            extra = {key: entry[key] for key in fields if entry.get(key) not in (None, "", [])}
            items[-1] = {**extra, **items[-1]}  # a link in the name is the entry's own url


def _add_typed_entry(result: RenderCvDocument, title: str, kind: str | None, entry: Any) -> None:
    dates = _dates(entry)
    highlights = _highlights(entry)
    entry = _with_links(entry)
    if "company" in entry or "position" in entry:
        section = "volunteer" if kind == "volunteer" else "work"
        name_key = "organization" if section == "volunteer" else "name"
        item = {
            name_key: entry.get("company"),
            "position": entry.get("position"),
            "location": entry.get("location"),
            "url": entry.get("url"),
            "summary": entry.get("summary"),
            "highlights": highlights,
            **dates,
        }
        _append(result, title, section, item)
    elif "institution" in entry:
        item = {
            "institution": entry["institution"],
            "url": entry.get("url"),
            "area": entry.get("area"),
            "studyType": entry.get("degree"),
            "score": entry.get("grade"),
            "location": entry.get("location"),
            "summary": entry.get("summary"),
            "highlights": highlights,
            **dates,
        }
        _append(result, title, "education", item)
    elif "title" in entry and ("authors" in entry or kind == "publications"):
        url = entry.get("url") or (f"https://doi.org/{entry['doi']}" if entry.get("doi") else None)
        item = {
            "name": entry["title"],
            "authors": [_plain(str(author)) for author in entry.get("authors") or []],
            "publisher": entry.get("journal"),
            "releaseDate": _date(entry.get("date")),
            "url": url,
            "summary": entry.get("summary"),
        }
        _append(result, title, "publications", item)
    elif "label" in entry and "details" in entry:
        _add_one_line(result, title, kind, str(entry["label"]), str(entry["details"]))
    elif "name" in entry:
        _add_normal(result, title, kind, entry, dates, highlights)


def _with_links(entry: dict[str, Any]) -> dict[str, Any]:
    """The entry with a name written as a Markdown link ("[Acme](https://acme.example)") read
    as the name and the entry's `url`, as rendercv prints it."""
    for key in ("company", "institution", "name"):
        match = RENDERCV_LINK.fullmatch(str(entry.get(key) or ""))
        own = entry.get("url")
        # the name's link is the entry's, unless the entry gives another (then it stays)
        if match and bare_url(str(own) if own else match["url"]) == bare_url(match["url"]):
            return {**entry, key: match["label"], "url": match["url"]}
    return entry


def _add_one_line(
    result: RenderCvDocument, title: str, kind: str | None, label: str, details: str
) -> None:
    if kind == "languages":
        _append(result, title, "languages", {"language": label, "fluency": details})
    elif kind == "awards":
        _append(result, title, "awards", {"title": label, "summary": details})
    elif kind == "interests":
        _append(result, title, "interests", {"name": label, "keywords": _split_list(details)})
    elif kind == "skills":
        _append(result, title, "skills", {"name": label, "keywords": _split_list(details)})
    elif kind == "references":
        _append(result, title, "references", {"name": label, "reference": details})
    else:
        _add_lines(result, title, [f"{label}: {details}"])


def _add_normal(
    result: RenderCvDocument,
    title: str,
    kind: str | None,
    entry: dict[str, Any],
    dates: dict[str, str],
    highlights: list[str],
) -> None:
    name, summary, url = entry["name"], entry.get("summary"), entry.get("url")
    if kind == "awards":  # JSON Resume gives an award a summary and no highlights
        item = {"title": name, "summary": _joined([summary, *highlights])}
        _append(result, title, "awards", {**item, "date": dates.get("startDate")})
    elif kind == "certificates":
        item = {"name": name, "url": url, "date": dates.get("startDate")}
        _append(result, title, "certificates", item)
        _add_lines(result, title, [t for t in [summary, *highlights] if t])
    elif kind == "projects":
        # a link in what the project is, is its link, as a Markdown CV's reader takes it
        links = CONTACT_URL.findall(summary or "")
        url = url or (with_scheme(links[0].rstrip(".")) if links else None)
        item = {"name": name, "description": summary, "url": url, "highlights": highlights}
        _append(result, title, "projects", {**item, **dates})
    elif kind == "publications":
        item = {"name": name, "releaseDate": dates.get("startDate"), "url": url}
        _append(result, title, "publications", {**item, "summary": _joined([summary, *highlights])})
    else:  # a section JSON Resume has no place for: its entries as lines
        when = " – ".join(dict.fromkeys(dates.values()))
        head = ", ".join(str(part) for part in (name, entry.get("location"), when) if part)
        _add_lines(result, title, [t for t in [head, summary, *highlights] if t])


_PROFILE_URLS = {
    "github": "https://github.com/{}",
    "gitlab": "https://gitlab.com/{}",
    "linkedin": "https://linkedin.com/in/{}",
    "huggingface": "https://huggingface.co/{}",
    "orcid": "https://orcid.org/{}",
    "stackoverflow": "https://stackoverflow.com/users/{}",
    "researchgate": "https://researchgate.net/profile/{}",
    "googlescholar": "https://scholar.google.com/citations?user={}",
    "youtube": "https://youtube.com/@{}",
    "x": "https://x.com/{}",
    "twitter": "https://twitter.com/{}",
    "instagram": "https://instagram.com/{}",
    "telegram": "https://t.me/{}",
    "bluesky": "https://bsky.app/profile/{}",
    "imdb": "https://imdb.com/name/{}",
    "leetcode": "https://leetcode.com/u/{}",
}


def profile_url(network: str, username: str) -> str | None:
    """The address rendercv links a social network's username to (None for a network it
    does not know)."""
    key = network.lower().replace(" ", "")
    if key == "mastodon":
        user, _, host = username.lstrip("@").partition("@")
        return f"https://{host}/@{user}" if host else None
    template = _PROFILE_URLS.get(key)
    return template.format(username) if template else None


def _profile(item: dict[str, Any]) -> dict[str, Any]:
    network, username = item.get("network"), item.get("username")
    key = str(network).lower().replace(" ", "")
    template = _PROFILE_URLS.get(key)
    url = template.format(username) if template and username else None
    if key == "mastodon" and username and str(username).count("@") == 2:
        user, host = str(username).lstrip("@").split("@")
        url = f"https://{host}/@{user}"
    return {
        key: value
        for key, value in (("network", network), ("username", username), ("url", url))
        if value
    }


def _one_key(entry: Any, keys: tuple[str, ...]) -> bool:
    return isinstance(entry, dict) and len(entry) == 1 and next(iter(entry)) in keys


def _highlights(entry: dict[str, Any]) -> list[str]:
    listed = entry.get("highlights") or []
    return [str(h) for h in (listed if isinstance(listed, list) else [listed]) if str(h).strip()]


def _dates(entry: dict[str, Any]) -> dict[str, str]:
    """The entry's dates as JSON Resume has them; a single `date` is when it started and ended."""
    start, end = _date(entry.get("start_date")), _date(entry.get("end_date"))
    single = _date(entry.get("date"))
    if single and not (start or end):
        start = end = single
    return {key: value for key, value in (("startDate", start), ("endDate", end)) if value}


def _add_lines(result: RenderCvDocument, title: str, lines: list[str]) -> None:
    extra = result.document.setdefault("additionalSections", [])
    section = next((s for s in extra if s["title"] == title), None)
    if section is None:
        section = {"title": title, "lines": []}
        extra.append(section)
    section["lines"] += [str(line) for line in lines if str(line).strip()]


def _append(result: RenderCvDocument, title: str, section: str, item: dict[str, Any]) -> None:
    result.document.setdefault(section, []).append(
        {k: v for k, v in item.items() if v not in (None, [], "")}
    )
    result.kinds[title] = section
    result.entry_titles.setdefault(section, []).append(title)


def _joined(parts: list[Any]) -> str | None:
    """An entry's summary and highlights as one summary, each part ending a sentence."""
    texts = [str(part).strip() for part in parts if part and str(part).strip()]
    ended = [t if t.endswith((".", "!", "?", ";", ":")) else f"{t}." for t in texts[:-1]]
    return " ".join([*ended, *texts[-1:]]) or None


def _split_list(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def unmarked(text: str) -> str:
    """Text as rendercv prints it, where tailor's writer marked it up: an escaped asterisk,
    backslash or backtick ("\\*", "\\\\", "\\`") is the character, and so is a character
    in a Typst block ("#[\\#]", as titles have them); the writer's word joiners, line breaks
    and the empty block that keeps a last full stop are dropped."""
    text = text.removesuffix(KEEP_END)
    text = text.replace(LINE_BREAK, "").replace(WORD_JOINER, "")
    text = re.sub(r"#\[\\([#*`<$])\]", r"\1", text)  # a title's character in a Typst block
    return re.sub(r"\\([*\\`])", r"\1", text)


def _unmarked_values(value: Any, key: str | None = None) -> Any:
    """Every text of the sections unmarked; addresses as they are."""
    if isinstance(value, str):
        return value if key in ("url", "doi") else unmarked(value)
    if isinstance(value, dict):
        return {k: _unmarked_values(item, str(k)) for k, item in value.items()}
    if isinstance(value, list):
        return [_unmarked_values(item, key) for item in value]
    return value


def _plain(text: str) -> str:
    """Text without rendercv's Markdown emphasis ("***Fridljand, D.***")."""
    return re.sub(r"(\*{1,3}|_{1,3})(\S.*?\S|\S)\1", r"\2", text).strip()


def _date(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return None if not text or text.lower() == "present" else text
