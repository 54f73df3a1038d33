"""A job posting as tailor reads it, and how well a CV covers it."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from tailor.usage import Usage

RequirementKind = Literal["must", "nice"]
# applied: a line of experience shows it; listed: only a skills list names it; partial: some
# of its skills are shown and others are not; missing: nothing shows it; unchecked: nothing
# tailor can check offline (a soft skill, say): neither counted for nor against the CV
CoverageStatus = Literal["applied", "listed", "partial", "missing", "unchecked"]


# what opens a requirement without being part of it: "Required:", "You must have"
_ASKING = re.compile(
    r"^\s*(?:(?:required|requirements?|essential)\s*:|(?:you (?:must|will|should) have|must[- ]have)\s*:?)\s*",
    re.IGNORECASE,
)


class Requirement(BaseModel):
    """One requirement of a posting, as the posting writes it."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="the requirement as the posting writes it")
    kind: RequirementKind = Field(description="must-have, or nice-to-have")
    skills: list[str] = Field(
        default_factory=list, description="technologies, skills and domains it names, canonical"
    )
    years: int | None = Field(default=None, description="years of experience it asks for")
    degree: Literal["bachelor", "master", "phd"] | None = Field(
        default=None, description="the lowest degree it asks for"
    )
    line: int | None = Field(default=None, description="1-based line in the posting's text")

    def asked(self) -> str:
        """What it asks for, without the words that say it is asked ("Required: strong
        Python." -> "strong Python")."""
        return _ASKING.sub("", self.text).strip().rstrip(".;:")


class JobPosting(BaseModel):
    """A job posting: its title, its requirements and keywords, and its text."""

    model_config = ConfigDict(extra="forbid")

    source: str = Field(description="the file it came from, or <stdin>")
    title: str | None = None
    company: str | None = None
    text: str = Field(description="the posting as plain text, lines that address an AI removed")
    requirements: list[Requirement] = Field(default_factory=list)
    keywords: list[str] = Field(
        default_factory=list, description="every known skill the posting names, canonical"
    )
    ignored: list[str] = Field(
        default_factory=list,
        description="lines left out because they address an AI model, not a candidate",
    )
    extracted_by: str = Field(default="offline", description="offline, or the LLM provider")
    usage: Usage | None = Field(default=None, description="the LLM reading's cost; None offline")
    fallback: str | None = Field(
        default=None,
        description="why tailor's own reading stands in for the model's (None: it does not)",
    )

    @property
    def label(self) -> str:
        """ "Research Engineer at Halcyon Labs", or the file name when the title is unknown."""
        if self.title and self.company:
            return f"{self.title} at {self.company}"
        return self.title or self.source

    def must(self) -> list[Requirement]:
        return [r for r in self.requirements if r.kind == "must"]


class RequirementCoverage(BaseModel):
    """Whether and where a CV shows one requirement."""

    model_config = ConfigDict(extra="forbid")

    requirement: Requirement
    status: CoverageStatus
    quote: str | None = Field(description="the CV's own line that shows it, verbatim")
    section: str | None = None
    line: int | None = Field(default=None, description="1-based line of the quote in the CV")
    shown: list[str] = Field(default_factory=list, description="its skills a CV line applies")
    listed_only: list[str] = Field(
        default_factory=list, description="its skills only the CV's skills list names"
    )
    missing: list[str] = Field(default_factory=list, description="its skills the CV never names")
    note: str | None = Field(default=None, description="how a years or degree check was made")


class Coverage(BaseModel):
    """How well a CV covers a posting: each requirement, the keywords, and a score."""

    model_config = ConfigDict(extra="forbid")

    posting: str = Field(description="the posting's title, or its file")
    score: int = Field(
        ge=0,
        le=100,
        description="share of the checkable requirements the CV shows, must-haves counting "
        "double; a skill only listed counts half",
    )
    requirements: list[RequirementCoverage]
    keywords_shown: list[str] = Field(default_factory=list)
    keywords_listed_only: list[str] = Field(default_factory=list)
    keywords_missing: list[str] = Field(default_factory=list)
    ignored: list[str] = Field(
        default_factory=list, description="posting lines left out as instructions to an AI"
    )
