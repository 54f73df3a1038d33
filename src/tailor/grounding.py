"""The fact check every rewrite passes: nothing in the output that its source does not support.

`check(tailored, source)` lists each fact of the tailored CV that the source CV does not state:
a figure and its unit (40M, 37%, 180 ms, 64 A100), a date, an employer or other organisation,
a job title, a degree, a publication, a link, a contact detail, a skill (listed, or named in a
sentence: any skill of `data/synonyms.yaml`, whatever its case), or a name (a capitalised or
alphanumeric term such as "Kubernetes" or "p99" in the middle of a sentence).

A fact written differently is the same fact: "40M" and "40 million", "37%" and "37 percent",
"six years" and "6 years", "Mar 2022" and "2022-03", "Kubernetes" and "k8s". A changed figure,
unit or date is not. The check is a pure function of the two CVs; the rules of equivalence
(multipliers, units, number words) are data in `data/grounding.yaml`.

Facts are checked where they belong: a role, project or degree of the output must be one of
the source's (the same employer and title together), its dates must be that entry's dates,
and the figures and names of its bullets must be stated in that entry of the source, so a
figure cannot move from one role to another. Text outside entries is checked against the
whole source.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from tailor.cv.model import CV
from tailor.cv.patterns import EMAIL, MONTHS, WEB_URL, bare_url
from tailor.resources import load_yaml, package_data
from tailor.skills import SHORT_NAME, canonical, shows, synonyms, written_skills

FactKind = Literal[
    "number",
    "date",
    "employer",
    "organisation",
    "title",
    "degree",
    "publication",
    "link",
    "contact",
    "skill",
    "name",
]


class Violation(BaseModel):
    """A fact in the tailored CV that the source CV does not support."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: FactKind
    value: str  # the fact as the tailored CV writes it
    path: str  # where in the tailored CV, in JSON Resume terms: "work[0].highlights[2]"
    text: str  # the whole field it stands in


# JSON Resume fields that hold one named fact, checked whole against the source
_FIELD_KINDS: dict[str, FactKind] = {
    "basics.name": "contact",
    "basics.email": "contact",
    "basics.phone": "contact",
    "basics.location.address": "contact",
    "basics.location.city": "contact",
    "basics.location.region": "contact",
    "basics.location.postalCode": "contact",
    "basics.location.countryCode": "contact",
    "basics.profiles.username": "contact",
    "basics.label": "title",
    "work.name": "employer",
    "work.position": "title",
    "work.location": "contact",
    "volunteer.organization": "employer",
    "volunteer.position": "title",
    "education.institution": "organisation",
    "education.studyType": "degree",
    "education.area": "degree",
    "education.score": "degree",
    "education.courses": "degree",
    "awards.title": "name",
    "awards.awarder": "organisation",
    "certificates.name": "name",
    "certificates.issuer": "organisation",
    "publications.name": "publication",
    "publications.publisher": "organisation",
    "projects.name": "name",
    "projects.entity": "organisation",
    "projects.roles": "title",
    "languages.language": "name",
    "languages.fluency": "name",
    "interests.name": "name",
    "interests.keywords": "name",
    "references.name": "name",
    "skills.keywords": "skill",
}
_DATE_FIELDS = {"startDate", "endDate", "date", "releaseDate"}
_LINK_FIELDS = {"url", "image"}
_SKIPPED = {"skills.name", "skills.level", "$schema", "meta"}  # labels, not facts

_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE = re.compile(
    rf"\b(?P<month>{_MONTH_NAMES})\.?,?\s+(?P<year>(?:19|20)\d{{2}})\b"
    r"|\b(?P<iso_year>(?:19|20)\d{2})-(?P<iso_month>0[1-9]|1[0-2])(?:-\d{2})?\b"
    r"|\b(?P<num_month>0?[1-9]|1[0-2])[/.](?P<num_year>(?:19|20)\d{2})\b",
    re.IGNORECASE,
)
_URL = re.compile(
    rf"{WEB_URL}"
    r"|(?<![\w-])(?<![\w-]\.)(?:[a-z0-9-]++\.)+(?:com|org|net|io|ai|dev|app|co|edu|me|uk|de|fr|eu|info|page)"
    r"(?:/[^\s)\]>,;|\"']*)?",
    re.IGNORECASE,
)
# a phone number in prose: international ("+44 20 7946 0000") or with an area code in brackets;
# looser patterns would swallow year ranges and figures
_PHONE = re.compile(r"\+\d[\d\s().-]{7,}\d|\(\d{2,4}\)\s?\d[\d\s.-]{5,}\d")
_RANGE_JOIN = re.compile(r"(?<!\s)\s*+(?:to|-|–|—|and|or)\s*", re.IGNORECASE)
_TERM = re.compile(r"[A-Za-z][\w+#]*(?:[-./][\w+#]+)*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;•(\[\"“]|\s[-–—]|\n)\s*$")


@dataclass(frozen=True)
class Figure:
    """A number with its unit: value in canonical form, unit canonical or None."""

    value: Decimal
    unit: str | None
    written: str


@dataclass
class _Facts:
    """What a source CV states, indexed for lookup."""

    text: str  # normalised: case-folded, one space, plain dashes and quotes
    raw: str  # as written, for names matched in their case ("Go", "R")
    figures: set[tuple[Decimal, str | None]] = field(default_factory=set)
    values: set[Decimal] = field(default_factory=set)
    dates: set[str] = field(default_factory=set)  # "2022-03" and "2022"
    words: set[str] = field(default_factory=set)


def check(tailored: CV, source: CV) -> list[Violation]:
    """Every fact in `tailored` that `source` does not support, in document order."""
    strings = [text for _, _, text in _fields(source.to_json_resume())]
    if source.origin is not None and source.origin.text:
        strings.append(source.origin.text)
    whole = _facts_of(strings)
    document = tailored.to_json_resume()
    matches = _match_entries(document, source.to_json_resume())
    violations: list[Violation] = []
    scoped: dict[tuple[str, int], _Facts] = {}
    for path, key, text in _fields(document):
        facts = whole
        scope = _entry_of(path)
        entry = matches.get(scope) if scope is not None else None
        if entry is not None and entry.source is not None:
            if entry.scope not in scoped:
                scoped[entry.scope] = _facts_of([t for _, _, t in _fields(entry.source)])
            facts = scoped[entry.scope]
        violations.extend(_check_field(path, key, text, facts))
    # an entry none of whose fields is wrong alone, but whose pairing is (a real title at a
    # real employer where you never held it)
    flagged = {v.path for v in violations}
    for entry in matches.values():
        violation = _unmatched(entry)
        if violation and not any(p.startswith(violation.path + ".") for p in flagged):
            violations.append(violation)
    return _in_document_order(violations, [path for path, _, _ in _fields(document)])


def unsupported_in(text: str, sources: list[str]) -> list[tuple[FactKind, str]]:
    """The facts of a sentence that `sources` (lines of a CV) do not state: figures, dates,
    links, contacts, skills and names, as `check` finds them in a rewritten bullet."""
    return list(_unsupported_in_prose(text, _facts_of(sources)))


# -- reading facts --------------------------------------------------------------------------


def figures(text: str) -> list[Figure]:
    """The figures in a text, dates and links excluded: "cut p95 from 180 ms to 42 ms" gives
    180 ms and 42 ms ("p95" is a name, checked as one)."""
    text = _without_dates_and_links(_words_to_digits(text))
    found: list[Figure] = []
    previous: re.Match[str] | None = None
    for match in _figure_pattern().finditer(text):
        figure = _figure(match)
        if figure is None:
            continue
        # "from 180 to 42 ms", "3-5 years": the first figure of a range takes the second's unit
        if (
            previous is not None
            and found
            and found[-1].unit is None
            and figure.unit is not None
            and _RANGE_JOIN.fullmatch(text[previous.end() : match.start()])
        ):
            found[-1] = Figure(found[-1].value, figure.unit, found[-1].written)
        found.append(figure)
        previous = match
    return found


def dates(text: str) -> set[str]:
    """The month-dates ("2022-03") and years ("2022") a text states."""
    found: set[str] = set()
    for match in _DATE.finditer(text):
        year, month = _date_parts(match)
        found.update({f"{year}-{month:02d}", year})
    found.update(re.findall(r"(?<!\d)(?<!\d[.,])(?:19|20)\d{2}(?!\d|[.,]\d)", text))
    return found


def _facts_of(strings: list[str]) -> _Facts:
    whole = "\n".join(strings)
    facts = _Facts(text=normalise(whole), raw=whole)
    for figure in figures(whole):
        facts.figures.add((figure.value, figure.unit))
        facts.values.add(figure.value)
    facts.dates = dates(whole)
    for term in _TERM.findall(whole):
        facts.words.add(term.casefold())
        facts.words.update(part.casefold() for part in re.split(r"[-./]", term) if part)
    return facts


def _fields(value: Any, path: str = "", key: str = "") -> Iterator[tuple[str, str, str]]:
    """Each string of a JSON Resume document: its path, its field key ("work.name"), the text."""
    if isinstance(value, str):
        yield path, key, value
    elif isinstance(value, dict):
        for name, item in value.items():
            child_key = f"{key.split('[')[0]}.{name}" if key else name
            yield from _fields(item, f"{path}.{name}" if path else name, child_key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _fields(item, f"{path}[{index}]", key)


# -- entries: a role, project or degree must be one of the source's ---------------------------

# the fields that together say which entry of the source an output entry is
_IDENTITY: dict[str, tuple[tuple[str, ...], FactKind]] = {
    "work": (("name", "position"), "employer"),
    "volunteer": (("organization", "position"), "employer"),
    "education": (("institution", "studyType", "area"), "degree"),
    "projects": (("name",), "name"),
}
_ENTRY_PATH = re.compile(r"^(work|volunteer|education|projects)\[(\d+)\]")


@dataclass(frozen=True)
class _Entry:
    """An entry of the output and the source entry it is (None: none of the source's)."""

    scope: tuple[str, int]
    identity: str  # normalised, to compare
    written: str  # as the output writes it, to report
    source: dict[str, Any] | None


def _match_entries(
    document: dict[str, Any], source: dict[str, Any]
) -> dict[tuple[str, int], _Entry]:
    matches: dict[tuple[str, int], _Entry] = {}
    for kind, (fields, _) in _IDENTITY.items():
        candidates = {_identity(entry, fields): entry for entry in reversed(source.get(kind, []))}
        for index, entry in enumerate(document.get(kind, [])):
            identity = _identity(entry, fields)
            if not identity.strip(" |"):  # a nameless project: nothing to match it by
                continue
            written = " — ".join(str(entry[name]) for name in fields if entry.get(name))
            matches[(kind, index)] = _Entry(
                (kind, index), identity, written, candidates.get(identity)
            )
    return matches


def _identity(entry: dict[str, Any], fields: tuple[str, ...]) -> str:
    return " | ".join(normalise(str(entry.get(name) or "")).strip(" .") for name in fields)


def _entry_of(path: str) -> tuple[str, int] | None:
    match = _ENTRY_PATH.match(path)
    return (match.group(1), int(match.group(2))) if match else None


def _unmatched(entry: _Entry) -> Violation | None:
    """A violation when the output entry is none of the source's (a title moved to another
    employer, a degree from another school)."""
    if entry.source is not None:
        return None
    kind, index = entry.scope
    fact = _IDENTITY[kind][1]
    return Violation(kind=fact, value=entry.written, path=f"{kind}[{index}]", text=entry.written)


def _in_document_order(violations: list[Violation], paths: list[str]) -> list[Violation]:
    """Violations without repeats, in the order of the fields they are about (an entry's own
    violation where the entry starts)."""

    def position(violation: Violation) -> int:
        inside = (violation.path, violation.path + ".", violation.path + "[")
        return next((i for i, path in enumerate(paths) if path.startswith(inside)), len(paths))

    return sorted(dict.fromkeys(violations), key=position)


# -- checking a field -----------------------------------------------------------------------


def _check_field(path: str, key: str, text: str, facts: _Facts) -> list[Violation]:
    field_key = _generic(key)
    name = field_key.rsplit(".", 1)[-1]
    if field_key in _SKIPPED or field_key.split(".", 1)[0] in _SKIPPED:
        return []

    def violation(kind: FactKind, value: str) -> Violation:
        return Violation(kind=kind, value=value, path=path, text=text)

    if name in _DATE_FIELDS:
        return [] if _date_supported(text, facts) else [violation("date", text)]
    if name in _LINK_FIELDS or field_key == "basics.profiles.url":
        return [] if _link_supported(text, facts) else [violation("link", text)]
    if field_key == "skills.keywords":
        return [] if _skill_supported(text, facts) else [violation("skill", text)]
    if field_key in _FIELD_KINDS:
        supported = _phrase_supported(text, facts)
        return [] if supported else [violation(_FIELD_KINDS[field_key], text)]
    return [violation(kind, value) for kind, value in _unsupported_in_prose(text, facts)]


def _generic(key: str) -> str:
    """ "work.highlights" from the key of any work entry's highlight."""
    return re.sub(r"\[\d+\]", "", key)


def _unsupported_in_prose(text: str, facts: _Facts) -> Iterator[tuple[FactKind, str]]:
    """The facts of a sentence (summary, bullet, description) the source does not state."""
    for url in _URL.findall(text):
        if not _link_supported(url, facts):
            yield "link", url.rstrip(".")
    for email in EMAIL.findall(text):
        if normalise(email) not in facts.text:
            yield "contact", email
    for match in _DATE.finditer(text):
        year, month = _date_parts(match)
        if f"{year}-{month:02d}" not in facts.dates:
            yield "date", match.group(0)
    for figure in figures(text):
        if _is_year(figure):
            if str(figure.value) not in facts.dates:
                yield "date", figure.written
        elif not _figure_supported(figure, facts):
            yield "number", figure.written
    unsupported_skills = set()
    for skill, written in written_skills(text).items():
        if not shows(facts.raw, skill):
            unsupported_skills.add(skill)
            yield "skill", written
    for term in _terms(_figure_pattern().sub(" ", _without_dates_and_links(text))):
        if canonical(term) not in unsupported_skills and not _term_supported(term, facts):
            yield "name", term


def _figure_supported(figure: Figure, facts: _Facts) -> bool:
    if figure.unit is None:
        return figure.value in facts.values
    if (figure.value, figure.unit) in facts.figures:
        return True
    if figure.unit in _data()["loose_units"] and (figure.value, None) in facts.figures:
        return True
    kinds = _data()["kind_of"]
    return any(
        value == figure.value and unit is not None and kinds.get(unit) == figure.unit
        for value, unit in facts.figures
    )


def _date_supported(text: str, facts: _Facts) -> bool:
    stated = dates(text)
    month_dates = {d for d in stated if "-" in d}
    if month_dates:
        return month_dates <= facts.dates
    if stated:
        return stated <= facts.dates
    return _phrase_supported(text, facts)


def _link_supported(url: str, facts: _Facts) -> bool:
    # both sides normalised alike: `normalise` drops the underscores of "Silicon_Valley_(TV)"
    return normalise(bare_url(url)) in facts.text


def _skill_supported(skill: str, facts: _Facts) -> bool:
    """A skill the source names, or one of its synonyms (short names in their case: "Go")."""
    return shows(facts.raw, skill) or _phrase_supported(skill, facts)


def _phrase_supported(text: str, facts: _Facts) -> bool:
    """Whether the source states the phrase as whole words ("MS" is not in "35 ms")."""
    phrase = normalise(text).strip(" .,;:")
    if not phrase:
        return True
    if len(phrase) <= SHORT_NAME:  # "MS", "BA": in their case, or "35 ms" would do
        written = re.escape(text.strip(" .,;:"))
        return re.search(rf"(?<!\w){written}(?!\w)", facts.raw) is not None
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", facts.text) is not None


def _term_supported(term: str, facts: _Facts) -> bool:
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
    if word.lower() in _aliases("units") or word.lower() in _aliases("currencies"):
        return False  # "USD", "GB", "QPS": part of a figure, checked with it
    if any(c.isdigit() for c in word) and any(c.isalpha() for c in word):
        return True
    if any(c.isupper() for c in word[1:]):
        return True
    return word[0].isupper() and not sentence_start and word != "I"


# -- figures --------------------------------------------------------------------------------


@cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml(package_data("grounding.yaml").read_text(encoding="utf-8"))
    return data


@cache
def _aliases(table: str) -> dict[str, str]:
    """Each written form of a unit or currency, lower-cased, mapped to its canonical name."""
    return {
        str(alias).lower(): str(canonical)
        for canonical, written in _data()[table].items()
        for alias in written
    }


@cache
def _multipliers() -> dict[str, Decimal]:
    return {
        str(alias): Decimal(str(factor))
        for factor, written in _data()["multipliers"].items()
        for alias in written
    }


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _figure_pattern() -> re.Pattern[str]:
    currencies = _alternatives(list(_aliases("currencies")))
    multipliers = _alternatives(list(_multipliers()))
    units = _alternatives(list(_aliases("units")))
    return re.compile(
        rf"(?<![\w.,/#])(?:(?P<currency>{currencies})\s?)?"
        r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?![\d,]*\.\d)"
        rf"(?:[\s-]?(?P<multiplier>{multipliers})(?![A-Za-z]))?"
        rf"(?:[\s-]?(?P<unit>{units})(?![A-Za-z0-9]))?"
        rf"(?:\s?(?P<currency_after>{currencies})(?![A-Za-z]))?",
        re.IGNORECASE,
    )


def _figure(match: re.Match[str]) -> Figure | None:
    try:
        value = Decimal(match.group("number").replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern only matches numbers
        return None
    multiplier = match.group("multiplier")
    if multiplier:
        factor = _multipliers().get(multiplier) or _multipliers().get(multiplier.lower())
        value *= factor or Decimal(1)
    currency = match.group("currency") or match.group("currency_after")
    unit_written = match.group("unit")
    unit = _aliases("currencies")[currency.lower()] if currency else None
    if unit_written:
        unit = _aliases("units")[unit_written.lower()]
    return Figure(_canonical(value), unit, match.group(0).strip())


def _canonical(value: Decimal) -> Decimal:
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral() else normal


def _is_year(figure: Figure) -> bool:
    """Whether a figure is a year: four digits as written ("2K" is 2000 downloads, not 2000)."""
    return figure.unit is None and figure.written.isdigit() and 1950 <= figure.value <= 2099


@cache
def _number_words() -> re.Pattern[str]:
    words = _alternatives([str(w) for w in _data()["number_words"]])
    return re.compile(rf"\b({words})\b", re.IGNORECASE)


def _words_to_digits(text: str) -> str:
    table = {str(k).lower(): v for k, v in _data()["number_words"].items()}
    return _number_words().sub(lambda m: str(table[m.group(1).lower()]), text)


def _without_dates_and_links(text: str) -> str:
    for pattern in (_URL, EMAIL, _DATE, _PHONE):
        text = pattern.sub(" ", text)
    return text


def _date_parts(match: re.Match[str]) -> tuple[str, int]:
    if match.group("month"):
        return match.group("year"), MONTHS[match.group("month").lower()]
    if match.group("iso_year"):
        return match.group("iso_year"), int(match.group("iso_month"))
    return match.group("num_year"), int(match.group("num_month"))


# -- text normalisation ---------------------------------------------------------------------


def normalise(text: str) -> str:
    """Text for comparison: case-folded, markup and link brackets dropped, one kind of dash and
    quote, single spaces."""
    text = re.sub(r"[*_`]", "", text)
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    text = re.sub(r"[\u2018\u2019\u201b`]", "'", text)
    text = re.sub(r"[\u201c\u201d]", '"', text)
    return re.sub(r"\s+", " ", text).casefold()
