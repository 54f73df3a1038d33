"""Scripted model answers, built from the models tailor parses them with, so a test's answer
always has the shape tailor asks the model for: a critique, a rewrite, a posting's reading,
prep's talking points and a cover letter, each as the JSON text a fake provider sends back.

    fake.reply(Text(rewrite_answer(("w1.3", W13, "release speed"), ("w1.1", W11))))
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from tailor.cover_letter.llm import LLMLetter, LLMParagraph, LLMSentence
from tailor.critic.llm import LLMCritique, LLMFinding, LLMStrength
from tailor.interview.llm import LLMAnswer, LLMPrep, LLMTalkingPoint
from tailor.posting.llm import LLMPosting
from tailor.posting.model import JobPosting
from tailor.rewriter.llm import BulletEdit, EntryEdit, LLMRewrite

# one bullet as the model writes it: the CV bullet's id and its new text, and why (or the
# answer's `why` for all of them)
Edit = tuple[str, str] | tuple[str, str, str]
# one talking point, or one sentence of a letter: its text and the ids of the bullets it cites
Point = tuple[str, Sequence[str]]


def finding(
    quote: str, *, rule: str, message: str, suggestion: str, severity: str = "medium"
) -> LLMFinding:
    """One finding of a critique answer."""
    return LLMFinding.model_validate(
        {"rule": rule, "severity": severity, "quote": quote, "message": message,
         "suggestion": suggestion}
    )  # fmt: skip


def strength(quote: str, note: str) -> LLMStrength:
    """One strength of a critique answer: the CV's line and what it shows."""
    return LLMStrength(quote=quote, note=note)


def critique_answer(
    *findings: LLMFinding, score: int, summary: str, strengths: Iterable[LLMStrength] = ()
) -> str:
    """A model's critique."""
    return LLMCritique(
        score=score, summary=summary, findings=list(findings), strengths=list(strengths)
    ).model_dump_json()


def entry(entry_id: str, *edits: Edit, why: str = "") -> EntryEdit:
    """A role's or project's bullets in the order the model gives them."""
    bullets = [
        BulletEdit(id=edit[0], text=edit[1], why=edit[2] if len(edit) == 3 else why)
        for edit in edits
    ]
    return EntryEdit(id=entry_id, bullets=bullets)


def rewrite_answer(
    *edits: Edit,
    why: str = "",
    entry_id: str = "w1",
    summary: str = "",
    questions: Iterable[str] = (),
    entries: Iterable[EntryEdit] = (),
) -> str:
    """A model's rewrite: `edits` are the bullets of entry `entry_id` (the first role) and
    `entries` the other entries it edits."""
    first = [entry(entry_id, *edits, why=why)] if edits else []
    return LLMRewrite(
        summary=summary, entries=[*first, *entries], questions=list(questions)
    ).model_dump_json()


def reading_answer(posting: JobPosting | None = None, **override: Any) -> str:
    """A model's reading of a posting: `posting` as tailor's offline reading has it (or an
    empty one), with the fields in `override` in its place."""
    reading: dict[str, Any] = {"title": "", "company": "", "requirements": [], "keywords": []}
    if posting is not None:
        reading = {
            "title": posting.title or "",
            "company": posting.company or "",
            "requirements": [
                {"text": r.text, "kind": r.kind, "skills": r.skills} for r in posting.requirements
            ],
            "keywords": posting.keywords,
        }
    return LLMPosting.model_validate({**reading, **override}).model_dump_json()


def prep_answer(points: Mapping[str, Iterable[Point]]) -> str:
    """A model's talking points, by question id."""
    answers = [
        LLMAnswer(
            question_id=question,
            talking_points=[
                LLMTalkingPoint(text=text, bullet_ids=list(ids)) for text, ids in found
            ],
        )
        for question, found in points.items()
    ]
    return LLMPrep(answers=answers).model_dump_json()


def paragraph(kind: str, *sentences: Point, answers: Sequence[str] = ()) -> LLMParagraph:
    """One paragraph of a letter: its kind, its sentences with their citations, the ids of
    the requirements it answers."""
    return LLMParagraph(
        kind=kind,
        requirement_ids=list(answers),
        sentences=[LLMSentence(text=text, bullet_ids=list(ids)) for text, ids in sentences],
    )


def letter_answer(*paragraphs: LLMParagraph) -> str:
    """A model's cover letter."""
    return LLMLetter(paragraphs=list(paragraphs)).model_dump_json()
