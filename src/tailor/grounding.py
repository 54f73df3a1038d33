"""The fact and claim check every rewrite passes: nothing in the output that its source does not
support.

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

Claims are checked too: what a line says of the candidate's part beyond its facts. A rewrite may
not climb the ownership ladder above its source line ("Contributed to" -> "Led"), nor add a
scope or seniority word the source does not have ("single-handedly", "across the whole
company", "senior"); it may always lower a claim. A bullet is judged against its own source
line (bullets keep their source through a rewrite), other text against its entry or the whole
source. The words are data in `data/claims.yaml`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from tailor.cv.model import CV
from tailor.cv.patterns import (
    EMAIL,
    MONTH_DATE,
    MONTHS,
    PHONE_IN_PROSE,
    PROSE_URL,
    STANDALONE_YEAR,
    bare_url,
)
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
    "claim",
]
ClaimKind = Literal["ownership", "scope", "seniority"]


class Violation(BaseModel):
    """A fact or claim in the tailored CV that the source CV does not support."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: FactKind
    value: str  # the fact or claim as the tailored CV writes it ("Led", "single-handedly")
    path: str  # where in the tailored CV, in JSON Resume terms: "work[0].highlights[2]"
    text: str  # the whole field it stands in
    # for a claim of ownership, what the source says instead, as it writes it ("contributed
    # to"); None when its lines name no part (read as "built") and for other violations
    source_value: str | None = None


@dataclass(frozen=True)
class Claim:
    """A claim of a rewritten line that its source does not make."""

    kind: ClaimKind
    written: str  # as the rewritten line writes it: "Led", "single-handedly", "Senior"
    # for ownership, the highest ladder word of the source as it writes it ("Contributed to");
    # None when the source names no part (read as "built"), and for scope and seniority
    source: str | None = None


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
    """Every fact and claim in `tailored` that `source` does not support, in document order."""
    strings = [text for _, _, text in _fields(source.to_json_resume())]
    read = strings
    if source.origin is not None and source.origin.text:
        file = source.origin.text
        # the file's text holds most fields as they are: their claims are read there, once
        read = [file, *(text for text in strings if text not in file)]
        strings = [*strings, file]
    whole = _facts_of(strings), _Lines(strings, read=read)
    document = tailored.to_json_resume()
    matches = _match_entries(document, source.to_json_resume())
    violations: list[Violation] = []
    scoped: dict[tuple[str, int], tuple[_Facts, _Lines]] = {}
    for path, key, text in _fields(document):
        facts, lines = whole
        scope = _entry_of(path)
        entry = matches.get(scope) if scope is not None else None
        if entry is not None and entry.source is not None:
            if entry.scope not in scoped:
                own = [t for _, _, t in _fields(entry.source)]
                scoped[entry.scope] = _facts_of(own), _Lines(own)
            facts, lines = scoped[entry.scope]
            lines = _bullet_lines(tailored, source, path, entry, lines)
        violations.extend(_check_field(path, key, text, facts, lines))
    # an entry none of whose fields is wrong alone, but whose pairing is (a real title at a
    # real employer where you never held it)
    flagged = {v.path for v in violations}
    for entry in matches.values():
        violation = _unmatched(entry)
        if violation and not any(p.startswith(violation.path + ".") for p in flagged):
            violations.append(violation)
    return _in_document_order(violations, [path for path, _, _ in _fields(document)])


def unsupported_in(text: str, sources: list[str]) -> list[tuple[FactKind, str]]:
    """The facts and claims of a sentence that `sources` (lines of a CV) do not state: figures,
    dates, links, contacts, skills and names, as `check` finds them in a rewritten bullet, then
    claims beyond all the sources together (`unsupported_claims`)."""
    found = list(_unsupported_in_prose(text, _facts_of(sources)))
    return found + [("claim", claim.written) for claim in unsupported_claims(text, sources)]


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
    for match in MONTH_DATE.finditer(text):
        year, month = _date_parts(match)
        found.update({f"{year}-{month:02d}", year})
    found.update(STANDALONE_YEAR.findall(text))
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
    source_index: int | None = None  # where `source` stands in its section of the source CV


def _match_entries(
    document: dict[str, Any], source: dict[str, Any]
) -> dict[tuple[str, int], _Entry]:
    matches: dict[tuple[str, int], _Entry] = {}
    for kind, (fields, _) in _IDENTITY.items():
        own = list(enumerate(source.get(kind, [])))
        candidates = {_identity(entry, fields): (i, entry) for i, entry in reversed(own)}
        for index, entry in enumerate(document.get(kind, [])):
            identity = _identity(entry, fields)
            if not identity.strip(" |"):  # a nameless project: nothing to match it by
                continue
            written = " — ".join(str(entry[name]) for name in fields if entry.get(name))
            source_index, match = candidates.get(identity, (None, None))
            matches[(kind, index)] = _Entry((kind, index), identity, written, match, source_index)
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


def _check_field(path: str, key: str, text: str, facts: _Facts, lines: _Lines) -> list[Violation]:
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
    found = [violation(kind, value) for kind, value in _unsupported_in_prose(text, facts)]
    if text in lines.texts:  # a line as the source writes it claims what it claims
        return found
    for claim in _claims_beyond(text, lines.claims()):
        found.append(
            Violation(
                kind="claim", value=claim.written, path=path, text=text, source_value=claim.source
            )
        )
    return found


def _generic(key: str) -> str:
    """ "work.highlights" from the key of any work entry's highlight."""
    return re.sub(r"\[\d+\]", "", key)


def _unsupported_in_prose(text: str, facts: _Facts) -> Iterator[tuple[FactKind, str]]:
    """The facts of a sentence (summary, bullet, description) the source does not state."""
    for url in PROSE_URL.findall(text):
        if not _link_supported(url, facts):
            yield "link", url.rstrip(".")
    for email in EMAIL.findall(text):
        if normalise(email) not in facts.text:
            yield "contact", email
    for match in MONTH_DATE.finditer(text):
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


# -- claims: what a line says of the candidate's part ------------------------------------------


def unsupported_claims(text: str, sources: list[str]) -> list[Claim]:
    """The claims of `text` that `sources` (the lines it was written from) do not make, in the
    order written: a rung of the ownership ladder above the highest any source line shows, and
    a scope or seniority word none of them has."""
    return _claims_beyond(text, _claims_of(tuple(sources)))


@dataclass(frozen=True)
class _Claims:
    """What source lines claim, to judge a rewrite of them by."""

    rung: int  # the highest rung of the ladder they show
    said: str | None  # the word that shows it, as written; None when a line with no ladder word
    scope: frozenset[str]  # the scope groups they name ("alone", "company-wide")
    seniority: frozenset[str]  # the seniority groups they name ("senior", "lead")


@dataclass(frozen=True)
class _Reading:
    """A ladder word read as a claim: its rung and where it stands; `governed` when a word of
    the first rung takes it ("helped lead"): a verb, claiming nothing of its own."""

    rung: int
    start: int
    end: int
    governed: bool = False


# a sentence starts at the start of a text, after a full stop, a semicolon or a bullet, maybe
# with a subject or an adverb ("Helped...", "...; actively contributed", "I support...")
_STARTS = re.compile(
    r"(?:^|[\n.!?;:•*\"“\u2013\u2014-]|(?<![\w-])(?:i|we))\s*(?:[a-z]+ly\s+)?$", re.IGNORECASE
)
# a clause opens where a sentence starts, or after a comma, a bracket, a conjunction or "to"
# ("..., driving adoption", "and then led", "while leading", "to lead")
_OPENS = re.compile(
    r"(?:^|[\n.!?;:,•(\[*\"'“‘/|\u2013\u2014-]"
    r"|(?<![\w-])(?:and|or|then|also|while|by|when|after|before|to|i|we))"
    r"\s*(?:[a-z]+ly\s+)?$",
    re.IGNORECASE,
)
# what may stand between a word of the first rung and the verb it governs ("helped to build")
_GOVERNED = re.compile(r"[^\S\n]+(?:(?:to|in|on|with)[^\S\n]+)?", re.IGNORECASE)
# "a project led by Dr Ng" (a run of spaces read from its start, so a long one stays linear)
_PASSIVE = re.compile(r"(?<![^\S\n])[^\S\n]++by(?!\w)", re.IGNORECASE)
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))
_OPENING_WINDOW = 40  # characters before a word to look for the opening of its clause


@lru_cache(maxsize=256)
def _claims_of(sources: tuple[str, ...]) -> _Claims:
    """What `sources` claim: the highest rung any of their lines shows, a line with no ladder
    word (or no line at all) standing on "built". Kept for the next check: a rewrite checks
    its source's lines again after each answer of the model."""
    text = "\n".join(sources)
    plain = _plain(text)
    readings = [reading for reading in _readings(plain) if not reading.governed]
    top = max(readings, key=lambda r: r.rung, default=None)
    if top is None or (top.rung < _built() and _a_line_without(plain, readings)):
        rung, said = _built(), None
    else:
        rung, said = top.rung, text[top.start : top.end]
    return _Claims(rung, said, *_groups_in(plain))


def _a_line_without(text: str, readings: list[_Reading]) -> bool:
    """Whether a line of `text` with words on it has none of `readings`."""
    starts = [reading.start for reading in readings]
    offset = 0
    for line in text.split("\n"):
        end = offset + len(line)
        if line.strip() and bisect.bisect_left(starts, offset) == bisect.bisect_left(starts, end):
            return True
        offset = end + 1
    return False


def _claims_beyond(text: str, claims: _Claims) -> list[Claim]:
    """The claims of `text` above `claims`; a word is refused once, as its ladder rung first."""
    found: list[tuple[int, Claim]] = []
    verbs: set[int] = set()  # where governed verbs and ladder words refused start
    plain = _plain(text)
    for reading in _readings(plain):
        if reading.governed:
            verbs.add(reading.start)  # "helped lead": no title either
        elif reading.rung > claims.rung:
            written = text[reading.start : reading.end]
            found.append((reading.start, Claim("ownership", written, claims.said)))
            verbs.update(range(reading.start, reading.end))
    # a compound holds its words ("first-author" claims "first"), though not for the ladder
    for match in _word_pattern("claim").finditer(plain.replace("-", " ")):
        written = text[match.start() : match.end()]
        if written in _claims_data()["acronyms"] or match.start() in verbs:
            continue
        kind, group = _word_groups("claim")[_form(written)]
        named = claims.scope if kind == "scope" else claims.seniority
        if group not in named:
            found.append((match.start(), Claim(kind, written)))
    return [claim for _, claim in sorted(found, key=lambda item: item[0])]


@dataclass
class _Lines:
    """Source lines a field is judged against; what they claim is read when first needed (most
    fields of a rewrite are the source's own lines, which need no reading)."""

    texts: list[str]
    entry: _Lines | None = None  # for a bullet, its entry: a title's seniority supports it
    read: list[str] | None = None  # the texts to read claims in, if fewer than `texts` hold all
    _claims: _Claims | None = field(default=None, repr=False)

    def claims(self) -> _Claims:
        if self._claims is None:
            self._claims = _claims_of(tuple(self.texts if self.read is None else self.read))
            if self.entry is not None:
                seniority = self._claims.seniority | self.entry.claims().seniority
                self._claims = replace(self._claims, seniority=seniority)
        return self._claims


def _bullet_lines(tailored: CV, source: CV, path: str, entry: _Entry, lines: _Lines) -> _Lines:
    """A bullet's own source line, with its entry for seniority (a "Senior" title supports "as
    the senior engineer"); the entry's `lines` where the bullet names no line of it."""
    own = _source_lines(tailored, source, path, entry)
    return _Lines(own, entry=lines) if own else lines


_BULLET_PATH = re.compile(r"^(work|volunteer|projects)\[(\d+)\]\.highlights\[(\d+)\]$")


def _source_lines(tailored: CV, source: CV, path: str, entry: _Entry) -> list[str]:
    """The bullets of the matched source entry on the line a tailored bullet came from."""
    match = _BULLET_PATH.match(path)
    if match is None or entry.source_index is None:
        return []
    kind, index, position = match.group(1), int(match.group(2)), int(match.group(3))
    bullets = getattr(tailored, kind)[index].highlights
    origin = bullets[position].source if position < len(bullets) else None
    if origin is None or origin.line is None:
        return []
    own = getattr(source, kind)[entry.source_index].highlights
    return [b.text for b in own if b.source is not None and b.source.line == origin.line]


def _readings(plain: str) -> list[_Reading]:
    """The ladder words of a text (as `_plain` gives it) that claim a part in the work, in
    order, with those a word of the first rung governs ("helped lead"), marked.

    A word of the first rung counts only where it starts a sentence (the line's own verb); one
    that is as often a noun (`opening_only`) only where it opens a clause; a passive word ("led
    by") does not count; an acronym ("LED") is no word.
    """
    rungs, opening_only = _rungs(), _opening_only()
    readings: list[_Reading] = []
    previous: re.Match[str] | None = None
    for match in _ladder().finditer(plain):
        form = _form(match.group(0))
        rung = rungs[form]
        governed = (
            previous is not None
            and rungs[_form(previous.group(0))] == 0
            and _GOVERNED.fullmatch(plain, previous.end(), match.start()) is not None
        )
        previous = match
        if not governed and (
            match.group(0) in _claims_data()["acronyms"]
            or _PASSIVE.match(plain, match.end())
            or (rung == 0 and not _after(_STARTS, plain, match.start()))
            or (form in opening_only and not _after(_OPENS, plain, match.start()))
        ):
            continue
        readings.append(_Reading(rung, match.start(), match.end(), governed))
    return readings


def _after(opening: re.Pattern[str], text: str, start: int) -> bool:
    """Whether the text before `start` ends as `opening` says (a sentence or clause opens)."""
    return opening.search(text, max(0, start - _OPENING_WINDOW), start) is not None


def _groups_in(plain: str) -> tuple[frozenset[str], frozenset[str]]:
    """The scope and seniority groups a source (as `_plain` gives it) names, a compound's words
    too ("first-author" names "first")."""
    scope: set[str] = set()
    seniority: set[str] = set()
    groups = _word_groups("support")
    for match in _word_pattern("support").finditer(plain.replace("-", " ")):
        if match.group(0) in _claims_data()["acronyms"]:
            continue
        kind, group = groups[_form(match.group(0))]
        (scope if kind == "scope" else seniority).add(group)
    return frozenset(scope), frozenset(seniority)


def _plain(text: str) -> str:
    """The text as claims are read in it: one kind of dash, and the phrases that claim nothing
    blanked out, every character where it was (what is reported is cut from the text)."""
    text = text.translate(_DASHES)
    return _not_claims().sub(lambda match: " " * len(match.group(0)), text)


def _form(written: str) -> str:
    """A word or phrase as the data lists it: lower case, spaces and hyphens one space."""
    return " ".join(re.split(r"[\s-]+", written.lower()))


@cache
def _claims_data() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml(package_data("claims.yaml").read_text(encoding="utf-8"))
    return data


@cache
def _rungs() -> dict[str, int]:
    """Each ladder word (as `_form` writes it) mapped to its rung, 0 the lowest."""
    ladder = _claims_data()["ladder"]
    return {_form(str(w)): rung for rung, words in enumerate(ladder.values()) for w in words}


@cache
def _built() -> int:
    """The rung of a line that names no part: "built"."""
    return list(_claims_data()["ladder"]).index("built")


@cache
def _opening_only() -> frozenset[str]:
    return frozenset(_form(str(word)) for word in _claims_data()["opening_only"])


@cache
def _word_groups(side: Literal["claim", "support"]) -> dict[str, tuple[ClaimKind, str]]:
    """Each scope or seniority word mapped to its kind and group: the words a rewrite claims,
    or (`support`) those that support them in a source, inflections too."""
    data = _claims_data()
    kinds: tuple[ClaimKind, ...] = ("scope", "seniority")
    table = {
        _form(str(word)): (kind, str(group))
        for kind in kinds
        for group, words in data[kind].items()
        for word in words
    }
    if side == "support":
        for group, words in data["inflections"].items():
            table.update({_form(str(word)): ("seniority", str(group)) for word in words})
    return table


def _whole_words(forms: list[str]) -> str:
    """A regex for any of `forms` as whole words, a space in a form any spaces or hyphens, and a
    hyphen binding a word to its neighbours ("co-led" holds no "led").

    The forms are merged into a tree by their common starts ("lead(?:s|ing)?"): Python's `re`
    tries an alternation's branches one by one at every word, and the tree reads a CV several
    times faster. Each branch starts with its own character, so a failed match backtracks no
    further than the phrase it tried.
    """
    tree: dict[str, Any] = {}
    for form in forms:
        node = tree
        for token in form:
            node = node.setdefault(token, {})
        node[""] = {}  # a form ends here
    return rf"(?<![\w-])(?:{_branches(tree)})(?![\w-])"


def _branches(node: dict[str, Any]) -> str:
    branches = [
        (r"[\s-]+" if token == " " else re.escape(token)) + _branches(child)
        for token, child in sorted(node.items())
        if token
    ]
    if not branches:
        return ""
    if "" not in node and len(branches) == 1:
        return branches[0]
    return f"(?:{'|'.join(branches)})" + ("?" if "" in node else "")


@cache
def _ladder() -> re.Pattern[str]:
    return re.compile(_whole_words(list(_rungs())), re.IGNORECASE)


@cache
def _word_pattern(side: Literal["claim", "support"]) -> re.Pattern[str]:
    return re.compile(_whole_words(list(_word_groups(side))), re.IGNORECASE)


@cache
def _not_claims() -> re.Pattern[str]:
    forms = [_form(str(phrase)) for phrase in _claims_data()["not_claims"]]
    return re.compile(_whole_words(forms), re.IGNORECASE)


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
    for pattern in (PROSE_URL, EMAIL, MONTH_DATE, PHONE_IN_PROSE):
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


# -- sentences written for the user ---------------------------------------------------------


def stated_by(cv: CV, *texts: str | None) -> list[str]:
    """What a sentence tailor shows the user may rest on: the CV as read (each field, and the
    source text it was read from), and any other text given (a posting's).

    The one rule for every sentence a model writes for the user (a critique's summary and
    strengths, a rewrite's questions and reasons, a talking point given as advice):
    `unsupported_in(sentence, stated_by(cv, posting_text))` must be empty.
    """
    strings = [text for _, _, text in _fields(cv.to_json_resume())]
    if cv.origin is not None and cv.origin.text:
        strings.append(cv.origin.text)
    return [*strings, *(text for text in texts if text)]
