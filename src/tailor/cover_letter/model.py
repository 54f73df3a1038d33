"""What `tailor letter` returns."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

from tailor.usage import Usage

ParagraphKind = Literal["opening", "evidence", "gaps", "closing"]
MAX_WORDS = 400  # one page


class CvLine(BaseModel):
    """A line of the CV a paragraph rests on, as the user wrote it."""

    quote: str
    id: str | None = Field(default=None, description="its bullet id ([w1.2]), if a bullet")
    line: int | None = Field(default=None, description="1-based line in the CV file")
    section: str | None = None


class LeftOut(BaseModel):
    """A sentence the letter does not say, and why."""

    sentence: str
    reason: str


class Paragraph(BaseModel):
    """One paragraph: its text, the CV lines it rests on, the posting's requirements it
    answers, and the sentences left out of it."""

    kind: ParagraphKind
    text: str
    sources: list[CvLine] = Field(default_factory=list)
    answers: list[str] = Field(
        default_factory=list, description="the posting's requirements it answers, as written"
    )
    left_out: list[LeftOut] = Field(default_factory=list)


class Contact(BaseModel):
    """A contact detail of the letter's header, linked when `url` is set."""

    text: str
    url: str | None = None


class Header(BaseModel):
    """The letter's header: the CV's own (name, label, contacts), so the two match."""

    name: str = ""
    label: str | None = None
    contacts: list[Contact] = Field(default_factory=list)


class Letter(BaseModel):
    """A cover letter for one CV and one job posting."""

    posting: str = Field(description="the posting's title at its company, or its file")
    cv: str | None = Field(default=None, description="the CV file it was written from")
    role: str | None = None
    company: str | None = None
    target: str | None = None
    target_name: str | None = None
    draft: bool = Field(
        description="tailor's offline draft of the user's own lines, to be edited before sending"
    )
    provider: str = "offline"
    model: str | None = None
    header: Header = Field(default_factory=Header)
    greeting: str
    paragraphs: list[Paragraph]
    closing: str
    signature: str | None = Field(default=None, description="the CV's name")
    not_shown: list[str] = Field(
        default_factory=list, description="the posting's must-haves the CV does not show"
    )
    usage: Usage | None = None
    fallback: str | None = Field(
        default=None,
        description="why the letter is tailor's offline draft: the model failed (None: it did not)",
    )

    def body(self) -> list[str]:
        """The paragraphs that say something, in order."""
        return [paragraph.text for paragraph in self.paragraphs if paragraph.text.strip()]

    def words(self) -> int:
        """The letter's length in words, greeting and closing included."""
        return count_words(" ".join([self.greeting, *self.body(), self.closing]))

    def left_out(self) -> list[LeftOut]:
        return [item for paragraph in self.paragraphs for item in paragraph.left_out]


def count_words(text: str) -> int:
    return len(re.findall(r"\S+", text))
