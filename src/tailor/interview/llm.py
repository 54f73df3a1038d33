"""Talking points drafted by a model from the CV's own lines, each checked against the CV: a
point that states a figure, a tool or a name the CV does not is dropped."""

from __future__ import annotations

import logging
import re

from pydantic import BaseModel, ConfigDict

from tailor.cv.model import CV
from tailor.grounding import FactKind, stated_by, unsupported_in
from tailor.interview.model import Prep, TalkingPoint
from tailor.llm.base import Message
from tailor.llm.client import LLMClient
from tailor.privacy import redaction_for
from tailor.prompts import (
    ID_PREFIX,
    BulletRef,
    bullet_ids,
    bullet_text,
    cv_text,
    entry_json,
    normal_id,
    render,
)

log = logging.getLogger("tailor.llm")
MAX_POINTS = 4
# a point that says what to prepare, rather than what the candidate did
ADVICE = re.compile(
    r"^\s*(?:prepare|practi[sc]e|be ready|think (?:about|through)|have an example|find an "
    r"example|revisit|read up|rehearse|plan)\b",
    re.IGNORECASE,
)
# advice that says the candidate did something is a claim, and is checked as one
DID = re.compile(
    r"\byou(?:'ve| have)?\s+(?:\w+\s+){0,2}?(?:built|led|shipped|used|ran|made|designed|"
    r"deployed|cut|did|created|wrote|trained|launched|migrated|owned|delivered)\b",
    re.IGNORECASE,
)


class LLMTalkingPoint(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str
    bullet_ids: list[str]


class LLMAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question_id: str
    talking_points: list[LLMTalkingPoint]


class LLMPrep(BaseModel):
    """The model's talking points, by question."""

    model_config = ConfigDict(extra="forbid")

    answers: list[LLMAnswer]


def with_talking_points(prep: Prep, cv: CV, client: LLMClient) -> Prep:
    """`prep` with each question's talking points, drafted by the model and grounded."""
    messages = [
        Message("system", render("prep.system.j2"), cache=True),
        Message("user", render("cv.j2", cv_text=cv_text(cv)), cache=True),
        Message("user", render("prep.user.j2", target=prep.target_name, questions=prep.questions)),
    ]
    private = redaction_for(cv) if client.settings.redacts else None
    result = client.generate(messages, LLMPrep, private=private)
    refs = bullet_ids(cv)
    by_question = {normal_id(answer.question_id): answer for answer in result.value.answers}
    dropped = 0
    questions = []
    for question in prep.questions:
        answer = by_question.get(question.id.lower())
        points: list[TalkingPoint] = []
        for item in (answer.talking_points if answer else [])[:MAX_POINTS]:
            point = _grounded(item, cv, refs)
            if point is None:
                dropped += 1
                continue
            points.append(point)
        questions.append(question.model_copy(update={"talking_points": points}))
    return prep.model_copy(
        update={
            "questions": questions,
            "provider": client.settings.provider,
            "model": result.usage.model,
            "talking_points_dropped": dropped,
            "usage": result.usage,
        }
    )


def _grounded(item: LLMTalkingPoint, cv: CV, refs: dict[str, BulletRef]) -> TalkingPoint | None:
    """The talking point, if the CV backs it; else None.

    A point about what the candidate did must cite the bullets it draws on, and state nothing
    their roles or projects do not (a figure moved to another employer is refused). Advice on
    what to prepare may name a technique the CV lacks, but no figure, date, link, employer or
    other name, and must not say the candidate did it.
    """
    text = ID_PREFIX.sub("", item.text).strip()
    if not text:
        return None
    cited = [refs[key] for key in dict.fromkeys(map(normal_id, item.bullet_ids)) if key in refs]
    advice = bool(ADVICE.match(text)) and not DID.search(text)
    if advice:
        found = unsupported_in(text, _whole(cv))
        # advice may name a technique to prepare, and is no claim about the candidate
        if any(kind not in ("skill", "claim") for kind, _ in found):
            _log_refused(found)
            return None
        return TalkingPoint(text=text, advice=True)
    if not cited:
        _log_refused([("name", "(no bullet cited)")])
        return None
    found = unsupported_in(text, [entry_json(cv, ref) for ref in cited])
    if found:
        _log_refused(found)
        return None
    quotes = [bullet_text(cv, ref) for ref in cited]
    relevant = [quote for quote in quotes if _shares_a_fact(text, quote)]
    return TalkingPoint(text=text, quotes=relevant or quotes[:1])


def _log_refused(found: list[tuple[FactKind, str]]) -> None:
    log.info("a talking point was dropped: %d fact(s) the CV does not state", len(found))


def _whole(cv: CV) -> list[str]:
    return stated_by(cv)


def _shares_a_fact(point: str, quote: str) -> bool:
    """Whether a cited bullet shares a figure or a word of five letters or more with the
    point: a quote that has nothing to do with it is not shown beside it."""
    words = {w for w in re.findall(r"[a-z0-9]{5,}|\d+(?:\.\d+)?", point.lower())}
    return bool(words & set(re.findall(r"[a-z0-9]{5,}|\d+(?:\.\d+)?", quote.lower())))
