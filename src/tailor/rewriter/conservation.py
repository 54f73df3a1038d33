"""Nothing of the user's lost: every piece of a CV's text is shown, or logged with its reason.

A *piece* is one string of the user's as a reader would see it: a bullet, a sentence of a
summary, an employer, a date as tailor prints it, a skill, a link without its scheme, a line
of a section tailor could not place, a field JSON Resume does not define. The invariant
tailor keeps, checked over every CV in the repository and over generated ones:

    every piece of the source CV is in the tailored output, in every format, or is named in
    the change log (dropped, trimmed, reworded, or hidden from the documents) with a reason.

`not_shown` is what makes that hold for the fields tailor's documents have no place for (a
photo, a field of one's own), which the JSON output keeps, and for the text the reader found
no place for (a motto in the header): the rewrite logs each of them.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tailor.cv.layout import (
    Document,
    Segment,
    entry_lines,
    format_date,
    layout,
    plain,
    section_titles,
    segments,
)
from tailor.cv.lines import sentences
from tailor.cv.model import CV
from tailor.cv.patterns import LIST_MARK, bare_url
from tailor.grounding import normalise
from tailor.rewriter.model import Change

# keys whose value is a date: a piece is the date as tailor prints it ("2014-12-01": "Dec 2014")
_DATE_KEYS = {"startDate", "endDate", "date", "releaseDate"}
_LINK_KEYS = {"url", "image"}
_PROSE_KEYS = {"summary", "description", "reference"}  # compared sentence by sentence
_NOT_CONTENT = {"$schema", "meta"}  # the document's metadata, not the CV's text
# the changes that say a piece is gone on purpose, and why
LOGGED_KINDS = {"dropped", "trimmed", "reworded", "hidden"}


@dataclass(frozen=True)
class Piece:
    """One string of the user's: its place in the JSON Resume document, how it reads, and the
    names a change log may give the entry or section it goes with."""

    path: str  # "work[0].highlights[2]"
    section: str  # the section kind a change log names it by: "work", "summary", "basics"...
    value: str  # as the CV holds it
    text: str  # as tailor prints it
    owners: tuple[str, ...] = ()  # its entry's and section's names, as a change may quote them
    also: tuple[str, ...] = ()  # other forms that show it too (a profile's network by its link)
    entry_url: str | None = None  # its entry's own link, which a PDF sets behind the entry's name

    @property
    def key(self) -> str:
        """The field's name: "highlights", "url", "x-notes"."""
        return re.sub(r"\[\d+\]", "", self.path).rsplit(".", 1)[-1]


def pieces(cv: CV) -> list[Piece]:
    """Every piece of the CV's text, in document order."""
    titles = section_titles(cv)
    document = cv.to_json_resume()
    found = [
        Piece(f"unplaced[{index}]", "unplaced", line, line)
        for index, line in enumerate(cv.origin.unplaced if cv.origin else [])
    ]
    for key, value in document.items():
        if key in _NOT_CONTENT:
            continue
        if key == "additionalSections":
            found += _additional_pieces(value)
        elif key == "basics" and isinstance(value, dict):
            found += _basics_pieces(value, titles)
        elif isinstance(value, list):
            for index, entry in enumerate(value):
                owners = (*_entry_names(entry), titles.get(key, key))
                url = entry.get("url") if isinstance(entry, dict) else None
                found += [
                    dataclasses.replace(piece, entry_url=url) if isinstance(url, str) else piece
                    for piece in _walk(entry, f"{key}[{index}]", key, owners)
                ]
        else:
            found += _walk(value, key, key, (key,))
    return found


def normal(text: str) -> str:
    """Text as pieces are compared: the grounding check's form (one kind of dash and quote, no
    Markdown emphasis, single spaces, case-folded), in compatibility forms (a ligature is
    its letters), without soft hyphens."""
    return normalise(unicodedata.normalize("NFKC", text).replace("\u00ad", "")).strip()


def missing(found: list[Piece], shown: str) -> list[Piece]:
    """The pieces that `shown` (an output's text, with its links' addresses) does not show.

    A piece's links count by their label and their address, wherever each stands: Markdown
    writes "[label](address)", a PDF shows the label and keeps the address behind it (tailor's
    PDF and DOCX readers write it after the label, in brackets).
    """
    texts = (normal(shown), normal(_INLINE_ADDRESS.sub("", shown)))

    def shows(piece_text: str, entry_url: str | None) -> bool:
        parts = segments(piece_text)
        addresses = [normal(bare_url(part.url)) for part in parts if part.url]
        # the entry's own link, written as its address ("github.com/x") at the end of a line,
        # may stand behind the entry's name (as a PDF sets it) rather than there: its address
        # counts wherever it stands; all else in place
        written = [p for p in parts if p.text.strip()]
        last = written[-1] if written else None
        behind = _EMPTY_BRACKETS.sub(
            "",
            "".join(p.text for p in parts if not (p is last and _entrys_own_link(p, entry_url))),
        )
        words = {normal(plain(piece_text)), normal(plain(behind))}
        return all(_has_words(texts[0], a) for a in addresses) and any(
            _has_words(text, needle) for text in texts for needle in words
        )

    return [
        piece
        for piece in found
        if not shows(piece.text, piece.entry_url)
        and not any(shows(also, piece.entry_url) for also in piece.also)
    ]


# an address a reader wrote after a link's label, with the space before it, and the brackets a
# moved address leaves (the spaces either side are one once `normal` has the text)
_INLINE_ADDRESS = re.compile(r"[ \t]?\(https?://[^\s()]+\)")
_EMPTY_BRACKETS = re.compile(r"\(\s*\)")


def _entrys_own_link(part: Segment, entry_url: str | None) -> bool:
    """Whether a run is the entry's own link, labelled with its address ("github.com/x")."""
    return (
        part.url is not None
        and entry_url is not None
        and bare_url(part.url) == bare_url(part.text) == bare_url(entry_url)
    )


def unlogged(found: list[Piece], changes: list[Change]) -> list[Piece]:
    """The pieces no change of `changes` names as left out: by their own text (or a quote
    that holds it, as a dropped summary holds its sentences), or by the entry or section
    they went with."""
    named: dict[str, set[str]] = {}
    for change in changes:
        if change.kind in LOGGED_KINDS and change.quote:
            named.setdefault(normal(change.quote), set()).add(change.section)
    return [piece for piece in found if not _named(piece, named)]


def lost(source: CV, changes: list[Change], shown: str) -> list[Piece]:
    """The pieces of `source` that an output showing `shown` lost without a word."""
    return unlogged(missing(pieces(source), shown), changes)


def document_text(document: Document) -> str:
    """All a laid-out CV shows, with every link's address: what every format prints."""
    parts = [document.name, document.label or ""]
    parts += [f"{c.text} {c.url or ''}" for c in document.contacts]
    for section in document.sections:
        parts += [section.title, section.paragraph or ""]
        for entry in section.entries:
            parts += [entry.title, entry.organization or "", entry.dates or ""]
            # the lines as written, a link's address in place: the text the reader compares
            parts += [entry.location or "", *entry_lines(entry), *entry.bullets, entry.url or ""]
        for item in section.items:
            parts += [item.label or "", item.text]
    return "\n".join(readable(part) for part in parts if part)


def not_shown(cv: CV, section_order: list[str]) -> list[Change]:
    """A change for each piece of `cv` tailor's documents do not show (the JSON keeps it),
    and for each line of the source the reader found no place for."""
    shown = document_text(layout(cv, section_order))
    hidden = [
        Change(kind="hidden", section=piece.section, quote=piece.value, reason=_why_hidden(piece))
        for piece in missing(pieces(cv), shown)
        if piece.section != "unplaced"
    ]
    return hidden + [
        Change(kind="dropped", section="unplaced", quote=line, reason=UNPLACED_REASON)
        for line in (cv.origin.unplaced if cv.origin else [])
    ]


UNPLACED_REASON = (
    "tailor could not tell what this part of your CV is (it is not a contact detail, a "
    "section or an entry it reads), so the tailored CV leaves it out; `tailor read` lists "
    "such parts"
)


# -- walking the document ---------------------------------------------------------------------


def _walk(value: Any, path: str, section: str, owners: tuple[str, ...]) -> Iterator[Piece]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk_field(key, item, f"{path}.{key}", section, owners)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]", section, owners)
    elif isinstance(value, str) and value.strip():
        yield Piece(path, section, value, value.strip(), owners)


def _walk_field(
    key: str, value: Any, path: str, section: str, owners: tuple[str, ...]
) -> Iterator[Piece]:
    if not isinstance(value, str):
        yield from _walk(value, path, section, owners)
    elif not value.strip():
        return
    elif key in _DATE_KEYS:
        yield Piece(path, section, value, format_date(value) or value, owners)
    elif key in _LINK_KEYS:
        yield Piece(path, section, value, bare_url(value), owners)
    elif key in _PROSE_KEYS:
        for index, sentence in enumerate(sentences(value)):
            yield Piece(f"{path}#{index}", section, sentence, sentence, owners)
    else:
        yield Piece(path, section, value, value.strip(), owners)


def _basics_pieces(basics: dict[str, Any], titles: dict[str, str]) -> list[Piece]:
    found: list[Piece] = []
    for key, value in basics.items():
        if key == "summary" and isinstance(value, str):
            # the summary is a section of its own in every change log
            found += _walk_field(key, value, "basics.summary", "summary", (titles["summary"],))
        elif key == "profiles" and isinstance(value, list):
            for index, profile in enumerate(value):
                found += _profile_pieces(profile, f"basics.profiles[{index}]")
        else:
            found += _walk_field(key, value, f"basics.{key}", "basics", ())
    return found


def _profile_pieces(profile: Any, path: str) -> list[Piece]:
    """A profile's pieces; its network's name is shown by its link too ("github.com/...")."""
    found = list(_walk(profile, path, "basics", ()))
    if not isinstance(profile, dict):
        return found
    link = bare_url(str(profile.get("url") or ""))
    username = str(profile.get("username") or "")
    also = tuple(text for text in (link, username) if text)
    return [
        Piece(p.path, p.section, p.value, p.text, p.owners, also) if p.key == "network" else p
        for p in found
    ]


def _additional_pieces(sections: Any) -> list[Piece]:
    """A section tailor could not place: its title and each of its lines."""
    found: list[Piece] = []
    for index, extra in enumerate(sections if isinstance(sections, list) else []):
        if not isinstance(extra, dict):
            continue
        title = str(extra.get("title") or "")
        path = f"additionalSections[{index}]"
        if title.strip():
            found.append(Piece(f"{path}.title", "additional", title, title.strip(), (title,)))
        for number, line in enumerate(extra.get("lines") or []):
            text = LIST_MARK.sub("", str(line)).strip()
            if text:
                found.append(
                    Piece(f"{path}.lines[{number}]", "additional", str(line), text, (title,))
                )
    return found


def _entry_names(entry: Any) -> tuple[str, ...]:
    """What a change log calls an entry: its name, its position, its first line."""
    if not isinstance(entry, dict):
        return ()
    names = [entry.get(key) for key in ("name", "title", "organization", "position")]
    highlights = entry.get("highlights") or []
    names += [highlights[0] if highlights else None, entry.get("description")]
    return tuple(str(name) for name in names if isinstance(name, str) and name.strip())


def _named(piece: Piece, named: dict[str, set[str]]) -> bool:
    for text in (piece.value, piece.text, *piece.owners):
        sections = named.get(normal(text))
        if sections and piece.section in sections:
            return True
    own = normal(piece.text)
    return any(own in quote and piece.section in sections for quote, sections in named.items())


def _has_words(text: str, needle: str) -> bool:
    """Whether `needle` stands in `text` as words of its own: the skill "R" is not shown by
    "reporting", nor "Go" by "Google", nor "C" by "C++" (the boundaries skills are found by)."""
    return re.search(rf"(?<![\w+#]){re.escape(needle)}(?![\w+#])", text) is not None


def readable(text: str) -> str:
    """Text as a reader sees it (links by their labels), then the address of each link: the
    form in which every output format's text is compared."""
    return " ".join([plain(text), *_addresses(text)])


def _addresses(text: str) -> list[str]:
    return [segment.url for segment in segments(text) if segment.url]


def _why_hidden(piece: Piece) -> str:
    if piece.path == "basics.image":
        return (
            "a photo is not printed: applicant tracking systems drop it and many employers "
            "ask for none; the JSON output keeps it"
        )
    if piece.key == "type" and piece.section == "projects":
        return "a project's type is not printed (its description says what it is); the JSON output keeps it"
    if piece.key not in _SCHEMA_KEYS:
        return (
            f"'{piece.key}' is not a JSON Resume field, so tailor's documents have no place "
            "for it; the JSON output keeps it"
        )
    return "tailor's documents have no place for this field; the JSON output keeps it"


def _schema_keys() -> frozenset[str]:
    """Every field name the CV model defines, in its JSON Resume spelling."""
    from pydantic import BaseModel

    from tailor.cv import model

    keys: set[str] = set()
    for item in vars(model).values():
        if isinstance(item, type) and issubclass(item, BaseModel):
            keys |= {info.alias or name for name, info in item.model_fields.items()}
    return frozenset(keys)


_SCHEMA_KEYS = _schema_keys()
