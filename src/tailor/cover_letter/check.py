"""The rules every sentence of a model's letter is held to, with `tailor.grounding`'s checks.

- A sentence that cites CV bullets rests on one role or project: its facts (figures, dates,
  employers, titles, tools and skills, names) must be that entry's, and its claims of part or
  scope ("led", "single-handedly") no bigger than the cited bullets' own.
- A sentence in the first person ("I", "my", "we", "our") that cites nothing says nothing of
  what the candidate did, and names nothing but the role and the company the posting names.
- A sentence addressed to the employer ("your team", the company's name) that cites nothing
  states only what the posting states, and in its words: most of its words are the posting's.
- Any other sentence that cites nothing names nothing at all (no skill, figure or name).
- No sentence reads as an instruction to an AI, or uses a cliché of `data/letter.yaml`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from tailor.cover_letter.draft import is_past_verb, letter_data
from tailor.cv.model import CV
from tailor.grounding import FactKind, unsupported_claims, unsupported_in
from tailor.posting.model import JobPosting
from tailor.prompts import (
    BULLET_ID,
    ID_PREFIX,
    BulletRef,
    bullet_text,
    entry_json,
    instruction_like,
    normal_id,
)

# an id the model wrote inside a sentence, with the space before it ("... 16 GPUs [w1.1].");
# a run of spaces is read once, from its start
_INLINE_ID = re.compile(rf"(?<!\s)\s*+\[({BULLET_ID})\]", re.IGNORECASE)
_FIRST_PERSON = re.compile(
    r"\b(?:I|I'm|I've|I'd|I'll|us)\b|\b(?i:me|my|mine|myself|we|we're|we've|our|ours)\b"
)
_SECOND_PERSON = re.compile(r"\b(?i:you|your|yours|you're|you'll|you've)\b")
# what a sentence says the candidate did: "I built", "I have led", "we previously shipped"
_SUBJECT_AND_VERB = re.compile(
    r"\b(?:I|(?i:we))(?:'ve|\s++(?:\w+ly\s++)?(?:have|had)\b)?\s++(?:\w+ly\s++)?(\w+)"
)
_DID = {"was", "were", "did", "had", "made", "worked"}
_WORD = re.compile(r"[a-z][a-z'-]{3,}")
# words of a sentence to an employer that are not what it says of them
_ADDRESS_WORDS = {
    "your", "yours", "you're", "you'll", "team", "teams", "role", "this", "that", "with",
    "what", "where", "which", "will", "would", "could", "should", "have", "from", "into",
    "about", "their", "there", "them", "they", "been", "being", "more", "most", "also",
    "very", "such", "like", "work", "works", "here", "these", "those", "when", "than",
}  # fmt: skip
ECHO_SHARE = 0.6  # of a sentence's own words to an employer, found in the posting


@dataclass(frozen=True)
class Judged:
    """A model's sentence, cleaned of inline ids, with the bullets it cites and what is wrong
    with it (nothing: it stays)."""

    text: str
    cited: list[str]
    problems: list[str]


def judge(
    text: str, bullet_ids: list[str], cv: CV, posting: JobPosting, refs: dict[str, BulletRef]
) -> Judged:
    """A sentence of the model's with what is wrong with it, if anything (see the module)."""
    inline = [normal_id(found) for found in _INLINE_ID.findall(text)]
    text = _INLINE_ID.sub("", ID_PREFIX.sub("", text)).strip()
    given = dict.fromkeys([*map(normal_id, bullet_ids), *inline])
    cited = [key for key in given if key in refs]
    if instruction_like(text):
        return Judged(text, cited, ["it reads as an instruction to an AI"])
    problems = [f"it uses the cliché \u201c{found}\u201d" for found in cliches_in(text)]
    names = [part for part in (posting.title, posting.company) if part]
    if cited:
        problems += _cited_problems(text, cited, cv, refs)
    elif _FIRST_PERSON.search(text):
        if _says_what_was_done(text):
            problems.append("it says what you did without citing the CV line that shows it")
        problems += _reasons(unsupported_in(text, names), "your CV, as it cites no line of it")
    elif _SECOND_PERSON.search(text) or any(name in text for name in names):
        found = unsupported_in(text, [posting.text, *names])
        problems += _reasons(found, "the posting")
        if not found and not _echoes(text, posting.text):
            problems.append("it says of the employer what the posting does not")
    else:
        problems += _reasons(unsupported_in(text, []), "your CV, as it cites no line of it")
    return Judged(text, cited, problems)


def _cited_problems(text: str, cited: list[str], cv: CV, refs: dict[str, BulletRef]) -> list[str]:
    """Facts against the one entry the cited bullets belong to; claims against the bullets."""
    entries = {(refs[key].kind, refs[key].entry) for key in cited}
    if len(entries) > 1:
        return ["it cites lines of more than one role or project; give each its own sentence"]
    where = f"the cited line{'s' if len(cited) > 1 else ''} ({', '.join(cited)})"
    found = unsupported_in(text, [entry_json(cv, refs[cited[0]])])
    bullets = [bullet_text(cv, refs[key]) for key in cited]
    found = [(kind, value) for kind, value in found if kind != "claim"]
    found += [("claim", claim.written) for claim in unsupported_claims(text, bullets)]
    return _reasons(found, where)


def _says_what_was_done(text: str) -> bool:
    """Whether a first-person sentence says what the candidate did ("I built", "we have
    led"), which only a cited line may back."""
    for match in _SUBJECT_AND_VERB.finditer(text):
        verb = match.group(1)
        if verb.lower() in _DID or (verb[:1].islower() and is_past_verb(verb.capitalize())):
            return True
    return False


def _echoes(text: str, posting: str) -> bool:
    """Whether a sentence to the employer is in the posting's own words: most of what it says
    of them (its words of four letters or more) is in the posting."""
    words = [w for w in _WORD.findall(text.lower()) if w not in _ADDRESS_WORDS]
    if not words:
        return True
    known = set(_WORD.findall(posting.lower()))
    return sum(word in known for word in words) >= ECHO_SHARE * len(words)


def cliches_in(text: str) -> list[str]:
    """The clichés of `data/letter.yaml` that `text` uses."""
    return [match.group(0) for match in _cliches().finditer(text)]


@cache
def _cliches() -> re.Pattern[str]:
    phrases = sorted(letter_data()["cliches"], key=len, reverse=True)
    words = "|".join(re.escape(phrase).replace(r"\ ", r"\s+") for phrase in phrases)
    return re.compile(rf"(?<![\w-])(?:{words})(?![\w-])", re.IGNORECASE)


def _reasons(found: list[tuple[FactKind, str]], where: str) -> list[str]:
    return [
        f"it claims \u201c{value}\u201d, which {where} does not"
        if kind == "claim"
        else f"it states {kind} \u201c{value}\u201d, which {where} does not"
        for kind, value in found
    ]
