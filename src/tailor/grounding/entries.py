"""Entries: which role, project or degree of the source an output entry is (the same employer
and title together), so its facts are checked against that entry alone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tailor.grounding.facts import normalise
from tailor.grounding.model import FactKind, Violation

# the fields that together say which entry of the source an output entry is
_IDENTITY: dict[str, tuple[tuple[str, ...], FactKind]] = {
    "work": (("name", "position"), "employer"),
    "volunteer": (("organization", "position"), "employer"),
    "education": (("institution", "studyType", "area"), "degree"),
    "projects": (("name",), "name"),
}

_ENTRY_PATH = re.compile(r"^(work|volunteer|education|projects)\[(\d+)\]")


@dataclass(frozen=True)
class EntryMatch:
    """An entry of the output and the source entry it is (None: none of the source's)."""

    scope: tuple[str, int]
    identity: str  # normalised, to compare
    written: str  # as the output writes it, to report
    source: dict[str, Any] | None
    source_index: int | None = None  # where `source` stands in its section of the source CV


def match_entries(
    document: dict[str, Any], source: dict[str, Any]
) -> dict[tuple[str, int], EntryMatch]:
    matches: dict[tuple[str, int], EntryMatch] = {}
    for kind, (fields, _) in _IDENTITY.items():
        own = list(enumerate(source.get(kind, [])))
        candidates = {_identity(entry, fields): (i, entry) for i, entry in reversed(own)}
        for index, entry in enumerate(document.get(kind, [])):
            identity = _identity(entry, fields)
            if not identity.strip(" |"):  # a nameless project: nothing to match it by
                continue
            written = " — ".join(str(entry[name]) for name in fields if entry.get(name))
            source_index, match = candidates.get(identity, (None, None))
            matches[(kind, index)] = EntryMatch(
                (kind, index), identity, written, match, source_index
            )
    return matches


def _identity(entry: dict[str, Any], fields: tuple[str, ...]) -> str:
    return " | ".join(normalise(str(entry.get(name) or "")).strip(" .") for name in fields)


def entry_of(path: str) -> tuple[str, int] | None:
    match = _ENTRY_PATH.match(path)
    return (match.group(1), int(match.group(2))) if match else None


def unmatched(entry: EntryMatch) -> Violation | None:
    """A violation when the output entry is none of the source's (a title moved to another
    employer, a degree from another school)."""
    if entry.source is not None:
        return None
    kind, index = entry.scope
    fact = _IDENTITY[kind][1]
    return Violation(kind=fact, value=entry.written, path=f"{kind}[{index}]", text=entry.written)
