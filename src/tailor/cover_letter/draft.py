"""The offline letter: an honest draft of the user's own lines, for a posting's must-haves.

The coverage check has found, for each requirement, the CV line that shows it. The draft takes
those lines, the must-haves' first, groups them by the role or project they come from and
writes a fixed shape around them: an opening that names the role and the company as the
posting does, two or three paragraphs of evidence, optionally a line on what the CV does not
show yet, and a closing. A line is joined after "I" when it opens with a verb in the past
in the active ("Built ..." -> "I built ..."; not "Awarded ..." or "Funded by ..."); any other
line is quoted. Nothing else of the candidate is said.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from tailor.cover_letter.model import CvLine, Letter
from tailor.cover_letter.shape import Block, Part, closing, letter_of, opening, shows_it
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


@dataclass
class _Evidence:
    """A CV line that shows some of the posting's requirements, and where it stands."""

    line: CvLine
    answers: list[str]
    skills: list[str]
    must: bool
    entry: Work | Project | Volunteer | None = None
    entry_key: str | None = None


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
) -> Letter:
    """A draft letter for `posting` from `cv`'s own lines; `gaps` adds a line naming the
    must-haves the CV does not show yet."""
    covered = coverage(cv, posting)
    evidence = _evidence(cv, covered, profile)
    shown = [_block(group) for group in _groups(evidence)]
    blocks = [opening(posting, evidence=bool(shown)), *shown, closing()]
    return letter_of(
        blocks, cv=cv, posting=posting, profile=profile, covered=covered, gaps=gaps, draft=True
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

    def rank(found: _Evidence) -> tuple[int, ...]:
        valued = sum(1 for keyword in keywords if keyword in found.line.quote.lower())
        return (-int(found.must), -len(found.answers), -int(has_metric(found.line.quote)), -valued)

    return sorted(by_quote.values(), key=rank)


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


def _block(group: list[_Evidence]) -> Block:
    """One paragraph of evidence: what the posting asks for, then the lines that show it."""
    asked = " ".join(answer for found in group for answer in found.answers)
    skills = list(
        dict.fromkeys(as_written(skill, asked) for found in group for skill in found.skills)
    )
    if skills:
        lead = f"You are looking for experience with {joined(skills[:4])}."
    else:
        lead = f"Your posting asks for this: \u201c{plain(group[0].answers[0]).rstrip('.')}\u201d."
    parts = [Part(lead)]
    for number, found in enumerate(group):
        parts.append(Part(_sentence(found, first=number == 0), [found.line], found.answers))
    return Block("evidence", parts, lead=True)


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
    verb, _, rest = quote.partition(" ")
    if is_past_verb(verb) and not _passive(verb, rest):
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
    """ "As Senior ML Engineer at Northwind", "In the project driftwatch", "At Northwind"."""
    if isinstance(entry, Project):
        # "the project": it may be one the candidate contributed to, not theirs
        return f"In the project {entry.name}" if entry.name else "In one of my projects"
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


def _passive(verb: str, rest: str) -> bool:
    """Whether a line opens in the passive ("Awarded a prize", "Funded by a grant"): joined
    after "I", it would say the candidate did what was done to them."""
    return verb.lower() in letter_data()["passive"] or rest.lower().startswith("by ")


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
