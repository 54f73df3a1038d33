"""The CV model: JSON Resume's shape (https://jsonresume.org/schema), with provenance per bullet.

A JSON Resume document validates as a `CV` with no mapping code: field names are the schema's
(camelCase on the wire, snake_case in Python), every field is optional as in the schema, and
fields tailor does not use are kept rather than rejected (`extra="allow"`), so nothing a user
wrote is lost on the way through.

Each bullet (`highlights` of work, volunteer and projects) is a `Bullet`: its text plus where it
came from (the section title and the 1-based line in the source file), so a finding can point
at the exact line. A bullet serialises as a plain string, so `model_dump(by_alias=True)` is
valid JSON Resume; pass `context={"provenance": True}` to keep the sources.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)
from pydantic.alias_generators import to_camel


class _Model(BaseModel):
    # Python code builds models by field name; documents are validated by alias only
    # (`CV.from_document`), so an unknown key such as `start_date` stays an extra field.
    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        extra="allow",
        coerce_numbers_to_str=True,
    )


class Source(BaseModel):
    """Where a line of the CV came from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    section: str
    line: int | None = None


class Bullet(BaseModel):
    """One bullet of the CV: the user's own words and where they stand in the source."""

    model_config = ConfigDict(extra="forbid")

    text: str
    source: Source | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        return {"text": value} if isinstance(value, str) else value

    @model_serializer(mode="wrap")
    def _to_string(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> Any:
        if info.context and info.context.get("provenance"):
            return handler(self)
        return self.text

    def __str__(self) -> str:
        return self.text


class Location(_Model):
    address: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country_code: str | None = None
    region: str | None = None


class Profile(_Model):
    network: str | None = None
    username: str | None = None
    url: str | None = None


class Basics(_Model):
    name: str | None = None
    label: str | None = None
    image: str | None = None
    email: str | None = None
    phone: str | None = None
    url: str | None = None
    summary: str | None = None
    location: Location | None = None
    profiles: list[Profile] = Field(default_factory=list)


class Work(_Model):
    name: str | None = None
    location: str | None = None
    description: str | None = None
    position: str | None = None
    url: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    summary: str | None = None
    highlights: list[Bullet] = Field(default_factory=list)


class Volunteer(_Model):
    organization: str | None = None
    position: str | None = None
    location: str | None = None  # not in JSON Resume; CVs print one, as for work
    url: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    summary: str | None = None
    highlights: list[Bullet] = Field(default_factory=list)


class Education(_Model):
    institution: str | None = None
    url: str | None = None
    area: str | None = None
    study_type: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    score: str | None = None
    courses: list[str] = Field(default_factory=list)
    # not in JSON Resume: the place, and the lines a CV prints under a degree beyond its
    # courses ("College of Engineering", "Magna Cum Laude", a thesis, a stipend)
    location: str | None = None
    summary: str | None = None
    highlights: list[str] = Field(default_factory=list)


class Award(_Model):
    title: str | None = None
    date: str | None = None
    awarder: str | None = None
    summary: str | None = None


class Certificate(_Model):
    name: str | None = None
    date: str | None = None
    url: str | None = None
    issuer: str | None = None


class Publication(_Model):
    name: str | None = None
    authors: list[str] = Field(default_factory=list)  # not in JSON Resume; rendercv has them
    publisher: str | None = None
    release_date: str | None = None
    url: str | None = None
    summary: str | None = None


class Skill(_Model):
    name: str | None = None
    level: str | None = None
    keywords: list[str] = Field(default_factory=list)


class Language(_Model):
    language: str | None = None
    fluency: str | None = None


class Interest(_Model):
    name: str | None = None
    keywords: list[str] = Field(default_factory=list)


class Reference(_Model):
    name: str | None = None
    reference: str | None = None


class Project(_Model):
    name: str | None = None
    description: str | None = None
    highlights: list[Bullet] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    start_date: str | None = None
    end_date: str | None = None
    url: str | None = None
    roles: list[str] = Field(default_factory=list)
    entity: str | None = None
    type: str | None = None


class Origin(BaseModel):
    """What tailor knows about the file a CV was read from (not part of JSON Resume)."""

    model_config = ConfigDict(extra="forbid")

    format: str
    path: str | None = None
    pages: int | None = None  # known for PDF input only
    sections: list[str] = Field(default_factory=list)  # section titles as written in the source
    # the section each title was read as, where its words alone do not say it ("Research"
    # listing roles in a lab is experience, not publications); see `readers.sections.kind_in`
    kinds: dict[str, str | None] = Field(default_factory=dict)
    text: str | None = Field(default=None, repr=False)  # the text the CV was parsed from
    # False when `text` was extracted (PDF, DOCX): its line numbers are not the user's, so
    # nothing is located by line
    text_is_file: bool = True
    # the text the reader found no place for (a motto in the header, a second email): shown
    # by `tailor read`, and named in a rewrite's change log, never lost without a word
    unplaced: list[str] = Field(default_factory=list)
    # signs that the CV was read wrong (`tailor.cv.checks`), one sentence each
    warnings: list[str] = Field(default_factory=list)
    _line_starts: list[int] | None = PrivateAttr(default=None)

    def line_of(self, quote: str, *, after_line: int = 0) -> int | None:
        """The 1-based line where `quote` first appears after line `after_line`, else anywhere."""
        if not self.text or not quote or not self.text_is_file:
            return None
        starts = self._starts()
        begin = starts[after_line] if after_line < len(starts) else len(self.text)
        index = self.text.find(quote, begin)
        if index < 0 and begin:
            index = self.text.find(quote)
        return None if index < 0 else bisect.bisect_right(starts, index)

    def line_of_pattern(self, pattern: re.Pattern[str], *, after_line: int = 0) -> int | None:
        """The 1-based line where `pattern` first matches after line `after_line`, else anywhere."""
        if not self.text or not self.text_is_file:
            return None
        starts = self._starts()
        begin = starts[after_line] if after_line < len(starts) else len(self.text)
        match = pattern.search(self.text, begin) or (pattern.search(self.text) if begin else None)
        return bisect.bisect_right(starts, match.start()) if match else None

    def _starts(self) -> list[int]:
        """The offset where each line starts (computed once: CVs are searched many times)."""
        if self._line_starts is None:
            text = self.text or ""
            self._line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
        return self._line_starts


class CV(_Model):
    """A CV in JSON Resume shape."""

    basics: Basics = Field(default_factory=Basics)
    work: list[Work] = Field(default_factory=list)
    volunteer: list[Volunteer] = Field(default_factory=list)
    education: list[Education] = Field(default_factory=list)
    awards: list[Award] = Field(default_factory=list)
    certificates: list[Certificate] = Field(default_factory=list)
    publications: list[Publication] = Field(default_factory=list)
    skills: list[Skill] = Field(default_factory=list)
    languages: list[Language] = Field(default_factory=list)
    interests: list[Interest] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    projects: list[Project] = Field(default_factory=list)
    meta: dict[str, Any] | None = None
    # where the CV came from; private so that a document's own `origin` key stays its own
    _origin: Origin | None = PrivateAttr(default=None)

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> CV:
        """Validate a JSON Resume document: keys by their JSON Resume names only."""
        return cls.model_validate(document, by_alias=True, by_name=False)

    @property
    def origin(self) -> Origin | None:
        """The file this CV was read from, when it was read from one."""
        return self._origin

    def set_origin(self, origin: Origin) -> None:
        """Record the file this CV was read from."""
        self._origin = origin

    def bullets(self) -> Iterator[Bullet]:
        """Every bullet of work, projects and volunteer entries, in document order."""
        entries: list[Work | Project | Volunteer] = [*self.work, *self.projects, *self.volunteer]
        for entry in entries:
            yield from entry.highlights

    def to_json_resume(self) -> dict[str, Any]:
        """The CV as a JSON Resume document (plain strings, camelCase keys, no empty fields)."""
        return self.model_dump(by_alias=True, exclude_none=True, exclude_defaults=True)


def json_strings(value: Any) -> Iterator[str]:
    """Every string in a JSON-like value (a CV's `model_dump`, a JSON Resume document)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item)
