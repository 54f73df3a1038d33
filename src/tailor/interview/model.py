"""What `tailor prep` returns."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from tailor.market import MarketBand
from tailor.usage import Usage

Readiness = Literal["ready", "partial", "gap"]


class Evidence(BaseModel):
    """A line of the CV, verbatim, with where it stands."""

    quote: str
    line: int | None = None
    section: str | None = None


class PointCheck(BaseModel):
    """One thing a strong answer covers, and the CV line that shows it (None: not shown)."""

    point: str
    shown: bool
    evidence: Evidence | None = None


class TalkingPoint(BaseModel):
    """A talking point drafted by the model from the CV's own lines (quoted)."""

    text: str
    quotes: list[str] = Field(default_factory=list)
    advice: bool = Field(
        default=False, description="what to prepare, where the CV shows nothing to draw on"
    )


class QuestionPrep(BaseModel):
    """One likely question and how ready the CV makes the candidate for it."""

    id: str
    question: str
    source: str = Field(description="who asks it: the role guide, a target, the job posting")
    readiness: Readiness
    points: list[PointCheck]
    evidence: list[Evidence] = Field(description="the CV lines to draw the answer from")
    talking_points: list[TalkingPoint] = Field(default_factory=list)

    def shown(self) -> int:
        return sum(1 for point in self.points if point.shown)


class Prep(BaseModel):
    """Interview readiness for one CV and one target (or none)."""

    target: str | None
    target_name: str | None
    provider: str = "offline"
    model: str | None = None
    questions: list[QuestionPrep]
    market: MarketBand | None = None
    talking_points_dropped: int = Field(
        default=0, description="model talking points refused by the grounding check"
    )
    usage: Usage | None = None
    fallback: str | None = Field(
        default=None,
        description="why the prep has no talking points: the model failed (None: it did not)",
    )
