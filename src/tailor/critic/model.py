"""The critique's result: a score and findings, each pinned to the line it is about."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from tailor.market import MarketBand
from tailor.posting.model import Coverage
from tailor.rules import Severity
from tailor.usage import Usage


class Finding(BaseModel):
    """One problem with the CV and what to do about it."""

    model_config = ConfigDict(extra="forbid")

    rule: str = Field(description="stable kebab-case rule id, e.g. missing-metrics")
    severity: Severity
    quote: str | None = Field(
        description="the exact text of the CV this is about; null for the whole CV"
    )
    section: str | None = Field(default=None, description="the section the quote stands in")
    line: int | None = Field(
        default=None, description="1-based line of the quote in the source file"
    )
    message: str
    suggestion: str
    points: int | None = Field(
        default=None,
        description="the points the rubric's score would gain were this fixed (for a per-line "
        "rule, this line's share); None for a model's finding",
    )
    items: list[str] = Field(
        default_factory=list,
        description="for a finding about a list, the items it is about (the skills listed but "
        "never shown applied); empty otherwise",
    )


class Critique(BaseModel):
    """A CV's critique for one target."""

    model_config = ConfigDict(extra="forbid")

    target: str = Field(description="the company profile id")
    target_name: str
    provider: str = Field(description="what produced it: 'offline' is tailor's own rubric")
    model: str | None = None
    score: int = Field(
        ge=0,
        le=100,
        description="tailor's rubric score (with a posting, scaled by its coverage), the same "
        "whichever engine critiqued",
    )
    model_score: int | None = Field(
        default=None,
        ge=0,
        le=100,
        description="the LLM's own score, shown beside the rubric's; None offline",
    )
    summary: str
    summary_replaced: str | None = Field(
        default=None,
        description="why the LLM's summary was replaced by the rubric's: what it stated that "
        "the CV and posting do not; None when it was kept, or offline",
    )
    findings: list[Finding] = Field(default_factory=list)
    strengths: list[str] = Field(default_factory=list)
    usage: Usage | None = Field(default=None, description="the LLM call's cost; None offline")
    fallback: str | None = Field(
        default=None,
        description="why tailor's offline critique stands in for the model's (None: it does not)",
    )
    quotes_repaired: int = Field(
        default=0, description="LLM quotes not found verbatim, replaced by the nearest CV line"
    )
    quotes_dropped: int = Field(
        default=0, description="LLM findings dropped because their quote is not in the CV"
    )
    strengths_dropped: int = Field(
        default=0,
        description="LLM strengths dropped: their quote is not in the CV, or their note states "
        "what the CV and posting do not",
    )
    posting: str | None = Field(default=None, description="the job posting it was made for")
    coverage: Coverage | None = Field(
        default=None, description="how the CV covers the posting's requirements"
    )
    market: MarketBand | None = Field(
        default=None,
        description="the role guide's salary band for the CV's country (None: not placed)",
    )
