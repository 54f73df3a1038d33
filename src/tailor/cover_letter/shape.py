"""The shape every letter takes, whoever wrote it: a greeting, an opening that names the role
and the company, paragraphs of evidence, an optional line on what the CV does not show, a
closing; within one page.

A paragraph is built from sentences (`Part`), each with the CV lines it rests on and the
requirements those lines answer, so that a sentence left out for length takes its lines and
requirements with it: what a `Paragraph` says it rests on is what it still says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tailor.cover_letter.model import (
    MAX_WORDS,
    CvLine,
    LeftOut,
    Letter,
    Paragraph,
    ParagraphKind,
    count_words,
)
from tailor.cv.layout import plain
from tailor.cv.model import CV
from tailor.posting.model import Coverage, JobPosting, Requirement, RequirementCoverage
from tailor.targets import CompanyProfile

CLOSING = "Kind regards,"
OVER_LENGTH = f"the letter keeps to one page ({MAX_WORDS} words)"


@dataclass
class Part:
    """One sentence, the CV lines it rests on and the requirements they answer."""

    text: str
    sources: list[CvLine] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)


@dataclass
class Block:
    """A paragraph in the making. With `lead`, its first sentence only says what the posting
    asks for: left alone, the paragraph says nothing, and goes whole."""

    kind: ParagraphKind
    parts: list[Part]
    left_out: list[LeftOut] = field(default_factory=list)
    lead: bool = False

    def paragraph(self) -> Paragraph:
        sources = {(s.id, s.quote): s for part in self.parts for s in part.sources}
        answers = dict.fromkeys(answer for part in self.parts for answer in part.answers)
        return Paragraph(
            kind=self.kind,
            text=" ".join(part.text for part in self.parts),
            sources=list(sources.values()),
            answers=list(answers),
            left_out=self.left_out,
        )


def greeting(posting: JobPosting) -> str:
    """ "Dear Orrery AI hiring team," (the company as the posting names it)."""
    return f"Dear {posting.company} hiring team," if posting.company else "Dear hiring team,"


def opening(posting: JobPosting, *, evidence: bool = True) -> Block:
    """tailor's opening: the role and the company, as the posting names them; and, where
    `evidence` paragraphs follow, that they answer the posting."""
    if posting.title and posting.company:
        role = f"the {posting.title} role at {posting.company}"
    elif posting.title:
        role = f"the {posting.title} role"
    else:
        role = "the role in your posting"
    parts = [Part(f"I am applying for {role}.")]
    if evidence:
        parts.append(Part("Below are the parts of my work that answer what the posting asks for."))
    return Block("opening", parts)


def closing() -> Block:
    return Block(
        "closing",
        [
            Part("Thank you for reading."),
            Part("I would welcome the chance to talk about the role."),
        ],
    )


def gaps(missing: list[Requirement]) -> Block:
    """tailor's line on the must-haves the CV does not show yet, in the posting's words."""
    asked = "; ".join(f"\u201c{plain(item.asked())}\u201d" for item in missing[:3])
    things, them = ("something", "it") if len(missing) == 1 else ("things", "them")
    return Block(
        "gaps",
        [
            Part(f"Your posting also asks for {things} I have not shown here yet: {asked}."),
            Part(f"I would be glad to talk about where I stand on {them}."),
        ],
    )


def not_shown(covered: Coverage) -> list[Requirement]:
    """The must-haves no line of the CV shows."""
    return [
        item.requirement
        for item in covered.requirements
        if item.requirement.kind == "must" and item.status in ("missing", "listed")
    ]


def shows_it(item: RequirementCoverage) -> bool:
    """Whether a line of the CV's experience shows the requirement: all of it, or some of a
    must-have (a nice-to-have shown in part is not worth a letter's space)."""
    return item.status == "applied" or (
        item.status == "partial" and item.requirement.kind == "must"
    )


def in_shape(
    blocks: list[Block], posting: JobPosting, *, missing: list[Requirement] | None = None
) -> list[Block]:
    """The blocks opening and closing as a letter does (tailor's own opening or closing where
    none of the given ones says anything), with the gaps line before the closing when
    `missing` names must-haves."""
    shaped = list(blocks)
    if not any(block.kind == "opening" and block.parts for block in shaped):
        shaped.insert(0, opening(posting))
    if not any(block.kind == "closing" and block.parts for block in shaped):
        shaped.append(closing())
    if missing:
        at = max(i for i, block in enumerate(shaped) if block.kind == "closing")
        shaped.insert(at, gaps(missing))
    return shaped


def letter_of(
    blocks: list[Block],
    *,
    cv: CV,
    posting: JobPosting,
    profile: CompanyProfile | None,
    covered: Coverage,
    gaps: bool,
    **engine: object,
) -> Letter:
    """The letter of `blocks`, in shape and on one page, signed with the CV's name; `engine`
    says who wrote it (draft, provider, model, usage)."""
    missing = not_shown(covered)
    blocks = in_shape(blocks, posting, missing=missing if gaps else None)
    return Letter.model_validate(
        {
            "posting": posting.label,
            "role": posting.title,
            "company": posting.company,
            "target": profile.id if profile else None,
            "target_name": profile.name if profile else None,
            "greeting": greeting(posting),
            "paragraphs": within_one_page(blocks, posting),
            "closing": CLOSING,
            "signature": cv.basics.name or None,
            "not_shown": [requirement.text for requirement in missing],
            **engine,
        }
    )


def within_one_page(blocks: list[Block], posting: JobPosting) -> list[Paragraph]:
    """The paragraphs of a letter that fits on one page (`MAX_WORDS`, the greeting and
    closing counted): the closing's and the opening's sentences but their first go first (the
    evidence is what a letter is for), then the last sentences of the last evidence
    paragraphs; each is named in its paragraph's `left_out`."""
    fixed = count_words(f"{greeting(posting)} {CLOSING}")

    def words() -> int:
        return fixed + sum(count_words(part.text) for block in blocks for part in block.parts)

    body = [block for block in blocks if block.kind in ("evidence", "gaps")]
    ends = [block for block in blocks if block.kind in ("closing", "opening")]
    for block, keep in [*((b, 1) for b in reversed(ends)), *((b, 0) for b in reversed(body))]:
        while words() > MAX_WORDS and len(block.parts) > keep:
            block.left_out.append(LeftOut(sentence=block.parts.pop().text, reason=OVER_LENGTH))
            if block.lead and len(block.parts) == 1:
                block.left_out.append(LeftOut(sentence=block.parts.pop().text, reason=OVER_LENGTH))
    return [block.paragraph() for block in blocks]


# a sentence ends at ".", "!" or "?" (a closing quotation mark after it, or a quotation that
# ends its sentence) before a capital
_SENTENCE_END = re.compile(
    r"(?:(?<=[.!?])(?<!\b[A-Z]\.)[\u201d\"]?|(?<=\u201d))\s+(?=[A-Z\u201c\"])"
)


def split_sentences(text: str) -> list[str]:
    """A paragraph's sentences (a quotation stays whole with its closing mark)."""
    parts: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start() + len(match.group(0).rstrip())
        if _inside_quotes(text[start:end]):
            continue
        parts.append(text[start:end].strip())
        start = match.end()
    parts.append(text[start:].strip())
    return [part for part in parts if part]


def _inside_quotes(text: str) -> bool:
    return text.count("\u201c") > text.count("\u201d")
