"""The rewrite's result: the tailored CV, what was changed and why, and the fact check."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_serializer

from tailor.cv.model import CV
from tailor.grounding import Violation
from tailor.posting.model import Coverage
from tailor.usage import Usage

# "hidden": a field the document formats have no place for (a photo, a field of one's own);
# the JSON output keeps it
# "restored": a line the model left out that tailor put back (the page has room for it)
ChangeKind = Literal[
    "moved", "reordered", "trimmed", "dropped", "reworded", "reverted", "hidden", "restored"
]


class Change(BaseModel):
    """One edit of the rewrite: what was done, to which line of the source, and why."""

    model_config = ConfigDict(extra="forbid")

    kind: ChangeKind
    section: str = Field(description="the section kind it concerns: work, projects, skills, ...")
    quote: str | None = Field(description="the user's own text it concerns, as written")
    line: int | None = Field(default=None, description="1-based line in the source file")
    reason: str = Field(description="why, in terms of the target")


class TailoredCV(BaseModel):
    """A CV rewritten for one target, with its change log and grounding result."""

    model_config = ConfigDict(extra="forbid")

    target: str = Field(description="the company profile id")
    target_name: str
    provider: str = Field(description="what produced it: 'offline' is tailor's extractive engine")
    model: str | None = None
    cv: CV
    section_order: list[str] = Field(description="section kinds in the order to render them")
    changes: list[Change] = Field(default_factory=list)
    unsupported: list[Violation] = Field(
        default_factory=list,
        description="facts of the tailored CV its source does not support (the grounding check)",
    )
    pages: float = Field(description="estimated pages of the tailored CV as tailor renders it")
    max_pages: float = Field(description="the length it was kept within")
    questions: list[str] = Field(
        default_factory=list,
        description="what to ask you to make the CV stronger (LLM rewrite); never written in",
    )
    questions_dropped: int = Field(
        default=0,
        description="the model's questions not shown: they named what the CV and posting do not",
    )
    usage: Usage | None = Field(default=None, description="the LLM calls' cost; None offline")
    fallback: str | None = Field(
        default=None,
        description="why tailor's offline rewrite stands in for the model's (None: it does not)",
    )
    posting: str | None = Field(default=None, description="the job posting it was made for")
    coverage: Coverage | None = Field(
        default=None, description="how the tailored CV covers the posting's requirements"
    )

    @field_serializer("cv", when_used="json")
    def _cv_as_json_resume(self, cv: CV) -> dict[str, Any]:
        """In JSON, the CV in JSON Resume's own shape (camelCase keys), as `-o cv.json` writes
        it; reading it back validates by those names."""
        return cv.to_json_resume()
