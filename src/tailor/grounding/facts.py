"""What a source states, indexed for lookup, and whether it states each fact of a sentence:
its figures, dates, links, contacts, skills and names."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from tailor.cv.patterns import EMAIL, MONTH_DATE, PROSE_URL, bare_url
from tailor.grounding.figures import (
    Figure,
    aliases,
    date_parts,
    dates,
    figure_pattern,
    figures,
    grounding_data,
    is_year,
    without_dates_and_links,
)
from tailor.grounding.model import FactKind
from tailor.skills import SHORT_NAME, canonical, shows, synonyms, written_skills

_TERM = re.compile(r"[A-Za-z][\w+#]*(?:[-./][\w+#]+)*")

# where a sentence starts: after its end (a full stop closing a quotation too: '.”'), a
# colon, a bullet, an opening bracket or quote, a dash, a line break
_SENTENCE_START = re.compile(r"(?:^|[.!?][”’]?|[:;•(\[\"“]|\s[-–—]|\n)\s*$")


@dataclass
class Facts:
    """What a source CV states, indexed for lookup."""

    text: str  # normalised: case-folded, one space, plain dashes and quotes
    raw: str  # as written, for names matched in their case ("Go", "R")
    figures: set[tuple[Decimal, str | None]] = field(default_factory=set)
    values: set[Decimal] = field(default_factory=set)
    dates: set[str] = field(default_factory=set)  # "2022-03" and "2022"
    words: set[str] = field(default_factory=set)


def facts_of(strings: list[str]) -> Facts:
    whole = "\n".join(strings)
    facts = Facts(text=normalise(whole), raw=whole)
    for figure in figures(whole):
        facts.figures.add((figure.value, figure.unit))
        facts.values.add(figure.value)
    facts.dates = dates(whole)
    for term in _TERM.findall(whole):
        facts.words.add(term.casefold())
        facts.words.update(part.casefold() for part in re.split(r"[-./]", term) if part)
    return facts


def unsupported_in_prose(text: str, facts: Facts) -> Iterator[tuple[FactKind, str]]:
    """The facts of a sentence (summary, bullet, description) the source does not state."""
    for url in PROSE_URL.findall(text):
        if not link_supported(url, facts):
            yield "link", url.rstrip(".")
    for email in EMAIL.findall(text):
        if normalise(email) not in facts.text:
            yield "contact", email
    for match in MONTH_DATE.finditer(text):
        year, month = date_parts(match)
        if f"{year}-{month:02d}" not in facts.dates:
            yield "date", match.group(0)
    for figure in figures(text):
        if is_year(figure):
            if str(figure.value) not in facts.dates:
                yield "date", figure.written
        elif not _figure_supported(figure, facts):
            yield "number", figure.written
    unsupported_skills = set()
    for skill, written in written_skills(text).items():
        if not shows(facts.raw, skill):
            unsupported_skills.add(skill)
            yield "skill", written
    for term in _terms(figure_pattern().sub(" ", without_dates_and_links(text))):
        if canonical(term) not in unsupported_skills and not _term_supported(term, facts):
            yield "name", term


def _figure_supported(figure: Figure, facts: Facts) -> bool:
    if figure.unit is None:
        return figure.value in facts.values
    if (figure.value, figure.unit) in facts.figures:
        return True
    if figure.unit in grounding_data()["loose_units"] and (figure.value, None) in facts.figures:
        return True
    kinds = grounding_data()["kind_of"]
    return any(
        value == figure.value and unit is not None and kinds.get(unit) == figure.unit
        for value, unit in facts.figures
    )


def date_supported(text: str, facts: Facts) -> bool:
    stated = dates(text)
    month_dates = {d for d in stated if "-" in d}
    if month_dates:
        return month_dates <= facts.dates
    if stated:
        return stated <= facts.dates
    return phrase_supported(text, facts)


def link_supported(url: str, facts: Facts) -> bool:
    # both sides normalised alike: `normalise` drops the underscores of "Silicon_Valley_(TV)"
    return normalise(bare_url(url)) in facts.text


def skill_supported(skill: str, facts: Facts) -> bool:
    """A skill the source names, or one of its synonyms (short names in their case: "Go")."""
    return shows(facts.raw, skill) or phrase_supported(skill, facts)


def phrase_supported(text: str, facts: Facts) -> bool:
    """Whether the source states the phrase as whole words ("MS" is not in "35 ms")."""
    phrase = normalise(text).strip(" .,;:")
    if not phrase:
        return True
    if len(phrase) <= SHORT_NAME:  # "MS", "BA": in their case, or "35 ms" would do
        written = re.escape(text.strip(" .,;:"))
        return re.search(rf"(?<!\w){written}(?!\w)", facts.raw) is not None
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", facts.text) is not None


def _term_supported(term: str, facts: Facts) -> bool:
    if term.casefold() in facts.words:
        return True
    names = synonyms().get(term.lower(), ())
    if any(normalise(name) in facts.text for name in names):
        return True
    parts = [p for p in re.split(r"[-./]", term) if p]
    return len(parts) > 1 and all(
        part.casefold() in facts.words or not _is_term(part, sentence_start=True) for part in parts
    )


def _terms(text: str) -> Iterator[str]:
    """Names in a sentence: capitalised words not opening a sentence, acronyms, and words
    that mix letters and digits ("PyTorch", "FSDP", "A100", "p99")."""
    for match in _TERM.finditer(text):
        term = match.group(0).rstrip(".")
        starts_sentence = bool(_SENTENCE_START.search(text[: match.start()]))
        if _is_term(term, sentence_start=starts_sentence):
            yield term


def _is_term(word: str, *, sentence_start: bool) -> bool:
    if len(word) < 2 and not word.isupper():
        return False
    if word.lower() in aliases("units") or word.lower() in aliases("currencies"):
        return False  # "USD", "GB", "QPS": part of a figure, checked with it
    if any(c.isdigit() for c in word) and any(c.isalpha() for c in word):
        return True
    if any(c.isupper() for c in word[1:]):
        return True
    return word[0].isupper() and not sentence_start and word != "I"


def normalise(text: str) -> str:
    """Text for comparison: case-folded, markup and link brackets dropped, one kind of dash and
    quote, single spaces."""
    text = re.sub(r"[*_`]", "", text)
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    text = re.sub(r"[\u2018\u2019\u201b`]", "'", text)
    text = re.sub(r"[\u201c\u201d]", '"', text)
    return re.sub(r"\s+", " ", text).casefold()
