"""Map rendercv's YAML input (`cv: {name, sections: {title: [entries]}}`) to JSON Resume.

rendercv (https://github.com/rendercv/rendercv) types each entry by its keys: experience
entries have `company` and `position`, education entries `institution` and `area`, publication
entries `title` and `authors`, normal entries `name`, one-line entries `label` and `details`,
bullet entries `bullet`, and a text entry is a plain string.
"""

from __future__ import annotations

from typing import Any

from tailor.cv.readers.sections import section_kind
from tailor.errors import UserError


def rendercv_to_json_resume(cv: Any) -> dict[str, Any]:
    """Return a JSON Resume document with the content of a rendercv `cv:` mapping."""
    if not isinstance(cv, dict):
        raise UserError("rendercv's `cv:` must be a mapping with name, sections, ...")
    sections = cv.get("sections") or {}
    if not isinstance(sections, dict):
        raise UserError("rendercv's `cv.sections` must map section titles to lists of entries")
    basics: dict[str, Any] = {
        key: cv[key] for key in ("name", "email", "phone", "label") if cv.get(key)
    }
    if cv.get("website"):
        basics["url"] = cv["website"]
    if cv.get("location"):
        basics["location"] = {"city": str(cv["location"])}
    basics["profiles"] = [
        _profile(item) for item in cv.get("social_networks") or [] if isinstance(item, dict)
    ]
    document: dict[str, Any] = {"basics": basics}
    for title, entries in sections.items():
        for entry in entries if isinstance(entries, list) else [entries]:
            _add_entry(document, str(title), entry)
    return document


def _add_entry(document: dict[str, Any], title: str, entry: Any) -> None:
    kind = section_kind(title)
    if isinstance(entry, str):
        if kind == "summary":
            summary = document["basics"].get("summary")
            document["basics"]["summary"] = f"{summary} {entry}" if summary else entry
        else:
            _append(document, "x-textEntries", {"section": title, "text": entry})
        return
    if not isinstance(entry, dict):
        return
    dates = {"startDate": _date(entry.get("start_date")), "endDate": _date(entry.get("end_date"))}
    dates = {key: value for key, value in dates.items() if value}
    listed = entry.get("highlights") or []
    highlights = [str(h) for h in (listed if isinstance(listed, list) else [listed])]
    if "company" in entry or "position" in entry:
        section = "volunteer" if kind == "volunteer" else "work"
        name_key = "organization" if section == "volunteer" else "name"
        _append(
            document,
            section,
            {
                name_key: entry.get("company"),
                "position": entry.get("position"),
                "location": entry.get("location"),
                "summary": entry.get("summary"),
                "highlights": highlights,
                **dates,
            },
        )
    elif "institution" in entry:
        _append(
            document,
            "education",
            {
                "institution": entry["institution"],
                "area": entry.get("area"),
                "studyType": entry.get("degree"),
                "courses": highlights,
                **dates,
            },
        )
    elif "title" in entry and ("authors" in entry or kind == "publications"):
        url = entry.get("url") or (f"https://doi.org/{entry['doi']}" if entry.get("doi") else None)
        _append(
            document,
            "publications",
            {
                "name": entry["title"],
                "publisher": entry.get("journal"),
                "releaseDate": _date(entry.get("date")),
                "url": url,
            },
        )
    elif "label" in entry and "details" in entry:
        label, details = str(entry["label"]), str(entry["details"])
        if kind == "languages":
            _append(document, "languages", {"language": label, "fluency": details})
        elif kind == "awards":
            _append(document, "awards", {"title": label, "summary": details})
        elif kind == "interests":
            _append(document, "interests", {"name": label, "keywords": _split_list(details)})
        else:
            _append(document, "skills", {"name": label, "keywords": _split_list(details)})
    elif "bullet" in entry:
        _append(
            document,
            "projects" if kind == "projects" else "x-bullets",
            {
                "name": None,
                "description": entry["bullet"],
                "highlights": [entry["bullet"]],
            },
        )
    elif "name" in entry:
        target = {"awards": "awards", "certificates": "certificates"}.get(kind or "", "projects")
        name_key = "title" if target == "awards" else "name"
        _append(
            document,
            target,
            {
                name_key: entry["name"],
                "summary" if target == "awards" else "description": entry.get("summary"),
                **({"highlights": highlights} if target == "projects" else {}),
                **({"url": entry.get("url")} if target != "awards" else {}),
                **dates,
            },
        )


_PROFILE_URLS = {
    "github": "https://github.com/{}",
    "gitlab": "https://gitlab.com/{}",
    "linkedin": "https://linkedin.com/in/{}",
    "huggingface": "https://huggingface.co/{}",
}


def _profile(item: dict[str, Any]) -> dict[str, Any]:
    network, username = item.get("network"), item.get("username")
    template = _PROFILE_URLS.get(str(network).lower().replace(" ", ""))
    url = template.format(username) if template and username else None
    return {
        key: value
        for key, value in (("network", network), ("username", username), ("url", url))
        if value
    }


def _split_list(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def _append(document: dict[str, Any], section: str, item: dict[str, Any]) -> None:
    document.setdefault(section, []).append(
        {k: v for k, v in item.items() if v not in (None, [], "")}
    )


def _date(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value)
    return None if text.lower() == "present" else text
