"""Talking points drafted by a model from the CV's own lines, each checked against the CV: a
point that states a figure, a tool or a name the CV does not is dropped."""

from __future__ import annotations

import logging
import re

from pydantic import BaseModel, ConfigDict

from tailor.cv.model import CV
from tailor.grounding import unsupported_in
from tailor.interview.model import Prep, TalkingPoint
from tailor.llm.base import Message
from tailor.llm.client import LLMClient
from tailor.privacy import redaction_for
from tailor.prompts import ID_PREFIX, bullet_ids, cv_text, render

log = logging.getLogger("tailor.llm")
MAX_POINTS = 4
# a point that says what to prepare, rather than what the candidate did
ADVICE = re.compile(
    r"^\s*(?:prepare|practi[sc]e|be ready|think (?:about|through)|have an example|find an "
    r"example|revisit|read up|rehearse|plan)\b",
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
    sources = _sources(cv)
    bullets = {
        key: getattr(cv, ref.kind)[ref.entry].highlights[ref.bullet].text
        for key, ref in bullet_ids(cv).items()
    }
    by_question = {answer.question_id.strip(): answer for answer in result.value.answers}
    dropped = 0
    questions = []
    for question in prep.questions:
        answer = by_question.get(question.id)
        points: list[TalkingPoint] = []
        for item in (answer.talking_points if answer else [])[:MAX_POINTS]:
            text = ID_PREFIX.sub("", item.text).strip()
            advice = bool(ADVICE.match(text))
            unsupported = [
                (kind, value)
                for kind, value in unsupported_in(text, sources)
                # advice may name what to prepare; it may not state a figure or a link
                if not advice or kind in ("number", "date", "link", "contact")
            ]
            if not text or unsupported:
                dropped += 1
                log.info("a talking point was dropped: it states %d fact(s) the CV does not",
                         len(unsupported))  # fmt: skip
                continue
            quotes = [bullets[key] for key in map(_normal_id, item.bullet_ids) if key in bullets]
            quotes = [] if advice else list(dict.fromkeys(quotes))
            points.append(TalkingPoint(text=text, quotes=quotes, advice=advice))
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


def _sources(cv: CV) -> list[str]:
    """Every text of the CV a talking point may draw its facts from."""
    texts = [cv.origin.text] if cv.origin is not None and cv.origin.text else []
    return [*texts, cv.model_dump_json()]


def _normal_id(text: str) -> str:
    return text.strip().strip("[]").strip().lower()
