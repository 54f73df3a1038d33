"""How well a CV covers a posting: for each requirement, whether and where the CV shows it.

A requirement's skill is *applied* when a line of experience (a bullet, a role's or
project's description, a publication) names it, and *listed* when only the skills list does.
Years of experience are counted from the roles' dates (overlaps once); a degree from the
education section. The quote of each covered requirement is the CV's own line, as written.
A requirement that names nothing tailor can check (a soft skill, a work permit) is
*unchecked*: it counts neither for nor against the CV.
"""

from __future__ import annotations

import datetime
import re

from tailor.cv.layout import plain
from tailor.cv.lines import Line, experience_lines, has_metric, skill_line
from tailor.cv.model import CV, Education
from tailor.cv.patterns import PRESENT, YEAR_AND_MONTH
from tailor.posting.extract import (
    DEGREE_ORDER,
    degree_level,
    degree_subjects,
    related_field,
)
from tailor.posting.model import (
    Coverage,
    CoverageStatus,
    JobPosting,
    Requirement,
    RequirementCoverage,
)
from tailor.skills import canonical, shows, skill_pattern
from tailor.wording import joined

KIND_WEIGHT = {"must": 2.0, "nice": 1.0}
STATUS_VALUE = {"applied": 1.0, "partial": 0.6, "listed": 0.5, "missing": 0.0}
DEGREE_NAMES = ("a bachelor's degree", "a master's degree", "a PhD")
_ALTERNATIVES = re.compile(r"\bor\b|(?<=\w)/(?=\w)|\beither\b", re.I)
# what may stand between two skills of one list: "PyTorch, JAX or TensorFlow", "AWS/GCP"
_JOINER = re.compile(r"\s*(?:,|/|,?\s+or|,?\s+and/or)?\s*(?:an?\s+|the\s+)?", re.I)
_OR = re.compile(r"\bor\b|/", re.I)
# "FSDP, DeepSpeed or a similar framework": the list was of examples
_OR_SIMILAR = re.compile(
    r"(?<!\s)\s*+,?\s*+(?:or|and/or)\s++(?:an?\s++|any\s++)?"
    r"(?:similar|comparable|equivalent|another|other)\b",
    re.I,
)
_ONGOING = re.compile(PRESENT, re.I)


def coverage(cv: CV, posting: JobPosting, *, today: datetime.date | None = None) -> Coverage:
    """Each requirement of `posting` against `cv`, the keywords, and a coverage score."""
    lines = experience_lines(cv) + _education_lines(cv)
    listed = [k for skill in cv.skills for k in [*skill.keywords, skill.name or ""] if k]
    covered = [
        _requirement(cv, requirement, lines, listed, today or datetime.date.today())
        for requirement in posting.requirements
    ]
    shown, listed_only, missing = _sort_skills(posting.keywords, lines, listed, cv)
    return Coverage(
        posting=posting.label,
        score=_score(covered, posting.keywords, shown, listed_only),
        requirements=covered,
        keywords_shown=shown,
        keywords_listed_only=listed_only,
        keywords_missing=missing,
        ignored=posting.ignored,
    )


def _education_lines(cv: CV) -> list[Line]:
    """A degree's subject and type as lines that can show a requirement ("Computer Science")."""
    origin = cv.origin
    return [
        Line(text, "education", origin.line_of(text) if origin is not None else None)
        for entry in cv.education
        for text in (entry.area, entry.study_type)
        if text
    ]


def _requirement(
    cv: CV, requirement: Requirement, lines: list[Line], listed: list[str], today: datetime.date
) -> RequirementCoverage:
    checks_met: list[bool] = []
    notes: list[str] = []
    if requirement.years is not None:
        years = experience_years(cv, today)
        checks_met.append(years >= requirement.years)
        notes.append(f"the roles' dates add up to about {years:g} {_years(years)}")
    related: Education | None = None  # a degree in a field related to the one asked
    if requirement.degree is not None:
        related, met, note = _degree_check(cv, requirement, lines)
        checks_met.append(met)
        notes.append(note)
    # that degree stands for the field the requirement names
    fields = _unshown_fields(requirement, lines, cv) if related is not None else []
    checked = requirement.model_copy(
        update={"skills": [s for s in requirement.skills if s not in fields]}
    )
    shown = [s for s in checked.skills if _applied_line(s, lines, cv) is not None]
    listed_only = [s for s in checked.skills if s not in shown and any(shows(k, s) for k in listed)]
    missing = [s for s in checked.skills if s not in shown and s not in listed_only]
    status = _status(checked, shown, listed_only, missing, checks_met)
    quote_line = _best_line(shown, lines, cv)
    quote, section, line = None, None, None
    if quote_line is not None:
        quote, section, line = _own_words(quote_line, shown, cv)
    elif listed_only:
        quote, section, line = _listed_quote(cv, listed_only[0])
    elif requirement.degree is not None and status == "applied":
        quote, section, line = _degree_quote(cv, related)
    return RequirementCoverage(
        requirement=requirement,
        status=status,
        quote=quote,
        section=section,
        line=line,
        shown=shown,
        listed_only=listed_only,
        missing=missing,
        note="; ".join(notes) or None,
    )


def _status(
    requirement: Requirement,
    shown: list[str],
    listed_only: list[str],
    missing: list[str],
    checks_met: list[bool],
) -> CoverageStatus:
    if not requirement.skills and not checks_met:
        return "unchecked"
    skills_met = all(any(s in shown for s in group) for group in alternatives(requirement))
    if requirement.skills and not checks_met:
        if skills_met:
            return "applied"
        if shown:
            return "partial"
        return "listed" if listed_only else "missing"
    if not requirement.skills:
        if all(checks_met):
            return "applied"
        # "PhD or equivalent experience": a shortfall tailor cannot weigh is not a gap
        return "partial" if any(checks_met) or _ALTERNATIVES.search(requirement.text) else "missing"
    if skills_met and all(checks_met):
        return "applied"
    if shown or any(checks_met):
        return "partial"
    return "listed" if listed_only else "missing"


def alternatives(requirement: Requirement) -> list[list[str]]:
    """A requirement's skills in groups of which one is enough: "Python, plus Rust or C++" is
    [[Python], [Rust, C++]]. Skills written next to each other with only "or", "/" or a
    comma between them, with an "or" in the run, are alternatives."""
    text = requirement.text
    spans = []
    for skill in requirement.skills:
        pattern = skill_pattern(skill)
        match = pattern.search(text) if pattern is not None else None
        spans.append(
            (match.start(), match.end(), skill) if match else (len(text), len(text), skill)
        )
    spans.sort()
    groups: list[list[str]] = []
    joiners: list[str] = []
    for index, (start, _, skill) in enumerate(spans):
        between = text[spans[index - 1][1] : start] if index else None
        if between is not None and _JOINER.fullmatch(between):
            groups[-1].append(skill)
            joiners[-1] += between
        else:
            groups.append([skill])
            joiners.append("")
    ends = {skill: end for _, end, skill in spans}
    result: list[list[str]] = []
    for group, joiner in zip(groups, joiners, strict=True):
        open_ended = _OR_SIMILAR.match(text[ends[group[-1]] :]) is not None
        if len(group) > 1 and (_OR.search(joiner) or open_ended):
            result.append(group)
        else:  # "Python, SQL": a list of things all asked for
            result.extend([skill] for skill in group)
    return result


def _applied_line(skill: str, lines: list[Line], cv: CV) -> Line | None:
    return next((line for line in lines if _line_shows(line, skill, cv)), None)


def _line_shows(line: Line, skill: str, cv: CV) -> bool:
    """Whether a line shows a skill; "publications" is shown by a publication itself."""
    if canonical(skill) == "publications" and line.text in {p.name for p in cv.publications}:
        return True
    return shows(line.text, skill)


def _best_line(skills: list[str], lines: list[Line], cv: CV) -> Line | None:
    """The line that shows most of `skills`, a measured one first among equals."""
    counts = [sum(_line_shows(line, s, cv) for s in skills) for line in lines]
    most = max(counts, default=0)
    if most == 0:
        return None
    tied = [line for line, count in zip(lines, counts, strict=True) if count == most]
    return next((line for line in tied if has_metric(line.text)), tied[0])


def _own_words(found: Line, skills: list[str], cv: CV) -> tuple[str, str | None, int | None]:
    """The CV's own line: a project's name and description are one evidence line but two
    lines of the CV, so the quote is the part that names the skill."""
    text = plain(found.text)
    origin = cv.origin
    if found.section == "projects" and " — " in text and origin is not None:
        part = max(text.split(" — "), key=lambda part: sum(shows(part, s) for s in skills))
        line = origin.line_of(part)
        if line is not None:  # the part as written (not with a link's address added)
            return part, found.section, line
    return text, found.section, found.line


def _listed_quote(cv: CV, skill: str) -> tuple[str | None, str | None, int | None]:
    for group in cv.skills:
        for keyword in group.keywords:
            if shows(keyword, skill):
                return keyword, "skills", skill_line(cv, keyword)
    return None, "skills", None


def _degree_check(
    cv: CV, requirement: Requirement, lines: list[Line]
) -> tuple[Education | None, bool, str]:
    """Whether the CV's education meets a requirement's degree, and how that was decided; a
    higher degree meets a lower one. Where the requirement accepts "a related field" and the CV
    does not show the field it names, a degree at the level in a related field meets it (a
    Bachelor's in Information Technology for "Bachelor's in Computer Science or a related
    field"), and that degree is returned; otherwise the field is the requirement's skill, as
    any other, and None is returned."""
    assert requirement.degree is not None
    wanted = DEGREE_ORDER.index(requirement.degree)
    ranked = sorted(
        ((rank, entry) for entry in cv.education if (rank := _degree_rank(entry)) is not None),
        key=lambda pair: -pair[0],
    )
    if not ranked:
        return None, False, "no degree level found in the education section"
    asked = degree_subjects(requirement.text) or []
    if _unshown_fields(requirement, lines, cv):
        for rank, entry in ranked:
            field = related_field(asked, _degree_text(entry))
            if rank >= wanted and field is not None:
                note = (
                    f"the education section shows {DEGREE_NAMES[rank]} in {field}, a field "
                    f"related to {joined(asked, 'or')}"
                )
                return entry, True, note
    best = ranked[0][0]
    return None, best >= wanted, f"the education section shows {DEGREE_NAMES[best]}"


def _unshown_fields(requirement: Requirement, lines: list[Line], cv: CV) -> list[str]:
    """The requirement's skills that are the fields its degree may be in, or in a related one
    ("Computer Science or a related field"), and that no line of the CV shows."""
    asked = {canonical(field).lower() for field in degree_subjects(requirement.text) or []}
    return [
        skill
        for skill in requirement.skills
        if skill.lower() in asked and _applied_line(skill, lines, cv) is None
    ]


def _degree_quote(cv: CV, degree: Education | None) -> tuple[str | None, str | None, int | None]:
    entries = [degree] if degree is not None else cv.education
    for entry in entries:
        text = entry.study_type or entry.area
        if text and _degree_rank(entry) is not None:
            origin = cv.origin
            return text, "education", origin.line_of(text) if origin is not None else None
    return None, None, None


def _degree_rank(entry: Education) -> int | None:
    return degree_level(_degree_text(entry))


def _degree_text(entry: Education) -> str:
    return " ".join(filter(None, [entry.study_type, entry.area]))


def _years(years: float) -> str:
    return "year" if years == 1 else "years"  # "about 1 year", "about 1.5 years"


def experience_years(cv: CV, today: datetime.date) -> float:
    """Years covered by the CV's roles, counting overlapping roles once, to the half year."""
    spans: list[tuple[int, int]] = []
    for role in cv.work:
        start = _month(role.start_date)
        if start is None:
            continue
        end = (
            _month(role.end_date) if role.end_date and not _ONGOING.search(role.end_date) else None
        )
        spans.append((start, end if end is not None else today.year * 12 + today.month))
    months = 0
    reach = -1
    for start, end in sorted(spans):
        start = max(start, reach)
        if end > start:
            months += end - start
            reach = end
    return round(months / 6) / 2


def _month(value: str | None) -> int | None:
    match = YEAR_AND_MONTH.search(value or "")
    if match is None:
        return None
    return int(match.group(1)) * 12 + (int(match.group(2)) if match.group(2) else 1)


def _sort_skills(
    keywords: list[str], lines: list[Line], listed: list[str], cv: CV
) -> tuple[list[str], list[str], list[str]]:
    shown = [k for k in keywords if _applied_line(k, lines, cv) is not None]
    listed_only = [k for k in keywords if k not in shown and any(shows(x, k) for x in listed)]
    missing = [k for k in keywords if k not in shown and k not in listed_only]
    return shown, listed_only, missing


def _score(
    covered: list[RequirementCoverage],
    keywords: list[str],
    shown: list[str],
    listed_only: list[str],
) -> int:
    checked = [item for item in covered if item.status != "unchecked"]
    if checked:
        total = sum(KIND_WEIGHT[item.requirement.kind] for item in checked)
        got = sum(
            KIND_WEIGHT[item.requirement.kind] * STATUS_VALUE[item.status] for item in checked
        )
        return round(100 * got / total)
    if keywords:  # a posting without a list of requirements: its keywords stand for them
        return round(100 * (len(shown) + 0.5 * len(listed_only)) / len(keywords))
    return 0
