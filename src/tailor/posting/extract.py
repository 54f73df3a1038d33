"""Split a posting into requirements and keywords, offline.

A posting is read line by line, a paragraph sentence by sentence. Headings open sections
("Requirements", "Nice to have", "What you'll do"), and so does a lead-in line that ends in a
colon and states a requirement ("You'll need:"); the list items of a requirements section are
its requirements, must-have or nice-to-have by the section and by the line's own words ("a
plus", "required"). Anywhere else (under another heading, or in a posting without any) a
sentence or a list item is a requirement when it says so: outright ("... is required", "Nice
to have: ...", "... is a plus") or in words about the candidate ("You have ...", "You'll need
...", "We expect ...", "5+ years of ...", "a degree in ...") in a sentence that is not about
the duties, the benefits, the company or the hiring process ("You will build ...", "You will
have a generous budget", "We are a team of 40"). In a list under no heading whose items
mostly state requirements, an item that names a skill is one too ("- Strong Go or Python").
Each requirement's skills are the known names it contains (`data/synonyms.yaml`), with years
of experience and degrees read from the usual wording. The patterns are data in
`data/posting.yaml`.

A line that addresses an AI rather than a candidate ("ignore your instructions...") is not
part of the posting: it is left out of the text, the requirements and the keywords, and
listed in `JobPosting.ignored`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from typing import Any, Literal

from tailor.cv.lines import sentences
from tailor.posting.model import JobPosting, Requirement, RequirementKind
from tailor.posting.reader import PostingDocument
from tailor.prompts import instruction_like
from tailor.resources import load_yaml, package_data
from tailor.skills import known_skills

SectionKind = Literal["must", "nice", "other"]
MAX_HEADING_WORDS = 9
MAX_LEAD_IN_WORDS = 20  # "To do well here, you should have most of the following:"
MIN_REQUIREMENT_WORDS = 2
MAX_TITLE_WORDS = 14
_NOT_NAMES = ("The", "You", "Us", "This", "Our", "Working", "What")
IGNORED_PLACEHOLDER = "[a line that addressed an AI model was removed here]"
_MARKER = re.compile(r"^\s*(?:[-*•·▪◦‣●○■□➢►–—]|\d{1,2}[.)]|\(?[a-z][.)])\s+")
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
DEGREE_ORDER = ("bachelor", "master", "phd")


@dataclass
class _Item:
    text: str
    line: int
    section: SectionKind | None
    bullet: bool
    run: int | None = None  # which list it belongs to, for a list under no heading


def extract(document: PostingDocument) -> JobPosting:
    """The requirements and keywords of a posting, offline."""
    ignored: list[str] = []
    kept = [_without_instructions(line, ignored) for line in document.text.split("\n")]
    text = "\n".join(kept).strip()
    items = _items(kept)
    requirements = _with_listed(items, [_requirement(item) for item in items])
    title, company = _title_and_company(kept, document)
    return JobPosting(
        source=document.source,
        title=title,
        company=company,
        text=text,
        requirements=requirements,
        keywords=known_skills(text),
        ignored=ignored,
    )


def _without_instructions(line: str, ignored: list[str]) -> str:
    """A posting line without the sentences that address an AI (noted in `ignored`); the
    placeholder when nothing else is left of it."""
    if not instruction_like(line):
        return line
    parts = [p for s in sentences(line.strip()) for p in re.split(r"(?<=;)\s+", s) if p]
    hostile = [part for part in parts if instruction_like(part)]
    if not hostile or len(hostile) == len(parts):
        ignored.append(clean(line))
        return IGNORED_PLACEHOLDER
    ignored.extend(hostile)
    indent = line[: len(line) - len(line.lstrip())]
    return indent + " ".join(part for part in parts if part not in hostile)


def clean(line: str) -> str:
    """A posting line without its list marker, Markdown emphasis or heading marks."""
    line = _MARKER.sub("", line)
    line = re.sub(r"^#{1,6}\s+", "", line.strip())
    return re.sub(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)|`", "", line).strip()


def _is_lead_in(line: str) -> bool:
    """Whether a line is a sentence that opens a list of requirements ("You'll need:")."""
    text = clean(line.strip()).rstrip(":").strip()
    return (
        line.strip().endswith(":")
        and len(text.split()) <= MAX_LEAD_IN_WORDS
        and states_requirement(text)
    )


def heading_kind(line: str) -> SectionKind | None:
    """The kind of section a line opens, or None when it is not a heading."""
    raw = line.strip()
    if not raw or (_MARKER.match(raw) and not raw.startswith(("**", "__"))):
        return None
    text = clean(raw).rstrip(":").strip()
    words = text.split()
    if _is_lead_in(raw):
        return "nice" if _any(text, "nice_words") else "must"  # "You'll need:"
    if not words or len(words) > MAX_HEADING_WORDS or text.endswith((".", "!", "?", ",", ";")):
        return None
    marked = (
        raw.startswith("#")
        or raw.endswith(":")
        or (raw.startswith(("**", "__")) and raw.rstrip(":").endswith(("**", "__")))
        or (text.isupper() and len(text) > 3)
    )
    if line[:1].isspace() and not marked:
        return None  # an indented line carries on the one above it
    return named_heading(text) or ("other" if marked else None)


def named_heading(text: str) -> SectionKind | None:
    """The kind of section a heading's words name ("Nice to have": nice), if they name one."""
    text = clean(text).rstrip(":").strip()
    kinds: tuple[SectionKind, ...] = ("nice", "must", "other")  # "nice" first: "preferred skills"
    for kind in kinds:
        if any(re.fullmatch(pattern, text, re.I) for pattern in _data()["headings"][kind]):
            return kind
    return None


def _items(lines: list[str]) -> list[_Item]:
    """The candidate lines of requirements: list items and sentences, with their section;
    a wrapped list item's continuation lines are joined to it."""
    items: list[_Item] = []
    section: SectionKind | None = None
    previous: _Item | None = None
    run, in_list = 0, False  # lists are numbered; a blank line does not end one
    lead_in = False  # the section was opened by a sentence ("You'll need:"), not a heading
    for number, raw in enumerate(lines, start=1):
        if not raw.strip() or raw == IGNORED_PLACEHOLDER:
            previous = None
            continue
        kind = heading_kind(raw)
        if kind is not None:
            section, previous, in_list = kind, None, False
            lead_in = _is_lead_in(raw)
            continue
        bullet = bool(_MARKER.match(raw))
        text = clean(raw)
        if lead_in and not bullet and items and items[-1].bullet and not _continues(raw, text):
            section, lead_in = None, False  # "You'll need:" opens its list, not what follows
        if previous is not None and previous.bullet and not bullet and _continues(raw, text):
            previous.text = f"{previous.text} {text}"
            continue
        if bullet:
            run += not in_list
            in_list = True
            previous = _Item(text, number, section, bullet, run)
            items.append(previous)
        else:  # a paragraph: each sentence stands alone ("You must have X. Y is a plus.")
            items.extend(_Item(s, number, section, False) for s in sentences(text))
            previous, in_list = None, False
    return items


def _continues(raw: str, text: str) -> bool:
    """Whether a line without a marker carries on the list item above it (wrapped text)."""
    return raw[:1].isspace() or text[:1].islower()


def _requirement(item: _Item) -> Requirement | None:
    text = item.text.strip()
    if len(text.split()) < MIN_REQUIREMENT_WORDS and not (item.bullet and known_skills(text)):
        return None  # a one-word item is a requirement when it is a skill ("- Go")
    if not_asked(text):
        return None  # "No Kubernetes experience required."
    explicit = states_requirement(text)
    if item.section in ("must", "nice") and not item.bullet:
        # prose under a requirements heading ("We care about what you have built.") is a
        # requirement only when it names something to check, or says it is one
        if not (explicit or known_skills(text) or years_asked(text) or degree_asked(text)):
            return None
    elif item.section not in ("must", "nice") and not explicit:
        return None
    if item.section == "nice" and not _any(text, "must_words"):
        kind: RequirementKind = "nice"
    elif _says_must(text):  # "Python is required; Go would be useful" stays a must-have
        kind = "must"
    else:
        kind = "nice" if _any(text, "nice_words") else "must"
    return Requirement(
        text=text,
        kind=kind,
        skills=known_skills(text),
        years=years_asked(text),
        degree=degree_asked(text),
        line=item.line,
    )


def _says_must(text: str) -> bool:
    """Whether a clause of a requirement says outright that it must be met ("must",
    "required") without taking it back ("Go is nice to have, but not required")."""
    clauses = re.split(r"[;,]|\bbut\b", text)
    return any(_any(c, "must_words") and not _any(c, "must_taken_back") for c in clauses)


def states_requirement(text: str) -> bool:
    """Whether a sentence or a list item says it is a requirement, wherever it stands:
    outright ("Python is required", "Nice to have: Go"), or in words about the candidate
    ("You have shipped ...", "5+ years of ...") in a sentence that is not about the job, the
    company, the benefits or the process ("You will build ...", "We are a team of 40")."""
    if _any(text, "explicit_requirement"):
        return True
    return _any(text, "requirement_cue") and not _any(text, "about_the_job")


def _with_listed(items: list[_Item], found: list[Requirement | None]) -> list[Requirement]:
    """The requirements found, and the items of a list under no heading that stand among
    requirements: where most of a list's items (those not about the job) state requirements,
    an item that names a skill, years or a degree is one too ("- Strong Go or Python")."""
    runs: dict[int, list[int]] = {}
    for index, item in enumerate(items):
        if item.run is not None and item.section is None:
            runs.setdefault(item.run, []).append(index)
    listed: dict[int, Requirement | None] = {}
    for members in runs.values():
        candidates = [i for i in members if not _any(items[i].text, "about_the_job")]
        stated = [i for i in candidates if found[i] is not None]
        if 2 * len(stated) <= len(candidates):
            continue
        for i in candidates:
            text = items[i].text
            if found[i] is None and (known_skills(text) or years_asked(text) or degree_asked(text)):
                listed[i] = _requirement(replace(items[i], section="must"))
    merged = [listed.get(i, requirement) for i, requirement in enumerate(found)]
    return [requirement for requirement in merged if requirement is not None]


def not_asked(text: str) -> bool:
    """Whether a line says something is not asked for ("No Kubernetes experience required")."""
    return _any(text, "not_a_requirement")


def years_asked(text: str) -> int | None:
    """The years of experience a requirement asks for ("5+ years", "three years")."""
    match = re.search(_data()["years"], text, re.I)
    if match is None:
        return None
    number = match.group(1).lower()
    return _NUMBER_WORDS.get(number) or int(number)


def degree_asked(text: str) -> Literal["bachelor", "master", "phd"] | None:
    """The lowest degree a requirement names ("MS or PhD" asks for a master's); "a degree"
    of no named level asks for a bachelor's."""
    for level in DEGREE_ORDER:
        if re.search(_data()["degrees"][level], text):
            return level  # type: ignore[return-value]
    return "bachelor" if _any(text, "any_degree") else None


def degree_subjects(text: str) -> list[str] | None:
    """The fields a requirement's degree may be in when it accepts a related one: those named
    between the degree and the words that accept it ("Bachelor's in Computer Science,
    Mathematics or a related field": Computer Science, Mathematics), as written; None when the
    requirement asks for no degree, or for a degree in no related field."""
    patterns = [re.compile(p) for p in _data()["degrees"].values()] + [_pattern("any_degree")]
    starts = [match.start() for pattern in patterns if (match := pattern.search(text))]
    related = _pattern("related_field").search(text, min(starts)) if starts else None
    if related is None:
        return None
    return degree_fields(text[min(starts) : related.start()])


def degree_fields(text: str) -> list[str]:
    """The fields of study a text names ("BSc in Information Technology": Information
    Technology), as written, from `field_families` in data/posting.yaml."""
    return [match.group(0) for match in _field_pattern().finditer(text)]


def related_field(asked: list[str], text: str) -> str | None:
    """The field a degree's text names that is of a family of one of the `asked` fields
    (Information Technology for Computer Science), as written, or None."""
    wanted = {family for name in asked for family in _families_of(name)}
    return next((f for f in degree_fields(text) if _families_of(f) & wanted), None)


def _families_of(name: str) -> set[str]:
    families: dict[str, list[str]] = _data()["field_families"]
    return {family for family, names in families.items() if name.lower() in _lower(names)}


def _lower(names: list[str]) -> set[str]:
    return {name.lower() for name in names}


@cache
def _field_pattern() -> re.Pattern[str]:
    """Every field name, longest first; those of three characters or fewer as written ("IT")."""
    names = {n for names in _data()["field_families"].values() for n in names}
    alternatives = [
        re.escape(name) if len(name) > 3 else f"(?-i:{re.escape(name)})"
        for name in sorted(names, key=len, reverse=True)
    ]
    return re.compile(rf"(?<![\w-])(?:{'|'.join(alternatives)})(?![\w-])", re.I)


def degree_level(text: str) -> int | None:
    """A degree's rank (bachelor 0, master 1, PhD 2), from its written name."""
    for rank, level in reversed(list(enumerate(DEGREE_ORDER))):
        if re.search(_data()["degrees"][level], text):
            return rank
    return None


def _title_and_company(
    lines: list[str], document: PostingDocument
) -> tuple[str | None, str | None]:
    """The job title and employer: from the format (HTML <title>, JSON fields), else from
    the first lines ("Title at Company", or the company on the line under the title)."""
    title, company = document.title, document.company
    written = [(line, clean(line)) for line in lines if clean(line) and not named_heading(line)]
    if title is None and written and len(written[0][1].split()) <= MAX_TITLE_WORDS:
        title = written[0][1]
    if title and company is None and " at " in title:
        title, company = (part.strip() for part in title.split(" at ", 1))
        company = re.split(r"(?<!\s)\s+[|·–—-]\s+", company)[0]  # "Quillon | Gridline Jobs"
    if title and document.title:
        title = re.split(r"(?<!\s)\s+[|·]\s+", title)[0]
    about = _about_name(lines)
    if company is None and len(written) > 1:
        company = _company_line(written[1][0], about)
    return title or None, company or about


def _company_line(line: str, about: str | None) -> str | None:
    """The employer named on the line under the title ("**Orrery AI** · San Francisco")."""
    head = re.split(r"(?<!\s)\s+[|·•]\s+", clean(line))[0].strip()
    if not re.fullmatch(r"[A-Z][\w&.'-]*(?: [A-Z&][\w&.'-]*){0,4}", head):
        return None
    if _MARKER.match(line):
        return None  # a list item is not the employer
    stands_out = line.strip().startswith(("**", "__")) or head != clean(line)
    if about is not None and head.startswith(about):
        return head
    return head if stands_out else None


def _about_name(lines: list[str]) -> str | None:
    for line in lines:
        about = re.fullmatch(
            r"About ([A-Z][\w&.-]*(?: [A-Z][\w&.-]*){0,3})", clean(line).rstrip(":")
        )
        if about and heading_kind(line) and about.group(1).split()[0] not in _NOT_NAMES:
            return about.group(1)
        upper = re.fullmatch(r"ABOUT ([A-Z][A-Z&.-]*(?: [A-Z][A-Z&.-]*){0,3})", line.strip())
        if upper and upper.group(1).split()[0].title() not in _NOT_NAMES:
            return upper.group(1).title()
    return None


def _any(text: str, key: str) -> bool:
    return _pattern(key).search(text) is not None


@cache
def _pattern(key: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in _data()[key]), re.I | re.M)


@cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml(package_data("posting.yaml").read_text(encoding="utf-8"))
    return data
