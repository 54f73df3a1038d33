"""The LLM letter: the model writes the prose, and every sentence is held to the lines it cites.

One call. The model answers in paragraphs of sentences, each sentence with the ids of the CV
bullets it rests on (`LLMLetter`). tailor then judges every sentence (`judge`):

- a sentence that cites bullets may state only what those bullets' roles or projects state
  (figures, dates, employers, titles, tools and skills, names, and no bigger part or scope:
  `tailor.grounding`), besides the role and company the posting names;
- a sentence in the first person that cites nothing may name only the role and the company;
- any other sentence (about the employer) may state only what the posting states;
- none may read as an instruction to an AI or use one of the clichés of `data/letter.yaml`.

The sentences that fail are sent back once, each with its reason; what still fails is left
out, and named in its paragraph's `left_out` with the reason. The greeting, the closing and the
signature are tailor's, and so are the opening and closing paragraphs where none of the model's
stands. A letter with no sentence left that cites the CV is no letter: the model has failed at
the task, and the offline draft stands in.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cache

from pydantic import BaseModel, ConfigDict

from tailor.cover_letter.draft import (
    CLOSING,
    greeting,
    in_shape,
    keep_to_length,
    letter_data,
    not_shown,
    shows_it,
    with_gaps,
)
from tailor.cover_letter.model import CvLine, LeftOut, Letter, Paragraph, ParagraphKind
from tailor.cv.layout import plain
from tailor.cv.model import CV, Project, Volunteer, Work
from tailor.errors import ProviderError
from tailor.grounding import FactKind, unsupported_in
from tailor.llm.base import Message
from tailor.llm.client import LLMClient
from tailor.posting.coverage import coverage
from tailor.posting.model import Coverage, JobPosting, RequirementCoverage
from tailor.privacy import redaction_for
from tailor.prompts import (
    ID_PREFIX,
    BulletRef,
    bullet_ids,
    cv_text,
    instruction_like,
    normal_id,
    posting_block,
    render,
)
from tailor.targets import CompanyProfile
from tailor.usage import add_usage

log = logging.getLogger("tailor.llm")
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'd|I'll|me|my|mine|myself)\b")
# an id the model wrote inside a sentence, with the space before it ("... 16 GPUs [w1.1].");
# a run of spaces is read once, from its start
_INLINE_ID = re.compile(r"(?<!\s)\s*+\[([wpv]\d+(?:\.\d+)?)\]", re.IGNORECASE)
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


@dataclass(frozen=True)
class _Judged:
    """A sentence of the model's, cleaned of inline ids, with its citations and what is
    wrong with it (nothing: it stays)."""

    text: str
    cited: list[str]
    problems: list[str]


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
    source = without_instructions(cv)
    covered = coverage(source, posting)
    refs = bullet_ids(source)
    requirements = _requirements(source, covered, refs)
    messages = [
        Message("system", render("letter.system.j2"), cache=True),
        Message("user", render("cv.j2", cv_text=cv_text(source)), cache=True),
        Message("user", posting_block(posting), cache=True),
        Message(
            "user",
            render(
                "letter.user.j2", posting=posting.label, requirements=requirements, profile=profile
            ),
        ),
    ]
    private = redaction_for(cv) if client.settings.redacts else None
    first = client.generate(messages, LLMLetter, private=private)
    answer, usage = first.value, first.usage
    judged = _judge(answer, source, posting, refs)
    wrong = [sentence for paragraph in judged for sentence in paragraph[1] if sentence.problems]
    if wrong:
        again = [
            *messages,
            Message("assistant", answer.model_dump_json()),
            Message("user", _problems_note(wrong)),
        ]
        try:
            second = client.generate(again, LLMLetter, private=private)
        except ProviderError as error:  # the first answer stands, its failing sentences left out
            log.info("the second answer failed (%s); keeping the first, checked", error)
            if error.usage is not None:
                usage = add_usage(usage, error.usage)
        else:
            usage = add_usage(usage, second.usage)
            judged = _judge(second.value, source, posting, refs)
    by_id = {f"r{number}": item for number, item in enumerate(covered.requirements, start=1)}
    paragraphs = [
        _paragraph(paragraph, sentences, source, refs, by_id) for paragraph, sentences in judged
    ]
    dropped = sum(len(p.left_out) for p in paragraphs)
    if dropped:
        log.info("%d sentence(s) of the letter left out: they failed its checks", dropped)
    if not any(p.sources for p in paragraphs):  # no evidence: no letter
        failed = ProviderError("the model's letter kept no sentence its cited CV lines support")
        failed.usage, failed.answers = usage, usage.requests
        raise failed
    paragraphs = in_shape(paragraphs, posting)
    if gaps:
        paragraphs = with_gaps(paragraphs, not_shown(covered))
    fixed = f"{greeting(posting)} {CLOSING}"
    return Letter(
        posting=posting.label,
        role=posting.title,
        company=posting.company,
        target=profile.id if profile else None,
        target_name=profile.name if profile else None,
        draft=False,
        provider=client.settings.provider,
        model=usage.model,
        greeting=greeting(posting),
        paragraphs=keep_to_length(paragraphs, fixed=fixed),
        closing=CLOSING,
        signature=cv.basics.name or None,
        not_shown=not_shown(covered),
        usage=usage,
    )


def without_instructions(cv: CV) -> CV:
    """The CV without bullets that read as instructions to an AI: they are no fact about the
    candidate, and are neither sent nor citable."""
    clean = cv.model_copy(deep=True)
    if cv.origin is not None:
        clean.set_origin(cv.origin)
    entries: list[Work | Project | Volunteer] = [*clean.work, *clean.projects, *clean.volunteer]
    for entry in entries:
        entry.highlights = [b for b in entry.highlights if not instruction_like(b.text)]
    return clean


def _requirements(cv: CV, covered: Coverage, refs: dict[str, BulletRef]) -> list[dict[str, object]]:
    """Each requirement of the posting with its id ([r1]) and the bullets that show it."""
    by_text = {plain(_bullet(cv, ref)): key for key, ref in refs.items()}
    listed = []
    for number, item in enumerate(covered.requirements, start=1):
        shown = shows_it(item) and item.quote is not None
        bullet = by_text.get(item.quote or "") if shown else None
        listed.append(
            {
                "id": f"r{number}",
                "kind": item.requirement.kind,
                "text": item.requirement.text,
                "bullets": [f"[{bullet}]"] if bullet else [],
                "shown": shown,
            }
        )
    return listed


def _judge(
    answer: LLMLetter, cv: CV, posting: JobPosting, refs: dict[str, BulletRef]
) -> list[tuple[LLMParagraph, list[_Judged]]]:
    return [
        (paragraph, [judge(s, cv, posting, refs) for s in paragraph.sentences])
        for paragraph in answer.paragraphs
    ]


def judge(
    sentence: LLMSentence, cv: CV, posting: JobPosting, refs: dict[str, BulletRef]
) -> _Judged:
    """A sentence of the model's with what is wrong with it, if anything (see the module)."""
    inline = [normal_id(found) for found in _INLINE_ID.findall(sentence.text)]
    text = _INLINE_ID.sub("", ID_PREFIX.sub("", sentence.text)).strip()
    cited = [
        key for key in dict.fromkeys([*map(normal_id, sentence.bullet_ids), *inline]) if key in refs
    ]
    if instruction_like(text):
        return _Judged(text, cited, ["it reads as an instruction to an AI"])
    problems = [f"it uses the cliché \u201c{found}\u201d" for found in cliches_in(text)]
    names = [part for part in (posting.title, posting.company) if part]
    if cited:
        sources = [*(_entry_text(cv, refs[key]) for key in cited), *names]
        found = unsupported_in(text, sources)
        where = f"the cited line{'s' if len(cited) > 1 else ''} ({', '.join(cited)})"
    elif _FIRST_PERSON.search(text):
        found = unsupported_in(text, names)
        where = "your CV, as it cites no line of it"
    else:
        found = unsupported_in(text, [posting.text, *names])
        where = "the posting"
    problems += [_reason(kind, value, where) for kind, value in found]
    return _Judged(text, cited, problems)


def cliches_in(text: str) -> list[str]:
    """The clichés of `data/letter.yaml` that `text` uses."""
    return [match.group(0) for match in _cliches().finditer(text)]


@cache
def _cliches() -> re.Pattern[str]:
    phrases = sorted(letter_data()["cliches"], key=len, reverse=True)
    words = "|".join(re.escape(phrase).replace(r"\ ", r"\s+") for phrase in phrases)
    return re.compile(rf"(?<![\w-])(?:{words})(?![\w-])", re.IGNORECASE)


def _reason(kind: FactKind, value: str, where: str) -> str:
    if kind == "claim":
        return f"it claims \u201c{value}\u201d, which {where} does not"
    return f"it states {kind} \u201c{value}\u201d, which {where} does not"


def _problems_note(wrong: list[_Judged]) -> str:
    lines = [
        "Some sentences of your letter break the rules. Rewrite each from its cited CV lines "
        "only (or from the posting, for a sentence about the employer), or leave it out; keep "
        "the rest of the letter as it is:"
    ]
    lines += [f'- "{sentence.text}": {"; ".join(sentence.problems)}' for sentence in wrong]
    return "\n".join(lines)


def _paragraph(
    paragraph: LLMParagraph,
    sentences: list[_Judged],
    cv: CV,
    refs: dict[str, BulletRef],
    requirements: dict[str, RequirementCoverage],
) -> Paragraph:
    """The paragraph of the sentences that passed, the CV lines they cite, the requirements
    it answers (of those it names, the ones the CV shows), and the sentences left out."""
    kept = [s for s in sentences if not s.problems and s.text]
    left_out = [
        LeftOut(sentence=s.text, reason="; ".join(s.problems)) for s in sentences if s.problems
    ]
    cited = list(dict.fromkeys(key for s in kept for key in s.cited))
    answers = [
        item.requirement.text
        for key in dict.fromkeys(map(normal_id, paragraph.requirement_ids))
        if (item := requirements.get(key)) is not None and shows_it(item)
    ]
    return Paragraph(
        kind=_KINDS.get(paragraph.kind.strip().lower(), "evidence"),
        text=" ".join(_sentence_end(s.text) for s in kept),
        sources=[_cv_line(cv, key, refs[key]) for key in cited],
        answers=answers if cited else [],
        left_out=left_out,
    )


def _sentence_end(text: str) -> str:
    return text if text.endswith((".", "!", "?", "\u201d", '"')) else text + "."


def _cv_line(cv: CV, key: str, ref: BulletRef) -> CvLine:
    bullet = getattr(cv, ref.kind)[ref.entry].highlights[ref.bullet]
    line = bullet.source.line if bullet.source is not None else None
    return CvLine(quote=plain(bullet.text), id=key, line=line, section=ref.kind)


def _bullet(cv: CV, ref: BulletRef) -> str:
    return str(getattr(cv, ref.kind)[ref.entry].highlights[ref.bullet].text)


def _entry_text(cv: CV, ref: BulletRef) -> str:
    """A role's or project's every line: the facts a sentence citing one of its bullets may use."""
    entry: BaseModel = getattr(cv, ref.kind)[ref.entry]
    return entry.model_dump_json()
