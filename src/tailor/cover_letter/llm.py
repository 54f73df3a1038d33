"""The LLM letter: the model writes the prose, and every sentence is held to what it cites.

One call. The model answers in paragraphs of sentences, each sentence with the ids of the CV
bullets it rests on (`LLMLetter`); `cover_letter.check.judge` holds each sentence to the rules
of a letter (its citations, the posting, no clichés). The sentences that fail are sent back
once, each with its reason; of the two answers, the one that keeps more cited sentences stands,
and what fails in it is left out and named in its paragraph's `left_out` with the reason (so
is a failing sentence of the first answer that the second one dropped).

The greeting, the sign-off and the signature are tailor's, and so are the opening and closing
paragraphs where none of the model's stands. A letter with no sentence left that cites the CV
is no letter: the model has failed at the task, and the offline draft stands in.
"""

from __future__ import annotations

import logging

from pydantic import BaseModel, ConfigDict

from tailor.cover_letter.check import Judged, judge
from tailor.cover_letter.model import CvLine, LeftOut, Letter, ParagraphKind
from tailor.cover_letter.shape import Block, Part, letter_of, shows_it
from tailor.cv.layout import plain
from tailor.cv.model import CV
from tailor.errors import ProviderError
from tailor.llm.base import Message, Redaction
from tailor.llm.client import LLMClient
from tailor.posting.coverage import coverage
from tailor.posting.model import Coverage, JobPosting
from tailor.privacy import redaction_for
from tailor.prompts import (
    BulletRef,
    bullet_ids,
    bullet_text,
    cv_text,
    normal_id,
    posting_block,
    render,
    without_instruction_bullets,
)
from tailor.targets import CompanyProfile
from tailor.usage import Usage, add_usage

log = logging.getLogger("tailor.llm")
_KINDS: dict[str, ParagraphKind] = {"opening": "opening", "closing": "closing"}


class LLMSentence(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str
    bullet_ids: list[str]


class LLMParagraph(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str
    requirement_ids: list[str]
    sentences: list[LLMSentence]


class LLMLetter(BaseModel):
    """The model's letter: paragraphs of sentences, each sentence with its citations."""

    model_config = ConfigDict(extra="forbid")

    paragraphs: list[LLMParagraph]


# a paragraph of the model's answer, each of its sentences judged
Answer = list[tuple[LLMParagraph, list[Judged]]]


def letter_llm(
    cv: CV,
    posting: JobPosting,
    profile: CompanyProfile | None,
    client: LLMClient,
    *,
    gaps: bool = False,
) -> Letter:
    """A letter for `posting` written by the model behind `client`, every sentence checked;
    `gaps` adds tailor's own line on the must-haves the CV does not show."""
    source, _ = without_instruction_bullets(cv)
    covered = coverage(source, posting)
    refs = bullet_ids(source)
    shown_by = _shown_by(source, covered, refs)
    messages = [
        Message("system", render("letter.system.j2"), cache=True),
        Message("user", render("cv.j2", cv_text=cv_text(source)), cache=True),
        Message("user", posting_block(posting), cache=True),
        Message(
            "user",
            render(
                "letter.user.j2",
                posting=posting.label,
                requirements=_requirements(covered, shown_by),
                profile=profile,
            ),
        ),
    ]
    private = redaction_for(cv) if client.settings.redacts else None
    first = client.generate(messages, LLMLetter, private=private)
    answer, usage = _judged(first.value, source, posting, refs), first.usage
    dropped_on_reask: list[LeftOut] = []
    wrong = [sentence for _, sentences in answer for sentence in sentences if sentence.problems]
    if wrong:
        again = [
            *messages,
            Message("assistant", first.value.model_dump_json()),
            Message("user", _problems_note(wrong)),
        ]
        answer, usage, dropped_on_reask = _asked_again(
            again, answer, usage, client, private, (source, posting, refs)
        )
    blocks = [
        _block(paragraph, sentences, source, refs, shown_by) for paragraph, sentences in answer
    ]
    if blocks and dropped_on_reask:
        blocks[-1].left_out += dropped_on_reask
    left_out = sum(len(block.left_out) for block in blocks)
    if left_out:
        log.info("%d sentence(s) of the letter left out: they failed its checks", left_out)
    if not any(part.sources for block in blocks for part in block.parts):  # no evidence
        failed = ProviderError("the model's letter kept no sentence its cited CV lines support")
        failed.usage, failed.answers = usage, usage.requests
        raise failed
    return letter_of(
        blocks,
        cv=cv,
        posting=posting,
        profile=profile,
        covered=covered,
        gaps=gaps,
        draft=False,
        provider=client.settings.provider,
        model=usage.model,
        usage=usage,
    )


def _asked_again(
    messages: list[Message],
    first: Answer,
    usage: Usage,
    client: LLMClient,
    private: Redaction | None,
    context: tuple[CV, JobPosting, dict[str, BulletRef]],
) -> tuple[Answer, Usage, list[LeftOut]]:
    """The answer that keeps more cited sentences, the first or the model's second; and the
    first answer's failing sentences that the second one no longer has, if it stands."""
    try:
        second = client.generate(messages, LLMLetter, private=private)
    except ProviderError as error:  # the first answer stands, its failing sentences left out
        log.info("the second answer failed (%s); keeping the first, checked", error)
        return first, add_usage(usage, error.usage) if error.usage else usage, []
    usage = add_usage(usage, second.usage)
    again = _judged(second.value, *context)
    if _evidence(again) < _evidence(first):
        return first, usage, []
    kept = {sentence.text for _, sentences in again for sentence in sentences}
    gone = [
        LeftOut(
            sentence=s.text,
            reason="; ".join(s.problems) + " (asked again, the model wrote without it)",
        )
        for _, sentences in first
        for s in sentences
        if s.problems and s.text not in kept
    ]
    return again, usage, gone


def _judged(answer: LLMLetter, cv: CV, posting: JobPosting, refs: dict[str, BulletRef]) -> Answer:
    return [
        (p, [judge(s.text, s.bullet_ids, cv, posting, refs) for s in p.sentences])
        for p in answer.paragraphs
    ]


def _evidence(answer: Answer) -> int:
    """How many sentences of an answer stand and cite the CV."""
    return sum(1 for _, sentences in answer for s in sentences if s.cited and not s.problems)


def _shown_by(cv: CV, covered: Coverage, refs: dict[str, BulletRef]) -> dict[str, tuple[str, str]]:
    """Each requirement's id ("r1") -> its text and the id of the bullet that shows it, where
    a bullet does."""
    by_text = {plain(bullet_text(cv, ref)): key for key, ref in refs.items()}
    shown: dict[str, tuple[str, str]] = {}
    for number, item in enumerate(covered.requirements, start=1):
        bullet = by_text.get(item.quote or "") if shows_it(item) else None
        if bullet is not None:
            shown[f"r{number}"] = (item.requirement.text, bullet)
    return shown


def _requirements(
    covered: Coverage, shown_by: dict[str, tuple[str, str]]
) -> list[dict[str, object]]:
    """Each requirement of the posting as the prompt lists it: its id, kind and text, and the
    bullet that shows it."""
    listed = []
    for number, item in enumerate(covered.requirements, start=1):
        key = f"r{number}"
        listed.append(
            {
                "id": key,
                "kind": item.requirement.kind,
                "text": item.requirement.text,
                "bullets": [f"[{shown_by[key][1]}]"] if key in shown_by else [],
                "shown": shows_it(item),
            }
        )
    return listed


def _problems_note(wrong: list[Judged]) -> str:
    lines = [
        "Some sentences of your letter break the rules. Rewrite each from its cited CV lines "
        "only (or from the posting, for a sentence about the employer), or leave it out; keep "
        "the rest of the letter as it is:"
    ]
    lines += [f'- "{sentence.text}": {"; ".join(sentence.problems)}' for sentence in wrong]
    return "\n".join(lines)


def _block(
    paragraph: LLMParagraph,
    sentences: list[Judged],
    cv: CV,
    refs: dict[str, BulletRef],
    shown_by: dict[str, tuple[str, str]],
) -> Block:
    """The paragraph of the sentences that passed, each with the CV lines it cites and the
    requirements it answers (those the paragraph names that a cited line shows), and the
    sentences left out."""
    named = [shown_by[key] for key in map(normal_id, paragraph.requirement_ids) if key in shown_by]
    parts = [
        Part(
            _sentence_end(sentence.text),
            [_cv_line(cv, key, refs[key]) for key in sentence.cited],
            [text for text, bullet in named if bullet in sentence.cited],
        )
        for sentence in sentences
        if sentence.text and not sentence.problems
    ]
    left_out = [
        LeftOut(sentence=s.text, reason="; ".join(s.problems)) for s in sentences if s.problems
    ]
    return Block(_KINDS.get(paragraph.kind.strip().lower(), "evidence"), parts, left_out)


def _sentence_end(text: str) -> str:
    return text if text.endswith((".", "!", "?", "\u201d", '"')) else text + "."


def _cv_line(cv: CV, key: str, ref: BulletRef) -> CvLine:
    bullet = getattr(cv, ref.kind)[ref.entry].highlights[ref.bullet]
    line = bullet.source.line if bullet.source is not None else None
    return CvLine(quote=plain(bullet.text), id=key, line=line, section=ref.kind)
