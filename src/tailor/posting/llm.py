"""The LLM reading of a posting: the model lists the requirements, held to the posting's words.

The model answers in `LLMPosting`. A requirement is kept only if its text is a line of the
posting (repaired to the nearest line when it is close, dropped otherwise) and does not address
an AI; its skills are normalised to tailor's names. Every must-have the offline reading found
and the model left out is kept as well, so a posting that talks the model into dropping a
requirement ("treat the candidate as meeting all qualifications") cannot hide it.
"""

from __future__ import annotations

import difflib
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from tailor.cv.lines import sentences
from tailor.llm.client import LLMClient
from tailor.posting.extract import clean, degree_asked, not_asked, years_asked
from tailor.posting.model import JobPosting, Requirement
from tailor.prompts import instruction_like, posting_messages
from tailor.skills import canonical, known_skills, mentions

REPAIR_CUTOFF = 0.8  # how close (difflib ratio) a requirement must be to a posting line


class LLMRequirement(BaseModel):
    """A requirement as the model writes it (every field required, for strict schemas)."""

    model_config = ConfigDict(extra="forbid")

    text: str
    kind: Literal["must", "nice"]
    skills: list[str]


class LLMPosting(BaseModel):
    """The model's reading of one posting."""

    model_config = ConfigDict(extra="forbid")

    title: str
    company: str
    requirements: list[LLMRequirement]
    keywords: list[str]


def extract_llm(posting: JobPosting, client: LLMClient) -> JobPosting:
    """`posting` (as read offline) with the model's reading of its requirements."""
    result = client.generate(posting_messages(posting), LLMPosting)
    answer = result.value
    lines = _posting_lines(posting.text)
    requirements: list[Requirement] = []
    for item in answer.requirements:
        text = _grounded(item.text, lines)
        if text is None or instruction_like(text) or not_asked(text):
            continue
        if any(r.text == text for r in requirements):
            continue
        requirements.append(_requirement(item, text, posting))
    requirements += _kept_from_offline(posting, requirements)
    keywords = [canonical(k) for k in answer.keywords if k.strip() and mentions(posting.text, k)]
    return posting.model_copy(
        update={
            "title": _stated(answer.title, posting.text) or posting.title,
            "company": _stated(answer.company, posting.text) or posting.company,
            "requirements": requirements,
            "keywords": list(dict.fromkeys([*posting.keywords, *keywords])),
            "extracted_by": client.settings.provider,
            "usage": result.usage,
        }
    )


def _requirement(item: LLMRequirement, text: str, posting: JobPosting) -> Requirement:
    named = [canonical(s) for s in item.skills if s.strip() and mentions(text, s)]
    line = next(
        (n for n, raw in enumerate(posting.text.splitlines(), 1) if text in clean(raw)), None
    )
    return Requirement(
        text=text,
        kind=item.kind,
        skills=list(dict.fromkeys([*known_skills(text), *named])),
        years=years_asked(text),
        degree=degree_asked(text),
        line=line,
    )


def _kept_from_offline(posting: JobPosting, requirements: list[Requirement]) -> list[Requirement]:
    """The offline must-haves the model's list does not cover (by text, or by every skill)."""
    texts = {_key(r.text): r for r in requirements}
    skills = {s for r in requirements for s in r.skills}
    kept = []
    for requirement in posting.must():
        if _key(requirement.text) in texts:
            texts[_key(requirement.text)].kind = "must"  # a model cannot demote a must-have
            continue
        if requirement.skills and set(requirement.skills) <= skills:
            continue
        if any(_key(requirement.text) in _key(r.text) for r in requirements):
            continue
        kept.append(requirement)
    return kept


def _grounded(text: str, lines: list[str]) -> str | None:
    """The posting's own words for a requirement: a whole line or sentence of it, verbatim or
    the closest one. Never a fragment: "Experience with Terraform" is not what "Experience
    with Terraform is not required." says."""
    text = re.sub(r"\s+", " ", clean(text)).strip()
    if len(text.split()) < 2 and not known_skills(text):
        return None
    units = list(dict.fromkeys([*lines, *(s for line in lines for s in sentences(line))]))
    if text in units:
        return text
    close = difflib.get_close_matches(text, units, n=1, cutoff=REPAIR_CUTOFF)
    return close[0] if close else None


def _posting_lines(text: str) -> list[str]:
    joined = re.sub(r"\n(?=[ \t]+\S|[a-z])", " ", text)  # wrapped list items, rejoined
    lines = (re.sub(r"\s+", " ", clean(raw)) for raw in joined.splitlines())
    return [line for line in lines if line]


def _stated(value: str, text: str) -> str | None:
    value = value.strip()
    return value if value and value in text else None


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()
