"""The offline letter: an honest draft of the user's own lines, for a posting's must-haves.

The coverage check has found, for each requirement, the CV line that shows it. The draft takes
those lines, the must-haves' first, groups them by the role or project they come from and
writes a fixed shape around them: an opening that names the role and the company as the
posting does, two or three paragraphs of evidence, optionally a line on what the CV does not
show yet, and a closing. A line is joined after "I" when it opens with a verb in the past
("Built ..." -> "I built ..."); any other line is quoted. Nothing else of the candidate is
said, so there is nothing to check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from tailor.cover_letter.model import MAX_WORDS, CvLine, LeftOut, Letter, Paragraph, count_words
from tailor.cv.layout import plain
from tailor.cv.lines import has_metric
from tailor.cv.model import CV, Project, Volunteer, Work
from tailor.posting.coverage import coverage
from tailor.posting.model import Coverage, JobPosting, RequirementCoverage
from tailor.prompts import bullet_ids, instruction_like
from tailor.resources import load_yaml, package_data
from tailor.skills import skill_pattern
from tailor.targets import CompanyProfile
from tailor.wording import joined, lower_first

EVIDENCE_PARAGRAPHS = 3
LINES_PER_PARAGRAPH = 2
CLOSING = "Kind regards,"
OVER_LENGTH = f"the letter keeps to one page ({MAX_WORDS} words)"


@dataclass
class _Evidence:
    """A CV line that shows some of the posting's requirements, and where it stands."""

    line: CvLine
    answers: list[str]
    skills: list[str]
    must: bool
    entry: Work | Project | Volunteer | None = None
    entry_key: str | None = None
    score: tuple[int, ...] = field(default=())


@cache
def letter_data() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml(package_data("letter.yaml").read_text(encoding="utf-8"))
    return data


def letter_offline(
    cv: CV,
    posting: JobPosting,
    profile: CompanyProfile | None = None,
    *,
    gaps: bool = False,
    covered: Coverage | None = None,
) -> Letter:
    """A draft letter for `posting` from `cv`'s own lines; `gaps` adds a line naming the
    must-haves the CV does not show yet."""
    covered = covered or coverage(cv, posting)
    evidence = _evidence(cv, covered, profile)
    paragraphs = [opening_paragraph(posting)]
    paragraphs += [_paragraph(group) for group in _groups(evidence)]
    paragraphs.append(closing_paragraph())
    missing = not_shown(covered)
    if gaps:
        paragraphs = with_gaps(paragraphs, missing)
    paragraphs = keep_to_length(paragraphs, fixed=f"{greeting(posting)} {CLOSING}", leads=True)
    return Letter(
        posting=posting.label,
        role=posting.title,
        company=posting.company,
        target=profile.id if profile else None,
        target_name=profile.name if profile else None,
        draft=True,
        greeting=greeting(posting),
        paragraphs=paragraphs,
        closing=CLOSING,
        signature=cv.basics.name or None,
        not_shown=missing,
    )


def not_shown(covered: Coverage) -> list[str]:
    """The must-haves no line of the CV shows, as the posting words them."""
    return [
        item.requirement.text
        for item in covered.requirements
        if item.requirement.kind == "must" and item.status in ("missing", "listed")
    ]


def greeting(posting: JobPosting) -> str:
    """ "Dear Orrery AI hiring team," (the company as the posting names it)."""
    return f"Dear {posting.company} hiring team," if posting.company else "Dear hiring team,"


def opening_paragraph(posting: JobPosting) -> Paragraph:
    if posting.title and posting.company:
        role = f"the {posting.title} role at {posting.company}"
    elif posting.title:
        role = f"the {posting.title} role"
    else:
        role = "the role in your posting"
    text = (
        f"I am applying for {role}. Below are the parts of my work that answer what the "
        "posting asks for."
    )
    return Paragraph(kind="opening", text=text)


def closing_paragraph() -> Paragraph:
    text = "Thank you for reading. I would welcome the chance to talk about the role."
    return Paragraph(kind="closing", text=text)


def in_shape(paragraphs: list[Paragraph], posting: JobPosting) -> list[Paragraph]:
    """The paragraphs opening and closing as a letter does: where none of the given opening
    (or closing) paragraphs says anything, tailor's own stands in."""
    shaped = list(paragraphs)
    if not any(p.kind == "opening" and p.text for p in shaped):
        shaped.insert(0, opening_paragraph(posting))
    if not any(p.kind == "closing" and p.text for p in shaped):
        shaped.append(closing_paragraph())
    return shaped


def gaps_paragraph(missing: list[str]) -> Paragraph:
    """tailor's line on the must-haves the CV does not show yet, in the posting's words."""
    asked = "; ".join(f"\u201c{plain(text).rstrip('.')}\u201d" for text in missing[:3])
    things = "something" if len(missing) == 1 else "things"
    them = "it" if len(missing) == 1 else "them"
    text = (
        f"Your posting also asks for {things} I have not shown here yet: {asked}. I would be "
        f"glad to talk about where I stand on {them}."
    )
    return Paragraph(kind="gaps", text=text)


def with_gaps(paragraphs: list[Paragraph], missing: list[str]) -> list[Paragraph]:
    """The paragraphs with the gaps line before the closing (none if nothing is missing)."""
    if not missing:
        return paragraphs
    at = next((i for i, p in enumerate(paragraphs) if p.kind == "closing"), len(paragraphs))
    return [*paragraphs[:at], gaps_paragraph(missing), *paragraphs[at:]]


def shows_it(item: RequirementCoverage) -> bool:
    """Whether a line of the CV's experience shows the requirement: all of it, or some of a
    must-have (a nice-to-have shown in part is not worth a letter's space)."""
    return item.status == "applied" or (
        item.status == "partial" and item.requirement.kind == "must"
    )


def _evidence(cv: CV, covered: Coverage, profile: CompanyProfile | None) -> list[_Evidence]:
    """Each CV line that shows a requirement, once, with every requirement it shows; the
    lines that show must-haves first, then those that show more, then measured ones."""
    located = _bullets(cv)
    by_quote: dict[str, _Evidence] = {}
    for item in covered.requirements:
        if not shows_it(item) or not item.quote or item.section == "skills":
            continue
        if instruction_like(item.quote):
            continue  # a line that speaks to an AI is no evidence
        found = by_quote.get(item.quote)
        if found is None:
            found = by_quote[item.quote] = _located(cv, item, located)
        found.answers.append(item.requirement.text)
        found.skills += [skill for skill in item.shown if skill not in found.skills]
        found.must = found.must or item.requirement.kind == "must"
    keywords = [k.lower() for value in (profile.values if profile else []) for k in value.keywords]
    for found in by_quote.values():
        valued = sum(1 for keyword in keywords if keyword in found.line.quote.lower())
        found.score = (
            -int(found.must),
            -len(found.answers),
            -int(has_metric(found.line.quote)),
            -valued,
        )
    return sorted(by_quote.values(), key=lambda found: found.score)


def _bullets(cv: CV) -> dict[str, tuple[str, Work | Project | Volunteer]]:
    """Each bullet's plain text -> its id and entry."""
    located: dict[str, tuple[str, Work | Project | Volunteer]] = {}
    for key, ref in bullet_ids(cv).items():
        entry = getattr(cv, ref.kind)[ref.entry]
        located.setdefault(plain(entry.highlights[ref.bullet].text), (key, entry))
    return located


def _located(
    cv: CV, item: RequirementCoverage, located: dict[str, tuple[str, Work | Project | Volunteer]]
) -> _Evidence:
    quote = item.quote or ""
    bullet = located.get(quote)
    entry = bullet[1] if bullet else None
    if entry is None:
        entry, quote = _entry_described(cv, quote)
    line = CvLine(
        quote=quote, id=bullet[0] if bullet else None, line=item.line, section=item.section
    )
    key = f"{type(entry).__name__}:{id(entry)}" if entry is not None else None
    return _Evidence(line=line, answers=[], skills=[], must=False, entry=entry, entry_key=key)


def _entry_described(cv: CV, quote: str) -> tuple[Work | Project | Volunteer | None, str]:
    """The role or project whose summary or description `quote` is, and the quote without
    the project's name before it ("driftwatch — Open-source library ..." is how the
    coverage check reads a project)."""
    entries: list[Work | Project | Volunteer] = [*cv.work, *cv.volunteer, *cv.projects]
    for entry in entries:
        about = plain((entry.description if isinstance(entry, Project) else entry.summary) or "")
        if not about:
            continue
        if about == quote:
            return entry, quote
        if isinstance(entry, Project) and quote.startswith(f"{entry.name} — {about}"):
            return entry, about
    return None, quote


def _groups(evidence: list[_Evidence]) -> list[list[_Evidence]]:
    """Up to three paragraphs of up to two lines, each paragraph one role or project, in the
    order of their best line."""
    groups: dict[str, list[_Evidence]] = {}
    for found in evidence:
        key = found.entry_key or f"line:{found.line.quote}"
        group = groups.setdefault(key, [])
        if len(group) < LINES_PER_PARAGRAPH:
            group.append(found)
    return list(groups.values())[:EVIDENCE_PARAGRAPHS]


def _paragraph(group: list[_Evidence]) -> Paragraph:
    asked = " ".join(answer for found in group for answer in found.answers)
    skills = list(
        dict.fromkeys(as_written(skill, asked) for found in group for skill in found.skills)
    )
    if skills:
        lead = f"You are looking for experience with {joined(skills[:4])}."
    else:
        lead = f"Your posting asks for this: \u201c{plain(group[0].answers[0]).rstrip('.')}\u201d."
    sentences = [lead]
    for number, found in enumerate(group):
        sentences.append(_sentence(found, first=number == 0))
    answers = list(dict.fromkeys(answer for found in group for answer in found.answers))
    return Paragraph(
        kind="evidence",
        text=" ".join(sentences),
        sources=[found.line for found in group],
        answers=answers,
    )


def as_written(skill: str, text: str) -> str:
    """A skill as `text` (the posting) writes it, inside a sentence: "AWS" where tailor's
    name for it is "Amazon Web Services", "published research" for "Published research"."""
    pattern = skill_pattern(skill)
    found = pattern.search(text) if pattern is not None else None
    if found is None:
        return skill
    # capitalised for opening the posting's sentence, where tailor's name is in lower case
    return lower_first(found.group(0)) if skill[:1].islower() else found.group(0)


def _sentence(found: _Evidence, *, first: bool) -> str:
    """The line joined after "I" when it opens with a verb in the past, else quoted as it is;
    the first line of a role says which role."""
    quote = plain(found.line.quote).strip()
    where = _where(found.entry) if first else None
    verb = quote.split(" ", 1)[0]
    if is_past_verb(verb):
        said = verb.lower() + quote[len(verb) :]
        said = said if said.endswith((".", "!", "?")) or _ends_with_link(said) else said + "."
        if where:
            return f"{where}, I {said}"
        return f"I {'also ' if not first else ''}{said}"
    # a quotation ends its sentence: with its own full stop, or with one after it
    quoted = f"\u201c{quote}\u201d" + ("" if quote.endswith((".", "!", "?")) else ".")
    if where:
        return f"{where}: {quoted}"
    if not first:
        return f"Also: {quoted}"
    if found.line.section == "publications":
        return f"One of my publications: {quoted}"
    return f"From my experience: {quoted}"


def _ends_with_link(text: str) -> bool:
    """Whether the line ends with a web address, which a full stop would change."""
    return bool(re.search(r"(?:https?://|www\.|\w\.\w+/)\S*$", text))


def _where(entry: Work | Project | Volunteer | None) -> str | None:
    """ "As Senior ML Engineer at Northwind", "In my project driftwatch", "At Northwind"."""
    if isinstance(entry, Project):
        return f"In my project {entry.name}" if entry.name else "In one of my projects"
    if isinstance(entry, Work):
        place, title = entry.name, entry.position
    elif isinstance(entry, Volunteer):
        place, title = entry.organization, entry.position
    else:
        return None
    if place and title:
        return f"As {title} at {place}"
    if place:
        return f"At {place}"
    return f"As {title}" if title else None


def is_past_verb(word: str) -> bool:
    """Whether a line's first word is a verb in the past ("Built", "Reduced")."""
    lowered = word.lower().strip(",;:")
    if not lowered.isalpha() and "-" not in lowered:
        return False
    if not word[:1].isupper() or (len(word) > 1 and word[1:].isupper()):
        return False  # "ed" in a lower-case or all-capital word is no verb of a CV line
    data = letter_data()
    if lowered in data["not_verbs"]:
        return False
    return lowered in data["past_tense"] or (len(lowered) > 3 and lowered.endswith("ed"))


def keep_to_length(
    paragraphs: list[Paragraph], *, fixed: str, leads: bool = False
) -> list[Paragraph]:
    """The letter within one page: the last evidence paragraphs' last sentences go first,
    each named in its paragraph's `left_out`; the opening and the closing stay. With `leads`
    (the draft's paragraphs open with what the posting asks), a paragraph left with its lead
    alone goes whole."""
    paragraphs = [p.model_copy(deep=True) for p in paragraphs]

    def words() -> int:
        return count_words(" ".join([fixed, *(p.text for p in paragraphs)]))

    for paragraph in reversed(paragraphs):
        if words() <= MAX_WORDS:
            break
        if paragraph.kind not in ("evidence", "gaps"):
            continue
        parts = split_sentences(paragraph.text)
        while words() > MAX_WORDS and parts:
            paragraph.left_out.append(LeftOut(sentence=parts.pop(), reason=OVER_LENGTH))
            if leads and paragraph.kind == "evidence" and len(parts) == 1:
                paragraph.left_out.append(LeftOut(sentence=parts.pop(), reason=OVER_LENGTH))
            paragraph.text = " ".join(parts)
        if not paragraph.text:
            paragraph.sources, paragraph.answers = [], []
    return paragraphs


# a sentence ends at ".", "!" or "?" (or one closed by a quotation mark) before a capital
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
