"""The check: every field of a tailored CV against its source, where it belongs; and the rule
for every sentence a model writes for the user."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from tailor.cv.model import CV
from tailor.grounding.claims import SourceLines, claims_beyond, unsupported_claims
from tailor.grounding.entries import EntryMatch, entry_of, match_entries, unmatched
from tailor.grounding.facts import (
    Facts,
    date_supported,
    facts_of,
    link_supported,
    phrase_supported,
    skill_supported,
    unsupported_in_prose,
)
from tailor.grounding.model import FactKind, Violation

# JSON Resume fields that hold one named fact, checked whole against the source
_FIELD_KINDS: dict[str, FactKind] = {
    "basics.name": "contact",
    "basics.email": "contact",
    "basics.phone": "contact",
    "basics.location.address": "contact",
    "basics.location.city": "contact",
    "basics.location.region": "contact",
    "basics.location.postalCode": "contact",
    "basics.location.countryCode": "contact",
    "basics.profiles.username": "contact",
    "basics.label": "title",
    "work.name": "employer",
    "work.position": "title",
    "work.location": "contact",
    "volunteer.organization": "employer",
    "volunteer.position": "title",
    "education.institution": "organisation",
    "education.studyType": "degree",
    "education.area": "degree",
    "education.score": "degree",
    "education.courses": "degree",
    "awards.title": "name",
    "awards.awarder": "organisation",
    "certificates.name": "name",
    "certificates.issuer": "organisation",
    "publications.name": "publication",
    "publications.publisher": "organisation",
    "projects.name": "name",
    "projects.entity": "organisation",
    "projects.roles": "title",
    "languages.language": "name",
    "languages.fluency": "name",
    "interests.name": "name",
    "interests.keywords": "name",
    "references.name": "name",
    "skills.keywords": "skill",
}

_DATE_FIELDS = {"startDate", "endDate", "date", "releaseDate"}

_LINK_FIELDS = {"url", "image"}

_SKIPPED = {"skills.name", "skills.level", "$schema", "meta"}  # labels, not facts


def check(tailored: CV, source: CV) -> list[Violation]:
    """Every fact and claim in `tailored` that `source` does not support, in document order."""
    strings = [text for _, _, text in document_fields(source.to_json_resume())]
    read = strings
    if source.origin is not None and source.origin.text:
        file = source.origin.text
        # the file's text holds most fields as they are: their claims are read there, once
        read = [file, *(text for text in strings if text not in file)]
        strings = [*strings, file]
    whole = facts_of(strings), SourceLines(strings, read=read)
    document = tailored.to_json_resume()
    matches = match_entries(document, source.to_json_resume())
    violations: list[Violation] = []
    scoped: dict[tuple[str, int], tuple[Facts, SourceLines]] = {}
    for path, key, text in document_fields(document):
        facts, lines = whole
        scope = entry_of(path)
        entry = matches.get(scope) if scope is not None else None
        if entry is not None and entry.source is not None:
            if entry.scope not in scoped:
                own = [t for _, _, t in document_fields(entry.source)]
                scoped[entry.scope] = facts_of(own), SourceLines(own)
            facts, lines = scoped[entry.scope]
            lines = _bullet_lines(tailored, source, path, entry, lines)
        violations.extend(_check_field(path, key, text, facts, lines))
    # an entry none of whose fields is wrong alone, but whose pairing is (a real title at a
    # real employer where you never held it)
    flagged = {v.path for v in violations}
    for entry in matches.values():
        violation = unmatched(entry)
        if violation and not any(p.startswith(violation.path + ".") for p in flagged):
            violations.append(violation)
    return _in_document_order(violations, [path for path, _, _ in document_fields(document)])


def unsupported_in(text: str, sources: list[str]) -> list[tuple[FactKind, str]]:
    """The facts and claims of a sentence that `sources` (lines of a CV) do not state: figures,
    dates, links, contacts, skills and names, as `check` finds them in a rewritten bullet, then
    claims beyond all the sources together (`unsupported_claims`)."""
    found = list(unsupported_in_prose(text, facts_of(sources)))
    return found + [("claim", claim.written) for claim in unsupported_claims(text, sources)]


def document_fields(value: Any, path: str = "", key: str = "") -> Iterator[tuple[str, str, str]]:
    """Each string of a JSON Resume document: its path, its field key ("work.name"), the text."""
    if isinstance(value, str):
        yield path, key, value
    elif isinstance(value, dict):
        for name, item in value.items():
            child_key = f"{key.split('[')[0]}.{name}" if key else name
            yield from document_fields(item, f"{path}.{name}" if path else name, child_key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from document_fields(item, f"{path}[{index}]", key)


def _in_document_order(violations: list[Violation], paths: list[str]) -> list[Violation]:
    """Violations without repeats, in the order of the fields they are about (an entry's own
    violation where the entry starts)."""

    def position(violation: Violation) -> int:
        inside = (violation.path, violation.path + ".", violation.path + "[")
        return next((i for i, path in enumerate(paths) if path.startswith(inside)), len(paths))

    return sorted(dict.fromkeys(violations), key=position)


def _check_field(
    path: str, key: str, text: str, facts: Facts, lines: SourceLines
) -> list[Violation]:
    field_key = _generic(key)
    name = field_key.rsplit(".", 1)[-1]
    if field_key in _SKIPPED or field_key.split(".", 1)[0] in _SKIPPED:
        return []

    def violation(kind: FactKind, value: str) -> Violation:
        return Violation(kind=kind, value=value, path=path, text=text)

    if name in _DATE_FIELDS:
        return [] if date_supported(text, facts) else [violation("date", text)]
    if name in _LINK_FIELDS or field_key == "basics.profiles.url":
        return [] if link_supported(text, facts) else [violation("link", text)]
    if field_key == "skills.keywords":
        return [] if skill_supported(text, facts) else [violation("skill", text)]
    if field_key in _FIELD_KINDS:
        supported = phrase_supported(text, facts)
        return [] if supported else [violation(_FIELD_KINDS[field_key], text)]
    found = [violation(kind, value) for kind, value in unsupported_in_prose(text, facts)]
    if text in lines.texts:  # a line as the source writes it claims what it claims
        return found
    for claim in claims_beyond(text, lines.claims()):
        found.append(
            Violation(
                kind="claim", value=claim.written, path=path, text=text, source_value=claim.source
            )
        )
    return found


def _generic(key: str) -> str:
    """ "work.highlights" from the key of any work entry's highlight."""
    return re.sub(r"\[\d+\]", "", key)


def _bullet_lines(
    tailored: CV, source: CV, path: str, entry: EntryMatch, lines: SourceLines
) -> SourceLines:
    """A bullet's own source line, with its entry for seniority (a "Senior" title supports "as
    the senior engineer"); the entry's `lines` where the bullet names no line of it."""
    own = _source_lines(tailored, source, path, entry)
    return SourceLines(own, entry=lines) if own else lines


_BULLET_PATH = re.compile(r"^(work|volunteer|projects)\[(\d+)\]\.highlights\[(\d+)\]$")


def _source_lines(tailored: CV, source: CV, path: str, entry: EntryMatch) -> list[str]:
    """The bullets of the matched source entry on the line a tailored bullet came from."""
    match = _BULLET_PATH.match(path)
    if match is None or entry.source_index is None:
        return []
    kind, index, position = match.group(1), int(match.group(2)), int(match.group(3))
    bullets = getattr(tailored, kind)[index].highlights
    origin = bullets[position].source if position < len(bullets) else None
    if origin is None or origin.line is None:
        return []
    own = getattr(source, kind)[entry.source_index].highlights
    return [b.text for b in own if b.source is not None and b.source.line == origin.line]


def stated_by(cv: CV, *texts: str | None) -> list[str]:
    """What a sentence tailor shows the user may rest on: the CV as read (each field, and the
    source text it was read from), and any other text given (a posting's).

    The one rule for every sentence a model writes for the user (a critique's summary and
    strengths, a rewrite's questions and reasons, a talking point given as advice):
    `unsupported_in(sentence, stated_by(cv, posting_text))` must be empty.
    """
    strings = [text for _, _, text in document_fields(cv.to_json_resume())]
    if cv.origin is not None and cv.origin.text:
        strings.append(cv.origin.text)
    return [*strings, *(text for text in texts if text)]
