"""Read CVs that are already structured: JSON Resume (JSON or YAML) and rendercv's YAML."""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

import yaml
from pydantic import ValidationError

from tailor.cv.model import CV, Bullet, Origin, Source
from tailor.errors import UserError
from tailor.limits import load_json
from tailor.resources import load_yaml


def parse_json(text: str, *, path: str | None = None) -> CV:
    """Parse a JSON Resume document."""
    document = load_json(text, name="the JSON")
    return from_document(document, text=text, fmt="json", path=path)


def parse_yaml(text: str, *, path: str | None = None) -> CV:
    """Parse a YAML CV: JSON Resume in YAML, or rendercv's `cv:` shape."""
    try:
        document = load_yaml(text, name="the YAML")
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise UserError(f"malformed YAML{where}: {problem}") from None
    document = _dates_as_text(document)
    if isinstance(document, dict) and "cv" in document:
        from tailor.cv.readers.rendercv import RENDERCV_FORMAT, rendercv_to_json_resume

        read = rendercv_to_json_resume(document["cv"])
        cv = from_document(read.document, text=text, fmt=RENDERCV_FORMAT, path=path)
        assert cv.origin is not None
        cv.origin.sections, cv.origin.kinds = read.titles, read.kinds
        _title_bullets(cv, read.entry_titles)
        return cv
    return from_document(document, text=text, fmt="yaml", path=path)


def _title_bullets(cv: CV, entry_titles: dict[str, list[str]]) -> None:
    """Give each bullet the title of the section its entry stood under (rendercv's own)."""
    for kind in ("work", "projects", "volunteer"):
        for entry, title in zip(getattr(cv, kind), entry_titles.get(kind, []), strict=False):
            for bullet in entry.highlights:
                line = bullet.source.line if bullet.source else None
                bullet.source = Source(section=title, line=line)


def _dates_as_text(value: Any) -> Any:
    """YAML reads `2020-01-15` as a date; JSON Resume wants the ISO text the user wrote."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _dates_as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(item) for item in value]
    return value


CV_SECTIONS = (
    "basics",
    "work",
    "volunteer",
    "education",
    "awards",
    "certificates",
    "publications",
    "skills",
    "languages",
    "interests",
    "references",
    "projects",
)  # JSON Resume's sections, in its order; `$schema`, `meta` and unknown keys are not sections


# Fields JSON Resume renamed at 1.0 (2017), as CVs written before then still have them: each
# entry kind's old name -> today's, used where the entry does not have today's name already.
_RENAMED = {
    "basics": {"website": "url"},
    "work": {"company": "name", "website": "url"},
    "volunteer": {"website": "url"},
    "publications": {"website": "url"},
    "projects": {"website": "url"},
    "education": {"gpa": "score"},
}


def _today_names(document: dict[str, Any]) -> dict[str, Any]:
    """The document with fields of JSON Resume before 1.0 under today's names."""
    renamed = dict(document)
    for kind, names in _RENAMED.items():
        value = renamed.get(kind)
        if isinstance(value, dict):
            renamed[kind] = _renamed_keys(value, names)
        elif isinstance(value, list):
            renamed[kind] = [
                _renamed_keys(entry, names) if isinstance(entry, dict) else entry for entry in value
            ]
    return renamed


def _renamed_keys(entry: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """A copy of `entry` with each old key under its new name (unless both are given)."""
    return {
        (names[key] if key in names and names[key] not in entry else key): value
        for key, value in entry.items()
    }


def from_document(document: Any, *, text: str, fmt: str, path: str | None) -> CV:
    """Validate a JSON Resume document and record where each bullet stands in `text`."""
    if not isinstance(document, dict):
        raise UserError(
            f"a {fmt.upper()} CV must be an object of JSON Resume sections, not {type(document).__name__}"
        )
    document = _today_names(document)
    try:
        cv = CV.from_document(document)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise UserError(f"invalid CV field {where}: {first['msg']}") from None
    sections = [key for key in CV_SECTIONS if document.get(key)]
    if not sections:
        raise UserError(
            "no CV sections found (the document has no basics, work, education, skills, ...)"
        )
    origin = Origin(format=fmt, path=path, sections=sections, text=text)
    _locate_bullets(cv, origin)
    cv.set_origin(origin)
    return cv


def _locate_bullets(cv: CV, origin: Origin) -> None:
    """Give each bullet its section and the line of the file where its text stands.

    Bullets are looked for in document order from the last one found, so a long file is
    read once, not once per bullet.
    """
    line = 0
    for section, entries in (
        ("work", cv.work),
        ("projects", cv.projects),
        ("volunteer", cv.volunteer),
    ):
        for entry in entries:
            located = []
            for bullet in entry.highlights:
                found = _line_of(bullet.text, origin, after_line=line)
                located.append(Bullet(text=bullet.text, source=Source(section=section, line=found)))
                line = found or line
            entry.highlights = located


def _line_of(needle: str, origin: Origin, *, after_line: int) -> int | None:
    probe = needle[:60]
    escaped = json.dumps(probe)[1:-1]  # as JSON writes it: quotes and non-ASCII escaped
    found = origin.line_of(probe, after_line=after_line)
    found = found or origin.line_of(escaped, after_line=after_line)
    if found is None:  # folded YAML or escaped characters: match the first words, any spacing
        words = re.findall(r"\w+", needle)[:6]
        pattern = re.compile(r"\W+".join(map(re.escape, words)))
        found = origin.line_of_pattern(pattern, after_line=after_line) if words else None
    return found
